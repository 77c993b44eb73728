"""双随机一公开 pages. Staff: items → plan → draw → teams → inspection → result entry and review; the
supervisor's overview. Portal: plans, draws with their proof, 核验, results. Views parse, call a
service or a selector, and render."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxiang.accounts.roles import Role
from sanxiang.catalog.models import SpotCheckItem
from sanxiang.catalog.selectors import in_force
from sanxiang.errors import FieldError, InvalidInput, NotFound, SanxiangError
from sanxiang.exports import safe_row
from sanxiang.inspections import drand, selectors, services
from sanxiang.inspections.models import (
    OTHER_KINDS,
    Batch,
    Draw,
    Level,
    ObjectKind,
    OtherObject,
    Outcome,
    PlanFiling,
    Recusal,
    ResultState,
    RiskClass,
    SpotCheckProfile,
    Target,
)
from sanxiang.registry.models import Agency, EnforcementCategory, Officer
from sanxiang.rules.selectors import rule_for


def _errors(request: HttpRequest, exc: SanxiangError) -> None:
    for e in exc.errors or []:
        messages.error(request, e.message)
    if not exc.errors:
        messages.error(request, exc.title)


def _date(request: HttpRequest, name: str, label: str, errors: list[FieldError]) -> dt.date | None:
    raw = (request.POST.get(name) or "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(name, "date", f"{label}: 应为日期 YYYY-MM-DD"))
        return None


def _int(
    request: HttpRequest, name: str, label: str, errors: list[FieldError], default: int | None = None
) -> int | None:
    raw = (request.POST.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        errors.append(FieldError(name, "integer", f"{label}: 应为整数"))
        return None


def _names(credentials: list[str]) -> dict[str, str]:
    return dict(
        Officer.objects.filter(credential_number__in=credentials).values_list("credential_number", "name")
    )


# ----------------------------------------------------------------------------- staff


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    items: list[tuple[SpotCheckItem, SpotCheckProfile | None]] = []
    if user.agency is not None and not user.agency.is_supervisory:
        found = list(in_force(SpotCheckItem, agency=user.agency, on=timezone.localdate()).order_by("code"))
        profiles = {p.item_id: p for p in SpotCheckProfile.objects.filter(item__in=found)}
        items = [(i, profiles.get(i.pk)) for i in found]  # type: ignore[misc]
    plans = list(selectors.visible_plans(user).order_by("-year", "-created_at")[:100])
    partners = Agency.objects.filter(status=Agency.Status.ACTIVE, is_supervisory=False).exclude(
        pk=user.agency_id
    )
    return render(
        request,
        "inspections/staff/home.html",
        {
            "items": items,
            "plans": plans,
            "partners": partners,
            "levels": Level.choices,
            "kinds": ObjectKind.choices,
            "categories": [
                (c, EnforcementCategory(c).label) for c in (user.agency.categories if user.agency else [])
            ],
            "classes": RiskClass.choices,
            "can_plan": user.has_role(Role.HEAD) or user.has_role(Role.OFFICER),
            "can_oversee": _can_oversee(user),
            "year": timezone.localdate().year,
            "officers": Officer.objects.filter(agency=user.agency).order_by("name") if user.agency else [],
            "recusal_kinds": Recusal.Kind.choices,
            "recusals": Recusal.objects.filter(officer__agency=user.agency)
            .select_related("officer", "entity")
            .order_by("-id")[:20]
            if user.agency
            else [],
        },
    )


@login_required
@require_POST
def profile_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        item = SpotCheckItem.objects.get(public_id=request.POST.get("item"), agency=user.agency)
        services.profile_set(
            actor=user,
            item=item,
            level=request.POST.get("level", ""),
            object_kinds=request.POST.getlist("object_kinds"),
            category=request.POST.get("category", ""),
        )
        messages.success(request, f"已设置抽查事项「{item.name}」的检查属性")
    except (SpotCheckItem.DoesNotExist, ValueError):
        messages.error(request, "抽查事项: 不是本机关现行随机抽查事项清单中的事项")
    except SanxiangError as exc:
        _errors(request, exc)
    return redirect("inspections:staff_home")


@login_required
def objects_page(request: HttpRequest) -> HttpResponse:
    """产品、工程项目、场所 in the agency's 检查对象名录库: the list and the form that adds one."""
    user: Any = request.user
    if request.method == "POST":
        try:
            obj = services.other_object_register(
                actor=user,
                kind=request.POST.get("kind", ""),
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                region_code=request.POST.get("region_code", ""),
                risk_class=request.POST.get("risk_class", ""),
                owner_credit_code=request.POST.get("owner_credit_code", ""),
            )
            messages.success(request, f"已将{obj.get_kind_display()}“{obj.name}”登记入检查对象名录库")
            return redirect("inspections:objects")
        except SanxiangError as exc:
            _errors(request, exc)
    objects = (
        OtherObject.objects.filter(agency=user.agency).select_related("entity").order_by("kind", "code")
        if user.agency
        else OtherObject.objects.none()
    )
    return render(
        request,
        "inspections/staff/objects.html",
        {
            "objects": objects[:500],
            "count": objects.count(),
            "kinds": [(k.value, k.label) for k in OTHER_KINDS],
            "classes": RiskClass.choices,
            "can_add": user.has_role(Role.HEAD) or user.has_role(Role.OFFICER),
            "region": getattr(user.agency, "region_code", ""),
            "form": request.POST if request.method == "POST" else {},
        },
    )


@login_required
@require_POST
def recusal_new(request: HttpRequest) -> HttpResponse:
    from sanxiang.registry.models import MarketEntity

    user: Any = request.user
    officer = Officer.objects.filter(
        public_id=request.POST.get("officer") or None, agency=user.agency
    ).first()
    code = (request.POST.get("credit_code") or "").strip().upper()
    entity = MarketEntity.objects.filter(credit_code=code).first() if code else None
    if officer is None:
        messages.error(request, "执法人员: 请选择本机关的执法人员")
    elif entity is None:
        messages.error(request, "检查对象: 市场主体名录库中没有该统一社会信用代码")
    else:
        try:
            services.recusal_declare(
                actor=user,
                officer=officer,
                entity=entity,
                kind=request.POST.get("kind", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"已登记 {officer.name} 与 {entity.name} 的回避关系，今后抽取不会选派")
        except SanxiangError as exc:
            _errors(request, exc)
    return redirect("inspections:staff_home")


@login_required
@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    errors: list[FieldError] = []
    starts = _date(request, "starts_on", "开始日期", errors)
    ends = _date(request, "ends_on", "结束日期", errors)
    year = _int(request, "year", "年度", errors)
    item = None
    try:
        item = SpotCheckItem.objects.get(public_id=request.POST.get("item"), agency=user.agency)
    except (SpotCheckItem.DoesNotExist, ValueError):
        errors.append(FieldError("item", "choice", "抽查事项: 请选择本机关随机抽查事项清单中的事项"))
    ratios = {c: (request.POST.get(f"ratio_{c}") or "").strip() for c in RiskClass.values}
    ratios = {c: v for c, v in ratios.items() if v}
    partners = []
    for pid in request.POST.getlist("partners"):
        agency = Agency.objects.filter(public_id=pid).first() if pid else None
        if agency is not None:
            cat = next((c for c in agency.categories if c != EnforcementCategory.SUPERVISION), "")
            partners.append((agency, cat))
    if errors:
        for e in errors:
            messages.error(request, e.message)
        return redirect("inspections:staff_home")
    assert item is not None and starts is not None and ends is not None and year is not None
    try:
        plan = services.plan_create(
            actor=user,
            year=year,
            title=request.POST.get("title", ""),
            scope=request.POST.get("scope", ""),
            batches=[
                services.BatchInput(
                    request.POST.get("batch_name", "") or "第一批", item, starts, ends, ratios
                )
            ],
            partners=partners,
        )
    except SanxiangError as exc:
        _errors(request, exc)
        return redirect("inspections:staff_home")
    messages.success(request, f"已制定抽查计划 {plan.number}")
    return redirect("inspections:plan_detail", plan.public_id)


@login_required
def plan_detail(request: HttpRequest, plan_id: Any) -> HttpResponse:
    user: Any = request.user
    try:
        plan = selectors.plan_for(user, plan_id)
    except NotFound:
        return render(request, "inspections/staff/missing.html", status=404)
    batches = []
    for batch in plan.batches.select_related("item").order_by("position"):
        draws = list(selectors.draws_of_plan(plan).filter(batch=batch))
        replaced = {d.redraw_of_id for d in draws if d.redraw_of_id}
        current = next((d for d in draws if d.pk not in replaced), None)
        batches.append(
            {"batch": batch, "draws": [(d, selectors.draw_state(d)) for d in draws], "current": current}
        )
    filing = PlanFiling.objects.filter(plan=plan).select_related("supervisor").first()
    return render(
        request,
        "inspections/staff/plan.html",
        {
            "plan": plan,
            "batches": batches,
            "filing": filing,
            "participants": list(plan.participants.select_related("agency")),
            "is_lead": user.agency_id == plan.lead_agency_id,
            "is_head": user.has_role(Role.HEAD),
            "today": timezone.localdate(),
            "cap_rule": rule_for(
                "inspections.inspector_cap", region=plan.lead_agency.region_code, on=timezone.localdate()
            ),
        },
    )


@login_required
@require_POST
def plan_file(request: HttpRequest, plan_id: Any) -> HttpResponse:
    try:
        plan = selectors.plan_for(request.user, plan_id)
        filing = services.plan_file(actor=request.user, plan=plan)
        messages.success(request, f"已报{filing.supervisor.name}备案")
    except SanxiangError as exc:
        _errors(request, exc)
    return redirect("inspections:plan_detail", plan_id)


@login_required
@require_POST
def draw_new(request: HttpRequest, batch_id: Any) -> HttpResponse:
    user: Any = request.user
    try:
        batch = Batch.objects.select_related("plan").get(public_id=batch_id)
        selectors.plan_for(user, batch.plan.public_id)
    except (Batch.DoesNotExist, ValueError, NotFound):
        return render(request, "inspections/staff/missing.html", status=404)
    errors: list[FieldError] = []
    inspection_date = _date(request, "inspection_date", "检查日期", errors)
    expected = _date(request, "randomness_expected_on", "公共随机数产生日期", errors)
    per_object = _int(request, "per_object", "每个对象的执法检查人员数", errors, default=2)
    cap = _int(request, "repeat_cap", "同一对象年度抽查次数上限", errors)
    inspector_cap = _int(request, "inspector_cap", "每名执法检查人员的检查对象数上限", errors)
    exclusions = [c.strip() for c in (request.POST.get("exclusions") or "").split() if c.strip()]
    beacon_network = (
        request.POST.get("beacon_network", "") if request.POST.get("source_kind") == "drand" else ""
    )
    beacon_round = _int(request, "beacon_round", "drand 轮次", errors) if beacon_network else None
    redraw_of = None
    if request.POST.get("redraw_of"):
        redraw_of = Draw.objects.filter(public_id=request.POST["redraw_of"], batch=batch).first()
    if errors:
        for e in errors:
            messages.error(request, e.message)
        return redirect("inspections:plan_detail", batch.plan.public_id)
    assert inspection_date is not None and expected is not None and per_object is not None
    try:
        draw = services.draw_announce(
            actor=user,
            batch=batch,
            inspection_date=inspection_date,
            randomness_source=request.POST.get("randomness_source", ""),
            randomness_expected_on=expected,
            per_object=per_object,
            repeat_cap=cap,
            exclusions=exclusions,
            redraw_of=redraw_of,
            reason=request.POST.get("reason", ""),
            beacon_network=beacon_network,
            beacon_round=beacon_round,
            inspector_cap=inspector_cap,
        )
    except SanxiangError as exc:
        _errors(request, exc)
        if redraw_of is not None:
            return redirect("inspections:draw_detail", redraw_of.public_id)
        return redirect("inspections:plan_detail", batch.plan.public_id)
    messages.success(request, f"已公布抽取 {draw.number} 的参数和承诺值，待公共随机数产生后抽取")
    return redirect("inspections:draw_detail", draw.public_id)


@login_required
def draw_detail(request: HttpRequest, draw_id: Any) -> HttpResponse:
    user: Any = request.user
    try:
        draw = selectors.draw_for(user, draw_id)
    except NotFound:
        return render(request, "inspections/staff/missing.html", status=404)
    outcome = selectors.outcome_of(draw)
    targets = list(draw.targets.select_related("entity").order_by("position")) if outcome else []
    credentials = [c for t in targets for team in t.inspectors for c in team]
    names = _names(credentials)
    opened = {
        (i.target_id, i.agency_id): i
        for i in selectors.inspections_of_draw(draw)
        if user.agency_id == i.agency_id
    }
    codes = [t["agency"] for t in draw.parameters["teams"]]
    team_agencies = {a.credit_code: a for a in Agency.objects.filter(credit_code__in=codes)}
    rows = []
    for t in targets:
        teams = [
            (team_agencies.get(codes[i]), [(c, names.get(c, c)) for c in team])
            for i, team in enumerate(t.inspectors)
        ]
        rows.append({"target": t, "teams": teams, "inspection": opened.get((t.pk, user.agency_id))})
    redrawn_by = Draw.objects.filter(redraw_of=draw).first()
    return render(
        request,
        "inspections/staff/draw.html",
        {
            "draw": draw,
            "outcome": outcome,
            "state": selectors.draw_state(draw),
            "rows": rows,
            "ratios": selectors.realised_ratios(draw),
            "redrawn_by": redrawn_by,
            "is_lead": user.agency_id == draw.agency_id,
            "is_team": getattr(user.agency, "credit_code", None) in codes,
            "can_draw": outcome is None
            and redrawn_by is None
            and timezone.localdate() >= draw.randomness_expected_on,
            "verified": selectors.verify_draw(draw) if outcome and outcome.status == "drawn" else None,
            "teams": [(team_agencies.get(t["agency"]), t) for t in draw.parameters["teams"]],
            "beacon": _beacon(draw),
            "today": timezone.localdate(),
        },
    )


def _beacon(draw: Draw) -> dict[str, Any] | None:
    """The drand round a draw is committed to, for the pages (network, round, its time)."""
    spec = draw.parameters.get("beacon")
    if not spec:
        return None
    net = drand.network(spec["network"])
    return {
        "network": net,
        "round": spec["round"],
        "at": timezone.localtime(net.round_time(spec["round"])),
        "due": timezone.now() >= net.round_time(spec["round"]),
    }


@login_required
@require_POST
def draw_perform(request: HttpRequest, draw_id: Any) -> HttpResponse:
    try:
        draw = selectors.draw_for(request.user, draw_id)
        services.draw_perform(
            actor=request.user,
            draw=draw,
            randomness=request.POST.get("randomness", ""),
            beacon_signature=request.POST.get("beacon_signature", ""),
            beacon_previous_signature=request.POST.get("beacon_previous_signature", ""),
        )
        messages.success(request, "已抽取：检查对象和执法检查人员已确定，抽取过程可公开核验")
    except SanxiangError as exc:
        _errors(request, exc)
    return redirect("inspections:draw_detail", draw_id)


@login_required
@require_POST
def inspection_open(request: HttpRequest, target_id: Any) -> HttpResponse:
    try:
        target = services.target_for(request.user, target_id)
        inspection = services.inspection_open(actor=request.user, target=target)
    except SanxiangError as exc:
        _errors(request, exc)
        target = Target.objects.filter(public_id=target_id).select_related("draw").first()
        if target is None:
            return render(request, "inspections/staff/missing.html", status=404)
        return redirect("inspections:draw_detail", target.draw.public_id)
    messages.success(request, f"已建立检查案件 {inspection.case.number}")
    return redirect("inspections:inspection_detail", inspection.public_id)


@login_required
def inspection_detail(request: HttpRequest, inspection_id: Any) -> HttpResponse:
    user: Any = request.user
    try:
        inspection = selectors.inspection_for(user, inspection_id)
    except NotFound:
        return render(request, "inspections/staff/missing.html", status=404)
    entries = list(inspection.entries.all())
    state = selectors.result_state(inspection, entries)
    latest = max(entries, key=lambda e: e.number) if entries else None
    target = inspection.target
    team_index = next(
        (
            i
            for i, t in enumerate(target.draw.parameters["teams"])
            if t["agency"] == inspection.agency.credit_code
        ),
        0,
    )
    team = target.inspectors[team_index] if target.inspectors else []
    names = _names(team)
    same_agency = user.agency_id == inspection.agency_id
    return render(
        request,
        "inspections/staff/inspection.html",
        {
            "inspection": inspection,
            "target": target,
            "team": [(c, names.get(c, c)) for c in team],
            "entries": sorted(entries, key=lambda e: e.number),
            "latest": latest,
            "state": state,
            "state_label": ResultState(state).label,
            "outcomes": Outcome.choices,
            "can_enter": same_agency
            and (user.has_role(Role.OFFICER) or user.has_role(Role.HEAD))
            and state in (ResultState.PENDING_ENTRY, ResultState.RETURNED),
            "can_review": same_agency
            and (user.has_role(Role.HEAD) or user.has_role(Role.DISCLOSURE_OFFICER))
            and state == ResultState.PENDING_REVIEW
            and latest is not None
            and latest.entered_by_id != user.pk,
            "case_ready": inspection.case.stage == "result",
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def result_enter(request: HttpRequest, inspection_id: Any) -> HttpResponse:
    errors: list[FieldError] = []
    checked_on = _date(request, "checked_on", "检查完成日期", errors)
    try:
        inspection = selectors.inspection_for(request.user, inspection_id)
        if errors:
            raise InvalidInput(errors)
        assert checked_on is not None
        services.result_enter(
            actor=request.user,
            inspection=inspection,
            outcome=request.POST.get("outcome", ""),
            description=request.POST.get("description", ""),
            checked_on=checked_on,
            penalty_case_number=request.POST.get("penalty_case_number", ""),
        )
        messages.success(request, "检查结果已录入，待审核")
    except SanxiangError as exc:
        _errors(request, exc)
    return redirect("inspections:inspection_detail", inspection_id)


@login_required
@require_POST
def result_review(request: HttpRequest, inspection_id: Any) -> HttpResponse:
    try:
        inspection = selectors.inspection_for(request.user, inspection_id)
        entry = inspection.entries.order_by("-number").first()
        if entry is None:
            raise InvalidInput([FieldError("entry", "required", "检查结果: 尚未录入")])
        approve = request.POST.get("decision") == "approve"
        services.result_review(
            actor=request.user, entry=entry, approve=approve, note=request.POST.get("note", "")
        )
        messages.success(request, "审核通过，检查结果已公示" if approve else "已退回录入人修改")
    except SanxiangError as exc:
        _errors(request, exc)
    return redirect("inspections:inspection_detail", inspection_id)


def _can_oversee(user: Any) -> bool:
    """The supervisor, the administrator and an agency's head see every unit's progress."""
    return user.has_role(Role.SUPERVISOR) or user.has_role(Role.ADMINISTRATOR) or user.has_role(Role.HEAD)


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not _can_oversee(user):
        return render(request, "inspections/staff/missing.html", status=403)
    return render(
        request,
        "inspections/staff/supervision.html",
        {
            "rows": selectors.supervisor_overview(user),
            "plans": list(selectors.visible_plans(user).order_by("-year", "number")[:200]),
            "alerts": selectors.repeat_alerts(user),
        },
    )


# ----------------------------------------------------------------------------- exports


def results_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Published results in the 国家企业信用信息公示系统 抽查检查结果 layout (public data only)."""
    rows = selectors.published_results()
    header = [name for name, _ in selectors.EXPORT_COLUMNS]
    table = [safe_row(r[key] for _, key in selectors.EXPORT_COLUMNS) for r in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(table)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="spot-check-results.csv"'
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("抽查检查结果")
    sheet.append(header)
    for line in table:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="spot-check-results.xlsx"'
    return response


# ----------------------------------------------------------------------------- portal


def public_plans(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.public_plans().order_by("-year", "number")[:200])
    draws = list(selectors.public_draws().order_by("-announced_at")[:200])
    return render(
        request,
        "inspections/portal/plans.html",
        {"plans": plans, "draws": [(d, selectors.draw_state(d)) for d in draws]},
    )


def public_draw(request: HttpRequest, draw_id: Any) -> HttpResponse:
    try:
        draw = selectors.public_draw(draw_id)
    except NotFound:
        return render(request, "inspections/portal/missing.html", status=404)
    outcome = selectors.outcome_of(draw)
    targets = list(draw.targets.order_by("position")) if outcome else []
    names = _names([c for t in targets for team in t.inspectors for c in team])
    codes = [t["agency"] for t in draw.parameters["teams"]]
    agencies = {a.credit_code: a.name for a in Agency.objects.filter(credit_code__in=codes)}
    return render(
        request,
        "inspections/portal/draw.html",
        {
            "draw": draw,
            "outcome": outcome,
            "state": selectors.draw_state(draw),
            "targets": [
                (
                    t,
                    [
                        (agencies.get(codes[i], ""), [(c, names.get(c, c)) for c in team])
                        for i, team in enumerate(t.inspectors)
                    ],
                )
                for t in targets
            ],
            "teams": [(agencies.get(t["agency"], t["agency"]), t) for t in draw.parameters["teams"]],
            "strata": draw.parameters["strata"],
            "redrawn_by": Draw.objects.filter(redraw_of=draw).first(),
            "beacon": _beacon(draw),
        },
    )


def public_draw_json(request: HttpRequest, draw_id: Any) -> HttpResponse:
    try:
        draw = selectors.public_draw(draw_id)
    except NotFound:
        return HttpResponse(status=404)
    body = json.dumps(selectors.draw_document(draw), ensure_ascii=False, indent=0)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.public_id}.json"'
    return response


def public_verify(request: HttpRequest, draw_id: Any) -> HttpResponse:
    try:
        draw = selectors.public_draw(draw_id)
    except NotFound:
        return render(request, "inspections/portal/missing.html", status=404)
    outcome = selectors.verify_draw(draw)
    return render(request, "inspections/portal/verify.html", {"draw": draw, "outcome": outcome})


def public_results(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/portal/results.html", {"rows": selectors.published_results()[:500]})
