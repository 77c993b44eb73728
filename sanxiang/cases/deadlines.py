"""The case's open agency deadlines as rows (``CaseDeadline``), refreshed in the transaction of every
change to the case, so that work lists and the supervisor's home find what is overdue or near due
across a region with one indexed query instead of replaying every case's record."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases.context import CaseView, context_of
from sanxiang.cases.models import Case, CaseDeadline
from sanxiang.procedures.definitions import LimitKind
from sanxiang.procedures.engine import deadlines_for


def refresh(view: CaseView) -> bool:
    """Replace the case's rows with its agency deadlines that are running (not met, not paused), and
    the case's ``next_due`` with the earliest of them; whether anything changed."""
    case = view.case
    rows = []
    if not case.sealed:
        for d in deadlines_for(view.defn, context_of(view)):
            if d.limit.kind != LimitKind.AGENCY_DEADLINE or d.done is not None or d.due is None:
                continue
            if d.state not in ("running", "overdue"):
                continue
            due_at = d.due if isinstance(d.due, dt.datetime) else None
            due_date = timezone.localdate(d.due) if isinstance(d.due, dt.datetime) else d.due
            rows.append(
                CaseDeadline(
                    case=case,
                    agency_id=case.agency_id,
                    limit=d.limit.key,
                    name=d.limit.name,
                    source=d.limit.source,
                    due_date=due_date,
                    due_at=due_at,
                )
            )

    def key(r: CaseDeadline) -> tuple:
        return (r.limit, r.name, r.source, r.due_date, r.due_at)

    next_due = min((r.due_date for r in rows), default=None)
    if case.next_due != next_due:
        case.next_due = next_due
        Case.objects.filter(pk=case.pk).update(next_due=next_due)
    existing = list(CaseDeadline.objects.filter(case=case))
    if sorted(map(key, existing)) == sorted(map(key, rows)):
        return False  # unchanged: nothing written (a repeated refresh is a no-op)
    CaseDeadline.objects.filter(case=case).delete()
    CaseDeadline.objects.bulk_create(rows)
    return True


def refresh_for_calendar(*, years: list[int] | None, reason: str = "", batch_size: int = 200):
    """A working-day calendar change (a year's 假日安排 saved, a local day added) moves the due dates
    of the running deadlines counted in working days: recompute the rows of every open case whose
    deadline runs into ``years`` (``None``: every open case with a row). Registered with
    ``sanxiang.workdays.tracking`` and run by ``recompute_deadlines`` after the calendar's own
    deadline fields; each case in its own transaction; a second run changes nothing."""
    from django.db import transaction

    from sanxiang.cases.context import load
    from sanxiang.workdays.services import RecomputeReport

    rows = CaseDeadline.objects.filter(case__sealed_at__isnull=True)
    if years:
        rows = rows.filter(due_date__gte=dt.date(min(years), 1, 1))
    case_ids = sorted(set(rows.values_list("case_id", flat=True)))
    report = RecomputeReport()
    for start in range(0, len(case_ids), batch_size):
        for case in Case.objects.filter(pk__in=case_ids[start : start + batch_size]).select_related("agency"):
            with transaction.atomic():
                changed = refresh(load(case))
            report += RecomputeReport(examined=1, changed=int(changed), moved=int(changed))
    return report
