"""Staff pages of the legal review: the reviewer's queue, the round page (materials beside the
checklist form), the head's extension and disagreement decisions, statistics for supervisors.
Views parse, call a service or selector, and render; every rule lives in services."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, NotFound, SanxiangError
from sanxiang.review import selectors, services
from sanxiang.review.models import AMEND_POINTS, CHECKLIST, TRANSFER_TO, Outcome


def _round(request, round_id):
    try:
        return selectors.round_for(request.user, round_id)
    except NotFound:
        raise Http404 from None


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "review/queue.html",
        {
            "mine": list(selectors.queue(user)[:100]),
            "overdue": list(selectors.overdue_rounds(user)[:100])
            if user.has_role(Role.HEAD) or user.has_role(Role.SUPERVISOR)
            else [],
            "today": selectors.today(),
        },
    )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
def round_page(request: HttpRequest, round_id) -> HttpResponse:
    r = _round(request, round_id)
    errors: list[FieldError] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        p = request.POST
        try:
            if action == "mark":
                services.checklist_mark(
                    actor=request.user,
                    round=r,
                    item=p.get("item", ""),
                    passed=p.get("passed") == "1",
                    note=p.get("note", ""),
                )
            elif action == "opinion":
                services.opinion_issue(
                    actor=request.user,
                    round=r,
                    outcome=p.get("outcome", ""),
                    reasons=p.get("reasons", ""),
                    amend_points=p.getlist("amend_points"),
                    transfer_to=p.get("transfer_to", ""),
                )
            elif action == "extension":
                services.extension_request(
                    actor=request.user, round=r, days=int(p.get("days") or 0), reason=p.get("reason", "")
                )
            elif action == "materials_request":
                services.materials_request(
                    actor=request.user,
                    round=r,
                    items=[i for i in p.get("items", "").splitlines() if i.strip()],
                    due_on=_date(p.get("due_on", "")),
                    note=p.get("note", ""),
                )
            elif action == "reassign":
                reg_id = p.get("registration", "")
                services.review_reassign(
                    actor=request.user,
                    round=r,
                    registration=selectors.registration_for(request.user, r, reg_id) if reg_id else None,
                    reason=p.get("reason", ""),
                )
            elif action == "adviser":
                services.adviser_add(
                    actor=request.user,
                    round=r,
                    registration=selectors.registration_for(request.user, r, p.get("registration", "")),
                    reason=p.get("reason", ""),
                )
            elif action == "disagreement":
                services.disagreement_raise(
                    actor=request.user,
                    round=r,
                    handler_opinion=p.get("handler_opinion", ""),
                    consultation=p.get("consultation", ""),
                )
            else:
                errors.append(FieldError("action", "choice", "未知操作"))
            if not errors:
                return redirect("review:round", round_id=r.public_id)
        except NotFound:
            errors = [
                FieldError(
                    "registration", "registered", "法律顾问、公职律师或审核人员: 应为法制机构名录库中在册人员"
                )
            ]
        except SanxiangError as exc:
            errors = exc.errors
        r = _round(request, round_id)
    detail = selectors.round_detail(r)
    allowed = any(a.user_id == request.user.pk for a in detail["assignments"]) or (
        request.user.has_role(Role.HEAD) and request.user.agency_id == r.review.agency_id
    )
    materials = services.materials_read(actor=request.user, round=r) if allowed else []
    return render(
        request,
        "review/round.html",
        {
            "r": r,
            "d": detail,
            "materials": materials,
            "errors": errors,
            "checklist": CHECKLIST,
            "outcomes": Outcome.choices,
            "amend_points": AMEND_POINTS.items(),
            "transfer_to": TRANSFER_TO.items(),
            "is_reviewer": detail["reviewer"] is not None and detail["reviewer"].user_id == request.user.pk,
            "is_handler": services.is_handler(request.user, r.review.case),
            "staffing": selectors.staffing_options(request.user, r, detail["reviewer"]),
            "rounds": list(selectors.visible_rounds(request.user).filter(review=r.review).order_by("number")),
        },
    )


@login_required
def compare(request: HttpRequest, case_id) -> HttpResponse:
    try:
        rounds = selectors.rounds_of_case(request.user, case_id)
    except NotFound:
        raise Http404 from None
    return render(request, "review/compare.html", {"rounds": rounds, "rows": selectors.compare(rounds)})


@login_required
def head(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_role(Role.HEAD):
        raise PermissionDenied
    errors: list[FieldError] = []
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "extension":
                ext = selectors.extension_for(user, p.get("id"))
                services.extension_rule(
                    actor=user,
                    extension=ext,
                    approved=p.get("approved") == "1",
                    days=int(p.get("days") or ext.days),
                    note=p.get("note", ""),
                )
            elif p.get("action") == "disagreement":
                d = selectors.disagreement_for(user, p.get("id"))
                services.disagreement_rule(
                    actor=user, disagreement=d, side=p.get("side", ""), note=p.get("note", "")
                )
            return redirect("review:head")
        except SanxiangError as exc:
            errors = exc.errors
    return render(
        request,
        "review/head.html",
        {
            "extensions": list(selectors.pending_extensions(user)),
            "disagreements": list(selectors.pending_disagreements(user)),
            "overdue": list(selectors.overdue_rounds(user)[:100]),
            "errors": errors,
        },
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not any(user.has_role(r) for r in (Role.SUPERVISOR, Role.HEAD, Role.ADMINISTRATOR)):
        raise PermissionDenied
    return render(request, "review/statistics.html", {"rows": selectors.statistics(user)})
