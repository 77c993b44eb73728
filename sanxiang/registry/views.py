"""Staff pages of the registry: the agency's officers and the reviewer-ratio report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.registry import selectors, services


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    officers = selectors.visible_officers(request.user).order_by("agency__name", "credential_number")
    rows = [(o, services.credential_valid_on(o, today)) for o in officers]
    return render(request, "registry/officer_list.html", {"rows": rows, "today": today})


@login_required
def reviewer_compliance(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not any(user.has_role(r) for r in (Role.SUPERVISOR, Role.HEAD, Role.ADMINISTRATOR)):
        raise PermissionDenied
    today = timezone.localdate()
    rows = services.reviewer_compliance(agencies=selectors.visible_agencies(user).order_by("name"), on=today)
    return render(
        request,
        "registry/reviewer_compliance.html",
        {"rows": rows, "today": today, "short": sum(1 for r in rows if not r.compliant)},
    )
