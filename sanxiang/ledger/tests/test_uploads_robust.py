"""Uploads that used to crash or lose bytes, and the sweep of what crashes leave (issue 10, items 10, 12, 13)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time

import pytest
from django.core.management import call_command
from django.test import Client

from sanxiang.accounts.models import ApiToken
from sanxiang.ledger import blobs, services
from sanxiang.ledger.models import Blob, SweptBlob, UploadSession
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.sweep import blob_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(officer_a) -> Client:
    _, raw = ApiToken.issue(user=officer_a, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _begin(api, body="{}", **headers):
    return api.post("/api/ledger/uploads", body, content_type="application/json", headers=headers)


def _problem(response, status):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# ---------------------------------------------------------------- item 10


def test_issue10_item10_an_idempotency_key_over_the_limit_is_refused_not_truncated(api):
    key = "k" * 101
    body = _problem(_begin(api, **{"Idempotency-Key": key}), 422)
    assert body["errors"][0]["field"] == "Idempotency-Key"
    assert body["errors"][0]["rule"] == "max_length"
    _problem(_begin(api, **{"Idempotency-Key": key}), 422)  # the retry: the same answer, no 500
    assert UploadSession.objects.count() == 0
    first = _begin(api, **{"Idempotency-Key": "k" * 100})
    again = _begin(api, **{"Idempotency-Key": "k" * 100})
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize("size", [2**63, 2**64, 10**30])
def test_issue10_item10_an_expected_size_beyond_64_bits_is_refused(api, size):
    body = _problem(_begin(api, f'{{"expected_size": {size}}}'), 422)
    assert body["errors"][0]["field"] == "expected_size"


def test_issue10_item10_the_first_empty_upload_completes(api):
    empty = hashlib.new("sm3", b"").hexdigest()
    upload = _begin(api, f'{{"expected_size": 0, "expected_sm3": "{empty}"}}').json()
    response = api.post(f"/api/ledger/uploads/{upload['id']}/complete")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["sm3"] == empty and response.json()["size"] == 0
    assert b"".join(get_storage().read(empty)) == b""
    unstated = _begin(api).json()  # nor with nothing stated
    assert api.post(f"/api/ledger/uploads/{unstated['id']}/complete").json()["sm3"] == empty


@pytest.mark.parametrize("body", ["[]", "null", '"x"', "NaN", "1", "[1, 2]"])
def test_issue10_item10_a_body_that_is_not_a_json_object_is_refused(api, body):
    problem = _problem(_begin(api, body), 422)
    assert problem["errors"][0]["field"] == "body"
    assert UploadSession.objects.count() == 0


def test_issue10_item10_a_body_over_the_size_limit_gets_a_problem_document(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = _begin(api, '{"filename": "%s"}' % ("x" * 2048))
    body = _problem(response, 413)
    assert body["code"] == "request_too_large"
    assert "字节" in body["errors"][0]["message"]


# ---------------------------------------------------------------- item 13


def test_issue10_item13_a_premature_complete_is_refused_and_the_upload_stays_resumable(api):
    data = b"body-camera footage " * 5000
    upload = _begin(api, f'{{"expected_size": {len(data)}}}').json()
    url = f"/api/ledger/uploads/{upload['id']}"
    half = len(data) // 2
    api.patch(url, data[:half], content_type="application/octet-stream", headers={"Upload-Offset": "0"})
    refused = _problem(api.post(f"{url}/complete"), 409)
    assert refused["code"] == "upload_incomplete"
    assert str(half) in refused["errors"][0]["message"]
    assert api.get(url).json() == {**api.get(url).json(), "offset": half, "status": "open"}
    resumed = api.patch(
        url, data[half:], content_type="application/octet-stream", headers={"Upload-Offset": str(half)}
    )
    assert resumed.status_code == 200 and resumed.json()["offset"] == len(data)
    done = api.post(f"{url}/complete")
    assert done.status_code == 200 and done.json()["sm3"] == hashlib.new("sm3", data).hexdigest()


def test_issue10_item13_a_premature_complete_in_a_new_process_keeps_the_staged_bytes(officer_a):
    session = blobs.upload_begin(actor=officer_a, expected_size=10)
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=0, data=[b"12345"])
    blobs._hasher_cache.clear()  # as if the next request reached another worker
    with pytest.raises(Exception) as caught:
        blobs.upload_complete(actor=officer_a, upload_id=session.public_id)
    assert caught.value.status == 409
    assert get_storage().staging_size(str(session.public_id)) == 5
    blobs.upload_append(actor=officer_a, upload_id=session.public_id, offset=5, data=[b"67890"])
    assert blobs.upload_complete(actor=officer_a, upload_id=session.public_id).size == 10


# ---------------------------------------------------------------- item 12


def _age(path, hours):
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))


def test_issue10_item12_the_sweep_removes_crash_leftovers_after_the_grace_period(
    officer_a, settings, tmp_path, make_entries
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    storage = get_storage()
    # Given: what three kill -9 runs leave — Django temp files, ingest-* staging, a published file without row
    old_temp = tmp_path / "upload-tmp" / "tmpab12cd.upload.mp4"
    new_temp = tmp_path / "upload-tmp" / "tmpzz99yy.upload"
    unrelated = tmp_path / "upload-tmp" / "notes.txt"
    for p in (old_temp, new_temp, unrelated):
        p.write_bytes(b"x" * 1000)
    storage.staging_append("ingest-" + "a" * 32, 0, [b"partial"])
    storage.staging_append("ingest-" + "b" * 32, 0, [b"in flight"])
    orphan = hashlib.new("sm3", b"published, no row").hexdigest()
    storage.staging_append("ingest-" + "c" * 32, 0, [b"published, no row"])
    storage.publish("ingest-" + "c" * 32, orphan)
    for p in (old_temp, unrelated, storage.staging / ("ingest-" + "a" * 32), storage.local_path(orphan)):
        _age(p, 200)
    resumable = blobs.upload_begin(actor=officer_a)  # open and recent: kept
    blobs.upload_append(actor=officer_a, upload_id=resumable.public_id, offset=0, data=[b"resumable"])
    _age(storage.staging / str(resumable.public_id), 200)

    report = blob_sweep(grace=dt.timedelta(hours=168))

    assert not old_temp.exists() and new_temp.exists() and unrelated.exists()
    assert report.staging == ["ingest-" + "a" * 32]
    assert storage.staging_size("ingest-" + "b" * 32) == len(b"in flight")
    assert storage.staging_size(str(resumable.public_id)) == len(b"resumable")
    assert report.orphan_files == [orphan] and not storage.exists(orphan)
    assert blob_sweep(grace=dt.timedelta(hours=168)).as_dict() == dict.fromkeys(report.as_dict(), 0)


def test_issue10_item12_never_named_blobs_go_after_the_grace_period_named_ones_never(officer_a, time_machine):
    time_machine.move_to("2026-03-01T08:00:00+08:00", tick=False)
    named = blobs.blob_ingest(stream=[b"named by an entry"], actor=officer_a)
    unnamed = blobs.blob_ingest(stream=[b"uploaded and never used"], actor=officer_a)
    services.record(
        kind="test.recorded", subject=("test.case", "C1"), actor=officer_a, payload={}, blobs=[named]
    )
    time_machine.move_to("2026-03-05T08:00:00+08:00", tick=False)
    assert blob_sweep(grace=dt.timedelta(days=7)).unreferenced_blobs == []  # within the grace period
    time_machine.move_to("2026-03-09T08:00:00+08:00", tick=False)
    report = blob_sweep(grace=dt.timedelta(days=7))
    assert report.unreferenced_blobs == [unnamed.sm3]
    storage = get_storage()
    assert storage.exists(named.sm3) and not storage.exists(unnamed.sm3)
    assert SweptBlob.objects.filter(blob=unnamed).exists()
    # a swept blob is neither visible nor nameable any more, and answers like one that never existed
    from sanxiang.ledger.blobs import referable
    from sanxiang.ledger.selectors import visible_blobs

    assert referable(officer_a, [unnamed.sm3]) == set()
    assert not visible_blobs(officer_a).filter(sm3=unnamed.sm3).exists()
    # storing the same content again brings it back
    again = blobs.blob_ingest(stream=[b"uploaded and never used"], actor=officer_a)
    assert again.sm3 == unnamed.sm3 and storage.exists(unnamed.sm3)
    assert not SweptBlob.objects.filter(blob=unnamed).exists()
    assert referable(officer_a, [unnamed.sm3]) == {unnamed.sm3}
    assert Blob.objects.count() == 2


def test_issue10_item12_the_sweep_command_is_idempotent(officer_a, capsys):
    blobs.blob_ingest(stream=[b"fresh"], actor=officer_a)
    call_command("blobs", "sweep")
    call_command("blobs", "sweep", "--grace-hours", "0")
    call_command("blobs", "sweep", "--grace-hours", "0")
    lines = capsys.readouterr().out.strip().splitlines()
    assert '"unreferenced_blobs": 0' in lines[0]
    assert '"unreferenced_blobs": 1' in lines[1]
    assert '"unreferenced_blobs": 0' in lines[2]
