"""Periodic work of the supervision app."""

from __future__ import annotations

from django_tasks import task


@task()
def supervision_sweep_task() -> dict:
    """The alert sweep and the daily digest (``sanxiang supervision-sweep``)."""
    from sanxiang.supervision.services import supervision_sweep

    report = supervision_sweep()
    return {"opened": report.opened, "raised": report.raised, "closed": report.closed}
