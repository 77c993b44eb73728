"""Who may see which recorded material (STYLE.md, Reads).

An entry belongs to the agency of the officer who recorded it; the registry's agency scope decides
who sees it (own agency; a supervisor their region; an administrator everything). Checkpoints,
proofs and leaf hashes are public: they reveal nothing recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from sanxiang.errors import NotFound
from sanxiang.ledger.models import Blob, Entry, UploadSession
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope

if TYPE_CHECKING:
    from sanxiang.accounts.types import Viewer


def visible_entries(user: Viewer) -> QuerySet[Entry]:
    scope = agency_scope(user)
    entries = Entry.objects.all()
    if scope is None:
        return entries
    return entries.filter(agency__in=Agency.objects.filter(scope).values("pk"))


def entry_for(user: Viewer, seq: int) -> Entry:
    entry = visible_entries(user).filter(seq=seq).first()
    if entry is None:
        raise NotFound("entry")
    return entry


def visible_blobs(user: Viewer) -> QuerySet[Blob]:
    if isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return Blob.objects.none()
    referenced = visible_entries(user).values("pk")
    uploaded = UploadSession.objects.filter(created_by=user, blob__isnull=False).values("blob_id")
    blobs = Blob.objects.filter(
        Q(entry_links__entry__in=referenced) | Q(sm3__in=uploaded), swept__isnull=True
    )
    return blobs.distinct()


def blob_for(user: Viewer, sm3: str) -> Blob:
    blob = visible_blobs(user).filter(sm3=sm3).first()
    if blob is None:
        raise NotFound("blob")
    return blob


def entries_about(subject_type: str, subject_id: str) -> QuerySet[Entry]:
    return Entry.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("seq")
