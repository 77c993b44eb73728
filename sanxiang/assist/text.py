"""Chinese text for the search: jieba with the legal-terms dictionary beside this module.

One :func:`terms` for every caller (the index, the query, the evaluation), so a decision and a query
are cut the same way. Numbers and single characters carry no meaning for similarity and are dropped,
as are the function words in ``STOPWORDS``. The dictionary (``legal_terms.txt``) keeps terms such as
货值金额、超过保质期、食品经营许可 in one piece, so they match as the terms officers write; jieba's
search mode adds the shorter words inside a long one (食品经营许可 → 食品、经营、许可), so a decision that
says 未取得许可 still matches.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba

TERMS_FILE = Path(__file__).with_name("legal_terms.txt")
SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "在",
        "对",
        "于",
        "为",
        "是",
        "将",
        "把",
        "被",
        "由",
        "从",
        "向",
        "其",
        "该",
        "并",
        "等",
        "有",
        "无",
        "未",
        "已",
        "经",
        "所",
        "以",
        "之",
        "而",
        "且",
        "也",
        "上",
        "下",
        "中",
        "进行",
        "予以",
        "依法",
        "规定",
        "有关",
        "相关",
        "本",
        "年",
        "月",
        "日",
        "元",
        "万元",
        "左右",
        "约",
        "共计",
        "其中",
        "当事人",
        "当事",
        "一",
        "二",
        "三",
        # the procedure's own words, in every decision whatever its facts (经查、执法人员现场检查发现、
        # 根据群众举报……查明、事实清楚): they say how the facts were found, not what they are
        "经查",
        "执法",
        "法人",
        "人员",
        "执法人员",
        "现场",
        "检查",
        "发现",
        "日常",
        "监督",
        "监督检查",
        "调查",
        "查核",
        "核实",
        "调查核实",
        "根据",
        "群众",
        "举报",
        "群众举报",
        "查明",
        "事实",
        "清楚",
        "事实清楚",
        "无异",
        "异议",
        "无异议",
        "违法事实",
    ]
)
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    t = jieba.Tokenizer()
    t.load_userdict(str(TERMS_FILE))
    return t


def legal_terms() -> frozenset[str]:
    return frozenset(
        line.split()[0] for line in TERMS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()
    )


def terms(text: str) -> list[str]:
    """The meaningful terms of ``text`` in order (repeats kept: BM25 counts them)."""
    out = []
    for word in tokenizer().lcut_for_search(text or ""):
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or not _KEEP.search(word):
            continue
        out.append(word.lower())
    return out


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Term → the other terms of its group in ``synonyms.txt``."""
    out: dict[str, tuple[str, ...]] = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        group = line.split("#", 1)[0].split()
        for term in group:
            out[term] = tuple(t for t in group if t != term)
    return out


def expand(query: list[str]) -> list[str]:
    """The query's terms and, once each, the synonyms of them it does not have (query side only: the
    index keeps the decision's own words)."""
    have = set(query)
    extra: list[str] = []
    for term in query:
        for other in synonyms().get(term, ()):
            if other not in have:
                have.add(other)
                extra.append(other)
    return [*query, *extra]
