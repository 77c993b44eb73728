"""Disclosure endpoints: public decisions, search, log and correction requests (no login); staff duties.

Public lists page with ``page`` and return ``has_next`` instead of a total count: counting a million
matches on every search would cost more than the search itself.
"""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sanxiang.api.pagination import Pagination, paginate
from sanxiang.disclosure import fields as F
from sanxiang.disclosure import selectors, services
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.registry.selectors import agency_for, parties_for

router = Router(tags=["disclosure 公示"])


class DecisionSummaryOut(Schema):
    id: UUID
    kind: str
    document_number: str
    title: str
    agency_name: str
    decided_on: dt.date

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.source_kind


class DecisionPageOut(Schema):
    items: list[DecisionSummaryOut]
    page: int
    has_next: bool
    elapsed_ms: float


class VersionOut(Schema):
    version: int
    purpose: str
    reason: str
    published_at: dt.datetime
    record: dict

    @staticmethod
    def resolve_record(obj) -> dict:
        return obj.public


class DecisionOut(Schema):
    id: UUID
    kind: str
    version: int
    published_at: dt.datetime
    updated_at: dt.datetime
    record: dict = Field(description="双公示数据项（已去标识化）；金额单位为元")
    history: list[VersionOut]


class SearchIn(Schema):
    q: str = ""
    kind: str = ""
    agency: UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    party: str = ""
    page: int = Field(1, ge=1, le=10000)


@router.get("/decisions", response=DecisionPageOut, auth=None, summary="公示决定检索（公开）")
def list_decisions(request: HttpRequest, filters: Query[SearchIn]):
    if filters.kind and filters.kind not in F.SOURCE_KINDS:
        raise InvalidInput(
            [FieldError("kind", "choice", "决定类别: 应为 penalty、licensing、other、inspection 之一")]
        )
    result = selectors.public_search(
        q=filters.q[:100],
        kind=filters.kind,
        agency=str(filters.agency) if filters.agency else "",
        date_from=filters.date_from,
        date_to=filters.date_to,
        party=filters.party[:100],
        page=filters.page,
    )
    return {
        "items": result.rows,
        "page": result.page,
        "has_next": result.has_next,
        "elapsed_ms": result.elapsed_ms,
    }


@router.get("/decisions/{public_id}", response=DecisionOut, auth=None, summary="公示决定详情（公开）")
def get_decision(request: HttpRequest, public_id: UUID):
    decision = selectors.public_decision(public_id)
    if decision is None:
        raise NotFound("decision")
    versions = selectors.public_versions(decision)
    return {
        "id": decision.public_id,
        "kind": decision.source_kind,
        "version": decision.version,
        "published_at": decision.published_at,
        "updated_at": decision.updated_at,
        "record": decision.public,
        "history": versions[1:],
    }


class LogChangeOut(Schema):
    key: str
    label: str
    before: str
    after: str


class LogOut(Schema):
    kind: str
    agency_name: str
    document_number: str
    reason: str
    tracking_number: str
    changes: list[LogChangeOut] = Field(description="更正或变更的数据项（已去标识化）")
    at: dt.datetime


@router.get("/log", response=list[LogOut], auth=None, summary="更正和撤下记录（公开）")
@paginate(Pagination, page_size=50)
def list_log(request: HttpRequest):
    return selectors.public_log()


class CorrectionIn(Schema):
    decision: UUID
    requester_name: str
    contact: str
    description: str
    evidence: str


class CorrectionOut(Schema):
    tracking_number: str
    status: str
    due_date: dt.date
    outcome: str


@router.post("/corrections", response={201: CorrectionOut}, auth=None, summary="申请更正（公开，限频）")
def create_correction(request: HttpRequest, payload: CorrectionIn):
    created = services.correction_request_submit(
        public_id=payload.decision,
        requester_name=payload.requester_name,
        contact=payload.contact,
        description=payload.description,
        evidence=payload.evidence,
        client_key=services.client_key_for(request.META.get("REMOTE_ADDR", "")),
    )
    return Status(201, created)


@router.get(
    "/corrections/{tracking_number}", response=CorrectionOut, auth=None, summary="更正申请查询（公开）"
)
def get_correction(request: HttpRequest, tracking_number: str):
    found = selectors.correction_status(tracking_number)
    if found is None:
        raise NotFound("correction")
    return found


# ----------------------------------------------------------------------------- staff


class DutyOut(Schema):
    id: UUID
    agency_id: UUID
    kind: str
    source_ref: str
    decided_on: dt.date
    due_date: dt.date
    days: int
    unit: str
    rule: str
    rule_version: str
    provisional: bool
    status: str

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_agency_id(obj) -> UUID:
        return obj.agency.public_id

    @staticmethod
    def resolve_rule(obj) -> str:
        return obj.rule_source

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.source_kind


class DutyIn(Schema):
    agency: UUID
    kind: str
    source_ref: str
    decided_on: dt.date
    party: UUID | None = None
    fields: dict
    document_sm3: str = ""


@router.get("/duties", response=list[DutyOut], summary="公示义务（按权限范围）")
@paginate(Pagination, page_size=50)
def list_duties(request: HttpRequest, status: str = "", overdue: bool = False):
    return selectors.duty_queue(request.user, status=status, overdue=overdue)


@router.post("/duties", response={201: DutyOut}, summary="登记公示义务（按来源编号幂等）")
def create_duty(request: HttpRequest, payload: DutyIn):
    agency = agency_for(request.user, payload.agency)
    party = None
    if payload.party is not None:
        party = parties_for(request.user).filter(public_id=payload.party).first()
        if party is None:
            raise InvalidInput([FieldError("party", "exists", "行政相对人: 名录库中无此相对人")])
    duty = services.disclosure_duty_create(
        actor=request.user,
        agency=agency,
        source_kind=payload.kind,
        source_ref=payload.source_ref,
        decided_on=payload.decided_on,
        party=party,
        fields=payload.fields,
        document_sm3=payload.document_sm3,
    )
    return Status(201, duty)
