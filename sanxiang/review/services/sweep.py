"""The overdue sweep (审核办法 第十一条)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sanxiang.ledger import services as ledger
from sanxiang.ledger.models import Entry
from sanxiang.review.models import (
    SB,
    ReviewRound,
)

# ---------------------------------------------------------------- overdue sweep (第十一条)


def overdue_sweep() -> int:
    """Record one ``review.overdue`` alert per round past its due date (natural key: round and due
    date), for the head and the supervisors. Returns how many alerts were written."""
    today = timezone.localdate()
    written = 0
    for r in ReviewRound.objects.filter(
        status=ReviewRound.Status.REVIEWING, due_date__lt=today
    ).select_related("review"):
        subject = ("review.review", str(r.review.public_id))
        with transaction.atomic():
            already = Entry.objects.filter(
                kind="review.overdue", subject_type=subject[0], subject_id=subject[1]
            )
            key = {"round": r.number, "due": r.due_date.isoformat()}
            if any({k: e.fields["payload"].get(k) for k in key} == key for e in already):
                continue
            ledger.record(
                kind="review.overdue",
                subject=subject,
                actor="system:review-sweep",
                payload={**key, "agency": r.review.agency.name, "source": f"{SB}第十一条"},
            )
            written += 1
    return written
