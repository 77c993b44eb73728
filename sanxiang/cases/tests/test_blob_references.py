"""Which blobs a case record may name, and nothing kept from a refused record (issue 10, items 4 and 11)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sanxiang.accounts.models import ApiToken
from sanxiang.cases.tests.factories import filed_case, officer_for, present
from sanxiang.ledger.models import Blob

pytestmark = pytest.mark.django_db

FOREIGN_VIDEO = b"\x00\x00\x00\x18ftypmp42 agency B's body-camera video"


def _client(user) -> Client:
    _, raw = ApiToken.issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _upload(client, content: bytes, media_type="video/mp4") -> dict:
    response = client.post("/api/cases/blobs", {"file": SimpleUploadedFile("v.mp4", content, media_type)})
    assert response.status_code == 201, response.content.decode()
    return response.json()


def _files(settings) -> list:
    return sorted(p for p in settings.SANXIANG_BLOB_DIR.rglob("*") if p.is_file())


@pytest.fixture
def own_case(handler, second_officer, reviewer_a, head_a, traveller):
    return filed_case(handler, reviewer_a, head_a)


@pytest.fixture
def foreign_hash(officer_b):
    officer_for(officer_b, name="乙机关执法员")
    return _upload(_client(officer_b), FOREIGN_VIDEO)["sm3"]


def _record(client, case, blobs, officers):
    return client.post(
        f"/api/cases/{case.public_id}/records",
        {"kind": "inquiry_record", "payload": {"content": "询问笔录"}, "blobs": blobs, "officers": officers},
        content_type="application/json",
    )


def test_issue10_item4_a_record_cannot_name_another_agencys_blob(own_case, handler, foreign_hash):
    # Given agency B's officer uploaded a video, when agency A's officer names its SM3 in A's own record,
    # then the record is refused exactly as for a hash that does not exist, and A still cannot read it.
    a = _client(handler)
    refused = _record(a, own_case, [foreign_hash], present(own_case))
    unknown = _record(a, own_case, [hashlib.new("sm3", b"nothing").hexdigest()], present(own_case))
    assert refused.status_code == unknown.status_code == 422
    assert refused.json()["errors"][0]["field"] == "blobs"
    assert refused.json()["errors"][0]["rule"] == unknown.json()["errors"][0]["rule"] == "exists"
    for path in (f"/api/ledger/blobs/{foreign_hash}", f"/api/ledger/blobs/{foreign_hash}/content?purpose=x"):
        response = a.get(path)
        assert response.status_code == 404
        missing = a.get(path.replace(foreign_hash, hashlib.new("sm3", b"nothing").hexdigest()))
        assert response.json() == {**missing.json(), "instance": response.json()["instance"]}


def test_issue10_item4_a_record_may_name_a_blob_its_author_uploaded(own_case, handler):
    a = _client(handler)
    mine = _upload(a, b"%PDF-1.4 inquiry scan", "application/pdf")["sm3"]
    response = _record(a, own_case, [mine], present(own_case))
    assert response.status_code == 201, response.content.decode()
    assert a.get(f"/api/ledger/blobs/{mine}").status_code == 200


def test_issue10_item4_a_colleague_may_name_a_blob_already_in_the_agencys_records(
    own_case, handler, second_officer, agency_a
):
    # The colleague can see the blob through the record that names it, so may name it again.
    a = _client(handler)
    mine = _upload(a, b"%PDF-1.4 shared scan", "application/pdf")["sm3"]
    assert _record(a, own_case, [mine], present(own_case)).status_code == 201
    from sanxiang.accounts.roles import Role
    from sanxiang.testing import factories

    colleague = factories.UserFactory(agency=agency_a, roles=[Role.OFFICER])
    assert _client(colleague).get(f"/api/ledger/blobs/{mine}").status_code == 200


@pytest.mark.parametrize("who", ["reviewer_a", "supervisor"])
def test_issue10_item11_a_record_refused_for_permission_keeps_no_file(request, own_case, who, settings):
    # 403: a reviewer or a supervisor may see the case but not write it: the files are not stored.
    before = (Blob.objects.count(), _files(settings))
    user = request.getfixturevalue(who)
    response = _client(user).post(
        f"/api/cases/{own_case.public_id}/records/upload",
        {
            "data": json.dumps({"kind": "inquiry_record", "payload": {"content": "x"}}),
            "files": [SimpleUploadedFile("v.mp4", b"fill the storage" * 1000, "video/mp4")],
        },
    )
    assert response.status_code in (403, 404)
    assert (Blob.objects.count(), _files(settings)) == before


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "inquiry_record", "payload": {"content": ""}},  # an empty required field
        {"kind": "no_such_record", "payload": {}},  # an unknown kind
    ],
)
def test_issue10_item11_an_invalid_record_keeps_no_file(own_case, handler, data, settings):
    # 422: the record is refused, so the files uploaded with it are not kept either.
    before = (Blob.objects.count(), _files(settings))
    response = _client(handler).post(
        f"/api/cases/{own_case.public_id}/records/upload",
        {"data": json.dumps(data), "files": [SimpleUploadedFile("v.mp4", b"refused" * 1000, "video/mp4")]},
    )
    assert response.status_code == 422, response.content.decode()
    assert (Blob.objects.count(), _files(settings)) == before
    assert not list((settings.SANXIANG_BLOB_DIR / ".staging").glob("*"))


def test_issue10_item11_the_staff_form_keeps_no_file_of_a_refused_record(own_case, handler, settings):
    client = Client()
    client.force_login(handler)
    before = (Blob.objects.count(), _files(settings))
    response = client.post(
        f"/staff/cases/{own_case.public_id}/records/inquiry_record/",
        {"content": "", "files": [SimpleUploadedFile("v.mp4", b"refused form" * 1000, "video/mp4")]},
    )
    assert response.status_code == 422
    assert (Blob.objects.count(), _files(settings)) == before


def test_issue10_item11_an_accepted_record_keeps_its_files(own_case, handler, settings):
    response = _client(handler).post(
        f"/api/cases/{own_case.public_id}/records/upload",
        {
            "data": json.dumps(
                {"kind": "inquiry_record", "payload": {"content": "询问"}, "officers": present(own_case)}
            ),
            "files": [SimpleUploadedFile("scan.pdf", b"%PDF-1.4 accepted", "application/pdf")],
        },
    )
    assert response.status_code == 201, response.content.decode()
    sm3 = response.json()["blobs"][0]
    assert sm3 == hashlib.new("sm3", b"%PDF-1.4 accepted").hexdigest()
    assert Blob.objects.filter(sm3=sm3).exists()
    assert [p.name for p in _files(settings)] == [sm3]


def test_issue10_item11_the_staff_form_keeps_no_file_of_a_reviewer(own_case, reviewer_a, settings):
    client = Client()
    client.force_login(reviewer_a)
    before = (Blob.objects.count(), _files(settings))
    response = client.post(
        f"/staff/cases/{own_case.public_id}/records/inquiry_record/",
        {"content": "x", "files": [SimpleUploadedFile("v.mp4", b"no permission" * 1000, "video/mp4")]},
    )
    assert response.status_code in (403, 404)
    assert (Blob.objects.count(), _files(settings)) == before
