"""Which models store deadlines, so that a calendar change can recompute them.

An app whose model carries :class:`~sanxiang.workdays.models.DeadlineFields` (or
``deadline_fields("prefix_")``) registers it once, usually in ``AppConfig.ready()``::

    from sanxiang.workdays.tracking import register_deadline_model
    register_deadline_model(Review)                       # fields start_date, due_date, …
    register_deadline_model(Case, prefix="disclosure_")   # disclosure_start_date, …

:func:`sanxiang.workdays.services.recompute_deadlines` then walks every registered model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models

FIELD_NAMES = (
    "start_date",
    "days",
    "unit",
    "due_date",
    "provisional",
    "calendar_version",
    "calendar_region",
    "rule_version",
    "rule_region",
)


@dataclass(frozen=True)
class TrackedDeadline:
    model: type[models.Model]
    prefix: str = ""

    def field(self, name: str) -> str:
        return self.prefix + name

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}:{self.prefix}"


_tracked: dict[str, TrackedDeadline] = {}


def register_deadline_model(model: type[models.Model], *, prefix: str = "") -> type[models.Model]:
    """Track ``model``'s deadline fields (named ``prefix + start_date`` …). Idempotent."""
    for name in FIELD_NAMES:
        try:
            model._meta.get_field(prefix + name)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(
                f"{model._meta.label} has no field {prefix + name!r}; use deadline_fields({prefix!r})"
            ) from exc
    tracked = TrackedDeadline(model=model, prefix=prefix)
    _tracked[tracked.label] = tracked
    return model


def tracked_deadlines() -> list[TrackedDeadline]:
    return list(_tracked.values())


# Derived deadline tables without DeadlineFields (e.g. the cases app's CaseDeadline, computed from a
# case's records): each listener recomputes its own rows after a calendar change and returns a
# RecomputeReport. Called by ``recompute_deadlines(years=…, reason=…)``.
_listeners: dict[str, Callable[..., Any]] = {}


def register_recompute_listener(name: str, listener: Callable[..., Any]) -> None:
    """``listener(years=list[int] | None, reason=str) -> RecomputeReport``. Idempotent by name."""
    _listeners[name] = listener


def recompute_listeners() -> list[Callable[..., Any]]:
    return list(_listeners.values())
