"""Issue 10 §15: privacy on the public portal — the stress set (``stress_privacy.FORMS``: 100 written
forms of 13 kinds of personal data, invented people) published through the real pipeline (case →
disclosure duty → draft → internal review → publication) and looked for on every public surface:
decision page, list, search, Atom feed, API, 双公示 CSV and XLSX exports, verification, log, webhooks.

# DESIGN.md rules table (铁西区司法局、松原市的方案): 自然人姓名、身份证号码、电话、银行账号、住址 are redacted;
# 《松原市行政执法公示办法》第十八条第二项 (个人隐私) and 第三十条 (内部审核 before publication).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from urllib.parse import quote

import pytest

from sanxiang.cases import services as cases
from sanxiang.cases.tests.factories import officer_for
from sanxiang.disclosure import fields as F
from sanxiang.disclosure import services
from sanxiang.disclosure.models import WebhookDelivery, WebhookReceiver
from sanxiang.disclosure.redaction import ADDRESS_MARK, ID_MARK, redactor_for
from sanxiang.disclosure.tests import stress_privacy as S
from sanxiang.disclosure.tests.conftest import penalty_fields
from sanxiang.testing.factories import OfficerFactory, make_credit_code

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)


def _open_case(actor, party: dict, **kw):
    return cases.case_open(
        actor=actor,
        procedure="penalty_general",
        title="销售过期食品案",
        source="complaint",
        source_detail="群众投诉",
        officers=[actor.officer, OfficerFactory(agency=actor.agency)],
        parties=[party],
        **kw,
    )


def _forms(*kinds: str) -> str:
    return "；".join(f.text for f in S.FORMS if f.kind in kinds) + "。"


TEXT_KEYS = {kind: {i.key for i in F.items_for(kind) if i.type == F.TEXT} for kind in F.SOURCE_KINDS}
OTHER_KINDS = [k for k in S.KINDS if k not in ("minority_name", "premises")]


@pytest.fixture
def stress(officer_a, discloser_a, discloser_a2, agency_a):
    """Three decisions carrying every form, published by one disclosure officer, reviewed by another."""
    WebhookReceiver.objects.create(name="信用平台", url="http://127.0.0.1:9/hook", secret="s3cret")
    officer_for(officer_a)
    person_case = _open_case(
        officer_a,
        {
            "kind": "person",
            "name": S.PERSON_NAME,
            "id_type": "resident_id",
            "id_number": S.PERSON_ID,
            "phone": S.PERSON_PHONE,
            "address": S.PERSON_ADDRESS,
        },
        reporter_name=S.REPORTER_NAME,
        reporter_contact=f"{S.REPORTER_PHONE}，{S.REPORTER_EMAIL}",
        reporter_named=True,
    )
    shop_case = _open_case(
        officer_a,
        {
            "kind": "individual_business",
            "name": S.SHOP_NAME,
            "credit_code": make_credit_code(7301, department="9", kind="2"),
            "legal_representative": S.OPERATOR_NAME,
            "address": S.SHOP_ADDRESS,
        },
    )
    holder_case = _open_case(
        officer_a,
        {"kind": "person", "name": "尉迟国强", "id_type": "resident_id", "id_number": S.HOLDER_ID},
    )
    facts = _forms(*OTHER_KINDS)
    assert len(facts) <= 4000
    duties = [
        services.disclosure_duty_create(
            actor=officer_a,
            agency=agency_a,
            source_kind="penalty",
            source_ref=person_case.number,
            decided_on=DECIDED,
            party=person_case.case_parties.get().party,
            fields=penalty_fields(
                document_number="宁市监处罚〔2026〕151号",
                violation_facts=facts,
                penalty_content=f"给予警告，并处罚款5000元；{S.FORMS[4].text}",
                remarks=f"{S.PERSON_NAME}已缴纳罚款，联系电话{S.PERSON_PHONE}",
                attachments=[f"{S.PERSON_NAME}身份证复印件.pdf", f"{S.PERSON_ID}.jpg"],
            ),
        ),
        services.disclosure_duty_create(
            actor=officer_a,
            agency=agency_a,
            source_kind="penalty",
            source_ref=shop_case.number,
            decided_on=DECIDED,
            party=shop_case.case_parties.get().party,
            fields=penalty_fields(
                document_number="宁市监处罚〔2026〕152号", violation_facts=_forms("minority_name", "premises")
            ),
        ),
        services.disclosure_duty_create(
            actor=officer_a,
            agency=agency_a,
            source_kind="licensing",
            source_ref=holder_case.number,
            decided_on=DECIDED,
            party=holder_case.case_parties.get().party,
            fields={
                "document_name": "道路运输从业资格证核发决定书",
                "document_number": "宁交许〔2026〕9号",
                "license_category": "普通",
                "license_name": "道路运输从业资格证",
                # the certificate number is the holder's ID number (道路运输从业人员管理规定)
                "license_number": S.HOLDER_ID,
                "license_content": f"准予从事道路旅客运输，证号{S.HOLDER_ID}",
                "valid_from": "2026-03-02",
                "valid_until": "2032-03-01",
                "remarks": f"原证号 {S.HOLDER_ID[:6]} {S.HOLDER_ID[6:14]} {S.HOLDER_ID[14:]}",
            },
        ),
    ]
    for duty in duties:
        draft = duty.drafts.get()
        assert draft.created_by == officer_a
        services.disclosure_draft_review(actor=discloser_a, draft=draft, approve=True, note="同意公示")
        duty.refresh_from_db()
        assert duty.status == "published"
    return duties


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            body = b"".join(book.read(n) for n in book.namelist() if n.endswith(".xml"))
        # XLSX shared strings are XML-escaped; compare the text
        return re.sub(r"<[^>]+>", " ", body.decode("utf-8")).replace("&amp;", "&")
    text = body.decode("utf-8")
    if response["Content-Type"].startswith("text/csv"):
        return "\n".join(" ".join(row) for row in csv.reader(io.StringIO(text)))
    return text


def _without_echo(text: str, query: str) -> str:
    """A search page echoes the visitor's own query in the search box: that is not a leak."""
    from django.utils.html import escape

    return text.replace(f'value="{escape(query)}"', "").replace(f'value="{query}"', "")


def _surfaces(client, duties) -> dict[str, str]:
    paths = [
        "/decisions/",
        "/decisions/?q=过期食品",
        "/decisions/feed.atom",
        "/decisions/export.csv?kind=penalty&from=2020-01-01&to=2030-12-31",
        "/decisions/export.xlsx?kind=penalty&from=2020-01-01&to=2030-12-31",
        "/decisions/export.csv?kind=licensing&from=2020-01-01&to=2030-12-31",
        "/decisions/export.xlsx?kind=licensing&from=2020-01-01&to=2030-12-31",
        "/disclosure-log/",
        "/api/disclosure/decisions",
        "/api/disclosure/log",
    ]
    for duty in duties:
        paths += [
            f"/decisions/{duty.public_id}/",
            f"/api/disclosure/decisions/{duty.public_id}",
            f"/verify/?number={quote(duty.fields['document_number'])}",
        ]
    texts = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        texts[path] = _text(response)
    texts["webhooks"] = "".join(WebhookDelivery.objects.values_list("body", flat=True))
    return texts


def _variants(secret: str) -> set[str]:
    """The secret, and (for numbers) its digits alone, as a JSON or HTML body may carry them."""
    out = {secret}
    digits = re.sub(r"[\s\-]", "", secret)
    if re.fullmatch(r"[0-9Xx]{7,}", digits):
        out.add(digits)
    return out


def test_10_15_no_form_of_personal_data_leaks_on_any_public_surface(client, stress):
    texts = _surfaces(client, stress)
    leaks = [
        (form.kind, form.secret, path)
        for form in S.FORMS
        for path, text in texts.items()
        for secret in _variants(form.secret)
        if secret in text
    ]
    # the structured data of the parties and the complainant, in every public text
    for secret in (S.PERSON_NAME, S.PERSON_ID, S.PERSON_PHONE, S.REPORTER_NAME, S.OPERATOR_NAME, S.HOLDER_ID):
        leaks += [("structured", secret, path) for path, text in texts.items() if secret in text]
    assert leaks == [], f"{len({(k, s) for k, s, _p in leaks})} of {len(S.FORMS)} forms leak"
    assert len(S.FORMS) >= 100 and all(sum(f.kind == k for f in S.FORMS) >= 5 for k in S.KINDS)
    # the check is not vacuous: the decisions are there, redacted
    page = texts[f"/decisions/{stress[0].public_id}/"]
    assert "宁市监处罚〔2026〕151号" in page and "司马某某" in page and ID_MARK in page
    assert "过期食品" in page  # the facts themselves are published
    shop = texts[f"/decisions/{stress[1].public_id}/"]
    assert S.SHOP_NAME in shop and "阿某某" in shop and ADDRESS_MARK in shop
    licence = texts[f"/decisions/{stress[2].public_id}/"]
    assert "道路运输从业资格证" in licence and ID_MARK in licence
    assert "宁交许〔2026〕9号" in texts["/decisions/export.csv?kind=licensing&from=2020-01-01&to=2030-12-31"]


def test_10_15_searching_any_secret_finds_nothing(client, stress):
    # the index holds only the redacted text: an ID number, a name or a phone typed into the search
    # box finds no decision (and the page does not show it except in the visitor's own search box)
    for form in S.FORMS:
        for secret in _variants(form.secret):
            if len(secret.strip()) < 2:
                continue
            page = client.get("/decisions/", {"q": secret}).content.decode()
            assert secret not in _without_echo(page, secret), (form.kind, secret)
            api = client.get("/api/disclosure/decisions", {"q": secret}).json()
            assert all(secret not in str(item) for item in api["items"]), (form.kind, secret)
    for number in (S.PERSON_ID, S.HOLDER_ID, S.HOLDER_ID[:6] + " " + S.HOLDER_ID[6:]):
        assert client.get("/api/disclosure/decisions", {"q": number}).json()["items"] == []
        assert client.get("/api/disclosure/decisions", {"party": number}).json()["items"] == []
        assert "没有符合条件的公示决定" in client.get("/decisions/", {"q": number}).content.decode()
    # while the published words are found
    found = client.get("/api/disclosure/decisions", {"q": "过期食品"}).json()["items"]
    assert {i["document_number"] for i in found} >= {"宁市监处罚〔2026〕151号"}


def test_10_15_redacting_a_redacted_text_changes_nothing(stress):
    # the marker is never redacted again (a redacted text was once garbled: 住址[住址已隐去] → 住址[[住址已隐去]…)
    for duty in stress:
        publication = duty.publications.get()
        redactor = redactor_for(duty.party, [], agency_id=duty.agency_id, case_number=duty.source_ref)
        for key, value in publication.public.items():
            if key in TEXT_KEYS[duty.source_kind] and isinstance(value, str):
                again, found = redactor.text(key, value)
                assert again == value, (key, value, again)
                assert found == [], (key, found)
    facts = stress[0].publications.get().public["violation_facts"]
    assert "[[" not in facts and "]]" not in facts and "住址" + ADDRESS_MARK in facts


def test_10_15_the_disclosure_officer_sees_every_redaction_and_remaining_candidate(
    client, make_duty, company, discloser_a
):
    # 公示办法 第三十条: internal review before publication — the reviewer sees what was hidden and what
    # may still be personal data, highlighted
    duty = make_duty(
        party=company,
        fields=penalty_fields(
            violation_facts="投诉人王秀英（手机13912345678）反映，联系人Peter Chen称，编号 88 7766 5544 已核实"
        ),
    )
    client.force_login(discloser_a)
    page = client.get(f"/staff/disclosure/{duty.public_id}/").content.decode()
    assert "去标识化核对" in page
    assert "王秀英" in page and "王某某" in page and "电话号码" in page and "人名识别" in page
    assert '<mark class="candidate"' in page and "Peter Chen</mark>" in page
    assert "疑似个人信息未隐去" in page
