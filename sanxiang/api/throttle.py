"""Rate limits that hold across processes and under concurrency: one row per client in the database.

- ``hold(scope, key)`` locks the client's row (``select_for_update``) until the caller's transaction
  ends: a check-then-insert (count the client's requests of the last hour, then add one) done under
  it cannot be raced by the client's concurrent requests (the public correction limit).
- ``take(scope, key, limit=, window=)`` counts one event in the current fixed window with a single
  conditional UPDATE and says whether it was still within the limit (failed API tokens).
- ``exceeded(scope, key, limit=, window=)`` reads the current window without counting.

``Throttled`` is the 429 problem the API renders.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sanxiang.api.models import Throttle
from sanxiang.errors import FieldError, SanxiangError

LOCK_WINDOW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class Throttled(SanxiangError):
    def __init__(self, message: str, *, field: str = "client"):
        super().__init__(
            errors=[FieldError(field, "rate_limited", message)],
            code="rate_limited",
            title="请求过于频繁",
            status=429,
        )


def _row(scope: str, key: str, window_start: dt.datetime) -> Throttle:
    try:
        with transaction.atomic():
            row, _ = Throttle.objects.get_or_create(scope=scope, key=key, window_start=window_start)
    except IntegrityError:  # created by a concurrent request between the get and the create
        row = Throttle.objects.get(scope=scope, key=key, window_start=window_start)
    return row


def hold(scope: str, key: str) -> None:
    """Lock ``key``'s row of ``scope`` until the current transaction ends (call inside atomic())."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("throttle.hold() must run inside transaction.atomic()")
    row = _row(scope, key, LOCK_WINDOW)
    Throttle.objects.select_for_update().filter(pk=row.pk).get()


def _window(window: dt.timedelta) -> dt.datetime:
    seconds = int(window.total_seconds())
    now = int(timezone.now().timestamp())
    return dt.datetime.fromtimestamp(now - now % seconds, tz=dt.UTC)


def take(scope: str, key: str, *, limit: int, window: dt.timedelta) -> bool:
    """Count one event; True while the window holds no more than ``limit`` events."""
    row = _row(scope, key, _window(window))
    counted = Throttle.objects.filter(pk=row.pk, count__lt=limit).update(count=F("count") + 1)
    return counted == 1


def exceeded(scope: str, key: str, *, limit: int, window: dt.timedelta) -> bool:
    row = Throttle.objects.filter(scope=scope, key=key, window_start=_window(window)).first()
    return row is not None and row.count >= limit
