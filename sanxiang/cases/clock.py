"""The time the case services read. Normally ``timezone.now()``; the demo loader builds past
histories inside ``at(moment)`` (tests freeze time with time_machine instead)."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt

from django.utils import timezone

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("cases_clock", default=None)


def now() -> dt.datetime:
    return _override.get() or timezone.now()


@contextlib.contextmanager
def at(moment: dt.datetime):
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
