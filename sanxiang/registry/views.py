"""Staff pages of the registry: the agency's officers, its recording devices and the reviewer-ratio report."""

from __future__ import annotations

from typing import Any

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


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    """执法记录设备台账: the devices of the agencies the user sees, how many are in service beside the
    officers holding a valid credential, and (for the head or an administrator) a CSV/XLSX import."""
    import tempfile
    from pathlib import Path

    from sanxiang.registry import devices as register

    user: Any = request.user
    today = timezone.localdate()
    may_import = user.agency_id is not None and (
        user.has_role(Role.HEAD) or user.has_role(Role.ADMINISTRATOR)
    )
    outcome = None
    if request.method == "POST":
        if not may_import:
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            outcome = register.DeviceImport(errors=["文件: 请选择 CSV 或 XLSX 文件"])
        else:
            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
                fh.flush()
                outcome = register.devices_import(actor=user, agency=user.agency, path=Path(fh.name))
    agencies = list(selectors.visible_agencies(user).filter(is_supervisory=False).order_by("name"))
    ids = [a.pk for a in agencies]
    in_service = register.devices_in_service_by_agency(ids, today)
    officers = register.officers_with_valid_credential(ids, today)
    summary = [(a, in_service.get(a.pk, 0), officers.get(a.pk, 0)) for a in agencies]
    rows = [
        (d, d.in_service_on(today))
        for d in register.visible_devices(user).order_by("agency__name", "kind", "serial_number")
    ]
    return render(
        request,
        "registry/device_list.html",
        {
            "rows": rows,
            "summary": summary,
            "today": today,
            "may_import": may_import,
            "outcome": outcome,
            "columns": register.IMPORT_COLUMNS,
            "kinds": list(register.KIND_BY_LABEL),
        },
        status=422 if outcome is not None and outcome.errors else 200,
    )
