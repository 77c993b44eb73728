from __future__ import annotations

import datetime as dt
import json

import pytest

from sanxiang.inspections import selectors, services
from sanxiang.inspections.models import Outcome, Plan
from sanxiang.inspections.tests.conftest import TZ, announce
from sanxiang.inspections.tests.test_results import checked_on_site

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


@pytest.fixture
def published(head_a, officer_a, plan, traveller):
    draw = announce(head_a, plan)
    traveller.move_to(at(dt.date(2026, 3, 10)))
    services.draw_perform(actor=head_a, draw=draw, randomness="03 07 12 19 25 31 + 09")
    inspection = services.inspection_open(actor=officer_a, target=draw.targets.order_by("position").first())
    checked_on_site(inspection, officer_a)
    entry = services.result_enter(
        actor=officer_a,
        inspection=inspection,
        outcome=Outcome.NO_PROBLEM,
        description='=HYPERLINK("x")',
        checked_on=dt.date(2026, 3, 10),
    )
    services.result_review(actor=head_a, entry=entry, approve=True)
    return draw


def test_staff_pages_render_for_the_people_who_use_them(client_for, head_a, officer_a, supervisor, published):
    inspection = published.targets.order_by("position").first().inspections.get()
    for user, url in [
        (head_a, "/staff/inspections/"),
        (head_a, f"/staff/inspections/plans/{published.batch.plan.public_id}/"),
        (head_a, f"/staff/inspections/draws/{published.public_id}/"),
        (officer_a, f"/staff/inspections/inspections/{inspection.public_id}/"),
        (supervisor, "/staff/inspections/supervision/"),
    ]:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert "seed" not in text.lower()


def test_another_agency_cannot_see_the_plan_or_the_draw(client_for, officer_b, published):
    client = client_for(officer_b)
    assert client.get(f"/staff/inspections/plans/{published.batch.plan.public_id}/").status_code == 404
    assert client.get(f"/staff/inspections/draws/{published.public_id}/").status_code == 404


def test_the_portal_shows_the_draw_with_its_proof_and_verifies_it(anonymous, published):
    page = anonymous.get(f"/inspections/draws/{published.public_id}/").content.decode()
    assert published.commitment in page and published.objects_sm3 in page
    assert "A类" not in page  # 信用风险分类 is internal
    verify = anonymous.get(f"/inspections/draws/{published.public_id}/verify/").content.decode()
    assert "一致：公布的抽取结果正是这些输入的抽取结果" in verify
    document = json.loads(anonymous.get(f"/inspections/draws/{published.public_id}/draw.json").content)
    assert document["result"] == selectors.draw_document(published)["result"]
    assert published.number in anonymous.get("/inspections/").content.decode()


def test_a_waiting_draw_is_public_before_its_randomness_exists(anonymous, head_a, plan, traveller):
    draw = announce(head_a, plan)
    page = anonymous.get(f"/inspections/draws/{draw.public_id}/").content.decode()
    assert "等待公共随机数" in page and draw.commitment in page and "揭示的本机关随机数" not in page


def test_the_result_export_escapes_formula_cells(anonymous, published):
    body = anonymous.get("/inspections/results.csv").content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("市场主体名称,统一社会信用代码")
    xlsx = anonymous.get("/inspections/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_an_external_plan_is_pushed_once_and_results_are_pulled(
    client_for, head_a, item, classified, published
):
    client = client_for(head_a)
    body = {
        "year": 2026,
        "title": "省平台下发抽查任务",
        "scope": "辖区食品经营者",
        "external_ref": "GX-2026-0001",
        "batches": [
            {"name": "任务一", "item_code": item.code, "starts_on": "2026-04-01", "ends_on": "2026-04-30"}
        ],
    }
    first = client.post("/api/inspections/plans", body, content_type="application/json")
    again = client.post("/api/inspections/plans", body, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert (
        first.json()["id"] == again.json()["id"]
        and Plan.objects.filter(external_ref="GX-2026-0001").count() == 1
    )
    results = client.get("/api/inspections/public/results").json()
    assert results["items"][0]["result"] == "未发现问题"
    verify = client.get(f"/api/inspections/public/draws/{published.public_id}/verify").json()
    assert verify["agrees"] is True


def test_a_bad_plan_is_refused_as_problem_json_naming_the_field(client_for, head_a, item):
    response = client_for(head_a).post(
        "/api/inspections/plans",
        {"year": 2026, "title": "", "scope": "x", "batches": []},
        content_type="application/json",
    )
    assert response.status_code == 422 and response["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"title", "batches"} <= fields


def test_a_recusal_and_credit_classes_are_recorded_through_the_api_and_the_page(
    client_for, head_a, inspectors, entities, item
):
    # 《中华人民共和国行政处罚法》第四十三条: 执法人员与案件有直接利害关系的，应当回避
    from sanxiang.inspections.models import CreditClass, Recusal

    client = client_for(head_a)
    response = client.post(
        "/api/inspections/recusals",
        {"officer": str(inspectors[0].public_id), "credit_code": entities[0].credit_code, "kind": "kin"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "近亲属关系"
    page = client.post(
        "/staff/inspections/recusals/",
        {
            "officer": str(inspectors[1].public_id),
            "credit_code": entities[1].credit_code,
            "kind": "former_employer",
        },
        follow=True,
    )
    assert "已登记" in page.content.decode() and Recusal.objects.count() == 2
    response = client.post(
        "/api/inspections/credit-classes",
        {
            "classified_on": "2026-02-01",
            "basis": "月度分类",
            "classes": {entities[0].credit_code: "D", "X": "A"},
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "classes.X"
    assert not CreditClass.objects.exists()  # nothing half-written
