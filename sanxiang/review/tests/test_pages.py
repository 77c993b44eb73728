"""Staff pages: the queue with deadlines, the checklist beside the materials, the head's decisions,
statistics for supervisors; and the overdue sweep (《松原市重大行政执法决定法制审核办法》第十一条)."""

import datetime as dt

import pytest
from django.core.management import call_command

from sanxiang.ledger.models import Entry
from sanxiang.review import services
from sanxiang.review.tests.helpers import major_case, submit

pytestmark = pytest.mark.django_db


def test_the_reviewer_works_the_queue_and_the_checklist_beside_the_materials(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第八条、第九条、第十一条
    r = submit(major_case(handler, reviewer, head_a), handler)
    c = client_for(reviewer)
    page = c.get("/staff/reviews/").content.decode()
    assert r.review.case.number in page and "2026-03-11" in page
    before = Entry.objects.filter(kind="ledger.accessed").count()
    page = c.get(f"/staff/reviews/{r.public_id}/").content.decode()
    # the case file is listed by its records' Chinese names, never their keys or raw payloads
    assert "逐项审核" in page and "案件调查终结报告" in page
    from django.utils.html import strip_tags

    assert "investigation_report" not in strip_tags(page) and "{'" not in page
    assert Entry.objects.filter(kind="ledger.accessed").count() > before
    # the checklist is one form: a refused item (no note) names itself and writes nothing
    refused = c.post(
        f"/staff/reviews/{r.public_id}/",
        {
            "action": "checklist",
            "passed.procedure": "0",
            "note.procedure": "",
            "passed.crime": "1",
            "note.crime": "不涉嫌犯罪",
        },
    )
    assert "程序是否合法: 审核说明必须填写" in refused.content.decode()
    assert services.checklist_state(r) == {}
    c.post(
        f"/staff/reviews/{r.public_id}/",
        {
            "action": "checklist",
            "passed.procedure": "0",
            "note.procedure": "未送达",
            "passed.crime": "1",
            "note.crime": "不涉嫌犯罪",
        },
    )
    assert services.checklist_state(r)["procedure"].passed is False
    assert services.checklist_state(r)["crime"].passed is True
    page = c.post(
        f"/staff/reviews/{r.public_id}/", {"action": "opinion", "outcome": "approve", "reasons": ""}
    )
    assert "尚未审核" in page.content.decode()  # the refusal is shown, naming the article


def test_the_head_rules_on_an_extension_and_supervisors_see_statistics(
    handler, reviewer, head_a, supervisor, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十一条
    r = submit(major_case(handler, reviewer, head_a), handler)
    ext = services.extension_request(actor=reviewer, round=r, days=3, reason="案件复杂")
    head = client_for(head_a)
    assert "申请延长3个工作日" in head.get("/staff/reviews/head/").content.decode()
    head.post(
        "/staff/reviews/head/",
        {"action": "extension", "id": str(ext.public_id), "approved": "1", "days": "3"},
    )
    r.refresh_from_db()
    assert r.days == 10
    assert client_for(handler).get("/staff/reviews/head/").status_code == 403
    stats = client_for(supervisor).get("/staff/reviews/statistics/").content.decode()
    assert r.review.agency.name in stats
    assert client_for(supervisor).get("/api/reviews/statistics").json()[0]["open"] == 1


def test_the_overdue_sweep_alerts_once_and_the_head_sees_it_at_home(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十一条: overdue reviews are visible to the head and supervisors
    r = submit(major_case(handler, reviewer, head_a), handler)
    traveller.shift(dt.timedelta(days=14))
    call_command("review_overdue")
    call_command("review_overdue")
    assert Entry.objects.filter(kind="review.overdue").count() == 1
    from sanxiang.accounts.selectors import my_work

    assert any(w.kind == "法制审核超期" and r.review.case.number in w.title for w in my_work(head_a))
    assert any(w.kind == "法制审核" for w in my_work(reviewer))


def test_the_review_list_pins_its_query_count(
    handler, reviewer, head_a, client_for, traveller, django_assert_max_num_queries
):
    for _ in range(3):
        submit(major_case(handler, reviewer, head_a), handler)
    c = client_for(head_a)
    with django_assert_max_num_queries(8):
        data = c.get("/api/reviews/").json()
    assert data["count"] == 3


def test_the_round_page_names_its_period_state_in_chinese_and_marks_it_bad_when_overdue(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十一条: the review is given within 7 working days
    from sanxiang.procedures.engine import DEADLINE_STATE_LABELS

    r = submit(major_case(handler, reviewer, head_a), handler)
    url = f"/staff/reviews/{r.public_id}/"
    page = client_for(reviewer).get(url).content.decode()
    assert f'data-state="running">{DEADLINE_STATE_LABELS["running"]}</strong>' in page
    traveller.shift(dt.timedelta(days=14))
    page = client_for(reviewer).get(url).content.decode()
    assert f'class="bad" data-state="overdue">{DEADLINE_STATE_LABELS["overdue"]}</strong>' in page
    queue = client_for(reviewer).get("/staff/reviews/").content.decode()
    assert f'class="bad" data-state="overdue">{DEADLINE_STATE_LABELS["overdue"]}</strong>' in queue


def test_the_head_reassigns_a_round_from_its_page_and_an_officer_cannot(
    handler, reviewer, reviewer_two, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第二条 (the legal office's registered reviewers); DESIGN.md: the head assigns
    from sanxiang.registry.models import ReviewerRegistration
    from sanxiang.review.models import Assignment

    r = submit(major_case(handler, reviewer, head_a), handler)
    first = services.current_reviewer(r)
    other = (
        ReviewerRegistration.objects.filter(
            agency=r.review.legal_office, role=ReviewerRegistration.Role.REVIEWER
        )
        .exclude(pk=first.registration_id)
        .get()
    )
    url = f"/staff/reviews/{r.public_id}/"
    head = client_for(head_a)
    page = head.get(url).content.decode()
    assert (
        "重新指派审核人员" in page
        and other.name in page
        and f'value="{first.registration.public_id}"' not in page
    )
    assert "重新指派审核人员" not in client_for(handler).get(url).content.decode()
    refused = head.post(url, {"action": "reassign", "registration": str(other.public_id), "reason": ""})
    assert "指派说明: 必须填写" in refused.content.decode()
    assert r.assignments.filter(role=Assignment.Role.REVIEWER).count() == 1
    done = head.post(url, {"action": "reassign", "registration": str(other.public_id), "reason": "回避"})
    assert done.status_code == 302
    assert services.current_reviewer(r).registration_id == other.pk
    assert r.assignments.filter(role=Assignment.Role.REVIEWER).count() == 2  # the first stays recorded
    client_for(handler).post(url, {"action": "reassign", "registration": "", "reason": "越权"})
    assert services.current_reviewer(r).registration_id == other.pk


def test_the_reviewer_adds_a_public_lawyer_from_the_round_page(
    handler, reviewer, head_a, client_for, traveller
):
    # 铁西区司法局、昆明市的方案: 法律顾问、公职律师 take part in the legal review; only the 名录库's advisers
    from sanxiang.registry.models import ReviewerRegistration
    from sanxiang.review.models import Assignment
    from sanxiang.testing import factories

    r = submit(major_case(handler, reviewer, head_a), handler)
    lawyer = factories.ReviewerFactory(
        agency=r.review.legal_office, name="公职律师丙", role=ReviewerRegistration.Role.PUBLIC_LAWYER
    )
    plain = factories.ReviewerFactory(agency=r.review.legal_office, name="审核员丁")
    url = f"/staff/reviews/{r.public_id}/"
    c = client_for(reviewer)
    page = c.get(url).content.decode()
    assert "增加法律顾问或公职律师" in page and "公职律师丙（公职律师）" in page
    assert "重新指派审核人员" not in page  # the head's decision
    refused = c.post(url, {"action": "adviser", "registration": str(plain.public_id)}).content.decode()
    assert "应为名录库中的法律顾问或公职律师" in refused
    missing = c.post(url, {"action": "adviser", "registration": "00000000-0000-0000-0000-000000000000"})
    assert "名录库中在册人员" in missing.content.decode()
    assert (
        c.post(
            url, {"action": "adviser", "registration": str(lawyer.public_id), "reason": "疑难"}
        ).status_code
        == 302
    )
    adviser = r.assignments.get(role=Assignment.Role.ADVISER)
    assert adviser.registration == lawyer and adviser.reason == "疑难"
    assert "公职律师丙（公职律师）" in c.get(url).content.decode()
