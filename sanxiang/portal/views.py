"""The public portal (公示平台). Only disclosed data; no login."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.portal import rights as rights_content
from sanxiang.registry import selectors, services
from sanxiang.registry.models import EnforcementCategory, Officer
from sanxiang.registry.validators import validate_region_code


def home(request: HttpRequest) -> HttpResponse:
    from sanxiang.disclosure.selectors import public_decisions

    agencies = selectors.public_agencies()
    recent = (
        public_decisions()
        .only(
            "public_id", "document_number", "party_name", "title", "decided_on", "agency_name", "source_kind"
        )
        .order_by("-decided_on", "-id")[:8]
    )
    return render(
        request,
        "portal/home.html",
        {
            "agency_count": agencies.count(),
            "updated_at": agencies.aggregate(m=Max("updated_at"))["m"],
            "recent": recent,
            "rights_updated_on": rights_content.UPDATED_ON,
        },
    )


def agency_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    q = (request.GET.get("q") or "").strip()
    agencies = selectors.public_agencies().annotate(
        n_officers=Count(
            "officers",
            filter=Q(
                officers__status=Officer.Status.ACTIVE,
                officers__valid_from__lte=today,
                officers__valid_until__gte=today,
            ),
        )
    )
    if q:
        agencies = agencies.filter(name__contains=q)
    agencies = agencies.order_by("region_code", "name")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/agency_list.html",
        {"page": page, "q": q, "updated_at": selectors.public_agencies().aggregate(m=Max("updated_at"))["m"]},
    )


def agency_detail(request: HttpRequest, public_id) -> HttpResponse:
    agency = selectors.public_agencies().filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    from sanxiang.documents.selectors import agency_public_keys

    today = timezone.localdate()
    officers = agency.officers.order_by("name")
    labels = dict(EnforcementCategory.choices)
    keys = agency_public_keys(agency)
    return render(
        request,
        "portal/agency_detail.html",
        {
            "agency": agency,
            "categories": [labels.get(c, c) for c in agency.categories],
            "officers": [(o, services.credential_valid_on(o, today)) for o in officers],
            "today": today,
            # each key with the time the next one replaced it (None: in use)
            "keys": [(k, keys[i + 1].created_at if i + 1 < len(keys) else None) for i, k in enumerate(keys)],
        },
    )


def agency_rules(request: HttpRequest, public_id) -> HttpResponse:
    """执法依据: the rules the agency works under (its region's profile and overrides), each with
    its value and the document and article it comes from."""
    from sanxiang.rules import selectors as rules
    from sanxiang.rules.views import day_from, grouped

    agency = selectors.public_agencies().filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    day = day_from(request)
    return render(
        request,
        "portal/agency_rules.html",
        {
            "agency": agency,
            "day": day,
            "profile": rules.profile_for(region=agency.region_code, on=day),
            "groups": grouped(rules.rules_in_force(region=agency.region_code, on=day)),
        },
    )


def officer_lookup(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    today = timezone.localdate()
    labels = dict(EnforcementCategory.choices)
    results = [
        {
            "officer": o,
            "valid": services.credential_valid_on(o, today),
            "categories": [labels.get(c, c) for c in o.credential_categories],
        }
        for o in selectors.public_officer_search(q)
    ]
    template = "portal/_officer_results.html" if request.htmx else "portal/officer_lookup.html"
    return render(request, template, {"q": q, "results": results, "today": today})


def credential_check(request: HttpRequest) -> HttpResponse:
    """事中公示: is this officer entitled to act here today, for this kind of matter?"""
    number = (request.GET.get("credential_number") or "").strip()
    category = request.GET.get("category") or ""
    region = (request.GET.get("region_code") or "").strip()
    today = timezone.localdate()
    labels = dict(EnforcementCategory.choices)
    context = {
        "number": number,
        "category": category,
        "region": region,
        "today": today,
        "categories": EnforcementCategory.choices,
        "errors": [],
    }
    if number:
        officer = selectors.public_officer_by_credential(number)
        if category and category not in EnforcementCategory.values:
            context["errors"].append("执法类别: 请从列表中选择")
        if region:
            try:
                validate_region_code(region)
            except Exception as exc:
                context["errors"].append(exc.messages[0])
        if officer is None:
            context["not_found"] = True
        elif not context["errors"]:
            context["officer"] = officer
            context["valid_today"] = services.credential_valid_on(officer, today)
            context["categories_held"] = [labels.get(c, c) for c in officer.credential_categories]
            # the reason as well as the verdict: expired on which date, suspended, revoked, another
            # category or region (行政处罚法 第四十二条: 执法人员应当具有行政执法资格)
            checked = category or (officer.credential_categories[0] if officer.credential_categories else "")
            eligibility = services.officer_eligibility(
                officer=officer, category=checked, region_code=region or officer.agency.region_code, on=today
            )
            context["reasons"] = [r.message for r in eligibility.reasons]
            if category or region:
                context["eligibility"] = eligibility
    return render(request, "portal/credential_check.html", context)


def service_window(request: HttpRequest, public_id) -> HttpResponse:
    """岗位信息公示牌: the officers on duty at an agency's window, printable."""
    agency = selectors.public_agencies().filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    today = timezone.localdate()
    labels = dict(EnforcementCategory.choices)
    officers = [
        {"officer": o, "categories": [labels.get(c, c) for c in o.credential_categories]}
        for o in agency.officers.order_by("credential_number")
        if services.credential_valid_on(o, today)
    ]
    return render(
        request, "portal/service_window.html", {"agency": agency, "officers": officers, "today": today}
    )


def rights(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/rights.html",
        {"rights": rights_content.rights(), "updated_on": rights_content.UPDATED_ON},
    )


def supervision_channels(request: HttpRequest) -> HttpResponse:
    agencies = selectors.public_agencies().order_by("-is_supervisory", "name")
    return render(
        request,
        "portal/supervision.html",
        {"agencies": agencies, "updated_at": agencies.aggregate(m=Max("updated_at"))["m"]},
    )


# --- the five published texts of an agency (《松原市行政执法公示办法》第十条、第十五条、第二十四条) ------------


def _public_agency(public_id):
    agency = selectors.public_agencies().select_related("supervisor").filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    return agency


def _samples_updated(agency):
    """The 更新日期 of the agency's 文书样本: its own latest template, else the platform's default's."""
    from sanxiang.documents.models import DocumentTemplate

    own = DocumentTemplate.objects.filter(agency=agency).aggregate(m=Max("made_at"))["m"]
    shipped = DocumentTemplate.objects.filter(agency__isnull=True).aggregate(m=Max("made_at"))["m"]
    return own, shipped


def agency_texts(request: HttpRequest, public_id) -> HttpResponse:
    """The 12345+ system's five texts of one agency, each with its update date."""
    from sanxiang.catalog import guides
    from sanxiang.portal import phrasebook
    from sanxiang.procedures import registry
    from sanxiang.review import flow

    agency = _public_agency(public_id)
    today = timezone.localdate()
    own_samples, shipped_samples = _samples_updated(agency)
    book = phrasebook.in_force(agency, today)
    return render(
        request,
        "portal/agency_texts.html",
        {
            "agency": agency,
            "flowcharts_updated": registry.UPDATED_ON,
            "guides": guides.guides_in_force(agency, today),
            "matters": guides.application_matters(agency, today),
            "guides_updated": guides.guides_updated(agency),
            "phrasebook": book,
            "own_samples": own_samples,
            "shipped_samples": shipped_samples,
            "review_flow_updated": flow.UPDATED_ON,
        },
    )


def agency_guides(request: HttpRequest, public_id) -> HttpResponse:
    from sanxiang.catalog import guides

    agency = _public_agency(public_id)
    today = timezone.localdate()
    return render(
        request,
        "portal/agency_guides.html",
        {
            "agency": agency,
            "guides": guides.guides_in_force(agency, today),
            "matters": guides.application_matters(agency, today),
            "updated": guides.guides_updated(agency),
        },
    )


def _main_path(defn) -> list[str]:
    path = []
    for stage in defn.stages:
        path.append(stage.name)
        if stage.terminal:
            break
    return path


def agency_guide(request: HttpRequest, public_id, code: str) -> HttpResponse:
    """行政执法服务指南 of one 依申请 matter: the 第十五条 list, from the catalogue, the procedure
    definition and the rules registry."""
    from sanxiang.catalog import guides
    from sanxiang.procedures import registry
    from sanxiang.procedures.definitions import LimitKind
    from sanxiang.rules.selectors import rule_for

    agency = _public_agency(public_id)
    today = timezone.localdate()
    found = guides.guide_in_force(agency, code, today)
    if found is None:
        raise Http404
    defn = registry.get(found.guide.procedure)
    limits = []
    for tl in defn.time_limits:
        if tl.kind == LimitKind.AGENCY_DEADLINE and tl.rule:
            rule = rule_for(tl.rule, region=agency.region_code, on=today)
            limits.append({"name": tl.name, "value": rule.display_value, "citation": rule.citation})
    return render(
        request,
        "portal/agency_guide.html",
        {
            "agency": agency,
            "guide": found.guide,
            "matter": found.matter,
            "fields": [(label, getattr(found.guide, name)) for name, label, _r in guides.FIELDS],
            "procedure": defn,
            # The path in order ends at the first final stage (归档); other final stages (不予受理) are
            # the other ways an application can end, not steps after it.
            "stages": _main_path(defn),
            "other_endings": [s.name for s in defn.stages if s.terminal][1:],
            "limits": limits,
            "source": guides.SOURCE,
        },
    )


def guide_sample(request: HttpRequest, public_id, code: str, index: int) -> HttpResponse:
    """The 示范文本 of one material, generated as DOCX from the guide's data."""
    from urllib.parse import quote

    from sanxiang.catalog import guides

    agency = _public_agency(public_id)
    found = guides.guide_in_force(agency, code, timezone.localdate())
    material = guides.material_of(found.guide, index - 1) if found else None
    if found is None or material is None:
        raise Http404
    content = guides.sample_docx(agency=agency, matter=found.matter, guide=found.guide, material=material)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = f"{material['name']}（示范文本）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def agency_phrases(request: HttpRequest, public_id) -> HttpResponse:
    from sanxiang.portal import phrasebook

    agency = _public_agency(public_id)
    return render(
        request,
        "portal/agency_phrases.html",
        {"agency": agency, "book": phrasebook.in_force(agency, timezone.localdate())},
    )


def agency_review_flow(request: HttpRequest, public_id) -> HttpResponse:
    """重大行政执法决定法制审核流程图, drawn from the review procedure's own table (review.flow)."""
    from django.utils.safestring import mark_safe

    from sanxiang.procedures.flowchart import render_svg
    from sanxiang.review import flow
    from sanxiang.rules.selectors import rule_for

    agency = _public_agency(public_id)
    today = timezone.localdate()
    defn = flow.definition()
    names = {s.key: s.name for s in defn.stages}
    return render(
        request,
        "portal/agency_review_flow.html",
        {
            "agency": agency,
            # render_svg escapes every text it places in the SVG
            "svg": mark_safe(render_svg(defn, title="流程图")),  # noqa: S308
            "stages": defn.stages,
            "transitions": [(t, names[t.source], names[t.target]) for t in defn.transitions],
            "period": rule_for("review.period", region=agency.region_code, on=today),
            "extension": rule_for("review.extension", region=agency.region_code, on=today),
            "updated": flow.UPDATED_ON,
            "source": flow.SOURCE,
        },
    )
