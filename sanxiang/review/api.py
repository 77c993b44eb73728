"""Legal-review endpoints (《松原市重大行政执法决定法制审核办法》): submit, queue, materials, checklist, opinion and
its document, materials requests, reassignment and advisers, extensions, disagreements, collective
discussion, rounds side by side, statistics. Thin: rules live in services, reads in selectors.

Submitting is idempotent with an ``Idempotency-Key`` header; every other write has a natural key
(one opinion, extension, disagreement, ruling and discussion per round; a repeated checklist mark
returns the mark it repeats).
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from sanxiang.api.common import idempotency_key, local_iso
from sanxiang.api.pagination import Pagination, paginate
from sanxiang.cases.selectors import case_for
from sanxiang.errors import NotFound
from sanxiang.registry.selectors import visible_reviewers
from sanxiang.review import selectors, services
from sanxiang.review.models import ReviewRound

router = Router(tags=["review 法制审核"])
# The statistics' year: a calendar year the platform can hold (datetime's range, and no earlier than 1990).
YEAR_MIN, YEAR_MAX = 1990, 9998


# ---------------------------------------------------------------- schemas


class RoundFields(Schema):
    id: UUID
    review_id: UUID
    case_id: UUID
    case_number: str
    case_title: str
    agency_name: str
    legal_office_name: str
    number: int
    status: str
    status_name: str
    voluntary: bool
    criteria: list[dict[str, Any]]
    proposal: dict[str, Any]
    submitted_at: str
    complete_at: str | None
    due_date: str
    deadline_days: int
    provisional: bool
    overdue: bool


class RoundOut(RoundFields):
    @staticmethod
    def resolve_id(r: ReviewRound):
        return r.public_id

    @staticmethod
    def resolve_review_id(r: ReviewRound):
        return r.review.public_id

    @staticmethod
    def resolve_case_id(r: ReviewRound):
        return r.review.case.public_id

    @staticmethod
    def resolve_case_number(r: ReviewRound):
        return r.review.case.number

    @staticmethod
    def resolve_case_title(r: ReviewRound):
        return r.review.case.title

    @staticmethod
    def resolve_agency_name(r: ReviewRound):
        return r.review.agency.name

    @staticmethod
    def resolve_legal_office_name(r: ReviewRound):
        return r.review.legal_office.name

    @staticmethod
    def resolve_status_name(r: ReviewRound):
        return str(r.get_status_display())

    @staticmethod
    def resolve_submitted_at(r: ReviewRound):
        return local_iso(r.submitted_at)

    @staticmethod
    def resolve_complete_at(r: ReviewRound):
        return local_iso(r.complete_at)

    @staticmethod
    def resolve_due_date(r: ReviewRound):
        return r.due_date.isoformat()

    @staticmethod
    def resolve_deadline_days(r: ReviewRound):
        return r.days

    @staticmethod
    def resolve_overdue(r: ReviewRound):
        return r.status == ReviewRound.Status.REVIEWING and selectors.today() > r.due_date


class RoundDetailOut(RoundFields):
    explanation: list[dict[str, Any]]
    materials: dict[str, Any]
    checklist: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    reviewer: str | None
    material_requests: list[dict[str, Any]]
    opinion: dict[str, Any] | None
    extension: dict[str, Any] | None
    disagreement: dict[str, Any] | None
    discussion: dict[str, Any] | None


def _round_dict(r: ReviewRound) -> dict[str, Any]:
    return {
        name: getattr(RoundOut, f"resolve_{name}")(r)
        if hasattr(RoundOut, f"resolve_{name}")
        else getattr(r, name)
        for name in RoundFields.model_fields
    }


def _detail(r: ReviewRound) -> dict[str, Any]:
    d = selectors.round_detail(r)
    base = _round_dict(r)
    o, e, er, g, gr, c = (
        d["opinion"],
        d["extension"],
        d["extension_ruling"],
        d["disagreement"],
        d["disagreement_ruling"],
        d["discussion"],
    )
    return {
        **base,
        "explanation": d["explanation"],
        "materials": r.materials,
        "checklist": [{**i, "at": local_iso(i["at"])} for i in d["checklist"]],
        "assignments": [
            {
                "id": str(a.public_id),
                "role": a.role,
                "name": a.name,
                "registration_role": a.registration.role,
                "reason": a.reason,
                "at": local_iso(a.at),
            }
            for a in d["assignments"]
        ],
        "reviewer": d["reviewer"].name if d["reviewer"] else None,
        "material_requests": [
            {
                "id": str(m.public_id),
                "items": m.items,
                "due_on": m.due_on.isoformat(),
                "note": m.note,
                "at": local_iso(m.at),
                "supplied_at": local_iso(m.supplement.at) if hasattr(m, "supplement") else None,
            }
            for m in d["material_requests"]
        ],
        "opinion": None
        if o is None
        else {
            "id": str(o.public_id),
            "outcome": o.outcome,
            "outcome_name": str(o.get_outcome_display()),
            "reasons": o.reasons,
            "amend_points": o.amend_points,
            "transfer_to": o.transfer_to,
            "document_sm3": o.document_sm3,
            "overdue": o.overdue,
            "at": local_iso(o.at),
        },
        "extension": None
        if e is None
        else {
            "id": str(e.public_id),
            "days": e.days,
            "reason": e.reason,
            "at": local_iso(e.at),
            "ruling": None
            if er is None
            else {"approved": er.approved, "days": er.days, "note": er.note, "at": local_iso(er.at)},
        },
        "disagreement": None
        if g is None
        else {
            "id": str(g.public_id),
            "handler_opinion": g.handler_opinion,
            "consultation": g.consultation,
            "review_opinion": o.reasons if o else "",
            "at": local_iso(g.at),
            "ruling": None if gr is None else {"side": gr.side, "note": gr.note, "at": local_iso(gr.at)},
        },
        "discussion": None
        if c is None
        else {
            "id": str(c.public_id),
            "held_on": c.held_on.isoformat(),
            "presided_by": c.presided_by,
            "participants": c.participants,
            "minutes": c.minutes,
            "conclusion": c.conclusion,
        },
    }


class SubmitIn(Schema):
    case: UUID
    explanation: dict[str, str]
    draft_decision: str = ""
    draft_decision_blob: str = ""
    evidence: list[UUID] | None = None
    assessment_held: bool = False
    assessment_report_blob: str = ""
    other_blobs: list[str] = []
    voluntary_reason: str = ""


class MarkIn(Schema):
    item: str
    passed: bool
    note: str


class OpinionIn(Schema):
    outcome: str
    reasons: str
    amend_points: list[str] = []
    transfer_to: str = ""


class MaterialsRequestIn(Schema):
    items: list[str]
    due_on: dt.date
    note: str = ""


class SupplyIn(Schema):
    note: str
    blobs: list[str] = []
    records: list[UUID] = []


class ReassignIn(Schema):
    registration: UUID | None = None
    reason: str


class AdviserIn(Schema):
    registration: UUID
    reason: str = ""


class ReviewExtensionIn(Schema):
    days: int
    reason: str


class ExtensionRulingIn(Schema):
    approved: bool
    days: int | None = None
    note: str = ""


class DisagreementIn(Schema):
    handler_opinion: str
    consultation: str


class DisagreementRulingIn(Schema):
    side: str
    note: str


class DiscussionIn(Schema):
    held_on: dt.date
    presided_by: str
    participants: list[str]
    minutes: str
    conclusion: str


class StatsOut(Schema):
    agency_id: UUID
    agency_name: str
    count: int
    concluded: int
    passed: int
    pass_rate: float | None
    average_working_days: float | None
    overdue: int
    open: int


class CompareOut(Schema):
    case_id: UUID
    rounds: list[RoundOut]
    rows: list[dict[str, Any]]


class MaterialOut(Schema):
    id: UUID
    kind: str
    stage: str
    payload: dict[str, Any]
    blobs: list[str]
    made_at: str
    ledger_seq: int


# ---------------------------------------------------------------- reads


@router.get("/", response=list[RoundOut], summary="法制审核列表（按权限范围）")
@paginate(Pagination, page_size=50)
def list_rounds(request, status: str = "", overdue: bool = False):
    qs = selectors.overdue_rounds(request.auth) if overdue else selectors.visible_rounds(request.auth)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


@router.get("/queue", response=list[RoundOut], summary="我的审核任务（按期限）")
@paginate(Pagination, page_size=50)
def my_queue(request):
    return selectors.queue(request.auth)


@router.get("/pending", response=dict[str, list[dict[str, Any]]], summary="负责人待决事项（延期、分歧）")
def head_pending(request):
    return {
        "extensions": [
            {
                "id": str(e.public_id),
                "round": str(e.round.public_id),
                "case_number": e.round.review.case.number,
                "days": e.days,
                "reason": e.reason,
                "due_date": e.round.due_date.isoformat(),
            }
            for e in selectors.pending_extensions(request.auth)[:100]
        ],
        "disagreements": [
            {
                "id": str(d.public_id),
                "round": str(d.round.public_id),
                "case_number": d.round.review.case.number,
                "review_opinion": f"{d.round.opinion.get_outcome_display()}：{d.round.opinion.reasons}",
                "handler_opinion": d.handler_opinion,
                "consultation": d.consultation,
            }
            for d in selectors.pending_disagreements(request.auth)[:100]
        ],
    }


@router.get("/statistics", response=list[StatsOut], summary="法制审核统计（按执法主体）")
def stats(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    return [
        {
            "agency_id": s.agency.public_id,
            "agency_name": s.agency.name,
            "count": s.count,
            "concluded": s.concluded,
            "passed": s.passed,
            "pass_rate": s.pass_rate,
            "average_working_days": s.average_working_days,
            "overdue": s.overdue,
            "open": s.open,
        }
        for s in selectors.statistics(request.auth, year=year)
    ]


@router.get("/cases/{case_id}", response=CompareOut, summary="案件各轮送审对照")
def compare(request, case_id: UUID):
    rounds = selectors.rounds_of_case(request.auth, case_id)
    return {"case_id": case_id, "rounds": rounds, "rows": selectors.compare(rounds)}


@router.get("/{round_id}", response=RoundDetailOut, summary="送审详情")
def detail(request, round_id: UUID):
    return _detail(selectors.round_for(request.auth, round_id))


@router.get("/{round_id}/materials", response=list[MaterialOut], summary="调阅案卷（每次调阅记入调阅记录）")
def materials(request, round_id: UUID):
    r = selectors.round_for(request.auth, round_id)
    return [
        {
            "id": m.public_id,
            "kind": m.kind,
            "stage": m.stage,
            "payload": m.payload,
            "blobs": m.blob_hashes,
            "made_at": local_iso(m.made_at),
            "ledger_seq": m.ledger_seq,
        }
        for m in services.materials_read(actor=request.auth, round=r)
    ]


@router.get("/{round_id}/opinion/document", summary="法制审核意见书（HTML）")
def opinion_document(request, round_id: UUID):
    from sanxiang.ledger.storage import get_storage

    r = selectors.round_for(request.auth, round_id)
    opinion = getattr(r, "opinion", None) if hasattr(r, "opinion") else None
    if opinion is None:
        raise NotFound("opinion")
    body = b"".join(get_storage().read(opinion.document_sm3))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


# ---------------------------------------------------------------- writes


@router.post("/", response={201: RoundDetailOut}, summary="送审（材料不齐全的返回 422 并列明所缺材料）")
def submit(request, body: SubmitIn):
    case = case_for(request.auth, body.case)
    r = services.review_submit(
        actor=request.auth,
        case=case,
        explanation=body.explanation,
        draft_decision=body.draft_decision,
        draft_decision_blob=body.draft_decision_blob,
        evidence=[str(e) for e in body.evidence] if body.evidence is not None else None,
        assessment_held=body.assessment_held,
        assessment_report_blob=body.assessment_report_blob,
        other_blobs=body.other_blobs,
        voluntary_reason=body.voluntary_reason,
        idempotency_key=idempotency_key(request),
    )
    return Status(201, _detail(selectors.round_for(request.auth, r.public_id)))


def _round(request, round_id) -> ReviewRound:
    return selectors.round_for(request.auth, round_id)


def _fresh(request, round_id):
    return _detail(selectors.round_for(request.auth, round_id))


@router.post("/{round_id}/checklist", response={201: RoundDetailOut}, summary="逐项审核（第八条）")
def mark(request, round_id: UUID, body: MarkIn):
    services.checklist_mark(
        actor=request.auth,
        round=_round(request, round_id),
        item=body.item,
        passed=body.passed,
        note=body.note,
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/opinion", response={201: RoundDetailOut}, summary="出具审核意见（第十条）")
def opinion(request, round_id: UUID, body: OpinionIn):
    services.opinion_issue(
        actor=request.auth,
        round=_round(request, round_id),
        outcome=body.outcome,
        reasons=body.reasons,
        amend_points=body.amend_points,
        transfer_to=body.transfer_to,
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/materials-requests", response={201: RoundDetailOut}, summary="要求补充材料")
def request_materials(request, round_id: UUID, body: MaterialsRequestIn):
    services.materials_request(
        actor=request.auth,
        round=_round(request, round_id),
        items=body.items,
        due_on=body.due_on,
        note=body.note,
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/materials-supplements", response={201: RoundDetailOut}, summary="补充材料")
def supply_materials(request, round_id: UUID, body: SupplyIn):
    services.materials_supply(
        actor=request.auth,
        round=_round(request, round_id),
        note=body.note,
        blobs=body.blobs,
        records=[str(r) for r in body.records],
    )
    return Status(201, _fresh(request, round_id))


def _registration(request, public_id):
    reg = visible_reviewers(request.auth).filter(public_id=public_id).first()
    if reg is None:
        raise NotFound("registration")
    return reg


@router.post("/{round_id}/reassign", response={201: RoundDetailOut}, summary="重新指派审核人员")
def reassign(request, round_id: UUID, body: ReassignIn):
    reg = _registration(request, body.registration) if body.registration else None
    services.review_reassign(
        actor=request.auth, round=_round(request, round_id), registration=reg, reason=body.reason
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/advisers", response={201: RoundDetailOut}, summary="增加法律顾问或公职律师")
def add_adviser(request, round_id: UUID, body: AdviserIn):
    services.adviser_add(
        actor=request.auth,
        round=_round(request, round_id),
        registration=_registration(request, body.registration),
        reason=body.reason,
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/extension", response={201: RoundDetailOut}, summary="申请延长审核期限（第十一条）")
def request_extension(request, round_id: UUID, body: ReviewExtensionIn):
    services.extension_request(
        actor=request.auth, round=_round(request, round_id), days=body.days, reason=body.reason
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/extension/ruling", response={201: RoundDetailOut}, summary="负责人批准或不批准延期")
def rule_extension(request, round_id: UUID, body: ExtensionRulingIn):
    r = _round(request, round_id)
    ext = getattr(r, "extension", None) if hasattr(r, "extension") else None
    if ext is None:
        raise NotFound("extension")
    services.extension_rule(
        actor=request.auth, extension=ext, approved=body.approved, days=body.days, note=body.note
    )
    return Status(201, _fresh(request, round_id))


@router.post(
    "/{round_id}/disagreement", response={201: RoundDetailOut}, summary="承办机构提出异议（第十二条）"
)
def raise_disagreement(request, round_id: UUID, body: DisagreementIn):
    services.disagreement_raise(
        actor=request.auth,
        round=_round(request, round_id),
        handler_opinion=body.handler_opinion,
        consultation=body.consultation,
    )
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/disagreement/ruling", response={201: RoundDetailOut}, summary="负责人处理分歧")
def rule_disagreement(request, round_id: UUID, body: DisagreementRulingIn):
    r = _round(request, round_id)
    d = getattr(r, "disagreement", None) if hasattr(r, "disagreement") else None
    if d is None:
        raise NotFound("disagreement")
    services.disagreement_rule(actor=request.auth, disagreement=d, side=body.side, note=body.note)
    return Status(201, _fresh(request, round_id))


@router.post("/{round_id}/discussion", response={201: RoundDetailOut}, summary="集体讨论记录（第十三条）")
def record_discussion(request, round_id: UUID, body: DiscussionIn):
    services.discussion_record(
        actor=request.auth,
        round=_round(request, round_id),
        held_on=body.held_on,
        presided_by=body.presided_by,
        participants=body.participants,
        minutes=body.minutes,
        conclusion=body.conclusion,
    )
    return Status(201, _fresh(request, round_id))
