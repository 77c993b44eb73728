"""Background work: the overdue sweep (《松原市重大行政执法决定法制审核办法》第十一条)."""

from __future__ import annotations

from django_tasks import task


@task()
def review_overdue_sweep_task() -> dict[str, int]:
    from sanxiang.review.services import overdue_sweep

    return {"alerted": overdue_sweep()}
