"""Staff pages at scale on PostgreSQL: the case list (a filter and a search term), the case page and
the supervisor's home, with 100,000 cases in one agency (``--rows``), p50/p95 per page beside the
same SQL statements run directly.

Creates a fresh database (``bench_staff``), migrates it, loads the demo registry (agencies, officers,
users), builds one real case through the services (records, approvals, ledger entries: the page
that is measured), then adds N cases to the market agency by set-based SQL (``generate_series``):
parties, officers, stages across the procedure and ``CaseDeadline`` rows (a quarter overdue, some
near due, in every agency). Then, in the same process, with Django's test client (the whole view,
template and middleware, no network):

- ``case_list``: ``/staff/cases/?scope=all&stage=…&q=…`` with a rotating search term (a party's
  name fragment, a 案由 word, a case number) — p50/p95 ms;
- ``case_page``: the real case's page;
- ``case_list_due``: ``/staff/cases/?scope=all`` sorted by 期限 (``sort=due``) and with each 期限
  filter (已逾期, 即将届满, 无逾期), newest or earliest due first — the worst p95 of them;
- ``supervisor_home``: ``/staff/`` as the 司法局 supervisor (overdue and near-due duties of every
  agency in the region);
- ``*_raw_sql``: every statement the page sent, captured once, run directly with psycopg (database
  time only): the floor the page cannot beat.

Environment: ``SANXIANG_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432/postgres),
``SANXIANG_BENCH_ROWS`` (default 100000), ``SANXIANG_BENCH_ROUNDS`` (default 30),
``SANXIANG_BENCH_REUSE=1`` (keep a ``bench_staff`` database built by an earlier run: migrate it and measure
again, without regenerating the data; for profiling between changes).
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
DB_NAME = "bench_staff"
TITLES = ["销售过期食品案", "无证经营案", "虚假宣传案", "超范围经营案", "销售不合格产品案", "价格欺诈案"]
TERMS = ["好味", "过期食品", "虚假宣传", "罚〔2026〕0500", "价格欺诈", "鑫源"]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _summary(timings: list[float]) -> dict:
    return {
        "requests": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
    }


def _setup_database(admin_url: str, env: dict) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def _generate(rows: int) -> dict:
    """The registry, one real case, then ``rows`` generated cases of the market agency."""
    from django.db import connection
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.cases import demo as case_demo
    from sanxiang.cases import services
    from sanxiang.demo.registry import build_registry
    from sanxiang.workdays.services import seed_from_chinesecalendar

    started = time.perf_counter()
    today = timezone.localdate()
    seed_from_chinesecalendar(years=[today.year - 1, today.year, today.year + 1])
    agencies = build_registry(today=today, entities=50, out=lambda *a: None)
    market = agencies["market"]
    users = {
        u.username: u for u in User.objects.filter(username__in=["officer", "officer2", "chief", "head"])
    }
    ctx = case_demo.Ctx(
        handler=users["officer"],
        reviewer=users["chief"],
        head=users["head"],
        partner=users["officer2"].officer,
    )
    now = timezone.localtime()
    real = case_demo._run(
        ctx,
        start=now - timezone.timedelta(days=20),
        procedure="penalty_general",
        title="销售过期食品案",
        source="inspection",
        steps=case_demo.general_steps("销售过期食品案", "fine", "8000"),
        stop=9,
        party=case_demo._organisation(1),
        gap=timezone.timedelta(hours=20),
    )
    services.case_transition  # noqa: B018 - the services module is loaded (hooks registered)
    officer_id = users["officer"].officer_id
    partner_id = users["officer2"].officer_id
    user_id = users["officer"].pk
    stages = [
        "intake",
        "investigation",
        "notice",
        "legal_review",
        "decision",
        "service",
        "execution",
        "closed",
    ]
    others = [a.pk for key, a in agencies.items() if key not in ("market", "justice")]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO registry_party (public_id, kind, name, id_type, id_number, birth_date, credit_code,
                                        legal_representative, phone, address, created_at)
            SELECT md5('p' || g)::uuid, 'organisation',
                   (ARRAY['好味','鑫源','康达','华昌','宏远','金禾','瑞丰','天成'])[1 + g %% 8]
                     || g || (ARRAY['食品有限公司','商贸有限公司','超市','餐饮店'])[1 + g %% 4],
                   '', '', NULL, '', '法人' || g, '', '', now()
            FROM generate_series(1, %s) g
            """,
            [rows],
        )
        cur.execute(
            """
            INSERT INTO cases_case (public_id, agency_id, procedure, number, year, serial, title, matter_ref,
                matter_code, matter_name, category, region_code, source, source_detail, reporter_name,
                reporter_contact, reporter_named, is_emergency, emergency_reason, stage, stage_changed_at,
                sealed_at, opened_by_id, opened_at, idempotency_key, ledger_seq)
            SELECT md5('c' || g)::uuid, %s, 'penalty_general',
                   '罚〔2026〕' || lpad((100000 + g)::text, 6, '0') || '号', 2026, 100000 + g,
                   (%s::text[])[1 + g %% 6], NULL, '', '', 'market', '220702', 'inspection', '', '', '',
                   false, false, '', (%s::text[])[1 + g %% 8], now() - (g %% 400) * interval '1 day',
                   NULL, %s, now() - (g %% 400) * interval '1 day', '', 0
            FROM generate_series(1, %s) g
            """,
            [market.pk, TITLES, stages, user_id, rows],
        )
        cur.execute(
            """
            INSERT INTO cases_caseparty (case_id, party_id, position)
            SELECT c.id, p.id, 0 FROM cases_case c
            JOIN registry_party p ON p.public_id = md5('p' || (c.serial - 100000))::uuid
            WHERE c.serial > 100000
            """
        )
        cur.execute(
            """
            UPDATE cases_case c SET party_names = p.name FROM registry_party p
            WHERE c.serial > 100000 AND p.public_id = md5('p' || (c.serial - 100000))::uuid
            """
        )
        cur.execute(
            """
            INSERT INTO cases_caseofficer (case_id, officer_id, name, credential_number, lead, assigned_by_id,
                                           assigned_at, ledger_seq)
            SELECT c.id, o.id, o.name, o.credential_number, o.id = %s, %s, c.opened_at, 0
            FROM cases_case c CROSS JOIN registry_officer o
            WHERE c.serial > 100000 AND o.id IN (%s, %s)
            """,
            [officer_id, user_id, officer_id, partner_id],
        )
        cur.execute(
            """
            INSERT INTO cases_casedeadline (case_id, agency_id, "limit", name, source, due_date, due_at)
            SELECT c.id, c.agency_id, 'decision', '自立案起作出处罚决定', '行政处罚法 第六十条',
                   (c.opened_at + interval '90 days')::date, NULL
            FROM cases_case c WHERE c.serial > 100000 AND c.stage IN ('investigation', 'notice', 'legal_review')
            """
        )
        # the case's earliest running deadline, as ``deadlines.refresh`` keeps it beside the rows
        cur.execute(
            """
            UPDATE cases_case c SET next_due = d.due_date FROM cases_casedeadline d
            WHERE c.serial > 100000 AND d.case_id = c.id
            """
        )
        # a few overdue cases in each other agency of the region (the supervisor watches them all)
        for pk in others:
            cur.execute(
                """
                INSERT INTO cases_case (public_id, agency_id, procedure, number, year, serial, title, category,
                    region_code, source, source_detail, reporter_name, reporter_contact, reporter_named,
                    is_emergency, emergency_reason, stage, stage_changed_at, opened_by_id, opened_at,
                    idempotency_key, ledger_seq, matter_code, matter_name)
                SELECT md5('o' || %s || '-' || g)::uuid, %s, 'penalty_general', '罚〔2026〕' || g || '号', 2026, g,
                       '超限运输案', 'transport', '220702', 'inspection', '', '', '', false, false, '',
                       'investigation', now() - interval '120 days', %s, now() - interval '120 days', '', 0, '', ''
                FROM generate_series(1, 20) g
                """,
                [pk, pk, user_id],
            )
            cur.execute(
                """
                INSERT INTO cases_casedeadline (case_id, agency_id, "limit", name, source, due_date, due_at)
                SELECT id, agency_id, 'decision', '自立案起作出处罚决定', '行政处罚法 第六十条',
                       (opened_at + interval '90 days')::date, NULL
                FROM cases_case WHERE agency_id = %s
                """,
                [pk],
            )
            cur.execute(
                "UPDATE cases_case SET next_due = (opened_at + interval '90 days')::date WHERE agency_id = %s",
                [pk],
            )
        cur.execute("ANALYZE")
    return {"seconds": round(time.perf_counter() - started, 1), "real_case": str(real.public_id)}


def _measure(client, url: str, rounds: int) -> tuple[dict, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm: templates, the connection, the rules cache
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [c["sql"] for c in captured.captured_queries]
    raw = []
    with connection.cursor() as cur:
        for _ in range(rounds):
            started = time.perf_counter()
            for sql in statements:
                cur.cursor.execute(sql)
                if cur.cursor.description:
                    cur.cursor.fetchall()
            raw.append((time.perf_counter() - started) * 1000)
    return _summary(timings), {**_summary(raw), "statements": len(statements)}


def main() -> None:
    rows = int(os.environ.get("SANXIANG_BENCH_ROWS") or 100_000)
    rounds = int(os.environ.get("SANXIANG_BENCH_ROUNDS") or 30)
    admin_url = os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin_url)
    url = urlunsplit(parts._replace(path="/" + DB_NAME))
    var = tempfile.mkdtemp(prefix="bench-staff-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SANXIANG_VAR_DIR": var,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    reuse = os.environ.get("SANXIANG_BENCH_REUSE") == "1"
    if reuse:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    else:
        _setup_database(admin_url, env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SANXIANG_VAR_DIR", "DEBUG", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.test import Client

    from sanxiang.accounts.models import User

    result: dict = {"rows": rows, "database": "postgresql", "rounds": rounds}
    if reuse:
        from sanxiang.cases.models import Case

        real = Case.objects.filter(serial__lt=100000, agency__cases__serial__gt=100000).order_by("pk").first()
        result["generate"] = {"reused": True, "real_case": str(real.public_id)}
    else:
        result["generate"] = _generate(rows)
    officer, supervisor = Client(), Client()
    officer.force_login(User.objects.get(username="officer"))
    supervisor.force_login(User.objects.get(username="supervisor"))
    list_timings: list[dict] = []
    for term in TERMS:
        page, raw = _measure(
            officer, f"/staff/cases/?scope=all&stage=penalty_general:investigation&q={term}", rounds // 3 or 1
        )
        list_timings.append({"term": term, "page": page, "raw_sql": raw})
    result["case_list"] = {
        "p50_ms": round(statistics.median(t["page"]["p50_ms"] for t in list_timings), 2),
        "p95_ms": max(t["page"]["p95_ms"] for t in list_timings),
        "per_term": list_timings,
    }
    result["case_list_raw_sql"] = {"p95_ms": max(t["raw_sql"]["p95_ms"] for t in list_timings)}
    # the list sorted by 期限 (earliest due first) and each 期限 filter, newest or earliest due first
    due_timings: list[dict] = []
    for query in (
        "sort=due",
        "deadline=overdue",
        "deadline=overdue&sort=due",
        "deadline=near",
        "deadline=near&sort=due",
        "deadline=none&sort=due",
    ):
        page, raw = _measure(officer, f"/staff/cases/?scope=all&{query}", rounds // 3 or 1)
        due_timings.append({"query": query, "page": page, "raw_sql": raw})
    result["case_list_due"] = {
        "p50_ms": round(statistics.median(t["page"]["p50_ms"] for t in due_timings), 2),
        "p95_ms": max(t["page"]["p95_ms"] for t in due_timings),
        "per_query": due_timings,
    }
    result["case_list_due_raw_sql"] = {"p95_ms": max(t["raw_sql"]["p95_ms"] for t in due_timings)}
    case_url = f"/staff/cases/{result['generate']['real_case']}/"
    result["case_page"], result["case_page_raw_sql"] = _measure(officer, case_url, rounds)
    result["supervisor_home"], result["supervisor_home_raw_sql"] = _measure(supervisor, "/staff/", rounds)
    result["target_p95_ms"] = 300
    result["within_target"] = all(
        result[k]["p95_ms"] < 300 for k in ("case_list", "case_list_due", "case_page", "supervisor_home")
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
