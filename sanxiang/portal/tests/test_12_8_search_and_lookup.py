"""Issue 12 §8: portal search and lookup — the party once per row; partial officer lookup; Chinese search
that finds what a citizen types (synonyms as data); document numbers in any brackets, the exact one
first; /verify/ with ASCII brackets; the credential check says why.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.ledger.services import checkpoint_create
from sanxiang.registry.models import Officer
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(make_duty, company, publish):
    made = {}
    for number, facts in (
        ("宁市监处罚〔2026〕12号", "当事人在其经营场所销售超过保质期的食品"),
        ("宁市监处罚〔2026〕120号", "当事人销售标签不符合规定的食品"),
        ("宁市监处罚〔2026〕1号", "当事人未按规定公示营业执照"),
    ):
        made[number] = publish(
            make_duty(
                party=company,
                fields=penalty_fields(
                    document_number=number, violation_type="销售不合格食品", violation_facts=facts
                ),
            )
        )
    return made


def _numbers(html: str) -> list[str]:
    return re.findall(r"宁市监处罚〔2026〕\d+号", html.split("<tbody>", 1)[-1])


def test_the_latest_decisions_name_the_party_once_per_row(client, decisions, company):
    html = client.get("/").content.decode()
    rows = html.split('id="recent-decisions"', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    assert len(rows) == 3
    for row in rows:
        assert row.count(company.name) == 1, row


def test_a_citizens_words_find_the_legal_terms(client, decisions):
    # 过期食品 ↔ 超过保质期的食品 (synonyms.txt is data)
    assert _numbers(client.get("/decisions/", {"q": "过期食品"}).content.decode()) == [
        "宁市监处罚〔2026〕12号"
    ]
    assert _numbers(client.get("/decisions/", {"q": "过期食品 罚款"}).content.decode()) == [
        "宁市监处罚〔2026〕12号"
    ]
    api = client.get("/api/disclosure/decisions", {"q": "卖过期的食品"}).json()["items"]
    assert api == [] or {i["document_number"] for i in api} == {"宁市监处罚〔2026〕12号"}
    assert client.get("/api/disclosure/decisions", {"q": "超过保质期"}).json()["items"][0][
        "document_number"
    ] == ("宁市监处罚〔2026〕12号")


@pytest.mark.parametrize(
    "typed",
    [
        "宁市监处罚[2026]12号",
        "宁市监处罚【2026】12号",
        "宁市监处罚(2026)12号",
        "宁市监处罚（２０２６）１２号",
        "宁市监处罚〔2026〕12号",
    ],
)
def test_a_document_number_in_any_brackets_finds_that_number_first(client, decisions, typed):
    found = _numbers(client.get("/decisions/", {"q": typed}).content.decode())
    assert found[0] == "宁市监处罚〔2026〕12号"
    assert "宁市监处罚〔2026〕1号" not in found  # another number is not a match


def test_verify_finds_a_number_typed_with_ascii_brackets(client, decisions):
    checkpoint_create()
    page = client.get("/verify/", {"number": "宁市监处罚[2026]12号"}).content.decode()
    assert "宁市监处罚〔2026〕12号" in page
    assert "未找到" not in page


@pytest.fixture
def officers(agency_a):
    today = timezone.localdate()
    return {
        "valid": OfficerFactory(agency=agency_a, name="欧阳建国", credential_number="22070212345"),
        "expired": OfficerFactory(
            agency=agency_a,
            name="王立新",
            credential_number="22070254321",
            valid_until=today - dt.timedelta(days=10),
        ),
        "suspended": OfficerFactory(
            agency=agency_a, name="李建设", credential_number="22070299999", status=Officer.Status.SUSPENDED
        ),
        "revoked": OfficerFactory(
            agency=agency_a, name="赵明", credential_number="22070288888", status=Officer.Status.REVOKED
        ),
    }


def test_officers_are_found_by_part_of_the_name_or_of_the_credential_number(client, officers):
    def names(q):
        html = client.get("/officers/", {"q": q}).content.decode()
        return re.findall(r"<tr><td>([^<]+)</td>", html)

    assert names("建国") == ["欧阳建国"]
    assert names("欧阳") == ["欧阳建国"]
    assert names("12345") == ["欧阳建国"]
    assert sorted(names("2207029")) == ["李建设"]
    assert names("欧阳建国") == ["欧阳建国"]  # the exact name still works
    page = client.get("/officers/", {"q": "王立新"}).content.decode()
    expired_on = officers["expired"].valid_until.isoformat()
    assert f"已于 {expired_on} 到期" in page


def test_the_credential_check_gives_its_reason(client, officers, agency_a):
    # 行政处罚法 第四十二条: 执法人员应当具有行政执法资格 — and the public is told why one has not
    def verdict(**params):
        html = client.get("/credential-check/", params).content.decode()
        return html.split('id="verdict"', 1)[1].split("</div>", 1)[0]

    expired = officers["expired"]
    text = verdict(credential_number=expired.credential_number)
    assert "今日无效" in text and f"执法证件已于 {expired.valid_until} 到期" in text
    assert "「暂扣」" in verdict(credential_number="22070299999")
    assert "「注销」" in verdict(credential_number="22070288888")
    valid = verdict(credential_number="22070212345")
    assert "今日有效" in valid and "原因" not in valid
    other = next(c for c in ("transport", "environment", "urban") if c not in agency_a.categories)
    assert "执法证件不含执法类别" in verdict(credential_number="22070212345", category=other)
    region = "220721" if agency_a.region_code != "220721" else "220702"
    assert "执法区域" in verdict(credential_number="22070212345", region_code=region)


def test_the_search_box_example_finds_something_in_the_demo(demo_db):
    client = Client()
    home = client.get("/").content.decode()
    example = re.search(r'placeholder="如：([^"、]+)', home).group(1)
    assert example == "过期食品 罚款"
    listing = client.get("/decisions/").content.decode()
    box = re.search(r'id="q"[^>]*placeholder="如：([^"]+)"', listing).group(1)
    for query in (example, box, "过期食品"):
        found = client.get("/decisions/", {"q": query}).content.decode()
        assert "没有符合条件的公示决定" not in found, query
