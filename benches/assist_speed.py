"""Speed of the similar-case search (the in-process BM25 engine, sanxiang.assist.engine) over N
decisions (``--rows``, default 1,000,000), and of adding one new decision (tokenize + delta add).

Documents are the evaluation set's 320 tokenized decisions, each copied with a random half of its terms
dropped and a few region and party terms of its own added, so the vocabulary and the posting lengths
grow with N. Queries are the evaluation set's facts, searched within one city and agency (the mask the
platform applies). The database part of a search (fetching the ≤ 50 candidate rows by primary key and
checking publication) does not grow with N and is not measured here.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "sanxiang" / "assist" / "tests" / "data" / "evalset.json"


def add_arguments(parser) -> None:
    pass


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * q))], 3)


def run(args) -> dict:
    from sanxiang.assist import engine, text

    rows = getattr(args, "rows", None) or 1_000_000
    rng = random.Random(11)
    cases = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
    base = [text.terms(c["facts"]) for c in cases]
    started = time.perf_counter()
    docs, groups, owners = [], [], []
    for i in range(rows):
        src = base[i % len(base)]
        doc = [t for t in src if rng.random() < 0.5] + [
            f"地{rng.randrange(2000)}",
            f"户{rng.randrange(rows)}",
        ]
        docs.append(doc)
        groups.append(2207 + (i % 10))
        owners.append(i % 500)
    generated = time.perf_counter() - started
    t0 = time.perf_counter()
    s = engine.Searcher(range(rows), docs, groups, owners)
    build = time.perf_counter() - t0
    del docs
    queries = [text.expand(text.terms(c["facts"])) for c in cases[::4]]  # as selectors.similar_cases
    times = []
    for q in queries:
        t = time.perf_counter()
        s.top(q, 50, group=2207, owner=7)
        times.append((time.perf_counter() - t) * 1000)
    adds = []
    for i, c in enumerate(cases[:100]):
        t = time.perf_counter()
        s.add(rows + i, text.terms(c["facts"]), 2207, 7)
        adds.append((time.perf_counter() - t) * 1000)
    after = []
    for q in queries:  # the same queries as before the additions
        t = time.perf_counter()
        s.top(q, 50, group=2207, owner=7)
        after.append((time.perf_counter() - t) * 1000)
    return {
        "documents": rows,
        "generate_s": round(generated, 1),
        "index_build_s": round(build, 1),
        "search_ms": {"p50": _pct(times, 0.5), "p95": _pct(times, 0.95), "n": len(times)},
        "add_one_decision_ms": {"p50": _pct(adds, 0.5), "p95": _pct(adds, 0.95), "n": len(adds)},
        "search_ms_with_100_in_delta": {"p50": _pct(after, 0.5), "p95": _pct(after, 0.95), "n": len(after)},
        "target_search_p95_ms": 100,
        "target_add_ms": 50,
    }


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=None)
    print(json.dumps(run(p.parse_args()), ensure_ascii=False, indent=1))
