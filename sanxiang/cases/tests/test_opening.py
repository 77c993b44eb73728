"""登记案件 in the staff site (/staff/cases/new/): a thin form over ``services.case_open``."""

import datetime as dt

import pytest

from sanxiang.cases.models import Case
from sanxiang.cases.tests.factories import PERSON
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import Party
from sanxiang.registry.validators import CREDIT_CODE_RULE
from sanxiang.testing.factories import MarketEntityFactory, OfficerFactory, make_credit_code

pytestmark = pytest.mark.django_db

URL = "/staff/cases/new/"
COMPANY_CODE = make_credit_code(8123, department="9", kind="1")


@pytest.fixture
def matter(head_a, agency_a):
    return catalog.entry_publish(
        actor=head_a,
        kind=ListKind.ITEMS,
        agency=agency_a,
        data={
            "code": "CF-001",
            "category": "penalty",
            "name": "对经营超过保质期食品的处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十四条",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
            "note": "",
        },
        effective_from=dt.date(2026, 1, 1),
        reason="首次公布",
    )


def organisation(index=0, **over):
    data = {
        f"party-{index}-kind": "organisation",
        f"party-{index}-name": "松原市某某食品有限公司",
        f"party-{index}-credit_code": COMPANY_CODE,
        f"party-{index}-legal_representative": "赵六",
    }
    data.update({f"party-{index}-{k}": v for k, v in over.items()})
    return data


def form(officers, **over):
    data = {
        "form_key": "new-case-1",
        "procedure": "penalty_general",
        "matter_code": "CF-001",
        "title": "销售过期食品案",
        "source": "complaint",
        "source_detail": "12315 转来投诉",
        "party_count": "1",
        "officers": [str(o.public_id) for o in officers],
        **organisation(),
    }
    data.update(over)
    return data


def test_the_form_offers_procedures_matters_in_force_and_each_officers_credential_status(
    client_for, handler, second_officer, agency_a, matter, traveller
):
    OfficerFactory(agency=agency_a, name="丙过期员", valid_until=dt.date(2026, 2, 1))
    page = client_for(handler).get(URL).content.decode()
    assert "行政处罚一般程序" in page and "行政许可" in page
    assert "CF-001 对经营超过保质期食品的处罚" in page
    assert "甲执法员" in page and "乙执法员" in page and "证件有效" in page
    assert "丙过期员" in page and "执法证件已于 2026-02-01 到期" in page
    assert 'href="/staff/cases/new/"' in client_for(handler).get("/staff/cases/").content.decode()


def test_an_officer_opens_a_case_with_an_organisation_and_a_person(
    client_for, handler, second_officer, matter, traveller
):
    person = {f"party-1-{k}": v for k, v in PERSON.items()}
    data = form([handler.officer, second_officer], party_count="2", **person)
    response = client_for(handler).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == f"/staff/cases/{case.public_id}/"
    assert case.matter_name == "对经营超过保质期食品的处罚" and case.source == "complaint"
    assert [p.party.name for p in case.case_parties.all()] == ["松原市某某食品有限公司", "钱七"]
    assert [o.name for o in case.case_officers.all()] == ["甲执法员", "乙执法员"]
    assert Entry.objects.filter(kind="cases.case.opened").count() == 1
    again = client_for(handler).post(URL, data)  # a double tap on a slow network: the same case
    assert again["Location"] == response["Location"] and Case.objects.count() == 1


def test_fewer_than_two_valid_officers_is_refused_beside_the_field_and_keeps_what_was_typed(
    client_for, handler, agency_a, matter, traveller
):
    # 行政处罚法 第四十二条: 执法人员不得少于两人
    expired = OfficerFactory(agency=agency_a, name="丙过期员", valid_until=dt.date(2026, 2, 1))
    entries = Entry.objects.count()
    response = client_for(handler).post(
        URL, form([handler.officer, expired], title="我输入的案由", source_detail="我输入的说明")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="officers-error"' not in page  # two were chosen; one of them is not valid
    assert "丙过期员: 执法证件已于 2026-02-01 到期（行政处罚法 第四十二条）" in page
    assert 'value="我输入的案由"' in page and "我输入的说明" in page and COMPANY_CODE in page
    assert f'value="{expired.public_id}" checked' in page
    assert (Case.objects.count(), Party.objects.count(), Entry.objects.count()) == (0, 0, entries)

    alone = client_for(handler).post(URL, form([handler.officer])).content.decode()
    assert 'id="officers-error"' in alone and "第四十二条" in alone


def test_a_bad_credit_code_is_shown_beside_the_party_field_and_nothing_is_written(
    client_for, handler, second_officer, matter, traveller
):
    # GB 32100: the 18th character of a 统一社会信用代码 is a check character
    bad = COMPANY_CODE[:-1] + ("0" if COMPANY_CODE[-1] != "0" else "1")
    response = client_for(handler).post(
        URL, form([handler.officer, second_officer], **organisation(credit_code=bad))
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert f'<span class="field-error">{CREDIT_CODE_RULE}: 校验码错误，第18位应为 {COMPANY_CODE[-1]}' in page
    assert f'value="{bad}"' in page
    assert not Case.objects.exists() and not Party.objects.exists()


def test_a_party_is_prefilled_from_the_market_entity_directory(client_for, handler, traveller):
    entity = MarketEntityFactory(
        name="宁江区老王烧烤店", kind="individual_business", legal_representative="王五"
    )
    client = client_for(handler)
    found = client.get("/staff/cases/new/entities/", {"index": "0", "q": "老王"}).content.decode()
    assert "宁江区老王烧烤店" in found and entity.credit_code in found
    by_code = client.get("/staff/cases/new/entities/", {"index": "0", "q": entity.credit_code[:10]})
    assert "宁江区老王烧烤店" in by_code.content.decode()
    block = client.get(
        "/staff/cases/new/party/", {"index": "0", "entity": entity.credit_code}
    ).content.decode()
    assert f'value="{entity.credit_code}"' in block and 'value="王五"' in block
    assert '<option value="individual_business" selected>' in block


def test_adding_a_party_block_keeps_the_form(client_for, handler, traveller):
    response = client_for(handler).post(URL, {**form([]), "action": "add_party"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="party-1"' in page and 'value="销售过期食品案"' in page
    assert not Case.objects.exists()


def test_officers_of_another_agency_cannot_be_chosen_and_supervisors_cannot_open_cases(
    client_for, handler, second_officer, officer_b, agency_b, supervisor, matter, traveller
):
    other = OfficerFactory(agency=agency_b)
    response = client_for(handler).post(URL, form([handler.officer, other]))
    assert response.status_code == 422 and "不存在或不是本机关人员" in response.content.decode()
    assert other.name not in client_for(handler).get(URL).content.decode()
    assert client_for(supervisor).get(URL).status_code == 403
    assert not Case.objects.exists()
