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
        },
    )


def public_statistics(request: HttpRequest) -> HttpResponse:
    """The portal's 行政执法统计 page: the published tables of every agency (no internal indicators)."""
    from django.utils import timezone

    from sanxiang.supervision import dashboard as board
    from sanxiang.supervision.statistics import Figures

    year, period = _period(request)
    tables = [t for t in Figures(board.public_agencies(), period).tables() if t.key in board.PUBLIC_TABLES]
    if request.GET.get("format") == "xlsx":
        return _xlsx(board.workbook(f"{period.label}行政执法统计", tables), f"public-statistics-{year}.xlsx")
    return render(
        request,
        "supervision/public_statistics.html",
        {
            "tables": tables,
            "year": year,
            "period": period,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        },
    )
