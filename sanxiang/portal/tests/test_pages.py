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
    assert "证件无效：已过期" in anonymous.get("/officers/", {"q": "22070200102"}).content.decode()
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
