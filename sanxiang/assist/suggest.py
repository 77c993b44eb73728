"""Ranking the 执法事项, the 违法条款 and the 裁量基准 row for a text of facts (pure: no database).

- Matter: each candidate matter has a profile (its name, its 裁量 circumstances and the text of the
  articles it cites); the facts are scored against the profiles with BM25, and the matters of the most
  similar decided cases vote with their scores (k nearest neighbours). Both scores are scaled to the
  best of their kind and added (``VOTE_WEIGHT`` for the votes), so a matter the agency has decided often
  on such facts ranks high even where its name shares few words with them.
- 违法条款: the articles that the 处罚条款 names (``违反本法第三十五条规定``) come first; otherwise the
  statute's articles outside its 法律责任 chapter, ranked by BM25 against the facts.
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
)
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
    """Article keys best first by BM25 of the facts against each article's terms."""
    keys = list(articles)
    if not keys:
        return []
    s = engine.Searcher(range(len(keys)), [articles[a] for a in keys])
    return [Ranked(keys[h.key], round(h.score, 4)) for h in s.top(facts, k)]


def _cue(text: str, cues: Sequence[str]) -> bool:
    return any(c in text for c in cues)


def rank_levels(facts_text: str, facts: Sequence[str], rows: Sequence[tuple[str, str, str]]) -> list[Ranked]:
    """裁量 rows (key, 阶次, 适用情形) best first for the facts."""
    if not rows:
        return []
    lighter = _cue(facts_text, LIGHTER_CUES)
    heavier = _cue(facts_text, HEAVIER_CUES)
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
