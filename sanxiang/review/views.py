"""Staff pages of the legal review: the reviewer's queue, the round page (materials beside the
checklist form), the head's extension and disagreement decisions, statistics for supervisors.
Views parse, call a service or selector, and render; every rule lives in services."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, NotFound, SanxiangError
from sanxiang.review import selectors, services
from sanxiang.review.models import AMEND_POINTS, CHECKLIST, SB, TRANSFER_TO, Outcome
from sanxiang.rules.selectors import rule_for


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


def _marks(p) -> dict[str, tuple[bool | None, str]]:
    """The checklist form: ``passed.<item>`` is 1 or 0 (or absent), ``note.<item>`` the note."""
    out: dict[str, tuple[bool | None, str]] = {}
    for key, _label, _source in CHECKLIST:
        value = p.get(f"passed.{key}")
        out[key] = ({"1": True, "0": False}.get(value or ""), p.get(f"note.{key}", ""))
    return out


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
            if action in ("checklist", "opinion"):
                marks = _marks(p)
                if action == "checklist":
                    services.checklist_mark_all(actor=request.user, round=r, marks=marks)
                else:
                    services.checklist_and_opinion(
                        actor=request.user,
                        round=r,
                        marks=marks,
                        outcome=p.get("outcome", ""),
                        reasons=p.get("reasons", ""),
                        amend_points=p.getlist("amend_points"),
                        transfer_to=p.get("transfer_to", ""),
                    )
            elif action == "supply":
                services.materials_supply(
                    actor=request.user,
                    round=r,
                    note=p.get("note", ""),
                    blobs=_kept(request, "supply_files"),
                    records=p.getlist("records"),
                )
            elif action == "discussion":
                services.discussion_record(
                    actor=request.user,
                    round=r,
                    held_on=_date(p.get("held_on", "")),
                    presided_by=p.get("presided_by", ""),
                    participants=[x for x in re.split(r"[、，,\s]+", p.get("participants", "")) if x],
                    minutes=p.get("minutes", ""),
                    conclusion=p.get("conclusion", ""),
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
    posted = request.POST if errors else None
    checklist_rows = [
        {
            **i,
            "value": (
                posted.get(f"passed.{i['item']}", "")
                if posted
                else ("" if i["passed"] is None else ("1" if i["passed"] else "0"))
            ),
            "typed": posted.get(f"note.{i['item']}", "") if posted else i["note"],
        }
        for i in detail["checklist"]
    ]
    return render(
        request,
        "review/round.html",
        {
            "r": r,
            "d": detail,
            "materials": selectors.material_rows(r, materials),
            "checklist_rows": checklist_rows,
            "posted": posted,
            "discretion": selectors.discretion_for_round(r),
            "case_records": selectors.material_rows(r, list(r.review.case.records.all()))
            if services.is_handler(request.user, r.review.case)
            else [],
            "today": selectors.today(),
            "can_discuss": r.status == "passed"
            and request.user.has_role(Role.HEAD)
            and request.user.agency_id == r.review.agency_id,
            "kept_supply": [h for h in request.POST.getlist("kept_supply_files") if h] if errors else [],
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


def _ingest(files) -> list[str]:
    from sanxiang.ledger.blobs import blob_ingest

    return [
        blob_ingest(stream=f.chunks(), media_type=f.content_type or "application/octet-stream").sm3
        for f in files
    ]


def _kept(request, name: str) -> list[str]:
    """Files uploaded with an earlier, refused POST (their SM3) plus those uploaded now: a refused
    submission keeps what was uploaded, nobody chooses the file again."""
    kept = [h for h in request.POST.getlist(f"kept_{name}") if h]
    return list(dict.fromkeys([*kept, *_ingest(request.FILES.getlist(name))]))


@login_required
def submit(request: HttpRequest, case_id) -> HttpResponse:
    """送审 (审核办法 第四至七条): the materials checklist with what is missing named before the
    officer sends, the 情况说明 prefilled from the case, the draft decision, the evidence."""
    from sanxiang.cases import selectors as case_selectors

    try:
        case = case_selectors.case_for(request.user, case_id)
    except NotFound:
        raise Http404 from None
    if not services.is_handler(request.user, case):
        return render(
            request,
            "review/refused.html",
            {
                "errors": [
                    FieldError(
                        "actor",
                        "permission",
                        f"送审: 只能由本案承办人员或本机关负责人提交（{SB}第四条、第五条）",
                    )
                ]
            },
            status=403,
        )
    errors: list[FieldError] = []
    data = None
    blobs: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        blobs = {
            name: _kept(request, name)
            for name in ("draft_decision_blob", "assessment_report_blob", "other_blobs")
        }
        data = {
            **{k: v for k, v in p.items() if k.startswith("explanation.")},
            "draft_decision": p.get("draft_decision", ""),
            "evidence": p.getlist("evidence"),
            "assessment_held": p.get("assessment_held") == "on",
            "voluntary_reason": p.get("voluntary_reason", ""),
        }
        try:
            r = services.review_submit(
                actor=request.user,
                case=case,
                explanation={
                    k.removeprefix("explanation."): v for k, v in data.items() if k.startswith("explanation.")
                },
                draft_decision=data["draft_decision"],
                draft_decision_blob=(blobs["draft_decision_blob"] or [""])[0],
                evidence=data["evidence"],
                assessment_held=data["assessment_held"],
                assessment_report_blob=(blobs["assessment_report_blob"] or [""])[0],
                other_blobs=blobs["other_blobs"],
                voluntary_reason=data["voluntary_reason"],
                idempotency_key=p.get("idempotency_key", "")[:100],
            )
        except SanxiangError as exc:
            errors = exc.errors
        else:
            reviewer = services.current_reviewer(r)
            messages.success(
                request,
                f"已送审（第{r.number}轮），审核人员：{reviewer.name if reviewer else '—'}，"
                f"审核期限 {r.due_date:%Y-%m-%d}",
            )
            return redirect("cases:detail", case_id=case.public_id)
    form = selectors.submission_form(request.user, case, data=data, blobs=blobs)
    return render(
        request,
        "review/submit.html",
        {
            "case": case,
            "f": form,
            "errors": errors,
            "kept": blobs,
            "form_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "review_period": rule_for(
                "review.period", region=case.agency.region_code, on=timezone.localdate()
            ),
        },
        status=422 if errors else 200,
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
