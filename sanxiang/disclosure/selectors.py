"""Reads of the disclosure app.

Staff reads are scoped by :func:`sanxiang.registry.selectors.agency_scope`. Public reads go through
:class:`PublicDecision` (the index of what is public now: redacted, not withdrawn, not exempt) and
:class:`Publication` versions of duties that are public now — never through ``Duty.fields`` or
``Draft.fields``, which hold the originals.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sanxiang.accounts.types import Viewer
from sanxiang.disclosure import search
from sanxiang.disclosure.models import (
    CorrectionRequest,
    Duty,
    Publication,
    PublicDecision,
    PublicLogEntry,
    Withdrawal,
    WithdrawalOrder,
)
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope

PAGE_SIZE = 20


def visible_duties(user: Viewer) -> QuerySet[Duty]:
    scope = agency_scope(user)
    qs = Duty.objects.select_related("agency", "party")
    if scope is None:
        return qs
    return qs.filter(agency__in=Agency.objects.filter(scope).values("pk"))


def duty_queue(
    user: Viewer, *, status: str = "", overdue: bool = False, today: dt.date | None = None
) -> QuerySet[Duty]:
    today = today or timezone.localdate()
    qs = visible_duties(user)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Duty.Status.PENDING, due_date__lt=today)
    return qs.order_by("due_date", "id")


def visible_corrections(user: Viewer) -> QuerySet[CorrectionRequest]:
    scope = agency_scope(user)
    qs = CorrectionRequest.objects.select_related("duty__agency")
    if scope is None:
        return qs
    return qs.filter(duty__agency__in=Agency.objects.filter(scope).values("pk"))


def visible_withdrawal_orders(user: Viewer) -> QuerySet[WithdrawalOrder]:
    scope = agency_scope(user)
    qs = WithdrawalOrder.objects.select_related("duty__agency")
    if scope is None:
        return qs
    return qs.filter(duty__agency__in=Agency.objects.filter(scope).values("pk"))


# ----------------------------------------------------------------------------- public


def public_decisions() -> QuerySet[PublicDecision]:
    return PublicDecision.objects.all()


@dataclass
class SearchResult:
    rows: list[PublicDecision]
    page: int
    has_next: bool
    elapsed_ms: float


def public_search(
    *,
    q: str = "",
    agency: str = "",
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    party: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResult:
    """Published decisions matching every filter, newest decision first; one query per page."""
    started = time.perf_counter()
    qs = PublicDecision.objects.only(
        "public_id", "agency_name", "source_kind", "document_number", "party_name", "title", "decided_on"
    )
    if agency:
        qs = qs.filter(agency__public_id=agency)
    if kind:
        qs = qs.filter(source_kind=kind)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    party = (party or "").strip()
    words = q
    if party:
        if len(party) == 18 and party.isalnum():
            qs = qs.filter(party_code=party.upper())
        else:
            words = f"{q} {party}"
            qs = qs.filter(party_name__contains=party)
    page = max(1, page)
    offset = (page - 1) * page_size
    exact: list[PublicDecision] = []
    if search.looks_like_number(q):
        # a document number typed in any brackets or width: the decision with exactly that number first
        exact = list(qs.filter(number_key=search.number_key(q)).order_by("-decided_on", "-id")[:page_size])
    matches = search.matching(qs, words).exclude(pk__in=[d.pk for d in exact])
    start = max(0, offset - len(exact))
    rest = list(matches.order_by("-decided_on", "-id")[start : offset + page_size + 1 - len(exact)])
    rows = (exact[offset:] if offset < len(exact) else []) + rest
    elapsed = (time.perf_counter() - started) * 1000
    return SearchResult(rows=rows[:page_size], page=page, has_next=len(rows) > page_size, elapsed_ms=elapsed)


def public_decision(public_id: uuid.UUID | str) -> PublicDecision | None:
    return PublicDecision.objects.defer("search_text").filter(public_id=public_id).first()


def public_versions(decision: PublicDecision) -> list[Publication]:
    """Every published version of a decision that is public now (redacted forms only), newest first."""
    if decision.version == 1:  # the common case: the index row is the only version
        return [
            Publication(
                pk=decision.publication_id,
                duty_id=decision.duty_id,
                version=1,
                purpose="initial",
                reason="",
                published_at=decision.published_at,
                public=decision.public,
            )
        ]
    return list(
        Publication.objects.filter(duty_id=decision.duty_id)
        .only("version", "purpose", "reason", "published_at", "public")
        .order_by("-version")
    )


def withdrawal_notice(public_id: uuid.UUID | str) -> Withdrawal | None:
    """The public notice of a decision that was public and has been withdrawn (no content)."""
    return (
        Withdrawal.objects.select_related("duty__agency")
        .filter(duty__public_id=public_id, duty__first_published_at__isnull=False)
        .first()
    )


def public_log() -> QuerySet[PublicLogEntry]:
    return PublicLogEntry.objects.only(
        "kind", "agency_name", "document_number", "reason", "tracking_number", "changes", "at"
    ).order_by("-at", "-id")


def correction_status(tracking_number: str) -> CorrectionRequest | None:
    return (
        CorrectionRequest.objects.select_related("duty__agency")
        .only(
            "tracking_number",
            "status",
            "outcome",
            "due_date",
            "created_at",
            "decided_at",
            "duty__agency__name",
        )
        .filter(tracking_number=(tracking_number or "").strip().upper())
        .first()
    )


def public_index_rebuild() -> int:
    """Rebuild the derived public index from the records (latest publication of each published duty)."""
    from sanxiang.disclosure.services import _search_text, _title

    count = 0
    with transaction.atomic():
        PublicDecision.objects.exclude(duty__status=Duty.Status.PUBLISHED).delete()
        for duty in (
            Duty.objects.filter(status=Duty.Status.PUBLISHED)
            .select_related("agency")
            .iterator(chunk_size=500)
        ):
            publication = duty.publications.order_by("-version").first()
            if publication is None:
                continue
            public = publication.public
            PublicDecision.objects.update_or_create(
                duty=duty,
                defaults={
                    "public_id": duty.public_id,
                    "publication": publication,
                    "version": publication.version,
                    "agency": duty.agency,
                    "agency_name": duty.agency.name,
                    "source_kind": duty.source_kind,
                    "document_number": public.get("document_number", ""),
                    "number_key": search.number_key(public.get("document_number", "")),
                    "party_name": public.get("party_name", ""),
                    "party_code": public.get("party_credit_code", "") or "",
                    "title": _title(duty, public),
                    "decided_on": duty.decided_on,
                    "published_at": duty.first_published_at or publication.published_at,
                    "updated_at": publication.published_at,
                    "public": public,
                    "search_text": _search_text(duty, public),
                },
            )
            count += 1
    return count


DISCLOSURE_WATCHERS = ("disclosure_officer", "head", "supervisor", "administrator")
DISCLOSURE_ITEMS = 20


def disclosure_work(user: Viewer) -> list:
    """Pending 公示 duties, overdue first (公示办法 第二十七条 deadlines), for the staff home: the
    disclosure officer publishes them, the head answers for them, the supervisor (司法局) watches every
    agency in its region (overdue only)."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse
    from django.utils import timezone

    from sanxiang.accounts.roles import Role
    from sanxiang.accounts.selectors import WorkItem
    from sanxiang.disclosure.models import Duty

    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    if not any(user.has_role(r) for r in DISCLOSURE_WATCHERS):
        return []
    today = timezone.localdate()
    watching_only = user.has_role(Role.SUPERVISOR) and not (
        user.has_role(Role.DISCLOSURE_OFFICER) or user.has_role(Role.HEAD)
    )
    duties = (
        duty_queue(user, overdue=True, today=today)
        if watching_only
        else duty_queue(user, status=Duty.Status.PENDING, today=today)
    )
    items = []
    for d in duties[:DISCLOSURE_ITEMS]:
        label = d.get_source_kind_display()
        what = label if str(label).endswith("决定") or str(label).endswith("结果") else f"{label}决定"
        items.append(
            WorkItem(
                kind="公示",
                title=f"{d.source_ref} {what}待公示（{d.agency.name}）",
                due=d.due_date.isoformat(),
                url=reverse("disclosure:staff_duty", args=[d.public_id]),
                state="overdue" if d.due_date < today else "running",
            )
        )
    return items
