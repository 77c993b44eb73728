"""Reads of the registry, scoped to what the asking user may see (STYLE.md, Reads).

- administrator: everything;
- supervisor: every agency inside the region of their own (supervising) agency;
- any other staff role: their own agency only;
- anonymous or no agency: nothing here (the portal has its own public selectors).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from sanxiang.accounts.roles import Role
from sanxiang.errors import NotFound
from sanxiang.registry.models import Agency, Officer, Party, ReviewerRegistration
from sanxiang.registry.validators import region_prefix

if TYPE_CHECKING:
    from sanxiang.accounts.types import Viewer


def agency_scope(user: Viewer) -> Q | None:
    """A filter on Agency for ``user``; None means unrestricted."""
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return None
    if user.agency_id is None:
        return Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR):
        assert user.agency is not None  # agency_id was checked above
        return Q(region_code__startswith=region_prefix(user.agency.region_code))
    return Q(pk=user.agency_id)


def _scoped(qs: QuerySet, user: Viewer, path: str = "") -> QuerySet:
    scope = agency_scope(user)
    if scope is None:
        return qs
    if not path:
        return qs.filter(scope)
    ids = Agency.objects.filter(scope).values("pk")
    return qs.filter(**{f"{path}__in": ids})


def visible_agencies(user: Viewer) -> QuerySet[Agency]:
    return _scoped(Agency.objects.select_related("supervisor"), user)


def visible_officers(user: Viewer) -> QuerySet[Officer]:
    return _scoped(Officer.objects.select_related("agency"), user, "agency")


def visible_reviewers(user: Viewer) -> QuerySet[ReviewerRegistration]:
    return _scoped(ReviewerRegistration.objects.select_related("agency", "officer"), user, "agency")


def agency_for(user: Viewer, public_id: uuid.UUID | str) -> Agency:
    agency = visible_agencies(user).filter(public_id=public_id).first()
    if agency is None:
        raise NotFound("agency")
    return agency


def officer_for(user: Viewer, public_id: uuid.UUID | str) -> Officer:
    officer = visible_officers(user).filter(public_id=public_id).first()
    if officer is None:
        raise NotFound("officer")
    return officer


def parties_for(user: Viewer) -> QuerySet[Party]:
    """Parties are visible to staff only through the cases of the agencies they may see.

    The lookup follows the case links by name (``case_links__case__agency``), so the registry
    imports nothing from the cases app; administrators see every party.
    """
    scope = agency_scope(user)
    if scope is None:
        return Party.objects.all()
    agencies = Agency.objects.filter(scope).values("pk")
    ids = Party.objects.filter(case_links__case__agency__in=agencies).values("pk")
    return Party.objects.filter(pk__in=ids)


# --- public (portal) reads: only what is disclosed ---


def public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(status=Agency.Status.ACTIVE).select_related("supervisor")


def public_officer_search(query: str, *, limit: int = 50) -> QuerySet[Officer]:
    query = (query or "").strip()
    if not query:
        return Officer.objects.none()
    # a fragment finds too: part of the name, or 3+ characters of the credential number; exact first
    match = Q(name=query) | Q(credential_number__iexact=query) | Q(name__contains=query)
    if len(query) >= 3:
        match |= Q(credential_number__icontains=query)
    exact = Case(
        When(Q(name=query) | Q(credential_number__iexact=query), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Officer.objects.select_related("agency")
        .filter(match)
        .filter(agency__status=Agency.Status.ACTIVE)
        .annotate(inexact=exact)
        .order_by("inexact", "agency__name", "name")[:limit]
    )


def public_officer_by_credential(credential_number: str) -> Officer | None:
    return (
        Officer.objects.select_related("agency")
        .filter(
            credential_number__iexact=(credential_number or "").strip(), agency__status=Agency.Status.ACTIVE
        )
        .first()
    )
