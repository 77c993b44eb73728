"""Catalogue endpoints. Reads are scoped like the registry (own agency, supervisor's region,
administrator all); writes are for administrators and the heads of the agency."""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sanxiang.api.pagination import Pagination, paginate
from sanxiang.catalog import selectors, services, xlsx
from sanxiang.catalog.models import MODELS, LawChange, ListKind
from sanxiang.catalog.specs import SPECS
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.registry.selectors import agency_for

router = Router(tags=["catalog 执法清单"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 10 * 1024 * 1024


class DiscretionOut(Schema):
    position: int
    level: str
    circumstances: str
    penalty_kinds: list[str]
    fine_min: Decimal | None
    fine_max: Decimal | None
    other: str


class CatalogEntryOut(Schema):
    id: UUID
    list: str
    code: str
    version: int
    effective_from: dt.date
    withdrawn: bool
    reason: str
    law_change_id: UUID | None
    created_at: dt.datetime
    fields: dict[str, Any]
    discretion: list[DiscretionOut]


def entry_out(kind: str, e) -> dict[str, Any]:
    return {
        "id": e.public_id,
        "list": kind,
        "code": e.code,
        "version": e.version,
        "effective_from": e.effective_from,
        "withdrawn": e.withdrawn,
        "reason": e.reason,
        "law_change_id": e.law_change.public_id if e.law_change_id else None,
        "created_at": e.created_at,
        "fields": {c.field: getattr(e, c.field) for c in SPECS[kind].columns[1:]},
        "discretion": list(e.discretion.all()) if kind == ListKind.ITEMS else [],
    }


class DiscretionIn(Schema):
    level: str
    circumstances: str
    penalty_kinds: list[str] = []
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    other: str = ""


class EntryIn(Schema):
    code: str
    effective_from: dt.date
    reason: str
    law_change_id: UUID | None = None
    fields: dict[str, Any]
    discretion: list[DiscretionIn] = []


class WithdrawIn(Schema):
    effective_from: dt.date
    reason: str
    law_change_id: UUID | None = None


class ImportOut(Schema):
    created: list[str]
    revised: list[str]
    withdrawn: list[str]
    unchanged: list[str]


class LawChangeOut(Schema):
    id: UUID
    agency_id: UUID
    agency_name: str
    kind: str
    title: str
    document_number: str
    lists: list[str]
    trigger_date: dt.date
    due_date: dt.date
    provisional: bool
    completed_on: dt.date | None
    on_time: bool | None
    overdue: bool
    source: str


def law_change_out(c: LawChange, today: dt.date) -> dict[str, Any]:
    done = c.completion if hasattr(c, "completion") else None
    return {
        "id": c.public_id,
        "agency_id": c.agency.public_id,
        "agency_name": c.agency.name,
        "kind": c.kind,
        "title": c.title,
        "document_number": c.document_number,
        "lists": c.lists,
        "trigger_date": c.start_date,
        "due_date": c.due_date,
        "provisional": c.provisional,
        "completed_on": done.completed_on if done else None,
        "on_time": done.on_time if done else None,
        "overdue": done is None and today > c.due_date,
        "source": services.law_change_rule(c).citation,
    }


class LawChangeIn(Schema):
    kind: str
    title: str
    trigger_date: dt.date
    document_number: str = ""
    lists: list[str] = []
    note: str = ""


class CompleteIn(Schema):
    completed_on: dt.date | None = None
    note: str = ""


class ProposalIn(Schema):
    category: str = "penalty"
    penalty_kinds: list[str] = []
    fine_amount: Decimal = Decimal(0)
    confiscation_amount: Decimal = Decimal(0)
    party_kind: str = "organisation"
    hearing_held: bool = False
    public_interest: bool = False
    major_rights: bool = False
    social_impact: bool = False
    complex: bool = False
    other_criteria: list[str] = []
    on: dt.date | None = None


class MatchOut(Schema):
    code: str
    description: str
    source: str
    statutory: bool


class ListKindOut(Schema):
    kind: str
    title: str
    source: str


def _law_change(agency, law_change_id: UUID | None):
    if law_change_id is None:
        return None
    change = LawChange.objects.filter(public_id=law_change_id, agency=agency).first()
    if change is None:
        raise InvalidInput(
            [FieldError("law_change_id", "exists", "对应的法律法规变化: 不存在或不属于本机关")]
        )
    return change


@router.get("/lists", response=list[ListKindOut], summary="清单种类")
@paginate(Pagination, page_size=50)
def list_kinds(request):
    return [{"kind": k, "title": s.title, "source": s.source} for k, s in SPECS.items()]


@router.post(
    "/agencies/{agency_id}/major-decision-check",
    response=list[MatchOut],
    summary="拟作出的决定是否属于重大执法决定（行政处罚法第五十八条及本机关目录）",
)
def major_decision_check(request, agency_id: UUID, payload: ProposalIn):
    agency = agency_for(request.auth, agency_id)
    data = payload.dict()
    on = data.pop("on")
    proposal = services.DecisionProposal(
        **{
            **data,
            "penalty_kinds": frozenset(data["penalty_kinds"]),
            "other_criteria": frozenset(data["other_criteria"]),
        }
    )
    return [m.__dict__ for m in services.is_major_decision(agency=agency, proposal=proposal, on=on)]


@router.post(
    "/agencies/{agency_id}/law-changes",
    response={201: LawChangeOut},
    summary="登记法律法规变化（起算清单更新期限）",
)
def record_law_change(request, agency_id: UUID, payload: LawChangeIn):
    agency = agency_for(request.auth, agency_id)
    change = services.law_change_record(actor=request.auth, agency=agency, **payload.dict())
    return Status(201, law_change_out(change, timezone.localdate()))


@router.get(
    "/agencies/{agency_id}/{kind}", response=list[CatalogEntryOut], summary="某执法主体某清单在某日有效的条目"
)
@paginate(Pagination, page_size=50)
def list_entries(request, agency_id: UUID, kind: ListKind, on: dt.date | None = None):
    agency = agency_for(request.auth, agency_id)
    entries = selectors.in_force(MODELS[kind], agency=agency, on=on or timezone.localdate())
    return [entry_out(kind, e) for e in entries]


@router.get("/agencies/{agency_id}/{kind}/export.xlsx", summary="导出清单（XLSX）", response={200: None})
def export_entries(request, agency_id: UUID, kind: ListKind, on: dt.date | None = None):
    agency = agency_for(request.auth, agency_id)
    day = on or timezone.localdate()
    response = HttpResponse(xlsx.catalog_export(kind=kind, agency=agency, on=day), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{day}.xlsx"'
    return response


@router.get(
    "/agencies/{agency_id}/{kind}/{code}/versions",
    response=list[CatalogEntryOut],
    summary="条目的全部版本（新到旧）",
)
@paginate(Pagination, page_size=50)
def entry_versions(request, agency_id: UUID, kind: ListKind, code: str):
    agency = agency_for(request.auth, agency_id)
    versions = list(selectors.history(MODELS[kind], agency=agency, code=code))
    if not versions:
        raise NotFound("code")
    return [entry_out(kind, e) for e in versions]


@router.post(
    "/agencies/{agency_id}/{kind}",
    response={200: CatalogEntryOut, 201: CatalogEntryOut},
    summary="发布条目的新版本（同内容同生效日期重复提交不重复创建）",
)
def publish_entry(request, agency_id: UUID, kind: ListKind, payload: EntryIn):
    agency = agency_for(request.auth, agency_id)
    result = services.entry_publish(
        actor=request.auth,
        kind=kind,
        agency=agency,
        data={**payload.fields, "code": payload.code},
        discretion=[d.dict() for d in payload.discretion],
        effective_from=payload.effective_from,
        reason=payload.reason,
        law_change=_law_change(agency, payload.law_change_id),
    )
    return Status(201 if result.created else 200, entry_out(kind, result.entry))


@router.post(
    "/agencies/{agency_id}/{kind}/{code}/withdraw",
    response={200: CatalogEntryOut, 201: CatalogEntryOut},
    summary="废止条目",
)
def withdraw_entry(request, agency_id: UUID, kind: ListKind, code: str, payload: WithdrawIn):
    agency = agency_for(request.auth, agency_id)
    latest = selectors.latest_version(MODELS[kind], agency=agency, code=code)
    if latest is not None and latest.withdrawn and latest.effective_from == payload.effective_from:
        return Status(200, entry_out(kind, latest))  # retry
    result = services.entry_withdraw(
        actor=request.auth,
        kind=kind,
        agency=agency,
        code=code,
        effective_from=payload.effective_from,
        reason=payload.reason,
        law_change=_law_change(agency, payload.law_change_id),
    )
    return Status(201, entry_out(kind, result.entry))


@router.post(
    "/agencies/{agency_id}/{kind}/import", response=ImportOut, summary="导入清单（XLSX，全部有效才导入）"
)
def import_entries(
    request,
    agency_id: UUID,
    kind: ListKind,
    file: File[UploadedFile],
    effective_from: Form[dt.date],
    reason: Form[str],
    law_change_id: Form[UUID | None] = None,
):
    agency = agency_for(request.auth, agency_id)
    if file.size and file.size > MAX_UPLOAD:
        raise InvalidInput([FieldError("file", "max_size", "文件: 不得超过10MB")])
    result = xlsx.catalog_import(
        actor=request.auth,
        kind=kind,
        agency=agency,
        content=file.read(),
        effective_from=effective_from,
        reason=reason,
        law_change=_law_change(agency, law_change_id),
    )
    return result.__dict__


@router.get(
    "/law-changes",
    response=list[LawChangeOut],
    summary="法律法规立改废及清单更新期限（按所在地区的规则）",
)
@paginate(Pagination, page_size=50)
def law_changes(request, overdue: bool = False):
    today = timezone.localdate()
    qs = (
        selectors.overdue_law_changes(request.auth, today=today)
        if overdue
        else selectors.law_changes_for(request.auth)
    )
    return [law_change_out(c, today) for c in qs]


@router.get("/law-changes/{change_id}", response=LawChangeOut, summary="法律法规变化详情")
def law_change_detail(request, change_id: UUID):
    change = selectors.law_changes_for(request.auth).filter(public_id=change_id).first()
    if change is None:
        raise NotFound("law_change")
    return law_change_out(change, timezone.localdate())


@router.post("/law-changes/{change_id}/complete", response=LawChangeOut, summary="登记清单已完成更新")
def complete_law_change(request, change_id: UUID, payload: CompleteIn):
    change = selectors.law_changes_for(request.auth).filter(public_id=change_id).first()
    if change is None:
        raise NotFound("law_change")
    services.law_change_complete(actor=request.auth, law_change=change, **payload.dict())
    change = selectors.law_changes_for(request.auth).get(pk=change.pk)
    return law_change_out(change, timezone.localdate())
