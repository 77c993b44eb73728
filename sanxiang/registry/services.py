"""Registry rules: credential eligibility, reviewer ratio, identifier checks on write."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet

from sanxiang.errors import FieldError, InvalidInput, from_validation_error
from sanxiang.registry.models import Agency, EnforcementCategory, Officer, Party, ReviewerRegistration
from sanxiang.registry.validators import region_contains

if TYPE_CHECKING:
    from sanxiang.accounts.models import User


@dataclass(frozen=True)
class ReviewerRequirement:
    """How many legal reviewers an agency needs: a share of its officers and a minimum, with the
    source of each (the rules registry's review.reviewer_ratio and review.reviewer_minimum)."""

    percent: Decimal
    minimum: int
    text: str  # 法制审核人员原则上不少于本单位执法人员总数的5%（《…》…）


# The registry sits below the rules app, so the rules app installs the lookup (RulesConfig.ready).
_requirement_lookup: Callable[[str, dt.date], ReviewerRequirement] | None = None


def register_reviewer_requirement(lookup: Callable[[str, dt.date], ReviewerRequirement]) -> None:
    global _requirement_lookup
    _requirement_lookup = lookup


def reviewer_requirement(region: str, on: dt.date) -> ReviewerRequirement:
    if _requirement_lookup is None:
        raise ImproperlyConfigured("sanxiang.rules must be installed: it provides the reviewer requirement")
    return _requirement_lookup(region, on)


@dataclass(frozen=True)
class Eligibility:
    """Whether an officer may enforce; ``reasons`` names every rule that fails."""

    allowed: bool
    reasons: list[FieldError] = field(default_factory=list)


def officer_eligibility(*, officer: Officer, category: str, region_code: str, on: dt.date) -> Eligibility:
    """May ``officer`` enforce ``category`` in ``region_code`` on ``on``?

    行政处罚法 第四十二条: 执法人员应当具有行政执法资格; the credential's status, validity dates,
    categories and region must all cover the act.
    """
    reasons: list[FieldError] = []
    if officer.status != Officer.Status.ACTIVE:
        reasons.append(
            FieldError(
                "status",
                "credential_status",
                f"执法证件状态为「{officer.get_status_display()}」，不得从事执法",
            )
        )
    if on < officer.valid_from:
        reasons.append(
            FieldError("valid_from", "credential_not_yet_valid", f"执法证件自 {officer.valid_from} 起有效")
        )
    if on > officer.valid_until:
        reasons.append(
            FieldError("valid_until", "credential_expired", f"执法证件已于 {officer.valid_until} 到期")
        )
    if category not in officer.credential_categories:
        label = EnforcementCategory(category).label if category in EnforcementCategory.values else category
        reasons.append(
            FieldError("credential_categories", "credential_category", f"执法证件不含执法类别「{label}」")
        )
    if not region_contains(officer.credential_region, region_code):
        reasons.append(
            FieldError(
                "credential_region",
                "credential_region",
                f"执法区域 {officer.credential_region} 不包含 {region_code}",
            )
        )
    if officer.agency.status != Agency.Status.ACTIVE:
        reasons.append(FieldError("agency", "agency_status", "所属执法主体已撤销"))
    return Eligibility(allowed=not reasons, reasons=reasons)


def credential_valid_on(officer: Officer, on: dt.date) -> bool:
    return officer.status == Officer.Status.ACTIVE and officer.valid_from <= on <= officer.valid_until


@dataclass(frozen=True)
class ReviewerCompliance:
    agency: Agency
    officers: int
    reviewers: int
    required: int
    requirement: str = ""  # the rule and its source

    @property
    def compliant(self) -> bool:
        return self.reviewers >= self.required


def required_reviewers(officer_count: int, requirement: ReviewerRequirement) -> int:
    """不少于执法人员总数的N%（rounded up），and at least the minimum where the profile sets one."""
    share = math.ceil(Decimal(officer_count) * requirement.percent / 100)
    return max(requirement.minimum, share)


def reviewer_compliance(*, agencies: QuerySet[Agency], on: dt.date) -> list[ReviewerCompliance]:
    """Reviewer ratio per agency — reported, never blocking."""
    active_officer = Q(
        officers__status=Officer.Status.ACTIVE, officers__valid_from__lte=on, officers__valid_until__gte=on
    )
    active_reviewer = Q(reviewers__filed_on__lte=on) & (
        Q(reviewers__withdrawn_on__isnull=True) | Q(reviewers__withdrawn_on__gt=on)
    )
    rows = agencies.annotate(
        n_officers=Count("officers", filter=active_officer, distinct=True),
        n_reviewers=Count("reviewers", filter=active_reviewer, distinct=True),
    )
    out = []
    for a in rows:
        requirement = reviewer_requirement(a.region_code, on)
        out.append(
            ReviewerCompliance(
                agency=a,
                officers=a.n_officers,
                reviewers=a.n_reviewers,
                required=required_reviewers(a.n_officers, requirement),
                requirement=requirement.text,
            )
        )
    return out


def _full_clean(obj: Model, *, exclude: list[str] | None = None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise from_validation_error(exc) from None


@transaction.atomic
def party_create(*, actor: User | None, **fields: Any) -> Party:
    party = Party(**fields)
    if party.credit_code:
        party.credit_code = party.credit_code.strip().upper()
    if party.id_number:
        party.id_number = party.id_number.strip().upper()
    _full_clean(party)
    party.save()
    return party


@transaction.atomic
def officer_create(*, actor: User | None, **fields: Any) -> Officer:
    officer = Officer(**fields)
    _full_clean(officer)
    officer.save()
    return officer


@transaction.atomic
def agency_create(*, actor: User | None, **fields: Any) -> Agency:
    agency = Agency(**fields)
    agency.credit_code = (agency.credit_code or "").strip().upper()
    _full_clean(agency)
    agency.save()
    return agency


@transaction.atomic
def reviewer_register(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    filed_on: dt.date,
    officer: Officer | None = None,
    **fields: Any,
) -> ReviewerRegistration:
    if officer is not None and officer.agency_id != agency.pk:
        raise InvalidInput([FieldError("officer", "same_agency", "执法人员不属于该执法主体")])
    reg = ReviewerRegistration(agency=agency, name=name, filed_on=filed_on, officer=officer, **fields)
    _full_clean(reg)
    reg.save()
    return reg
