"""Benchmark blob ingest: a 1 GiB file stored through ``blob_ingest`` (streamed, SM3 + SHA-256 while
streaming, staged, fsynced, published) beside ``openssl dgst -sm3`` of the same file in the same run.

Also reported: SM3 alone through ``hashlib`` (the same OpenSSL code, read in 1 MiB chunks), and the
ingest's peak resident memory (``ru_maxrss`` of the process doing the ingest, Django included).
The file is written fresh (incompressible bytes); caches are warm for every reader alike, since each
reads the file right after the previous one. Three interleaved rounds, best of each (the machine is
shared; load hits every contender alike). ``--rows`` (``SANXIANG_BENCH_ROWS``) is the size in MiB.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MIB = 1024
ROUNDS = 3


def _write(path: Path, mib: int) -> None:
    block = os.urandom(1 << 20)
    with open(path, "wb") as out:
        for i in range(mib):
            out.write(i.to_bytes(8, "big") + block[8:])


def _ingest_child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    from sanxiang.ledger.blobs import blob_ingest

    path = Path(os.environ["SANXIANG_BENCH_FILE"])
    t0 = time.perf_counter()
    with open(path, "rb") as stream:
        blob = blob_ingest(stream=stream, media_type="application/octet-stream")
    seconds = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "sm3": blob.sm3, "peak_rss_mib": round(peak_mib, 1)}))


def _openssl(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(
        ["openssl", "dgst", "-sm3", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return time.perf_counter() - t0, out.strip().rsplit(" ", 1)[-1]


def _hashlib(path: Path) -> tuple[float, str]:
    t0 = time.perf_counter()
    h = hashlib.new("sm3")
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return time.perf_counter() - t0, h.hexdigest()


def _ingest(path: Path, var: Path, template: Path, round_no: int) -> dict:
    """Ingest into a fresh store and database (copied from a migrated template), in a subprocess."""
    database = var / f"round-{round_no}.sqlite3"
    shutil.copyfile(template, database)
    env = {**os.environ, "SANXIANG_VAR_DIR": str(var), "SANXIANG_BLOB_DIR": str(var / f"blobs-{round_no}"),
           "DATABASE_URL": f"sqlite:///{database}", "SANXIANG_BENCH_FILE": str(path)}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", "import benches.ledger_ingest as m; m._ingest_child()"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    shutil.rmtree(var / f"blobs-{round_no}", ignore_errors=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    mib = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_MIB)
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        path = var / "recording.bin"
        _write(path, mib)
        size_mb = path.stat().st_size / 1e6
        template = var / "template.sqlite3"
        env = {**os.environ, "SANXIANG_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{template}"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        # Interleaved rounds, best of each: other load on the machine hits every contender alike.
        openssl_runs, hashlib_runs, ingest_runs = [], [], []
        for round_no in range(ROUNDS):
            openssl_runs.append(_openssl(path))
            hashlib_runs.append(_hashlib(path))
            ingest_runs.append(_ingest(path, var, template, round_no))
    digests = {d for _, d in openssl_runs} | {d for _, d in hashlib_runs} | {r["sm3"] for r in ingest_runs}
    assert len(digests) == 1, digests
    openssl_s = min(t for t, _ in openssl_runs)
    hashlib_s = min(t for t, _ in hashlib_runs)
    ingest_s = min(r["seconds"] for r in ingest_runs)
    print(
        json.dumps(
            {
                "file_mib": mib,
                "rounds": ROUNDS,
                "openssl_dgst_sm3_mb_per_s": round(size_mb / openssl_s, 1),
                "hashlib_sm3_mb_per_s": round(size_mb / hashlib_s, 1),
                "ingest_mb_per_s": round(size_mb / ingest_s, 1),
                "ingest_vs_openssl": round(openssl_s / ingest_s, 3),
                "hashlib_sm3_vs_openssl": round(openssl_s / hashlib_s, 3),
                "ingest_vs_openssl_each_round": [
                    round(o / r["seconds"], 3) for (o, _), r in zip(openssl_runs, ingest_runs, strict=True)
                ],
                "ingest_peak_rss_mib": max(r["peak_rss_mib"] for r in ingest_runs),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "ingest_does": "SM3 + SHA-256 + write + fsync + atomic publish + Blob row",
            }
        )
    )


if __name__ == "__main__":
    main()
