"""Supervision at scale on PostgreSQL: the year's statistics tables of a region, the dashboard page and
the alert sweep, each beside a same-run baseline.

Creates a fresh database (``SANXIANG_BENCH_DB``, default ``bench_supervision``), migrates it, loads the
demo registry (six agencies of one district), then by set-based SQL (``INSERT … SELECT
generate_series``) adds ``SANXIANG_BENCH_ROWS`` decided cases (default 200,000; the issue's scale is
2,000,000) spread over the agencies and the year, every sixth a licensing application with its 受理
event, each with its decision record, its decision row (处罚/检查/强制/许可) and its lines (罚款、没收、
暂扣; 查封、扣押 for measures), ``SANXIANG_BENCH_PERIODS`` running case deadlines (default 200,000; the
issue's 1,000,000) due from 200 days ago to 200 days ahead, and ``SANXIANG_BENCH_LEDGER`` ledger
entries (default five per case; at most ``SANXIANG_BENCH_LEDGER_SECONDS`` of generating them).
While loading, the secondary indexes of the loaded tables are dropped and rebuilt from their own
definitions afterwards and per-row foreign-key checks are skipped (``session_replication_role``);
the generated ledger rows carry SHA-256 leaf hashes and only the frontier's inner nodes (the output
says so under ``generate.ledger``). Then, in the same process:

- ``annual_tables``: ``Figures(region, year).tables()`` — every table and indicator of the annual
  report from the tallies (target < 2 s), beside ``raw_group_by``: the plain ``GROUP BY agency, kind``
  count and the ``SUM`` of the lines over the same rows (database time, psycopg), and, with
  ``SANXIANG_BENCH_LIVE_ROUNDS`` > 0, ``annual_tables_live`` (the same tables computed from every row);
- ``dashboard``: ``/staff/supervision/?year=`` as the 司法局 supervisor through Django's test client
  (view, template, middleware; target p95 < 300 ms), with ``dashboard_queries`` (its statements and
  their database time); ``after_sweep``: the same with 1,000 decisions written since the tally sweep
  (900 new, 100 corrected 决定书); ``dashboard_after_alert_sweep``: once the alerts exist;
- ``sweep_first`` / ``sweep_second``: ``alert_sweep()`` over the running periods (target < 30 s) and
  again on unchanged data (must change nothing), beside ``raw_scan``: the one ``SELECT`` of every
  deadline within the yellow window;
- ``dashboard_same_as_live``: last, once, on the hardest state (1,000 decisions not yet swept, the
  alerts tallied), the dashboard from the tallies against the one computed from every row (the tests'
  oracle), its time as ``dashboard_build_live``.

Environment: ``SANXIANG_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres),
``SANXIANG_BENCH_ROWS``, ``SANXIANG_BENCH_PERIODS``, ``SANXIANG_BENCH_LEDGER``,
``SANXIANG_BENCH_ROUNDS`` (default 10), ``SANXIANG_BENCH_LIVE_ROUNDS`` (default 3; 0 skips
``annual_tables_live``, minutes a round at 2,000,000 decisions), ``SANXIANG_BENCH_PARTIAL`` (a file the
result so far is written to after every step).
Generating 2,000,000 cases takes most of an hour on the shared machine: ``SANXIANG_BENCH_TEMPLATE=name``
keeps the generated rows as a template database (with what generating them took in its comment) and
later runs copy it; ``SANXIANG_BENCH_GENERATE_ONLY=1`` stops after generating, and
``SANXIANG_BENCH_REUSE=1`` measures on the database that generated the template, as it was left.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("SANXIANG_BENCH_DB") or "bench_supervision"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _setup_database(admin_url: str, env: dict, template: str) -> dict | None:
    """A fresh database; with ``template`` (SANXIANG_BENCH_TEMPLATE) a copy of the generated rows kept
    there by an earlier run, if any: returns what that run recorded about generating them."""
    import psycopg

    reuse = bool(os.environ.get("SANXIANG_BENCH_REUSE"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        kept = None
        if template:
            row = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
            ).fetchone()
            kept = json.loads(row[0]) if row and row[0] else None
        if reuse and kept is not None:
            # the run that generated the template left its own copy untouched (SANXIANG_BENCH_GENERATE_ONLY)
            _log(f"measuring on {DB_NAME}, the database that generated {template}")
            kept = {**kept, "reused_generating_database": DB_NAME}
        elif kept is not None:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            _log(f"copying the generated rows of {template}")
            conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE {template} STRATEGY FILE_COPY")
        else:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return kept


def _keep_template(admin_url: str, template: str, generated: dict) -> None:
    """Keep the generated rows as ``template`` for later runs (the run's own database goes on)."""
    import psycopg
    import psycopg.sql
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {template} TEMPLATE {DB_NAME} STRATEGY FILE_COPY")
        conn.execute(
            psycopg.sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                psycopg.sql.Identifier(template), psycopg.sql.Literal(json.dumps(generated))
            )
        )


def _log(message: str) -> None:
    print(f"[supervision] {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


LEDGER_KINDS = (
    "cases.case_opened",
    "cases.record_added",
    "cases.stage_changed",
    "cases.decision_made",
    "review.opinion_given",
)


def _generate_ledger(cur, entries: int, agency_ids: list[int]) -> dict:
    """``entries`` ledger entries by set-based SQL, in chunks. Bypassed for these generated rows only:
    the leaf hash is SHA-256 of the body (not the SM3 leaf hash) and no inner Merkle node is stored
    but the frontier of the final size, so that ``record()`` appends after them as after real entries.
    The append-only triggers stay (they refuse UPDATE/DELETE/TRUNCATE; INSERT is what they allow)."""
    from sanxiang.ledger import merkle
    from sanxiang.ledger.models import Node

    started = time.perf_counter()
    cur.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM ledger_entry")
    size = cur.fetchone()[0]
    real = size
    chunk = 1_000_000
    budget = float(os.environ.get("SANXIANG_BENCH_LEDGER_SECONDS") or 0)
    while size < real + entries:
        if budget and time.perf_counter() - started > budget:
            _log(f"ledger budget of {budget:.0f} s spent at {size - real:,} entries")
            break
        n = min(chunk, real + entries - size)
        cur.execute(
            """
            INSERT INTO ledger_entry (seq, body, leaf_hash, kind, subject_type, subject_id, actor_id, agency_id,
                recorded_at, corrects)
            SELECT s, b, sha256(convert_to(b, 'UTF8')), k, 'cases.case', sid, NULL, a, t, NULL
            FROM (
                SELECT s, k, sid, a, t,
                       '{"actor":null,"agency":null,"blobs":[],"corrects":null,"kind":"' || k
                       || '","payload":{"n":' || s || '},"seq":' || s || ',"subject":{"id":"' || sid
                       || '","type":"cases.case"},"time":"' || to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                       || '","v":1}' AS b
                FROM (
                    SELECT s, (%s::text[])[1 + s %% 5] AS k, md5('c' || (s / 5))::uuid::text AS sid,
                           (%s::int[])[1 + s %% %s] AS a,
                           now() - ((%s + %s - s) * interval '3 seconds') AS t
                    FROM generate_series(%s, %s) s
                ) q
            ) q2
            """,
            [list(LEDGER_KINDS), agency_ids, len(agency_ids), real, entries, size, size + n - 1],
        )
        size += n
        _log(f"ledger entries {size - real:,}")
    keys = [(level, index) for level, index in merkle.frontier_keys(size) if level > 0]
    for level, index in keys:
        cur.execute(
            "INSERT INTO ledger_node (flat, hash) VALUES (%s, sha256(%s::bytea)) ON CONFLICT DO NOTHING",
            [Node.flat_index(level, index), f"bench {level} {index}".encode()],
        )
    return {
        "entries": size - real,
        "asked": entries,
        "seconds": round(time.perf_counter() - started, 1),
        "bypassed": "generated rows only: leaf_hash = SHA-256(body) instead of the SM3 leaf hash, and no inner "
        "Merkle nodes but the frontier of the final size (so record() appends after them); same columns, "
        "indexes and triggers as real entries; the entries the timed sweeps write go through record()",
        "loading": "secondary indexes of the loaded tables dropped and rebuilt from their definitions after "
        "the load; per-row foreign-key checks skipped while loading (session_replication_role = replica)",
    }


BULK_TABLES = (
    "cases_case",
    "cases_caseevent",
    "cases_caserecord",
    "cases_decision",
    "cases_decisionline",
    "cases_casedeadline",
    "ledger_entry",
)


def _drop_secondary_indexes(cur) -> list[str]:
    """Drop the indexes of the bulk-loaded tables that back no constraint (rebuilt afterwards by
    ``CREATE INDEX`` from their own definitions: the same indexes, built at once instead of row by row)."""
    cur.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [list(BULK_TABLES)],
    )
    found = cur.fetchall()
    for name, _ in found:
        cur.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def _generate(rows: int, periods: int, ledger: int, year: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.demo.registry import build_registry
    from sanxiang.workdays.services import seed_from_chinesecalendar

    started = time.perf_counter()
    today = timezone.localdate()
    seed_from_chinesecalendar(years=[today.year - 1, today.year, today.year + 1])
    agencies = build_registry(today=today, entities=50, out=lambda *a: None)
    ids = [a.pk for key, a in agencies.items() if key != "justice"]
    user = User.objects.get(username="officer")
    steps: dict[str, float] = {}

    def step(name: str, sql: str, params: list) -> None:
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, params)
        steps[name] = round(time.perf_counter() - t, 1)
        _log(f"{name} {steps[name]} s")

    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")
        cur.execute("SET maintenance_work_mem TO '256MB'")
        # generated rows reference existing agencies, users, cases and records by construction: the
        # per-row foreign-key checks are skipped while loading (replica role), the constraints stay
        cur.execute("SET session_replication_role TO replica")
        indexes = _drop_secondary_indexes(cur)
    # every sixth case is a licensing application (its decision a 准予/不予 licence decision)
    step(
        "cases",
        """
        INSERT INTO cases_case (public_id, agency_id, procedure, number, year, serial, title, matter_ref,
            matter_code, matter_name, category, region_code, source, source_detail, reporter_name,
            reporter_contact, reporter_named, is_emergency, emergency_reason, stage, stage_changed_at,
            sealed_at, opened_by_id, opened_at, idempotency_key, ledger_seq)
        SELECT md5('c' || g)::uuid, (%s::int[])[1 + g %% %s],
               CASE WHEN g %% 6 = 5 THEN 'licensing' ELSE 'penalty_general' END,
               '罚〔' || %s || '〕' || g || '号', %s, g, '违法经营案', NULL, '', '', 'market', '220702',
               'inspection', '', '', '', false, false, '', 'closed', now(), NULL, %s,
               make_date(%s, 1, 1) + (g %% 360) * interval '1 day', '', 0
        FROM generate_series(1, %s) g
        """,
        [ids, len(ids), year, year, user.pk, year, rows + periods],
    )
    step(
        "case_events",
        """
        INSERT INTO cases_caseevent (public_id, case_id, kind, transition, from_stage, to_stage, event, payload,
            note, at, actor_id, idempotency_key, ledger_seq)
        SELECT md5('e' || c.serial)::uuid, c.id, 'transition',
               CASE WHEN c.serial %% 60 = 5 THEN 'refuse_acceptance' ELSE 'accept' END, 'application', 'review',
               '', '{}', '', c.opened_at + interval '1 day', %s, '', 0
        FROM cases_case c WHERE c.procedure = 'licensing'
        """,
        [user.pk],
    )
    step(
        "records",
        """
        INSERT INTO cases_caserecord (public_id, case_id, kind, stage, payload, officers, blob_hashes, has_av,
            made_at, uploaded_at, late_upload, party_refused_to_sign, party_refused_to_cooperate,
            refusal_note, corrects_id, correction_reason, made_by_id, idempotency_key, ledger_seq, origins)
        SELECT md5('r' || c.serial)::uuid, c.id, 'decision_document', 'decision', '{}', '[]', '[]', false,
               c.opened_at, c.opened_at, false, false, false, '', NULL, '', %s, '', 0, '{}'
        FROM cases_case c WHERE c.serial <= %s
        """,
        [user.pk, rows],
    )
    step(
        "decisions",
        """
        INSERT INTO cases_decision (public_id, case_id, agency_id, procedure, kind, discloses, record_id,
            transition, decided_on, document_number, document_sm3, facts, basis, severity, granted,
            licence_category, licence_name, licence_number, valid_from, valid_until, problems_found,
            corrects_id, correction_reason, made_by_id, made_at, ledger_seq)
        SELECT md5('d' || c.serial)::uuid, c.id, c.agency_id, c.procedure,
               (ARRAY['penalty','penalty','penalty','inspection','measure','licence'])[1 + c.serial %% 6], '',
               r.id, 'decide', (c.opened_at + interval '20 days')::date, c.number, '', '', '', '',
               CASE WHEN c.serial %% 6 = 5 THEN c.serial %% 10 <> 1 END, '', '', '', NULL, NULL, NULL, NULL, '',
               %s, now(), 0
        FROM cases_case c JOIN cases_caserecord r ON r.case_id = c.id WHERE c.serial <= %s
        """,
        [user.pk, rows],
    )
    step(
        "decision_lines",
        """
        INSERT INTO cases_decisionline (decision_id, party_id, category, kind, amount)
        SELECT d.id, NULL, k.category, k.kind, k.amount FROM cases_decision d
        CROSS JOIN LATERAL (VALUES ('penalty', 'fine', (d.id %% 97) * 100.00),
                                   ('penalty', 'confiscate_gains', 1500.50),
                                   ('penalty', 'suspend_permit', NULL),
                                   ('measure', 'seal', NULL), ('measure', 'seize', NULL)) AS k(category, kind, amount)
        WHERE d.kind = 'penalty' AND (k.kind = 'fine' OR d.id %% 3 = 0 AND k.kind = 'confiscate_gains'
                                      OR d.id %% 7 = 0 AND k.kind = 'suspend_permit')
           OR d.kind = 'measure' AND (k.kind = 'seal' OR d.id %% 4 = 0 AND k.kind = 'seize')
        """,
        [],
    )
    step(
        "deadlines",
        """
        INSERT INTO cases_casedeadline (case_id, agency_id, "limit", name, source, due_date, due_at)
        SELECT c.id, c.agency_id, 'decision', '自立案起作出处罚决定', '行政处罚法 第六十条',
               current_date + ((c.serial %% 400) - 200), NULL
        FROM cases_case c WHERE c.serial > %s
        """,
        [rows],
    )
    with connection.cursor() as cur:
        ledger_info = _generate_ledger(cur, ledger, ids) if ledger else {"entries": 0}
        t = time.perf_counter()
        for definition in indexes:
            cur.execute(definition)
        cur.execute("SET session_replication_role TO origin")
        steps["indexes"] = round(time.perf_counter() - t, 1)
        _log(f"{len(indexes)} indexes rebuilt in {steps['indexes']} s")
        t = time.perf_counter()
        for table in ("cases_decision", "cases_decisionline", "cases_casedeadline", "cases_case"):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("ANALYZE")
        steps["analyze"] = round(time.perf_counter() - t, 1)
        cur.execute("SELECT count(*) FROM cases_decisionline")
        lines = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM cases_decision")
        decisions = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM ledger_entry")
        entries = cur.fetchone()[0]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "steps": steps,
        "cases": rows + periods,
        "decisions": decisions,
        "decision_lines": lines,
        "ledger_entries": entries,
        "ledger": ledger_info,
        "agencies": len(ids),
    }


def _after_sweep(client, year: int, rounds: int) -> dict:
    """Decisions written since the last tally sweep (900 new decisions today, 100 corrected 决定书 of
    earlier days): those days are computed live beside the stored tallies."""
    from django.db import connection
    from django.utils import timezone

    columns = """public_id, case_id, agency_id, procedure, kind, discloses, record_id, transition, decided_on,
        document_number, document_sm3, facts, basis, severity, granted, licence_category, licence_name,
        licence_number, valid_from, valid_until, problems_found, corrects_id, correction_reason, made_by_id,
        made_at, ledger_seq"""
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM cases_caserecord ORDER BY id LIMIT 1")
        record_id = cur.fetchone()[0]
        cur.execute(
            f"""
            INSERT INTO cases_decision ({columns})
            SELECT md5('new' || c.id)::uuid, c.id, c.agency_id, 'penalty_general', 'penalty', '', %s, 'decide',
                   %s, c.number, '', '', '', '', NULL, '', '', '', NULL, NULL, NULL, NULL, '', c.opened_by_id,
                   now(), 0
            FROM cases_case c WHERE NOT EXISTS (SELECT 1 FROM cases_decision d WHERE d.case_id = c.id)
            ORDER BY c.id LIMIT 900
            """,  # noqa: S608 - the column list is a constant
            [record_id, timezone.localdate()],
        )
        cur.execute(
            f"""
            INSERT INTO cases_decision ({columns})
            SELECT md5('fix' || d.id)::uuid, d.case_id, d.agency_id, d.procedure, d.kind, '', d.record_id,
                   'correct', d.decided_on, d.document_number, '', '', '', '', NULL, '', '', '', NULL, NULL,
                   NULL, d.id, '更正', d.made_by_id, now(), 0
            FROM cases_decision d WHERE d.id %% 97 = 0 AND d.corrects_id IS NULL ORDER BY d.id LIMIT 100
            """,  # noqa: S608 - the column list is a constant
            [],
        )
    return {"new_decisions": 1000, **_timed(lambda: client.get(f"/staff/supervision/?year={year}"), rounds)}


def _queries(fn) -> dict:
    """The statements ``fn`` sends and their database time (the slowest first)."""
    from django.db import connection

    seen: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append(((time.perf_counter() - t) * 1000, " ".join(sql.split())[:160]))

    t = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        fn()
    total = (time.perf_counter() - t) * 1000
    return {
        "total_ms": round(total, 1),
        "queries": len(seen),
        "query_ms": round(sum(ms for ms, _ in seen), 1),
        "slowest": [{"ms": round(ms, 1), "sql": sql} for ms, sql in sorted(seen, reverse=True)[:6]],
    }


class _Result(dict):
    """The result so far, also written to ``SANXIANG_BENCH_PARTIAL`` (if set) after every step: a run
    of an hour that is cut short still leaves what it measured."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        path = os.environ.get("SANXIANG_BENCH_PARTIAL")
        if path:
            Path(path).write_text(json.dumps({**self, "partial": True}, ensure_ascii=False, indent=2))
            _log(f"{key} done")


def _timed(fn, rounds: int) -> dict:
    timings = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - t) * 1000)
    return {
        "rounds": rounds,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
        "load_1min": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or 200_000)
    periods = int(os.environ.get("SANXIANG_BENCH_PERIODS") or 200_000)
    rounds = int(os.environ.get("SANXIANG_BENCH_ROUNDS") or 10)
    live_rounds = int(os.environ.get("SANXIANG_BENCH_LIVE_ROUNDS", "3"))
    ledger = int(os.environ.get("SANXIANG_BENCH_LEDGER") or 5 * rows)
    admin_url = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = urlunsplit(urlsplit(admin_url)._replace(path="/" + DB_NAME))
    template = os.environ.get("SANXIANG_BENCH_TEMPLATE") or ""
    if template:  # the ledger's signing key lives in the var directory: keep it with the rows
        var = str(Path(tempfile.gettempdir()) / f"{template}-var")
        os.makedirs(var, exist_ok=True)
    else:
        var = tempfile.mkdtemp(prefix="bench-supervision-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SANXIANG_VAR_DIR": var,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    kept = _setup_database(admin_url, env, template)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SANXIANG_VAR_DIR", "DEBUG", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.registry.models import Agency
    from sanxiang.supervision.alerts import alert_sweep
    from sanxiang.supervision.dashboard import build
    from sanxiang.supervision.statistics import Figures, Period
    from sanxiang.supervision.tallies import tally_sweep

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    year = timezone.localdate().year
    result: dict = _Result()
    result.update(
        {
            "rows": rows,
            "periods": periods,
            "ledger_entries": ledger,
            "database": "postgresql",
            "year": year,
            "load_average_start": [round(x, 1) for x in os.getloadavg()],
            "cores": os.cpu_count(),
        }
    )
    if kept is not None:
        result["generate"] = {**kept, "copied_from_template": template}
        for key in ("rows", "periods", "ledger_entries"):
            result[key] = kept["scale"][key]
    else:
        result["generate"] = _generate(rows, periods, ledger, year)
        result["ledger_entries"] = result["generate"]["ledger"]["entries"]
        result["generate"]["scale"] = {
            "rows": rows,
            "periods": periods,
            "ledger_entries": result["ledger_entries"],
        }
        _log(f"generated in {result['generate']['seconds']} s")
        if template:
            _keep_template(admin_url, template, result["generate"])
            _log(f"kept as {template}")
        if os.environ.get("SANXIANG_BENCH_GENERATE_ONLY"):
            print(json.dumps(result, ensure_ascii=False))
            return
    region = Agency.objects.filter(is_supervisory=False)
    period = Period.year(year)
    if live_rounds:  # the tables from every row (the tests' oracle), before any tally exists
        result["annual_tables_live"] = _timed(
            lambda: Figures(region, period, tallied=False).tables(), live_rounds
        )
    t = time.perf_counter()
    tallied = tally_sweep()
    result["tally_sweep_first"] = {"seconds": round(time.perf_counter() - t, 2), "rows": tallied.rows}
    t = time.perf_counter()
    again = tally_sweep()
    result["tally_sweep_second"] = {"seconds": round(time.perf_counter() - t, 2), "rows": again.rows}
    result["annual_tables"] = _timed(lambda: Figures(region, period).tables(), rounds)
    with psycopg.connect(url) as conn:

        def raw() -> None:
            conn.execute(
                "SELECT agency_id, kind, count(*) FROM cases_decision WHERE decided_on BETWEEN %s AND %s "
                "GROUP BY 1, 2",
                [period.start, period.end],
            ).fetchall()
            conn.execute(
                "SELECT d.agency_id, l.kind, sum(l.amount) FROM cases_decisionline l JOIN cases_decision d "
                "ON d.id = l.decision_id WHERE d.decided_on BETWEEN %s AND %s GROUP BY 1, 2",
                [period.start, period.end],
            ).fetchall()

        result["raw_group_by"] = _timed(raw, rounds)

        def scan() -> None:
            conn.execute(
                'SELECT case_id, "limit", due_date FROM cases_casedeadline WHERE due_date <= current_date + 7'
            ).fetchall()

        result["raw_scan"] = _timed(scan, 3)
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get(f"/staff/supervision/?year={year}").status_code == 200
    page = f"/staff/supervision/?year={year}"
    result["dashboard"] = _timed(lambda: client.get(page), rounds)
    result["dashboard_queries"] = _queries(lambda: client.get(page))
    result["dashboard_build"] = _timed(lambda: build(region, period), rounds)
    result["after_sweep"] = _after_sweep(client, year, rounds)
    result["after_sweep_queries"] = _queries(lambda: client.get(page))
    _log("dashboard measured; alert sweep")
    t = time.perf_counter()
    first = alert_sweep()
    result["sweep_first"] = {"seconds": round(time.perf_counter() - t, 2), "opened": first.opened}
    t = time.perf_counter()
    second = alert_sweep()
    result["sweep_second"] = {
        "seconds": round(time.perf_counter() - t, 2),
        "changed": second.changed,
        "unchanged": second.unchanged,
    }
    _log("alert sweeps done")
    result["dashboard_after_alert_sweep"] = _timed(lambda: client.get(page), rounds)
    result["dashboard_after_alert_sweep_queries"] = _queries(lambda: client.get(page))
    # the oracle, once, on the hardest state: 1,000 decisions not yet swept and the alerts tallied
    supervisor = User.objects.get(username="supervisor")
    tallied_board = build(region, period, user=supervisor)
    t = time.perf_counter()
    live_board = build(region, period, user=supervisor, tallied=False)
    result["dashboard_build_live"] = {"rounds": 1, "ms": round((time.perf_counter() - t) * 1000, 1)}
    result["dashboard_same_as_live"] = tallied_board.summary == live_board.summary and [
        (c.key, c.rows) for c in tallied_board.charts
    ] == [(c.key, c.rows) for c in live_board.charts]
    result["targets"] = {"annual_tables_s": 2, "dashboard_p95_ms": 300, "sweep_s": 30}
    result["within_target"] = {
        "annual_tables": result["annual_tables"]["p95_ms"] < 2000,
        "dashboard": result["dashboard"]["p95_ms"] < 300,
        "dashboard_after_sweep": result["after_sweep"]["p95_ms"] < 300,
        "dashboard_after_alert_sweep": result["dashboard_after_alert_sweep"]["p95_ms"] < 300,
        "sweep": result["sweep_first"]["seconds"] < 30 and second.changed == 0,
    }
    result["load_average"] = [round(x, 1) for x in os.getloadavg()]
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
