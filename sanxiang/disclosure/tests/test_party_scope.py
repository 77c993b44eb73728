"""Issue 11, item 7: the disclosure API's party lookup is scoped like every other lookup.

A disclosure officer of agency B who names a party known only from agency A's case gets the same
answer as for a party that does not exist; the party of B's own case is found.
"""

import pytest

from sanxiang.cases.tests.factories import a_case
from sanxiang.disclosure.models import Duty
from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def _duty(agency, party):
    return {
        "agency": str(agency.public_id),
        "kind": "penalty",
        "source_ref": "CASE-B-1",
        "decided_on": "2026-03-02",
        "party": str(party.public_id),
        "fields": penalty_fields(document_number="宁交处罚〔2026〕1号"),
    }


def test_b_cannot_name_a_party_known_only_from_as_case(client_for, discloser_b, agency_a, agency_b):
    case = a_case(agency_a, OfficerFactory(agency=agency_a), title="甲方案件")
    party = case.case_parties.first().party
    response = client_for(discloser_b).post(
        "/api/disclosure/duties", _duty(agency_b, party), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "party"
    assert Duty.objects.count() == 0


def test_the_party_of_bs_own_case_is_found(client_for, discloser_b, agency_b):
    case = a_case(agency_b, OfficerFactory(agency=agency_b), title="乙方案件")
    party = case.case_parties.first().party
    response = client_for(discloser_b).post(
        "/api/disclosure/duties", _duty(agency_b, party), content_type="application/json"
    )
    assert response.status_code == 201, response.content.decode()
