"""/api/rules/ and the portal pages that publish the rules (执法依据)."""

from __future__ import annotations

import datetime as dt

from sanxiang.rules import services
from sanxiang.rules.catalogue import KEYS


def test_the_api_serves_every_rule_with_its_source(anonymous, db):
    response = anonymous.get("/api/rules/", {"region": "220702", "on": "2026-06-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["profile_name"] == "松原市"
    rules = {r["key"]: r for r in body["rules"]}
    assert set(rules) == set(KEYS)
    other = rules["disclosure.period.other"]
    # 《松原市行政执法公示办法》第二十七条
    assert (other["value"], other["unit"]) == (7, "working_days")
    assert other["citation"] == "《松原市行政执法公示办法》第二十七条"
    assert other["source"]["url"] == "/rules/sources/songyuan-2019-25/"
    assert rules["penalty.simple.fine_limit_person"]["value"] == "200"


def test_a_bad_region_is_a_problem_naming_the_field(anonymous, db):
    response = anonymous.get("/api/rules/", {"region": "abc"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "region"


def test_the_portal_publishes_the_rules_an_agency_works_under(anonymous, agency_a, administrator):
    page = anonymous.get(f"/agencies/{agency_a.public_id}/rules/").content.decode()
    assert "规则配置：<strong>松原市</strong>" in page
    assert "《松原市行政执法公示办法》第二十七条" in page
    assert 'href="/rules/sources/songyuan-2019-25/"' in page
    services.assign_profile(
        actor=administrator,
        region="220702",
        profile="kunming",
        effective_from=dt.date(2020, 1, 1),
        document="决定",
    )
    page = anonymous.get(f"/agencies/{agency_a.public_id}/rules/").content.decode()
    assert "规则配置：<strong>昆明市</strong>" in page
    assert "行政许可、行政处罚以外的行政执法决定自作出之日起20个工作日内公开" in page


def test_the_source_documents_are_published(anonymous, db):
    for code, words in [
        ("songyuan-2019-25", "第二十七条"),
        ("kunming-2019", "12月15日"),
        ("tiexi-2021", "铁西区司法局"),
        ("lingchuan-2019-36", "陵交字〔2019〕36号"),
        ("wuzhong-scjg-2018", "2:1"),
        ("xzcff", "第五十一条"),
    ]:
        page = anonymous.get(f"/rules/sources/{code}/")
        assert page.status_code == 200, code
        assert words in page.content.decode(), code
    assert anonymous.get("/rules/sources/nothing/").status_code == 404
