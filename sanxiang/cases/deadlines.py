"""The case's open agency deadlines as rows (``CaseDeadline``), refreshed in the transaction of every
change to the case, so that work lists and the supervisor's home find what is overdue or near due
across a region with one indexed query instead of replaying every case's record."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases.context import CaseView, context_of
from sanxiang.cases.models import CaseDeadline
from sanxiang.procedures.definitions import LimitKind
from sanxiang.procedures.engine import deadlines_for


def refresh(view: CaseView) -> None:
    """Replace the case's rows with its agency deadlines that are running (not met, not paused)."""
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
    CaseDeadline.objects.filter(case=case).delete()
    CaseDeadline.objects.bulk_create(rows)
