"""Staff pages of the supervision app: the alert list (and, for heads and supervisors, closing an
alert about a broken duty)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanxiang.accounts.roles import Role
from sanxiang.errors import NotFound, SanxiangError
from sanxiang.supervision import selectors, services
from sanxiang.supervision.models import AlertKind, AlertLevel

PAGE = 50


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", "open")
    level = request.GET.get("level", "")
    kind = request.GET.get("kind", "")
    qs = selectors.visible_alerts(user)
    qs = qs.filter(closed_at__isnull=True) if state != "closed" else qs.filter(closed_at__isnull=False)
    if level in AlertLevel.values:
        qs = qs.filter(level=level)
    if kind in AlertKind.values:
        qs = qs.filter(kind=kind)
    qs = (
        qs.order_by("-closed_at", "-level", "due_date", "pk")
        if state == "closed"
        else qs.order_by("-level", "due_date", "pk")
    )
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    can_close = user.has_role(Role.HEAD) or user.has_role(Role.SUPERVISOR)
    return render(
        request,
        "supervision/alerts.html",
        {
            "page": page,
            "state": state,
            "level": level,
            "kind": kind,
            "levels": AlertLevel.choices,
            "kinds": AlertKind.choices,
            "by_agency": selectors.alert_counts_by_agency(user) if user.has_role(Role.SUPERVISOR) else [],
            "can_close": can_close,
            "closed_by_hand": services.CLOSED_BY_HAND,
        },
    )


@login_required
@require_POST
def alert_close(request: HttpRequest, alert_id) -> HttpResponse:
    user: Any = request.user
    alert = selectors.visible_alerts(user).filter(public_id=alert_id).first()
    try:
        if alert is None:
            raise NotFound("alert")
        services.alert_close(actor=user, alert=alert, note=request.POST.get("note", ""))
    except SanxiangError as exc:
        for e in exc.errors:
            messages.error(request, e.message)
    else:
        messages.success(request, "预警已解除")
    return redirect("supervision:alerts")


# ---------------------------------------------------------------- dashboard and statistics


def _period(request: HttpRequest) -> tuple[int, Any]:
    from django.utils import timezone

    from sanxiang.supervision.statistics import Period

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), timezone.localdate().year + 1)
    return year, Period.year(year)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from sanxiang.supervision import dashboard as board

    user: Any = request.user
    if not board.may_see_dashboard(user):
        return render(request, "supervision/forbidden.html", status=403)
    year, period = _period(request)
    agencies = board.dashboard_agencies(user)
    data = board.build(agencies, period, user=user)
    part = request.GET.get("part", "")
    if request.GET.get("format") == "xlsx":
        charts = [c for c in data.charts if not part or c.key == part]
        tables = [t for t in data.tables if not part or t.key == part]
        return _xlsx(
            board.workbook(f"{period.label}行政执法统计", tables, charts),
            f"statistics-{year}{'-' + part if part else ''}.xlsx",
        )
    return render(
        request,
        "supervision/dashboard.html",
        {
            "data": data,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "agencies": agencies.count(),
            "can_campaign": _may_organise(user),
        },
    )


def public_statistics(request: HttpRequest) -> HttpResponse:
    """The portal's 行政执法统计 page: the published tables of every agency (no internal indicators)."""
    from django.utils import timezone

    from sanxiang.supervision import dashboard as board
    from sanxiang.supervision.statistics import Figures

    year, period = _period(request)
    from sanxiang.supervision.models import AnnualReport

    tables = [t for t in Figures(board.public_agencies(), period).tables() if t.key in board.PUBLIC_TABLES]
    published = (
        AnnualReport.objects.filter(status="published")
        .select_related("agency")
        .order_by("-year", "agency__name")
    )
    if request.GET.get("format") == "xlsx":
        return _xlsx(board.workbook(f"{period.label}行政执法统计", tables), f"public-statistics-{year}.xlsx")
    return render(
        request,
        "supervision/public_statistics.html",
        {
            "tables": tables,
            "year": year,
            "period": period,
            "reports": published[:200],
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        },
    )


# ---------------------------------------------------------------- 案卷评查


def _evaluator_choices(user):
    from django.contrib.auth import get_user_model

    from sanxiang.registry.selectors import visible_agencies

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            agency__in=visible_agencies(user).values("pk"),
            groups__name__in=[Role.SUPERVISOR, Role.REVIEWER],
        )
        .distinct()
        .select_related("agency")
        .order_by("agency__name", "username")
    )


def _may_organise(user) -> bool:
    return user.has_role(Role.SUPERVISOR) or user.has_role(Role.ADMINISTRATOR)


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    import datetime as dt

    from django.utils import timezone

    from sanxiang.supervision import evaluations
    from sanxiang.supervision.models import Campaign, CampaignCase

    user: Any = request.user
    if not _may_organise(user):
        mine = CampaignCase.objects.filter(evaluator=user).select_related("campaign", "case")
        return render(request, "supervision/campaigns.html", {"assigned": mine, "may_organise": False})
    errors: list = []
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            picked = [int(x) for x in request.POST.getlist("evaluators") if x.isdigit()]
            chosen = list(_evaluator_choices(user).filter(pk__in=picked))
            campaign = evaluations.campaign_start(
                actor=user,
                title=request.POST.get("title", ""),
                archived_from=dt.date.fromisoformat(request.POST.get("archived_from") or "2000-01-01"),
                archived_to=dt.date.fromisoformat(
                    request.POST.get("archived_to") or timezone.localdate().isoformat()
                ),
                size=int(request.POST.get("size") or 0),
                evaluators=chosen,
                rectify_due=dt.date.fromisoformat(
                    request.POST.get("rectify_due") or timezone.localdate().isoformat()
                ),
            )
        except ValueError:
            errors = ["日期或数量格式不正确：日期应为“年-月-日”，数量应为整数"]
        except SanxiangError as exc:
            errors = [e.message for e in exc.errors]
        else:
            messages.success(request, f"已随机抽取{campaign.size}件案卷并指派评查人员")
            return redirect("supervision:campaign", campaign.public_id)
    today = timezone.localdate()
    return render(
        request,
        "supervision/campaigns.html",
        {
            "may_organise": True,
            "campaigns": Campaign.objects.filter(organiser=user.agency).order_by("-created_at")[:50]
            if user.agency_id
            else Campaign.objects.order_by("-created_at")[:50],
            "evaluators": _evaluator_choices(user),
            "errors": errors,
            "form": form,
            "defaults": {
                "archived_from": dt.date(today.year, 1, 1).isoformat(),
                "archived_to": today.isoformat(),
                "rectify_due": (today + dt.timedelta(days=30)).isoformat(),
            },
            "assigned": CampaignCase.objects.filter(evaluator=user).select_related("campaign", "case"),
        },
    )


@login_required
def standards(request: HttpRequest) -> HttpResponse:
    """Every version of the 案卷评查标准 with its items, and which campaigns used which version."""
    from collections import defaultdict

    from sanxiang.supervision.models import Section
    from sanxiang.supervision.selectors import standard_versions, visible_campaigns

    user: Any = request.user
    used = defaultdict(list)
    for c in visible_campaigns(user).order_by("-created_at"):
        used[c.standard_id].append(c)
    versions = [
        {
            "standard": s,
            "sections": [
                (label, [i for i in s.items.all() if i.section == value]) for value, label in Section.choices
            ],
            "campaigns": used.get(s.pk, []),
        }
        for s in standard_versions()
    ]
    return render(request, "supervision/standards.html", {"versions": versions})


@login_required
def campaign(request: HttpRequest, campaign_id) -> HttpResponse:
    from sanxiang.supervision.models import Campaign

    user: Any = request.user
    found = Campaign.objects.filter(public_id=campaign_id).select_related("standard", "organiser").first()
    if found is None or not (_may_organise(user) or found.cases.filter(evaluator=user).exists()):
        return render(request, "supervision/forbidden.html", status=404)
    rows = found.cases.select_related("case__agency", "evaluator", "evaluation").order_by("position")
    return render(request, "supervision/campaign.html", {"campaign": found, "rows": rows})


@login_required
def evaluate(request: HttpRequest, case_id) -> HttpResponse:
    from sanxiang.cases.models import CaseOfficer, CaseRecord
    from sanxiang.procedures import registry
    from sanxiang.supervision import evaluations
    from sanxiang.supervision.models import CampaignCase, Evaluation, StandardItem

    user: Any = request.user
    cc = (
        CampaignCase.objects.filter(public_id=case_id)
        .select_related("campaign__standard", "case__agency")
        .first()
    )
    if cc is None or not (cc.evaluator_id == user.pk or _may_organise(user)):
        return render(request, "supervision/forbidden.html", status=404)
    done = Evaluation.objects.filter(campaign_case=cc).first()
    errors: list = []
    items = list(StandardItem.objects.filter(standard=cc.campaign.standard).order_by("section", "position"))
    if request.method == "POST" and done is None:
        marks = {
            i.code: {
                "veto": request.POST.get(f"veto_{i.code}") == "on",
                "deduction": request.POST.get(f"deduction_{i.code}", "0"),
                "note": request.POST.get(f"note_{i.code}", ""),
            }
            for i in items
        }
        try:
            evaluations.evaluation_submit(
                actor=user, campaign_case=cc, marks=marks, comments=request.POST.get("comments", "")
            )
        except SanxiangError as exc:
            errors = [e.message for e in exc.errors]
        else:
            messages.success(request, "评查结果已提交，整改事项已反馈执法主体")
            return redirect("supervision:campaign", cc.campaign.public_id)
    evaluations.case_file_viewed(actor=user, campaign_case=cc)
    auto = done.marks if done else evaluations.auto_checks(cc.case)
    try:
        specs = registry.get(cc.case.procedure).records()
    except KeyError:
        specs = {}
    records = [
        (r, specs[r.kind].name if r.kind in specs else r.kind)
        for r in CaseRecord.objects.filter(case=cc.case).order_by("made_at", "pk")
    ]
    sections = [
        (label, [(i, auto.get(i.code, {})) for i in items if i.section == key])
        for key, label in (
            ("veto", "基本标准（任何一项存在问题即为不合格卷）"),
            ("form", "案卷卷面（20分）"),
            ("content", "案卷内容（80分）"),
        )
    ]
    return render(
        request,
        "supervision/evaluate.html",
        {
            "cc": cc,
            "case": cc.case,
            "officers": CaseOfficer.objects.filter(case=cc.case),
            "records": records,
            "decisions": cc.case.decisions.all(),
            "sections": sections,
            "done": done,
            "errors": errors,
            "may_submit": done is None and cc.evaluator_id == user.pk,
        },
    )


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """The agency's evaluation results and 整改 items (heads, officers and the supervisor's region)."""
    from sanxiang.supervision import evaluations
    from sanxiang.supervision.models import Evaluation, Rectification

    user: Any = request.user
    if request.method == "POST":
        item = Rectification.objects.filter(public_id=request.POST.get("item")).first()
        try:
            if item is None:
                raise NotFound("rectification")
            evaluations.rectification_done(actor=user, rectification=item, note=request.POST.get("note", ""))
        except SanxiangError as exc:
            for e in exc.errors:
                messages.error(request, e.message)
        else:
            messages.success(request, "整改情况已报送")
        return redirect("supervision:results")
    qs = Evaluation.objects.select_related("case__agency", "campaign_case__campaign").prefetch_related(
        "rectifications"
    )
    if _may_organise(user):
        from sanxiang.registry.selectors import visible_agencies

        qs = qs.filter(case__agency__in=visible_agencies(user).values("pk"))
    else:
        qs = qs.filter(case__agency_id=user.agency_id)
    return render(
        request,
        "supervision/results.html",
        {
            "evaluations": qs.order_by("-submitted_at")[:100],
            "may_report": bool(user.agency_id) and not _may_organise(user),
        },
    )


# ---------------------------------------------------------------- annual reports


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone

    from sanxiang.registry.selectors import visible_agencies
    from sanxiang.supervision import reports as annual
    from sanxiang.supervision.models import AnnualReport

    user: Any = request.user
    if request.method == "POST":
        try:
            year = int(request.POST.get("year") or 0)
            report = annual.report_generate(actor=user, agency=user.agency, year=year)
        except ValueError:
            messages.error(request, "年度：应为四位数年份")
        except SanxiangError as exc:
            for e in exc.errors:
                messages.error(request, e.message)
        else:
            return redirect("supervision:report", report.public_id)
        return redirect("supervision:reports")
    qs = AnnualReport.objects.select_related("agency").filter(agency__in=visible_agencies(user).values("pk"))
    today = timezone.localdate()
    return render(
        request,
        "supervision/reports.html",
        {
            "reports": qs.order_by("-year", "agency__name")[:200],
            # an enforcement agency its own report; the 司法局's supervisor the region report
            "may_generate": bool(user.agency_id)
            and (not user.agency.is_supervisory or user.has_role(Role.SUPERVISOR)),
            "years": list(range(today.year, today.year - 4, -1)),
            "default_year": today.year - 1 if today.month < 12 else today.year,
        },
    )


def _report_for(user, report_id):
    from sanxiang.registry.selectors import visible_agencies
    from sanxiang.supervision.models import AnnualReport

    return (
        AnnualReport.objects.select_related("agency", "approved_by", "submitted_by", "published_by")
        .filter(public_id=report_id, agency__in=visible_agencies(user).values("pk"))
        .first()
    )


@login_required
def report(request: HttpRequest, report_id) -> HttpResponse:
    from sanxiang.supervision import reports as annual

    user: Any = request.user
    found = _report_for(user, report_id)
    if found is None:
        return render(request, "supervision/forbidden.html", status=404)
    if request.method == "POST":
        action = request.POST.get("action", "")
        steps = {
            "approve": annual.report_approve,
            "submit": annual.report_submit,
            "publish": annual.report_publish,
        }
        try:
            if action == "edit":
                annual.report_edit(actor=user, report=found, narrative=request.POST.get("narrative", ""))
                messages.success(request, "情况说明已保存")
            elif action in steps:
                steps[action](actor=user, report=found)
                messages.success(
                    request, {"approve": "已批准", "submit": "已报送", "publish": "已在门户网站公开"}[action]
                )
        except SanxiangError as exc:
            for e in exc.errors:
                messages.error(request, e.message)
        return redirect("supervision:report", found.public_id)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _xlsx(annual.report_xlsx(found), f"annual-report-{found.year}.xlsx")
    if fmt == "pdf":
        response = HttpResponse(annual.report_pdf(found), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="annual-report-{found.year}.pdf"'
        return response
    is_head = user.has_role(Role.HEAD) and user.agency_id == found.agency_id
    mine = user.agency_id == found.agency_id
    return render(
        request,
        "supervision/report.html",
        {
            "report": found,
            "tables": annual.tables_of(found),
            "deadlines": annual.deadlines(found.agency, found.year),
            "revisions": found.revisions.select_related("by").order_by("-at")[:10],
            "may_edit": mine and found.status == "draft",
            "may_approve": is_head and found.status == "draft",
            "may_submit": mine and found.status == "approved",
            "may_publish": is_head and found.status == "submitted",
        },
    )


def public_report(request: HttpRequest, report_id, fmt: str) -> HttpResponse:
    """A published annual report (XLSX or PDF); past years stay published."""
    from django.http import Http404

    from sanxiang.supervision import reports as annual
    from sanxiang.supervision.models import AnnualReport

    found = (
        AnnualReport.objects.select_related("agency").filter(public_id=report_id, status="published").first()
    )
    if found is None or fmt not in ("xlsx", "pdf"):
        raise Http404
    if fmt == "xlsx":
        return _xlsx(annual.report_xlsx(found), f"annual-report-{found.year}.xlsx")
    response = HttpResponse(annual.report_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{found.year}.pdf"'
    return response
