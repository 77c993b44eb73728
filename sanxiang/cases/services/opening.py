"""Opening a case and assigning its officers (行政处罚法 第四十二条; 《松原市行政执法全过程记录实施办法》第八至十条)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.cases import clock, deadlines
from sanxiang.cases.context import load
from sanxiang.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseOfficer,
    CaseParty,
    CaseSource,
)
from sanxiang.cases.services.common import (
    JL,
    WRITE_ROLES,
    _iso,
    _lock,
    _require_actor,
    _subject,
    sealed_error,
)
from sanxiang.cases.services.records import _officers_minimum, _write_record
from sanxiang.cases.services.transitions import _move
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.procedures import registry
from sanxiang.registry.models import Officer, Party
from sanxiang.registry.services import officer_eligibility
from sanxiang.registry.validators import region_contains

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
