"""Pages of the assistance: the public law corpus, and the officer's 智能辅助 page of a case (facts →
similar cases, matter, basis and 裁量 row, consistency check) with its htmx partials."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxiang.assist import selectors, services
from sanxiang.assist.models import ConsistencyCheck, Suggestion, SuggestionAnswer
from sanxiang.errors import SanxiangError

# ---------------------------------------------------------------------- public: the law corpus


def law_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (s, selectors.version_in_force(s), list(s.versions.order_by("-effective_from")))
        for s in selectors.statutes()
    ]
    return render(request, "assist/law_list.html", {"rows": rows})


def law_detail(request: HttpRequest, title: str) -> HttpResponse:
    statute = selectors.statute_by_title(title)
    if statute is None:
        raise Http404
    versions = list(statute.versions.order_by("-effective_from", "-pk"))
    current = selectors.version_in_force(statute)
    chosen = current
    if request.GET.get("version", "").isdigit():
        chosen = next((v for v in versions if v.pk == int(request.GET["version"])), current)
    return render(
        request,
        "assist/law_detail.html",
        {
            "statute": statute,
            "version": chosen,
            "current": current,
            "versions": versions,
            "articles": chosen.articles.all() if chosen else [],
        },
    )


def article_detail(request: HttpRequest, title: str, number: int) -> HttpResponse:
    statute = selectors.statute_by_title(title)
    if statute is None:
        raise Http404
    version = selectors.version_in_force(statute)
    art = version.articles.filter(number=number).first() if version else None
    if art is None:
        raise Http404
    others = [
        (v, v.articles.filter(number=number).first())
        for v in statute.versions.order_by("-effective_from")
        if v.pk != version.pk
    ]
    return render(
        request,
        "assist/article.html",
        {"statute": statute, "version": version, "article": art, "others": others},
    )


# ---------------------------------------------------------------------- staff: the case's assistance


def _case(request: HttpRequest, case_id):
    from sanxiang.cases.selectors import case_for

    try:
        return case_for(request.user, case_id)
    except SanxiangError as exc:
        raise Http404 from exc


def _suggest_context(request: HttpRequest, case, facts: str, *, log: bool) -> dict:
    similar = selectors.similar_cases(request.user, facts, exclude_case=case)
    matters = selectors.matter_suggestions(request.user, facts)
    offer = None
    if log and (similar or matters) and getattr(request.user, "agency_id", None):
        services.suggestion_offer(
            actor=request.user,
            kind=Suggestion.Kind.SIMILAR,
            case=case,
            query=facts,
            offered=[{"decision": str(s.decision.public_id), "score": s.score} for s in similar],
        )
        if matters:
            offer = services.suggestion_offer(
                actor=request.user,
                kind=Suggestion.Kind.MATTER,
                case=case,
                query=facts,
                offered=[
                    {
                        "code": m.code,
                        "score": m.score,
                        "violation": [a.citation for a in m.violation],
                        "penalty": m.penalty.citation if m.penalty else "",
                        "levels": [
                            {"id": lv.rule_id, "level": lv.level, "score": lv.score} for lv in m.levels
                        ],
                    }
                    for m in matters
                ],
            )
    return {"case": case, "facts": facts, "similar": similar, "matters": matters, "offer": offer}


def _rule(case) -> str:
    """The 类案同罚 rule in force for the case's agency, as a person reads it."""
    return selectors.consistency.limits(region=case.agency.region_code, on=timezone.localdate()).rule


@login_required
def case_assist(request: HttpRequest, case_id) -> HttpResponse:
    case = _case(request, case_id)
    facts = request.GET.get("facts") or selectors.facts_of(case)
    context = _suggest_context(request, case, facts, log=False)
    answers = list(
        SuggestionAnswer.objects.filter(suggestion__case=case, suggestion__kind=Suggestion.Kind.MATTER)
        .select_related("suggestion")
        .order_by("-at", "-pk")[:1]
    )
    chosen = answers[0].chosen if answers and answers[0].outcome == SuggestionAnswer.Outcome.ACCEPTED else {}
    if chosen.get("matter_code"):
        from sanxiang.catalog.models import EnforcementItem

        item = (
            EnforcementItem.objects.filter(agency=case.agency, code=chosen["matter_code"])
            .order_by("-version")
            .first()
        )
        chosen = {**chosen, "matter_name": item.name if item else chosen["matter_code"]}
    checks = list(selectors.checks_for_case(request.user, case)[:5])
    context.update({"chosen": chosen, "checks": checks, "rule": _rule(case)})
    return render(request, "assist/case.html", context)


@login_required
@require_POST
def case_suggest(request: HttpRequest, case_id) -> HttpResponse:
    """htmx: similar cases and the matter/basis/裁量 suggestion for the facts as typed."""
    case = _case(request, case_id)
    facts = request.POST.get("facts", "")
    return render(request, "assist/_suggestions.html", _suggest_context(request, case, facts, log=True))


@login_required
@require_POST
def case_choose(request: HttpRequest, case_id) -> HttpResponse:
    """The officer takes (or refuses) the suggested matter and 裁量 row; the choice is logged."""
    case = _case(request, case_id)
    suggestion = Suggestion.objects.filter(public_id=request.POST.get("suggestion"), case=case).first()
    if suggestion is None:
        raise Http404
    code = request.POST.get("matter_code", "")
    offered = {o["code"]: o for o in suggestion.offered}
    outcome = SuggestionAnswer.Outcome.ACCEPTED if code in offered else SuggestionAnswer.Outcome.REJECTED
    chosen = {
        "matter_code": code,
        "rule_id": request.POST.get("rule_id", ""),
        "level": request.POST.get("level", ""),
    }
    services.suggestion_answer(
        actor=request.user,
        suggestion=suggestion,
        outcome=outcome,
        chosen=chosen,
        reason=request.POST.get("reason", ""),
    )
    return redirect(
        f"{reverse('assist:case', args=[case.public_id])}?{urlencode({'facts': suggestion.query})}"
    )


@login_required
@require_POST
def case_check(request: HttpRequest, case_id) -> HttpResponse:
    """The proposed fine against similar decided cases (类案同罚); a flag never blocks."""
    case = _case(request, case_id)
    try:
        check = services.consistency_check(
            actor=request.user,
            case=case,
            matter_code=request.POST.get("matter_code", ""),
            level=request.POST.get("level", ""),
            proposed=request.POST.get("proposed", ""),
            facts=request.POST.get("facts", ""),
        )
    except SanxiangError as exc:
        if not request.htmx:
            return _back_to_case(request, case, errors=exc.errors)
        return render(request, "assist/_check.html", {"case": case, "errors": exc.errors})
    if not request.htmx:  # the form posted without htmx (not loaded yet, or off): the page shows the check
        return _back_to_case(request, case)
    return render(request, "assist/_check.html", {"case": case, "check": check})


def _back_to_case(request: HttpRequest, case, errors=()) -> HttpResponse:
    """The assistance page of ``case`` with the facts as posted, any errors as messages (a form
    posted without htmx)."""
    from django.contrib import messages

    for e in errors:
        messages.error(request, e.message)
    facts = request.POST.get("facts", "")
    return redirect(f"{reverse('assist:case', args=[case.public_id])}?{urlencode({'facts': facts})}")


@login_required
@require_POST
def check_explain(request: HttpRequest, case_id, check_id) -> HttpResponse:
    case = _case(request, case_id)
    check = ConsistencyCheck.objects.filter(public_id=check_id, case=case).first()
    if check is None:
        raise Http404
    try:
        services.consistency_explain(actor=request.user, check=check, reason=request.POST.get("reason", ""))
    except SanxiangError as exc:
        if not request.htmx:
            return _back_to_case(request, case, errors=exc.errors)
        return render(request, "assist/_check.html", {"case": case, "check": check, "errors": exc.errors})
    if not request.htmx:
        return _back_to_case(request, case)
    return render(request, "assist/_check.html", {"case": case, "check": check, "explained": True})


@login_required
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: existing cases, complaints and inspections about the same party (and matter)."""
    # the case registration form (party-N-name, party-N-credit_code, party-N-id_number) or single fields
    count = request.GET.get("party_count", "")
    n = min(int(count), 20) if count.isdigit() else 0
    fields = ("name", "credit_code", "id_number")
    parties = [{f: request.GET.get(f"party-{i}-{f}", "") for f in fields} for i in range(n)]
    parties.append({f: request.GET.get(f, "") for f in fields})
    rows = selectors.duplicates(
        request.user, parties=parties, matter_code=_matter_code(request.GET.get("matter_code", ""))
    )
    return render(request, "assist/_duplicates.html", {"rows": rows})


def _matter_code(value: str) -> str:
    """The registration form names the matter by its catalogue version (public id); the API by its code."""
    from sanxiang.catalog.models import EnforcementItem

    try:
        item = EnforcementItem.objects.filter(public_id=value).first()
    except (ValueError, ValidationError):
        item = None
    return item.code if item else value


def _fmt(value: Decimal | None) -> str:
    return f"{value:,.0f}" if value is not None else "—"


def _draft_args(request: HttpRequest) -> tuple[str, str, Decimal | None]:
    from sanxiang.assist.drafts import KINDS

    kind = request.GET.get("kind", "penalty_decision")
    if kind not in KINDS:
        raise Http404
    fine = None
    raw = request.GET.get("fine", "").replace(",", "").strip()
    if raw:
        try:
            fine = Decimal(raw)
        except ArithmeticError:
            fine = None
    return kind, request.GET.get("facts", ""), fine


@login_required
def case_draft(request: HttpRequest, case_id) -> HttpResponse:
    """A drafted 行政处罚决定书 / 告知书 with the origin of every sentence (not stored, not issued)."""
    from sanxiang.assist import drafts

    case = _case(request, case_id)
    kind, facts, fine = _draft_args(request)
    d = drafts.draft(request.user, case, kind=kind, facts=facts or selectors.facts_of(case), fine=fine)
    query = urlencode({"kind": kind, "facts": facts, "fine": request.GET.get("fine", "")})
    record_kind = drafts.KINDS[kind]
    # the draft shown is logged (what was offered, sentence by sentence, with its origin); the record
    # saved from it answers it (drafts.prefill_taken)
    shown = services.draft_offer(actor=request.user, case=case, draft=d, facts=facts)
    return render(
        request,
        "assist/draft.html",
        {
            "case": case,
            "draft": d,
            "query": query,
            # the record form starts from the draft (cases.prefill provider "assist-draft")
            "record_url": reverse("cases:record_form", args=[case.public_id, record_kind])
            + "?"
            + urlencode(
                {
                    "from": drafts.PROVIDER,
                    "facts": facts,
                    "fine": request.GET.get("fine", ""),
                    "draft": str(shown.public_id) if shown else "",
                }
            ),
        },
    )


@login_required
def case_draft_docx(request: HttpRequest, case_id) -> HttpResponse:
    from sanxiang.assist import drafts

    case = _case(request, case_id)
    kind, facts, fine = _draft_args(request)
    content = drafts.draft_docx(
        request.user, case, kind=kind, facts=facts or selectors.facts_of(case), fine=fine
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = 'attachment; filename="draft.docx"'
    return response
