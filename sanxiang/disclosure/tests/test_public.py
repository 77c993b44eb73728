"""The public paths: pages, search, API, feed, export, verification — and no leak through any of them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxiang.disclosure import fields as F
from sanxiang.disclosure import services
from sanxiang.disclosure.models import PublicLogEntry, WebhookDelivery, WebhookReceiver, WithdrawalGround
from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.ledger.services import checkpoint_create

pytestmark = pytest.mark.django_db

SECRET_FACTS = "当事人张三丰在其住处销售过期食品，收款账户6222021234567890123，手机13912345678，户籍地：吉林省松原市宁江区某村7组"
WITHDRAWN_FACTS = "当事人在宁江区长宁街销售霉变大米"


@pytest.fixture
def world(make_duty, person, company, minor, publish, discloser_a, discloser_a2):
    WebhookReceiver.objects.create(name="信用平台", url="http://127.0.0.1:9/hook", secret="s3cret")
    p = make_duty(
        party=person,
        fields=penalty_fields(
            document_number="宁市监处罚〔2026〕101号",
            violation_facts=SECRET_FACTS + "，由其表兄赵铁柱经手",
            attachments=["张三丰身份证复印件.pdf"],
        ),
    )
    # the disclosure officer marks a third person's name; a colleague approves
    draft = services.disclosure_draft_create(actor=discloser_a, duty=p, marks=["赵铁柱"])
    services.disclosure_draft_review(actor=discloser_a2, draft=draft, approve=True)
    # a correction: version 1 stays in the public history, and must be redacted too
    correction = services.disclosure_draft_create(
        actor=discloser_a2,
        duty=p,
        fields=penalty_fields(
            document_number="宁市监处罚〔2026〕101号",
            violation_facts=SECRET_FACTS + "，由其表兄赵铁柱经手。",
            penalty_content="给予警告，并处罚款3000元",
            fine_amount="3000",
        ),
        purpose="correction",
        reason="罚款金额录入有误",
    )
    services.disclosure_draft_review(actor=discloser_a, draft=correction, approve=True)
    c = publish(make_duty(party=company, fields=penalty_fields(document_number="宁市监处罚〔2026〕102号")))
    w = publish(
        make_duty(
            party=company,
            fields=penalty_fields(document_number="宁市监处罚〔2026〕103号", violation_facts=WITHDRAWN_FACTS),
        )
    )
    services.disclosure_withdraw(
        actor=discloser_a, duty=w, ground=WithdrawalGround.REVOKED, explanation="经复议撤销"
    )
    m = make_duty(
        party=minor,
        fields=penalty_fields(
            document_number="宁市监处罚〔2026〕104号", violation_facts="未成年人李小明饮酒滋事"
        ),
    )
    checkpoint_create()
    return {"person": p, "company": c, "withdrawn": w, "minor": m, "party": person}


def _public_paths(client, world) -> dict[str, str]:
    """Every public path, rendered as text."""
    person, company, withdrawn, minor = world["person"], world["company"], world["withdrawn"], world["minor"]
    texts: dict[str, str] = {}

    def get(path):
        response = client.get(path)
        assert response.status_code in (200, 404, 410), (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if path.endswith(".xlsx") or "export.xlsx" in path:
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                body = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xml"))
        texts[path] = body.decode("utf-8")

    for path in [
        "/decisions/",
        "/decisions/?q=过期食品",
        "/decisions/?q=张三丰",
        "/decisions/?party=张三丰",
        "/decisions/?q=霉变大米",
        "/decisions/?q=李小明",
        f"/decisions/{person.public_id}/",
        f"/decisions/{company.public_id}/",
        f"/decisions/{withdrawn.public_id}/",
        f"/decisions/{minor.public_id}/",
        f"/decisions/{person.public_id}/correction/",
        "/decisions/feed.atom",
        "/decisions/export.csv?kind=penalty&from=2020-01-01&to=2030-12-31",
        "/decisions/export.xlsx?kind=penalty&from=2020-01-01&to=2030-12-31",
        "/disclosure-log/",
        "/verify/?number=宁市监处罚〔2026〕101号",
        "/verify/?number=宁市监处罚〔2026〕103号",
        "/verify/?number=宁市监处罚〔2026〕104号",
        "/api/disclosure/decisions",
        "/api/disclosure/decisions?q=张三丰",
        f"/api/disclosure/decisions/{person.public_id}",
        f"/api/disclosure/decisions/{withdrawn.public_id}",
        f"/api/disclosure/decisions/{minor.public_id}",
        "/api/disclosure/log",
    ]:
        get(path)
    texts["webhooks"] = "".join(WebhookDelivery.objects.values_list("body", flat=True))
    return texts


def _without_echo(path: str, text: str) -> str:
    """The page echoes the visitor's own query back in the search box: that is not a leak."""
    from urllib.parse import parse_qsl, urlsplit

    for _name, value in parse_qsl(urlsplit(path).query):
        text = text.replace(f'value="{value}"', "")
    return text


def test_no_public_path_leaks_redacted_withdrawn_or_exempt_data(client, world):
    # DESIGN.md: the public never receives the original through any page, API, feed, export,
    # version history or attachment; 《松原市行政执法公示办法》第十八条 (exempt) and 第二十八条 (withdrawn)
    party = world["party"]
    secrets = {
        "张三丰",
        party.id_number,
        "13912345678",
        "6222021234567890123",
        "吉林省松原市宁江区某村7组",
        "赵铁柱",
        "幸福小区",
        WITHDRAWN_FACTS,
        "霉变大米",
        "李小明",
        "饮酒滋事",
        "宁市监处罚〔2026〕104号",
    }
    texts = _public_paths(client, world)
    # a receiver got the withdrawn decision while it was public, then its withdrawal event
    pushed_before_withdrawal = {WITHDRAWN_FACTS, "霉变大米"}
    leaks = [
        (path, s)
        for path, text in texts.items()
        for s in secrets
        if s in _without_echo(path, text) and not (path == "webhooks" and s in pushed_before_withdrawal)
    ]
    assert WebhookDelivery.objects.filter(event="disclosure.withdrawn").count() == 1
    assert leaks == []
    # searching for an original finds nothing (the index holds only redacted text)
    for query in ("张三丰", "赵铁柱", "霉变大米", "李小明"):
        assert "没有符合条件的公示决定" in texts.get(
            f"/decisions/?q={query}", client.get("/decisions/", {"q": query}).content.decode()
        )
    # and the published data is there: the check above is not vacuous
    assert "张某某" in texts[f"/decisions/{world['person'].public_id}/"]
    assert (
        "宁市监处罚〔2026〕102号" in texts["/decisions/export.csv?kind=penalty&from=2020-01-01&to=2030-12-31"]
    )
    assert "宁市监处罚〔2026〕101号" in texts["webhooks"]


def test_search_finds_published_decisions_by_chinese_words(client, world):
    # issue 7 §9: jieba-segmented full-text search
    response = client.get("/decisions/?q=过期食品")
    assert "宁市监处罚〔2026〕101号" in response.content.decode()
    assert "宁市监处罚〔2026〕102号" in response.content.decode()
    assert "查询用时" in response.content.decode()
    response = client.get("/decisions/?q=食品安全法 警告&party=张某某")
    body = response.content.decode()
    assert "宁市监处罚〔2026〕101号" in body and "宁市监处罚〔2026〕102号" not in body


def test_search_filters_by_agency_kind_date_and_credit_code(client, world, company, agency_b):
    base = "/api/disclosure/decisions"
    numbers = lambda r: {i["document_number"] for i in r.json()["items"]}  # noqa: E731
    assert numbers(client.get(base, {"party": company.credit_code})) == {"宁市监处罚〔2026〕102号"}
    assert numbers(client.get(base, {"agency": str(agency_b.public_id)})) == set()
    assert numbers(client.get(base, {"kind": "licensing"})) == set()
    assert numbers(client.get(base, {"date_from": "2026-03-03"})) == set()
    assert len(numbers(client.get(base, {"date_to": "2026-03-02"}))) == 2
    assert client.get(base, {"kind": "nope"}).status_code == 422


def test_the_decision_list_costs_a_fixed_number_of_queries(client, world, make_duty, company, publish):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/decisions/?q=食品").status_code == 200
        return len(queries)

    before = count()
    for _ in range(5):
        publish(make_duty(party=company))
    assert count() == before


def test_the_decision_page_shows_the_current_version_and_its_redacted_history(client, world):
    body = client.get(f"/decisions/{world['person'].public_id}/").content.decode()
    assert "3000.00 元" in body and "历史版本" in body and "罚款金额录入有误" in body
    assert "5000.00 元" in body  # version 1, in the history


def test_a_withdrawn_decision_shows_only_the_notice_and_the_log_explains_it(client, world):
    # 行政处罚法 第四十八条; 《松原市行政执法公示办法》第二十八条 (撤下…并作出必要的说明)
    response = client.get(f"/decisions/{world['withdrawn'].public_id}/")
    assert response.status_code == 410
    assert "经复议撤销" in response.content.decode()
    log = client.get("/disclosure-log/").content.decode()
    assert "宁市监处罚〔2026〕103号" in log and "经复议撤销" in log
    assert "罚款金额录入有误" in log  # the correction too
    assert client.get(f"/decisions/{world['minor'].public_id}/").status_code == 404


def test_the_export_has_every_national_field(client, world):
    # issue 7 §3/§8: the 双公示 export carries every national data item
    response = client.get(
        "/decisions/export.csv", {"kind": "penalty", "from": "2026-01-01", "to": "2026-12-31"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    for required in (
        "行政相对人名称",
        "行政相对人类别",
        "行政相对人代码_1(统一社会信用代码)",
        "法定代表人",
        "行政处罚决定书文号",
        "违法行为类型",
        "违法事实",
        "处罚依据",
        "处罚类别",
        "处罚内容",
        "罚款金额（万元）",
        "没收违法所得、没收非法财物的金额（万元）",
        "暂扣或吊销证照名称及编号",
        "处罚决定日期",
        "处罚有效期",
        "公示截止期",
        "处罚机关",
        "处罚机关统一社会信用代码",
        "数据来源单位",
        "数据来源单位统一社会信用代码",
    ):
        assert required in header
    by_number = {r[header.index("行政处罚决定书文号")]: r for r in rows[1:]}
    assert by_number["宁市监处罚〔2026〕101号"][header.index("罚款金额（万元）")] == "0.300000"
    assert set(by_number) == {"宁市监处罚〔2026〕101号", "宁市监处罚〔2026〕102号"}
    assert header == [name for name, _ in F.LICENSING_COLUMNS] or "许可类别" not in header
    xlsx = client.get(
        "/decisions/export.xlsx", {"kind": "licensing", "from": "2026-01-01", "to": "2026-12-31"}
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == [name for name, _ in F.LICENSING_COLUMNS]
    assert client.get("/decisions/export.csv", {"kind": "penalty"}).status_code == 422


def test_the_atom_feed_lists_published_and_not_withdrawn_decisions(client, world):
    body = client.get("/decisions/feed.atom").content.decode()
    assert body.startswith("<?xml") and "<feed" in body
    assert "宁市监处罚〔2026〕101号" in body and "宁市监处罚〔2026〕103号" not in body


def test_a_document_is_verified_against_the_latest_checkpoint(client, world):
    # issue 7 §10: hash, ledger entry, inclusion proof against the latest checkpoint
    body = client.get("/verify/", {"number": "宁市监处罚〔2026〕101号"}).content.decode()
    assert "真实有效" in body and "✓ 验证通过" in body
    publication = world["person"].publications.order_by("-version").first()
    assert publication.public_sm3 in body
    assert "未找到正在公示" in client.get("/verify/", {"number": "宁市监处罚〔2026〕999号"}).content.decode()
    assert (
        "已从公示平台撤下" in client.get("/verify/", {"number": "宁市监处罚〔2026〕103号"}).content.decode()
    )


def test_a_correction_request_needs_no_account_and_is_tracked(client, world):
    # 《松原市行政执法公示办法》第三十一条
    url = f"/decisions/{world['company'].public_id}/correction/"
    response = client.post(
        url, {"requester_name": "某公司", "contact": "0438-1", "description": "金额有误", "evidence": ""}
    )
    assert "证据: 必须填写" in response.content.decode()
    response = client.post(
        url,
        {"requester_name": "某公司", "contact": "0438-1", "description": "金额有误", "evidence": "缴款凭证"},
        follow=True,
    )
    body = response.content.decode()
    assert "已受理" in body and "GZ" in body


def test_the_public_api_creates_a_correction_request(client, world):
    response = client.post(
        "/api/disclosure/corrections",
        {
            "decision": str(world["company"].public_id),
            "requester_name": "甲",
            "contact": "1",
            "description": "d",
            "evidence": "e",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    assert client.get(f"/api/disclosure/corrections/{number}").json()["status"] == "received"


def test_staff_see_original_beside_redacted_and_agency_b_sees_nothing(
    client_for, world, discloser_a, discloser_b
):
    page = client_for(discloser_a).get(f"/staff/disclosure/{world['person'].public_id}/").content.decode()
    assert "张三丰" in page and "张某某" in page  # side by side, for the disclosure officer only
    assert client_for(discloser_b).get(f"/staff/disclosure/{world['person'].public_id}/").status_code == 404
    assert client_for(discloser_b).get("/api/disclosure/duties").json()["count"] == 0
    assert client_for(discloser_a).get("/api/disclosure/duties").json()["count"] == 4


def test_the_public_log_is_the_record_of_what_was_done(world):
    kinds = sorted(PublicLogEntry.objects.values_list("kind", flat=True))
    assert kinds == ["corrected", "withdrawn"]


def test_overdue_duties_are_visible_to_the_disclosure_officer(client_for, make_duty, company, discloser_a):
    # DESIGN.md rules: 处罚 disclosed within 7 working days; an overdue duty must be visible
    import datetime as dt

    duty = make_duty(
        party=company, decided_on=dt.date(2026, 2, 10)
    )  # due before 5 March (春节 holidays in between)
    page = client_for(discloser_a).get("/staff/disclosure/").content.decode()
    assert "逾期未公示 1 件" in page and duty.document_number in page


def test_the_staff_queue_and_the_api_lists_cost_a_fixed_number_of_queries(
    client_for, make_duty, company, discloser_a
):
    client = client_for(discloser_a)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    make_duty(party=company)
    before = (
        count("/staff/disclosure/"),
        count("/api/disclosure/duties"),
        count("/api/disclosure/decisions"),
    )
    for _ in range(4):
        make_duty(party=company)
    assert (
        count("/staff/disclosure/"),
        count("/api/disclosure/duties"),
        count("/api/disclosure/decisions"),
    ) == before
