"""The case list's 期限 column, sort and filters read ``Case.next_due`` (kept with the CaseDeadline
rows), and the staff pages that must stay fast with 100,000 cases (the case list, the case page, the
supervisor's home) send a fixed number of queries whatever a case holds: pinned here so that a query
per row cannot creep back (benches/staff_pages.py measures the time)."""

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import Case, CaseDeadline
from sanxiang.cases.tests.factories import filed_case, investigate, open_case, present

pytestmark = pytest.mark.django_db

# Queries of each page (session, user, roles and every app's panels or work items included).
CASE_LIST_QUERIES = 10
CASE_PAGE_QUERIES = 30
SUPERVISOR_HOME_QUERIES = 14


def _earliest_due(case) -> dt.date | None:
    return (
        CaseDeadline.objects.filter(case=case).order_by("due_date").values_list("due_date", flat=True).first()
    )


def test_next_due_is_the_earliest_running_deadline_and_follows_every_change(
    handler, reviewer_a, head_a, traveller
):
    # 行政处罚法 第六十条: the decision is due 90 days after 立案; the row and next_due appear at filing
    case = filed_case(handler, reviewer_a, head_a)
    case.refresh_from_db()
    assert case.next_due is not None and case.next_due == _earliest_due(case)
    investigate(case, handler)
    case.refresh_from_db()
    assert case.next_due == _earliest_due(case)
    unfiled = open_case(handler)
    unfiled.refresh_from_db()
    assert unfiled.next_due == _earliest_due(unfiled)


def test_the_migration_fill_and_refresh_agree(handler, reviewer_a, head_a, traveller):
    import importlib

    from django.db import connection

    fill = importlib.import_module("sanxiang.cases.migrations.0011_case_next_due")

    case = filed_case(handler, reviewer_a, head_a)
    expected = Case.objects.get(pk=case.pk).next_due
    Case.objects.filter(pk=case.pk).update(next_due=None)
    with connection.cursor() as cur:
        cur.execute(fill.FILL_NEXT_DUE)
    assert Case.objects.get(pk=case.pk).next_due == expected


def test_the_list_sorts_by_due_and_filters_overdue_near_and_none(
    client_for, handler, reviewer_a, head_a, traveller
):
    # 行政处罚法 第六十条 (90 days from 立案): the case filed first falls due first
    early = filed_case(handler, reviewer_a, head_a, title="先立案案")
    traveller.shift(dt.timedelta(days=10))
    late = filed_case(handler, reviewer_a, head_a, title="后立案案")
    none = open_case(handler, title="未立案案")
    Case.objects.filter(pk=none.pk).update(next_due=None)
    CaseDeadline.objects.filter(case=none).delete()

    def listed(query: str) -> list[str]:
        page = client_for(handler).get(f"/staff/cases/?scope=all&{query}").content.decode()
        return [c.title for c in (early, late, none) if c.title in page]

    def order(query: str) -> list[str]:  # a new login each time: the traveller outlives sessions
        page = client_for(handler).get(f"/staff/cases/?scope=all&{query}").content.decode()
        return sorted((c.title for c in (early, late) if c.title in page), key=page.index)

    assert order("sort=due") == ["先立案案", "后立案案"]
    assert listed("deadline=overdue") == []
    assert listed("deadline=none") == ["先立案案", "后立案案", "未立案案"]
    due = Case.objects.get(pk=early.pk).next_due
    traveller.move_to(dt.datetime.combine(due, dt.time(9), tzinfo=traveller_tz()) - dt.timedelta(days=1))
    assert listed("deadline=near") == ["先立案案"]
    assert order("deadline=near&sort=due") == ["先立案案"]
    traveller.shift(dt.timedelta(days=2))
    assert listed("deadline=overdue") == ["先立案案"]
    assert listed("deadline=none") == ["后立案案", "未立案案"]
    assert order("deadline=overdue&sort=due") == ["先立案案"]


def traveller_tz():
    from sanxiang.cases.tests.conftest import TZ

    return TZ


def test_the_case_list_sends_the_same_queries_for_one_case_or_forty(
    client_for, handler, reviewer_a, head_a, traveller, django_assert_max_num_queries
):
    filed_case(handler, reviewer_a, head_a)
    client = client_for(handler)
    client.get("/staff/cases/?scope=all&sort=due")  # the session and the rules cache are warm
    for query in ("sort=due", "deadline=overdue", "deadline=near&sort=due", "q=销售&sort=number"):
        with django_assert_max_num_queries(CASE_LIST_QUERIES):
            assert client.get(f"/staff/cases/?scope=all&{query}").status_code == 200
    for _ in range(40):
        open_case(handler)
    for query in ("sort=due", "deadline=none", "sort=opened"):
        with django_assert_max_num_queries(CASE_LIST_QUERIES):
            assert client.get(f"/staff/cases/?scope=all&{query}").status_code == 200


def test_the_case_page_sends_the_same_queries_however_many_records_and_events(
    client_for, handler, reviewer_a, head_a, traveller, django_assert_max_num_queries
):
    case = filed_case(handler, reviewer_a, head_a)
    client = client_for(handler)
    url = f"/staff/cases/{case.public_id}/"
    client.get(url)
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(4):
        services.record_add(
            actor=handler,
            case=case,
            kind="inquiry_record",
            payload={"content": f"询问笔录{n}"},
            officers=present(case),
        )
    investigate(case, handler)  # two more records and a transition
    with django_assert_max_num_queries(CASE_PAGE_QUERIES):
        assert client.get(url).status_code == 200


def test_the_supervisors_home_sends_the_same_queries_for_one_overdue_case_or_many(
    client_for, handler, reviewer_a, head_a, supervisor, traveller, django_assert_max_num_queries
):
    filed_case(handler, reviewer_a, head_a)
    traveller.shift(dt.timedelta(days=120))  # past the 90 days of 行政处罚法 第六十条
    client = client_for(supervisor)
    page = client.get("/staff/").content.decode()
    assert "办案期限逾期" in page
    with django_assert_max_num_queries(SUPERVISOR_HOME_QUERIES):
        assert client.get("/staff/").status_code == 200
    traveller.shift(dt.timedelta(days=-120))
    more = [filed_case(handler, reviewer_a, head_a) for _ in range(5)]
    traveller.shift(dt.timedelta(days=120))
    client = client_for(supervisor)
    page = client.get("/staff/").content.decode()
    assert all(c.number in page for c in more)
    with django_assert_max_num_queries(SUPERVISOR_HOME_QUERIES):
        assert client.get("/staff/").status_code == 200
