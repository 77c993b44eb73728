"""双随机一公开 writes: item attributes, 名录库 entries, plans, draws, inspections and results.

Every function is keyword-only, takes the acting user, runs in one transaction and writes its ledger
entry in that transaction. The draw itself is :func:`sanxiang.inspections.drawalgo.select` — the pure
function the portal and the offline verifier run too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.catalog.models import SpotCheckItem
from sanxiang.errors import FieldError, Forbidden, InvalidInput, NotFound, TransitionRefused
from sanxiang.inspections import drand, drawalgo
from sanxiang.inspections.models import (
    ENTITY_KINDS,
    OTHER_KINDS,
    Batch,
    CreditClass,
    Draw,
    DrawOutcome,
    Inspection,
    Level,
    ObjectKind,
    OtherObject,
    Outcome,
    Plan,
    PlanAgency,
    PlanFiling,
    Recusal,
    ResultEntry,
    ResultReview,
    RiskClass,
    SpotCheckProfile,
    Target,
)
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.ledger.services import record
from sanxiang.ledger.storage import get_storage
from sanxiang.registry.models import Agency, EnforcementCategory, MarketEntity, Officer
from sanxiang.registry.validators import region_contains, region_prefix
from sanxiang.rules.selectors import rule_for

UNCLASSIFIED = "N"  # internal stratum of objects not yet classified (drawn at the item's own ratio)
UNCLASSIFIED_LABEL = "未分类"
RECUSAL_SOURCE = "《中华人民共和国行政处罚法》第四十三条"
PLAN_SOURCE = "国市监信〔2019〕38号"


def _require(actor: Any, agency: Agency, roles: Sequence[Role], what: str) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.agency_id != agency.pk:
        raise Forbidden(f"办理人: 只有{agency.name}的工作人员可以{what}")
    if not any(actor.has_role(r) for r in roles):
        names = "、".join(str(r.label) for r in roles)
        raise Forbidden(f"办理人: 须为{names}才能{what}")


PLAN_ROLES = (Role.HEAD, Role.OFFICER)


def _subject(obj: Any) -> tuple[str, str]:
    return (f"inspections.{obj._meta.model_name}", str(obj.public_id))


# ----------------------------------------------------------------------------- 一单两库


def profile_set(
    *,
    actor: Any,
    item: SpotCheckItem,
    level: str,
    object_kinds: Sequence[str],
    category: str,
    region_code: str = "",
) -> SpotCheckProfile:
    """一般/重点, 对象范围 and 执法类别 of one version of a 随机抽查事项 (国市监信〔2019〕38号)."""
    _require(actor, item.agency, (Role.HEAD, Role.OFFICER), "设置抽查事项")
    errors = []
    if level not in Level.values:
        errors.append(FieldError("level", "choice", "事项类别: 应为 一般检查事项 或 重点检查事项"))
    kinds = list(dict.fromkeys(object_kinds))
    if not kinds or any(k not in ObjectKind.values for k in kinds):
        errors.append(FieldError("object_kinds", "choice", "对象范围: 至少选择一类，且须为可选的对象类型"))
    if category not in item.agency.categories or category == EnforcementCategory.SUPERVISION:
        errors.append(FieldError("category", "agency_category", "执法类别: 应为本机关的执法类别"))
    region_code = region_code or item.agency.region_code
    if not region_contains(item.agency.region_code, region_code):
        errors.append(FieldError("region_code", "agency_region", "抽查区域: 不在本机关管辖区域内"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():
                profile = SpotCheckProfile.objects.create(
                    item=item,
                    level=level,
                    object_kinds=kinds,
                    category=category,
                    region_code=region_code,
                    created_by=actor,
                )
        except IntegrityError:
            raise TransitionRefused(
                [
                    FieldError(
                        "item", "profile_exists", "抽查事项: 该版本已设置检查属性；变更请发布事项的新版本"
                    )
                ]
            ) from None
        record(
            kind="inspections.profile.set",
            subject=("catalog.spotcheckitem", str(item.public_id)),
            actor=actor,
            payload={
                "code": item.code,
                "version": item.version,
                "level": level,
                "object_kinds": kinds,
                "category": category,
                "region_code": region_code,
            },
        )
    return profile


def credit_classes_record(
    *, actor: Any, classes: Iterable[tuple[MarketEntity, str]], classified_on: dt.date, basis: str
) -> int:
    """Record credit-risk classes (internal; a new classification adds rows, the latest counts)."""
    if not getattr(actor, "is_authenticated", False) or not (
        actor.has_role(Role.HEAD) or actor.has_role(Role.ADMINISTRATOR)
    ):
        raise Forbidden("办理人: 须为负责人或系统管理员才能录入信用风险分类")
    rows = []
    for i, (entity, cls) in enumerate(classes):
        if cls not in RiskClass.values:
            raise InvalidInput(
                [FieldError(f"classes[{i}].risk_class", "choice", "信用风险分类: 应为 A、B、C、D 之一")]
            )
        rows.append(
            CreditClass(entity=entity, risk_class=cls, classified_on=classified_on, basis=basis[:200])
        )
    with transaction.atomic():
        CreditClass.objects.bulk_create(rows, batch_size=5000)
        record(
            kind="inspections.credit_classes.recorded",
            subject=("inspections.creditclass", classified_on.isoformat()),
            actor=actor,
            payload={"count": len(rows), "classified_on": classified_on.isoformat(), "basis": basis[:200]},
        )
    return len(rows)


def other_object_register(
    *,
    actor: Any,
    kind: str,
    code: str,
    name: str,
    region_code: str,
    risk_class: str,
    owner_credit_code: str = "",
) -> OtherObject:
    """Add a product, project or place to the agency's 检查对象名录库 (drawn where an item's 对象范围
    names its kind, 国市监信〔2019〕38号: 检查对象名录库 包括 …产品、项目、场所等). The owner — the
    market entity responsible for it — is the party of its inspection."""
    agency = actor.agency if getattr(actor, "is_authenticated", False) else None
    if agency is None:
        raise Forbidden("办理人: 只有执法机关工作人员可以登记检查对象")
    _require(actor, agency, (Role.HEAD, Role.OFFICER), "登记检查对象")
    errors: list[FieldError] = []
    code, name = (code or "").strip(), (name or "").strip()
    if kind not in OTHER_KINDS:
        errors.append(FieldError("kind", "choice", "对象类型: 应为 产品、工程项目 或 场所"))
    if not code or len(code) > 64:
        errors.append(
            FieldError("code", "required", "编号: 必须填写，不超过64字（如产品批号、项目编号、场所编号）")
        )
    if not name or len(name) > 200:
        errors.append(FieldError("name", "required", "名称: 必须填写，不超过200字"))
    region_code = (region_code or "").strip() or agency.region_code
    if not (len(region_code) == 6 and region_code.isdigit()) or not region_contains(
        agency.region_code, region_code
    ):
        errors.append(
            FieldError("region_code", "agency_region", "行政区划代码: 应为本机关管辖区域内的六位代码")
        )
    if risk_class not in RiskClass.values:
        errors.append(FieldError("risk_class", "choice", "风险分类: 应为 A、B、C、D 之一"))
    owner = None
    owner_credit_code = (owner_credit_code or "").strip().upper()
    if owner_credit_code:
        owner = MarketEntity.objects.filter(credit_code=owner_credit_code).first()
        if owner is None:
            errors.append(
                FieldError(
                    "owner_credit_code", "entity", "所属市场主体: 市场主体名录库中没有该统一社会信用代码"
                )
            )
    if OtherObject.objects.filter(agency=agency, kind=kind, code=code).exists():
        errors.append(FieldError("code", "unique", "编号: 本机关已登记同类型、同编号的检查对象"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        obj = OtherObject.objects.create(
            agency=agency,
            kind=kind,
            code=code,
            name=name,
            region_code=region_code,
            entity=owner,
            risk_class=risk_class,
        )
        record(
            kind="inspections.object.registered",
            subject=_subject(obj),
            actor=actor,
            payload={
                "kind": kind,
                "code": code,
                "name": name,
                "region_code": region_code,
                "owner": owner.credit_code if owner else "",
            },  # the risk class is internal: not in the ledger's public payload
        )
    return obj


def recusal_declare(
    *,
    actor: Any,
    officer: Officer,
    kind: str,
    entity: MarketEntity | None = None,
    other_object: OtherObject | None = None,
    note: str = "",
    declared_on: dt.date | None = None,
) -> Recusal:
    """A declared 回避 relation (行政处罚法 第四十三条): the officer is never drawn for that object."""
    _require(actor, officer.agency, (Role.HEAD, Role.OFFICER), "申报回避关系")
    errors = []
    if kind not in Recusal.Kind.values:
        errors.append(FieldError("kind", "choice", "回避情形: 不是可选项"))
    if (entity is None) == (other_object is None):
        errors.append(FieldError("entity", "required", "回避对象: 须且只能指定一个检查对象"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        recusal = Recusal.objects.create(
            officer=officer,
            entity=entity,
            other_object=other_object,
            kind=kind,
            note=note.strip()[:300],
            declared_on=declared_on or timezone.localdate(),
            declared_by=actor,
        )
        record(
            kind="inspections.recusal.declared",
            subject=("registry.officer", str(officer.public_id)),
            actor=actor,
            payload={
                "kind": kind,
                "entity": entity.credit_code if entity else None,
                "other_object": str(other_object.public_id) if other_object else None,
            },
        )
    return recusal


# ----------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class BatchInput:
    name: str
    item: SpotCheckItem
    starts_on: dt.date
    ends_on: dt.date
    ratios: dict[str, str]


def _clean_ratios(raw: Any, field: str, errors: list[FieldError]) -> dict[str, str]:
    out: dict[str, str] = {}
    if not isinstance(raw, dict):
        errors.append(FieldError(field, "object", "抽查比例: 应为 信用风险分类→比例（%）"))
        return out
    for cls, value in raw.items():
        if cls not in RiskClass.values and cls != UNCLASSIFIED:
            errors.append(
                FieldError(f"{field}.{cls}", "choice", "抽查比例: 信用风险分类应为 A、B、C、D 或 N（未分类）")
            )
            continue
        try:
            ratio = Decimal(str(value))
        except InvalidOperation:
            ratio = Decimal(-1)
        if not Decimal(0) < ratio <= Decimal(100):
            errors.append(FieldError(f"{field}.{cls}", "ratio", "抽查比例: 应大于0且不超过100"))
            continue
        out[cls] = format(ratio.normalize(), "f")
    return out


def plan_create(
    *,
    actor: Any,
    year: int,
    title: str,
    scope: str,
    batches: Sequence[BatchInput],
    partners: Sequence[tuple[Agency, str]] = (),
    category: str = "",
    external_ref: str = "",
) -> Plan:
    """年度抽查计划 (批次、范围、数量、时间, 国市监信〔2019〕38号); with partners, a 部门联合抽查 plan."""
    agency = actor.agency if getattr(actor, "is_authenticated", False) else None
    if agency is None:
        raise Forbidden("办理人: 只有执法机关工作人员可以制定抽查计划")
    _require(actor, agency, PLAN_ROLES, "制定抽查计划")
    external_ref = (external_ref or "").strip()[:100]
    if external_ref:
        existing = Plan.objects.filter(lead_agency=agency, external_ref=external_ref).first()
        if existing is not None:
            return existing  # a retried push of the same external plan
    errors: list[FieldError] = []
    title, scope = (title or "").strip(), (scope or "").strip()
    if not title:
        errors.append(FieldError("title", "required", "计划名称: 必须填写"))
    if not scope:
        errors.append(FieldError("scope", "required", "抽查范围: 必须填写"))
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors.append(FieldError("year", "year", "年度: 应为四位年份"))
    category = category or next((c for c in agency.categories if c != EnforcementCategory.SUPERVISION), "")
    if category not in agency.categories:
        errors.append(FieldError("category", "agency_category", "执法类别: 应为本机关的执法类别"))
    if not batches:
        errors.append(FieldError("batches", "required", f"抽查批次: 至少一个批次（{PLAN_SOURCE}）"))
    cleaned = []
    for i, b in enumerate(batches):
        where = f"batches[{i}]"
        if b.item.agency_id != agency.pk:
            errors.append(
                FieldError(f"{where}.item", "agency", "抽查事项: 应为本机关随机抽查事项清单中的事项")
            )
        if not isinstance(year, int) or b.starts_on.year != year or b.ends_on < b.starts_on:
            errors.append(
                FieldError(f"{where}.starts_on", "dates", "批次日期: 应在计划年度内，结束不早于开始")
            )
        ratios = _clean_ratios(b.ratios or {}, f"{where}.ratios", errors)
        if not (b.name or "").strip():
            errors.append(FieldError(f"{where}.name", "required", "批次名称: 必须填写"))
        cleaned.append((b, ratios))
    seen = {agency.pk}
    for i, (partner, cat) in enumerate(partners):
        if partner.pk in seen:
            errors.append(FieldError(f"partners[{i}]", "unique", "联合抽查单位: 重复"))
        elif cat not in partner.categories or partner.status != Agency.Status.ACTIVE:
            errors.append(
                FieldError(f"partners[{i}].category", "agency_category", f"{partner.name}: 执法类别不符")
            )
        seen.add(partner.pk)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        count = Plan.objects.filter(lead_agency=agency, year=year).count() + 1
        plan = Plan.objects.create(
            number=f"{agency.credit_code[-6:]}-{year}-{count:03d}",
            year=year,
            title=title,
            lead_agency=agency,
            joint=bool(partners),
            scope=scope,
            external_ref=external_ref,
            created_by=actor,
        )
        PlanAgency.objects.create(plan=plan, agency=agency, category=category)
        for partner, cat in partners:
            PlanAgency.objects.create(plan=plan, agency=partner, category=cat)
        for position, (b, ratios) in enumerate(cleaned, start=1):
            Batch.objects.create(
                plan=plan,
                position=position,
                name=b.name.strip(),
                item=b.item,
                ratios=ratios,
                starts_on=b.starts_on,
                ends_on=b.ends_on,
            )
        record(
            kind="inspections.plan.created",
            subject=_subject(plan),
            actor=actor,
            payload={
                "number": plan.number,
                "year": year,
                "title": title,
                "scope": scope,
                "joint": plan.joint,
                "external_ref": external_ref,
                "agencies": [{"agency": str(agency.public_id), "category": category}]
                + [{"agency": str(p.public_id), "category": c} for p, c in partners],
                "batches": [
                    {
                        "name": b.name,
                        "item": b.item.code,
                        "version": b.item.version,
                        "ratios": r,
                        "starts_on": b.starts_on.isoformat(),
                        "ends_on": b.ends_on.isoformat(),
                    }
                    for b, r in cleaned
                ],
            },
        )
    return plan


def plan_file(*, actor: Any, plan: Plan, filed_on: dt.date | None = None) -> PlanFiling:
    """备案 with the supervising 司法局 (国市监信〔2019〕38号: 年度抽查计划报上级备案)."""
    _require(actor, plan.lead_agency, (Role.HEAD,), "报送计划备案")
    supervisor = plan.lead_agency.supervisor
    if supervisor is None or not supervisor.is_supervisory:
        raise TransitionRefused(
            [
                FieldError(
                    "plan", "no_supervisor", "备案机关: 本机关未登记行政执法监督机关（司法局），无法备案"
                )
            ]
        )
    with transaction.atomic():
        if PlanFiling.objects.filter(plan=plan).exists():
            return plan.filing
        filing = PlanFiling.objects.create(
            plan=plan, supervisor=supervisor, filed_on=filed_on or timezone.localdate(), filed_by=actor
        )
        record(
            kind="inspections.plan.filed",
            subject=_subject(plan),
            actor=actor,
            payload={"supervisor": str(supervisor.public_id), "filed_on": filing.filed_on.isoformat()},
        )
    return filing


# ----------------------------------------------------------------------------- snapshots


@dataclass
class Snapshot:
    object_lines: list[str]
    officer_lines: list[str]
    internal: dict[str, list[Any]]  # token → [kind, pk, class, code, region, name]
    classes: list[str]  # classes present, in stratum order


def _token(salt: bytes, kind: str, ident: str) -> str:
    return drawalgo.sm3(salt + kind.encode() + b":" + ident.encode()).hex()[:32]


def _tokens(salt: bytes, kind: str, idents: Sequence[str]) -> list[str]:
    """``_token`` of many: one SM3 state over the salt and kind, copied for each identifier."""
    base = hashlib.new("sm3", salt + kind.encode() + b":")
    out = []
    for ident in idents:
        h = base.copy()
        h.update(ident.encode())
        out.append(h.hexdigest()[:32])
    return out


def profile_of(item: SpotCheckItem) -> SpotCheckProfile:
    profile = SpotCheckProfile.objects.filter(item=item).first()
    if profile is None:
        raise TransitionRefused(
            [
                FieldError(
                    "item", "profile_required", "抽查事项: 尚未设置事项类别、对象范围和执法类别，不能抽取"
                )
            ]
        )
    return profile


def _prior_checks(year: int) -> tuple[dict[int, int], dict[int, int]]:
    """Random checks of each entity / other object this year (drawn, not superseded by a re-draw)."""
    targets = Target.objects.filter(
        draw__inspection_date__year=year,
        draw__outcome__status=DrawOutcome.Status.DRAWN,
        draw__redrawn_by__isnull=True,
    )
    entities = dict(targets.filter(entity__isnull=False).values_list("entity").annotate(n=Count("id")))
    others = dict(
        targets.filter(other_object__isnull=False).values_list("other_object").annotate(n=Count("id"))
    )
    return entities, others


def snapshot_build(*, batch: Batch, teams: Sequence[PlanAgency], on: dt.date, salt: bytes) -> Snapshot:
    """Freeze the 检查对象名录库 and the 执法检查人员名录库 for one batch (sorted lines, see drawalgo)."""
    with drawalgo.gc_paused():
        return _snapshot_build(batch=batch, teams=teams, on=on, salt=salt)


def _snapshot_build(*, batch: Batch, teams: Sequence[PlanAgency], on: dt.date, salt: bytes) -> Snapshot:
    item = batch.item
    profile = profile_of(item)
    prefix = region_prefix(profile.region_code)
    entity_kinds = [k for k in profile.object_kinds if k in ENTITY_KINDS]
    latest = CreditClass.objects.filter(entity=OuterRef("pk"), classified_on__lte=on).order_by(
        "-classified_on", "-id"
    )
    rows = (
        MarketEntity.objects.filter(
            status=MarketEntity.Status.OPERATING, kind__in=entity_kinds, region_code__startswith=prefix
        )
        .annotate(cls=Subquery(latest.values("risk_class")[:1]))
        .values_list("pk", "credit_code", "region_code", "cls", "name")
    )
    prior_entities, prior_others = _prior_checks(on.year)
    base = drawalgo.sm3(salt)
    internal: dict[str, list[Any]] = {}
    objects: list[tuple[str, str, str, int]] = []
    present: set[str] = set()
    fetched = list(rows.iterator(chunk_size=20000))
    for (pk, code, region, cls, name), token in zip(
        fetched, _tokens(base, "E", [r[1] for r in fetched]), strict=True
    ):
        cls = cls or UNCLASSIFIED
        internal[token] = ["E", pk, cls, code, region, name]
        objects.append((token, cls, region, prior_entities.get(pk, 0)))
        present.add(cls)
    del fetched
    other_kinds = [k for k in profile.object_kinds if k in OTHER_KINDS]
    if other_kinds:
        for pk, pid, region, cls, code, name in OtherObject.objects.filter(
            agency=item.agency, kind__in=other_kinds, region_code__startswith=prefix
        ).values_list("pk", "public_id", "region_code", "risk_class", "code", "name"):
            token = _token(base, "X", str(pid))
            internal[token] = ["X", pk, cls, code, region, name]
            objects.append((token, cls, region, prior_others.get(pk, 0)))
            present.add(cls)
    order = [c for c in [*RiskClass.values, UNCLASSIFIED] if c in present]
    labels = {c: str(i + 1) for i, c in enumerate(order)}
    object_lines = sorted(f"{labels[c]}|{t}|{r}|{n}" for t, c, r, n in objects)

    entity_tokens = {v[1]: k for k, v in internal.items() if v[0] == "E"}
    other_tokens = {v[1]: k for k, v in internal.items() if v[0] == "X"}
    recusals: dict[int, list[str]] = {}
    for officer_id, entity_id, other_id in Recusal.objects.filter(declared_on__lte=on).values_list(
        "officer_id", "entity_id", "other_object_id"
    ):
        found = entity_tokens.get(entity_id) if entity_id else other_tokens.get(other_id)
        if found:
            recusals.setdefault(officer_id, []).append(found)
    officer_lines = []
    for team in teams:
        for pk, number, categories, region, valid_from, valid_until, status, agency_code, agency_status in (
            Officer.objects.filter(agency=team.agency)
            .values_list(
                "pk",
                "credential_number",
                "credential_categories",
                "credential_region",
                "valid_from",
                "valid_until",
                "status",
                "agency__credit_code",
                "agency__status",
            )
            .iterator(chunk_size=20000)
        ):
            officer_lines.append(
                "|".join(
                    [
                        number,
                        agency_code,
                        "+".join(sorted(categories)),
                        region,
                        valid_from.isoformat(),
                        valid_until.isoformat(),
                        status if agency_status == Agency.Status.ACTIVE else "agency_revoked",
                        ";".join(sorted(recusals.get(pk, []))),
                    ]
                )
            )
    officer_lines.sort()
    return Snapshot(object_lines, officer_lines, internal, order)


def _blob(data: bytes, media_type: str) -> str:
    return blob_ingest(stream=io.BytesIO(data), media_type=media_type).sm3


def read_lines(address: str) -> list[str]:
    with get_storage().open(address) as handle:
        data = handle.read()
    return data.decode().split("\n")[:-1] if data else []


def internal_lines(internal: dict[str, list[Any]]) -> bytes:
    """token → object and class, as sorted ``token|kind|pk|class|code|region|name`` lines (internal,
    never published; the name last, so it may hold a ``|``). The drawn targets are written from these
    lines alone: the draw reads nothing else of the 名录库 back."""

    def line(token: str, v: list[Any]) -> str:
        name = " ".join(str(v[5]).splitlines())
        return f"{token}|{v[0]}|{v[1]}|{v[2]}|{v[3]}|{v[4]}|{name}"

    return drawalgo.lines_bytes(sorted(line(t, v) for t, v in internal.items()))


def read_internal(draw: Draw, tokens: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The internal map of a draw, for ``tokens`` only or whole.

    Each value is ``[kind, pk, class, code, region, name]`` (``[kind, pk, class]`` for draws announced
    before the names were frozen with the snapshot). The blob's lines are sorted by token, so the wanted tokens, sorted, are found in one forward pass
    of ``bytes.find`` over the blob (each line starts with its token after a newline) without
    splitting its million lines."""
    with get_storage().open(draw.internal_blob) as handle:
        data = b"\n" + handle.read()
    wanted = (
        sorted(set(tokens))
        if tokens is not None
        else [line.split(b"|", 1)[0].decode() for line in data[1:].splitlines()]
    )
    out: dict[str, list[Any]] = {}
    at = 0
    for token in wanted:
        found = data.find(b"\n" + token.encode() + b"|", at)
        if found < 0:
            continue
        end = data.find(b"\n", found + 1)
        # token|kind|pk|class, and from 2026-12 also |code|region|name
        parts = data[found + 1 : end if end >= 0 else len(data)].decode().split("|", 6)
        out[token] = [parts[1], int(parts[2]), *parts[3:]]
        at = end if end >= 0 else len(data)
    return out


# ----------------------------------------------------------------------------- draws


def plan_loads(plan: Plan) -> dict[str, int]:
    """Objects each inspector (by credential number) has been drawn for in the plan's draws so far —
    drawn, not superseded by a re-draw — for the workload cap (``inspections.inspector_cap``)."""
    loads: dict[str, int] = {}
    for teams in Target.objects.filter(
        draw__batch__plan=plan,
        draw__outcome__status=DrawOutcome.Status.DRAWN,
        draw__redrawn_by__isnull=True,
    ).values_list("inspectors", flat=True):
        for team in teams:
            for credential in team:
                loads[credential] = loads.get(credential, 0) + 1
    return dict(sorted(loads.items()))


def _teams(plan: Plan) -> list[PlanAgency]:
    return list(plan.participants.select_related("agency").order_by("id"))


def draw_announce(
    *,
    actor: Any,
    batch: Batch,
    inspection_date: dt.date,
    randomness_source: str,
    randomness_expected_on: dt.date,
    per_object: int = 2,
    repeat_cap: int | None = None,
    exclusions: Sequence[str] = (),
    redraw_of: Draw | None = None,
    reason: str = "",
    beacon_network: str = "",
    beacon_round: int | None = None,
    inspector_cap: int | None = None,
) -> Draw:
    """Freeze both 名录库, hash them into the ledger and publish the parameters with the commitment to
    the agency's random value and the named future public randomness (the draw happens later).

    With ``beacon_network`` the public randomness is a future drand round (by default the first one
    after 12:00 Beijing time on ``randomness_expected_on``): the round is part of the hashed
    parameters and its signature is verified when the draw is made (:mod:`sanxiang.inspections.drand`)."""
    plan = batch.plan
    _require(actor, plan.lead_agency, PLAN_ROLES, "发起随机抽取")
    errors: list[FieldError] = []
    beacon: dict[str, Any] | None = None
    if beacon_network:
        try:
            net = drand.network(beacon_network)
        except drand.BeaconError as exc:
            raise InvalidInput([FieldError("beacon_network", exc.code, exc.message)]) from None
        if beacon_round is None:
            noon = dt.datetime.combine(
                randomness_expected_on, dt.time(12), tzinfo=timezone.get_current_timezone()
            )
            beacon_round = net.round_at(noon)
        at = net.round_time(beacon_round) if beacon_round >= 1 else None
        if at is None or at <= timezone.now():
            errors.append(
                FieldError(
                    "beacon_round",
                    "future",
                    f"drand 轮次: 第{beacon_round}轮已经产生或不存在，须是尚未产生的轮次（公共随机数须在公布抽取参数之后产生）",
                )
            )
        else:
            local = timezone.localtime(at)
            randomness_expected_on = local.date()
            if not (randomness_source or "").strip():
                randomness_source = (
                    f"{net.label}第{beacon_round}轮（北京时间 {local:%Y-%m-%d %H:%M:%S} 产生）"
                )
            beacon = {"network": net.name, "chain_hash": net.chain_hash, "round": beacon_round}
    if not PlanFiling.objects.filter(plan=plan).exists():
        # the commitment must be public before the randomness exists: only filed plans are public
        errors.append(
            FieldError("plan", "plan_filed", f"抽查计划: 尚未报司法局备案并公开，不能抽取（{PLAN_SOURCE}）")
        )
    today = timezone.localdate()
    randomness_source = (randomness_source or "").strip()
    if not randomness_source:
        errors.append(
            FieldError(
                "randomness_source",
                "required",
                "公共随机数来源: 须事先写明将使用的公开随机数（如某期彩票开奖号码）",
            )
        )
    if randomness_expected_on < today:
        errors.append(
            FieldError(
                "randomness_expected_on", "future", "公共随机数产生日期: 不得早于今天，须是尚未产生的随机数"
            )
        )
    if not batch.starts_on <= inspection_date <= batch.ends_on:
        errors.append(FieldError("inspection_date", "batch_dates", "检查日期: 应在本批次的起止日期内"))
    if inspection_date < randomness_expected_on:
        errors.append(
            FieldError("inspection_date", "after_randomness", "检查日期: 不得早于公共随机数产生日期")
        )
    minimum = rule_for("penalty.officers_minimum", region=plan.lead_agency.region_code, on=inspection_date)
    if per_object < minimum.value:  # type: ignore[operator]
        errors.append(
            FieldError(
                "per_object",
                "two_inspectors",
                f"每个对象的执法检查人员: 不得少于{minimum.value}人（{minimum.citation}）",
            )
        )
    if repeat_cap is not None and repeat_cap < 1:
        errors.append(FieldError("repeat_cap", "positive", "同一对象年度抽查次数上限: 应为正整数"))
    cap_rule = rule_for("inspections.inspector_cap", region=plan.lead_agency.region_code, on=inspection_date)
    if inspector_cap is None and cap_rule.value is not None:
        inspector_cap = int(cap_rule.value)
    if inspector_cap is not None and inspector_cap < 1:
        errors.append(
            FieldError(
                "inspector_cap",
                "positive",
                f"每名执法检查人员的检查对象数上限: 应为正整数（{cap_rule.label}，{cap_rule.citation}）",
            )
        )
    reason = (reason or "").strip()
    if redraw_of is not None:
        if redraw_of.batch_id != batch.pk:
            errors.append(FieldError("redraw_of", "batch", "原抽取: 应为本批次的抽取"))
        if not reason:
            errors.append(FieldError("reason", "required", "重新抽取理由: 必须写明，原抽取保留并公开"))
        if Draw.objects.filter(redraw_of=redraw_of).exists():
            errors.append(FieldError("redraw_of", "redrawn", "原抽取: 已重新抽取过，请在最新一次抽取上办理"))
    elif Draw.objects.filter(batch=batch, redrawn_by__isnull=True).exists():
        errors.append(FieldError("redraw_of", "required", "本批次已有抽取: 须作为重新抽取办理并写明理由"))
    if errors:
        raise InvalidInput(errors)
    teams = _teams(plan)
    salt = secrets.token_bytes(32)
    seed = secrets.token_bytes(32)
    snap = snapshot_build(batch=batch, teams=teams, on=inspection_date, salt=salt)
    item_ratio = format(batch.item.ratio.normalize(), "f")
    strata = []
    classes = {}
    for i, cls in enumerate(snap.classes):
        label = str(i + 1)
        classes[label] = cls
        strata.append({"stratum": label, "ratio": batch.ratios.get(cls, item_ratio)})
    objects_bytes = drawalgo.lines_bytes(snap.object_lines)
    officers_bytes = drawalgo.lines_bytes(snap.officer_lines)
    exclusion_tokens = []
    codes = {v[1]: k for k, v in snap.internal.items() if v[0] == "E"}
    by_code = dict(
        MarketEntity.objects.filter(credit_code__in=list(exclusions)).values_list("credit_code", "pk")
    )
    for i, code in enumerate(exclusions):
        token = codes.get(by_code.get(code))
        if token is None:
            raise InvalidInput(
                [FieldError(f"exclusions[{i}]", "object", f"排除对象 {code}: 不在本次检查对象名录库中")]
            )
        exclusion_tokens.append(token)
    parameters: dict[str, Any] = {
        "inspection_date": inspection_date.isoformat(),
        "strata": strata,
        "teams": [
            {"agency": t.agency.credit_code, "category": t.category, "per_object": per_object} for t in teams
        ],
        "exclusions": sorted(exclusion_tokens),
    }
    if repeat_cap is not None:
        parameters["repeat_cap"] = repeat_cap
    if beacon is not None:
        parameters["beacon"] = beacon
    if inspector_cap is not None:
        parameters["inspector_cap"] = inspector_cap
        parameters["inspector_loads"] = plan_loads(plan)
    parameters_sm3 = drawalgo.sm3_hex(drawalgo.canonical_json(parameters))
    commitment = drawalgo.sm3_hex(seed)
    with transaction.atomic():
        objects_blob = _blob(objects_bytes, "text/plain")
        officers_blob = _blob(officers_bytes, "text/plain")
        internal_blob = _blob(internal_lines(snap.internal), "text/plain")
        year = inspection_date.year
        count = Draw.objects.filter(agency=plan.lead_agency, inspection_date__year=year).count() + 1
        number = f"{plan.lead_agency.credit_code[-6:]}-抽{year}-{count:03d}"
        public_id = uuid.uuid4()
        entry = record(
            kind="inspections.draw.announced",
            subject=("inspections.draw", str(public_id)),
            actor=actor,
            payload={
                "number": number,
                "plan": plan.number,
                "batch": batch.position,
                "item": {"code": batch.item.code, "version": batch.item.version, "name": batch.item.name},
                "redraw_of": redraw_of.number if redraw_of else None,
                "reason": reason,
                "parameters": parameters,
                "parameters_sm3": parameters_sm3,
                "objects_sm3": objects_blob,
                "objects_count": len(snap.object_lines),
                "officers_sm3": officers_blob,
                "officers_count": len(snap.officer_lines),
                "internal_sm3": internal_blob,
                "commitment": commitment,
                "randomness_source": randomness_source,
                "randomness_expected_on": randomness_expected_on.isoformat(),
            },
            blobs=[objects_blob, officers_blob, internal_blob],
        )
        draw = Draw.objects.create(
            public_id=public_id,
            number=number,
            batch=batch,
            agency=plan.lead_agency,
            redraw_of=redraw_of,
            redraw_reason=reason,
            inspection_date=inspection_date,
            parameters=parameters,
            parameters_sm3=parameters_sm3,
            objects_blob=objects_blob,
            objects_sm3=objects_blob,
            objects_count=len(snap.object_lines),
            officers_blob=officers_blob,
            officers_sm3=officers_blob,
            officers_count=len(snap.officer_lines),
            internal_blob=internal_blob,
            strata_classes=classes,
            commitment=commitment,
            secret=seed.hex(),
            randomness_source=randomness_source,
            randomness_expected_on=randomness_expected_on,
            announced_by=actor,
            ledger_seq=entry.seq,
        )
    return draw


def draw_perform(
    *,
    actor: Any,
    draw: Draw,
    randomness: str = "",
    beacon_signature: str = "",
    beacon_previous_signature: str = "",
) -> DrawOutcome:
    """Enter the public randomness, reveal the agency's value and make the draw (a pure function of
    the snapshots, the parameters and both random values). Too few eligible inspectors: the failure
    is recorded with its reason (and raised); the draw can then be re-drawn with a reason.

    A draw committed to a drand round takes the round's signature (and, on the chained network, the
    previous round's) instead of typed randomness: it is verified with the network's public key and
    the randomness is derived from it."""
    _require(actor, draw.agency, PLAN_ROLES, "进行随机抽取")
    beacon_spec = draw.parameters.get("beacon")
    beacon: dict[str, Any] = {}
    if beacon_spec:
        net = drand.network(beacon_spec["network"])
        round_number = int(beacon_spec["round"])
        if timezone.now() < net.round_time(round_number):
            at = timezone.localtime(net.round_time(round_number))
            raise TransitionRefused(
                [
                    FieldError(
                        "beacon_signature",
                        "not_yet",
                        f"drand 第{round_number}轮: 要到北京时间 {at:%Y-%m-%d %H:%M:%S} 才产生，不能提前抽取",
                    )
                ]
            )
        try:
            randomness = drand.verify(net, round_number, beacon_signature, beacon_previous_signature)
        except drand.BeaconError as exc:
            field = (
                "beacon_previous_signature"
                if f"第{round_number - 1}轮" in exc.message
                else "beacon_signature"
            )
            raise InvalidInput([FieldError(field, exc.code, exc.message)]) from None
        beacon = {**beacon_spec, "signature": beacon_signature.strip().lower()}
        if net.chained:
            beacon["previous_signature"] = beacon_previous_signature.strip().lower()
    randomness = (randomness or "").strip()
    if not randomness or len(randomness) > 300:
        raise InvalidInput([FieldError("randomness", "required", "公共随机数: 须照录公开结果，不超过300字")])
    today = timezone.localdate()
    if today < draw.randomness_expected_on:
        raise TransitionRefused(
            [
                FieldError(
                    "randomness",
                    "not_yet",
                    f"公共随机数: 要到 {draw.randomness_expected_on} 才产生，不能提前抽取",
                )
            ]
        )
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if DrawOutcome.objects.filter(draw=draw).exists():
            raise TransitionRefused(
                [
                    FieldError(
                        "draw", "drawn", "随机抽取: 已经抽取，不能再次抽取；如需重抽请发起重新抽取并写明理由"
                    )
                ]
            )
        if Draw.objects.filter(redraw_of=draw).exists():
            raise TransitionRefused([FieldError("draw", "redrawn", "随机抽取: 已被重新抽取取代")])
        seed = bytes.fromhex(draw.secret)
        key = drawalgo.draw_key(
            seed=seed,
            randomness=randomness,
            parameters_sm3=draw.parameters_sm3,
            objects_sm3=draw.objects_sm3,
            officers_sm3=draw.officers_sm3,
        )
        failure = ""
        selection: dict[str, Any] = {}
        with drawalgo.gc_paused():
            try:
                result = drawalgo.select(
                    key=key,
                    parameters=drawalgo.parse_parameters(draw.parameters),
                    objects=read_lines(draw.objects_blob),
                    officers=drawalgo.parse_officers(read_lines(draw.officers_blob)),
                )
                selection = result.as_json()
            except drawalgo.DrawError as exc:
                if exc.code != "too_few_inspectors":
                    raise
                failure = exc.message
            internal = read_internal(draw, [o["token"] for o in selection["objects"]]) if not failure else {}
        entry = record(
            kind="inspections.draw.failed" if failure else "inspections.draw.drawn",
            subject=("inspections.draw", str(draw.public_id)),
            actor=actor,
            payload={
                "number": draw.number,
                "seed": draw.secret,
                "randomness": randomness,
                "beacon": beacon or None,
                "selection_sm3": drawalgo.sm3_hex(drawalgo.selection_bytes(selection)) if selection else "",
                "failure": failure,
            },
        )
        outcome = DrawOutcome.objects.create(
            draw=draw,
            status=DrawOutcome.Status.FAILED if failure else DrawOutcome.Status.DRAWN,
            randomness=randomness,
            beacon=beacon,
            selection=selection,
            failure_reason=failure,
            drawn_by=actor,
            ledger_seq=entry.seq,
        )
        if not failure:
            _targets_create(draw, selection, internal)
    if failure:
        raise TransitionRefused([FieldError("inspectors", "too_few_inspectors", failure)])
    return outcome


TARGET_COLUMNS = (
    "public_id", "draw_id", "position", "token", "entity_id", "other_object_id", "name", "code", "region_code",
    "inspectors",
)  # fmt: skip


def _uuid4_hex(n: int) -> list[str]:
    """``n`` random version-4 UUIDs as 32 hex digits (``uuid.uuid4()`` one by one costs more than the
    COPY of the rows they go into)."""
    raw = bytearray(secrets.token_bytes(16 * n))
    raw[6::16] = bytes((b & 0x0F) | 0x40 for b in raw[6::16])
    raw[8::16] = bytes((b & 0x3F) | 0x80 for b in raw[8::16])
    text = raw.hex()
    return [text[32 * i : 32 * i + 32] for i in range(n)]


def _names(model: Any, columns: str, pks: list[int]) -> dict[int, tuple[Any, ...]]:
    """``pk → (pk, name, code, region)`` for the drawn objects: one array parameter on PostgreSQL (an
    ``IN`` list of tens of thousands of placeholders costs more to build than to run)."""
    if not pks:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = model._meta.db_table  # our own model's table and a constant column list
            cursor.execute(f"SELECT {columns} FROM {table} WHERE id = ANY(%s)", [pks])  # noqa: S608
            return {r[0]: r for r in cursor.fetchall()}
    names = [c.strip() for c in columns.split(",")]
    return {r[0]: r for r in model.objects.filter(pk__in=pks).values_list(*names)}


def _targets_create(draw: Draw, selection: dict[str, Any], internal: dict[str, list[Any]]) -> None:
    """One row per drawn object (by COPY on PostgreSQL: a draw can name tens of thousands)."""
    picks = [(i, o, internal[o["token"]]) for i, o in enumerate(selection["objects"])]
    unnamed = [v for _, _, v in picks if len(v) < 6]  # announced before names were frozen: read them
    entities = _names(
        MarketEntity, "id, name, credit_code, region_code", [v[1] for v in unnamed if v[0] == "E"]
    )
    others = _names(OtherObject, "id, name, code, region_code", [v[1] for v in unnamed if v[0] == "X"])
    ids = _uuid4_hex(len(picks))
    rows = []
    for (i, o, v), public_id in zip(picks, ids, strict=True):
        kind, pk = v[0], v[1]
        if len(v) >= 6:
            code, region, name = v[3], v[4], v[5]
        else:
            _, name, code, region = entities[pk] if kind == "E" else others[pk]
        rows.append(
            (
                public_id, draw.pk, i + 1, o["token"], pk if kind == "E" else None, pk if kind == "X" else None,
                name, code, region, o["inspectors"],
            )
        )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            columns = ", ".join(TARGET_COLUMNS)
            with cursor.cursor.copy(f"COPY inspections_target ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row[:-1], json.dumps(row[-1])))
        return
    Target.objects.bulk_create(
        [Target(**dict(zip(TARGET_COLUMNS, (uuid.UUID(row[0]), *row[1:]), strict=True))) for row in rows],
        batch_size=2000,
    )


# ----------------------------------------------------------------------------- inspections and results


def inspection_open(*, actor: Any, target: Target) -> Inspection:
    """Open the drawn object's inspection as a case under the 行政检查 procedure, with the drawn team
    of the actor's agency as its officers and the draw as its 检查计划或抽查任务 record."""
    from sanxiang.cases import services as cases

    draw = target.draw
    team_index = next(
        (
            i
            for i, t in enumerate(draw.parameters["teams"])
            if t["agency"] == getattr(actor.agency, "credit_code", None)
        ),
        None,
    )
    if team_index is None:
        raise Forbidden("办理人: 本机关不是该抽取的检查单位")
    existing = Inspection.objects.filter(target=target, agency=actor.agency).first()
    if existing is not None:
        return existing
    officers = list(Officer.objects.filter(credential_number__in=target.inspectors[team_index]))
    officers.sort(key=lambda o: target.inspectors[team_index].index(o.credential_number))
    team = draw.parameters["teams"][team_index]
    if target.entity is not None:
        e = target.entity
        party = {
            "kind": "individual_business"
            if e.kind == MarketEntity.Kind.INDIVIDUAL_BUSINESS
            else "organisation",
            "name": e.name,
            "credit_code": e.credit_code,
            "legal_representative": e.legal_representative,
            "address": e.address,
        }
    else:
        x = target.other_object
        owner = x.entity if x else None
        if owner is None:
            raise TransitionRefused(
                [FieldError("target", "party", "检查对象: 未关联市场主体，不能登记当事人")]
            )
        party = {
            "kind": "organisation",
            "name": owner.name,
            "credit_code": owner.credit_code,
            "legal_representative": owner.legal_representative,
        }
    with transaction.atomic():
        case = cases.case_open(
            actor=actor,
            procedure="inspection",
            title=f"{draw.batch.item.name}（{target.name}）",
            source="spot_check",
            source_detail=f"双随机抽取 {draw.number} 第{target.position}号",
            officers=officers,
            parties=[party],
            category=team["category"],
            region_code=target.region_code,
        )
        cases.record_add(
            actor=actor,
            case=case,
            kind="inspection_plan",
            payload={"content": f"{draw.batch.plan.title} · {draw.batch.name}；抽取编号 {draw.number}"},
        )
        inspection = Inspection.objects.create(target=target, agency=actor.agency, case=case, opened_by=actor)
        record(
            kind="inspections.inspection.opened",
            subject=_subject(inspection),
            actor=actor,
            payload={"draw": draw.number, "target": target.position, "case": case.number},
        )
    return inspection


def result_enter(
    *,
    actor: Any,
    inspection: Inspection,
    outcome: str,
    description: str,
    checked_on: dt.date,
    penalty_case_number: str = "",
) -> ResultEntry:
    """录入检查结果 (→ 待审核); after a return, a new entry follows the returned one."""
    from sanxiang.cases.models import Case

    _require(actor, inspection.agency, (Role.OFFICER, Role.HEAD), "录入检查结果")
    errors: list[FieldError] = []
    if outcome not in Outcome.values:
        errors.append(
            FieldError(
                "outcome",
                "choice",
                "检查结果: 应为 未发现问题、发现问题已责令改正、发现问题已立案、未找到检查对象 之一",
            )
        )
    description = (description or "").strip()
    if not description:
        errors.append(FieldError("description", "required", "检查情况: 必须填写"))
    if checked_on > timezone.localdate():
        errors.append(FieldError("checked_on", "not_future", "检查完成日期: 不得晚于今天"))
    if checked_on < inspection.target.draw.inspection_date:
        errors.append(FieldError("checked_on", "after_draw", "检查完成日期: 不得早于抽取确定的检查日期"))
    penalty_case = None
    if outcome == Outcome.CASE_OPENED:
        penalty_case = (
            Case.objects.filter(agency=inspection.agency, number=(penalty_case_number or "").strip())
            .exclude(procedure="inspection")
            .first()
        )
        if penalty_case is None:
            errors.append(
                FieldError(
                    "penalty_case_number",
                    "case",
                    "立案案号: 发现问题已立案的，须填写本机关据此立案的案号（《中华人民共和国行政处罚法》第五十四条）",
                )
            )
    if errors:
        raise InvalidInput(errors)
    from sanxiang.inspections.periods import result_due

    due = result_due(region=inspection.agency.region_code, checked_on=checked_on)
    with transaction.atomic():
        last = (
            ResultEntry.objects.select_for_update().filter(inspection=inspection).order_by("-number").first()
        )
        if last is not None:
            review = ResultReview.objects.filter(entry=last).first()
            if review is None:
                raise TransitionRefused(
                    [FieldError("inspection", "pending_review", "检查结果: 已录入，待审核")]
                )
            if review.approved:
                raise TransitionRefused(
                    [FieldError("inspection", "published", "检查结果: 已公示；更正请通过公示更正办理")]
                )
        entry = ResultEntry.objects.create(
            inspection=inspection,
            number=(last.number + 1) if last else 1,
            outcome=outcome,
            description=description,
            checked_on=checked_on,
            penalty_case=penalty_case,
            due_date=due.date,
            rule_version=due.version_id,
            rule_citation=due.citation,
            entered_by=actor,
        )
        record(
            kind="inspections.result.entered",
            subject=_subject(inspection),
            actor=actor,
            payload={
                "number": entry.number,
                "outcome": outcome,
                "description": description,
                "checked_on": checked_on.isoformat(),
                "penalty_case": penalty_case.number if penalty_case else "",
                "due_date": due.date.isoformat(),
                "rule": due.version_id,
            },
        )
    return entry


def result_review(*, actor: Any, entry: ResultEntry, approve: bool, note: str = "") -> ResultReview:
    """审核检查结果: return it (审核退回, with the reason) or approve it, which records the result on the
    inspection case, moves the case to 结果公示 (the disclosure duty is created there) and publishes
    it through the disclosure app's internal review (公示办法 第三十条)."""
    from sanxiang.cases import services as cases
    from sanxiang.disclosure.models import Duty
    from sanxiang.disclosure.services import disclosure_draft_review

    inspection = entry.inspection
    _require(actor, inspection.agency, (Role.HEAD, Role.DISCLOSURE_OFFICER), "审核检查结果")
    note = (note or "").strip()
    if entry.entered_by_id == actor.pk:
        raise TransitionRefused(
            [
                FieldError(
                    "actor",
                    "four_eyes",
                    "审核人: 不得审核本人录入的检查结果（《松原市行政执法公示办法》第三十条）",
                )
            ]
        )
    if not approve and not note:
        raise InvalidInput([FieldError("note", "required", "审核意见: 退回的须写明理由")])
    with transaction.atomic():
        entry = ResultEntry.objects.select_for_update().get(pk=entry.pk)
        if ResultReview.objects.filter(entry=entry).exists():
            raise TransitionRefused([FieldError("entry", "reviewed", "检查结果: 已审核")])
        duty_id = ""
        if approve:
            case = inspection.case
            case.refresh_from_db()
            if case.stage != "result":
                raise TransitionRefused(
                    [
                        FieldError(
                            "case",
                            "stage",
                            f"检查案件 {case.number}: 现场检查尚未完成（当前环节不是“检查结果”），不能公示结果",
                        )
                    ]
                )
            officer = entry.entered_by
            problems = entry.outcome in (Outcome.CORRECTED, Outcome.CASE_OPENED)
            cases.record_add(
                actor=officer,
                case=case,
                kind="inspection_result",
                payload={
                    "problems_found": problems,
                    "content": f"{Outcome(entry.outcome).label}：{entry.description}",
                },
            )
            if entry.outcome == Outcome.CASE_OPENED:
                assert entry.penalty_case is not None
                cases.record_add(
                    actor=officer,
                    case=case,
                    kind="referral_to_case",
                    payload={"content": f"转立案查处，案号 {entry.penalty_case.number}"},
                )
                cases.case_transition(actor=officer, case=case, transition="refer")
            else:
                cases.case_transition(actor=officer, case=case, transition="publish")
            duty = Duty.objects.filter(
                agency=inspection.agency, source_kind="inspection", source_ref=case.number
            ).first()
            if duty is None:
                raise TransitionRefused([FieldError("case", "duty", "检查结果: 未能建立公示义务")])
            draft = duty.drafts.order_by("-number").first()
            if draft is not None:
                disclosure_draft_review(
                    actor=actor, draft=draft, approve=True, note=note or "检查结果审核通过"
                )
            duty_id = str(duty.public_id)
        review = ResultReview.objects.create(
            entry=entry, approved=approve, note=note[:500], duty_public_id=duty_id, reviewer=actor
        )
        record(
            kind="inspections.result.reviewed",
            subject=_subject(inspection),
            actor=actor,
            payload={"number": entry.number, "approved": approve, "note": note[:500], "duty": duty_id},
        )
    return review


def target_for(user: Any, public_id: Any) -> Target:
    try:
        target = Target.objects.select_related("draw", "draw__batch", "entity", "other_object").get(
            public_id=public_id
        )
    except (Target.DoesNotExist, ValueError, TypeError):
        raise NotFound("target") from None
    codes = [t["agency"] for t in target.draw.parameters["teams"]]
    if getattr(getattr(user, "agency", None), "credit_code", None) not in codes:
        raise NotFound("target")
    return target
