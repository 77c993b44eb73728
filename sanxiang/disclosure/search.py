"""Chinese full-text search over published decisions.

Text is segmented with jieba (search mode, with the legal-terms dictionary ``legal_terms.txt``) into
space-separated words when a decision enters the public index; the database indexes the words:

- SQLite: an FTS5 table ``disclosure_fts`` (external content over ``disclosure_publicdecision``,
  kept in step by triggers);
- PostgreSQL: a stored ``tsvector`` column ``search_vector`` (``to_tsvector('simple', search_text)``)
  under a GIN index.

A query is segmented the same way (precise mode) and every word must match. Only redacted text is
ever indexed, so searching for a natural person's real name finds nothing.
The index itself is created by migration 0002_search_index. See
docs/decisions/0006-disclosure-redaction-and-search.md.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from pathlib import Path

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

DICTIONARY = Path(__file__).resolve().parent / "legal_terms.txt"
MAX_QUERY_WORDS = 12
_WORD = re.compile(r"\w", re.UNICODE)

_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """One jieba tokenizer per process, with the legal-terms dictionary loaded."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                with DICTIONARY.open("rb") as terms:
                    tok.load_userdict(terms)
                tok.initialize()
                _tokenizer = tok
    return _tokenizer


def _words(tokens) -> list[str]:
    return [t.strip().lower() for t in tokens if t.strip() and _WORD.search(t)]


def segment(text: str) -> str:
    """Space-separated words for the index (search mode: long words and their parts)."""
    return " ".join(_words(tokenizer().cut_for_search(text or "")))


def query_words(q: str) -> list[str]:
    words: list[str] = []
    for word in _words(tokenizer().cut(q or "")):
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


SYNONYMS = Path(__file__).resolve().parent / "synonyms.txt"


@functools.cache
def synonym_groups() -> dict[str, tuple[str, ...]]:
    """Each term of ``synonyms.txt`` → its group (the term first). The table is data: one group a line."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in SYNONYMS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        terms = tuple(dict.fromkeys(line.split()))
        for term in terms:
            groups.setdefault(term, (term, *[t for t in terms if t != term]))
    return groups


Unit = list[list[str]]  # alternatives, each a list of words that must all match


def query_units(q: str) -> list[Unit]:
    """The query as units that must all match; a unit is a synonym group (any of its terms) or one word.

    A term of the synonym table inside the query (longest first) becomes the unit of its group; the rest
    is segmented as before (precise mode). 过期食品 → (过期食品 | 超过 保质期 食品 | …)."""
    groups = synonym_groups()
    terms = sorted(groups, key=len, reverse=True)
    units: list[Unit] = []
    seen: set[tuple[tuple[str, ...], ...]] = set()

    def add(unit: Unit) -> None:
        key = tuple(tuple(a) for a in unit)
        if unit and key not in seen:
            seen.add(key)
            units.append(unit)

    def plain(text: str) -> None:
        for word in _words(tokenizer().cut(text)):
            add([[word]])

    for chunk in (q or "").split():
        rest = chunk
        while rest:
            hit = next(((rest.find(t), t) for t in terms if t in rest), None)
            if hit is None:
                plain(rest)
                break
            position, term = hit
            plain(rest[:position])
            alternatives = []
            for alternative in groups[term]:
                words = _words(tokenizer().cut(alternative))
                if words and words not in alternatives:
                    alternatives.append(words)
            add(alternatives)
            rest = rest[position + len(term) :]
    return units[:MAX_QUERY_WORDS]


def _ts_lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def matching(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` (of PublicDecision) narrowed to rows matching every unit of ``q`` (synonyms expanded)."""
    units = query_units(q)
    if not units:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(
            "(" + " | ".join("(" + " & ".join(_ts_lexeme(w) for w in alt) + ")" for alt in unit) + ")"
            for unit in units
        )
        return queryset.filter(
            RawSQL(
                "disclosure_publicdecision.search_vector @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )

    def quoted(word: str) -> str:
        return '"' + word.replace('"', '""') + '"'

    match = " AND ".join(
        "(" + " OR ".join("(" + " AND ".join(quoted(w) for w in alt) + ")" for alt in unit) + ")"
        for unit in units
    )
    return queryset.filter(
        id__in=RawSQL("SELECT rowid FROM disclosure_fts WHERE disclosure_fts MATCH %s", [match])
    )


_OPEN = "[(（［【〔〖﹝{｛<〈"
_CLOSE = "])）］】〕〗﹞}｝>〉"
_BRACKETS = {ord(c): "〔" for c in _OPEN} | {ord(c): "〕" for c in _CLOSE}
_NUMBER_SHAPE = re.compile(r"〔\s*\d{4}\s*〕\s*\d+\s*号?")


def number_key(number: str) -> str:
    """A document number with its brackets and widths unified, for lookups: 宁市监处罚[2026]12号,
    宁市监处罚（2026）12号, 宁市监处罚【2026】12号 and 宁市监处罚〔２０２６〕１２号 are one number."""
    text = unicodedata.normalize("NFKC", number or "").translate(_BRACKETS)
    return re.sub(r"\s+", "", text).upper()[:100]


def looks_like_number(q: str) -> bool:
    """The query is (or contains) a document number: 〔year〕 and a serial, in any brackets."""
    return bool(_NUMBER_SHAPE.search(number_key(q)))
