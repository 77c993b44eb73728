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
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from sanxiang.api.common import idempotency_key
from sanxiang.cases import selectors, services
from sanxiang.cases.specs import OFFICER_RECORDS, fields_for, is_approval_record
from sanxiang.cases.templatetags.case_pages import cite_text
from sanxiang.errors import FieldError, InvalidInput, SanxiangError
from sanxiang.procedures import registry
from sanxiang.rules.selectors import rule_for


def _case(request: HttpRequest, case_id) -> object:
    return selectors.case_for(request.user, case_id)


def _error_response(request, exc: SanxiangError, template: str, context: dict) -> HttpResponse:
    context = {**context, "errors": exc.errors, "error_title": exc.title}
    # htmx swaps only successful responses: show the errors in place with 200 to htmx, the status otherwise
    return render(request, template, context, status=200 if request.htmx else exc.status)


class CappedPaginator(Paginator):
    """Counts at most ``LIST_CAP`` + 1 cases: counting 100,000 open cases of an agency on every page
    load costs more than the page; beyond the cap the list asks for a search or a filter."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: LIST_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > LIST_CAP


LIST_CAP = 1000


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """案件: search (案号、案由、当事人), filters (环节, 办案人员, 期限, 执法主体 for supervisors), sort, pages."""
    from sanxiang.accounts.roles import Role
    from sanxiang.registry.models import Agency
    from sanxiang.registry.selectors import agency_scope, visible_officers

    g = request.GET
    f = selectors.CaseFilter(
        q=g.get("q", "")[:100],
        stage=g.get("stage", ""),
        officer=g.get("officer", ""),
        deadline=g.get("deadline", ""),
        agency=g.get("agency", ""),
        scope=g.get("scope", "mine" if getattr(request.user, "officer_id", None) else "all"),
        sort=g.get("sort", "opened"),
    )
    qs = selectors.case_search(request.user, f).select_related("agency")
    page = CappedPaginator(qs, 30).get_page(g.get("page"))
    rows = [
        (c, selectors.procedure_name(c.procedure), selectors.stage_name(c.procedure, c.stage)) for c in page
    ]
    supervisor = request.user.has_role(Role.SUPERVISOR) or request.user.has_role(Role.ADMINISTRATOR)
    scope = agency_scope(request.user)
    agencies = (
        list((Agency.objects.filter(scope) if scope is not None else Agency.objects.all()).order_by("name"))
        if supervisor
        else []
    )
    officers = list(
        visible_officers(request.user).filter(agency_id=request.user.agency_id).order_by("name")[:200]
    )
    params = {k: v for k, v in g.items() if k != "page" and v}
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": rows,
            "f": f,
            "can_open": services.can_open_case(request.user),
            "stages": selectors.stage_choices(),
            "officers": officers,
            "agencies": agencies,
            "deadlines": selectors.DEADLINE_FILTERS.items(),
            "today": timezone.localdate(),
            "list_cap": LIST_CAP,
            "query": "&".join(f"{k}={v}" for k, v in params.items()),
            "sort_query": "&".join(f"{k}={v}" for k, v in params.items() if k != "sort"),
        },
    )


@login_required
def case_detail(request: HttpRequest, case_id) -> HttpResponse:
    try:
        case = _case(request, case_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    from sanxiang.cases import panels
    from sanxiang.cases.discretion import compare_case

    detail = selectors.case_detail(request.user, case)
    case_panels = panels.case_panels(request.user, case, detail.view)
    takes_over = {k: url for p in case_panels for k, url in p.takes_over.items()}
    upload = rule_for("record.upload", region=case.region_code, on=timezone.localdate())
    return render(
        request,
        "cases/detail.html",
        {
            "d": detail,
            "case": case,
            "step_panels": case_panels,
            "takes_over": takes_over,
            "discretion": compare_case(case, detail.view),
            "upload_rule": upload,
        },
    )


def _purpose_key(request: HttpRequest) -> str:
    from sanxiang.cases.access import PURPOSES, default_purpose

    key = request.GET.get("purpose", "")
    return key if key in PURPOSES else default_purpose(request.user)


@login_required
def record_detail(request: HttpRequest, case_id, record_id) -> HttpResponse:
    """A record with its fields under Chinese labels, its photos shown and its recordings played in
    the page; the view is written to the access log with its purpose."""
    from sanxiang.cases import access, display

    try:
        case = _case(request, case_id)
        record = selectors.record_for(case, record_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    purpose = _purpose_key(request)
    access.record_viewed(actor=request.user, case=case, record=record, purpose=purpose)
    defn = registry.get(case.procedure)
    spec = defn.records().get(record.kind)
    stage = next((s.name for s in defn.stages if s.key == record.stage), "")
    return render(
        request,
        "cases/record_detail.html",
        {
            "case": case,
            "record": record,
            "name": spec.name if spec else "案件记录",
            "source": spec.source if spec else "",
            "stage_name": stage,
            "rows": display.record_rows(record),
            "officers": display.officer_rows(record),
            "origins": display.origin_rows(record),
            "files": display.record_files(record),
            "purpose": purpose,
            "purpose_text": access.purpose_text(purpose, case),
            "corrections": list(record.corrections.all()),
            "upload_rule": rule_for(
                "record.upload", region=case.region_code, on=timezone.localdate(record.made_at)
            ),
        },
    )


@login_required
def record_file(request: HttpRequest, case_id, record_id, sm3: str) -> HttpResponse:
    """A file of a record, whole or by HTTP range (video and audio seek and start at once). The
    first request of a playback (no range or a range from byte 0) and every download are logged."""
    from sanxiang.cases import access
    from sanxiang.cases.media import parse_range, serve_blob

    try:
        case = _case(request, case_id)
        record = selectors.record_for(case, record_id)
        blob = access.file_of(record, sm3)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    download = request.GET.get("download") == "1"
    wanted = parse_range(request.headers.get("Range", ""), blob.size)
    if download or wanted is None or (isinstance(wanted, tuple) and wanted[0] == 0):
        access.file_accessed(
            actor=request.user, case=case, blob=blob, purpose=_purpose_key(request), download=download
        )
    name = f"{case.number}-{blob.sm3[:8]}" if download else ""
    return serve_blob(request, blob, download_name=name)


def devices_in_service(agency_id: int, on):
    """The agency's recording devices in service on a day (the record form's 记录设备 choices)."""
    from django.db.models import Q

    from sanxiang.registry.models import RecordingDevice

    return list(
        RecordingDevice.objects.filter(agency_id=agency_id, in_service_from__lte=on)
        .filter(Q(retired_on__isnull=True) | Q(retired_on__gt=on))
        .select_related("keeper")
        .order_by("kind", "serial_number")
    )


def _form_context(
    case, kind: str, view, post=None, errors: list[FieldError] | None = None, *, user=None, params=None
) -> dict:
    """The record form; after a refused POST it carries back what was typed, with each error beside
    its field (``payload.<name>``, ``officers``, ``made_at``, ``blobs``, ``refusal_note``)."""
    defn = registry.get(case.procedure)
    spec = defn.records()[kind]
    by_field: dict[str, list[str]] = {}
    for e in errors or ():
        name = e.field.removeprefix("payload.").split("[")[0]
        if name.startswith("officers"):
            name = "officers"
        by_field.setdefault(name, []).append(e.message)
    from sanxiang.cases import numbering, prefill

    start = prefill.defaults(view, kind, user=user) if post is None else {}
    offer = prefill.offered(view, kind, params or {}, user=user) if post is None else None
    if post is not None:  # a refused save keeps the offer it was opened with
        offer = prefill.recalled(view, post.get("offer_from", ""), post.get("offer_ref", ""), user=user)
    offered = offer.fields if offer is not None else {}
    if post is None:
        start.update({name: value for name, (value, _) in offered.items()})
    auto_number = ""
    if numbering.numbered(kind):
        auto_number = numbering.preview(agency=case.agency, kind=kind, on=view.today)
    rows = []
    for f in fields_for(kind):
        if f.type == "party_penalties" and len(view.parties) < 2:
            continue  # one party: the penalty above is that party's
        initial = start.get(f.name)
        rows.append(
            {
                "f": f,
                "value": post.get(f.name, "")
                if post is not None
                else ("" if initial is None or isinstance(initial, (list, bool)) else initial),
                "values": post.getlist(f.name)
                if post is not None
                else (initial if isinstance(initial, list) else []),
                "checked": (post is not None and f.name in post) or (post is None and initial is True),
                "errors": by_field.get(f.name, []),
                "origin": offered[f.name][1].text if f.name in offered else "",
                "parties": [
                    {
                        "party": p,
                        "key": f"pp_{p.public_id}",
                        "kinds": post.getlist(f"pp_{p.public_id}_kinds") if post is not None else [],
                        "fine": post.get(f"pp_{p.public_id}_fine", "") if post is not None else "",
                        "confiscation": post.get(f"pp_{p.public_id}_confiscation", "")
                        if post is not None
                        else "",
                    }
                    for p in (view.parties if f.type == "party_penalties" else ())
                ],
                "placeholder": f"留空则自动编号（下一个：{auto_number}）"
                if f.name == "document_number" and auto_number
                else "",
            }
        )
    officers = [
        {
            "o": o,
            "present": post is None or f"present_{o.officer.public_id}" in post,
            "shown": post is None or f"shown_{o.officer.public_id}" in post,
        }
        for o in view.officers
    ]
    from sanxiang.cases import discretion

    check = None
    if kind in discretion.CHECKED_RECORDS:
        proposed = (
            {
                n: post.getlist(n) if n == "penalty_kinds" else post.get(n, "")
                for n in discretion.PAYLOAD_FIELDS
            }
            if post is not None
            else start
        )
        check = discretion.compare(case, proposed)
    return {
        "case": case,
        "spec": spec,
        "offer": offer,
        "discretion": check,
        "fields": [r["f"] for r in rows],
        "rows": rows,
        "officers_required": kind in OFFICER_RECORDS,
        "officers": officers,
        "fe": by_field,
        "now": (post.get("made_at") if post is not None else "")
        or timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "refusal": {
            "sign": post is not None and "party_refused_to_sign" in post,
            "cooperate": post is not None and "party_refused_to_cooperate" in post,
            "note": post.get("refusal_note", "") if post is not None else "",
        },
        "files_dropped": False,
        "kept": [],
        "form_key": uuid.uuid4().hex,
        "devices": devices_in_service(case.agency_id, view.today),
        "device": post.get("device", "") if post is not None else "",
    }


@login_required
def record_form(request: HttpRequest, case_id, kind: str) -> HttpResponse:
    try:
        case = _case(request, case_id)
    except SanxiangError as exc:
        return render(request, "cases/missing.html", {"errors": exc.errors}, status=404)
    from sanxiang.cases import prefill
    from sanxiang.cases.context import load

    view = load(case)
    if kind not in view.defn.records() or is_approval_record(case.procedure, kind):
        return render(request, "cases/missing.html", {"errors": []}, status=404)
    if request.method != "POST":
        context = _form_context(case, kind, view, user=request.user, params=request.GET)
        return render(request, "cases/record_form.html", context)
    context = _form_context(case, kind, view, user=request.user)
    payload = {}
    for f in context["fields"]:
        if f.type == "choices":
            payload[f.name] = request.POST.getlist(f.name)
        elif f.type == "party_penalties":  # joint offenders: each party's own penalty, where stated
            payload[f.name] = [
                {
                    "party": str(p.public_id),
                    "penalty_kinds": request.POST.getlist(f"pp_{p.public_id}_kinds"),
                    "fine_amount": request.POST.get(f"pp_{p.public_id}_fine", ""),
                    "confiscation_amount": request.POST.get(f"pp_{p.public_id}_confiscation", ""),
                }
                for p in view.parties
                if request.POST.getlist(f"pp_{p.public_id}_kinds")
            ]
        elif f.type == "bool":
            payload[f.name] = f.name in request.POST
        else:
            payload[f.name] = request.POST.get(f.name, "")
    officers = [
        {"officer": str(o.officer.public_id), "shown": f"shown_{o.officer.public_id}" in request.POST}
        for o in view.officers
        if f"present_{o.officer.public_id}" in request.POST
    ]
    kept = [h for h in request.POST.getlist("blob") if h]
    made_at = None
    if request.POST.get("made_at"):
        made_at = parse_datetime(request.POST["made_at"])
        if made_at is not None and timezone.is_naive(made_at):
            made_at = timezone.make_aware(made_at)
    try:
        from sanxiang.ledger.blobs import ingest_for_record

        if not services.can_act(request.user, case):
            raise services.Forbidden("只有本机关的执法人员或负责人可以办理本案")
        if request.POST.get("made_at") and made_at is None:
            raise InvalidInput([FieldError("made_at", "datetime", "制作时间: 格式不正确")])
        # The files become blobs only together with the record: a refused record keeps none of them.
        with ingest_for_record(actor=request.user, files=request.FILES.getlist("files")) as blobs:
            services.record_add(
                actor=request.user,
                case=case,
                kind=kind,
                payload=payload,
                made_at=made_at,
                # files uploaded before the form was sent (site.js) are named by their hash
                blobs=list(dict.fromkeys([*kept, *blobs])),
                officers=officers,
                party_refused_to_sign="party_refused_to_sign" in request.POST,
                party_refused_to_cooperate="party_refused_to_cooperate" in request.POST,
                refusal_note=request.POST.get("refusal_note", ""),
                idempotency_key=idempotency_key(request),
                device=request.POST.get("device") or None,
                offer=prefill.recalled(
                    view,
                    request.POST.get("offer_from", ""),
                    request.POST.get("offer_ref", ""),
                    user=request.user,
                ),
            )
    except SanxiangError as exc:
        context = _form_context(case, kind, view, request.POST, exc.errors, user=request.user)
        context["files_dropped"] = bool(request.FILES)
        context["kept"] = [
            {"sm3": h, "name": request.POST.get(f"blob_name_{h}", "")[:255] or h[:12]} for h in kept
        ]
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
        moved = services.case_transition(
            actor=request.user,
            case=case,
            transition=request.POST.get("transition", ""),
            note=request.POST.get("note", ""),
            idempotency_key=idempotency_key(request),
        )
        defn = registry.get(case.procedure)
        done = defn.transition(request.POST["transition"])
        messages.success(request, f"已办理：{done.name}，当前环节为{defn.stage(moved.to_stage).name}")
    except SanxiangError as exc:
        messages.error(request, f"未办理：{exc.title}")
        for e in exc.errors:
            messages.error(request, cite_text(e.message))
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
            messages.error(request, cite_text(e.message))
    return redirect(f"/staff/cases/{case.public_id}/")


def due_label(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


# ---------------------------------------------------------------- opening a case (登记案件)

PARTY_FIELDS = (
    "kind",
    "name",
    "id_type",
    "id_number",
    "credit_code",
    "legal_representative",
    "phone",
    "address",
)
PARTY_KIND_FIELDS = {
    "person": ("kind", "name", "id_type", "id_number", "phone", "address"),
    "organisation": ("kind", "name", "credit_code", "legal_representative", "phone", "address"),
    "individual_business": ("kind", "name", "credit_code", "legal_representative", "phone", "address"),
}
OPENING_FIELDS = (
    "procedure",
    "title",
    "matter_code",
    "category",
    "region_code",
    "source",
    "source_detail",
    "reporter_name",
    "reporter_contact",
    "emergency_reason",
)
MAX_PARTIES = 10


def _party_values(data, index: int) -> dict[str, str]:
    values = {name: (data.get(f"party-{index}-{name}") or "").strip() for name in PARTY_FIELDS}
    if values["kind"] not in PARTY_KIND_FIELDS:
        values["kind"] = "organisation"
    if values["kind"] == "person" and not values["id_type"]:
        values["id_type"] = "resident_id"
    return values


def _party_blank(values: dict[str, str]) -> bool:
    return not any(v for k, v in values.items() if k not in ("kind", "id_type"))


def _party_for_service(values: dict[str, str]) -> dict[str, str]:
    return {name: values[name] for name in PARTY_KIND_FIELDS[values["kind"]]}


def _party_block(index: int, values: dict[str, str], errors: dict[str, list[str]] | None = None) -> dict:
    from sanxiang.registry.models import IdType, Party

    return {
        "index": index,
        "values": values,
        "errors": errors or {},
        "person": values["kind"] == "person",
        "kinds": Party.Kind.choices,
        "id_types": IdType.choices,
    }


def _opening_form(request: HttpRequest) -> dict:
    data = request.POST if request.method == "POST" else request.GET
    agency = request.user.agency
    form = {name: (data.get(name) or "").strip() for name in OPENING_FIELDS}
    procedures = selectors.opening_procedures()
    form["procedure"] = form["procedure"] or procedures[0].key
    categories = [c for c in agency.categories if c != "supervision"]
    form["category"] = form["category"] or (categories[0] if categories else "")
    form["region_code"] = form["region_code"] or agency.region_code
    form["source"] = form["source"] or ""
    form["reporter_named"] = data.get("reporter_named") == "on"
    form["is_emergency"] = data.get("is_emergency") == "on"
    form["form_key"] = data.get("form_key") or uuid.uuid4().hex
    if request.method == "POST":
        form["officers"] = data.getlist("officers")
    else:
        officer = getattr(request.user, "officer", None)
        form["officers"] = [str(officer.public_id)] if officer else []
    try:
        count = int(data.get("party_count") or 1)
    except ValueError:
        count = 1
    count = max(1, min(count + (1 if data.get("action") == "add_party" else 0), MAX_PARTIES))
    form["parties"] = [_party_values(data, i) for i in range(count)]
    return form


def _rule_for_typed_region(key: str, typed: str, agency_region: str, on: dt.date):
    """The rule for the region typed in the form, or the agency's while what was typed is not a code."""
    try:
        return rule_for(key, region=typed or agency_region, on=on)
    except SanxiangError:
        return rule_for(key, region=agency_region, on=on)


def _opening_context(request: HttpRequest, form: dict, errors: list[FieldError] | None = None) -> dict:
    from sanxiang.cases.models import CaseSource
    from sanxiang.registry.models import EnforcementCategory

    today = timezone.localdate()
    errors = errors or []
    sent_parties = [i for i, p in enumerate(form["parties"]) if not _party_blank(p)]
    field_errors: dict[str, list[str]] = {}
    party_errors: dict[int, dict[str, list[str]]] = {}
    officer_errors: dict[str, list[str]] = {}
    for e in errors:
        head, _, rest = e.field.partition(".")
        if head.startswith("parties[") and head.endswith("]"):
            n = int(head[len("parties[") : -1])
            block = sent_parties[n] if n < len(sent_parties) else 0
            party_errors.setdefault(block, {}).setdefault(rest or "name", []).append(e.message)
        elif head.startswith("officers[") and head.endswith("]"):
            n = int(head[len("officers[") : -1])
            key = form["officers"][n] if n < len(form["officers"]) else "?"
            officer_errors.setdefault(key, []).append(e.message)
        else:
            field_errors.setdefault(head, []).append(e.message)
    officers = [
        {
            "choice": c,
            "id": str(c.officer.public_id),
            "checked": str(c.officer.public_id) in form["officers"],
            "errors": officer_errors.get(str(c.officer.public_id), []),
        }
        for c in selectors.opening_officers(
            request.user, category=form["category"], region_code=form["region_code"], on=today
        )
    ]
    labels = dict(EnforcementCategory.choices)
    return {
        "form": form,
        "procedures": selectors.opening_procedures(),
        "matters": selectors.opening_matters(request.user, procedure=form["procedure"], on=today),
        "categories": [(c, labels.get(c, c)) for c in request.user.agency.categories if c != "supervision"],
        "sources": CaseSource.choices,
        "officers": officers,
        "parties": [_party_block(i, p, party_errors.get(i)) for i, p in enumerate(form["parties"])],
        "errors": errors,
        "fe": field_errors,
        "today": today,
        # 情况紧急先行启动: 立案审批补报期限 (the registry's rule for the agency's region)
        "emergency_rule": _rule_for_typed_region(
            "record.emergency_approval", form["region_code"], request.user.agency.region_code, today
        ),
    }


def _opening_allowed(request: HttpRequest) -> HttpResponse | None:
    if services.can_open_case(request.user):
        return None
    return render(
        request,
        "cases/missing.html",
        {"errors": [FieldError("actor", "permission", "只有执法机关的执法人员或负责人可以登记案件")]},
        status=403,
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """登记案件: the form for ``services.case_open`` (procedure, matter, source, parties, officers)."""
    refused = _opening_allowed(request)
    if refused:
        return refused
    form = _opening_form(request)
    if request.method != "POST" or request.POST.get("action"):  # action: add a party block
        return render(request, "cases/new.html", _opening_context(request, form))
    scope = {str(o.public_id): o for o in selectors.opening_officers_by_id(request.user, form["officers"])}
    unknown = [
        FieldError(f"officers[{i}]", "exists", "执法人员: 不存在或不是本机关人员")
        for i, oid in enumerate(form["officers"])
        if oid not in scope
    ]
    try:
        if unknown:
            raise InvalidInput(unknown)
        case = services.case_open(
            actor=request.user,
            procedure=form["procedure"],
            title=form["title"],
            source=form["source"],
            officers=[scope[oid] for oid in form["officers"]],
            parties=[_party_for_service(p) for p in form["parties"] if not _party_blank(p)],
            source_detail=form["source_detail"],
            reporter_name=form["reporter_name"],
            reporter_contact=form["reporter_contact"],
            reporter_named=form["reporter_named"],
            is_emergency=form["is_emergency"],
            emergency_reason=form["emergency_reason"],
            matter_code=form["matter_code"],
            category=form["category"],
            region_code=form["region_code"],
            idempotency_key=form["form_key"][:100],
        )
    except SanxiangError as exc:
        context = {**_opening_context(request, form, exc.errors), "error_title": exc.title}
        return render(request, "cases/new.html", context, status=exc.status)
    messages.success(request, f"已登记案件：{case.number}")
    return redirect(f"/staff/cases/{case.public_id}/")


@login_required
def case_new_party(request: HttpRequest) -> HttpResponse:
    """htmx: one party block, re-rendered for its kind or prefilled from the 市场主体名录库."""
    refused = _opening_allowed(request)
    if refused:
        return refused
    try:
        index = max(0, min(int(request.GET.get("index", 0)), MAX_PARTIES - 1))
    except ValueError:
        index = 0
    values = _party_values(request.GET, index)
    entity = selectors.market_entity(request.user, request.GET.get("entity", ""))
    if entity is not None:
        individual = entity.kind == entity.Kind.INDIVIDUAL_BUSINESS
        values.update(
            kind="individual_business" if individual else "organisation",
            name=entity.name,
            credit_code=entity.credit_code,
            legal_representative=entity.legal_representative,
            address=entity.address,
        )
    return render(request, "cases/_party.html", {"p": _party_block(index, values)})


@login_required
def case_new_entities(request: HttpRequest) -> HttpResponse:
    """htmx: 市场主体名录库 search results for one party block."""
    refused = _opening_allowed(request)
    if refused:
        return refused
    query = request.GET.get("q", "")
    return render(
        request,
        "cases/_entities.html",
        {
            "entities": selectors.market_entities(request.user, query),
            "query": query.strip(),
            "index": request.GET.get("index", "0"),
        },
    )


@login_required
def case_new_matters(request: HttpRequest) -> HttpResponse:
    """htmx: the matter picker for the chosen procedure."""
    refused = _opening_allowed(request)
    if refused:
        return refused
    form = _opening_form(request)
    matters = selectors.opening_matters(request.user, procedure=form["procedure"], on=timezone.localdate())
    return render(request, "cases/_matters.html", {"form": form, "matters": matters, "fe": {}})
