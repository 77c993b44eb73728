"""Assistance endpoints: one per suggestion (similar cases, matter with basis and 裁量 row, consistency
check, duplicate check), the answer to a suggestion, and the law corpus (public)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Router, Schema, Status

from sanxiang.assist import selectors, services
from sanxiang.assist.models import Suggestion
from sanxiang.errors import NotFound

router = Router(tags=["assist 智能辅助"])


class FactsIn(Schema):
    facts: str
    case_id: UUID | None = None


class SimilarOut(Schema):
    decision_id: UUID
    case_number: str
    agency_name: str
    title: str
    matter: str
    facts: str
    basis: str
    penalty: str
    level: str
    outcome: str
    decided_on: str
    public: bool
    score: float
    matched_terms: list[str]


class SimilarListOut(Schema):
    suggestion_id: UUID | None
    results: list[SimilarOut]


class ArticleOut(Schema):
    law: str
    label: str
    citation: str
    text: str
    url: str


class LevelOut(Schema):
    rule_id: int
    level: str
    circumstances: str
    fine_min: str | None
    fine_max: str | None
    range_label: str
    score: float


class MatterOut(Schema):
    code: str
    name: str
    score: float
    violation_articles: list[ArticleOut]
    penalty_article: ArticleOut | None
    levels: list[LevelOut]


class MatterListOut(Schema):
    suggestion_id: UUID | None
    results: list[MatterOut]


class CheckIn(Schema):
    case_id: UUID
    matter_code: str
    level: str = ""
    proposed: str
    facts: str = ""


class ConsistencyCheckOut(Schema):
    id: UUID
    suggestion_id: UUID
    flagged: bool
    count: int
    q1: str | None
    median: str | None
    q3: str | None
    low: str | None
    high: str | None
    proposed: str
    rule: str
    compared: list[dict]


class AnswerIn(Schema):
    outcome: str
    chosen: dict = {}
    reason: str = ""


class AnswerOut(Schema):
    suggestion_id: UUID
    outcome: str
    chosen: dict
    reason: str


class DuplicateIn(Schema):
    name: str = ""
    credit_code: str = ""
    id_number: str = ""
    matter_code: str = ""


class DuplicateOut(Schema):
    case_id: UUID
    case_number: str
    title: str
    kind: str
    same_matter: bool
    why: str


class DraftIn(Schema):
    case_id: UUID
    kind: str = "penalty_decision"  # penalty_decision 行政处罚决定书, penalty_notice 行政处罚事先告知书
    facts: str = ""  # empty: the facts of the case's latest report
    fine: str = ""


class SentenceOut(Schema):
    key: str
    label: str
    text: str
    origin: str


class OfferFieldOut(Schema):
    value: Any
    origin: str
    origin_kind: str


class DraftOut(Schema):
    suggestion_id: UUID | None
    title: str
    sentences: list[SentenceOut]
    # The record the officer saves from the draft: POST /api/cases/{case}/records with kind
    # ``record_kind``, the fields edited as needed, and ``offer_from`` / ``offer_ref`` as given here —
    # the saved record keeps each field's origin and whether it was changed.
    record_kind: str
    offer_from: str
    offer_ref: UUID | None
    fields: dict[str, OfferFieldOut]


def _case(user, case_id):
    if case_id is None:
        return None
    from sanxiang.cases.selectors import case_for

    return case_for(user, case_id)


def _article(a: selectors.ArticleRef | None) -> dict | None:
    if a is None:
        return None
    return {"law": a.law, "label": a.label, "citation": a.citation, "text": a.text, "url": a.url}


@router.post("/similar-cases", response=SimilarListOut, summary="相似案例（按违法事实）")
def similar_cases(request, body: FactsIn):
    case = _case(request.auth, body.case_id)
    rows = selectors.similar_cases(request.auth, body.facts, exclude_case=case)
    suggestion = None
    if rows and getattr(request.auth, "agency_id", None):
        suggestion = services.suggestion_offer(
            actor=request.auth,
            kind=Suggestion.Kind.SIMILAR,
            case=case,
            query=body.facts,
            offered=[{"decision": str(s.decision.public_id), "score": s.score} for s in rows],
        )
    return {
        "suggestion_id": suggestion.public_id if suggestion else None,
        "results": [
            {
                "decision_id": s.decision.public_id,
                "case_number": s.case_number,
                "agency_name": s.doc.agency.name,
                "title": s.title,
                "matter": s.matter,
                "facts": s.decision.facts,
                "basis": s.decision.basis,
                "penalty": s.penalty,
                "level": s.doc.level,
                "outcome": s.outcome,
                "decided_on": s.decision.decided_on.isoformat(),
                "public": s.public,
                "score": s.score,
                "matched_terms": s.matched,
            }
            for s in rows
        ],
    }


@router.post(
    "/matter-suggestions", response=MatterListOut, summary="执法事项、违法条款、处罚条款和裁量基准建议"
)
def matter_suggestions(request, body: FactsIn):
    case = _case(request.auth, body.case_id)
    rows = selectors.matter_suggestions(request.auth, body.facts)
    out = [
        {
            "code": m.code,
            "name": m.name,
            "score": m.score,
            "violation_articles": [_article(a) for a in m.violation],
            "penalty_article": _article(m.penalty),
            "levels": [
                {
                    "rule_id": lv.rule_id,
                    "level": lv.level,
                    "circumstances": lv.circumstances,
                    "fine_min": str(lv.fine_min) if lv.fine_min is not None else None,
                    "fine_max": str(lv.fine_max) if lv.fine_max is not None else None,
                    "range_label": lv.range_label,
                    "score": lv.score,
                }
                for lv in m.levels
            ],
        }
        for m in rows
    ]
    suggestion = None
    if out and getattr(request.auth, "agency_id", None):
        suggestion = services.suggestion_offer(
            actor=request.auth, kind=Suggestion.Kind.MATTER, case=case, query=body.facts, offered=out
        )
    return {"suggestion_id": suggestion.public_id if suggestion else None, "results": out}


@router.post(
    "/consistency-checks", response={201: ConsistencyCheckOut}, summary="类案同罚比对（提示不阻止办理）"
)
def consistency_check(request, body: CheckIn):
    case = _case(request.auth, body.case_id)
    c = services.consistency_check(
        actor=request.auth,
        case=case,
        matter_code=body.matter_code,
        level=body.level,
        proposed=body.proposed,
        facts=body.facts,
    )
    s = lambda v: str(v) if v is not None else None  # noqa: E731
    return Status(
        201,
        {
            "id": c.public_id,
            "suggestion_id": c.suggestion.public_id,
            "flagged": c.flagged,
            "count": c.count,
            "q1": s(c.q1),
            "median": s(c.median),
            "q3": s(c.q3),
            "low": s(c.low),
            "high": s(c.high),
            "proposed": str(c.proposed),
            "rule": c.rule,
            "compared": c.compared,
        },
    )


@router.post("/drafts", response={201: DraftOut}, summary="起草行政处罚决定书或事先告知书（逐句标明来源）")
def make_draft(request, body: DraftIn):
    from sanxiang.assist import drafts
    from sanxiang.cases.context import load
    from sanxiang.errors import FieldError, InvalidInput

    if body.kind not in drafts.KINDS:
        raise InvalidInput([FieldError("kind", "choice", "文书种类: 应为行政处罚决定书或行政处罚事先告知书")])
    case = _case(request.auth, body.case_id)
    fine = drafts.parse_fine(body.fine)
    if body.fine.strip() and fine is None:
        raise InvalidInput([FieldError("fine", "decimal", "罚款数额: 应为以元计的金额")])
    facts = body.facts or selectors.facts_of(case)
    d = drafts.draft(request.auth, case, kind=body.kind, facts=facts, fine=fine)
    shown = services.draft_offer(actor=request.auth, case=case, draft=d, facts=body.facts)
    record_kind = drafts.KINDS[body.kind]
    offer = drafts.prefill_offer(
        load(case),
        record_kind,
        {"facts": facts, "fine": body.fine, "draft": str(shown.public_id) if shown else ""},
        request.auth,
    )
    return Status(
        201,
        {
            "suggestion_id": shown.public_id if shown else None,
            "title": d.title,
            "sentences": [
                {"key": x.key, "label": x.label, "text": x.text, "origin": x.origin} for x in d.sentences
            ],
            "record_kind": record_kind,
            "offer_from": drafts.PROVIDER if offer else "",
            "offer_ref": offer.ref if offer else None,
            "fields": drafts.offered_fields(offer.fields) if offer else {},
        },
    )


@router.post(
    "/suggestions/{suggestion_id}/answers", response={201: AnswerOut}, summary="采纳或不采纳建议（留痕）"
)
def answer(request, suggestion_id: UUID, body: AnswerIn):
    suggestion = Suggestion.objects.filter(public_id=suggestion_id, user=request.auth).first()
    if suggestion is None:
        raise NotFound("suggestion")
    a = services.suggestion_answer(
        actor=request.auth,
        suggestion=suggestion,
        outcome=body.outcome,
        chosen=body.chosen,
        reason=body.reason,
    )
    return Status(
        201,
        {"suggestion_id": suggestion.public_id, "outcome": a.outcome, "chosen": a.chosen, "reason": a.reason},
    )


@router.post("/duplicate-checks", response=list[DuplicateOut], summary="重复录入检查（同一当事人、同一事项）")
def duplicate_check(request, body: DuplicateIn):
    rows = selectors.duplicates(
        request.auth,
        parties=[{"name": body.name, "credit_code": body.credit_code, "id_number": body.id_number}],
        matter_code=body.matter_code,
    )
    return [
        {
            "case_id": d.case.public_id,
            "case_number": d.case.number,
            "title": d.case.title,
            "kind": d.kind,
            "same_matter": d.same_matter,
            "why": d.why,
        }
        for d in rows
    ]


@router.get("/laws/{title}/articles/{number}", response=ArticleOut, auth=None, summary="法条（现行版本）")
def law_article(request, title: str, number: int):
    statute = selectors.statute_by_title(title)
    version = selectors.version_in_force(statute) if statute else None
    a = version.articles.filter(number=number).first() if version else None
    if a is None or statute is None:
        raise NotFound("article")
    ref = selectors._article_ref(statute.title, a)
    return _article(ref)
