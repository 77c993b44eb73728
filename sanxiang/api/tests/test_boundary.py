"""Issue 10, finding 6: NUL bytes and lone surrogates are refused at the boundary, everywhere, once.

Before, each of these requests reached the database and ended as a 500 on PostgreSQL (and file
names on both databases). Now every one answers 422 problem+json naming the field (the API) or a
Chinese 400 page (staff and portal forms), and nothing is written.
"""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.accounts.roles import Role
from sanxiang.cases.models import Case, CaseRecord
from sanxiang.cases.tests.factories import ORGANISATION, a_case
from sanxiang.testing.factories import OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "\x00"
SURROGATE = "\ud800"
BAD = [(NUL, "no_nul"), (SURROGATE, "no_lone_surrogate")]


def _problem(response, field: str, rule: str) -> None:
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_input"
    assert {"field": field, "rule": rule} in [
        {"field": e["field"], "rule": e["rule"]} for e in body["errors"]
    ]
    assert all("U+" in e["message"] for e in body["errors"])  # the message names the character


@pytest.fixture
def writer(agency_a):
    officer = OfficerFactory(agency=agency_a, name="甲执法员")
    return UserFactory(agency=agency_a, roles=[Role.OFFICER], officer=officer, username="writer")


@pytest.fixture
def case(agency_a):
    return a_case(agency_a, OfficerFactory(agency=agency_a), title="边界测试案")


@pytest.fixture
def handler(case):
    """The user who handles ``case`` (made by ``a_case``)."""
    from sanxiang.accounts.models import User

    return User.objects.get(officer=case.case_officers.first().officer)


def test_10_6_nul_in_a_query_string_is_refused_on_the_public_credential_check(anonymous):
    response = anonymous.get("/api/registry/credential-check", {"credential_number": "22070200001\x00"})
    _problem(response, "credential_number", "no_nul")


def test_10_6_nul_in_the_public_decision_search_is_refused(anonymous):
    _problem(anonymous.get("/api/disclosure/decisions", {"q": "食品\x00"}), "q", "no_nul")
    _problem(anonymous.get("/api/disclosure/decisions", {"party": "\x00"}), "party", "no_nul")


@pytest.mark.parametrize(("bad", "rule"), BAD)
def test_10_6_a_public_correction_request_with_bad_text_is_refused_and_nothing_is_stored(
    anonymous, bad, rule
):
    from sanxiang.disclosure.models import CorrectionRequest

    body = {
        "decision": str(uuid.uuid4()),
        "requester_name": "张三",
        "contact": "13800000000",
        "description": f"数额有误{bad}",
        "evidence": "见附件",
    }
    response = anonymous.post("/api/disclosure/corrections", body, content_type="application/json")
    _problem(response, "description", rule)
    assert CorrectionRequest.objects.count() == 0


@pytest.mark.parametrize(("bad", "rule"), BAD)
def test_10_6_opening_a_case_with_bad_text_is_refused_and_no_case_is_opened(client_for, writer, bad, rule):
    partner = OfficerFactory(agency=writer.agency)
    body = {
        "procedure": "penalty_general",
        "title": f"销售过期食品案{bad}",
        "source": "inspection",
        "officers": [str(writer.officer.public_id), str(partner.public_id)],
        "parties": [{**ORGANISATION, "name": f"某公司{bad}"}],
    }
    response = client_for(writer).post("/api/cases/", body, content_type="application/json")
    _problem(response, "title", rule)
    _problem(response, "parties.0.name", rule)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("bad", "rule"), BAD)
def test_10_6_a_record_payload_with_bad_text_is_refused(client_for, handler, case, bad, rule):
    before = CaseRecord.objects.count()
    body = {"kind": "inquiry_record", "payload": {"content": f"询问{bad}当事人"}}
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/records", body, content_type="application/json"
    )
    _problem(response, "payload.content", rule)
    # the same record as JSON inside the multipart upload's `data` field
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/records/upload",
        {"data": json.dumps(body), "files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf")]},
    )
    _problem(response, "data.payload.content", rule)
    assert CaseRecord.objects.count() == before


def test_10_6_a_json_key_with_a_nul_is_refused(client_for, handler, case):
    body = {"kind": "inquiry_record", "payload": {"con\x00tent": "询问"}}
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/records", body, content_type="application/json"
    )
    _problem(response, "payload.con\x00tent", "no_nul")


@pytest.mark.parametrize(("bad", "rule"), BAD)
def test_10_6_an_upload_whose_file_name_holds_bad_text_is_refused(client_for, writer, bad, rule):
    from sanxiang.ledger.models import UploadSession

    body = {"filename": f"笔录{bad}.mp4", "media_type": "video/mp4", "expected_size": 10}
    response = client_for(writer).post("/api/ledger/uploads", body, content_type="application/json")
    _problem(response, "filename", rule)
    assert UploadSession.objects.count() == 0


def test_10_6_a_multipart_file_name_never_carries_a_nul_to_the_store(client_for, writer):
    # Django's multipart parser drops non-printable characters from file names; the parser hook
    # checks the names it is given all the same (BoundaryParser.parse_querydict on request.FILES).
    upload = SimpleUploadedFile("笔录\x00.pdf", b"%PDF-1.4 inquiry", "application/pdf")
    response = client_for(writer).post("/api/cases/blobs", {"file": upload})
    assert response.status_code == 201


def test_10_6_a_blob_path_with_a_nul_is_refused(client_for, writer):
    response = client_for(writer).get("/api/ledger/blobs/ab%00cd")
    _problem(response, "path", "no_nul")
    response = client_for(writer).get("/api/ledger/blobs/ab%00cd/content")
    _problem(response, "path", "no_nul")


def test_10_6_nan_is_not_a_number_the_api_accepts(client_for, handler, case):
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/records",
        '{"kind": "inquiry_record", "payload": {"fine": NaN}}',
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_10_6_the_portal_search_page_answers_a_chinese_400_to_a_nul(anonymous):
    response = anonymous.get("/decisions/", {"q": "食品\x00"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "空字符" in text and "输入不符合规则" in text


def test_10_6_a_staff_form_field_with_a_nul_is_refused_before_the_view(client_for, handler, case):
    before = CaseRecord.objects.count()
    response = client_for(handler).post(
        f"/staff/cases/{case.public_id}/records/inquiry_record/", {"content": "询问\x00当事人"}
    )
    assert response.status_code == 400
    assert "content: 不得含有空字符" in response.content.decode()
    assert CaseRecord.objects.count() == before
