"""B cannot see A's data through any endpoint.

Every authenticated GET operation in the OpenAPI document is called as agency B's officer: list
endpoints must not mention A's objects, and detail endpoints given A's identifiers must answer 404.
New endpoints are covered as soon as they are added; new apps add their A-owned objects to
``a_objects`` below.
"""

import json
import re
import uuid

import pytest

from sanxiang.testing.factories import OfficerFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"\{(\w+)\}")


def _text(response) -> str:
    """The decoded body, with any JSON \\u escapes resolved, so a leak can't hide in escaping."""
    if response["Content-Type"].startswith("application/json") and response.content:
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.fixture
def a_objects(agency_a):
    officer = OfficerFactory(agency=agency_a, name="甲方专有执法员", credential_number="A-SECRET-001")
    ReviewerFactory(agency=agency_a, name="甲方专有审核员")
    from sanxiang.cases.tests.factories import a_case

    case = a_case(agency_a, officer, title="甲方专有案件")
    from sanxiang.review.tests.helpers import scoping_review

    review = scoping_review(agency_a)
    return {
        "ids": [str(agency_a.public_id), str(officer.public_id), str(case.public_id), *review["ids"]],
        "markers": [agency_a.name, agency_a.credit_code, "甲方专有执法员", "甲方专有审核员", "甲方专有案件"]
        + review["markers"],
    }


def _authenticated_get_operations(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        op = operations.get("get")
        if op is None or not op.get("security"):
            continue  # public endpoints disclose by design
        yield path, op


def test_every_authenticated_list_endpoint_hides_as_data_from_b(client_for, officer_b, a_objects):
    client = client_for(officer_b)
    checked = 0
    for path, op in _authenticated_get_operations(client):
        if PARAM.search(path):
            continue
        required = [p for p in op.get("parameters", []) if p.get("required")]
        if required:
            continue
        response = client.get(path)
        # 403: an endpoint of another role (the supervision figures) refuses the officer outright
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        if response.status_code == 403:
            assert response.json()["code"] == "forbidden", path
        body = _text(response)
        for marker in a_objects["markers"] + a_objects["ids"]:
            assert marker not in body, f"{path} leaks {marker!r} to agency B"
        checked += 1
    assert checked >= 3  # agencies, officers, reviewer-compliance at least


def test_every_authenticated_detail_endpoint_answers_404_to_b_for_as_identifiers(
    client_for, officer_b, a_objects
):
    client = client_for(officer_b)
    checked = 0
    for path, _op in _authenticated_get_operations(client):
        names = PARAM.findall(path)
        if len(names) != 1:
            continue
        for object_id in a_objects["ids"]:
            response = client.get(path.replace("{" + names[0] + "}", object_id))
            assert response.status_code in (403, 404, 422), (path, object_id, response.status_code)
            if response.status_code == 403:
                # refused for the role, not for the object: an unknown identifier gets the same answer,
                # so the refusal tells B nothing about A's objects
                unknown = client.get(path.replace("{" + names[0] + "}", str(uuid.uuid4())))
                same = {k: v for k, v in unknown.json().items() if k != "instance"}
                assert unknown.status_code == 403, path
                assert same == {k: v for k, v in response.json().items() if k != "instance"}, path
            checked += 1
    assert checked >= 4


def test_a_sees_their_own_objects_through_the_same_endpoints(client_for, officer_a, a_objects, agency_a):
    client = client_for(officer_a)
    assert agency_a.name in _text(client.get("/api/registry/agencies"))
    assert "甲方专有执法员" in _text(client.get("/api/registry/officers"))
