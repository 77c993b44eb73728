"""Benchmark runner: ``python -m benches.run [names...] [--rows N] [--save] [--list]``.

Every module in ``benches/`` (except this one and names starting with ``_``) is a benchmark if it
exposes either

- ``run(args) -> dict``: called in this process with the parsed arguments (``args.rows`` is the
  ``--rows`` value or None for the benchmark's default); the dict goes into the output; or
- ``main()``: run in a subprocess (``python -c 'import benches.<name> as m; m.main()'``) that
  prints one JSON document on stdout; ``--rows`` reaches it as ``SANXIANG_BENCH_ROWS``.

A module may also expose ``add_arguments(parser)`` to add its own options (argparse).

A name on the command line selects the module of that name, or every module starting with it
(``ledger`` selects ``ledger_append`` and ``ledger_proofs``). No names: all benchmarks.
The runner prints one JSON document; ``--save`` also writes one file per benchmark to
``benches/results/<name>-<YYYY-MM-DD>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import benches

RESULTS_DIR = Path(__file__).resolve().parent / "results"
_NOT_BENCHMARKS = {"run"}


def discover() -> dict[str, str]:
    """Benchmark name -> how it is run ("run" or "main"), for every module in benches/."""
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(benches.__path__):
        if info.name.startswith("_") or info.name in _NOT_BENCHMARKS or info.ispkg:
            continue
        module = _load(info.name)
        if callable(getattr(module, "run", None)):
            found[info.name] = "run"
        elif callable(getattr(module, "main", None)):
            found[info.name] = "main"
    return found


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"benches.{name}")


def select(available: dict[str, str], names: list[str]) -> list[str]:
    if not names:
        return sorted(available)
    chosen: list[str] = []
    for name in names:
        matches = [n for n in sorted(available) if n == name] or [
            n for n in sorted(available) if n.startswith(name)
        ]
        if not matches:
            raise SystemExit(
                f"unknown benchmark {name!r}; available: {', '.join(sorted(available)) or 'none'}"
            )
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "sqlite": sqlite3.sqlite_version,
    }
    with contextlib.suppress(OSError):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    return info


def _run_main(name: str, rows: int | None) -> Any:
    env = dict(os.environ)
    if rows is not None:
        env["SANXIANG_BENCH_ROWS"] = str(rows)
    proc = subprocess.run(
        [sys.executable, "-c", f"import benches.{name} as m; m.main()"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": f"exit status {proc.returncode}", "stderr": proc.stderr[-4000:]}
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"output": proc.stdout}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benches.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--rows", type=int, help="input size, for benchmarks that take one")
    parser.add_argument("--save", action="store_true", help="write results to benches/results/")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    available = discover()
    for name in sorted(available):  # benchmark-specific options
        hook = getattr(_load(name), "add_arguments", None)
        if callable(hook):
            hook(parser)
    args = parser.parse_args(argv)
    if args.list:
        for name, kind in sorted(available.items()):
            print(f"{name}\t{kind}()")
        return 0
    chosen = select(available, args.names)

    started = dt.datetime.now(dt.UTC)
    document: dict[str, Any] = {
        "started_at": started.isoformat(timespec="seconds"),
        "argv": sys.argv[1:] if argv is None else argv,
        "machine": machine_info(),
        "benchmarks": {},
    }
    failed = False
    for name in chosen:
        t0 = time.perf_counter()
        print(f"== {name}", file=sys.stderr)
        if available[name] == "run":
            try:
                result = _load(name).run(args)
            except Exception as exc:
                result, failed = {"error": f"{type(exc).__name__}: {exc}"}, True
        else:
            result = _run_main(name, args.rows)
            failed = failed or (isinstance(result, dict) and "error" in result)
        document["benchmarks"][name] = {"seconds": round(time.perf_counter() - t0, 2), "result": result}
        if args.save:
            RESULTS_DIR.mkdir(exist_ok=True)
            path = RESULTS_DIR / f"{name}-{started:%Y-%m-%d}.json"
            single = {**document, "benchmarks": {name: document["benchmarks"][name]}}
            path.write_text(json.dumps(single, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"saved {path}", file=sys.stderr)
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
