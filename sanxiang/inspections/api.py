"""双随机一公开 endpoints: plans (including an external platform's pushed plan), filing, draws (announce,
perform, the published document, verification), inspections, result entry and review, and pulling
published results. Writes are idempotent: a pushed plan by its ``external_ref``, a draw's outcome and
an inspection by their natural keys."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sanxiang.api.pagination import Pagination, paginate
from sanxiang.catalog.models import SpotCheckItem
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Batch, Draw, Plan
from sanxiang.registry.models import Agency

router = Router(tags=["inspections 双随机一公开"])


class BatchIn(Schema):
    name: str
    item_code: str = Field(description="本机关随机抽查事项清单中的事项编码")
    starts_on: dt.date
    ends_on: dt.date
    ratios: dict[str, str] = Field(
        default_factory=dict, description="信用风险分类 A–D（或 N 未分类）→ 抽查比例（%）"
    )


class PartnerIn(Schema):
    agency: UUID
    category: str


class PlanIn(Schema):
    year: int
    title: str
    scope: str
    category: str = ""
    batches: list[BatchIn]
    partners: list[PartnerIn] = Field(default_factory=list, description="部门联合抽查的参加单位")
    external_ref: str = Field("", description="外部平台的计划编号；同一编号重复推送返回同一计划")


class BatchOut(Schema):
    id: UUID
    position: int
    name: str
    item_code: str
    item_name: str
    starts_on: dt.date
    ends_on: dt.date
    ratios: dict[str, str]


class PlanOut(Schema):
    id: UUID
    number: str
    year: int
    title: str
    scope: str
    joint: bool
    lead_agency: str
    agencies: list[str]
    filed_on: dt.date | None
    external_ref: str
    batches: list[BatchOut]


def plan_out(plan: Plan) -> dict[str, Any]:
    filing = plan.filing if hasattr(plan, "filing") else None
    return {
        "id": plan.public_id,
        "number": plan.number,
        "year": plan.year,
        "title": plan.title,
        "scope": plan.scope,
        "joint": plan.joint,
        "lead_agency": plan.lead_agency.name,
        "agencies": [p.agency.name for p in plan.participants.all()],
        "filed_on": filing.filed_on if filing else None,
        "external_ref": plan.external_ref,
        "batches": [
            {
                "id": b.public_id,
                "position": b.position,
                "name": b.name,
                "item_code": b.item.code,
                "item_name": b.item.name,
                "starts_on": b.starts_on,
                "ends_on": b.ends_on,
                "ratios": b.ratios,
            }
            for b in plan.batches.select_related("item").order_by("position")
        ],
    }


@router.get("/plans", response=list[PlanOut], summary="可见的抽查计划")
@paginate(Pagination, page_size=50)
def list_plans(request: HttpRequest) -> list[dict[str, Any]]:
    return [plan_out(p) for p in selectors.visible_plans(request.auth).order_by("-year", "number")]


@router.post("/plans", response={201: PlanOut}, summary="制定或推送年度抽查计划（含部门联合抽查）")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    user: Any = request.auth
    agency = user.agency
    if agency is None:
        raise services.Forbidden("办理人: 只有执法机关工作人员可以制定抽查计划")
    batches = []
    errors: list[FieldError] = []
    for i, b in enumerate(payload.batches):
        item = (
            SpotCheckItem.objects.filter(agency=agency, code=b.item_code, effective_from__lte=b.starts_on)
            .order_by("-effective_from", "-version")
            .first()
        )
        if item is None or item.withdrawn:
            errors.append(
                FieldError(f"batches[{i}].item_code", "item", "抽查事项: 不是本机关随机抽查事项清单中的事项")
            )
            continue
        batches.append(services.BatchInput(b.name, item, b.starts_on, b.ends_on, b.ratios))
    partners = []
    for i, p in enumerate(payload.partners):
        partner = Agency.objects.filter(public_id=p.agency).first()
        if partner is None:
            errors.append(FieldError(f"partners[{i}].agency", "exists", "联合抽查单位: 不存在"))
            continue
        partners.append((partner, p.category))
    if errors:
        raise InvalidInput(errors)
    plan = services.plan_create(
        actor=user,
        year=payload.year,
        title=payload.title,
        scope=payload.scope,
        batches=batches,
        partners=partners,
        category=payload.category,
        external_ref=payload.external_ref,
    )
    return Status(201, plan_out(plan))


@router.get("/plans/{plan_id}", response=PlanOut, summary="抽查计划")
def get_plan(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    return plan_out(selectors.plan_for(request.auth, plan_id))


@router.post("/plans/{plan_id}/filing", response=PlanOut, summary="报司法局备案")
def file_plan(request: HttpRequest, plan_id: UUID) -> dict[str, Any]:
    plan = selectors.plan_for(request.auth, plan_id)
    services.plan_file(actor=request.auth, plan=plan)
    return plan_out(selectors.plan_for(request.auth, plan_id))


class DrawIn(Schema):
    inspection_date: dt.date
    randomness_source: str = Field(description="事先写明的公共随机数，如某期彩票开奖号码")
    randomness_expected_on: dt.date
    per_object: int = 2
    repeat_cap: int | None = None
    exclusions: list[str] = Field(default_factory=list, description="排除对象的统一社会信用代码")
    redraw_of: UUID | None = None
    reason: str = ""


class DrawOut(Schema):
    id: UUID
    number: str
    state: str
    redraw_of: str | None
    redraw_reason: str
    objects_sm3: str
    officers_sm3: str
    parameters_sm3: str
    commitment: str
    randomness_source: str
    randomness_expected_on: dt.date
    targets: int


def draw_out(draw: Draw) -> dict[str, Any]:
    return {
        "id": draw.public_id,
        "number": draw.number,
        "state": selectors.draw_state(draw),
        "redraw_of": draw.redraw_of.number if draw.redraw_of else None,
        "redraw_reason": draw.redraw_reason,
        "objects_sm3": draw.objects_sm3,
        "officers_sm3": draw.officers_sm3,
        "parameters_sm3": draw.parameters_sm3,
        "commitment": draw.commitment,
        "randomness_source": draw.randomness_source,
        "randomness_expected_on": draw.randomness_expected_on,
        "targets": draw.targets.count(),
    }


@router.post("/batches/{batch_id}/draws", response={201: DrawOut}, summary="冻结名录库并公布抽取参数和承诺值")
def announce_draw(request: HttpRequest, batch_id: UUID, payload: DrawIn) -> Any:
    batch = Batch.objects.select_related("plan").filter(public_id=batch_id).first()
    if batch is None:
        raise NotFound("batch")
    selectors.plan_for(request.auth, batch.plan.public_id)
    redraw_of = None
    if payload.redraw_of:
        redraw_of = Draw.objects.filter(public_id=payload.redraw_of, batch=batch).first()
        if redraw_of is None:
            raise NotFound("redraw_of")
    draw = services.draw_announce(
        actor=request.auth,
        batch=batch,
        inspection_date=payload.inspection_date,
        randomness_source=payload.randomness_source,
        randomness_expected_on=payload.randomness_expected_on,
        per_object=payload.per_object,
        repeat_cap=payload.repeat_cap,
        exclusions=payload.exclusions,
        redraw_of=redraw_of,
        reason=payload.reason,
    )
    return Status(201, draw_out(draw))


class PerformIn(Schema):
    randomness: str = Field(description="照录的公共随机数")


@router.post("/draws/{draw_id}/perform", response=DrawOut, summary="录入公共随机数并抽取")
def perform_draw(request: HttpRequest, draw_id: UUID, payload: PerformIn) -> dict[str, Any]:
    draw = selectors.draw_for(request.auth, draw_id)
    outcome = selectors.outcome_of(draw)
    if outcome is None or outcome.randomness != payload.randomness.strip():
        services.draw_perform(actor=request.auth, draw=draw, randomness=payload.randomness)
    return draw_out(selectors.draw_for(request.auth, draw_id))


@router.get("/public/draws/{draw_id}", auth=None, summary="公开的抽取文件（draw.json，可离线核验）")
def draw_document(request: HttpRequest, draw_id: UUID) -> dict[str, Any]:
    return selectors.draw_document(selectors.public_draw(draw_id))


class CheckOut(Schema):
    ok: bool
    text: str


class VerifyOut(Schema):
    agrees: bool
    checks: list[CheckOut]


@router.get(
    "/public/draws/{draw_id}/verify", response=VerifyOut, auth=None, summary="服务器重新计算并核验抽取"
)
def verify_draw(request: HttpRequest, draw_id: UUID) -> dict[str, Any]:
    outcome = selectors.verify_draw(selectors.public_draw(draw_id))
    return {"agrees": outcome.agrees, "checks": [{"ok": ok, "text": text} for ok, text in outcome.checks]}


class TargetOut(Schema):
    id: UUID
    position: int
    name: str
    code: str
    inspectors: list[list[str]]


@router.get("/draws/{draw_id}/targets", response=list[TargetOut], summary="抽中的检查对象和执法检查人员")
@paginate(Pagination, page_size=100)
def list_targets(request: HttpRequest, draw_id: UUID) -> list[dict[str, Any]]:
    draw = selectors.draw_for(request.auth, draw_id)
    return [
        {
            "id": t.public_id,
            "position": t.position,
            "name": t.name,
            "code": t.code,
            "inspectors": t.inspectors,
        }
        for t in draw.targets.order_by("position")
    ]


class InspectionOut(Schema):
    id: UUID
    case_number: str
    target: str
    state: str


def inspection_out(inspection: Any) -> dict[str, Any]:
    from sanxiang.inspections.models import ResultState

    return {
        "id": inspection.public_id,
        "case_number": inspection.case.number,
        "target": inspection.target.name,
        "state": str(ResultState(selectors.result_state(inspection)).label),
    }


@router.post(
    "/targets/{target_id}/inspection", response={201: InspectionOut}, summary="建立检查案件（行政检查程序）"
)
def open_inspection(request: HttpRequest, target_id: UUID) -> Any:
    target = services.target_for(request.auth, target_id)
    inspection = services.inspection_open(actor=request.auth, target=target)
    return Status(201, inspection_out(inspection))


class ResultIn(Schema):
    outcome: str = Field(
        description="no_problem 未发现问题 | corrected 发现问题已责令改正 | case_opened 发现问题已立案 | not_found 未找到检查对象"
    )
    description: str
    checked_on: dt.date
    penalty_case_number: str = ""


@router.post("/inspections/{inspection_id}/results", response={201: InspectionOut}, summary="录入检查结果")
def enter_result(request: HttpRequest, inspection_id: UUID, payload: ResultIn) -> Any:
    inspection = selectors.inspection_for(request.auth, inspection_id)
    services.result_enter(actor=request.auth, inspection=inspection, **payload.dict())
    return Status(201, inspection_out(selectors.inspection_for(request.auth, inspection_id)))


class ReviewIn(Schema):
    approve: bool
    note: str = ""


@router.post(
    "/inspections/{inspection_id}/review", response=InspectionOut, summary="审核检查结果（通过即公示）"
)
def review_result(request: HttpRequest, inspection_id: UUID, payload: ReviewIn) -> dict[str, Any]:
    inspection = selectors.inspection_for(request.auth, inspection_id)
    entry = selectors.latest_entry(inspection)
    if entry is None:
        raise InvalidInput([FieldError("entry", "required", "检查结果: 尚未录入")])
    services.result_review(actor=request.auth, entry=entry, approve=payload.approve, note=payload.note)
    return inspection_out(selectors.inspection_for(request.auth, inspection_id))


class ResultOut(Schema):
    entity_name: str
    credit_code: str
    inspecting_agency: str
    kind: str
    item: str
    draw_number: str
    checked_on: str
    result: str
    penalty_case: str
    published_on: str


@router.get("/public/results", response=list[ResultOut], auth=None, summary="已公示的抽查检查结果（拉取）")
@paginate(Pagination, page_size=100)
def list_results(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.published_results()


class RecusalIn(Schema):
    officer: UUID
    credit_code: str = Field(description="检查对象（市场主体）的统一社会信用代码")
    kind: str = Field(
        description="kin 近亲属关系 | former_employer 曾在该单位任职 | prior_involvement 曾参与该对象的案件 | other"
    )
    note: str = ""


class RecusalOut(Schema):
    officer: str
    entity: str
    kind: str
    declared_on: dt.date


@router.post("/recusals", response={201: RecusalOut}, summary="申报回避关系（行政处罚法第四十三条）")
def declare_recusal(request: HttpRequest, payload: RecusalIn) -> Any:
    from sanxiang.inspections.models import Recusal
    from sanxiang.registry.models import MarketEntity
    from sanxiang.registry.selectors import officer_for

    officer = officer_for(request.auth, payload.officer)
    entity = MarketEntity.objects.filter(credit_code=payload.credit_code.strip().upper()).first()
    if entity is None:
        raise InvalidInput(
            [FieldError("credit_code", "exists", "检查对象: 市场主体名录库中没有该统一社会信用代码")]
        )
    recusal = services.recusal_declare(
        actor=request.auth, officer=officer, entity=entity, kind=payload.kind, note=payload.note
    )
    return Status(
        201,
        {
            "officer": officer.name,
            "entity": entity.name,
            "kind": str(Recusal.Kind(recusal.kind).label),
            "declared_on": recusal.declared_on,
        },
    )


class CreditClassIn(Schema):
    classified_on: dt.date
    basis: str
    classes: dict[str, str] = Field(description="统一社会信用代码 → 信用风险分类 A–D（内部，不公开）")


class CreditClassOut(Schema):
    recorded: int


@router.post("/credit-classes", response={201: CreditClassOut}, summary="录入信用风险分类（内部）")
def record_credit_classes(request: HttpRequest, payload: CreditClassIn) -> Any:
    from sanxiang.registry.models import MarketEntity

    codes = [c.strip().upper() for c in payload.classes]
    found = MarketEntity.objects.in_bulk(codes, field_name="credit_code")
    missing = [c for c in codes if c not in found]
    if missing:
        raise InvalidInput(
            [
                FieldError(f"classes.{c}", "exists", f"{c}: 市场主体名录库中没有该统一社会信用代码")
                for c in missing[:20]
            ]
        )
    count = services.credit_classes_record(
        actor=request.auth,
        classes=[(found[c.strip().upper()], v) for c, v in payload.classes.items()],
        classified_on=payload.classified_on,
        basis=payload.basis,
    )
    return Status(201, {"recorded": count})
