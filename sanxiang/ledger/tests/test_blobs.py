"""Blobs: streamed, hashed while streaming, content-addressed, resumable, refused on mismatch."""

from __future__ import annotations

import hashlib
import io
import subprocess
import tracemalloc

import pytest

from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.ledger import blobs
from sanxiang.ledger.models import Blob, Entry, UploadSession
from sanxiang.ledger.storage import get_storage


def _files(settings):
    return sorted(p for p in settings.SANXIANG_BLOB_DIR.rglob("*") if p.is_file())


def test_a_stream_is_stored_under_its_sm3_with_its_sha256(store_bytes, settings):
    data = b"on-site inspection record " * 1000
    blob = store_bytes(data, media_type="text/plain")
    assert blob.sm3 == hashlib.new("sm3", data).hexdigest()
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob.size == len(data)
    assert b"".join(get_storage().read(blob.sm3)) == data
    assert _files(settings) == [get_storage().local_path(blob.sm3)]


def test_identical_content_is_stored_once(store_bytes, settings):
    first, second = store_bytes(b"same"), store_bytes(b"same")
    assert first.sm3 == second.sm3
    assert Blob.objects.count() == 1 and len(_files(settings)) == 1


def test_a_stated_hash_that_does_not_match_is_refused_and_nothing_is_kept(store_bytes, settings):
    with pytest.raises(InvalidInput) as caught:
        store_bytes(b"what arrived", expected_sm3=hashlib.new("sm3", b"what was meant").hexdigest())
    assert caught.value.code == blobs.HASH_MISMATCH
    assert caught.value.errors[0].field == "expected_sm3"
    assert Blob.objects.count() == 0 and _files(settings) == []


def test_an_interrupted_stream_leaves_no_blob_no_entry_and_no_file(db, settings):
    def broken():
        yield b"x" * 100_000
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        blobs.blob_ingest(stream=broken())
    assert Blob.objects.count() == 0 and Entry.objects.count() == 0 and _files(settings) == []


def test_a_large_stream_is_never_held_in_memory(db):
    chunk = b"\x5a" * (1 << 20)

    def forty_mib():
        for _ in range(40):
            yield chunk

    tracemalloc.start()
    blob = blobs.blob_ingest(stream=forty_mib())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert blob.size == 40 << 20
    assert peak < 8 << 20, f"peak {peak} bytes"


def test_a_resumable_upload_continues_where_it_stopped(officer_a, settings):
    data = bytes(range(256)) * 4096  # 1 MiB
    session = blobs.upload_begin(
        actor=officer_a,
        expected_sm3=hashlib.new("sm3", data).hexdigest(),
        expected_size=len(data),
        idempotency_key="k1",
    )
    assert blobs.upload_begin(actor=officer_a, idempotency_key="k1") == session  # a retried begin
    blobs.upload_append(
        actor=officer_a, upload_id=session.public_id, offset=0, data=io.BytesIO(data[:300_000])
    )

    def interrupted():
        yield data[300_000:400_000]
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=300_000, data=interrupted())
    blobs._hasher_cache.clear()  # as if the next request reaches another process
    offset = blobs.upload_offset(UploadSession.objects.get(pk=session.pk))
    assert offset == 400_000
    with pytest.raises(TransitionRefused) as caught:  # a client that lost track is told where to resume
        blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=io.BytesIO(b"x"))
    assert caught.value.code == "offset_mismatch" and "400000" in caught.value.errors[0].message
    assert not get_storage().exists(hashlib.new("sm3", data).hexdigest())  # nothing reachable yet
    blobs.upload_append(
        actor=officer_a, upload_id=session.public_id, offset=offset, data=io.BytesIO(data[offset:])
    )
    blob = blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert blob.size == len(data) and b"".join(get_storage().read(blob.sm3)) == data
    assert blobs.upload_complete(actor=officer_a, upload_id=session.public_id) == blob  # idempotent


def test_a_resumable_upload_with_the_wrong_content_is_refused_and_discarded(officer_a, settings):
    session = blobs.upload_begin(actor=officer_a, expected_sha256=hashlib.sha256(b"expected").hexdigest())
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=[b"tampered"])
    with pytest.raises(InvalidInput):
        blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert UploadSession.objects.get(pk=session.pk).status == "failed"
    assert Blob.objects.count() == 0 and _files(settings) == []


def test_another_user_cannot_touch_my_upload(officer_a, officer_b):
    session = blobs.upload_begin(actor=officer_a)
    with pytest.raises(Exception) as caught:
        blobs.upload_append(actor=officer_b, upload_id=session.public_id, offset=0, data=[b"x"])
    assert caught.value.status == 404


def test_abandoned_uploads_are_purged(officer_a, time_machine, settings):
    time_machine.move_to("2026-03-01T08:00:00+08:00", tick=False)
    session = blobs.upload_begin(actor=officer_a)
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=[b"partial"])
    time_machine.move_to("2026-03-02T09:00:00+08:00", tick=False)
    assert blobs.upload_purge() == 1
    assert _files(settings) == []


def test_video_gets_duration_codecs_and_recording_time_from_ffprobe(store_bytes, tmp_path):
    video = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=64x64:rate=5",
            "-metadata",
            "creation_time=2026-03-02T09:15:00Z",
            "-pix_fmt",
            "yuv420p",
            str(video),
        ],
        check=True,
    )
    blob = store_bytes(video.read_bytes(), media_type="video/mp4")
    assert blob.metadata["duration_seconds"] == pytest.approx(1.0, abs=0.3)
    assert blob.metadata["streams"][0]["codec_type"] == "video"
    assert blob.metadata["streams"][0]["width"] == 64
    assert blob.metadata["recorded_at"].startswith("2026-03-02T09:15:00")
