"""Registry API: scoping by persona, token authentication, problem+json errors, public credential check."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from sanxiang.accounts.models import ApiToken
from sanxiang.registry.models import Officer
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(agency_a, agency_b):
    return {
        "a": OfficerFactory(agency=agency_a, name="甲执法员", credential_number="22070201001"),
        "b": OfficerFactory(agency=agency_b, name="乙执法员", credential_number="22070202001"),
    }


def _names(response):
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_an_officer_lists_only_their_own_agency(client_for, officer_a, agency_a, agency_b):
    assert _names(client_for(officer_a).get("/api/registry/agencies")) == {agency_a.name}


def test_b_cannot_see_as_agency_or_officers_through_the_api(client_for, officer_b, agency_a, officers):
    client = client_for(officer_b)
    assert client.get(f"/api/registry/agencies/{agency_a.public_id}").status_code == 404
    assert client.get(f"/api/registry/officers/{officers['a'].public_id}").status_code == 404
    assert _names(client.get("/api/registry/officers")) == {"乙执法员"}
    assert _names(client.get(f"/api/registry/officers?agency_id={agency_a.public_id}")) == set()


def test_a_can_see_their_own_agency_and_officers(client_for, officer_a, agency_a, officers):
    client = client_for(officer_a)
    assert client.get(f"/api/registry/agencies/{agency_a.public_id}").json()["name"] == agency_a.name
    assert client.get(f"/api/registry/officers/{officers['a'].public_id}").json()["name"] == "甲执法员"


def test_a_supervisor_sees_every_agency_they_supervise_but_not_other_regions(
    client_for, supervisor, agency_a, agency_b, agency_elsewhere, officers
):
    client = client_for(supervisor)
    assert _names(client.get("/api/registry/agencies")) == {
        agency_a.name,
        agency_b.name,
        supervisor.agency.name,
    }
    assert _names(client.get("/api/registry/officers")) == {"甲执法员", "乙执法员"}
    assert client.get(f"/api/registry/agencies/{agency_elsewhere.public_id}").status_code == 404


def test_anonymous_callers_are_refused_with_problem_json(anonymous):
    response = anonymous.get("/api/registry/agencies")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "unauthenticated"


def test_a_404_is_problem_json_with_a_stable_code(client_for, officer_a):
    response = client_for(officer_a).get("/api/registry/agencies/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_an_integrator_token_authenticates_and_is_scoped_like_its_user(officer_a, agency_a, agency_b, capsys):
    call_command("issue_token", officer_a.username, "--name", "双公示对接")
    raw = capsys.readouterr().out.strip()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert _names(client.get("/api/registry/agencies")) == {agency_a.name}
    token = ApiToken.objects.get()
    assert token.digest != raw and raw not in token.digest  # only the hash is kept
    assert token.last_used_at is not None


def test_a_revoked_or_wrong_token_is_refused(officer_a):
    token, raw = ApiToken.issue(user=officer_a, name="x")
    assert (
        Client(headers={"Authorization": "Bearer sx_wrong"}).get("/api/registry/agencies").status_code == 401
    )
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/registry/agencies").status_code == 401


@time_machine.travel(dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
def test_the_public_credential_check_answers_validity_today(anonymous, officers, agency_a):
    expired = OfficerFactory(
        agency=agency_a, credential_number="22070201002", valid_until=dt.date(2026, 11, 23)
    )
    suspended = OfficerFactory(
        agency=agency_a, credential_number="22070201003", status=Officer.Status.SUSPENDED
    )
    ok = anonymous.get("/api/registry/credential-check", {"credential_number": "22070201001"}).json()
    assert (ok["valid"], ok["on"]) == (True, "2026-11-24")
    assert not anonymous.get(
        "/api/registry/credential-check", {"credential_number": expired.credential_number}
    ).json()["valid"]
    assert not anonymous.get(
        "/api/registry/credential-check", {"credential_number": suspended.credential_number}
    ).json()["valid"]


def test_the_credential_check_with_category_and_region_explains_the_refusal(anonymous, officers):
    # 行政处罚法 第四十二条
    body = anonymous.get(
        "/api/registry/credential-check",
        {
            "credential_number": "22070201001",
            "category": "transport",
            "region_code": "220702",
            "on": "2026-11-24",
        },
    ).json()
    assert body["allowed"] is False
    assert [r["rule"] for r in body["reasons"]] == ["credential_category"]


def test_bad_query_input_is_a_422_naming_the_field(anonymous, officers):
    response = anonymous.get(
        "/api/registry/credential-check",
        {"credential_number": "22070201001", "category": "nonsense", "region_code": "12"},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"category", "region_code"}
    bad_date = anonymous.get("/api/registry/credential-check", {"credential_number": "x", "on": "2026-13-01"})
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["field"] == "on"


def test_an_unknown_credential_is_404(anonymous, db):
    assert anonymous.get("/api/registry/credential-check", {"credential_number": "nope"}).status_code == 404


def test_reviewer_compliance_is_for_supervisors_and_heads_only(
    client_for, supervisor, officer_a, head_a, agency_b
):
    assert client_for(officer_a).get("/api/registry/reviewer-compliance").status_code == 404
    head_rows = client_for(head_a).get("/api/registry/reviewer-compliance").json()["items"]
    assert [r["agency_name"] for r in head_rows] == [head_a.agency.name]
    rows = client_for(supervisor).get("/api/registry/reviewer-compliance").json()["items"]
    assert {r["agency_name"] for r in rows} >= {head_a.agency.name, agency_b.name}
    # 松政办发〔2019〕25号 责任分工方案 一、（三）1: 不少于执法人员总数的5% (no officers: none required)
    assert all(r["required"] == 0 and "5%" in r["requirement"] for r in rows)


def test_the_openapi_document_is_served(anonymous, db):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/registry/agencies" in response.json()["paths"]
