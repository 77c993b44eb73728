"""The ledger API: public checkpoints and proofs, scoped entries and blobs, resumable uploads,
copy requests; errors as problem+json."""

from __future__ import annotations

import hashlib
import json

import pytest

from sanxiang.accounts.models import ApiToken
from sanxiang.ledger import merkle, services
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verifier import sm2_verify


@pytest.fixture
def api_as():
    from django.test import Client

    def make(user):
        _, raw = ApiToken.issue(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


@pytest.fixture
def published(make_entries, officer_a):
    make_entries(5, actor=officer_a)
    first = services.checkpoint_create()
    make_entries(6, actor=officer_a)
    second = services.checkpoint_create()
    return first, second


def test_anyone_can_keep_the_checkpoints_and_check_their_signatures(published, anonymous):
    listing = anonymous.get("/api/ledger/checkpoints").json()
    assert listing["count"] == 2 and [c["size"] for c in listing["items"]] == [11, 5]
    latest = anonymous.get("/api/ledger/checkpoints/latest").json()
    key = anonymous.get("/api/ledger/keys").json()["items"][0]
    sm2_verify(key["public_key"], latest["body"].encode(), latest["signature"])
    assert anonymous.get("/api/ledger/checkpoints/5").json()["root"] == published[0].root


def test_anyone_can_get_inclusion_and_consistency_proofs(published, anonymous):
    first, second = published
    body = anonymous.get("/api/ledger/proofs/inclusion", {"seq": 3, "size": 5}).json()
    merkle.verify_inclusion(
        merkle.sm3,
        3,
        5,
        bytes.fromhex(body["leaf_hash"]),
        [bytes.fromhex(p) for p in body["proof"]],
        bytes.fromhex(first.root),
    )
    body = anonymous.get("/api/ledger/proofs/consistency", {"first": 5, "second": 11}).json()
    merkle.verify_consistency(
        merkle.sm3,
        5,
        11,
        [bytes.fromhex(p) for p in body["proof"]],
        bytes.fromhex(first.root),
        bytes.fromhex(second.root),
    )


def test_a_proof_for_an_unknown_checkpoint_is_a_problem_document(published, anonymous):
    response = anonymous.get("/api/ledger/proofs/inclusion", {"seq": 3, "size": 4})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    response = anonymous.get("/api/ledger/proofs/inclusion", {"seq": 7, "size": 5})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "seq"


def test_entries_are_listed_within_the_agency_and_viewing_one_is_recorded(
    published, api_as, officer_a, officer_b
):
    mine = api_as(officer_a).get("/api/ledger/entries").json()
    assert mine["count"] == 11 and "body" not in mine["items"][0]
    assert api_as(officer_b).get("/api/ledger/entries").json()["count"] == 0  # B cannot see A's
    assert api_as(officer_b).get("/api/ledger/entries/3", {"purpose": "x"}).status_code == 404
    missing_purpose = api_as(officer_a).get("/api/ledger/entries/3")
    assert missing_purpose.status_code == 422
    viewed = api_as(officer_a).get("/api/ledger/entries/3", {"purpose": "案卷评查"}).json()
    assert json.loads(viewed["body"])["seq"] == 3
    assert Entry.objects.filter(kind="ledger.accessed", subject_id="3").count() == 1


def test_an_upload_in_chunks_resumes_and_is_downloaded_with_an_access_record(db, api_as, officer_a):
    data = b"body-camera footage " * 5000
    client = api_as(officer_a)
    begun = client.post(
        "/api/ledger/uploads",
        {"expected_sm3": hashlib.new("sm3", data).hexdigest(), "media_type": "application/octet-stream"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="upload-1",
    )
    assert begun.status_code == 201
    upload = begun.json()["id"]
    retried = client.post(
        "/api/ledger/uploads", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="upload-1"
    )
    assert retried.json()["id"] == upload
    url = f"/api/ledger/uploads/{upload}"
    assert (
        client.patch(
            url, data[:40000], content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0"
        ).json()["offset"]
        == 40000
    )
    stale = client.patch(
        url, data[:10], content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "offset_mismatch"
    offset = client.get(url).json()["offset"]
    client.patch(
        url, data[offset:], content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET=str(offset)
    )
    blob = client.post(f"{url}/complete").json()
    assert blob["size"] == len(data) and blob["sha256"] == hashlib.sha256(data).hexdigest()
    download = client.get(f"/api/ledger/blobs/{blob['sm3']}/content", {"purpose": "复核"})
    assert b"".join(download.streaming_content) == data
    assert Entry.objects.filter(kind="ledger.accessed", subject_id=blob["sm3"]).count() == 1


def test_a_copy_request_goes_through_the_head(published, api_as, officer_a, head_a):
    # 《松原市行政执法全过程记录实施办法》第三十四条
    submitted = api_as(officer_a).post(
        "/api/ledger/copy-requests",
        {"party": "某某商贸有限公司", "entries": [1, 2], "purpose": "申请行政复议"},
        content_type="application/json",
    )
    assert submitted.status_code == 201
    request_id = submitted.json()["id"]
    refused = api_as(officer_a).post(f"/api/ledger/copy-requests/{request_id}/release")
    assert refused.status_code == 409 and "第三十四条" in refused.json()["errors"][0]["message"]
    decided = api_as(head_a).post(
        f"/api/ledger/copy-requests/{request_id}/decision", {"approve": True}, content_type="application/json"
    )
    assert decided.json()["status"] == "approved"
    released = api_as(officer_a).post(f"/api/ledger/copy-requests/{request_id}/release").json()
    assert [e["seq"] for e in released["entries"]] == [1, 2] and released["withheld"] == []


def test_staff_endpoints_need_authentication(published, anonymous):
    assert anonymous.get("/api/ledger/entries").status_code == 401
    assert anonymous.post("/api/ledger/checkpoints").status_code == 401
