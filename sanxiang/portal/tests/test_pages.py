"""The public portal: ex-ante disclosure of agencies and the officer lookup."""

import datetime as dt

import pytest
import time_machine

from sanxiang.registry.models import Agency, Officer
from sanxiang.testing.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


def test_the_agency_list_shows_active_agencies_with_their_supervision_phone(anonymous, agency_a):
    AgencyFactory(name="已撤销的执法局", status=Agency.Status.REVOKED)
    page = anonymous.get("/agencies/").content.decode()
    assert agency_a.name in page
    assert agency_a.supervision_phone in page
    assert "已撤销的执法局" not in page
    assert "最近更新" in page


def test_the_agency_detail_discloses_basis_head_and_legal_office(anonymous, agency_a):
    page = anonymous.get(f"/agencies/{agency_a.public_id}/").content.decode()
    for text in (
        agency_a.qualification_basis,
        agency_a.head_name,
        agency_a.legal_office_name,
        agency_a.credit_code,
    ):
        assert text in page
    assert agency_a.supervisor.name in page


def test_a_revoked_agency_has_no_public_page(anonymous):
    agency = AgencyFactory(status=Agency.Status.REVOKED)
    assert anonymous.get(f"/agencies/{agency.public_id}/").status_code == 404


@time_machine.travel(TODAY)
def test_the_officer_lookup_says_whether_a_credential_is_valid_today(anonymous, agency_a):
    OfficerFactory(agency=agency_a, name="王伟", credential_number="22070200101")
    OfficerFactory(
        agency=agency_a, name="李娜", credential_number="22070200102", valid_until=dt.date(2026, 11, 23)
    )
    OfficerFactory(
        agency=agency_a, name="张敏", credential_number="22070200103", status=Officer.Status.SUSPENDED
    )
    assert "证件有效" in anonymous.get("/officers/", {"q": "王伟"}).content.decode()
    # issue 12 §8: the reason says on which date it expired
    assert (
        "证件无效：已于 2026-11-23 到期" in anonymous.get("/officers/", {"q": "22070200102"}).content.decode()
    )
    assert "证件无效：暂扣" in anonymous.get("/officers/", {"q": "张敏"}).content.decode()
    assert "未找到" in anonymous.get("/officers/", {"q": "不存在的人"}).content.decode()


@time_machine.travel(TODAY)
def test_an_htmx_lookup_returns_only_the_results_fragment(anonymous, agency_a):
    OfficerFactory(agency=agency_a, name="王伟", credential_number="22070200101")
    fragment = anonymous.get("/officers/", {"q": "王伟"}, headers={"HX-Request": "true"}).content.decode()
    assert "证件有效" in fragment
    assert "<html" not in fragment


def test_the_agency_list_uses_a_fixed_number_of_queries(anonymous, agency_a, django_assert_max_num_queries):
    for _ in range(30):
        OfficerFactory(agency=AgencyFactory())
    with django_assert_max_num_queries(4):
        assert anonymous.get("/agencies/").status_code == 200


# 事中公示: credential check and the service-window display


@time_machine.travel(TODAY)
def test_the_credential_check_says_an_officer_may_act_here_today(anonymous, agency_a):
    # 行政处罚法 第四十二条、第五十五条: 执法人员应当出示执法证件
    OfficerFactory(agency=agency_a, name="王伟", credential_number="22070200101")
    page = anonymous.get(
        "/credential-check/",
        {"credential_number": "22070200101", "category": "market", "region_code": "220702"},
    ).content.decode()
    assert "今日有效" in page
    assert "有权在该地区从事该类执法" in page


@time_machine.travel(TODAY)
def test_the_credential_check_explains_why_an_officer_may_not_act(anonymous, agency_a):
    # 行政处罚法 第四十二条
    OfficerFactory(agency=agency_a, name="王伟", credential_number="22070200101")
    page = anonymous.get(
        "/credential-check/",
        {"credential_number": "22070200101", "category": "transport", "region_code": "220721"},
    ).content.decode()
    assert "无权从事该项执法" in page
    assert "不含执法类别「交通运输」" in page
    assert "不包含 220721" in page


def test_the_credential_check_names_a_malformed_region_code(anonymous, agency_a):
    OfficerFactory(agency=agency_a, credential_number="22070200101")
    page = anonymous.get(
        "/credential-check/", {"credential_number": "22070200101", "region_code": "22"}
    ).content.decode()
    assert "行政区划代码 (GB/T 2260)" in page


@time_machine.travel(TODAY)
def test_the_service_window_lists_only_officers_with_valid_credentials(anonymous, agency_a):
    OfficerFactory(agency=agency_a, name="王伟")
    OfficerFactory(agency=agency_a, name="李娜", valid_until=dt.date(2026, 1, 1))
    OfficerFactory(agency=agency_a, name="张敏", status=Officer.Status.SUSPENDED)
    page = anonymous.get(f"/agencies/{agency_a.public_id}/window/").content.decode()
    assert "王伟" in page
    assert "李娜" not in page and "张敏" not in page
    assert agency_a.supervision_phone in page


def test_the_rights_page_states_every_remedy_with_its_period_and_source(anonymous, db):
    page = anonymous.get("/rights/").content.decode()
    # 《中华人民共和国行政处罚法》第六十四条、第八十五条: 听证 within 5 working days of notice; notice 7 before
    assert "在行政机关告知后5个工作日内提出" in page and "举行听证的7个工作日前" in page
    # 《中华人民共和国行政复议法》第二十条: 60 days; 《中华人民共和国行政诉讼法》第四十六条: 6 months, 第四十五条: 15 days
    assert "之日起60日内提出" in page and "之日起6个月内提出" in page and "复议决定书之日起15日内提出" in page
    assert "最近更新" in page


def test_the_supervision_page_lists_each_agencys_phone_and_supervisor(anonymous, agency_a):
    page = anonymous.get("/supervision/").content.decode()
    assert agency_a.supervision_phone in page
    assert agency_a.supervisor.name in page


def test_the_home_page_links_every_disclosure_section(anonymous, agency_a):
    page = anonymous.get("/").content.decode()
    for path in (
        "/decisions/",
        "/agencies/",
        "/officers/",
        "/verify/",
        "/catalog/",
        "/procedures/",
        "/rights/",
    ):
        assert f'href="{path}' in page, path
    assert "暂无公示的执法决定" in page


def test_the_home_page_lists_recent_decisions_with_a_fixed_number_of_queries(
    demo_db, anonymous, django_assert_max_num_queries
):
    from sanxiang.disclosure.selectors import public_decisions

    newest = public_decisions().order_by("-decided_on", "-id").first()
    assert newest is not None
    with django_assert_max_num_queries(6):
        page = anonymous.get("/").content.decode()
    assert newest.document_number in page
