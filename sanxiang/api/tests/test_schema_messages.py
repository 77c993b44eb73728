"""Bad input answered by the request schema: a Chinese message that names the field and the rule
(project rule; issue 10 finding 7), on every list, including lists that take their own filters."""

import re

import pytest

pytestmark = pytest.mark.django_db

CJK = re.compile("[\u4e00-\u9fff]")


@pytest.mark.parametrize("path", ["/api/registry/agencies", "/api/supervision/alerts"])
def test_10_7_a_refused_page_number_is_explained_in_chinese_and_names_only_page(
    client_for, administrator, path
):
    response = client_for(administrator).get(path, {"page": "100001"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["page"]
    assert errors[0]["message"].startswith("page：") and CJK.search(errors[0]["message"])
    assert "Input should" not in errors[0]["message"]


def test_a_value_of_the_wrong_type_is_explained_in_chinese(client_for, administrator):
    response = client_for(administrator).get("/api/registry/agencies", {"page": "abc"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "page：应为整数"
