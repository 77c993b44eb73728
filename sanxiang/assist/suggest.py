"""Ranking the 执法事项, the 违法条款 and the 裁量基准 row for a text of facts (pure: no database).

- Matter: each candidate matter has a profile (its name, its 裁量 circumstances and the text of the
  articles it cites); the facts are scored against the profiles with BM25, and the matters of the most
  similar decided cases vote with their scores (k nearest neighbours). Both scores are scaled to the
  best of their kind and added (``VOTE_WEIGHT`` for the votes), so a matter the agency has decided often
  on such facts ranks high even where its name shares few words with them.
- 违法条款: the statute's articles outside its 法律责任 chapter, ranked by BM25 against the facts and
  the suggested matter's name; the articles the 处罚条款 names (``违反本法第三十五条规定``) follow. (A
  处罚条款 often names several 违法条款 for several acts — 食品安全法 第一百二十六条 names 第六十五条 for
  the 进货查验 of 食用农产品 — so naming is no ranking.)
- Similar cases (:func:`rerank`): BM25 candidates re-ranked by the suggested matter and 裁量阶次.
- 裁量基准 row: the circumstances of each row against the facts, with the cue words of 行政处罚法
  第三十二条 (从轻、减轻) and of aggravation; no cue means the 一般 row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sanxiang.assist import engine

VOTE_WEIGHT = 1.0
NEIGHBOURS = 20
# Articles are long and of very different lengths (an article listing ten prohibited kinds of food
# against one of a single sentence): little length normalisation. Chosen on the dev split
# (benches/assist_quality) from k1 ∈ {0.9, 1.2, 1.5, 2.0} × b ∈ {0.1, 0.3, 0.5, 0.75, 1.0}.
ARTICLE_K1 = 1.2
ARTICLE_B = 0.1
LIGHTER_CUES = (
    "首次违法",
    "首次",
    "及时改正",
    "主动改正",
    "主动消除",
    "配合调查",
    "初次",
    "积极整改",
    "货值金额较小",
    # 行政处罚法 第三十二条 (二)至(四) and 第三十三条, in the statute's words
    "胁迫",
    "诱骗",
    "主动供述",
    "立功",
    "危害后果轻微",
    "没有造成危害后果",
    "未造成危害后果",
)
# Wordings that contain a heavier cue but say the opposite (第三十三条: 没有造成危害后果; 危害后果轻微):
# taken out of the text before the heavier cues are looked for.
NOT_HEAVIER = ("没有造成危害后果", "未造成危害后果", "无危害后果", "危害后果轻微", "未造成较大社会影响")
HEAVIER_CUES = (
    "造成危害后果",
    "危害后果",
    "情节严重",
    "多次",
    "拒不改正",
    "再次",
    "屡次",
    "逃避",
    "隐匿",
    "较大社会影响",
)


@dataclass(frozen=True)
class Ranked:
    key: str
    score: float


def rank_matters(
    facts: Sequence[str],
    profiles: Mapping[str, Sequence[str]],
    neighbours: Sequence[tuple[str, float]] = (),
) -> list[Ranked]:
    """Matter codes best first. ``profiles``: code → terms; ``neighbours``: (matter code, score) of
    the similar decided cases, best first."""
    codes = list(profiles)
    if not codes:
        return []
    s = engine.Searcher(range(len(codes)), [profiles[c] for c in codes])
    text_scores = {codes[h.key]: h.score for h in s.top(facts, len(codes))}
    votes: dict[str, float] = defaultdict(float)
    for code, score in list(neighbours)[:NEIGHBOURS]:
        if code in profiles:
            votes[code] += score
    best_text = max(text_scores.values(), default=0.0) or 1.0
    best_vote = max(votes.values(), default=0.0) or 1.0
    total = {
        c: text_scores.get(c, 0.0) / best_text + VOTE_WEIGHT * votes.get(c, 0.0) / best_vote for c in codes
    }
    ranked = sorted(codes, key=lambda c: (-total[c], c))
    return [Ranked(c, round(total[c], 4)) for c in ranked if total[c] > 0]


def rank_articles(facts: Sequence[str], articles: Mapping[str, Sequence[str]], k: int = 3) -> list[Ranked]:
    """Article keys best first by BM25 of the facts against each article's terms. Callers pass the facts
    with the suggested matter's name (what the article must forbid), expanded with synonyms."""
    keys = list(articles)
    if not keys:
        return []
    s = engine.Searcher(range(len(keys)), [articles[a] for a in keys], k1=ARTICLE_K1, b=ARTICLE_B)
    return [Ranked(keys[h.key], round(h.score, 4)) for h in s.top(facts, k)]


def _cue(text: str, cues: Sequence[str]) -> bool:
    return any(c in text for c in cues)


def rank_levels(facts_text: str, facts: Sequence[str], rows: Sequence[tuple[str, str, str]]) -> list[Ranked]:
    """裁量 rows (key, 阶次, 适用情形) best first for the facts."""
    if not rows:
        return []
    lighter = _cue(facts_text, LIGHTER_CUES)
    plain = facts_text
    for negated in NOT_HEAVIER:
        plain = plain.replace(negated, "")
    heavier = _cue(plain, HEAVIER_CUES)
    have = set(facts)
    out = []
    for key, level, circumstances in rows:
        from sanxiang.assist.text import terms

        overlap = len(have & set(terms(circumstances)))
        cue = 0.0
        if "从轻" in level or "减轻" in level:
            cue = 2.0 if lighter and not heavier else -1.0
        elif "从重" in level or "严重" in level:
            cue = 2.0 if heavier else -1.0
        else:  # 一般
            cue = 1.5 if not lighter and not heavier else 0.0
        out.append(Ranked(key, round(cue + 0.25 * overlap, 4)))
    return sorted(out, key=lambda r: -r.score)


# Chosen on the dev split of the evaluation set (benches/assist_quality) from {0.25, 0.5, 1, 2}².
MATTER_WEIGHT = 2.0
LEVEL_WEIGHT = 1.0


def rerank(
    hits: Sequence[tuple[int, float]],
    docs: Mapping[int, tuple[str, str]],
    matters: Sequence[Ranked],
    level: str,
    *,
    matter_weight: float = MATTER_WEIGHT,
    level_weight: float = LEVEL_WEIGHT,
) -> list[tuple[int, float]]:
    """The BM25 ``hits`` (key, score) re-ranked by what a decided case shares with the facts beyond
    words: the matter suggested for the facts (``matters``, best first) and, under the best matter, the
    裁量阶次 suggested for them (``level``). ``docs``: key → (matter code, 裁量阶次) of the decision.

    Each part is scaled to 0..1: BM25 by the best hit, the matter by the best matter's score, and the
    level is 1 for a decision of the best matter at the suggested level."""
    if not hits:
        return []
    best = max(s for _, s in hits) or 1.0
    best_matter = max((m.score for m in matters), default=0.0) or 1.0
    matter_score = {m.key: m.score / best_matter for m in matters}
    top = matters[0].key if matters else None
    out = []
    for key, score in hits:
        code, applied = docs.get(key, ("", ""))
        total = score / best + matter_weight * matter_score.get(code, 0.0)
        if top is not None and code == top and applied and applied == level:
            total += level_weight
        out.append((key, round(total, 4)))
    return sorted(out, key=lambda r: -r[1])
