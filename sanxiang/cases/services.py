"""Every write to a case: open, add a record, move the stage, approve, extend, assign officers.

Each runs in one ``transaction.atomic()``, locks the case row (two officers may act at once), checks
every rule before writing anything, and writes its ledger entry in the same transaction — a refused
request leaves no row and no entry. Stage moves are decided by the procedure definition through
the engine (``check_transition``); nothing here knows the stages by name.
"""

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
from sanxiang.cases.context import CaseView, context_of, load
from sanxiang.cases.models import (
    Approval,
    ApprovalStep,
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseOfficer,
    CaseParty,
    CaseRecord,
    CaseSource,
)
from sanxiang.cases.rules import upload_within
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
from sanxiang.procedures.engine import check_transition, deadline_for_limit
from sanxiang.registry.models import Officer, Party
from sanxiang.registry.services import officer_eligibility
from sanxiang.registry.validators import region_contains

JL = "《松原市行政执法全过程记录实施办法》"
FUTURE_SKEW = dt.timedelta(minutes=5)
WRITE_ROLES = (Role.OFFICER, Role.HEAD)


def sealed_error() -> TransitionRefused:
    return TransitionRefused(
        [FieldError("case", "sealed", f"案卷已归档封存，不能再增加记录或变更环节（{JL}第三十二条）")],
        code="case_sealed",
        title="案卷已封存",
    )


def can_act(user, case: Case) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id == case.agency_id
        and any(user.has_role(r) for r in WRITE_ROLES)
    )


def can_open_case(user) -> bool:
    """May ``user`` register cases at all (an officer or head of an agency)? ``case_open`` decides."""
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and any(user.has_role(r) for r in WRITE_ROLES)
    )


def _require_actor(actor, case: Case) -> None:
    if not can_act(actor, case):
        raise Forbidden("只有本机关的执法人员或负责人可以办理本案")


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency").get(pk=case.pk)


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _subject(case: Case) -> tuple[str, str]:
    return ("cases.case", str(case.public_id))


# ---------------------------------------------------------------- opening


def _officers_checked(
    agency, officers: Iterable[Officer], *, category: str, region: str, on: dt.date, field: str = "officers"
) -> tuple[list[Officer], list[FieldError]]:
    errors: list[FieldError] = []
    chosen: list[Officer] = []
    for i, officer in enumerate(officers):
        if officer.agency_id != agency.pk:
            errors.append(
                FieldError(f"{field}[{i}]", "officer_agency", f"{officer.name}: 不是本机关执法人员")
            )
            continue
        if officer in chosen:
            errors.append(FieldError(f"{field}[{i}]", "unique", f"{officer.name}: 重复"))
            continue
        eligibility = officer_eligibility(officer=officer, category=category, region_code=region, on=on)
        for reason in eligibility.reasons:
            errors.append(
                FieldError(
                    f"{field}[{i}].{reason.field}",
                    reason.rule,
                    f"{officer.name}: {reason.message}（行政处罚法 第四十二条）",
                )
            )
        chosen.append(officer)
    return chosen, errors


def _parties_checked(parties: Iterable[dict[str, Any]]) -> tuple[list[Party], list[FieldError]]:
    built: list[Party] = []
    errors: list[FieldError] = []
    allowed = {"kind", "name", "id_type", "id_number", "birth_date", "credit_code", "legal_representative"}
    allowed |= {"phone", "address"}
    for i, data in enumerate(parties):
        unknown = sorted(set(data) - allowed)
        for name in unknown:
            errors.append(FieldError(f"parties[{i}].{name}", "unknown_field", f"{name}: 当事人没有此项"))
        party = Party(**{k: v for k, v in data.items() if k in allowed and v is not None})
        try:
            party.full_clean(exclude=["public_id"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(FieldError(f"parties[{i}].{name}", "invalid", message))
        built.append(party)
    return built, errors


def _matter(agency, code: str, on: dt.date):
    from sanxiang.catalog.models import MODELS, ListKind
    from sanxiang.catalog.selectors import in_force

    return in_force(MODELS[ListKind.ITEMS], agency=agency, on=on).filter(code=code).first()


def case_open(
    *,
    actor,
    procedure: str,
    title: str,
    source: str,
    officers: Iterable[Officer],
    parties: Iterable[dict[str, Any]],
    source_detail: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    reporter_named: bool = False,
    is_emergency: bool = False,
    emergency_reason: str = "",
    matter_code: str = "",
    category: str = "",
    region_code: str = "",
    idempotency_key: str = "",
) -> Case:
    """Register a case (案件来源登记) with its handling officers and parties.

    An emergency start (《松原市行政执法全过程记录实施办法》第八条) moves the case straight into investigation; its
    立案审批 is then due within 24 hours (time limit ``emergency_approval``)."""
    if not getattr(actor, "is_authenticated", False) or actor.agency_id is None:
        raise Forbidden("只有执法机关工作人员可以登记案件")
    agency = actor.agency
    if not any(actor.has_role(r) for r in WRITE_ROLES):
        raise Forbidden("只有执法人员或负责人可以登记案件")
    if idempotency_key:
        existing = Case.objects.filter(opened_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    now = clock.now()
    today = timezone.localdate(now)
    errors: list[FieldError] = []
    try:
        defn = registry.get(procedure)
    except KeyError:
        keys = "、".join(d.key for d in registry.definitions())
        raise InvalidInput(
            [FieldError("procedure", "procedure_unknown", f"执法程序: 应为 {keys} 之一")]
        ) from None
    title = (title or "").strip()
    if not title:
        errors.append(FieldError("title", "required", "案由: 必须填写"))
    if source not in CaseSource.values:
        errors.append(FieldError("source", "choice", "案件来源: 不是可选项"))
    reporter_name = (reporter_name or "").strip()
    if reporter_named and not reporter_name:
        errors.append(
            FieldError("reporter_name", "required", f"投诉举报人: 实名投诉举报须填写姓名（{JL}第九条）")
        )
    emergency_reason = (emergency_reason or "").strip()
    if is_emergency and not emergency_reason:
        errors.append(
            FieldError(
                "emergency_reason", "required", f"紧急理由: 情况紧急先行启动的须记录理由（{JL}第八条）"
            )
        )
    category = category or next((c for c in agency.categories if c != "supervision"), "")
    if category not in agency.categories:
        errors.append(FieldError("category", "agency_category", "执法类别: 不属于本机关的执法类别"))
    region_code = region_code or agency.region_code
    if not region_contains(agency.region_code, region_code):
        errors.append(FieldError("region_code", "agency_region", "执法区域: 不在本机关管辖区域内"))
    matter = None
    if matter_code:
        matter = _matter(agency, matter_code, today)
        if matter is None:
            errors.append(
                FieldError(
                    "matter_code", "matter_unknown", "执法事项: 不是本机关现行行政执法事项清单中的事项"
                )
            )
    officer_list = list(officers)
    chosen, officer_errors = _officers_checked(
        agency, officer_list, category=category, region=region_code, on=today
    )
    errors += officer_errors
    minimum = _officers_minimum(agency.region_code, today)
    if len(officer_list) < int(minimum.value or 0):
        errors.append(
            FieldError(
                "officers",
                "two_officers",
                f"执法人员: 不得少于{minimum.display_value}，须指派持有效证件的执法人员（{minimum.citation}）",
            )
        )
    party_rows, party_errors = _parties_checked(list(parties))
    errors += party_errors
    if not party_rows:
        errors.append(FieldError("parties", "required", "当事人: 至少登记一名当事人"))
    if errors:
        raise InvalidInput(errors)

    with transaction.atomic():
        sequence, _ = CaseNumberSequence.objects.select_for_update().get_or_create(
            agency=agency, year=today.year
        )
        sequence.last += 1
        sequence.save(update_fields=["last"])
        number = f"{registry.get(procedure).number_prefix}〔{today.year}〕{sequence.last:04d}号"
        public_id = uuid.uuid4()
        for party in party_rows:
            party.save()
        entry = ledger.record(
            kind="cases.case.opened",
            subject=("cases.case", str(public_id)),
            actor=actor,
            payload={
                "number": number,
                "procedure": procedure,
                "title": title,
                "source": source,
                "source_detail": source_detail,
                "reporter": {"name": reporter_name, "named": bool(reporter_named)},
                "emergency": {"is": bool(is_emergency), "reason": emergency_reason},
                "matter": {"code": matter.code, "name": matter.name} if matter else None,
                "category": category,
                "region_code": region_code,
                "officers": [{"name": o.name, "credential_number": o.credential_number} for o in chosen],
                "parties": [
                    {"id": str(p.public_id), "kind": p.kind, "name": p.name, "credit_code": p.credit_code}
                    for p in party_rows
                ],
                "opened_at": _iso(now),
            },
        )
        case = Case.objects.create(
            public_id=public_id,
            agency=agency,
            procedure=procedure,
            number=number,
            year=today.year,
            serial=sequence.last,
            title=title,
            matter_ref=matter.public_id if matter else None,
            matter_code=matter.code if matter else "",
            matter_name=matter.name if matter else "",
            category=category,
            region_code=region_code,
            source=source,
            source_detail=source_detail,
            reporter_name=reporter_name,
            reporter_contact=reporter_contact,
            reporter_named=bool(reporter_named),
            is_emergency=bool(is_emergency),
            emergency_reason=emergency_reason,
            stage=defn.initial,
            stage_changed_at=now,
            opened_by=actor,
            opened_at=now,
            idempotency_key=idempotency_key,
            ledger_seq=entry.seq,
            party_names="\n".join(p.name for p in party_rows),
        )
        CaseOfficer.objects.bulk_create(
            CaseOfficer(
                case=case,
                officer=o,
                name=o.name,
                credential_number=o.credential_number,
                lead=i == 0,
                assigned_by=actor,
                assigned_at=now,
                ledger_seq=entry.seq,
            )
            for i, o in enumerate(chosen)
        )
        CaseParty.objects.bulk_create(
            CaseParty(case=case, party=p, position=i) for i, p in enumerate(party_rows)
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OPENED,
            to_stage=defn.initial,
            at=now,
            actor=actor,
            ledger_seq=entry.seq,
        )
        source_spec = defn.records().get("case_source")
        if source_spec is not None and source_spec.key in {r.key for r in defn.stage(defn.initial).records}:
            _write_record(
                actor=actor,
                case=case,
                kind="case_source",
                payload={"summary": source_detail or title},
                made_at=now,
                now=now,
            )
        if is_emergency:
            emergency = next(
                (t for t in defn.outgoing(defn.initial) if "emergency_reason_recorded" in t.guards), None
            )
            if emergency is not None:
                _move(actor=actor, case=case, key=emergency.key, note=emergency_reason, now=now)
        deadlines.refresh(load(case, now=now))
    return case


def case_assign_officer(*, actor, case: Case, officer: Officer) -> CaseOfficer:
    """Add a handling officer; the credential must be valid for the case (行政处罚法 第四十二条)."""
    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        existing = case.case_officers.filter(officer=officer).first()
        if existing is not None:
            return existing
        _, errors = _officers_checked(
            case.agency,
            [officer],
            category=case.category,
            region=case.region_code,
            on=timezone.localdate(now),
            field="officer",
        )
        if errors:
            raise InvalidInput(
                [FieldError(e.field.replace("officer[0]", "officer"), e.rule, e.message) for e in errors]
            )
        entry = ledger.record(
            kind="cases.officer.assigned",
            subject=_subject(case),
            actor=actor,
            payload={
                "officer": officer.name,
                "credential_number": officer.credential_number,
                "at": _iso(now),
            },
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.OFFICER,
            at=now,
            actor=actor,
            ledger_seq=entry.seq,
            payload={"officer": str(officer.public_id), "name": officer.name},
        )
        return CaseOfficer.objects.create(
            case=case,
            officer=officer,
            name=officer.name,
            credential_number=officer.credential_number,
            assigned_by=actor,
            assigned_at=now,
            ledger_seq=entry.seq,
        )


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
) -> CaseRecord:
    """Add a record of ``kind`` (one the current stage takes, per the procedure definition), or a
    correction of an earlier record (``corrects``; the original stays, the correction points at it)."""
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
            **checked,
        )
        # A corrected decision document or a changed decision goes to the installed hooks (the 公示
        # is updated or withdrawn) in this transaction: a hook that refuses refuses the record.
        decisions.run_record_hooks(load(case, now=now), record=written, actor=actor)
        return written


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


# ---------------------------------------------------------------- transitions


def _move(
    *, actor, case: Case, key: str, note: str, now: dt.datetime, idempotency_key: str = ""
) -> CaseEvent:
    view = load(case, now=now)
    defn = view.defn
    unmet = check_transition(defn, case.stage, key, context_of(view))
    if unmet:
        raise TransitionRefused([u.as_field_error() for u in unmet])
    t = defn.transition(key)
    target = defn.stage(t.target)
    seals = target.terminal and not target.records
    entry = ledger.record(
        kind="cases.stage.changed",
        subject=_subject(case),
        actor=actor,
        payload={
            "transition": t.key,
            "name": t.name,
            "from": t.source,
            "to": t.target,
            "event": t.event,
            "note": note,
            "at": _iso(now),
            "seals_case": seals,
        },
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.TRANSITION,
        transition=t.key,
        from_stage=t.source,
        to_stage=t.target,
        event=t.event,
        note=note,
        at=now,
        actor=actor,
        idempotency_key=idempotency_key,
        ledger_seq=entry.seq,
    )
    case.stage = t.target
    case.stage_changed_at = now
    fields = ["stage", "stage_changed_at"]
    if seals:
        case.sealed_at = now
        fields.append("sealed_at")
    case.save(update_fields=fields)
    # A decision made final here is written as its own row and goes to the installed hooks (the 公示
    # duty) in this transaction: a hook that refuses refuses the transition, and nothing is written.
    decisions.decision_make(view, transition=t.key, actor=actor)
    deadlines.refresh(load(case, now=now))
    return event


def case_transition(
    *, actor, case: Case, transition: str, note: str = "", idempotency_key: str = ""
) -> CaseEvent:
    """Move the case by ``transition`` of its procedure; refused (409) with every unmet requirement
    and its source. The stage change and its ledger entry commit together."""
    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if idempotency_key:
            existing = case.events.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.transition != transition:
                    raise InvalidInput(
                        [FieldError("Idempotency-Key", "idempotency_conflict", "幂等键已用于另一办理事项")]
                    )
                return existing
        if case.sealed:
            raise sealed_error()
        return _move(
            actor=actor,
            case=case,
            key=transition,
            note=(note or "").strip(),
            now=now,
            idempotency_key=idempotency_key,
        )


def case_extend(*, actor, case: Case, limit: str, days: int, reason: str, basis: str = "") -> CaseEvent:
    """Extend an extendable time limit with the head's approval (e.g. 行政处罚法 第六十条)."""
    if not (can_act(actor, case) and actor.has_role(Role.HEAD)):
        raise Forbidden("延长办案期限须经本机关负责人批准")
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        view = load(case, now=now)
        errors: list[FieldError] = []
        try:
            tl = view.defn.time_limit(limit)
        except KeyError:
            raise InvalidInput([FieldError("limit", "limit_unknown", "期限: 本程序没有该期限")]) from None
        if not tl.extendable:
            errors.append(FieldError("limit", "not_extendable", f"{tl.name}: 依法不能延长（{tl.source}）"))
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            errors.append(FieldError("days", "positive", "延长天数: 应为正整数"))
        else:
            cap = None
            if tl.extension_rule:
                from sanxiang.rules.selectors import rule_for

                cap = rule_for(tl.extension_rule, region=case.agency.region_code, on=view.today).value
            if isinstance(cap, int) and view.extensions.get(limit, 0) + days > cap:
                errors.append(
                    FieldError(
                        "days", "extension_cap", f"延长天数: 累计不得超过{cap}日（{tl.extension_source}）"
                    )
                )
        if not (reason or "").strip():
            errors.append(FieldError("reason", "required", "延长理由: 必须填写"))
        if tl.extension_needs_basis and not (basis or "").strip():
            errors.append(
                FieldError(
                    "basis", "required", f"延长依据: 须写明法律、法规、规章的规定（{tl.extension_source}）"
                )
            )
        if errors:
            raise InvalidInput(errors)
        status = deadline_for_limit(view.defn, tl, context_of(view))
        payload = {
            "limit": limit,
            "days": days,
            "reason": reason.strip(),
            "basis": (basis or "").strip(),
            "previous_due": status.due.isoformat() if status.due else None,
            "at": _iso(now),
        }
        entry = ledger.record(
            kind="cases.limit.extended", subject=_subject(case), actor=actor, payload=payload
        )
        event = CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.EXTENSION,
            payload=payload,
            note=reason.strip(),
            at=now,
            actor=actor,
            ledger_seq=entry.seq,
        )
        deadlines.refresh(load(case, now=now))
        return event


# ---------------------------------------------------------------- approvals (记录办法 第三十八条)


def _step(*, approval: Approval, role: str, actor, agree: bool, opinion: str, now) -> ApprovalStep:
    entry = ledger.record(
        kind="cases.approval.step",
        subject=_subject(approval.case),
        actor=actor,
        payload={
            "approval": str(approval.public_id),
            "kind": approval.kind,
            "role": role,
            "name": str(actor),
            "agree": agree,
            "opinion": opinion,
            "at": _iso(now),
        },
    )
    return ApprovalStep.objects.create(
        approval=approval,
        role=role,
        user=actor,
        name=str(actor),
        agree=agree,
        opinion=opinion,
        at=now,
        ledger_seq=entry.seq,
    )


def approval_submit(*, actor, case: Case, kind: str, reason: str, opinion: str) -> Approval:
    """承办人 proposes (his opinion and reasons); the approval then waits for the 审核人."""
    _require_actor(actor, case)
    now = clock.now()
    with transaction.atomic():
        case = _lock(case)
        if case.sealed:
            raise sealed_error()
        view = load(case, now=now)
        spec = view.defn.records().get(kind)
        if spec is None or not is_approval_record(case.procedure, kind):
            raise InvalidInput([FieldError("kind", "approval_kind", "审批事项: 本程序没有该审批")])
        stage = view.defn.stage(case.stage)
        if kind not in {r.key for r in stage.records} and kind not in _owed_records(view):
            raise TransitionRefused(
                [FieldError("kind", "record_not_in_stage", f"{spec.name}: 不是“{stage.name}”环节的审批")],
                code="record_refused",
                title="当前环节不能提请该审批",
            )
        if actor.officer_id is None or not case.case_officers.filter(officer_id=actor.officer_id).exists():
            raise Forbidden(f"承办人: 应为本案办案人员（{JL}第三十八条）")
        if case.approvals.filter(
            kind=kind, status__in=[Approval.Status.REVIEWING, Approval.Status.APPROVING]
        ).exists():
            raise TransitionRefused(
                [FieldError("kind", "approval_open", f"{spec.name}: 已有审批在办理中")], code="approval_open"
            )
        errors = []
        if not (reason or "").strip():
            errors.append(FieldError("reason", "required", f"理由: 承办人应提出意见和理由（{JL}第三十八条）"))
        if not (opinion or "").strip():
            errors.append(FieldError("opinion", "required", f"承办人意见: 必须填写（{JL}第三十八条）"))
        if errors:
            raise InvalidInput(errors)
        approval = Approval.objects.create(
            case=case, kind=kind, payload={"reason": reason.strip()}, created_at=now
        )
        _step(
            approval=approval,
            role=ApprovalStep.Role.HANDLER,
            actor=actor,
            agree=True,
            opinion=opinion.strip(),
            now=now,
        )
        return approval


def _approval_locked(approval: Approval) -> tuple[Approval, Case]:
    case = _lock(approval.case)
    return Approval.objects.select_for_update().get(pk=approval.pk), case


def approval_review(*, actor, approval: Approval, agree: bool, opinion: str) -> Approval:
    """审核人 reviews; must not be the 承办人 (《松原市行政执法全过程记录实施办法》第三十八条)."""
    _require_member(actor, approval.case)
    now = clock.now()
    with transaction.atomic():
        approval, _case = _approval_locked(approval)
        if approval.status != Approval.Status.REVIEWING:
            raise TransitionRefused(
                [FieldError("approval", "not_reviewing", "审批: 不在待审核状态")], code="approval_state"
            )
        errors = _opinion_errors(opinion)
        if approval.steps.filter(user=actor).exists():
            errors.append(
                FieldError("actor", "distinct_people", f"审核人: 不能由承办人担任（{JL}第三十八条）")
            )
        if errors:
            raise InvalidInput(errors)
        _step(
            approval=approval,
            role=ApprovalStep.Role.REVIEWER,
            actor=actor,
            agree=bool(agree),
            opinion=opinion.strip(),
            now=now,
        )
        approval.status = Approval.Status.APPROVING if agree else Approval.Status.REJECTED
        approval.save(update_fields=["status"])
        return approval


def approval_decide(*, actor, approval: Approval, agree: bool, opinion: str) -> Approval:
    """批准人 (the agency's head) approves or not; approval writes the approval record to the case."""
    _require_member(actor, approval.case)
    if not actor.has_role(Role.HEAD):
        raise Forbidden(f"批准人: 应为本机关负责人（{JL}第八条、第三十八条）")
    now = clock.now()
    with transaction.atomic():
        approval, case = _approval_locked(approval)
        if approval.status != Approval.Status.APPROVING:
            raise TransitionRefused(
                [FieldError("approval", "not_approving", "审批: 不在待批准状态（须先经审核人审核）")],
                code="approval_state",
            )
        if case.sealed:
            raise sealed_error()
        errors = _opinion_errors(opinion)
        if approval.steps.filter(user=actor).exists():
            errors.append(
                FieldError("actor", "distinct_people", f"批准人: 不能由承办人或审核人担任（{JL}第三十八条）")
            )
        if errors:
            raise InvalidInput(errors)
        step = _step(
            approval=approval,
            role=ApprovalStep.Role.APPROVER,
            actor=actor,
            agree=bool(agree),
            opinion=opinion.strip(),
            now=now,
        )
        if not agree:
            approval.status = Approval.Status.REJECTED
            approval.save(update_fields=["status"])
            return approval
        steps = {s.role: s for s in approval.steps.all()}
        payload = {
            "reason": approval.payload.get("reason", ""),
            **{role: {"name": s.name, "opinion": s.opinion, "at": _iso(s.at)} for role, s in steps.items()},
        }
        record = _write_record(
            actor=actor,
            case=case,
            kind=approval.kind,
            payload=payload,
            made_at=step.at,
            now=now,
            extra={"approval": str(approval.public_id)},
        )
        approval.status = Approval.Status.APPROVED
        approval.record = record
        approval.save(update_fields=["status", "record"])
        return approval


def _require_member(actor, case: Case) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.agency_id == case.agency_id):
        raise Forbidden("只有本机关工作人员可以审核、批准")


def _opinion_errors(opinion: str) -> list[FieldError]:
    if not (opinion or "").strip():
        return [FieldError("opinion", "required", f"意见: 必须填写（{JL}第三十八条）")]
    return []
