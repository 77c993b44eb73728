"""Every blob behaviour, run twice: against the local directory and against a real S3-compatible server
(SeaweedFS, started on loopback by the ``s3_server`` fixture) — issue 17, item 1."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.ledger import blobs, storage_s3
from sanxiang.ledger.models import Blob
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.sweep import blob_sweep

pytestmark = pytest.mark.django_db

MiB = 1 << 20


@pytest.fixture
def small_parts(monkeypatch):
    """5 MiB parts (the S3 minimum), so that a few MiB exercise several parts and a tail."""
    monkeypatch.setattr(storage_s3, "PART", 5 * MiB)


def _data(size: int) -> bytes:
    return (hashlib.sha256(str(size).encode()).digest() * (size // 32 + 1))[:size]


def test_a_stream_is_stored_under_its_sm3_and_read_back(blob_store, small_parts):
    data = _data(12 * MiB + 123)
    blob = blobs.blob_ingest(stream=iter([data[i : i + MiB] for i in range(0, len(data), MiB)]))
    assert blob.sm3 == hashlib.new("sm3", data).hexdigest() and blob.size == len(data)
    storage = get_storage()
    assert storage.exists(blob.sm3)
    assert b"".join(storage.read(blob.sm3)) == data


def test_identical_content_is_stored_once(blob_store):
    first = blobs.blob_ingest(stream=[b"same content"])
    second = blobs.blob_ingest(stream=[b"same content"])
    assert first.sm3 == second.sm3 and Blob.objects.count() == 1
    assert [a for a, _ in get_storage().addresses()] == [first.sm3]


def test_a_mismatch_keeps_nothing_reachable(blob_store):
    with pytest.raises(InvalidInput):
        blobs.blob_ingest(stream=[b"arrived"], expected_sm3=hashlib.new("sm3", b"meant").hexdigest())
    storage = get_storage()
    assert Blob.objects.count() == 0
    assert list(storage.addresses()) == [] and list(storage.staging_entries()) == []


def test_a_resumable_upload_in_odd_sized_requests_across_parts(blob_store, small_parts, officer_a):
    data = _data(11 * MiB + 7)
    cuts = [0, 3, 2 * MiB + 1, 5 * MiB, 5 * MiB + 1, 10 * MiB + 5, len(data)]
    session = blobs.upload_begin(
        actor=officer_a, expected_size=len(data), expected_sha256=hashlib.sha256(data).hexdigest()
    )
    for start, end in itertools.pairwise(cuts):
        blobs.upload_append(
            actor=officer_a, upload_id=session.public_id, offset=start, data=[data[start:end]]
        )
        assert blobs.upload_offset(blobs.upload_for(officer_a, session.public_id)) == end
    blob = blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert blob.sm3 == hashlib.new("sm3", data).hexdigest()
    assert b"".join(get_storage().read(blob.sm3)) == data
    assert list(get_storage().staging_entries()) == []


def test_a_resumed_upload_in_another_process_is_hashed_from_the_stored_bytes(
    blob_store, small_parts, officer_a
):
    data = _data(6 * MiB)
    session = blobs.upload_begin(actor=officer_a, expected_size=len(data))
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=[data[: 4 * MiB]])
    blobs._hasher_cache.clear()  # the next request reaches another worker
    with pytest.raises(TransitionRefused):  # premature: refused, nothing lost
        blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=4 * MiB, data=[data[4 * MiB :]])
    blobs._hasher_cache.clear()
    blob = blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert (
        blob.sm3 == hashlib.new("sm3", data).hexdigest() and blob.sha256 == hashlib.sha256(data).hexdigest()
    )


def test_a_wrong_offset_is_refused_with_the_offset_to_resume_from(blob_store, officer_a):
    session = blobs.upload_begin(actor=officer_a)
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=[b"abc"])
    with pytest.raises(TransitionRefused) as caught:
        blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=1, data=[b"x"])
    assert "3" in caught.value.errors[0].message


def test_an_empty_upload_completes(blob_store, officer_a):
    session = blobs.upload_begin(actor=officer_a, expected_size=0)
    blob = blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert blob.size == 0 and b"".join(get_storage().read(blob.sm3)) == b""


def test_the_sweep_removes_never_named_blobs_and_dead_staging(blob_store, officer_a):
    unnamed = blobs.blob_ingest(stream=[b"never named"], actor=officer_a)
    get_storage().staging_append("ingest-" + "d" * 32, 0, [b"died"])
    time.sleep(1.1)  # object stores keep modification times in whole seconds
    report = blob_sweep(grace=dt.timedelta(seconds=0))
    assert report.unreferenced_blobs == [unnamed.sm3] and "ingest-" + "d" * 32 in report.staging
    assert not get_storage().exists(unnamed.sm3) and list(get_storage().staging_entries()) == []


def test_s3_playback_is_a_presigned_url_that_serves_ranges(s3_store):
    data = _data(3 * MiB)
    blob = blobs.blob_ingest(stream=[data], media_type="video/mp4")
    url = get_storage().presigned_url(blob.sm3, media_type="video/mp4")
    assert url and url.startswith(s3_store.endpoint)
    request = urllib.request.Request(url, headers={"Range": "bytes=1000-1999"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the loopback test server
        assert response.status == 206
        assert response.read() == data[1000:2000]


def test_s3_download_endpoint_redirects_to_the_presigned_url_after_logging_the_access(
    s3_store, officer_a, client_for
):
    blob = blobs.blob_ingest(stream=[b"evidence"], media_type="application/pdf", actor=officer_a)
    response = client_for(officer_a).get(f"/api/ledger/blobs/{blob.sm3}/content", {"purpose": "调阅"})
    assert response.status_code == 302
    from sanxiang.ledger.models import Entry

    assert Entry.objects.filter(kind="ledger.accessed", subject_id=blob.sm3).count() == 1
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:  # noqa: S310
        assert fetched.read() == b"evidence"


def test_blobs_migrate_moves_every_blob_to_s3_verifying_each_hash(s3_store, settings, capsys):
    from sanxiang.ledger.storage import storage_named

    settings.SANXIANG_BLOB_STORE = "local"
    stored = [blobs.blob_ingest(stream=[_data(n)]) for n in (0, 10, 70_000)]
    call_command("blobs", "migrate", "--to", "s3")
    s3 = storage_named("s3")
    for blob in stored:
        assert hashlib.new("sm3", b"".join(s3.read(blob.sm3))).hexdigest() == blob.sm3
    out = capsys.readouterr().out
    assert "3 copied" in out and "3 verified" in out
    call_command("blobs", "migrate", "--to", "s3")  # idempotent: present and verified, nothing copied
    assert "0 copied, 3 already there, 3 verified" in capsys.readouterr().out
    # a corrupted copy in the target is found and named
    s3.client.put_object(Bucket=s3.bucket, Key=s3.key(stored[2].sm3), Body=b"tampered")  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match=stored[2].sm3):
        call_command("blobs", "migrate", "--to", "s3")
