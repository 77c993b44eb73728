"""The gate holds on every path (行政处罚法 第五十八条; seed 002 审核办法 第四条、第十三条): a major case
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
    # 行政处罚法 第五十八条; seed 002 审核办法 第十三条
    result = decide_in_background.enqueue(case.pk, handler.pk)
    assert result.status == "FAILED"
    assert _stage(case) == "notice"
    call_command("review_overdue", stdout=io.StringIO())  # the sweep opens nothing either
    r = submit(case, handler)
    approve(r, reviewer)
    cases.case_transition(actor=handler, case=case, transition="review_to_decision")
    assert _stage(case) == "decision"
