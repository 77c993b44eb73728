"""调阅记录 of the case pages: every view of a record and every view or download of its files is
written to the access log (``sanxiang.ledger.access``) with who, when, what and why (《松原市行政执法全过程记录实施办法》
第三十四条、第三十五条；《松原市重大行政执法决定法制审核办法》第九条 for the reviewer's 调阅)."""

from __future__ import annotations

from django.db import transaction

from sanxiang.accounts.roles import Role
from sanxiang.cases.models import Case, CaseRecord
from sanxiang.errors import NotFound
from sanxiang.ledger.access import access_record
from sanxiang.ledger.models import Blob, Entry

# Why a staff user opens a record: (label, source). The purpose goes into the access log.
PURPOSES = {
    "handling": ("办案查阅", "《松原市行政执法全过程记录实施办法》第三十四条"),
    "approval": ("内部审批查阅", "《松原市行政执法全过程记录实施办法》第三十八条"),
    "review": ("法制审核调阅", "《松原市重大行政执法决定法制审核办法》第九条"),
    "supervision": ("执法监督调阅", "《松原市行政执法全过程记录实施办法》第三十四条"),
    "disclosure": ("公示审核查阅", "《松原市行政执法公示办法》第三十条"),
}


def default_purpose(user) -> str:
    if user.has_role(Role.REVIEWER):
        return "review"
    if user.has_role(Role.SUPERVISOR):
        return "supervision"
    if user.has_role(Role.DISCLOSURE_OFFICER) and not user.has_role(Role.OFFICER):
        return "disclosure"
    if user.has_role(Role.HEAD) and not user.has_role(Role.OFFICER):
        return "approval"
    return "handling"


def purpose_text(key: str, case: Case) -> str:
    label, source = PURPOSES.get(key) or PURPOSES["handling"]
    return f"{label}（{source}）：{case.number}"


def record_viewed(*, actor, case: Case, record: CaseRecord, purpose: str) -> Entry:
    """The record's page was opened: log the view of its ledger entry."""
    entry = Entry.objects.filter(seq=record.ledger_seq).first()
    if entry is None:
        raise NotFound("record")
    with transaction.atomic():
        return access_record(actor=actor, material=entry, purpose=purpose_text(purpose, case))


def file_of(record: CaseRecord, sm3: str) -> Blob:
    """A file of ``record`` (only the record's own files are served through it)."""
    if sm3 not in (record.blob_hashes or []):
        raise NotFound("blob")
    blob = Blob.objects.filter(sm3=sm3).first()
    if blob is None:
        raise NotFound("blob")
    return blob


def file_accessed(*, actor, case: Case, blob: Blob, purpose: str, download: bool) -> Entry:
    """A file was played, shown or downloaded: log it (once per playback, not once per range)."""
    with transaction.atomic():
        return access_record(
            actor=actor,
            material=blob,
            purpose=purpose_text(purpose, case),
            action="download" if download else "view",
        )
