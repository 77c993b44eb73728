"""Records: checked against the procedure, written with their files and officers, numbered, and the records other apps add (记录办法 第十至三十二条)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.cases import clock, deadlines, decisions
from sanxiang.cases.context import CaseView, load
from sanxiang.cases.models import (
    Case,
    CaseRecord,
)
from sanxiang.cases.rules import upload_within
from sanxiang.cases.services.common import (
    FUTURE_SKEW,
    JL,
    _iso,
    _lock,
    _require_actor,
    _subject,
    sealed_error,
)
from sanxiang.cases.specs import (
    OFFICER_RECORDS,
    app_record,
    clean_payload,
    is_approval_record,
    prerequisite,
)
from sanxiang.errors import FieldError, Forbidden, InvalidInput, TransitionRefused
from sanxiang.ledger import services as ledger
from sanxiang.procedures import registry
from sanxiang.registry.services import officer_eligibility

# ---------------------------------------------------------------- records


def _blob_rows(actor, hashes: Iterable[str]) -> tuple[list, list[FieldError]]:
    """The stored blobs a record of ``actor`` names. A blob the actor neither uploaded nor may see is
    refused exactly like one that does not exist (issue 10, item 4: no probing for others' hashes)."""
    from sanxiang.ledger.blobs import referable
    from sanxiang.ledger.models import Blob

    wanted = [str(h).strip().lower() for h in hashes]
    if len(set(wanted)) != len(wanted):
        return [], [FieldError("blobs", "unique", "存证文件: 同一文件只列一次")]
    allowed = referable(actor, wanted)
    found = Blob.objects.in_bulk([h for h in wanted if h in allowed])
    missing = [h for h in wanted if h not in found]
    if missing:
        return [], [FieldError("blobs", "exists", f"存证文件不存在，请先上传: {', '.join(missing)}")]
    return [found[h] for h in wanted], []


def _officers_minimum(region: str, on: dt.date):
    """执法人员不得少于两人 (行政处罚法 第四十二条): the registry's ``penalty.officers_minimum``."""
    from sanxiang.rules.selectors import rule_for

    return rule_for("penalty.officers_minimum", region=region, on=on)


def _officers_present(
    view: CaseView, items: Iterable[dict[str, Any]], on: dt.date
) -> tuple[list, list[FieldError]]:
    """第十条: the officers present, their credential numbers and whether each showed it."""
    errors: list[FieldError] = []
    by_id = {str(o.officer.public_id): o for o in view.officers}
    present: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(items or ()):
        key = str(item.get("officer", ""))
        assigned = by_id.get(key)
        if assigned is None:
            errors.append(FieldError(f"officers[{i}].officer", "case_officer", "执法人员: 不是本案办案人员"))
            continue
        if key in seen:
            continue
        seen.add(key)
        if "shown" not in item or not isinstance(item["shown"], bool):
            errors.append(
                FieldError(
                    f"officers[{i}].shown", "required", f"出示证件: 须记录是否出示执法证件（{JL}第十条）"
                )
            )
        eligibility = officer_eligibility(
            officer=assigned.officer, category=view.case.category, region_code=view.case.region_code, on=on
        )
        for reason in eligibility.reasons:
            errors.append(
                FieldError(
                    f"officers[{i}].{reason.field}",
                    reason.rule,
                    f"{assigned.name}: {reason.message}（行政处罚法 第四十二条）",
                )
            )
        present.append(
            {
                "officer": key,
                "name": assigned.name,
                "credential_number": assigned.credential_number,
                "shown": bool(item.get("shown")),
            }
        )
    minimum = _officers_minimum(view.case.agency.region_code, on)
    if len(present) < int(minimum.value or 0):
        errors.append(
            FieldError(
                "officers",
                "two_officers",
                f"在场执法人员: 不得少于{minimum.display_value}，并记录姓名、证件号及出示情况（{minimum.citation}；{JL}第十条）",
            )
        )
    return present, errors


def _owed_records(view: CaseView) -> set[str]:
    """Records of earlier stages that a running time limit still waits for (e.g. the 立案审批 of an
    emergency start, 《松原市行政执法全过程记录实施办法》第八条)."""
    ctx_events = view.events
    owed: set[str] = set()
    by_event: dict[str, list[str]] = {}
    for key, spec in view.defn.records().items():
        if spec.event:
            by_event.setdefault(spec.event, []).append(key)
    for limit in view.defn.time_limits:
        if limit.start in ctx_events and limit.until not in ctx_events:
            owed.update(by_event.get(limit.until, ()))
    return owed


def _write_record(
    *,
    actor,
    case: Case,
    kind: str,
    payload: dict[str, Any],
    made_at: dt.datetime,
    now: dt.datetime,
    blobs: list | None = None,
    officers: list[dict[str, Any]] | None = None,
    party_refused_to_sign: bool = False,
    party_refused_to_cooperate: bool = False,
    refusal_note: str = "",
    corrects: CaseRecord | None = None,
    correction_reason: str = "",
    idempotency_key: str = "",
    extra: dict[str, Any] | None = None,
    device=None,
    origins: dict[str, Any] | None = None,
) -> CaseRecord:
    """Write one record and its ledger entry (the caller holds the case lock and has checked it)."""
    defn = registry.get(case.procedure)
    spec = defn.records()[kind]
    blobs = blobs or []
    has_av = any(b.media_type.startswith(("audio/", "video/")) for b in blobs)
    late = (
        has_av and now - made_at > upload_within(region=case.region_code, on=timezone.localdate(made_at))[0]
    )
    public_id = uuid.uuid4()
    seals = spec.event == "archived"
    entry = ledger.record(
        kind="cases.record.added",
        subject=_subject(case),
        actor=actor,
        payload={
            "record": str(public_id),
            "kind": kind,
            "name": spec.name,
            "stage": case.stage,
            "payload": payload,
            "officers": officers or [],
            "made_at": _iso(made_at),
            "late_upload": late,
            "refusal": {
                "sign": party_refused_to_sign,
                "cooperate": party_refused_to_cooperate,
                "note": refusal_note,
            },
            "corrects": str(corrects.public_id) if corrects else None,
            "correction_reason": correction_reason,
            "seals_case": seals,
            **({"device": str(device.public_id)} if device is not None else {}),
            **({"origins": origins} if origins else {}),
            **(extra or {}),
        },
        blobs=[b.sm3 for b in blobs],
        corrects=corrects.ledger_seq if corrects else None,
    )
    record = CaseRecord.objects.create(
        public_id=public_id,
        case=case,
        kind=kind,
        stage=case.stage,
        payload=payload,
        officers=officers or [],
        blob_hashes=[b.sm3 for b in blobs],
        has_av=has_av,
        device=device,
        made_at=made_at,
        uploaded_at=now,
        late_upload=late,
        party_refused_to_sign=party_refused_to_sign,
        party_refused_to_cooperate=party_refused_to_cooperate,
        refusal_note=refusal_note,
        corrects=corrects,
        correction_reason=correction_reason,
        made_by=actor,
        idempotency_key=idempotency_key,
        origins=origins or {},
        ledger_seq=entry.seq,
    )
    if seals:
        case.sealed_at = now
        case.save(update_fields=["sealed_at"])
    deadlines.refresh(load(case, now=now))
    return record


def _record_checked(
    *,
    view: CaseView,
    actor,
    kind: str,
    payload: dict[str, Any] | None,
    made_at: dt.datetime | None,
    now: dt.datetime,
    blobs: Iterable[str] = (),
    officers: Iterable[dict[str, Any]] | None = None,
    party_refused_to_sign: bool = False,
    party_refused_to_cooperate: bool = False,
    refusal_note: str = "",
    old: CaseRecord | None = None,
) -> dict[str, Any]:
    """Every rule a new record of ``kind`` must meet on the case in ``view`` (the caller holds the
    case lock): the stage takes it, its fields, prerequisites, officers present, refusals, stored
    files and audio/video, and the record rules. Returns the arguments of ``_write_record``."""
    case = view.case
    defn = view.defn
    specs = defn.records()
    spec = specs[kind]
    stage = defn.stage(case.stage)
    after_decision = kind in {r.key for r in defn.after_decision}
    if after_decision and old is None and decisions.current(case) is None:
        raise TransitionRefused(
            [FieldError("kind", "decision_not_final", f"{spec.name}: 须在作出决定之后制作（{spec.source}）")],
            code="record_refused",
            title="当前环节不能制作该记录",
        )
    if (
        old is None
        and not after_decision
        and kind not in {r.key for r in stage.records}
        and kind not in _owed_records(view)
    ):
        raise TransitionRefused(
            [
                FieldError(
                    "kind",
                    "record_not_in_stage",
                    f"{spec.name}: 不是“{stage.name}”环节的记录（{defn.source}）",
                )
            ],
            code="record_refused",
            title="当前环节不能制作该记录",
        )
    errors: list[FieldError] = []
    made_at = made_at or now
    if timezone.is_naive(made_at):
        errors.append(FieldError("made_at", "timezone", "制作时间: 应含时区（ISO 8601）"))
    elif made_at > now + FUTURE_SKEW:
        errors.append(FieldError("made_at", "future", "制作时间: 不能晚于当前时间"))
    clean, payload_errors = clean_payload(kind, payload, case.procedure)
    errors += payload_errors
    needed = prerequisite(case.procedure, kind)
    if needed and not any(view.has(k) for k in needed[0]):
        names = "或".join(specs[k].name for k in needed[0] if k in specs)
        errors.append(FieldError("kind", "prerequisite", f"{spec.name}: 须先有{names}（{needed[1]}）"))
    present: list[dict[str, Any]] = []
    if kind in OFFICER_RECORDS and not errors:
        present, officer_errors = _officers_present(view, officers or (), timezone.localdate(made_at))
        errors += officer_errors
    refusal_note = (refusal_note or "").strip()
    if (party_refused_to_sign or party_refused_to_cooperate) and not refusal_note:
        errors.append(
            FieldError(
                "refusal_note",
                "required",
                f"拒绝情况说明: 当事人拒绝签名或拒绝配合的，执法人员应注明情况（{JL}第十二条第三款）",
            )
        )
    blob_rows, blob_errors = _blob_rows(actor, blobs)
    errors += blob_errors
    if not blob_errors:
        has_av = any(b.media_type.startswith(("audio/", "video/")) for b in blob_rows)
        from sanxiang.catalog.services import recording_required_records

        if spec.av_required and not has_av:
            errors.append(
                FieldError("blobs", "av_required", f"{spec.name}: 须同步音像记录（{spec.av_source}）")
            )
        elif not has_av and kind in recording_required_records(
            agency=case.agency, procedure=case.procedure, on=view.today
        ):
            errors.append(
                FieldError("blobs", "av_required", f"{spec.name}: 须同步音像记录（本机关音像记录事项清单）")
            )
    if not errors:
        for rule in defn.record_rules.get(kind, ()):
            errors += rule(view, clean, made_at)
        # 裁量基准 (行政处罚法 第三十二、三十三、三十四条), for every penalty record stating a fine
        from sanxiang.cases.discretion import CHECKED_RECORDS, errors_for

        if kind in CHECKED_RECORDS and defn.law == "penalty":
            errors += errors_for(case, clean)
    if errors:
        raise InvalidInput(errors)
    return {
        "kind": kind,
        "payload": clean,
        "made_at": made_at,
        "blobs": blob_rows,
        "officers": present,
        "party_refused_to_sign": bool(party_refused_to_sign),
        "party_refused_to_cooperate": bool(party_refused_to_cooperate),
        "refusal_note": refusal_note,
    }


def record_add(
    *,
    actor,
    case: Case,
    kind: str,
    payload: dict[str, Any] | None = None,
    made_at: dt.datetime | None = None,
    blobs: Iterable[str] = (),
    officers: Iterable[dict[str, Any]] | None = None,
    party_refused_to_sign: bool = False,
    party_refused_to_cooperate: bool = False,
    refusal_note: str = "",
    corrects: uuid.UUID | str | None = None,
    correction_reason: str = "",
    idempotency_key: str = "",
    device: uuid.UUID | str | None = None,
    offer: Any = None,
) -> CaseRecord:
    """Add a record of ``kind`` (one the current stage takes, per the procedure definition), or a
    correction of an earlier record (``corrects``; the original stays, the correction points at it).
    ``device``: the recording device it was made with (one of the agency's devices in service).
    ``offer``: the values another app offered the form (``cases.prefill.Offer``, e.g. the drafted
    decision): the record keeps each one's origin and whether the officer changed it, and the
    offering app logs the answer in this transaction."""
    from sanxiang.cases import prefill

    if offer is not None and offer.record_kind != kind:
        raise InvalidInput([FieldError("offer", "same_kind", "填入的草稿: 草稿所填的记录类型与本记录不同")])

    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if idempotency_key:
            existing = case.records.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.kind != kind:
                    raise InvalidInput(
                        [FieldError("Idempotency-Key", "idempotency_conflict", "幂等键已用于另一类记录")]
                    )
                return existing
        view = load(case, now=now)
        defn = view.defn
        specs = defn.records()
        # A sealed file takes nothing more (记录办法 第三十二条) — except the record that a decision was
        # later changed, revoked or found unlawful (复议、诉讼 often end after archiving), which is added
        # to the file as a supplement so that 行政处罚法 第四十八条's withdrawal can follow.
        if case.sealed and (corrects or not getattr(specs.get(kind), "changes_decision", False)):
            raise sealed_error()
        old = None
        if corrects:
            old = case.records.filter(public_id=corrects).first()
            if old is None:
                raise InvalidInput([FieldError("corrects", "exists", "更正的记录: 本案没有该记录")])
            if old.kind != kind:
                raise InvalidInput(
                    [FieldError("corrects", "same_kind", "更正的记录: 更正记录应与原记录类型相同")]
                )
            if old.corrections.exists():
                raise InvalidInput(
                    [FieldError("corrects", "latest", "更正的记录: 该记录已被更正，请更正最新的记录")]
                )
            if not (correction_reason or "").strip():
                raise InvalidInput([FieldError("correction_reason", "required", "更正理由: 必须填写")])
        spec = specs.get(kind)
        if spec is None:
            raise InvalidInput([FieldError("kind", "record_unknown", f"记录类型: “{defn.name}”中没有该记录")])
        if is_approval_record(case.procedure, kind):
            raise InvalidInput(
                [
                    FieldError(
                        "kind",
                        "approval_only",
                        f"{spec.name}: 须经承办人提出、审核人审核、批准人批准（{JL}第三十八条），请提请审批",
                    )
                ]
            )
        by_app = app_record(case.procedure, kind)
        if by_app is not None:
            raise Forbidden(
                f"{spec.name}: 由{Role(by_app.role).label}在其办理流程中写入本案（{by_app.source}），不能直接制作",
                field="kind",
            )
        payload = _numbered(case, kind, payload, old, now)
        checked = _record_checked(
            view=view,
            actor=actor,
            kind=kind,
            payload=payload,
            made_at=made_at,
            now=now,
            blobs=blobs,
            officers=officers,
            party_refused_to_sign=party_refused_to_sign,
            party_refused_to_cooperate=party_refused_to_cooperate,
            refusal_note=refusal_note,
            old=old,
        )
        written = _write_record(
            actor=actor,
            case=case,
            now=now,
            corrects=old,
            correction_reason=(correction_reason or "").strip(),
            idempotency_key=idempotency_key,
            device=_device(case, device, checked["made_at"]),
            origins=prefill.origins_of(offer, checked["payload"]) if offer is not None else None,
            **checked,
        )
        if offer is not None:
            prefill.taken(offer, written, actor)
        # A corrected decision document or a changed decision goes to the installed hooks (the 公示
        # is updated or withdrawn) in this transaction: a hook that refuses refuses the record.
        decisions.run_record_hooks(load(case, now=now), record=written, actor=actor)
        return written


DEVICE_NOT_IN_SERVICE = "记录设备: 应为本执法主体在制作时间在用的执法记录设备（见执法记录设备台账）"


def _device(case: Case, device: uuid.UUID | str | None, made_at: dt.datetime):
    """The agency's device a recording was made with, in service on the day it was made."""
    from sanxiang.registry.models import RecordingDevice

    if not device:
        return None
    try:
        found = RecordingDevice.objects.filter(agency_id=case.agency_id, public_id=device).first()
    except (ValueError, ValidationError):
        found = None
    if found is None or not found.in_service_on(timezone.localdate(made_at)):
        raise InvalidInput([FieldError("device", "agency_device", DEVICE_NOT_IN_SERVICE)])
    return found


def _numbered(
    case: Case, kind: str, payload: dict[str, Any] | None, old: CaseRecord | None, now
) -> dict[str, Any]:
    """A numbered document left without its 文书编号 gets the next one of the agency (cases.numbering);
    a correction keeps the number of the document it corrects."""
    from sanxiang.cases import numbering

    payload = dict(payload or {})
    if not numbering.numbered(kind) or str(payload.get("document_number") or "").strip():
        return payload
    if old is not None and old.payload.get("document_number"):
        payload["document_number"] = old.payload["document_number"]
    else:
        payload["document_number"] = numbering.next_number(
            agency=case.agency, kind=kind, on=timezone.localdate(now)
        )
    return payload


def record_add_from_app(
    *,
    actor,
    case: Case,
    kind: str,
    payload: dict[str, Any],
    source_app: str,
    blobs: Iterable[str] = (),
    reference: dict[str, Any] | None = None,
) -> CaseRecord:
    """Add a record that another app writes on the case for its own workflow — the public way for
    an app to put its result on the case record (DESIGN.md: apps call each other's services).

    Only the records a procedure declares in its ``app_records`` for ``source_app`` may be
    written, and only by an actor holding the role declared there (e.g. the legal review's
    ``review_opinion``, written by a reviewer). The calling app has already decided that the actor
    may act in its workflow (the review app: the assigned reviewer of this round). Every rule of
    ``record_add`` applies: the case is locked, a sealed case takes nothing, the current stage must
    take the record, the payload, files and audio/video are checked, and the record and its ledger
    entry (naming ``source_app`` and ``reference``) commit together."""
    by_app = app_record(case.procedure, kind)
    if by_app is None or by_app.app != source_app:
        raise Forbidden(f"记录类型: {source_app or '—'} 不能代为制作本案的该类记录", field="kind")
    if not (getattr(actor, "is_authenticated", False) and actor.has_role(by_app.role)):
        raise Forbidden(f"制作人: 该记录只能由{Role(by_app.role).label}制作（{by_app.source}）")
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        view = load(case, now=now)
        checked = _record_checked(
            view=view, actor=actor, kind=kind, payload=payload, made_at=now, now=now, blobs=blobs
        )
        return _write_record(
            actor=actor,
            case=case,
            now=now,
            extra={"source_app": source_app, **(reference or {})},
            **checked,
        )
