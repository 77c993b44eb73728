"""Tiny runs of the ledger and blob benchmarks (benches/ledger_*.py, benches/blob_s3_upload.py), so that they cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_the_append_benchmark_measures_appends_beside_raw_inserts_proofs_and_verification(db):
    from benches import ledger_append
    from benches.run import discover

    assert discover()["ledger_append"] == "main"
    result = ledger_append.measure(400)
    for key in (
        "raw_insert_rows_per_s",
        "append_single_per_s",
        "append_batched_per_s",
        "verify_entries_per_s",
    ):
        assert result[key] > 0
    assert result["inclusion_proof_ms"]["tree_size"] == 400
    assert result["inclusion_proof_ms"]["p95"] >= result["inclusion_proof_ms"]["p50"] > 0


def test_the_ingest_benchmark_compares_with_openssl_on_the_same_file():
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", "import benches.ledger_ingest as m; m.main()"],
        cwd=root, env={**os.environ, "SANXIANG_BENCH_ROWS": "4"}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    assert (
        result["file_mib"] == 4 and result["openssl_dgst_sm3_mb_per_s"] > 0 and result["ingest_mb_per_s"] > 0
    )
    assert result["ingest_peak_rss_mib"] < 200


def test_the_s3_upload_benchmark_compares_with_the_servers_own_uploads():
    if os.environ.get("SANXIANG_TEST_S3") == "off":
        import pytest

        pytest.skip("S3 tests DISABLED by SANXIANG_TEST_S3=off")
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [sys.executable, "-c", "import benches.blob_s3_upload as m; m.main()"],
        cwd=root, env={**os.environ, "SANXIANG_BENCH_ROWS": "20"}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = json.loads(out.strip().splitlines()[-1])
    assert result["file_mib"] == 20
    assert result["ingest_to_s3_mb_per_s"] > 0 and result["boto3_upload_file_mb_per_s"] > 0
    assert result["ingest_peak_rss_mib"] < 200


def test_the_proof_benchmark_proves_from_tiles_alone_and_every_proof_verifies():
    # proofs at any size come from tiles (C2SP tlog-tiles); the synthetic tree's tiles must be a real tree
    from benches import ledger_proofs
    from benches.run import discover
    from sanxiang.ledger import merkle, tiles

    assert discover()["ledger_proofs"] == "run"
    tree = ledger_proofs.SyntheticTree(70_000)
    leaves = [merkle.leaf_hash(merkle.sm3, f"entry {i % 65536}".encode()) for i in range(70_000)]
    assert (
        tree.root(70_000)
        == merkle.MemoryTree(merkle.sm3, (f"entry {i % 65536}".encode() for i in range(70_000))).root()
    )
    assert tiles.TiledTree(tree.read, 70_000, tree.root(70_000)).leaf(65_537) == leaves[65_537]
    result = ledger_proofs.measure(70_000, samples=6)
    assert result["proofs_verified"] == 9 and result["tree_size"] == 70_000
