"""Staff pages: my cases, the case page (timeline with verification status, transitions and what
they lack, approvals, deadlines), and a form per record type generated from its field table."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from sanxiang.cases import selectors, services
from sanxiang.cases.specs import OFFICER_RECORDS, fields_for, is_approval_record
from sanxiang.errors import FieldError, InvalidInput, SanxiangError
from sanxiang.procedures import registry


def _case(request: HttpRequest, case_id) -> object:
    return selectors.case_for(request.user, case_id)


def _error_response(request, exc: SanxiangError, template: str, context: dict) -> HttpResponse:
    context = {**context, "errors": exc.errors, "error_title": exc.title}
    # htmx swaps only successful responses: show the errors in place with 200 to htmx, the status otherwise
    return render(request, template, context, status=200 if request.htmx else exc.status)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    qs = selectors.my_open_cases(request.user) if scope == "mine" else selectors.visible_cases(request.user)
    page = Paginator(qs.order_by("-opened_at", "-pk"), 30).get_page(request.GET.get("page"))
    rows = [
        (c, selectors.procedure_name(c.procedure), selectors.stage_name(c.procedure, c.stage)) for c in page
    ]
    return render(request, "cases/list.html", {"page": page, "rows": rows, "scope": scope})


@login_required
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    try:
        case = _case(request, case_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    detail = selectors.case_detail(request.user, case)
    return render(request, "cases/detail.html", {"d": detail, "case": case})


def _form_context(case, kind: str, view) -> dict:
    defn = registry.get(case.procedure)
    spec = defn.records()[kind]
    return {
        "case": case,
        "spec": spec,
        "fields": fields_for(kind),
        "officers_required": kind in OFFICER_RECORDS,
        "officers": view.officers,
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "form_key": uuid.uuid4().hex,
    }


@login_required
def record_form(request: HttpRequest, case_id, kind: str) -> HttpResponse:
    try:
        case = _case(request, case_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    from sanxiang.cases.context import load

    view = load(case)
    if kind not in view.defn.records() or is_approval_record(case.procedure, kind):
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    context = _form_context(case, kind, view)
    if request.method != "POST":
        return render(request, "cases/record_form.html", context)
    payload = {}
    for f in context["fields"]:
        if f.type == "choices":
            payload[f.name] = request.POST.getlist(f.name)
        elif f.type == "bool":
            payload[f.name] = f.name in request.POST
        else:
            payload[f.name] = request.POST.get(f.name, "")
    officers = [
        {"officer": str(o.officer.public_id), "shown": f"shown_{o.officer.public_id}" in request.POST}
        for o in view.officers
        if f"present_{o.officer.public_id}" in request.POST
    ]
    made_at = None
    if request.POST.get("made_at"):
        made_at = parse_datetime(request.POST["made_at"])
        if made_at is not None and timezone.is_naive(made_at):
            made_at = timezone.make_aware(made_at)
    try:
        from sanxiang.ledger.blobs import blob_ingest

        blobs = [
            blob_ingest(stream=f.chunks(), media_type=f.content_type or "application/octet-stream").sm3
            for f in request.FILES.getlist("files")
        ]
        if request.POST.get("made_at") and made_at is None:
            raise InvalidInput([FieldError("made_at", "datetime", "制作时间: 格式不正确")])
        services.record_add(
            actor=request.user,
            case=case,
            kind=kind,
            payload=payload,
            made_at=made_at,
            blobs=list(dict.fromkeys(blobs)),
            officers=officers,
            party_refused_to_sign="party_refused_to_sign" in request.POST,
            party_refused_to_cooperate="party_refused_to_cooperate" in request.POST,
            refusal_note=request.POST.get("refusal_note", ""),
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
    except SanxiangError as exc:
        context["form_key"] = request.POST.get("idempotency_key", context["form_key"])
        return _error_response(request, exc, "cases/record_form.html", context)
    messages.success(request, f"已制作：{context['spec'].name}")
    target = f"/staff/cases/{case.public_id}/"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
@require_POST
def transition(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    try:
        services.case_transition(
            actor=request.user,
            case=case,
            transition=request.POST.get("transition", ""),
            note=request.POST.get("note", ""),
            idempotency_key=request.POST.get("idempotency_key", "")[:100],
        )
        messages.success(request, "已办理")
    except SanxiangError as exc:
        for e in exc.errors:
            messages.error(request, e.message)
    return redirect(f"/staff/cases/{case.public_id}/")


@login_required
@require_POST
def approval_action(request: HttpRequest, case_id, action: str) -> HttpResponse:
    case = _case(request, case_id)
    try:
        if action == "submit":
            services.approval_submit(
                actor=request.user,
                case=case,
                kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""),
                opinion=request.POST.get("opinion", ""),
            )
        else:
            approval = selectors.approval_for(request.user, case, request.POST.get("approval", ""))
            fn = services.approval_review if action == "review" else services.approval_decide
            fn(
                actor=request.user,
                approval=approval,
                agree=request.POST.get("agree") == "1",
                opinion=request.POST.get("opinion", ""),
            )
        messages.success(request, "审批意见已记录")
    except (SanxiangError, ValueError, ValidationError) as exc:
        for e in getattr(exc, "errors", [FieldError("approval", "invalid", "审批: 无效")]):
            messages.error(request, e.message)
    return redirect(f"/staff/cases/{case.public_id}/")


def due_label(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()
