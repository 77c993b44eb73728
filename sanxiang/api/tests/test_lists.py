"""Issue 10, findings 7 and 8: page numbers and years out of range are 422 problem+json, never 500."""

import pytest

from sanxiang.api.pagination import PAGE_MAX

pytestmark = pytest.mark.django_db

HUGE = ["9223372036854775807", str(2**64), "-1", "0", "abc", "1.5", str(PAGE_MAX + 1)]


def _paginated_lists(client):
    """Every GET list operation of the OpenAPI document that takes ?page= (with no path parameters)."""
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        op = operations.get("get")
        names = [p["name"] for p in (op or {}).get("parameters", [])]
        if op and "page" in names and "{" not in path:
            yield path, bool(op.get("security"))


@pytest.mark.parametrize("page", HUGE)
def test_10_7_an_impossible_page_number_on_every_list_is_422_naming_page(client_for, administrator, page):
    client = client_for(administrator)
    checked = 0
    for path, _secured in _paginated_lists(client):
        response = client.get(path, {"page": page})
        assert response.status_code == 422, (path, page, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["page"], path
        checked += 1
    assert checked >= 12  # nine lists were reported; every list of the document is checked


def test_10_7_anonymous_lists_refuse_the_page_too(anonymous):
    checked = 0
    for path, secured in _paginated_lists(anonymous):
        if secured:
            continue
        response = anonymous.get(path, {"page": "9223372036854775807"})
        assert response.status_code == 422, path
        checked += 1
    assert checked >= 3  # procedures, checkpoints, keys, decisions, disclosure log


def test_10_7_a_page_past_the_last_is_an_empty_page_with_the_true_count(client_for, administrator, agency_a):
    response = client_for(administrator).get("/api/registry/agencies", {"page": PAGE_MAX})
    assert response.status_code == 200
    body = response.json()
    assert body["items"] == [] and body["count"] >= 1


def test_10_7_a_huge_page_size_is_refused(client_for, administrator):
    response = client_for(administrator).get("/api/registry/agencies", {"page_size": "9223372036854775807"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"


def test_10_7_the_portal_search_page_clamps_a_huge_page_number(anonymous):
    assert anonymous.get("/decisions/", {"page": "9223372036854775807"}).status_code == 200


@pytest.mark.parametrize("year", ["10000", "-1", str(2**40), "0", "abc"])
def test_10_8_review_statistics_refuse_a_year_out_of_range(client_for, supervisor, year):
    response = client_for(supervisor).get("/api/reviews/statistics", {"year": year})
    assert response.status_code == 422, year
    assert response.json()["errors"][0]["field"] == "year"


def test_10_8_review_statistics_answer_a_real_year(client_for, supervisor):
    assert client_for(supervisor).get("/api/reviews/statistics", {"year": "2026"}).status_code == 200


def test_10_19_every_operation_lists_its_problem_responses_with_the_problem_schema(anonymous):
    schema = anonymous.get("/api/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    checked = 0
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            codes = {"401", "403", "404", "409", "422"} if op.get("security") else {"404", "409", "422"}
            for code in codes:
                content = op["responses"][code]["content"]["application/problem+json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Problem"}, (method, path, code)
            checked += 1
    assert checked >= 80


def test_10_19_component_names_are_unique_across_routers():
    """Two schemas of one name would overwrite each other in the document: every API schema name is unique."""
    from ninja import Schema

    from sanxiang.api.api import api  # noqa: F401  (imports every router)

    names: dict[str, str] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("sanxiang."):
                where = f"{sub.__module__}.{sub.__qualname__}"
                assert names.setdefault(sub.__name__, where) == where, (
                    sub.__name__,
                    names[sub.__name__],
                    where,
                )
            walk(sub)

    walk(Schema)
    assert len(names) >= 80
