"""The similar-case index: one :class:`IndexDoc` per final decision, and the in-process BM25 searcher
over them (``sanxiang.assist.engine``).

``index_decision(decision)`` runs as the cases app's decision hook, in the transaction that makes the
decision final: it tokenizes the facts, the matter and the basis and writes the row (the index update
per new decision). The searcher of each process picks up rows it has not seen on its next search
(``searcher()``), so a decision is found as soon as it is committed. A corrected decision replaces its
predecessor's row (the index is derived; the decisions themselves are never changed).

Regions: a search covers the documents of the searching agency and those of its city (the first four
digits of the 行政区划代码); the selectors then keep only what the user may see.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from django.db.models import Max

from sanxiang.assist import engine, text
from sanxiang.assist.models import IndexDoc


def city_of(region_code: str) -> int:
    digits = "".join(ch for ch in (region_code or "")[:4] if ch.isdigit())
    return int(digits or 0)


def doc_text(decision: Any, applied: str = "") -> str:
    """What is indexed: the facts, the matter, the basis and the 裁量 row the decision applied."""
    case = decision.case
    return "\n".join(part for part in (decision.facts, case.matter_name, decision.basis, applied) if part)


def _applied(decision: Any) -> tuple[str, str, Decimal | None]:
    fines = [line.amount for line in decision.lines.all() if line.kind == "fine" and line.amount]
    fine = sum(fines, Decimal(0)) if fines else None
    try:
        from sanxiang.cases import discretion

        check = discretion.compare(decision.case, decision.payload)
    except Exception:  # a matter without rows, or a payload without a penalty
        check = None
    if check is None or check.applied is None:
        return "", "", fine
    return check.applied.level, f"{check.applied.level}：{check.applied.circumstances}", fine


def index_decision(decision: Any) -> IndexDoc | None:
    """Write (or replace) the index row of a final decision. Only decisions with facts are indexed."""
    if not (decision.facts or "").strip():
        return None
    case = decision.case
    level, applied, fine = _applied(decision)
    tokens = " ".join(text.terms(doc_text(decision, applied)))
    if decision.corrects_id:
        IndexDoc.objects.filter(decision_id=decision.corrects_id).delete()
    doc, _ = IndexDoc.objects.update_or_create(
        decision=decision,
        defaults={
            "agency_id": decision.agency_id,
            "region_code": case.region_code or case.agency.region_code,
            "case_number": case.number,
            "matter_code": case.matter_code,
            "level": level,
            "fine": fine,
            "decided_on": decision.decided_on,
            "tokens": tokens,
        },
    )
    return doc


def index_corrected(decision: Any, reason: str) -> IndexDoc | None:
    return index_decision(decision)


def rebuild_all() -> int:
    """Index every final decision again (``sanxiang assist-index``); returns the count indexed."""
    from sanxiang.cases.models import Decision

    n = 0
    latest = Decision.objects.filter(correction__isnull=True).select_related("case", "case__agency")
    for decision in latest.iterator(chunk_size=500):
        if index_decision(decision) is not None:
            n += 1
    reset()
    return n


# ---------------------------------------------------------------------- the searcher of this process

_lock = threading.Lock()
_state: dict[str, Any] = {"searcher": None, "last": 0, "mark": None, "removed": 0}


def reset() -> None:
    with _lock:
        _state.update(searcher=None, last=0, mark=None)


def _mark() -> tuple[int, int] | None:
    last = IndexDoc.objects.order_by("-pk").values_list("pk", "decision_id").first()
    return (int(last[0]), int(last[1])) if last else None


def searcher() -> engine.Searcher:
    """The process's searcher, brought up to date with rows written since it was built."""
    mark = _mark()
    with _lock:
        current = _state["searcher"]
        seen = _state["mark"]
        if current is not None and seen == mark:
            return current
        if current is None or mark is None or seen is None or mark[0] < seen[0]:
            rows = IndexDoc.objects.order_by("pk").values_list("pk", "tokens", "region_code", "agency_id")
            keys, docs, groups, owners = [], [], [], []
            for pk, tokens, region, agency in rows.iterator(chunk_size=5000):
                keys.append(pk)
                docs.append(tokens.split())
                groups.append(city_of(region))
                owners.append(agency)
            current = engine.Searcher(keys, docs, groups, owners)
        else:
            new = IndexDoc.objects.filter(pk__gt=seen[0]).order_by("pk")
            for pk, tokens, region, agency in new.values_list("pk", "tokens", "region_code", "agency_id"):
                current.add(pk, tokens.split(), city_of(region), agency)
        _state.update(searcher=current, mark=mark)
        return current


def max_pk() -> int:
    return IndexDoc.objects.aggregate(m=Max("pk"))["m"] or 0
