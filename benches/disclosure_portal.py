"""Disclosure portal at scale on PostgreSQL: search p50/p95 and decision pages per second.

Creates a fresh database (``bench_disclosure``), migrates it, and fills it with N published
decisions (default 1,000,000; ``--rows``) by set-based SQL (``generate_series``): duties, drafts,
publications and the public index, with jieba-segmented search text composed from pre-segmented
vocabulary. Then, in the same run:

- ``search``: the portal's search selector (``public_search``) over a fixed mix of queries (single
  words, two words, filters by kind/date/agency/credit code, an exact document number), p50/p95
  wall time per query in this process; beside it ``search_raw_sql``: the same SQL statements that
  Django sent, run directly with psycopg (database time only);
- ``decision_page``: ``gunicorn`` serving the project on loopback and ``wrk`` (a second process)
  requesting random decision pages for ``SANXIANG_BENCH_WRK_SECONDS`` (default 20) seconds; beside
  it ``decision_page_raw_sql``: the page's statements run directly (one connection, and as many
  connections as gunicorn has workers).

Environment: ``SANXIANG_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres),
``SANXIANG_BENCH_ROWS``, ``SANXIANG_BENCH_WRK_SECONDS``, ``SANXIANG_BENCH_WORKERS`` (gunicorn
workers, default 3), ``SANXIANG_BENCH_KEEP=1`` keeps the database afterwards and
``SANXIANG_BENCH_REUSE=1`` measures a kept database of the same size again without regenerating it.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_disclosure"

VIOLATIONS = [
    "销售过期食品", "无证经营", "超范围经营", "虚假宣传", "销售不合格产品", "未按规定公示营业执照",
    "超限运输", "非法营运", "占道经营", "违法建设", "扬尘污染", "未取得排污许可证排放污染物",
    "销售假冒注册商标的商品", "价格欺诈", "计量器具未经检定", "未建立食品安全追溯制度",
    "使用非食品原料生产食品", "擅自改变房屋用途", "道路运输车辆未按规定年审", "噪声扰民",
    "未按规定设置安全警示标志", "销售标签不符合规定的食品", "拒不配合监督检查", "无照经营网吧",
]  # fmt: skip
BASES = [
    "《中华人民共和国食品安全法》第一百二十四条", "《中华人民共和国广告法》第五十五条",
    "《中华人民共和国产品质量法》第四十九条", "《中华人民共和国道路运输条例》第六十三条",
    "《中华人民共和国大气污染防治法》第一百一十五条", "《中华人民共和国城乡规划法》第六十四条",
    "《中华人民共和国价格法》第四十条", "《中华人民共和国安全生产法》第九十九条",
]  # fmt: skip
CONTENTS = [
    "给予警告",
    "罚款5000元",
    "没收违法所得并处罚款",
    "责令改正并处罚款",
    "暂扣许可证件",
    "吊销营业执照",
]
PREFIXES = ["松原市", "宁江区", "前郭县", "长岭县", "乾安县", "扶余市"]
CORES = [
    "好味", "鑫源", "康达", "华昌", "宏远", "金禾", "瑞丰", "天成", "顺发", "永盛", "嘉禾", "博远", "恒通", "新兴",
    "盛世", "龙腾", "福满", "泰和", "兴隆", "益民", "春晖", "佳美", "润泽", "安泰", "德顺", "和信", "众诚", "汇丰",
]  # fmt: skip
SUFFIXES = [
    "食品有限公司",
    "商贸有限公司",
    "运输有限公司",
    "餐饮店",
    "超市",
    "建筑工程有限公司",
    "网吧",
    "药店",
]
SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")

QUERIES = [
    {"q": "过期食品"},
    {"q": "无证经营"},
    {"q": "虚假宣传 罚款"},
    {"q": "超限运输"},
    {"q": "食品安全法"},
    {"q": "好味 食品"},
    {"q": "扬尘污染 罚款"},
    {"q": "吊销营业执照"},
    {"q": "价格欺诈", "kind": "penalty"},
    {"q": "罚款", "date_from": "2024-01-01", "date_to": "2024-03-31"},
    {"q": "违法建设", "agency": "AGENCY"},
    {"q": "", "party": "CREDIT"},
    {"q": "DOCNUMBER"},
    {"q": "网吧"},
    {"q": "", "kind": "penalty"},
]


def _url_with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _has_rows(url: str, rows: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM disclosure_publicdecision").fetchone()[0] == rows
    except psycopg.Error:
        return False


def _setup_database(admin_url: str, url: str, env: dict) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def _segment(text: str) -> str:
    from sanxiang.disclosure.search import segment

    return segment(text)


def _generate(rows: int, *, analyze: bool = True) -> dict:
    """Agencies by the ORM (few); decisions by set-based SQL (many)."""
    from django.db import connection

    from sanxiang.accounts.models import User
    from sanxiang.registry.models import Agency
    from sanxiang.registry.validators import compose_credit_code

    agencies = []
    for n in range(20):
        agencies.append(
            Agency.objects.create(
                name=f"{PREFIXES[n % len(PREFIXES)]}第{n + 1}市场监督管理局",
                credit_code=compose_credit_code(department="1", kind="1", region="220702", serial=900000 + n),
                head_name="局长",
                address="某路1号",
                phone="0438-1",
                supervision_phone="0438-2",
                categories=["market"],
                region_code="220702",
                qualification_basis="《中华人民共和国行政处罚法》",
                legal_office_name="法制科",
            )
        )
    user = User.objects.create(username="bench", display_name="公示管理员")
    seg = _segment
    params = {
        "n": rows,
        "agency_ids": [a.pk for a in agencies],
        "agency_names": [a.name for a in agencies],
        "agency_codes": [a.credit_code for a in agencies],
        "agency_segs": [seg(a.name) for a in agencies],
        "vt": VIOLATIONS,
        "vt_seg": [seg(v) for v in VIOLATIONS],
        "basis": BASES,
        "basis_seg": [seg(b) for b in BASES],
        "content": CONTENTS,
        "content_seg": [seg(c) for c in CONTENTS],
        "prefix": PREFIXES,
        "prefix_seg": [seg(p) for p in PREFIXES],
        "core": CORES,
        "core_seg": [seg(c) for c in CORES],
        "suffix": SUFFIXES,
        "suffix_seg": [seg(s) for s in SUFFIXES],
        "surname": SURNAMES,
        "kind_seg": seg("行政处罚"),
        "doc_seg": seg("市监处罚"),
        "user": user.pk,
    }
    started = time.perf_counter()
    with connection.cursor() as cur:
        if analyze:
            cur.execute("SET synchronous_commit = off")
        cur.execute("DROP INDEX IF EXISTS disclosure_pub_search_gin")
        # one staging table: every generated value once, then four INSERT … SELECT from it
        cur.execute(
            """
            CREATE UNLOGGED TABLE bench_gen AS
            SELECT i,
                   (%(agency_ids)s::bigint[])[1 + i %% 20] AS agency_id,
                   (%(agency_names)s::text[])[1 + i %% 20] AS agency_name,
                   (%(agency_codes)s::text[])[1 + i %% 20] AS agency_code,
                   (%(agency_segs)s::text[])[1 + i %% 20] AS agency_seg,
                   1 + (i * 7) %% 24 AS v, 1 + (i * 3) %% 8 AS b, 1 + (i * 5) %% 6 AS c,
                   (i %% 10) < 3 AS person,
                   date '2021-01-01' + (i %% 1900) AS decided_on,
                   'B' || lpad(i::text, 7, '0') AS ref,
                   '市监处罚〔' || (2021 + (i %% 1900) / 365) || '〕' || i || '号' AS doc,
                   md5(i::text) AS h
            FROM generate_series(1, %(n)s) AS i
            """,
            params,
        )
        cur.execute(
            "ALTER TABLE bench_gen ADD COLUMN party text, ADD COLUMN party_seg text, ADD COLUMN credit text"
        )
        cur.execute(
            """
            UPDATE bench_gen SET
              party = CASE WHEN person THEN (%(surname)s::text[])[1 + i %% 20] || '某某'
                      ELSE (%(prefix)s::text[])[1 + i %% 6] || (%(core)s::text[])[1 + (i / 6) %% 28]
                           || (%(suffix)s::text[])[1 + (i / 168) %% 8] END,
              party_seg = CASE WHEN person THEN (%(surname)s::text[])[1 + i %% 20] || '某某'
                      ELSE (%(prefix_seg)s::text[])[1 + i %% 6] || ' ' || (%(core_seg)s::text[])[1 + (i / 6) %% 28]
                           || ' ' || (%(suffix_seg)s::text[])[1 + (i / 168) %% 8] END,
              credit = CASE WHEN person THEN '' ELSE '91220702' || upper(substr(h, 1, 10)) END
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO disclosure_duty (id, start_date, days, unit, due_date, provisional, calendar_version,
                calendar_region, rule_version, rule_region, public_id, source_kind, source_ref, decided_on, fields,
                document_sm3, rule_source, status, first_published_at, created_at, agency_id, created_by_id, party_id)
            SELECT i, decided_on, 7, 'working', decided_on + 9, false, 'bench', '220702', '', '', md5('d' || i)::uuid,
                   'penalty', ref, decided_on, jsonb_build_object('document_number', doc), '', 'bench', 'published',
                   decided_on + time '10:00' + interval '3 days', now(), agency_id, %(user)s, NULL
            FROM bench_gen
            """,
            params,
        )
        cur.execute(
            """
            CREATE UNLOGGED TABLE bench_public AS
            SELECT g.i, jsonb_build_object(
                'party_name', party, 'party_category', CASE WHEN person THEN '自然人' ELSE '法人及非法人组织' END,
                'party_credit_code', credit, 'document_number', doc,
                'violation_type', (%(vt)s::text[])[v], 'violation_facts', '当事人' || (%(vt)s::text[])[v] || '，经查属实',
                'legal_basis', (%(basis)s::text[])[b], 'penalty_categories', '罚款',
                'penalty_content', (%(content)s::text[])[c], 'fine_amount', ((i %% 200) * 100)::text || '.00',
                'decided_on', decided_on::text, 'publication_until', (decided_on + 1095)::text,
                'agency_name', agency_name, 'agency_credit_code', agency_code,
                'source_agency_name', agency_name, 'source_agency_credit_code', agency_code) AS public
            FROM bench_gen g
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO disclosure_draft (id, number, purpose, fields, marks, public, reason, created_at,
                correction_request_id, created_by_id, duty_id)
            SELECT g.i, 1, 'initial', jsonb_build_object('document_number', doc), '[]'::jsonb, p.public, '', now(),
                   NULL, %(user)s, g.i
            FROM bench_gen g JOIN bench_public p USING (i)
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO disclosure_publication (id, version, purpose, public, public_sm3, reason, ledger_seq,
                published_at, draft_id, duty_id, published_by_id)
            SELECT g.i, 1, 'initial', p.public, h || h, '', g.i, decided_on + time '10:00' + interval '3 days',
                   g.i, g.i, %(user)s
            FROM bench_gen g JOIN bench_public p USING (i)
            """,
            params,
        )
        cur.execute(
            """
            INSERT INTO disclosure_publicdecision (id, public_id, version, agency_name, source_kind, document_number,
                number_key, party_name, party_code, title, decided_on, published_at, updated_at, public, search_text,
                agency_id, duty_id, publication_id)
            SELECT g.i, md5('d' || g.i)::uuid, 1, agency_name, 'penalty', doc, doc, party, credit,
                   party || ' ' || (%(vt)s::text[])[v], decided_on, decided_on + time '10:00' + interval '3 days',
                   decided_on + time '10:00' + interval '3 days', p.public,
                   party_seg || ' ' || %(doc_seg)s || ' ' || (2021 + (g.i %% 1900) / 365) || ' ' || g.i || ' 号 ' || agency_seg || ' ' || %(kind_seg)s || ' '
                   || (%(vt_seg)s::text[])[v] || ' 当事人 ' || (%(vt_seg)s::text[])[v] || ' 经查 属实 '
                   || (%(basis_seg)s::text[])[b] || ' ' || (%(content_seg)s::text[])[c],
                   agency_id, g.i, g.i
            FROM bench_gen g JOIN bench_public p USING (i)
            """,
            params,
        )
        loaded = time.perf_counter() - started
        if not analyze:  # inside a test's transaction: deferred foreign-key checks must run first
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(
            "CREATE INDEX disclosure_pub_search_gin ON disclosure_publicdecision USING GIN (search_vector)"
        )
        for table in ("duty", "draft", "publication", "publicdecision"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('disclosure_{table}', 'id'), (SELECT max(id) FROM disclosure_{table}))"  # noqa: S608 - fixed names
            )
        cur.execute("DROP TABLE bench_gen, bench_public")
        if analyze:  # not inside a test's transaction
            cur.execute("VACUUM ANALYZE disclosure_publicdecision")
            cur.execute("ANALYZE disclosure_publication")
        cur.execute("SELECT pg_size_pretty(pg_total_relation_size('disclosure_publicdecision'))")
        size = cur.fetchone()[0]
    return {
        "load_seconds": round(loaded, 1),
        "index_and_analyze_seconds": round(time.perf_counter() - started - loaded, 1),
        "public_index_size": size,
        "agencies": agencies,
    }


def _queries(agencies) -> list[dict]:
    from sanxiang.disclosure.models import PublicDecision

    organisations = PublicDecision.objects.filter(party_code__gt="").only("party_code", "document_number")
    sample = organisations.order_by("id")[min(1234, organisations.count() - 1)]
    out = []
    for q in QUERIES:
        q = dict(q)
        if q.get("agency") == "AGENCY":
            q["agency"] = str(agencies[3].public_id)
        if q.get("party") == "CREDIT":
            q["party"] = sample.party_code
        if q.get("q") == "DOCNUMBER":
            q["q"] = sample.document_number
        out.append(q)
    return out


def _search(agencies, rounds: int) -> tuple[dict, dict]:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanxiang.disclosure.selectors import public_search

    queries = _queries(agencies)

    def call(q):
        kw = dict(q)
        for key in ("date_from", "date_to"):
            if key in kw:
                kw[key] = dt.date.fromisoformat(kw[key])
        return public_search(**kw)

    for q in queries:  # warm: jieba, the connection, the caches
        call(q)
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    statements: list[tuple[str, list]] = []
    empty: set[str] = set()
    order = [q for _ in range(rounds) for q in queries]
    random.Random(7).shuffle(order)
    for q in order:
        started = time.perf_counter()
        result = call(q)
        elapsed = (time.perf_counter() - started) * 1000
        timings.append(elapsed)
        per_query.setdefault(json.dumps(q, ensure_ascii=False), []).append(elapsed)
        if not result.rows:
            empty.add(json.dumps(q, ensure_ascii=False))
    for q in queries:
        with CaptureQueriesContext(connection) as captured:
            call(q)
        statements += [(c["sql"], None) for c in captured.captured_queries]
    # raw: the same statements, as Django rendered them, straight through psycopg
    raw: list[float] = []
    with connection.cursor() as cur:
        raw_cursor = cur.cursor
        for _ in range(rounds):
            for sql, _ in statements:
                started = time.perf_counter()
                raw_cursor.execute(sql)
                raw_cursor.fetchall()
                raw.append((time.perf_counter() - started) * 1000)
    summary = {
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "per_query_p50_ms": {k: round(statistics.median(v), 2) for k, v in per_query.items()},
        "queries_without_results": sorted(empty),
        "page_size": 20,
    }
    raw_summary = {
        "statements": len(raw),
        "p50_ms": round(statistics.median(raw), 2),
        "p95_ms": round(_percentile(raw, 0.95), 2),
    }
    return summary, raw_summary


def _raw_page_rate(url: str, ids: list[str], seconds: float, connections: int) -> float:
    import psycopg

    sql_decision = (
        "SELECT id, duty_id, public_id, publication_id, version, agency_id, agency_name, source_kind, "
        "document_number, party_name, party_code, title, decided_on, published_at, updated_at, public, search_text "
        "FROM disclosure_publicdecision WHERE public_id = %s LIMIT 21"
    )
    sql_versions = (
        "SELECT id, version, purpose, reason, published_at, public FROM disclosure_publication "
        "WHERE duty_id = %s ORDER BY version DESC"
    )
    counts = [0] * connections

    def worker(n):
        rng = random.Random(n)
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                cur.execute(sql_decision, [rng.choice(ids)], prepare=True)
                row = cur.fetchone()
                if row[4] > 1:  # like the page: the history only when there is more than one version
                    cur.execute(sql_versions, [row[1]], prepare=True)
                    cur.fetchall()
                counts[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(sum(counts) / seconds, 1)


def _wrk(env: dict, ids: list[str], seconds: int, workers: int) -> dict:
    wrk = shutil.which("wrk")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if wrk is None or not gunicorn.exists():
        return {"error": "wrk (Debian package) and gunicorn (pip) are needed for the page benchmark"}
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        paths = Path(tmp) / "paths.lua"
        paths.write_text(
            "local ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n"
            "math.randomseed(7)\n"
            "request = function() return wrk.format('GET', '/decisions/' .. ids[math.random(#ids)] .. '/') end\n"
        )
        server = subprocess.Popen(
            [str(gunicorn), "sanxiang.wsgi:application", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "--access-logfile", "/dev/null"],
            cwd=ROOT, env={**env, "ALLOWED_HOSTS": "127.0.0.1,localhost"},
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    time.sleep(0.2)
            subprocess.run(  # warm every worker
                [wrk, "-t1", "-c4", "-d3s", "-s", str(paths), f"http://127.0.0.1:{port}"],
                capture_output=True, check=True,
            )  # fmt: skip
            proc = subprocess.run(
                [wrk, "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(paths), f"http://127.0.0.1:{port}"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = proc.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = dict(re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return {
        "requests_per_second": rps,
        "latency": latency,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "seconds": seconds,
        "wrk": "wrk -t2 -c16 --latency (random decision pages)",
        "gunicorn_workers": workers,
    }


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or 1_000_000)
    seconds = int(os.environ.get("SANXIANG_BENCH_WRK_SECONDS") or 20)
    workers = int(os.environ.get("SANXIANG_BENCH_WORKERS") or 3)
    admin_url = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = _url_with_db(admin_url, DB_NAME)
    var = tempfile.mkdtemp(prefix="bench-disclosure-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SANXIANG_VAR_DIR": var,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    reuse = os.environ.get("SANXIANG_BENCH_REUSE") == "1" and _has_rows(url, rows)
    if not reuse:
        _setup_database(admin_url, url, env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SANXIANG_VAR_DIR", "DEBUG", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result: dict = {"rows": rows, "database": "postgresql"}
    try:
        if reuse:
            from sanxiang.registry.models import Agency

            agencies = list(Agency.objects.order_by("id"))
            result["generate"] = {"reused": True}
        else:
            generated = _generate(rows)
            agencies = generated.pop("agencies")
            result["generate"] = generated
        result["search"], result["search_raw_sql"] = _search(agencies, rounds=20)
        from sanxiang.disclosure.models import PublicDecision

        ids = [
            str(i) for i in PublicDecision.objects.order_by("?").values_list("public_id", flat=True)[:5000]
        ]
        result["decision_page"] = _wrk(env, ids, seconds, workers)
        result["decision_page_raw_sql"] = {
            "pages_per_second_1_connection": _raw_page_rate(url, ids, 5, 1),
            f"pages_per_second_{workers}_connections": _raw_page_rate(url, ids, 5, workers),
            "statements_per_page": "1 (one version; 2 with a history, as on the page)",
        }
        result["targets"] = {"search_p95_ms": 100, "decision_pages_per_second": 300}
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("SANXIANG_BENCH_KEEP") != "1":
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(var, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
