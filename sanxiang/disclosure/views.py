"""Portal pages (decisions, search, corrections, the public log, verification, feed, export) and the
disclosure officer's staff pages. Views parse, call a selector or a service, and render."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from sanxiang.api.pagination import page_number
from sanxiang.disclosure import export, qr, selectors, services, verification
from sanxiang.disclosure import fields as F
from sanxiang.disclosure.models import Draft, Duty, Exemption, WithdrawalGround
from sanxiang.disclosure.redaction import Candidate, candidates_of, public_record
from sanxiang.errors import FieldError, NotFound, SanxiangError
from sanxiang.registry.selectors import public_agencies

KIND_CHOICES = [(k, F.SOURCE_KIND_LABELS[k]) for k in F.SOURCE_KINDS]


def _date(request: HttpRequest, name: str, label: str, errors: list[FieldError]) -> dt.date | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(name, "date", f"{label}: 应为日期 YYYY-MM-DD"))
        return None


def _page_number(request: HttpRequest) -> int:
    return page_number(request.GET.get("page"))


def _labelled(kind: str, public: dict) -> list[tuple[str, str]]:
    """The public record as (label, value) rows in the national order; money in yuan."""
    rows = []
    for name, key in F.COLUMNS[kind]:
        value = public.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = "；".join(value)
        label = F.PARTY_LABELS.get(key) or name.replace("（万元）", "（元）")
        if key in ("fine_amount", "confiscation_amount"):
            value = f"{value} 元"
        rows.append((label, value))
    for key in ("attachments",):
        if public.get(key):
            rows.append(("附件", "；".join(public[key])))
    return rows


# ----------------------------------------------------------------------------- public


def decision_list(request: HttpRequest) -> HttpResponse:
    errors: list[FieldError] = []
    q = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("kind") or ""
    if kind and kind not in F.SOURCE_KINDS:
        errors.append(FieldError("kind", "choice", "决定类别: 无此类别"))
        kind = ""
    agency = (request.GET.get("agency") or "").strip()
    if agency:
        try:
            agency = str(uuid.UUID(agency))
        except ValueError:
            errors.append(FieldError("agency", "choice", "执法主体: 无此主体"))
            agency = ""
    date_from = _date(request, "from", "决定日期起", errors)
    date_to = _date(request, "to", "决定日期止", errors)
    party = (request.GET.get("party") or "").strip()[:100]
    result = selectors.public_search(
        q=q,
        agency=agency,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        party=party,
        page=_page_number(request),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "disclosure/portal/decision_list.html",
        {
            "result": result,
            "q": q,
            "kind": kind,
            "agency": agency,
            "date_from": request.GET.get("from", ""),
            "date_to": request.GET.get("to", ""),
            "party": party,
            "kinds": KIND_CHOICES,
            "agencies": public_agencies().select_related(None).only("public_id", "name").order_by("name"),
            "errors": errors,
            "query": params.urlencode(),
            "kind_labels": F.SOURCE_KIND_LABELS,
        },
    )


def decision_detail(request: HttpRequest, public_id) -> HttpResponse:
    decision = selectors.public_decision(public_id)
    if decision is None:
        withdrawal = selectors.withdrawal_notice(public_id)
        if withdrawal is None:
            raise Http404
        return render(request, "disclosure/portal/withdrawn.html", {"withdrawal": withdrawal}, status=410)
    versions = selectors.public_versions(decision)
    link = qr.verify_url(request, decision.document_number)
    return render(
        request,
        "disclosure/portal/decision_detail.html",
        {
            "decision": decision,
            "verify_link": link,
            "verify_qr": qr.qr_svg(link),
            "rows": _labelled(decision.source_kind, decision.public),
            "kind_label": F.SOURCE_KIND_LABELS[decision.source_kind],
            "versions": [{"v": v, "rows": _labelled(decision.source_kind, v.public)} for v in versions[1:]],
            "current": versions[0] if versions else None,
            "changes": services.public_changes(decision.source_kind, versions[1].public, versions[0].public)
            if len(versions) > 1
            else [],
        },
    )


def correction_new(request: HttpRequest, public_id) -> HttpResponse:
    decision = selectors.public_decision(public_id)
    if decision is None:
        raise Http404
    errors: list[FieldError] = []
    values = {k: "" for k in ("requester_name", "contact", "description", "evidence")}
    if request.method == "POST":
        values = {k: (request.POST.get(k) or "").strip() for k in values}
        address = request.META.get("REMOTE_ADDR", "")
        try:
            created = services.correction_request_submit(
                public_id=decision.public_id, client_key=services.client_key_for(address), **values
            )
        except SanxiangError as exc:
            errors = exc.errors
        else:
            return redirect(f"/corrections/?number={created.tracking_number}")
    return render(
        request,
        "disclosure/portal/correction_new.html",
        {
            "decision": decision,
            "values": values,
            "errors": errors,
            "by_field": {e.field: e.message for e in errors},
        },
        status=429 if any(e.rule == services.RULE_CORRECTION_RATE for e in errors) else 200,
    )


def correction_status(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("number") or "").strip()[:20]
    found = selectors.correction_status(number) if number else None
    document_number = services.public_document_number(found.duty) if found else ""
    return render(
        request,
        "disclosure/portal/correction_status.html",
        {"number": number, "found": found, "document_number": document_number},
    )


def disclosure_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_log(), 50).get_page(request.GET.get("page"))
    return render(request, "disclosure/portal/log.html", {"page": page})


def verify(request: HttpRequest) -> HttpResponse:
    number = (request.GET.get("number") or "").strip()[:100]
    result = verification.verify_document(number) if number else None
    context = {"number": number, "result": result}
    if result is not None and result.status == "authentic":
        context["verify_link"] = link = qr.verify_url(request, result.decision.document_number)
        context["verify_qr"] = qr.qr_svg(link)
    return render(request, "disclosure/portal/verify.html", context)


def feed(request: HttpRequest) -> HttpResponse:
    items = list(selectors.public_decisions().order_by("-updated_at", "-id")[:50])
    body = export.atom_feed(base_url=request.build_absolute_uri("/").rstrip("/"), items=items)
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


def _export_params(request: HttpRequest) -> tuple[str, dt.date, dt.date, str, list[FieldError]]:
    errors: list[FieldError] = []
    kind = request.GET.get("kind") or F.PENALTY
    if kind not in F.SOURCE_KINDS:
        errors.append(
            FieldError("kind", "choice", "决定类别: 应为 penalty、licensing、other、inspection 之一")
        )
    date_from = _date(request, "from", "决定日期起", errors)
    date_to = _date(request, "to", "决定日期止", errors)
    if not errors and (date_from is None or date_to is None):
        errors.append(FieldError("from", "required", "期间: 必须填写决定日期起止（from、to）"))
    if not errors and date_to < date_from:
        errors.append(FieldError("to", "date_order", "决定日期止: 不得早于决定日期起"))
    return kind, date_from, date_to, (request.GET.get("agency") or "").strip(), errors


def _bad_request(errors: list[FieldError]) -> HttpResponse:
    text = "\n".join(f"{e.field}: {e.message}" for e in errors)
    return HttpResponse(text, status=422, content_type="text/plain; charset=utf-8")


def export_csv(request: HttpRequest) -> HttpResponse:
    kind, date_from, date_to, agency, errors = _export_params(request)
    if errors:
        return _bad_request(errors)
    rows = export.export_rows(kind=kind, date_from=date_from, date_to=date_to, agency_public_id=agency)
    response = StreamingHttpResponse(export.csv_lines(kind, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shuanggongshi-{kind}-{date_from}-{date_to}.csv"'
    return response


def export_xlsx(request: HttpRequest) -> HttpResponse:
    kind, date_from, date_to, agency, errors = _export_params(request)
    if errors:
        return _bad_request(errors)
    rows = export.export_rows(kind=kind, date_from=date_from, date_to=date_to, agency_public_id=agency)
    response = HttpResponse(
        export.xlsx_bytes(kind, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="shuanggongshi-{kind}-{date_from}-{date_to}.xlsx"'
    )
    return response


# ----------------------------------------------------------------------------- staff


def _highlighted(text: str, candidates: list[Candidate]) -> SafeString:
    """``text`` escaped, with each remaining candidate and each redaction marker highlighted."""
    spans = sorted({(c.start, c.end, c.why) for c in candidates if c.end <= len(text)})
    out, position = [], 0
    for start, end, why in spans:
        if start < position:
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark class="candidate" title="{escape(why)}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


@login_required
def staff_queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    status = request.GET.get("status") or ""
    overdue = request.GET.get("overdue") == "1"
    duties = selectors.duty_queue(
        request.user, status=status if status in Duty.Status.values else "", overdue=overdue
    )
    page = Paginator(duties, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "disclosure/staff/queue.html",
        {
            "page": page,
            "today": today,
            "status": status,
            "overdue": overdue,
            "statuses": Duty.Status.choices,
            "overdue_count": selectors.duty_queue(request.user, overdue=True).count(),
            "corrections": selectors.visible_corrections(request.user).filter(status="received")[:50],
            "orders": selectors.visible_withdrawal_orders(request.user).filter(
                duty__status=Duty.Status.PUBLISHED
            )[:50],
        },
    )


@login_required
def staff_duty(request: HttpRequest, public_id) -> HttpResponse:
    duty = _duty(request, public_id)
    draft = duty.drafts.select_related("created_by").order_by("-number").first()
    comparison = []
    redactions: list = []
    candidates: dict = {}
    if draft is not None:
        _public, redactions = public_record(
            kind=duty.source_kind,
            fields=draft.fields,
            party=duty.party,
            agency=duty.agency,
            marks=draft.marks,
            decided_on=duty.decided_on.isoformat(),
            case_number=duty.source_ref,
        )
        candidates = candidates_of(duty.source_kind, draft.public)
        redactions = [
            {
                "field_label": F.label_for(duty.source_kind, r.field.split(".")[0]),
                "kind_label": r.kind_label,
                "original": r.original,
                "replacement": r.replacement,
                "rule_label": r.rule_label,
            }
            for r in redactions
        ]
        original = dict(draft.fields)
        if duty.party is not None:
            original.update(
                {
                    "party_name": duty.party.name,
                    "party_credit_code": duty.party.credit_code,
                    "legal_representative": duty.party.legal_representative,
                    "party_id_number": duty.party.id_number,
                }
            )
        keys = [key for _n, key in F.COLUMNS[duty.source_kind]] + ["attachments"]
        for key in keys:
            before, after = original.get(key, ""), draft.public.get(key, "")
            if before in ("", None, []) and after in ("", None, []):
                continue
            after_text = "；".join(after) if isinstance(after, list) else str(after)
            comparison.append(
                {
                    "label": F.label_for(duty.source_kind, key),
                    "before": "；".join(before) if isinstance(before, list) else before,
                    "after": _highlighted(after_text, candidates.get(key, [])),
                    "changed": before != after,
                    "candidates": candidates.get(key, []),
                }
            )
    published = duty.publications.order_by("-version").first()
    versions = []
    if draft is not None and published is not None and draft.purpose != Draft.Purpose.INITIAL:
        changed = {
            c["key"] for c in services.public_changes(duty.source_kind, published.public, draft.public)
        }
        for _name, key in [*F.COLUMNS[duty.source_kind], ("", "attachments")]:
            before, after = published.public.get(key, ""), draft.public.get(key, "")
            if before in ("", None, []) and after in ("", None, []):
                continue
            versions.append(
                {
                    "label": F.label_for(duty.source_kind, key),
                    "before": "；".join(before) if isinstance(before, list) else before,
                    "after": "；".join(after) if isinstance(after, list) else after,
                    "changed": key in changed,
                }
            )
    return render(
        request,
        "disclosure/staff/duty.html",
        {
            "duty": duty,
            "draft": draft,
            "review": getattr(draft, "review", None) if draft else None,
            "comparison": comparison,
            "redactions": redactions,
            "candidate_count": sum(len(v) for v in candidates.values()),
            "published": published,
            "versions": versions,
            "changed_count": sum(1 for v in versions if v["changed"]),
            "grounds": Exemption.Ground.choices,
            "withdrawal_grounds": WithdrawalGround.choices,
            "publications": duty.publications.order_by("-version"),
            "today": timezone.localdate(),
            # buttons only for actions the user may take (a supervisor watches, never publishes)
            "may_act": services.may_handle(request.user, duty.agency),
        },
    )


def _duty(request: HttpRequest, public_id) -> Duty:
    try:
        return services.duty_for(request.user, public_id)
    except NotFound as exc:
        raise Http404 from exc


def _act(request: HttpRequest, public_id, action) -> HttpResponse:
    duty = _duty(request, public_id)
    try:
        message = action(duty)
    except SanxiangError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    else:
        messages.success(request, message)
    return redirect("disclosure:staff_duty", public_id=duty.public_id)


@login_required
@require_POST
def staff_draft(request: HttpRequest, public_id) -> HttpResponse:
    marks = [m for m in (request.POST.get("marks") or "").splitlines() if m.strip()]

    def action(duty):
        purpose = Draft.Purpose.CORRECTION if duty.status == Duty.Status.PUBLISHED else Draft.Purpose.INITIAL
        current = duty.drafts.order_by("-number").first()
        merged = list(current.marks if current else []) + marks
        services.disclosure_draft_create(
            actor=request.user,
            duty=duty,
            marks=merged,
            purpose=purpose,
            reason=request.POST.get("reason", ""),
        )
        return "已生成新的公示稿，请由另一名公示管理员审核"

    return _act(request, public_id, action)


@login_required
@require_POST
def staff_review(request: HttpRequest, public_id) -> HttpResponse:
    approve = request.POST.get("outcome") == "approve"

    def action(duty):
        draft = duty.drafts.order_by("-number").first()
        services.disclosure_draft_review(
            actor=request.user, draft=draft, approve=approve, note=request.POST.get("note", "")
        )
        return "审核通过，已公示" if approve else "已退回"

    return _act(request, public_id, action)


@login_required
@require_POST
def staff_exempt(request: HttpRequest, public_id) -> HttpResponse:
    def action(duty):
        services.disclosure_exempt(
            actor=request.user,
            duty=duty,
            ground=request.POST.get("ground", ""),
            explanation=request.POST.get("explanation", ""),
        )
        return "已记录不予公开及其理由"

    return _act(request, public_id, action)


@login_required
@require_POST
def staff_withdraw(request: HttpRequest, public_id) -> HttpResponse:
    def action(duty):
        services.disclosure_withdraw(
            actor=request.user,
            duty=duty,
            ground=request.POST.get("ground", ""),
            explanation=request.POST.get("explanation", ""),
        )
        return "已撤下，撤下说明已在公示平台公开"

    return _act(request, public_id, action)


def _item_form(kind: str, values: dict) -> list[dict]:
    """The decision items of ``kind`` as form rows with their values (the correction form)."""
    rows = []
    for item in F.items_for(kind):
        value = values.get(item.key, "")
        if item.type == F.NAMES:
            value = "\n".join(value or [])
        widget = "textarea" if item.type in (F.TEXT, F.NAMES) and item.max_length > 500 else "input"
        if item.type == F.NAMES:
            widget = "textarea"
        rows.append(
            {
                "key": item.key,
                "name": f"f-{item.key}",
                "label": F.label_for(kind, item.key),
                "type": item.type,
                "widget": "select" if item.type == F.CHOICE else widget,
                "input_type": "text",
                "placeholder": "如 2026-03-02" if item.type == F.DATE else "",
                "choices": [(c, _CHOICE_LABELS.get(c, c)) for c in item.choices],
                "value": value if value is not None else "",
                "required": item.required,
            }
        )
    return rows


_CHOICE_LABELS = {"minor": "轻微", "ordinary": "一般", "serious": "严重"}


def _posted_items(kind: str, post) -> dict:
    """The decision items as the correction form posted them (an emptied item is left out)."""
    fields: dict = {}
    for item in F.items_for(kind):
        raw = (post.get(f"f-{item.key}") or "").strip()
        if not raw:
            continue
        if item.type == F.NAMES:
            fields[item.key] = [line.strip() for line in raw.splitlines() if line.strip()]
        else:
            fields[item.key] = raw.replace("\r\n", "\n")
    return fields


@login_required
def staff_correction(request: HttpRequest, tracking_number: str) -> HttpResponse:
    """An accepted correction request: the disclosure officer changes the disputed items (公示办法 第三十一条)
    in a form holding the current values; the new version then goes to internal review (第三十条)."""
    found = selectors.visible_corrections(request.user).filter(tracking_number=tracking_number).first()
    if found is None:
        raise Http404
    duty = found.duty
    current = duty.drafts.order_by("-number").first()
    values = dict(current.fields if current else duty.fields)
    errors: list[FieldError] = []
    note = ""
    if request.method == "POST":
        note = request.POST.get("note", "")
        accept = request.POST.get("outcome") == "accept"
        posted = _posted_items(duty.source_kind, request.POST)
        try:
            services.correction_request_decide(
                actor=request.user,
                request=found,
                accept=accept,
                outcome=note,
                fields=posted if accept else None,
            )
        except SanxiangError as exc:
            errors = exc.errors
            if accept:
                values = posted
        else:
            messages.success(
                request,
                "已生成更正稿，请由另一名公示管理员审核后发布" if accept else "已作出不予更正的决定并公开",
            )
            return redirect("disclosure:staff_duty", public_id=duty.public_id)
    by_field = {e.field.removeprefix("fields."): e.message for e in errors}
    rows = _item_form(duty.source_kind, values)
    for row in rows:
        row["error"] = by_field.get(row["key"], "")
    return render(
        request,
        "disclosure/staff/correction.html",
        {"request_": found, "duty": duty, "rows": rows, "errors": errors, "note": note},
        status=422 if errors else 200,
    )


@login_required
@require_POST
def staff_correction_decide(request: HttpRequest, tracking_number: str) -> HttpResponse:
    found = selectors.visible_corrections(request.user).filter(tracking_number=tracking_number).first()
    if found is None:
        raise Http404
    try:
        services.correction_request_decide(
            actor=request.user,
            request=found,
            accept=request.POST.get("outcome") == "accept",
            outcome=request.POST.get("note", ""),
        )
    except SanxiangError as exc:
        for error in exc.errors:
            messages.error(request, error.message)
    else:
        messages.success(request, "已处理更正申请")
    return redirect("disclosure:staff_duty", public_id=found.duty.public_id)
