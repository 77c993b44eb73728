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
