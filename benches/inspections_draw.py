"""Benchmark ``inspections_draw``: a 双随机 draw over N market entities (default 1,000,000) in 4 credit
classes, 2 inspectors per object out of N/10 officers (default 100,000), on PostgreSQL.

A fresh database ``bench_inspections`` is created, migrated and filled in a subprocess with
``DATABASE_URL`` pointing at it (entities, their classes and the officers by ``COPY``; the agency,
catalogue item, plan and batch through the services). Measured, in the same run:

- ``select_snapshot``: the ``SELECT`` that reads the 检查对象名录库 (each entity with its latest credit
  class) and the 执法检查人员名录库 — the baseline the draw is compared with;
- ``announce``: ``draw_announce`` — both directories frozen into sorted snapshots (pseudonymous
  tokens, strata), SM3-hashed, stored as blobs and recorded in the ledger with the commitment;
- ``draw``: ``draw_perform`` — snapshots read back, the pure selection (``drawalgo.select``), the
  drawn targets written and the outcome recorded in the ledger (target: under 2 s);
- ``draw_algorithm``: ``drawalgo.select`` alone on the loaded snapshot;
- ``verify_offline``: ``python -m sanxiang.inspections.drawalgo draw.json`` in a fresh interpreter on
  the published document, from process start to verdict (target: under 5 s).

Ratios: A 1 %, B 2 %, C 3 %, D 5 % (about 27,500 drawn objects at 1,000,000).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 1_000_000
POSTGRES_DATABASE = "bench_inspections"
COUNTIES = ("220702", "220721", "220722", "220723", "220781")
RATIOS = {"A": "1", "B": "2", "C": "3", "D": "5"}
SEED = 20150729  # 国办发〔2015〕58号


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("inspections_draw")
    group.add_argument(
        "--inspections-postgres-url",
        default=os.environ.get("SANXIANG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help=f"server on which a fresh database {POSTGRES_DATABASE} is created and dropped",
    )


def _copy(cursor: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
    """``COPY … FROM STDIN`` (PostgreSQL only: the benchmark measures PostgreSQL)."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def populate(*, objects: int, officers: int) -> dict[str, Any]:
    """The directories (COPY) and, through the services, the agency, item, plan and batch."""
    from django.db import connection, transaction

    from sanxiang.accounts.models import User
    from sanxiang.accounts.roles import Role
    from sanxiang.catalog import services as catalog
    from sanxiang.catalog.models import ListKind
    from sanxiang.inspections import services
    from sanxiang.registry.models import Agency, MarketEntity
    from sanxiang.registry.validators import compose_credit_code
    from sanxiang.workdays.services import seed_from_chinesecalendar

    rng = random.Random(SEED)
    seed_from_chinesecalendar(years=[dt.date.today().year, dt.date.today().year + 1])
    justice = Agency.objects.create(
        name="基准测试司法局",
        credit_code=compose_credit_code(department="1", kind="1", region="220700", serial=1),
        head_name="甲",
        address="某地",
        phone="1",
        supervision_phone="1",
        categories=["supervision"],
        region_code="220700",
        qualification_basis="基准",
        legal_office_name="法制科",
        is_supervisory=True,
    )
    agency = Agency.objects.create(
        name="基准测试市场监督管理局",
        credit_code=compose_credit_code(department="1", kind="1", region="220700", serial=2),
        head_name="乙",
        address="某地",
        phone="1",
        supervision_phone="1",
        categories=["market"],
        region_code="220700",
        qualification_basis="基准",
        legal_office_name="法制科",
        supervisor=justice,
    )
    from django.contrib.auth.models import Group

    head = User.objects.create(username="bench_head", agency=agency, display_name="负责人")
    head.groups.set([Group.objects.get_or_create(name=str(Role.HEAD))[0]])
    today = dt.date.today()
    t0 = time.perf_counter()
    with connection.cursor() as cursor, transaction.atomic():
        raw = cursor
        now = dt.datetime.now(dt.UTC)
        entity_rows = []
        for i in range(objects):
            region = COUNTIES[i % len(COUNTIES)]
            code = compose_credit_code(
                department="9", kind="2" if i % 3 else "1", region=region, serial=10_000 + i
            )
            kind = "individual_business" if i % 3 else "enterprise"
            entity_rows.append(
                (code, f"基准测试市场主体{i}", kind, "某某", region, "", "", None, "operating", now)
            )
        _copy(
            raw,
            "registry_marketentity",
            [
                "credit_code",
                "name",
                "kind",
                "legal_representative",
                "region_code",
                "address",
                "industry",
                "established_on",
                "status",
                "imported_at",
            ],
            entity_rows,
        )
        del entity_rows
        ids = list(MarketEntity.objects.order_by("pk").values_list("pk", flat=True))
        classified = today - dt.timedelta(days=30)
        class_rows = [
            (pk, rng.choices("ABCD", weights=[30, 45, 20, 5])[0], classified, "月度分类", now) for pk in ids
        ]
        _copy(
            raw,
            "inspections_creditclass",
            ["entity_id", "risk_class", "classified_on", "basis", "created_at"],
            class_rows,
        )
        del class_rows
        officer_rows = []
        for i in range(officers):
            region = "220700" if i % 10 == 0 else COUNTIES[i % len(COUNTIES)]
            status = "suspended" if i % 97 == 0 else "active"
            until = today - dt.timedelta(days=1) if i % 53 == 0 else today + dt.timedelta(days=900)
            officer_rows.append(
                (
                    str(uuid.uuid4()),
                    agency.pk,
                    f"检查员{i}",
                    "执法队员",
                    "",
                    f"B{i:09d}",
                    json.dumps(["market"]),
                    region,
                    "松原市人民政府",
                    today - dt.timedelta(days=900),
                    until,
                    status,
                    now,
                    now,
                )
            )
        _copy(
            raw,
            "registry_officer",
            [
                "public_id",
                "agency_id",
                "name",
                "post",
                "photo",
                "credential_number",
                "credential_categories",
                "credential_region",
                "issuing_authority",
                "valid_from",
                "valid_until",
                "status",
                "created_at",
                "updated_at",
            ],
            officer_rows,
        )
        del officer_rows
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE registry_marketentity; ANALYZE inspections_creditclass; ANALYZE registry_officer"
        )
    fill_seconds = time.perf_counter() - t0
    item = catalog.entry_publish(
        actor=head,
        kind=ListKind.SPOT_CHECKS,
        agency=agency,
        data={
            "code": "BENCH-001",
            "name": "食品经营者监督检查",
            "subject": agency.name,
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百一十条",
            "target": "辖区食品经营者",
            "content": "经营许可",
            "method": "双随机抽查",
            "ratio": "5",
            "frequency": "每年一次",
        },
        effective_from=dt.date(today.year, 1, 1),
        reason="基准测试",
    ).entry
    services.profile_set(
        actor=head,
        item=item,
        level="general",
        object_kinds=["enterprise", "individual_business"],
        category="market",
        region_code="220700",
    )
    plan = services.plan_create(
        actor=head,
        year=today.year,
        title="基准测试抽查计划",
        scope="全市",
        batches=[
            services.BatchInput(
                "第一批", item, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), RATIOS
            )
        ],
    )
    services.plan_file(actor=head, plan=plan)
    return {"head": head, "batch": plan.batches.get(), "fill_seconds": round(fill_seconds, 2)}


def measure(*, objects: int, officers: int, workdir: Path) -> dict[str, Any]:
    """Fill the connected database and measure; the test suite runs this with a few hundred rows."""
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from sanxiang.inspections import drawalgo, selectors, services
    from sanxiang.inspections.models import CreditClass
    from sanxiang.registry.models import MarketEntity, Officer

    setup = populate(objects=objects, officers=officers)
    head, batch = setup["head"], setup["batch"]
    today = timezone.localdate()
    result: dict[str, Any] = {
        "objects": objects,
        "officers": officers,
        "fill_seconds": setup["fill_seconds"],
        "ratios": RATIOS,
        "per_object": 2,
    }

    t0 = time.perf_counter()
    latest = CreditClass.objects.filter(entity=OuterRef("pk"), classified_on__lte=today).order_by(
        "-classified_on", "-id"
    )
    rows = MarketEntity.objects.filter(status="operating").annotate(
        cls=Subquery(latest.values("risk_class")[:1])
    )
    n = sum(1 for _ in rows.values_list("pk", "credit_code", "region_code", "cls").iterator(chunk_size=20000))
    m = sum(
        1
        for _ in Officer.objects.values_list(
            "credential_number",
            "credential_categories",
            "credential_region",
            "valid_from",
            "valid_until",
            "status",
        ).iterator(chunk_size=20000)
    )
    result["select_snapshot_seconds"] = round(time.perf_counter() - t0, 3)
    assert n == objects and m == officers

    t0 = time.perf_counter()
    draw = services.draw_announce(
        actor=head,
        batch=batch,
        inspection_date=today,
        randomness_source="中国福利彩票双色球某期开奖号码",
        randomness_expected_on=today,
    )
    result["announce_seconds"] = round(time.perf_counter() - t0, 3)

    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    with (
        _timed(phases, services, "read_lines", "read_internal", "_targets_create"),
        _timed(phases, drawalgo, "select", "parse_officers"),
    ):
        services.draw_perform(actor=head, draw=draw, randomness="03 07 12 19 25 31 + 09")
    result["draw_seconds"] = round(time.perf_counter() - t0, 3)
    # where the draw's time goes: snapshots read back, officers parsed, the selection, the internal
    # map of the drawn objects, the COPY of the targets (the rest: ledger entry, outcome row, commit)
    result["draw_phases_seconds"] = {k: round(v, 3) for k, v in phases.items()}
    draw.refresh_from_db()
    result["drawn_objects"] = draw.targets.count()

    object_lines = services.read_lines(draw.objects_blob)
    officer_list = drawalgo.parse_officers(services.read_lines(draw.officers_blob))
    key = drawalgo.draw_key(
        seed=bytes.fromhex(draw.secret),
        randomness="03 07 12 19 25 31 + 09",
        parameters_sm3=draw.parameters_sm3,
        objects_sm3=draw.objects_sm3,
        officers_sm3=draw.officers_sm3,
    )
    t0 = time.perf_counter()
    with drawalgo.gc_paused():  # as draw_perform and the verifier run it
        again = drawalgo.select(
            key=key,
            parameters=drawalgo.parse_parameters(draw.parameters),
            objects=object_lines,
            officers=officer_list,
        )
    result["draw_algorithm_seconds"] = round(time.perf_counter() - t0, 3)
    assert again.as_json() == draw.outcome.selection

    t0 = time.perf_counter()
    document = selectors.draw_document(draw)
    result["document_seconds"] = round(time.perf_counter() - t0, 3)
    path = workdir / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    del document
    result["draw_json_bytes"] = path.stat().st_size
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "sanxiang.inspections.drawalgo", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    result["verify_offline_seconds"] = round(time.perf_counter() - t0, 3)
    result["verify_offline_agrees"] = proc.returncode == 0
    result["draw_vs_select_ratio"] = round(
        result["draw_seconds"] / max(result["select_snapshot_seconds"], 1e-9), 3
    )
    result["targets"] = {"draw_seconds": 2.0, "verify_offline_seconds": 5.0}
    return result


@contextlib.contextmanager
def _timed(phases: dict[str, float], module: Any, *names: str) -> Iterator[None]:
    """Time calls of ``module.<name>`` (the module's own calls look the name up at call time)."""
    originals = {name: getattr(module, name) for name in names}

    def wrap(name: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0

        return timed

    for name, function in originals.items():
        setattr(module, name, wrap(name, function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def _setup_django(var_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    os.environ.setdefault("SANXIANG_VAR_DIR", str(var_dir))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def run(args: argparse.Namespace) -> dict[str, Any]:
    import psycopg

    rows = getattr(args, "rows", None) or DEFAULT_ROWS
    url = getattr(args, "inspections_postgres_url", "postgres://postgres@127.0.0.1:5432/postgres")
    admin = psycopg.connect(url, autocommit=True)
    bench_url = url.rsplit("/", 1)[0] + f"/{POSTGRES_DATABASE}"
    workdir = Path(tempfile.mkdtemp(prefix="bench_inspections_"))
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")
        env = {**os.environ, "DATABASE_URL": bench_url, "SANXIANG_VAR_DIR": str(workdir / "var")}
        env.pop("SANXIANG_PRODUCTION", None)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "benches.inspections_draw",
                "--rows",
                str(rows),
                "--workdir",
                str(workdir),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed:\n{proc.stderr[-4000:]}")
        return {"postgres": json.loads(proc.stdout)}
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _worker_main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    args = parser.parse_args()
    _setup_django(args.workdir / "var")
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = round(time.perf_counter() - t0, 2)
    result = measure(objects=args.rows, officers=max(args.rows // 10, 20), workdir=args.workdir)
    result["migrate_seconds"] = migrate_seconds
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    _worker_main()
