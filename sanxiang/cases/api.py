"""Case endpoints: open, list, detail with timeline, records (with uploads), transitions, approvals,
extensions and deadlines. Thin: every rule lives in services; every read is scoped by selectors.

State-changing calls are idempotent under retry: send an ``Idempotency-Key`` header (cases,
records, transitions) — the approval steps are naturally idempotent (one step per role).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sanxiang.api.boundary import loads_json
from sanxiang.api.common import idempotency_key, local_iso
from sanxiang.api.pagination import Pagination, paginate
from sanxiang.cases import selectors, services
from sanxiang.cases.models import Approval, Case, CaseRecord
from sanxiang.cases.specs import fields_for
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.procedures import registry
from sanxiang.registry.selectors import visible_officers

router = Router(tags=["cases 案件办理"])


# ---------------------------------------------------------------- schemas


class CaseFields(Schema):
    id: UUID
    number: str
    title: str
    procedure: str
    procedure_name: str
    stage: str
    stage_name: str
    agency_id: UUID
    agency_name: str
    source: str
    is_emergency: bool
    opened_at: str
    sealed_at: str | None


def _case_dict(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "number": case.number,
        "title": case.title,
        "procedure": case.procedure,
        "procedure_name": selectors.procedure_name(case.procedure),
        "stage": case.stage,
        "stage_name": selectors.stage_name(case.procedure, case.stage),
        "agency_id": case.agency.public_id,
        "agency_name": case.agency.name,
        "source": case.source,
        "is_emergency": case.is_emergency,
        "opened_at": local_iso(case.opened_at),
        "sealed_at": local_iso(case.sealed_at),
    }


class CaseOut(Schema):
    id: UUID
    number: str
    title: str
    procedure: str
    procedure_name: str
    stage: str
    stage_name: str
    agency_id: UUID
    agency_name: str
    source: str
    is_emergency: bool
    opened_at: str
    sealed_at: str | None

    @staticmethod
    def resolve_id(obj: Case) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_procedure_name(obj: Case) -> str:
        return selectors.procedure_name(obj.procedure)

    @staticmethod
    def resolve_stage_name(obj: Case) -> str:
        return selectors.stage_name(obj.procedure, obj.stage)

    @staticmethod
    def resolve_agency_id(obj: Case) -> UUID:
        return obj.agency.public_id

    @staticmethod
    def resolve_agency_name(obj: Case) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_opened_at(obj: Case) -> str:
        return local_iso(obj.opened_at)

    @staticmethod
    def resolve_sealed_at(obj: Case) -> str | None:
        return local_iso(obj.sealed_at)


class PartyIn(Schema):
    kind: str
    name: str
    id_type: str = ""
    id_number: str = ""
    birth_date: dt.date | None = None
    credit_code: str = ""
    legal_representative: str = ""
    phone: str = ""
    address: str = ""


class CaseIn(Schema):
    procedure: str
    title: str
    source: str
    officers: list[UUID]
    parties: list[PartyIn]
    source_detail: str = ""
    reporter_name: str = ""
    reporter_contact: str = ""
    reporter_named: bool = False
    is_emergency: bool = False
    emergency_reason: str = ""
    matter_code: str = ""
    category: str = ""
    region_code: str = ""


class OfficerPresentIn(Schema):
    officer: UUID
    shown: bool | None = None


class RecordIn(Schema):
    kind: str
    payload: dict[str, Any] = {}
    made_at: dt.datetime | None = None
    blobs: list[str] = []
    officers: list[OfficerPresentIn] = []
    party_refused_to_sign: bool = False
    party_refused_to_cooperate: bool = False
    refusal_note: str = ""
    corrects: UUID | None = None
    correction_reason: str = ""
    device: UUID | None = None  # the recording device (执法记录设备台账) it was made with
    # A record saved from values another app offered (POST /api/assist/drafts gives both): the record
    # keeps each offered field's origin and whether it was changed, and the offer is answered.
    offer_from: str = ""
    offer_ref: str = ""


class RecordOut(Schema):
    id: UUID
    kind: str
    name: str
    stage: str
    payload: dict[str, Any]
    officers: list[dict[str, Any]]
    blobs: list[str]
    has_av: bool
    made_at: str
    uploaded_at: str
    late_upload: bool
    party_refused_to_sign: bool
    party_refused_to_cooperate: bool
    refusal_note: str
    corrects: UUID | None
    correction_reason: str
    made_by: str
    ledger_seq: int
    # For a record saved from offered values (the drafted decision, ?from=assist-draft): which
    # provider offered them and, per field, its origin, the value offered and whether it was changed.
    origins: dict[str, Any]


def _record_out(r: CaseRecord, procedure: str) -> dict[str, Any]:
    spec = registry.get(procedure).records().get(r.kind)
    return {
        "id": r.public_id,
        "kind": r.kind,
        "name": spec.name if spec else r.kind,
        "stage": r.stage,
        "payload": r.payload,
        "officers": r.officers,
        "blobs": r.blob_hashes,
        "has_av": r.has_av,
        "made_at": local_iso(r.made_at),
        "uploaded_at": local_iso(r.uploaded_at),
        "late_upload": r.late_upload,
        "party_refused_to_sign": r.party_refused_to_sign,
        "party_refused_to_cooperate": r.party_refused_to_cooperate,
        "refusal_note": r.refusal_note,
        "corrects": r.corrects.public_id if r.corrects_id else None,
        "correction_reason": r.correction_reason,
        "made_by": str(r.made_by),
        "ledger_seq": r.ledger_seq,
        "origins": r.origins or {},
    }


class TransitionIn(Schema):
    transition: str
    note: str = ""


class UnmetOut(Schema):
    field: str
    rule: str
    message: str
    source: str


class OptionOut(Schema):
    transition: str
    name: str
    target: str
    target_name: str
    allowed: bool
    missing: list[UnmetOut]


class PauseOut(Schema):
    key: str
    name: str
    start: str
    end: str | None
    days: int
    source: str


class DeadlineOut(Schema):
    key: str
    name: str
    kind: str
    period: str
    source: str
    state: str
    state_label: str
    started: str | None
    due: str | None
    done: str | None
    provisional: bool
    extended_by: int
    paused_days: int
    pauses: list[PauseOut]


class EventOut(Schema):
    id: UUID
    transition: str
    from_stage: str
    to_stage: str
    stage: str
    at: str
    ledger_seq: int


class ApprovalIn(Schema):
    kind: str
    reason: str
    opinion: str


class StepIn(Schema):
    agree: bool
    opinion: str


class ApprovalOut(Schema):
    id: UUID
    kind: str
    status: str
    reason: str
    record_id: UUID | None
    steps: list[dict[str, Any]]


def _approval_out(a: Approval) -> dict[str, Any]:
    return {
        "id": a.public_id,
        "kind": a.kind,
        "status": a.status,
        "reason": a.payload.get("reason", ""),
        "record_id": a.record.public_id if a.record_id else None,
        "steps": [
            {
                "role": s.role,
                "role_name": s.get_role_display(),
                "name": s.name,
                "agree": s.agree,
                "opinion": s.opinion,
                "at": local_iso(s.at),
                "ledger_seq": s.ledger_seq,
            }
            for s in a.steps.all()
        ],
    }


class OfficerIn(Schema):
    officer: UUID


class CaseExtensionIn(Schema):
    limit: str
    days: int
    reason: str
    basis: str = ""


class CaseBlobOut(Schema):
    sm3: str
    sha256: str
    size: int
    media_type: str


class CaseDetailOut(CaseFields):
    category: str
    region_code: str
    matter: dict[str, Any] | None
    source_detail: str
    reporter_named: bool
    emergency_reason: str
    officers: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    transitions: list[OptionOut]
    deadlines: list[DeadlineOut]
    approvals: list[ApprovalOut]
    major_criteria: list[dict[str, Any]]
    surcharge: str | None
    record_kinds: list[dict[str, Any]]


# ---------------------------------------------------------------- helpers


def _options(detail) -> list[dict[str, Any]]:
    return [
        {
            "transition": o.key,
            "name": o.name,
            "target": o.target,
            "target_name": o.target_name,
            "allowed": o.allowed,
            "missing": [
                {"field": u.field, "rule": u.rule, "message": u.message, "source": u.source} for u in o.unmet
            ],
        }
        for o in detail.options
    ]


def _deadlines(statuses) -> list[dict[str, Any]]:
    return [
        {
            "key": d.key,
            "name": d.limit.name,
            "kind": str(d.limit.kind),
            "period": d.period_label,
            "source": d.source,
            "state": d.state,
            "state_label": d.state_label,
            "started": local_iso(d.started),
            "due": local_iso(d.due),
            "done": local_iso(d.done),
            "provisional": d.provisional,
            "extended_by": d.extended_by,
            "paused_days": d.paused_days,
            "pauses": [
                {
                    "key": p.pause.key,
                    "name": p.pause.name,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None,
                    "days": p.days,
                    "source": p.source,
                }
                for p in d.pauses
            ],
        }
        for d in statuses
    ]


def _field_dict(f) -> dict[str, Any]:
    return {
        "name": f.name,
        "label": f.label,
        "type": f.type,
        "required": f.required,
        "choices": [list(c) for c in f.choices],
        "help": f.help,
    }


def _detail_out(request, case: Case) -> dict[str, Any]:
    d = selectors.case_detail(request.auth, case)
    base = _case_dict(case)
    return {
        **base,
        "category": case.category,
        "region_code": case.region_code,
        "matter": {"code": case.matter_code, "name": case.matter_name} if case.matter_code else None,
        "source_detail": case.source_detail,
        "reporter_named": case.reporter_named,
        "emergency_reason": case.emergency_reason,
        "officers": [
            {
                "id": o.officer.public_id,
                "name": o.name,
                "credential_number": o.credential_number,
                "lead": o.lead,
                "credential_valid": o in d.view.valid_officers(),
            }
            for o in d.view.officers
        ],
        "parties": [{"id": p.public_id, "kind": p.kind, "name": p.name} for p in d.view.parties],
        "timeline": [
            {
                "at": local_iso(i.at),
                "type": i.type,
                "title": i.title,
                "actor": i.actor,
                "ledger_seq": i.ledger_seq,
                "verification": i.verification,
                "checkpoint": i.checkpoint_size if i.verified else None,
                "record_id": i.record.public_id if i.record else None,
                "late_upload": bool(i.record and i.record.late_upload),
                **({"superseded": i.detail["superseded"]} if i.type == "record" else {}),
            }
            for i in d.timeline
        ],
        "transitions": _options(d),
        "deadlines": _deadlines(d.deadlines),
        "approvals": [_approval_out(a) for a in d.approvals],
        "major_criteria": [
            {"code": m.code, "description": m.description, "source": m.source, "statutory": m.statutory}
            for m in d.major
        ],
        "surcharge": str(d.surcharge) if d.surcharge is not None else None,
        "record_kinds": [
            {
                **{k: v for k, v in rk.items() if k != "fields"},
                "fields": [_field_dict(f) for f in rk["fields"]],
            }
            for rk in d.record_kinds
        ],
    }


# ---------------------------------------------------------------- endpoints


@router.get("/", response=list[CaseOut], summary="案件列表（按权限范围）")
@paginate(Pagination, page_size=50)
def list_cases(request, stage: str = "", procedure: str = "", mine: bool = False, open: bool = False):
    qs = selectors.my_open_cases(request.auth) if mine else selectors.visible_cases(request.auth)
    if stage:
        qs = qs.filter(stage=stage)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if open:
        qs = qs.filter(sealed_at__isnull=True)
    return qs.order_by("-opened_at", "-pk")


@router.post("/", response={201: CaseDetailOut}, summary="登记案件（含紧急先行启动）")
def open_case(request, body: CaseIn):
    officers = []
    errors = []
    scope = visible_officers(request.auth)
    found = {o.public_id: o for o in scope.filter(public_id__in=body.officers)}
    for i, oid in enumerate(body.officers):
        if oid not in found:
            errors.append(FieldError(f"officers[{i}]", "exists", "执法人员: 不存在或不是本机关人员"))
        else:
            officers.append(found[oid])
    if errors:
        raise InvalidInput(errors)
    case = services.case_open(
        actor=request.auth,
        procedure=body.procedure,
        title=body.title,
        source=body.source,
        officers=officers,
        parties=[p.dict() for p in body.parties],
        source_detail=body.source_detail,
        reporter_name=body.reporter_name,
        reporter_contact=body.reporter_contact,
        reporter_named=body.reporter_named,
        is_emergency=body.is_emergency,
        emergency_reason=body.emergency_reason,
        matter_code=body.matter_code,
        category=body.category,
        region_code=body.region_code,
        idempotency_key=idempotency_key(request),
    )
    return Status(201, _detail_out(request, selectors.case_for(request.auth, case.public_id)))


@router.get("/record-kinds", summary="各程序的记录类型及其表单字段")
def record_kinds(request, procedure: str):
    try:
        defn = registry.get(procedure)
    except KeyError:
        raise InvalidInput([FieldError("procedure", "procedure_unknown", "执法程序: 不存在")]) from None
    return [
        {
            "stage": s.key,
            "stage_name": s.name,
            "records": [
                {
                    "key": r.key,
                    "name": r.name,
                    "source": r.source,
                    "av_required": r.av_required,
                    "fields": [_field_dict(f) for f in fields_for(r.key)],
                }
                for r in s.records
            ],
        }
        for s in defn.stages
    ]


@router.post("/blobs", response={201: CaseBlobOut}, summary="上传存证文件（流式、按 SM3 内容寻址）")
def upload_blob(request, file: UploadedFile = File(...), expected_sm3: str = Form("")):  # noqa: B008
    from sanxiang.ledger.blobs import blob_ingest

    if not (request.auth.agency_id and any(request.auth.has_role(r) for r in services.WRITE_ROLES)):
        raise services.Forbidden("只有执法人员或负责人可以上传存证文件")
    blob = blob_ingest(
        stream=file.chunks(),
        expected_sm3=expected_sm3,
        media_type=file.content_type or "application/octet-stream",
        actor=request.auth,
    )
    return Status(201, blob)


@router.get("/{case_id}", response=CaseDetailOut, summary="案件详情（全过程时间线、可办事项、期限）")
def get_case(request, case_id: UUID):
    return _detail_out(request, selectors.case_for(request.auth, case_id))


class DecisionLineOut(Schema):
    category: str
    category_name: str
    kind: str
    kind_name: str
    amount: str | None  # yuan, decimal string


class DecisionPartyOut(Schema):
    party_id: UUID
    name: str
    lines: list[DecisionLineOut]


class DecisionChangeOut(Schema):
    id: UUID
    ground: str
    by: str
    occurred_on: str
    document_number: str
    explanation: str


class CaseDecisionOut(Schema):
    id: UUID
    kind: str
    kind_name: str
    procedure: str
    decided_on: str
    document_number: str
    record_id: UUID
    discloses: str
    granted: bool | None
    licence_category: str
    licence_name: str
    licence_number: str
    valid_from: str | None
    valid_until: str | None
    problems_found: bool | None
    severity: str
    parties: list[DecisionPartyOut]
    lines: list[DecisionLineOut]  # lines without a party (a decision with no party)
    corrects: UUID | None
    correction_reason: str
    current: bool
    changes: list[DecisionChangeOut]
    made_at: str


def _line_out(line) -> dict[str, Any]:
    from sanxiang.cases.specs import line_kind_name

    return {
        "category": line.category,
        "category_name": line.get_category_display(),
        "kind": line.kind,
        "kind_name": line_kind_name(line.category, line.kind),
        "amount": str(line.amount) if line.amount is not None else None,
    }


def _decision_out(d, corrected: set[int]) -> dict[str, Any]:
    lines = list(d.lines.all())
    return {
        "id": d.public_id,
        "kind": d.kind,
        "kind_name": d.get_kind_display(),
        "procedure": d.procedure,
        "decided_on": d.decided_on.isoformat(),
        "document_number": d.document_number,
        "record_id": d.record.public_id,
        "discloses": d.discloses,
        "granted": d.granted,
        "licence_category": d.licence_category,
        "licence_name": d.licence_name,
        "licence_number": d.licence_number,
        "valid_from": d.valid_from.isoformat() if d.valid_from else None,
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
        "problems_found": d.problems_found,
        "severity": d.severity,
        "parties": [
            {
                "party_id": dp.party.public_id,
                "name": dp.party.name,
                "lines": [_line_out(line) for line in lines if line.party_id == dp.party_id],
            }
            for dp in d.decision_parties.all()
        ],
        "lines": [_line_out(line) for line in lines if line.party_id is None],
        "corrects": d.corrects.public_id if d.corrects else None,
        "correction_reason": d.correction_reason,
        "current": d.pk not in corrected,
        "changes": [
            {
                "id": c.public_id,
                "ground": c.ground,
                "by": c.by,
                "occurred_on": c.occurred_on.isoformat(),
                "document_number": c.document_number,
                "explanation": c.explanation,
            }
            for c in d.changes.all()
        ],
        "made_at": local_iso(d.made_at),
    }


def _decisions_out(case: Case) -> list[dict[str, Any]]:
    rows = selectors.case_decisions(case)
    corrected = {d.corrects_id for d in rows if d.corrects_id}
    return [_decision_out(d, corrected) for d in rows]


@router.get("/{case_id}/decisions", response=list[CaseDecisionOut], summary="执法决定（含更正和变更）")
def list_decisions(request, case_id: UUID):
    return _decisions_out(selectors.case_for(request.auth, case_id))


@router.get("/{case_id}/decision", response=CaseDecisionOut, summary="现行执法决定（种类、数额、当事人）")
def get_decision(request, case_id: UUID):
    found = [d for d in _decisions_out(selectors.case_for(request.auth, case_id)) if d["current"]]
    if not found:
        from sanxiang.errors import NotFound

        raise NotFound("decision")
    return found[-1]


@router.get("/{case_id}/records", response=list[RecordOut], summary="案件记录")
@paginate(Pagination, page_size=100)
def list_records(request, case_id: UUID):
    case = selectors.case_for(request.auth, case_id)
    rows = case.records.select_related("made_by", "corrects").order_by("made_at", "pk")
    return [_record_out(r, case.procedure) for r in rows]


def _add(request, case: Case, body: RecordIn):
    record = services.record_add(
        actor=request.auth,
        case=case,
        kind=body.kind,
        payload=body.payload,
        made_at=body.made_at,
        blobs=body.blobs,
        officers=[
            {"officer": str(o.officer), **({"shown": o.shown} if o.shown is not None else {})}
            for o in body.officers
        ],
        party_refused_to_sign=body.party_refused_to_sign,
        party_refused_to_cooperate=body.party_refused_to_cooperate,
        refusal_note=body.refusal_note,
        corrects=body.corrects,
        correction_reason=body.correction_reason,
        device=body.device,
        idempotency_key=idempotency_key(request),
        offer=_offer(request, case, body),
    )
    return Status(201, _record_out(record, case.procedure))


def _offer(request, case: Case, body: RecordIn):
    if not body.offer_from and not body.offer_ref:
        return None
    from sanxiang.cases import prefill
    from sanxiang.cases.context import load

    offer = prefill.recalled(load(case), body.offer_from, body.offer_ref, user=request.auth)
    if offer is None:
        raise InvalidInput([FieldError("offer_ref", "exists", "填入的草稿: 未找到本人在本案的该份草稿")])
    return offer


@router.post("/{case_id}/records", response={201: RecordOut}, summary="制作记录（引用已上传的存证文件）")
def add_record(request, case_id: UUID, body: RecordIn):
    return _add(request, selectors.case_for(request.auth, case_id), body)


@router.post(
    "/{case_id}/records/upload", response={201: RecordOut}, summary="制作记录并上传文件（multipart）"
)
def add_record_upload(request, case_id: UUID, data: str = Form(...), files: list[UploadedFile] = File(...)):  # noqa: B008
    from sanxiang.ledger.blobs import ingest_for_record

    case = selectors.case_for(request.auth, case_id)
    if not services.can_act(request.auth, case):
        raise services.Forbidden("只有本机关的执法人员或负责人可以办理本案")
    try:
        body = RecordIn(**loads_json(data, field="data"))
    except InvalidInput:
        raise
    except (ValueError, TypeError) as exc:
        raise InvalidInput([FieldError("data", "json", f"data: 应为记录的 JSON（{exc}）")]) from exc
    # The files are staged and become blobs only together with the record: a refused record keeps none.
    with ingest_for_record(actor=request.auth, files=files) as uploaded:
        body.blobs = list(dict.fromkeys([*body.blobs, *uploaded]))
        return _add(request, case, body)


@router.get("/{case_id}/records/{record_id}", response=RecordOut, summary="记录详情")
def get_record(request, case_id: UUID, record_id: UUID):
    case = selectors.case_for(request.auth, case_id)
    return _record_out(selectors.record_for(case, record_id), case.procedure)


@router.get("/{case_id}/transitions", response=list[OptionOut], summary="可办事项及尚缺条件")
def list_transitions(request, case_id: UUID):
    return _options(selectors.case_detail(request.auth, selectors.case_for(request.auth, case_id)))


@router.post(
    "/{case_id}/transitions",
    response={201: EventOut},
    summary="办理环节变更（不符合条件的返回 409 并列明依据）",
)
def transition(request, case_id: UUID, body: TransitionIn):
    case = selectors.case_for(request.auth, case_id)
    event = services.case_transition(
        actor=request.auth,
        case=case,
        transition=body.transition,
        note=body.note,
        idempotency_key=idempotency_key(request),
    )
    case.refresh_from_db(fields=["stage"])
    return Status(
        201,
        {
            "id": event.public_id,
            "transition": event.transition,
            "from_stage": event.from_stage,
            "to_stage": event.to_stage,
            "stage": case.stage,
            "at": local_iso(event.at),
            "ledger_seq": event.ledger_seq,
        },
    )


@router.get("/{case_id}/deadlines", response=list[DeadlineOut], summary="办案期限")
def deadlines(request, case_id: UUID):
    return _deadlines(selectors.case_deadlines(selectors.case_for(request.auth, case_id)))


@router.get("/{case_id}/approvals", response=list[ApprovalOut], summary="内部审批（承办人、审核人、批准人）")
def list_approvals(request, case_id: UUID):
    case = selectors.case_for(request.auth, case_id)
    return [_approval_out(a) for a in case.approvals.select_related("record").prefetch_related("steps")]


@router.post("/{case_id}/approvals", response={201: ApprovalOut}, summary="承办人提请审批")
def submit_approval(request, case_id: UUID, body: ApprovalIn):
    case = selectors.case_for(request.auth, case_id)
    approval = services.approval_submit(
        actor=request.auth, case=case, kind=body.kind, reason=body.reason, opinion=body.opinion
    )
    return Status(201, _approval_out(approval))


def _step_call(request, case_id: UUID, approval_id: UUID, body: StepIn, fn, role: str):
    case = selectors.case_for(request.auth, case_id)
    approval = selectors.approval_for(request.auth, case, approval_id)
    done = approval.steps.filter(role=role, user=request.auth).first()
    if done is not None and done.agree == body.agree:  # a retry of the same step
        return _approval_out(approval)
    return _approval_out(fn(actor=request.auth, approval=approval, agree=body.agree, opinion=body.opinion))


@router.post("/{case_id}/approvals/{approval_id}/review", response=ApprovalOut, summary="审核人审核")
def review_approval(request, case_id: UUID, approval_id: UUID, body: StepIn):
    return _step_call(request, case_id, approval_id, body, services.approval_review, "reviewer")


@router.post("/{case_id}/approvals/{approval_id}/decide", response=ApprovalOut, summary="批准人批准")
def decide_approval(request, case_id: UUID, approval_id: UUID, body: StepIn):
    return _step_call(request, case_id, approval_id, body, services.approval_decide, "approver")


@router.post("/{case_id}/officers", response={201: dict}, summary="指派办案人员")
def assign_officer(request, case_id: UUID, body: OfficerIn):
    case = selectors.case_for(request.auth, case_id)
    officer = visible_officers(request.auth).filter(public_id=body.officer).first()
    if officer is None:
        raise InvalidInput([FieldError("officer", "exists", "执法人员: 不存在或不是本机关人员")])
    row = services.case_assign_officer(actor=request.auth, case=case, officer=officer)
    return Status(
        201, {"officer": officer.public_id, "name": row.name, "credential_number": row.credential_number}
    )


@router.post("/{case_id}/extensions", response={201: dict}, summary="延长办案期限（负责人批准）")
def extend(request, case_id: UUID, body: CaseExtensionIn):
    case = selectors.case_for(request.auth, case_id)
    event = services.case_extend(
        actor=request.auth, case=case, limit=body.limit, days=body.days, reason=body.reason, basis=body.basis
    )
    return Status(201, {"id": event.public_id, **event.payload, "ledger_seq": event.ledger_seq})
