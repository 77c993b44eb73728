"""The gate holds on every path (行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第四条、第十三条): a major case
is not decided without a passed review — staff site, REST API, admin, CLI, background task."""

import io

import pytest
from django.core.management import call_command
from django_tasks import task

from sanxiang.cases import services as cases
from sanxiang.cases.models import Case
from sanxiang.errors import TransitionRefused
from sanxiang.review.models import ReviewRound
from sanxiang.review.tests.helpers import approve, major_case, submit

pytestmark = pytest.mark.django_db


@task()
def decide_in_background(case_id: int, user_id: int) -> str:
    from sanxiang.accounts.models import User

    case = Case.objects.get(pk=case_id)
    cases.case_transition(actor=User.objects.get(pk=user_id), case=case, transition="decide")
    return "decided"


@pytest.fixture
def case(handler, reviewer, head_a, traveller):
    return major_case(handler, reviewer, head_a)


def _stage(case):
    case.refresh_from_db()
    return case.stage


def test_the_service_refuses_and_names_article_58(case, handler):
    # 行政处罚法 第五十八条
    with pytest.raises(TransitionRefused) as exc:
        cases.case_transition(actor=handler, case=case, transition="decide")
    assert any(e.rule == "legal_review_passed_if_major" for e in exc.value.errors)
    assert "第五十八条" in str(exc.value)


def test_the_staff_site_refuses(case, handler, client_for):
    # 行政处罚法 第五十八条
    response = client_for(handler).post(
        f"/staff/cases/{case.public_id}/transition/", {"transition": "decide"}
    )
    assert response.status_code == 302
    assert _stage(case) == "notice"


def test_the_api_refuses(case, handler, client_for):
    # 行政处罚法 第五十八条
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/transitions", {"transition": "decide"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert _stage(case) == "notice"


def test_the_admin_can_neither_move_the_case_nor_forge_a_passed_review(
    case, handler, reviewer, administrator, client_for
):
    # 行政处罚法 第五十八条: the admin is no way around the review
    r = submit(case, handler)
    admin = client_for(administrator)
    response = admin.post(f"/admin/review/reviewround/{r.pk}/change/", {"status": "passed"})
    assert response.status_code in (403, 302, 200)
    r.refresh_from_db()
    assert r.status == ReviewRound.Status.REVIEWING
    assert admin.post("/admin/review/reviewround/add/", {}).status_code == 403
    admin.post(f"/admin/cases/case/{case.pk}/change/", {"stage": "decision"})
    assert _stage(case) == "legal_review"


def test_the_command_line_refuses(case, handler):
    # 行政处罚法 第五十八条: a shell command calls the same service
    code = (
        "from sanxiang.cases.models import Case; from sanxiang.accounts.models import User; "
        "from sanxiang.cases import services; "
        f"services.case_transition(actor=User.objects.get(pk={handler.pk}), case=Case.objects.get(pk={case.pk}), "
        "transition='decide')"
    )
    with pytest.raises(TransitionRefused):
        call_command("shell", command=code, stdout=io.StringIO())
    assert _stage(case) == "notice"


def test_a_background_task_refuses_until_the_review_passes(case, handler, reviewer):
    # 行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第十三条
    result = decide_in_background.enqueue(case.pk, handler.pk)
    assert result.status == "FAILED"
    assert _stage(case) == "notice"
    call_command("review_overdue", stdout=io.StringIO())  # the sweep opens nothing either
    r = submit(case, handler)
    approve(r, reviewer)
    cases.case_transition(actor=handler, case=case, transition="review_to_decision")
    assert _stage(case) == "decision"


def _review_rules(case) -> set[str]:
    """The gate's refusal of 决定 as the engine sees it now — asked, not attempted."""
    from sanxiang.cases.context import build_context
    from sanxiang.procedures import registry
    from sanxiang.procedures.engine import check_transition

    case.refresh_from_db()
    unmet = check_transition(registry.get(case.procedure), case.stage, "decide", build_context(case))
    return {u.rule for u in unmet} & {"legal_review_passed_if_major"}


def test_a_case_sent_for_review_although_not_major_waits_for_the_review(handler, reviewer, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第四条: 行政执法机关认为需要审核的，也应当进行法制审核 — once sent, the decision waits
    from sanxiang.review.tests.helpers import minor_case

    case = minor_case(handler, reviewer, head_a)
    assert _review_rules(case) == set()  # not major, not sent: the gate does not apply
    round_ = submit(case, head_a, voluntary_reason="涉及多个法律关系，负责人决定送审")
    assert _review_rules(case) == {"legal_review_passed_if_major"}
    with pytest.raises(TransitionRefused):
        cases.case_transition(actor=handler, case=case, transition="decide")
    approve(round_, reviewer)
    assert _review_rules(case) == set()
