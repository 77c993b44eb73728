"""双随机 reads: who may see which plan and draw, the published draw document, result states, the
supervisor's overview and the fairness signals (history, 重复检查, realised ratios)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from sanxiang.errors import NotFound
from sanxiang.inspections import drawalgo
from sanxiang.inspections.models import (
    Draw,
    DrawOutcome,
    Inspection,
    Plan,
    ResultEntry,
    ResultState,
    Target,
)
from sanxiang.inspections.services import read_lines
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope


def visible_plans(user: Any) -> QuerySet[Plan]:
    scope = agency_scope(user)
    qs = Plan.objects.select_related("lead_agency", "filing").prefetch_related(
        "participants__agency", "batches"
    )
    if scope is None:
        return qs
    ids = Agency.objects.filter(scope).values("pk")
    return qs.filter(Q(lead_agency__in=ids) | Q(participants__agency__in=ids)).distinct()


def plan_for(user: Any, public_id: Any) -> Plan:
    try:
        return visible_plans(user).get(public_id=public_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFound("plan") from None


def public_plans() -> QuerySet[Plan]:
    """Plans filed with the supervising 司法局 are public (事前公开)."""
    return (
        Plan.objects.filter(filing__isnull=False)
        .select_related("lead_agency", "filing")
        .prefetch_related("participants__agency", "batches")
    )


def draws_of_plan(plan: Plan) -> QuerySet[Draw]:
    return (
        Draw.objects.filter(batch__plan=plan)
        .select_related("batch", "redraw_of", "outcome", "redrawn_by")
        .order_by("announced_at", "id")
    )


def public_draws() -> QuerySet[Draw]:
    return Draw.objects.filter(batch__plan__filing__isnull=False).select_related(
        "batch", "batch__plan", "batch__item", "agency", "redraw_of", "outcome", "redrawn_by"
    )


def public_draw(public_id: Any) -> Draw:
    try:
        return public_draws().get(public_id=public_id)
    except (Draw.DoesNotExist, ValueError, TypeError):
        raise NotFound("draw") from None


def draw_for(user: Any, public_id: Any) -> Draw:
    try:
        draw = Draw.objects.select_related("batch", "batch__plan", "batch__item", "agency", "outcome").get(
            public_id=public_id
        )
    except (Draw.DoesNotExist, ValueError, TypeError):
        raise NotFound("draw") from None
    if not visible_plans(user).filter(pk=draw.batch.plan_id).exists():
        raise NotFound("draw")
    return draw


def outcome_of(draw: Draw) -> DrawOutcome | None:
    try:
        return draw.outcome
    except DrawOutcome.DoesNotExist:
        return None


def draw_state(draw: Draw) -> str:
    outcome = outcome_of(draw)
    if outcome is None:
        return "等待公共随机数" if timezone.localdate() <= draw.randomness_expected_on else "待抽取"
    return str(outcome.get_status_display())


def draw_document(draw: Draw) -> dict[str, Any]:
    """The published draw (``draw.json``): inputs, commitment, and once drawn the revealed value, the
    public randomness and the selection, with the drawn objects' names (never their credit class)."""
    outcome = outcome_of(draw)
    batch = draw.batch
    document: dict[str, Any] = {
        "format": drawalgo.FORMAT,
        "draw": {
            "number": draw.number,
            "agency": draw.agency.name,
            "plan": batch.plan.title,
            "batch": batch.name,
            "item": f"{batch.item.code} {batch.item.name}",
            "redraw_of": draw.redraw_of.number if draw.redraw_of else None,
            "redraw_reason": draw.redraw_reason,
            "announced_at": timezone.localtime(draw.announced_at).isoformat(),
            "ledger_seq": draw.ledger_seq,
        },
        "parameters": draw.parameters,
        "parameters_sm3": draw.parameters_sm3,
        "objects_sm3": draw.objects_sm3,
        "officers_sm3": draw.officers_sm3,
        "commitment": draw.commitment,
        "randomness_source": draw.randomness_source,
        "randomness_expected_on": draw.randomness_expected_on.isoformat(),
        "objects": read_lines(draw.objects_blob),
        "officers": read_lines(draw.officers_blob),
    }
    if outcome is not None:
        document["seed"] = draw.secret
        document["randomness"] = outcome.randomness
        if outcome.beacon:
            document["beacon"] = outcome.beacon
        if outcome.status == DrawOutcome.Status.DRAWN:
            document["result"] = outcome.selection
            document["targets"] = [
                {"token": token, "name": name, "code": code}
                for token, name, code in Target.objects.filter(draw=draw)
                .order_by("position")
                .values_list("token", "name", "code")
            ]
        else:
            document["failure"] = outcome.failure_reason
    return document


def verify_draw(draw: Draw) -> drawalgo.Outcome:
    """Re-run the pure function on the published document (the portal's 核验)."""
    return drawalgo.verify_document(draw_document(draw))


# ----------------------------------------------------------------------------- results


def result_state(inspection: Inspection, entries: list[ResultEntry] | None = None) -> str:
    entries = entries if entries is not None else list(inspection.entries.select_related("review"))
    if not entries:
        return ResultState.PENDING_ENTRY
    last = max(entries, key=lambda e: e.number)
    review = getattr(last, "review", None) if _has_review(last) else None
    if review is None:
        return ResultState.PENDING_REVIEW
    return ResultState.PUBLISHED if review.approved else ResultState.RETURNED


def _has_review(entry: ResultEntry) -> bool:
    try:
        entry.review  # noqa: B018
    except ResultEntry.review.RelatedObjectDoesNotExist:
        return False
    return True


def latest_entry(inspection: Inspection) -> ResultEntry | None:
    return inspection.entries.select_related("review").order_by("-number").first()


def inspections_of_draw(draw: Draw) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(target__draw=draw)
        .select_related("target", "agency", "case")
        .prefetch_related(Prefetch("entries", queryset=ResultEntry.objects.select_related("review")))
    )


def visible_inspections(user: Any) -> QuerySet[Inspection]:
    scope = agency_scope(user)
    qs = Inspection.objects.select_related("target", "target__draw", "agency", "case").prefetch_related(
        Prefetch("entries", queryset=ResultEntry.objects.select_related("review", "entered_by"))
    )
    if scope is None:
        return qs
    return qs.filter(agency__in=Agency.objects.filter(scope).values("pk"))


def inspection_for(user: Any, public_id: Any) -> Inspection:
    try:
        return visible_inspections(user).get(public_id=public_id)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise NotFound("inspection") from None


def published_results() -> list[dict[str, Any]]:
    """Every published result (审核通过), newest first, for the portal and the pull API."""
    rows = []
    for entry in (
        ResultEntry.objects.filter(review__approved=True)
        .select_related(
            "inspection__target__draw__batch__item", "inspection__agency", "review", "penalty_case"
        )
        .order_by("-review__reviewed_at")
    ):
        rows.append(result_row(entry))
    return rows


def result_row(entry: ResultEntry) -> dict[str, Any]:
    """One result in the 国家企业信用信息公示系统 抽查检查结果 layout."""
    inspection = entry.inspection
    target = inspection.target
    draw = target.draw
    return {
        "entity_name": target.name,
        "credit_code": target.code,
        "inspecting_agency": inspection.agency.name,
        "kind": "双随机抽查",
        "item": draw.batch.item.name,
        "draw_number": draw.number,
        "checked_on": entry.checked_on.isoformat(),
        "result": entry.get_outcome_display(),
        "penalty_case": entry.penalty_case.number if entry.penalty_case else "",
        "published_on": timezone.localdate(entry.review.reviewed_at).isoformat(),
    }


EXPORT_COLUMNS = (
    ("市场主体名称", "entity_name"),
    ("统一社会信用代码/注册号", "credit_code"),
    ("检查实施机关", "inspecting_agency"),
    ("类型", "kind"),
    ("检查事项", "item"),
    ("抽查计划/任务编号", "draw_number"),
    ("日期", "checked_on"),
    ("结果", "result"),
    ("立案案号", "penalty_case"),
    ("公示日期", "published_on"),
)


@dataclass
class Overview:
    agency: Agency
    plans: int
    draws: int
    drawn_objects: int
    results_published: int
    results_pending: int
    results_overdue: int


def supervisor_overview(user: Any, *, today: dt.date | None = None) -> list[Overview]:
    """Every visible agency's plans, draws, results and overdue result publications."""
    today = today or timezone.localdate()
    scope = agency_scope(user)
    agencies = Agency.objects.filter(scope) if scope is not None else Agency.objects.all()
    agencies = agencies.filter(is_supervisory=False)
    plans: defaultdict[int, int] = defaultdict(int)
    for lead in Plan.objects.values_list("lead_agency_id", flat=True):
        plans[lead] += 1
    draws: defaultdict[int, int] = defaultdict(int)
    objects: defaultdict[int, int] = defaultdict(int)
    for agency_id in Draw.objects.values_list("agency_id", flat=True):
        draws[agency_id] += 1
    for agency_id in Target.objects.filter(draw__redrawn_by__isnull=True).values_list(
        "draw__agency_id", flat=True
    ):
        objects[agency_id] += 1
    published: defaultdict[int, int] = defaultdict(int)
    pending: defaultdict[int, int] = defaultdict(int)
    overdue: defaultdict[int, int] = defaultdict(int)
    for inspection in Inspection.objects.prefetch_related(
        Prefetch("entries", queryset=ResultEntry.objects.select_related("review"))
    ):
        entries = list(inspection.entries.all())
        state = result_state(inspection, entries)
        if state == ResultState.PUBLISHED:
            published[inspection.agency_id] += 1
            continue
        pending[inspection.agency_id] += 1
        if entries and max(entries, key=lambda e: e.number).due_date < today:
            overdue[inspection.agency_id] += 1
    return [
        Overview(a, plans[a.pk], draws[a.pk], objects[a.pk], published[a.pk], pending[a.pk], overdue[a.pk])
        for a in agencies
        if plans[a.pk] or draws[a.pk] or pending[a.pk] or published[a.pk]
    ]


# ----------------------------------------------------------------------------- fairness


def entity_history(entity_id: int) -> list[dict[str, Any]]:
    """Every random check of one object across agencies (drawn, not superseded)."""
    out = []
    for t in (
        Target.objects.filter(entity_id=entity_id, draw__outcome__status=DrawOutcome.Status.DRAWN)
        .select_related("draw", "draw__batch__item", "draw__agency", "draw__redrawn_by")
        .order_by("draw__inspection_date")
    ):
        superseded = Draw.objects.filter(redraw_of=t.draw).exists()
        out.append(
            {
                "date": t.draw.inspection_date,
                "agency": t.draw.agency.name,
                "item": t.draw.batch.item.name,
                "draw": t.draw.number,
                "superseded": superseded,
            }
        )
    return out


def repeat_alerts(user: Any, *, on: dt.date | None = None) -> list[dict[str, Any]]:
    """重复检查: one object inspected by different departments within the rule's window."""
    from sanxiang.inspections.periods import repeat_window

    on = on or timezone.localdate()
    scope = agency_scope(user)
    visible = set(Agency.objects.filter(scope).values_list("pk", flat=True)) if scope is not None else None
    rows = (
        Target.objects.filter(
            entity__isnull=False,
            draw__outcome__status=DrawOutcome.Status.DRAWN,
            draw__redrawn_by__isnull=True,
        )
        .values_list(
            "entity_id",
            "name",
            "draw__agency_id",
            "draw__agency__name",
            "draw__agency__region_code",
            "draw__inspection_date",
            "draw__number",
        )
        .order_by("entity_id", "draw__inspection_date")
    )
    by_entity: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_entity[row[0]].append(row)
    alerts = []
    for checks in by_entity.values():
        for i in range(1, len(checks)):
            a, b = checks[i - 1], checks[i]
            if a[2] == b[2]:
                continue
            window, citation = repeat_window(region=b[4], on=b[5])
            if (b[5] - a[5]).days <= window and (visible is None or a[2] in visible or b[2] in visible):
                alerts.append(
                    {
                        "entity": b[1],
                        "first": (a[3], a[5], a[6]),
                        "second": (b[3], b[5], b[6]),
                        "days": (b[5] - a[5]).days,
                        "window": window,
                        "citation": citation,
                    }
                )
    return alerts


def realised_ratios(draw: Draw) -> list[dict[str, Any]]:
    """Per stratum: planned ratio, objects, drawn, and the realised ratio (internal class shown to staff)."""
    outcome = outcome_of(draw)
    if outcome is None or outcome.status != DrawOutcome.Status.DRAWN:
        return []
    ratios = {s["stratum"]: s["ratio"] for s in draw.parameters["strata"]}
    out = []
    for s in outcome.selection["strata"]:
        realised = (100 * s["drawn"] / s["available"]) if s["available"] else 0
        out.append(
            {
                "class": draw.strata_classes.get(s["stratum"], ""),
                "planned": ratios.get(s["stratum"], ""),
                "objects": s["objects"],
                "available": s["available"],
                "drawn": s["drawn"],
                "realised": f"{realised:.2f}",
            }
        )
    return out
