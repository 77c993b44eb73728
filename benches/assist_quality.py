"""Quality of the assistance on the evaluation set (sanxiang/assist/tests/data/evalset.json: 320
decided cases over 16 matters), beside a random and a plain keyword-overlap baseline in the same run.

- Similar cases: every case is a query against the other 319 (leave one out). Graded relevance: same
  matter and same 裁量阶次 = 2, same matter = 1. nDCG@10 (gain 2^rel − 1) and P@5 (same matter).
- Matter: top-1 / top-3 accuracy of the suggested 执法事项 from the facts (the other cases vote as
  neighbours, as the platform's decided cases do).
- Basis: the 违法条款 suggested for the top-1 matter (articles the 处罚条款 names, else BM25 over the
  statute outside 法律责任), top-1 / top-3 against the labelled article; the 处罚条款 top-1.

Documents are indexed as the platform indexes a decision (facts, matter name, basis); queries are the
facts alone. No database: the same tokenizer, engine and ranking modules the platform uses.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "sanxiang" / "assist"
DATA = ROOT / "tests" / "data" / "evalset.json"


def _plain_words(text: str) -> set[str]:
    import jieba

    return {w for w in jieba.lcut(text) if re.search(r"[\u4e00-\u9fffA-Za-z0-9]", w)}


def _ndcg(gains: list[int], ideal: list[int], k: int = 10) -> float:
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(ideal, reverse=True)[:k]))
    return dcg / idcg if idcg else 0.0


def run(args) -> dict:
    from sanxiang.assist import engine, laws, suggest, text

    started = time.perf_counter()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    cases, matters = data["cases"], {m["code"]: m for m in data["matters"]}
    statutes = {}
    for path in sorted((ROOT / "laws").glob("中*.md")):
        if "已被修改" in path.name:
            continue
        parsed = laws.parse(path.read_text(encoding="utf-8"))
        statutes[parsed.title] = {a.number: a for a in parsed.articles}

    def doc_text(c: dict) -> str:
        m = matters[c["matter"]]
        row = next(r for r in m["rows"] if r["level"] == c["level"])
        applied = f"{row['level']}：{row['circumstances']}"  # the 裁量 row the decision applied
        return f"{c['facts']}\n{m['name']}\n《{m['law']}》{laws.article_label(m['penalty'])}\n{applied}"

    docs = [text.terms(doc_text(c)) for c in cases]
    plain_docs = [_plain_words(doc_text(c)) for c in cases]
    searcher = engine.Searcher(range(len(cases)), docs)
    rng = random.Random(7)

    def grade(q: dict, d: dict) -> int:
        return (
            2
            if (q["matter"], q["level"]) == (d["matter"], d["level"])
            else 1
            if q["matter"] == d["matter"]
            else 0
        )

    methods = {"bm25_jieba_legal_terms": [], "keyword_overlap": [], "random": []}
    p5 = {k: [] for k in methods}
    search_ms = []
    for i, q in enumerate(cases):
        query = text.terms(q["facts"])
        t0 = time.perf_counter()
        hits = [h.key for h in searcher.top(query, 11) if h.key != i][:10]
        search_ms.append((time.perf_counter() - t0) * 1000)
        qw = _plain_words(q["facts"])
        overlap = sorted(
            (j for j in range(len(cases)) if j != i), key=lambda j: (-len(qw & plain_docs[j]), j)
        )[:10]
        others = [j for j in range(len(cases)) if j != i]
        shuffled = rng.sample(others, 10)
        ideal = [grade(q, cases[j]) for j in others]
        for name, ranked in (
            ("bm25_jieba_legal_terms", hits),
            ("keyword_overlap", overlap),
            ("random", shuffled),
        ):
            gains = [grade(q, cases[j]) for j in ranked]
            methods[name].append(_ndcg(gains, ideal))
            p5[name].append(sum(1 for g in gains[:5] if g) / 5)
    similar = {
        name: {"ndcg@10": round(sum(v) / len(v), 4), "p@5": round(sum(p5[name]) / len(p5[name]), 4)}
        for name, v in methods.items()
    }

    # ---------------------------------------------------------------- matter and basis
    def profile(m: dict) -> str:
        art = statutes[m["law"]][m["penalty"]].text
        return "\n".join([m["name"], *(r["circumstances"] for r in m["rows"]), art])

    profiles = {code: text.terms(profile(m)) for code, m in matters.items()}
    plain_profiles = {code: _plain_words(profile(m)) for code, m in matters.items()}
    pools = {
        law: {n: (a, text.terms(a.text)) for n, a in arts.items() if "法律责任" not in a.chapter}
        for law, arts in statutes.items()
    }
    counts = Counter()
    for i, q in enumerate(cases):
        query = text.terms(q["facts"])
        neighbours = [
            (cases[h.key]["matter"], h.score)
            for h in searcher.top(query, suggest.NEIGHBOURS + 1)
            if h.key != i
        ]
        ours = [r.key for r in suggest.rank_matters(query, profiles, neighbours)]
        text_only = [r.key for r in suggest.rank_matters(query, profiles, [])]
        qw = _plain_words(q["facts"])
        overlap = sorted(matters, key=lambda c: (-len(qw & plain_profiles[c]), c))
        shuffled = rng.sample(list(matters), len(matters))
        for name, ranked in (
            ("ours", ours),
            ("text_only", text_only),
            ("keyword_overlap", overlap),
            ("random", shuffled),
        ):
            counts[(name, 1)] += q["matter"] in ranked[:1]
            counts[(name, 3)] += q["matter"] in ranked[:3]
        # basis of the top-1 matter, as the platform suggests it
        chosen = matters[ours[0]] if ours else None
        if chosen is not None:
            counts[("penalty_article", 1)] += (chosen["law"], chosen["penalty"]) == (q["law"], q["penalty"])
            punish = statutes[chosen["law"]][chosen["penalty"]]
            pool = pools[chosen["law"]]
            named = [n for n in laws.referenced_articles(punish.text) if n != punish.number and n in pool]
            if named:
                ranked_articles = named
            else:
                ranked_articles = [
                    int(r.key)
                    for r in suggest.rank_articles(query, {str(n): t for n, (_, t) in pool.items()}, k=3)
                ]
            ok = chosen["law"] == q["law"]
            counts[("violation", 1)] += ok and q["violation"] in ranked_articles[:1]
            counts[("violation", 3)] += ok and q["violation"] in ranked_articles[:3]
            plain_pool = {n: _plain_words(a.text) for n, (a, _) in pools[q["law"]].items()}
            by_overlap = sorted(plain_pool, key=lambda n: (-len(qw & plain_pool[n]), n))
            counts[("violation_keyword_overlap", 1)] += q["violation"] in by_overlap[:1]
            counts[("violation_keyword_overlap", 3)] += q["violation"] in by_overlap[:3]
            rand = rng.sample(list(plain_pool), 3)
            counts[("violation_random", 1)] += q["violation"] in rand[:1]
            counts[("violation_random", 3)] += q["violation"] in rand[:3]
    n = len(cases)
    matter = {
        name: {"top1": round(counts[(name, 1)] / n, 4), "top3": round(counts[(name, 3)] / n, 4)}
        for name in ("ours", "text_only", "keyword_overlap", "random")
    }
    basis = {
        "penalty_article_top1": round(counts[("penalty_article", 1)] / n, 4),
        "violation_article": {
            "top1": round(counts[("violation", 1)] / n, 4),
            "top3": round(counts[("violation", 3)] / n, 4),
        },
        "violation_keyword_overlap_given_true_statute": {
            "top1": round(counts[("violation_keyword_overlap", 1)] / n, 4),
            "top3": round(counts[("violation_keyword_overlap", 3)] / n, 4),
        },
        "violation_random_given_true_statute": {
            "top1": round(counts[("violation_random", 1)] / n, 4),
            "top3": round(counts[("violation_random", 3)] / n, 4),
        },
    }
    ratio = similar["bm25_jieba_legal_terms"]["ndcg@10"] / similar["keyword_overlap"]["ndcg@10"]
    search_ms.sort()
    return {
        "evaluation_set": {
            "cases": n,
            "matters": len(matters),
            "file": str(DATA.relative_to(ROOT.parents[1])),
        },
        "similar_cases": similar,
        "ndcg_ratio_bm25_over_keyword": round(ratio, 3),
        "target_ndcg_ratio": 1.5,
        "matter": matter,
        "target_matter_top3": 0.9,
        "basis": basis,
        "search_ms_320_docs": {"p50": round(search_ms[n // 2], 3), "p95": round(search_ms[int(n * 0.95)], 3)},
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run(None), ensure_ascii=False, indent=1))
