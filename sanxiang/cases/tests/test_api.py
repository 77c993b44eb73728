import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.cases.tests.factories import open_case

pytestmark = pytest.mark.django_db


def test_b_cannot_see_as_case_and_a_can(client_for, handler, officer_b, traveller):
    case = open_case(handler, title="甲局案件")
    assert client_for(officer_b).get(f"/api/cases/{case.public_id}").status_code == 404
    assert "甲局案件" not in client_for(officer_b).get("/api/cases/").content.decode()
    assert client_for(handler).get(f"/api/cases/{case.public_id}").status_code == 200
    assert client_for(handler).get("/api/cases/").json()["count"] == 1


def test_the_supervisor_sees_the_regions_cases_but_cannot_act(client_for, handler, supervisor, traveller):
    case = open_case(handler)
    client = client_for(supervisor)
    assert client.get(f"/api/cases/{case.public_id}").status_code == 200
    response = client.post(
        f"/api/cases/{case.public_id}/transitions", {"transition": "file"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_a_refused_transition_is_a_409_problem_listing_each_requirement_with_its_source(
    client_for, handler, traveller
):
    case = open_case(handler)
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/transitions", {"transition": "file"}, content_type="application/json"
    )
    assert response.status_code == 409 and response["Content-Type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert {e["rule"] for e in errors} >= {"record_required", "filing_approved"}
    assert all("《松原市行政执法全过程记录实施办法》" in e["message"] for e in errors)


def test_the_detail_shows_what_each_transition_still_lacks(client_for, handler, traveller):
    case = open_case(handler)
    detail = client_for(handler).get(f"/api/cases/{case.public_id}").json()
    file = next(t for t in detail["transitions"] if t["transition"] == "file")
    assert not file["allowed"] and all(m["source"] for m in file["missing"])
    assert detail["timeline"][0]["verification"] == "pending"  # no signed tree head covers it yet
    assert {k["key"] for k in detail["record_kinds"]} >= {"case_source", "filing_approval"}


def test_bad_input_names_the_field(client_for, handler, traveller):
    case = open_case(handler)
    response = client_for(handler).post(
        f"/api/cases/{case.public_id}/records",
        {"kind": "not_filing_record", "payload": {"bogus": 1}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"payload.bogus", "payload.reason"}


def test_the_case_list_runs_a_fixed_number_of_queries(client_for, handler, traveller):
    client = client_for(handler)
    open_case(handler)
    client.get("/api/cases/")  # warm the session and role caches
    with CaptureQueriesContext(connection) as one:
        client.get("/api/cases/")
    for _ in range(4):
        open_case(handler)
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/cases/").json()["count"] == 5
    assert len(five) == len(one) <= 8
