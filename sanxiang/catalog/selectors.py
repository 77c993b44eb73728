"""Reads of the catalogues.

Staff and API reads are scoped with the registry's agency scope (an officer sees their own agency,
a supervisor the agencies of their region, an administrator all). The portal reads what is
published: the lists of active agencies.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from sanxiang.catalog.models import EnforcementItem, EntryVersion, LawChange
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope, public_agencies, visible_agencies

if TYPE_CHECKING:
    from sanxiang.accounts.types import Viewer


def latest_version(model: type[EntryVersion], *, agency: Agency, code: str) -> EntryVersion | None:
    """The highest version of an entry, whatever its effective date."""
    return model._default_manager.filter(agency=agency, code=code).order_by("-version").first()


def in_force(
    model: type[EntryVersion], *, agency: Agency, on: dt.date, include_withdrawn: bool = False
) -> QuerySet:
    """The version of each entry in force on ``on``: latest effective date on or before ``on``,
    the higher version on the same date. Withdrawn entries are left out unless asked for."""
    newer = model._default_manager.filter(
        agency=OuterRef("agency"), code=OuterRef("code"), effective_from__lte=on
    ).filter(
        Q(effective_from__gt=OuterRef("effective_from"))
        | Q(effective_from=OuterRef("effective_from"), version__gt=OuterRef("version"))
    )
    qs = model._default_manager.filter(agency=agency, effective_from__lte=on).filter(~Exists(newer))
    if not include_withdrawn:
        qs = qs.filter(withdrawn=False)
    if issubclass(model, EnforcementItem):
        # qs is typed by the base model; "discretion" exists on EnforcementItem, checked just above
        qs = qs.prefetch_related("discretion")  # type: ignore[misc]
    return qs.select_related("created_by", "law_change").order_by("code")


def upcoming(model: type[EntryVersion], *, agency: Agency, on: dt.date) -> QuerySet:
    """Versions already published that take effect after ``on``."""
    return model._default_manager.filter(agency=agency, effective_from__gt=on).order_by(
        "effective_from", "code", "version"
    )


def history(model: type[EntryVersion], *, agency: Agency, code: str) -> QuerySet:
    qs = model._default_manager.filter(agency=agency, code=code).select_related("created_by", "law_change")
    if issubclass(model, EnforcementItem):
        # qs is typed by the base model; "discretion" exists on EnforcementItem, checked just above
        qs = qs.prefetch_related("discretion")  # type: ignore[misc]
    return qs.order_by("-version")


def last_updated(model: type[EntryVersion], *, agency: Agency) -> dt.datetime | None:
    return model._default_manager.filter(agency=agency).aggregate(m=Max("created_at"))["m"]


# --- scoped (staff, API) ----------------------------------------------------------------------------


def catalog_agencies(user: Viewer) -> QuerySet[Agency]:
    return visible_agencies(user)


def law_changes_for(user: Viewer) -> QuerySet[LawChange]:
    scope = agency_scope(user)
    qs = LawChange.objects.select_related("agency", "completion", "recorded_by")
    if scope is not None:
        qs = qs.filter(agency__in=Agency.objects.filter(scope).values("pk"))
    return qs.order_by("due_date", "id")


def overdue_law_changes(user: Viewer, *, today: dt.date | None = None) -> QuerySet[LawChange]:
    """Changes in law whose list update is past due and not yet recorded as done
    (《松原市行政执法公示办法》第二十五条)."""
    today = today or timezone.localdate()
    return law_changes_for(user).filter(completion__isnull=True, due_date__lt=today)


def open_law_changes(user: Viewer) -> QuerySet[LawChange]:
    return law_changes_for(user).filter(completion__isnull=True)


# --- public (portal) ----------------------------------------------------------------------------------


def public_catalog_agencies() -> QuerySet[Agency]:
    return public_agencies()
