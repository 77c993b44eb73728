"""调阅记录: every view, download and copy of recorded material is itself a ledger entry.

- Each access records who (the actor), when (the entry's time), what (entry or blob) and the stated
  purpose; a purpose is required.
- A party's request for copies needs the approval of the agency's head (《松原市行政执法全过程记录实施办法》第三十四条:
  当事人根据需要申请复制相关执法全过程记录信息的，经行政机关负责人同意，可复制使用，依法应保密的除外).
- Material marked as a state secret, trade secret or privacy is withheld from copies and listed as
  withheld with its ground (第三十四条 "依法应保密的除外"; 第三十五条).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, InvalidInput, NotFound, TransitionRefused
from sanxiang.ledger import selectors
from sanxiang.ledger.models import Blob, Entry
from sanxiang.ledger.services import record
from sanxiang.ledger.storage import get_storage

ACCESSED = "ledger.accessed"
SECRECY_MARKED = "ledger.secrecy_marked"
COPY_REQUESTED = "ledger.copy_requested"
COPY_DECIDED = "ledger.copy_decided"
COPY_RELEASED = "ledger.copy_released"

ENTRY = "ledger.entry"
BLOB = "ledger.blob"
COPY_REQUEST = "ledger.copy_request"

SECRECY_GROUNDS = {
    "state_secret": _("国家秘密"),
    "trade_secret": _("商业秘密"),
    "privacy": _("个人隐私"),
}
ACTIONS = ("view", "download", "copy", "export")

RULE_HEAD_APPROVAL = "《松原市行政执法全过程记录实施办法》第三十四条"
RULE_SECRECY = "《松原市行政执法全过程记录实施办法》第三十五条"


def _material(material: Entry | Blob) -> tuple[str, str]:
    return (ENTRY, str(material.seq)) if isinstance(material, Entry) else (BLOB, material.sm3)


def _purpose(purpose: str) -> str:
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidInput(
            [FieldError("purpose", "required", "调阅目的: 必填（每次调阅均记录调阅人、时间、内容和目的）")]
        )
    return purpose[:500]


def access_record(*, actor, material: Entry | Blob, purpose: str, action: str = "view") -> Entry:
    """Append the access of ``material`` by ``actor`` for ``purpose`` to the log."""
    if action not in ACTIONS:
        raise InvalidInput([FieldError("action", "enum", f"调阅方式: 应为 {', '.join(ACTIONS)} 之一")])
    return record(
        kind=ACCESSED,
        subject=_material(material),
        actor=actor,
        payload={"action": action, "purpose": _purpose(purpose)},
    )


def entry_view(*, actor, seq: int, purpose: str) -> Entry:
    """An entry, for a user who may see it; the viewing is recorded first."""
    entry = selectors.entry_for(actor, seq)
    access_record(actor=actor, material=entry, purpose=purpose, action="view")
    return entry


def blob_download(*, actor, sm3: str, purpose: str):
    """(blob, byte iterator) for a user who may see it; the download is recorded first."""
    blob = selectors.blob_for(actor, sm3)
    access_record(actor=actor, material=blob, purpose=purpose, action="download")
    return blob, get_storage().read(blob.sm3)


# ---------------------------------------------------------------- secrecy (第三十五条)


def secrecy_mark(*, actor, material: Entry | Blob, ground: str, reason: str = "") -> Entry:
    """Mark recorded material as secret on ``ground``; from then on it is withheld from copies."""
    if ground not in SECRECY_GROUNDS:
        raise InvalidInput(
            [
                FieldError(
                    "ground", "enum", f"保密事由: 应为 {', '.join(SECRECY_GROUNDS)} 之一 ({RULE_SECRECY})"
                )
            ]
        )
    return record(
        kind=SECRECY_MARKED,
        subject=_material(material),
        actor=actor,
        payload={"ground": ground, "reason": reason[:500]},
    )


def secrecy_grounds(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The secrecy ground of each material key that is marked secret."""
    if not keys:
        return {}
    wanted = set(keys)
    ids = {subject_id for _, subject_id in wanted}
    found: dict[tuple[str, str], str] = {}
    marks = Entry.objects.filter(kind=SECRECY_MARKED, subject_id__in=ids).order_by("seq")
    for mark in marks:
        key = (mark.subject_type, mark.subject_id)
        if key in wanted:
            found.setdefault(key, mark.fields["payload"]["ground"])
    return found


# ---------------------------------------------------------------- copies for a party (第三十四条)


@dataclass
class CopyRequest:
    id: str
    requested: Entry
    decision: Entry | None = None
    releases: list[Entry] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        return self.requested.fields["payload"]

    @property
    def status(self) -> str:
        if self.decision is None:
            return "pending"
        return "approved" if self.decision.fields["payload"]["approved"] else "refused"


def copy_request_for(request_id: str) -> CopyRequest:
    entries = list(selectors.entries_about(COPY_REQUEST, str(request_id)))
    requested = next((e for e in entries if e.kind == COPY_REQUESTED), None)
    if requested is None:
        raise NotFound("copy_request")
    decision = next((e for e in entries if e.kind == COPY_DECIDED), None)
    return CopyRequest(str(request_id), requested, decision, [e for e in entries if e.kind == COPY_RELEASED])


def copy_request_submit(
    *, actor, party: str, entries: list[int], purpose: str, request_id: str | None = None
) -> CopyRequest:
    """Record a party's request for copies of entries (registered by staff of the agency).

    ``request_id`` is the natural key that makes a retry harmless."""
    party = (party or "").strip()
    errors = []
    if not party:
        errors.append(FieldError("party", "required", "申请人（当事人）: 必填"))
    if not entries:
        errors.append(FieldError("entries", "required", "申请复制的记录: 至少一条"))
    if errors:
        raise InvalidInput(errors)
    request_id = str(uuid.UUID(str(request_id))) if request_id else str(uuid.uuid4())
    with transaction.atomic():
        try:
            return copy_request_for(request_id)
        except NotFound:
            pass
        materials = [selectors.entry_for(actor, seq) for seq in sorted(set(entries))]
        record(
            kind=COPY_REQUESTED,
            subject=(COPY_REQUEST, request_id),
            actor=actor,
            payload={
                "party": party[:200],
                "entries": [e.seq for e in materials],
                "purpose": _purpose(purpose),
                "agency": str(actor.agency.public_id) if actor.agency_id else None,
            },
        )
        return copy_request_for(request_id)


def copy_request_decide(*, actor, request_id: str, approve: bool, reason: str = "") -> CopyRequest:
    """The head of the agency approves or refuses a copy request (第三十四条); a decision is final."""
    with transaction.atomic():
        request = copy_request_for(request_id)
        agency = request.payload.get("agency")
        is_head = actor.has_role(Role.HEAD) and actor.agency_id and str(actor.agency.public_id) == agency
        if not is_head:
            raise TransitionRefused(
                [
                    FieldError(
                        "actor", "head_approval", f"复制执法记录须经本机关负责人同意 ({RULE_HEAD_APPROVAL})"
                    )
                ],
                code="head_approval_required",
            )
        if request.decision is not None:
            if request.decision.fields["payload"]["approved"] != bool(approve):
                raise TransitionRefused(
                    [FieldError("decision", "final", "该申请已作出决定")], code="already_decided"
                )
            return request
        record(
            kind=COPY_DECIDED,
            subject=(COPY_REQUEST, request.id),
            actor=actor,
            payload={"approved": bool(approve), "reason": reason[:500], "rule": RULE_HEAD_APPROVAL},
        )
        return copy_request_for(request.id)


@dataclass
class CopyRelease:
    entries: list[Entry]
    blobs: list[Blob]
    withheld: list[dict[str, str]]
    record: Entry


def copy_release(*, actor, request_id: str) -> CopyRelease:
    """What may be copied under an approved request: every requested entry and blob except what is
    marked secret (第三十四条, 第三十五条). The release itself is recorded, withheld items included."""
    with transaction.atomic():
        request = copy_request_for(request_id)
        if request.status != "approved":
            raise TransitionRefused(
                [
                    FieldError(
                        "copy_request", "head_approval", f"复制须经行政机关负责人同意 ({RULE_HEAD_APPROVAL})"
                    )
                ],
                code="head_approval_required",
            )
        entries = [selectors.entry_for(actor, seq) for seq in request.payload["entries"]]
        blobs_of = {e.seq: list(Blob.objects.filter(entry_links__entry=e)) for e in entries}
        keys = [(ENTRY, str(e.seq)) for e in entries] + [
            (BLOB, b.sm3) for bs in blobs_of.values() for b in bs
        ]
        secret = secrecy_grounds(keys)
        released_entries, released_blobs, withheld = [], [], []
        for entry in entries:
            ground = secret.get((ENTRY, str(entry.seq)))
            if ground:
                withheld.append({"type": ENTRY, "id": str(entry.seq), "ground": ground, "rule": RULE_SECRECY})
                continue
            released_entries.append(entry)
            for blob in blobs_of[entry.seq]:
                ground = secret.get((BLOB, blob.sm3))
                if ground:
                    withheld.append({"type": BLOB, "id": blob.sm3, "ground": ground, "rule": RULE_SECRECY})
                elif blob not in released_blobs:
                    released_blobs.append(blob)
        entry = record(
            kind=COPY_RELEASED,
            subject=(COPY_REQUEST, request.id),
            actor=actor,
            payload={
                "action": "copy",
                "purpose": request.payload["purpose"],
                "party": request.payload["party"],
                "entries": [e.seq for e in released_entries],
                "blobs": [b.sm3 for b in released_blobs],
                "withheld": withheld,
            },
        )
        return CopyRelease(released_entries, released_blobs, withheld, entry)
