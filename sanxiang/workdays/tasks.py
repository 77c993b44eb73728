"""Background work: recompute stored deadlines after the calendar changed."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_deadlines_task(years: list[int] | None = None, reason: str = "") -> dict[str, int]:
    """Enqueued on commit of every calendar change; the sweep command runs the same service."""
    from sanxiang.workdays.services import recompute_deadlines

    report = recompute_deadlines(years=years, reason=reason)
    return {"examined": report.examined, "changed": report.changed, "moved": report.moved}
