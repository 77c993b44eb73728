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

import re
import threading
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


def matching(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` (of PublicDecision) narrowed to rows containing every word of ``q``."""
    words = query_words(q)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(
            RawSQL(
                "disclosure_publicdecision.search_vector @@ plainto_tsquery('simple', %s)",
                [" ".join(words)],
                output_field=BooleanField(),
            )
        )
    match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
    return queryset.filter(
        id__in=RawSQL("SELECT rowid FROM disclosure_fts WHERE disclosure_fts MATCH %s", [match])
    )
