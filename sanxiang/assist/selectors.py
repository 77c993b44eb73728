"""Reads of the assistance: the law corpus, similar cases, suggestions and duplicate checks — each
scoped to what the asking user may see.

Similar cases (the rule the tests hold): a user sees the decisions of the agencies their role covers
(``registry.selectors.agency_scope``: their own agency; a supervisor the agencies of their region),
published or not, and the *published* decisions (disclosure's public index) of every agency of the same
city (the first four digits of the 行政区划代码). Nobody sees another agency's unpublished decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sanxiang.assist import consistency, engine, index, laws, suggest, text
from sanxiang.assist.models import Article, ConsistencyCheck, IndexDoc, Statute, StatuteVersion
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope

# ---------------------------------------------------------------------- law corpus


def statutes() -> QuerySet[Statute]:
    return Statute.objects.order_by("title")


def version_in_force(statute: Statute, on: dt.date | None = None) -> StatuteVersion | None:
    on = on or timezone.localdate()
    qs = statute.versions.filter(effective_from__lte=on).order_by("-effective_from", "-pk")
    return qs.first() or statute.versions.order_by("effective_from", "pk").first()


def statute_by_title(title: str) -> Statute | None:
    title = (title or "").strip().strip("《》")
    if not title:
        return None
    found = Statute.objects.filter(title=title).first()
    if found is None and not title.startswith("中华人民共和国"):
        found = Statute.objects.filter(title=f"中华人民共和国{title}").first()
    return found


def article(title: str, label: str, on: dt.date | None = None) -> Article | None:
    """The article ``label`` (第一百二十二条, or 第一百二十二条第一款) of the statute in force on ``on``."""
    statute = statute_by_title(title)
    if statute is None:
        return None
    version = version_in_force(statute, on)
    if version is None:
        return None
    try:
        number = laws.article_number(label)
    except ValueError:
        return None
    return version.articles.filter(number=number).first()


# ---------------------------------------------------------------------- similar cases


def visible_docs(user: Any) -> QuerySet[IndexDoc]:
    from sanxiang.disclosure.models import PublicDecision

    qs = IndexDoc.objects.all()
    scope = agency_scope(user)
    if scope is None:
        return qs
    if isinstance(user, AnonymousUser) or not getattr(user, "agency_id", None):
        return qs.none()
    own = Q(agency__in=Agency.objects.filter(scope).values("pk"))
    public = Exists(
        PublicDecision.objects.filter(
            agency_id=OuterRef("agency_id"), duty__source_ref=OuterRef("case_number")
        )
    )
    city = (user.agency.region_code or "")[:4]
    return qs.filter(own | (Q(region_code__startswith=city) & public))


@dataclass
class Similar:
    doc: IndexDoc
    decision: Any
    score: float
    matched: list[str]
    penalty: str
    outcome: str
    public: bool

    @property
    def case_number(self) -> str:
        return self.doc.case_number

    @property
    def matter(self) -> str:
        """The catalogue matter the case was handled under ("" when the case names none)."""
        return self.decision.case.matter_name

    @property
    def title(self) -> str:
        return self.decision.case.title


def _outcome(decision: Any) -> str:
    from sanxiang.procedures.fields import DECISION_CHANGE_BY, DECISION_CHANGE_GROUNDS

    by = dict(DECISION_CHANGE_BY)
    grounds = dict(DECISION_CHANGE_GROUNDS)
    changes = list(decision.changes.all())
    if not changes:
        return "决定生效，未被变更或撤销"
    return "；".join(
        f"{c.occurred_on:%Y年%m月%d日}经{by.get(c.by, c.by)}，{grounds.get(c.ground, c.ground)}"
        for c in changes
    )


def _penalty(decision: Any) -> str:
    from sanxiang.cases.display import penalty_text
    from sanxiang.cases.specs import Penalty

    return penalty_text(Penalty.of(decision.payload)) or "—"


def similar_cases(user: Any, facts: str, *, exclude_case: Any = None, k: int = 10) -> list[Similar]:
    """The ``k`` decided cases most similar to ``facts`` that ``user`` may see, best first: BM25
    candidates (synonyms expanded) re-ranked by the matter and 裁量阶次 suggested for the facts
    (``suggest.rerank``)."""
    query = text.expand(text.terms(facts))
    if not query or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return []
    s = index.searcher()
    scope = agency_scope(user)
    group = owner = None
    if scope is not None:
        if not getattr(user, "agency_id", None):
            return []
        group, owner = index.city_of(user.agency.region_code), user.agency_id
    want = (k + 1 if exclude_case is not None else k) * RERANK_DEPTH
    for width in (want, want * 8, s.size):
        hits = s.top(query, width, group=group, owner=owner)
        visible = visible_docs(user).filter(pk__in=[h.key for h in hits])
        if exclude_case is not None:
            visible = visible.exclude(decision__case=exclude_case)
        docs = {
            d.pk: d
            for d in visible.select_related(
                "decision", "decision__case", "decision__record", "agency"
            ).prefetch_related("decision__changes")
        }
        if len(docs) >= k or width >= s.size:
            break
    from sanxiang.disclosure.models import PublicDecision

    candidates = [(h.key, h.score) for h in hits if h.key in docs]
    votes = [(docs[key].matter_code, score) for key, score in candidates]
    matters, level = _matter_and_level(user, facts, query, votes)
    meta = {key: (docs[key].matter_code, docs[key].level) for key, _ in candidates}
    bm25 = dict(candidates)
    ranked = [(key, docs[key]) for key, _ in suggest.rerank(candidates, meta, matters, level)][:k]
    published = set(
        PublicDecision.objects.filter(
            duty__source_ref__in=[d.case_number for _, d in ranked],
            agency_id__in=[d.agency_id for _, d in ranked],
        ).values_list("agency_id", "duty__source_ref")
    )
    return [
        Similar(
            doc=d,
            decision=d.decision,
            score=round(bm25[key], 3),
            matched=engine.matched_terms(query, d.tokens.split()),
            penalty=_penalty(d.decision),
            outcome=_outcome(d.decision),
            public=(d.agency_id, d.case_number) in published,
        )
        for key, d in ranked
    ]


# BM25 candidates taken per wanted result before re-ranking them.
RERANK_DEPTH = 5


def _matter_and_level(
    user: Any, facts: str, query: list[str], votes: list[tuple[str, float]]
) -> tuple[list[suggest.Ranked], str]:
    """The agency's matters ranked for the facts (their profiles and the matters of the BM25
    neighbours, as :func:`matter_suggestions` ranks them) and the 裁量阶次 suggested under the best."""
    agency = getattr(user, "agency", None)
    if agency is None:
        return [], ""
    items = {i.code: i for i in penalty_items(agency)}
    if not items:
        return [], ""
    profiles = {code: matter_profile(i) for code, i in items.items()}
    matters = suggest.rank_matters(query, profiles, votes[: suggest.NEIGHBOURS])
    if not matters:
        return [], ""
    levels = levels_for(items[matters[0].key], facts)
    return matters, (levels[0].level if levels else "")


# ---------------------------------------------------------------------- matter, basis, 裁量


@dataclass
class ArticleRef:
    law: str
    label: str
    text: str
    url: str

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.label}"


@dataclass
class LevelOption:
    rule_id: int
    position: int
    level: str
    circumstances: str
    range_label: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    score: float


@dataclass
class MatterOption:
    item: Any
    score: float
    violation: list[ArticleRef] = field(default_factory=list)
    penalty: ArticleRef | None = None
    levels: list[LevelOption] = field(default_factory=list)

    @property
    def code(self) -> str:
        return str(self.item.code)

    @property
    def name(self) -> str:
        return str(self.item.name)


def penalty_items(agency: Agency, on: dt.date | None = None) -> list[Any]:
    from sanxiang.catalog.models import EnforcementItem
    from sanxiang.catalog.selectors import in_force

    on = on or timezone.localdate()
    return [i for i in in_force(EnforcementItem, agency=agency, on=on) if i.category == "penalty"]


def _article_ref(law: str, a: Article) -> ArticleRef:
    from django.urls import reverse

    url = reverse("assist:article", args=[law, a.number])
    return ArticleRef(law=law, label=a.label, text=a.text, url=url)


def _penalty_article(item: Any, on: dt.date | None) -> Article | None:
    return article(item.basis_law, item.basis_article, on)


def basis_for(
    item: Any, facts_terms: list[str], on: dt.date | None = None
) -> tuple[list[ArticleRef], ArticleRef | None]:
    """(违法条款, 处罚条款) of a matter: the 处罚条款 is the catalogue's basis; the 违法条款 are the
    statute's articles (outside 法律责任) closest to the facts and the matter's name, then the articles
    the 处罚条款 names (outside 法律责任)."""
    statute = statute_by_title(item.basis_law)
    punish = _penalty_article(item, on)
    if statute is None:
        return [], None
    law = statute.title
    version = version_in_force(statute, on)
    penalty_ref = _article_ref(law, punish) if punish else None
    violation: list[ArticleRef] = []
    if version is not None:
        pool = _article_pool(version.pk)
        query = text.expand([*facts_terms, *text.terms(item.name)])
        ranked = suggest.rank_articles(query, {k: terms for k, (_, terms) in pool.items()}, k=2)
        violation = [_article_ref(law, pool[r.key][0]) for r in ranked]
    if punish is not None and version is not None:
        named = [n for n in laws.referenced_articles(punish.text) if n != punish.number]
        have = {a.label for a in violation}
        # a 处罚条款 also refers to other 法律责任 articles (依照本法第X条的规定处罚): those are not 违法条款
        for a in version.articles.filter(number__in=named).exclude(chapter__contains="法律责任"):
            if a.label not in have:
                violation.append(_article_ref(law, a))
    return violation, penalty_ref


@lru_cache(maxsize=64)
def _article_pool(version_pk: int) -> dict[str, tuple[Article, list[str]]]:
    """The articles of a version outside its 法律责任 chapter, with their terms (versions never change)."""
    rows = Article.objects.filter(version_id=version_pk).exclude(chapter__contains="法律责任")
    return {str(a.pk): (a, text.terms(a.text)) for a in rows}


def levels_for(item: Any, facts: str) -> list[LevelOption]:
    from sanxiang.cases.discretion import Level

    rows = list(item.discretion.all().order_by("position"))
    ranked = suggest.rank_levels(
        facts, text.terms(facts), [(str(r.pk), r.level, r.circumstances) for r in rows]
    )
    by_pk = {str(r.pk): r for r in rows}
    return [
        LevelOption(
            rule_id=by_pk[r.key].pk,
            position=by_pk[r.key].position,
            level=by_pk[r.key].level,
            circumstances=by_pk[r.key].circumstances,
            range_label=Level("", "", "", by_pk[r.key].fine_min, by_pk[r.key].fine_max).range_label,
            fine_min=by_pk[r.key].fine_min,
            fine_max=by_pk[r.key].fine_max,
            score=r.score,
        )
        for r in ranked
    ]


def matter_profile(item: Any, on: dt.date | None = None) -> list[str]:
    parts = [item.name, *(r.circumstances for r in item.discretion.all())]
    punish = _penalty_article(item, on)
    if punish is not None:
        parts.append(punish.text)
    return text.terms("\n".join(parts))


def matter_suggestions(user: Any, facts: str, *, on: dt.date | None = None, k: int = 3) -> list[MatterOption]:
    """The agency's 执法事项 (行政处罚) best first for ``facts``, each with its basis and 裁量 rows."""
    agency = getattr(user, "agency", None)
    query = text.expand(text.terms(facts))
    if agency is None or not query:
        return []
    items = {i.code: i for i in penalty_items(agency, on)}
    profiles = {code: matter_profile(i, on) for code, i in items.items()}
    neighbours = []
    hits = index.searcher().top(
        query, suggest.NEIGHBOURS, owner=agency.pk, group=index.city_of(agency.region_code)
    )
    codes = dict(visible_docs(user).filter(pk__in=[h.key for h in hits]).values_list("pk", "matter_code"))
    for h in hits:
        if h.key in codes:
            neighbours.append((codes[h.key], h.score))
    out = []
    for r in suggest.rank_matters(query, profiles, neighbours)[:k]:
        item = items[r.key]
        violation, penalty = basis_for(item, query, on)
        out.append(MatterOption(item, r.score, violation, penalty, levels_for(item, facts)))
    return out


# ---------------------------------------------------------------------- 类案同罚


@dataclass
class Comparison:
    matter_code: str
    level: str
    proposed: Decimal
    assessment: consistency.Assessment
    compared: list[IndexDoc]
    rule: str


def comparison(
    user: Any, *, case: Any, matter_code: str, level: str, proposed: Decimal, limit: int = 200
) -> Comparison:
    """The fines of the decided cases the user may see with the same matter and 裁量阶次."""
    qs = (
        visible_docs(user)
        .filter(matter_code=matter_code, fine__isnull=False)
        .exclude(decision__case=case)
        .order_by("-decided_on", "-pk")
    )
    if level:
        qs = qs.filter(level=level)
    docs = list(qs[:limit])
    rule = consistency.limits(region=case.agency.region_code, on=timezone.localdate())
    result = consistency.assess(proposed, [d.fine for d in docs if d.fine is not None], rule)
    return Comparison(matter_code, level, proposed, result, docs, rule.rule)


def checks_for_case(user: Any, case: Any) -> QuerySet[ConsistencyCheck]:
    from sanxiang.cases.selectors import visible_cases

    if not visible_cases(user).filter(pk=case.pk).exists():
        return ConsistencyCheck.objects.none()
    return (
        ConsistencyCheck.objects.filter(case=case)
        .select_related("suggestion")
        .prefetch_related("suggestion__answers")
    )


def flagged_checks(user: Any) -> QuerySet[ConsistencyCheck]:
    """Flagged checks of the agencies the user's role covers (the supervisor's dashboard)."""
    scope = agency_scope(user)
    qs = ConsistencyCheck.objects.filter(flagged=True).select_related("case", "case__agency", "suggestion")
    if scope is None:
        return qs
    return qs.filter(case__agency__in=Agency.objects.filter(scope).values("pk"))


# ---------------------------------------------------------------------- duplicate entry


@dataclass
class Duplicate:
    case: Any
    kind: str  # 案件 / 投诉举报 / 检查
    same_matter: bool
    why: str


def duplicates(
    user: Any, *, parties: list[dict[str, str]], matter_code: str = "", exclude_case: Any = None
) -> list[Duplicate]:
    """Cases, complaints and inspections of the user's agency about the same party (by 统一社会信用代码
    or 证件号码, else by exact name), those of the same matter first."""
    from sanxiang.cases.models import CaseSource
    from sanxiang.cases.selectors import visible_cases

    agency_id = getattr(user, "agency_id", None)
    if not agency_id:
        return []
    cond = Q()
    for p in parties:
        code = (p.get("credit_code") or p.get("id_number") or "").strip().upper()
        name = (p.get("name") or "").strip()
        if code:
            cond |= Q(case_parties__party__credit_code=code) | Q(case_parties__party__id_number=code)
        elif name:
            cond |= Q(case_parties__party__name=name)
    codes = [c for c in ((p.get("credit_code") or "").strip().upper() for p in parties) if c]
    from sanxiang.inspections.models import Inspection

    inspected = Inspection.objects.filter(agency_id=agency_id, target__code__in=codes).values("case_id")
    if codes:
        cond |= Q(pk__in=inspected)
    if not cond:
        return []
    qs = visible_cases(user).filter(agency_id=agency_id).filter(cond).distinct()
    if exclude_case is not None:
        qs = qs.exclude(pk=exclude_case.pk)
    out = []
    for c in qs.order_by("-opened_at")[:20]:
        kind = (
            "检查"
            if c.procedure == "inspection"
            else "投诉举报"
            if c.source == CaseSource.COMPLAINT
            else "案件"
        )
        same = bool(matter_code) and c.matter_code == matter_code
        out.append(Duplicate(c, kind, same, "同一当事人、同一执法事项" if same else "同一当事人"))
    out.sort(key=lambda d: (not d.same_matter,))
    return out


def facts_of(case: Any) -> str:
    """The facts of the case's latest report or notice (what a draft starts from)."""
    from sanxiang.cases.context import load
    from sanxiang.cases.decisions import FACTS_RECORDS

    record = load(case).latest(*FACTS_RECORDS)
    return (record.payload.get("facts") or "") if record else ""
