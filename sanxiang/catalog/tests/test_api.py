"""REST endpoints: scoped reads, writes for administrators and heads of the agency."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from sanxiang.catalog import xlsx
from sanxiang.catalog.models import EnforcementItem, ListKind
from sanxiang.catalog.tests.conftest import DAY, DISCRETION, item_data

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, data=json.dumps(body, default=str), content_type="application/json")


def entry_body(code="CF-001", **over):
    data = item_data(code=code, **over)
    data.pop("code")
    return {
        "code": code,
        "effective_from": str(DAY),
        "reason": "首次公布",
        "fields": data,
        "discretion": DISCRETION,
    }


def test_a_head_publishes_and_a_retry_does_not_duplicate(client_for, head_a, agency_a):
    client = client_for(head_a)
    url = f"/api/catalog/agencies/{agency_a.public_id}/items"
    first = post(client, url, entry_body())
    assert first.status_code == 201, first.content
    assert first.json()["version"] == 1
    assert [d["level"] for d in first.json()["discretion"]] == ["从轻", "从重"]
    again = post(client, url, entry_body())
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_an_officer_may_read_but_not_write(client_for, officer_a, publish, agency_a):
    publish()
    client = client_for(officer_a)
    url = f"/api/catalog/agencies/{agency_a.public_id}/items"
    listing = client.get(url, {"on": str(DAY)})
    assert [e["code"] for e in listing.json()["items"]] == ["CF-001"]
    refused = post(client, url, entry_body("CF-002"))
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["errors"][0]["rule"] == "permission"


def test_agency_b_cannot_see_or_write_agency_as_lists(client_for, officer_b, head_b, publish, agency_a):
    publish()
    url = f"/api/catalog/agencies/{agency_a.public_id}/items"
    assert client_for(officer_b).get(url).status_code == 404
    assert post(client_for(head_b), url, entry_body("CF-009")).status_code == 404
    assert client_for(officer_b).get(f"{url}/CF-001/versions").status_code == 404


def test_bad_input_is_a_422_naming_the_field(client_for, head_a, agency_a):
    body = entry_body()
    body["fields"]["name"] = ""
    response = post(client_for(head_a), f"/api/catalog/agencies/{agency_a.public_id}/items", body)
    assert response.status_code == 422
    assert "name" in {e["field"] for e in response.json()["errors"]}
    assert EnforcementItem.objects.count() == 0


def test_an_unknown_list_is_refused(client_for, officer_a, agency_a):
    assert (
        client_for(officer_a).get(f"/api/catalog/agencies/{agency_a.public_id}/nonsense").status_code == 422
    )


def test_versions_and_withdrawal_through_the_api(client_for, head_a, publish, agency_a):
    publish()
    client = client_for(head_a)
    base = f"/api/catalog/agencies/{agency_a.public_id}/items"
    later = str(DAY + dt.timedelta(days=2))
    withdrawn = post(client, f"{base}/CF-001/withdraw", {"effective_from": later, "reason": "法规废止"})
    assert withdrawn.status_code == 201
    assert (
        post(client, f"{base}/CF-001/withdraw", {"effective_from": later, "reason": "法规废止"}).status_code
        == 200
    )
    versions = client.get(f"{base}/CF-001/versions").json()["items"]
    assert [(v["version"], v["withdrawn"]) for v in versions] == [(2, True), (1, False)]


def _cells(content: bytes) -> list[list[tuple]]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def test_export_and_import_through_the_api(client_for, head_a, publish, agency_a):
    publish()
    client = client_for(head_a)
    base = f"/api/catalog/agencies/{agency_a.public_id}/items"
    exported = client.get(f"{base}/export.xlsx", {"on": str(DAY)})
    assert exported.status_code == 200
    # The same workbook as the service writes (cell by cell: the zip entries carry the time of writing).
    assert _cells(exported.content) == _cells(
        xlsx.catalog_export(kind=ListKind.ITEMS, agency=agency_a, on=DAY)
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("items.xlsx", exported.content)
    response = client.post(
        f"{base}/import",
        {"file": upload, "effective_from": str(DAY + dt.timedelta(days=1)), "reason": "复核"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["unchanged"] == ["CF-001"]


def test_the_major_decision_check_names_the_law(client_for, officer_a, agency_a):
    # 行政处罚法 第五十八条
    response = post(
        client_for(officer_a),
        f"/api/catalog/agencies/{agency_a.public_id}/major-decision-check",
        {"hearing_held": True, "fine_amount": "1000"},
    )
    assert response.status_code == 200
    assert [m["code"] for m in response.json()] == ["law:hearing"]
    assert "第五十八条" in response.json()[0]["source"]


def test_law_changes_and_the_overdue_list(calendar, client_for, head_a, officer_b, agency_a, supervisor):
    # 《松原市行政执法公示办法》第二十五条
    client = client_for(head_a)
    trigger = timezone.localdate() - dt.timedelta(days=90)
    created = post(
        client,
        f"/api/catalog/agencies/{agency_a.public_id}/law-changes",
        {
            "kind": "amended",
            "title": "中华人民共和国食品安全法",
            "trigger_date": str(trigger),
            "lists": ["items"],
        },
    )
    assert created.status_code == 201, created.content
    change = created.json()
    assert change["overdue"] is True
    assert "第二十五条" in change["source"]
    overdue = client_for(supervisor).get("/api/catalog/law-changes", {"overdue": "true"}).json()["items"]
    assert [c["id"] for c in overdue] == [change["id"]]
    assert client_for(officer_b).get("/api/catalog/law-changes").json()["items"] == []
    assert client_for(officer_b).get(f"/api/catalog/law-changes/{change['id']}").status_code == 404
    done = post(client, f"/api/catalog/law-changes/{change['id']}/complete", {})
    assert done.status_code == 200
    assert (done.json()["overdue"], done.json()["on_time"]) == (False, False)
    assert client.get("/api/catalog/law-changes", {"overdue": "true"}).json()["items"] == []


def test_the_api_list_does_not_grow_queries_with_entries(
    client_for, officer_a, publish, agency_a, django_assert_max_num_queries
):
    for i in range(10):
        publish(data=item_data(code=f"CF-{i:03d}"), discretion=DISCRETION)
    client = client_for(officer_a)
    with django_assert_max_num_queries(10):
        response = client.get(f"/api/catalog/agencies/{agency_a.public_id}/items", {"on": str(DAY)})
    assert len(response.json()["items"]) == 10
