import datetime as dt

import pytest

from sanxiang.errors import InvalidInput
from sanxiang.registry import services
from sanxiang.registry.models import Officer, Party
from sanxiang.registry.selectors import visible_agencies
from sanxiang.testing.factories import AgencyFactory, OfficerFactory, ReviewerFactory, make_id_number

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 24)


def _officer(**kw):
    agency = kw.pop("agency", None) or AgencyFactory(region_code="220702", categories=["market"])
    return OfficerFactory(agency=agency, **kw)


def test_an_active_officer_with_a_current_credential_may_enforce_their_category_in_their_region():
    # 行政处罚法 第四十二条: 执法人员应当具有行政执法资格
    officer = _officer()
    result = services.officer_eligibility(officer=officer, category="market", region_code="220702", on=DAY)
    assert result.allowed
    assert result.reasons == []


def test_an_expired_credential_may_not_enforce_and_the_reason_names_the_date():
    # 行政处罚法 第四十二条
    officer = _officer(valid_until=dt.date(2026, 11, 23))
    result = services.officer_eligibility(officer=officer, category="market", region_code="220702", on=DAY)
    assert not result.allowed
    assert [r.rule for r in result.reasons] == ["credential_expired"]
    assert "2026-11-23" in result.reasons[0].message


def test_the_last_day_of_validity_still_counts():
    officer = _officer(valid_until=DAY)
    assert services.officer_eligibility(
        officer=officer, category="market", region_code="220702", on=DAY
    ).allowed


def test_a_credential_not_yet_valid_may_not_enforce():
    officer = _officer(valid_from=dt.date(2026, 12, 1))
    result = services.officer_eligibility(officer=officer, category="market", region_code="220702", on=DAY)
    assert [r.rule for r in result.reasons] == ["credential_not_yet_valid"]


@pytest.mark.parametrize("status", [Officer.Status.SUSPENDED, Officer.Status.REVOKED])
def test_suspended_or_revoked_credentials_may_not_enforce(status):
    officer = _officer(status=status)
    result = services.officer_eligibility(officer=officer, category="market", region_code="220702", on=DAY)
    assert [r.rule for r in result.reasons] == ["credential_status"]


def test_a_category_not_on_the_credential_is_refused():
    officer = _officer()
    result = services.officer_eligibility(officer=officer, category="transport", region_code="220702", on=DAY)
    assert [r.rule for r in result.reasons] == ["credential_category"]
    assert "交通运输" in result.reasons[0].message


def test_a_region_outside_the_credential_is_refused_but_a_district_inside_a_city_credential_is_allowed():
    district = _officer()
    city = _officer(credential_region="220700")
    assert not services.officer_eligibility(
        officer=district, category="market", region_code="220721", on=DAY
    ).allowed
    assert services.officer_eligibility(officer=city, category="market", region_code="220721", on=DAY).allowed


def test_every_failing_rule_is_reported_not_only_the_first():
    officer = _officer(status=Officer.Status.SUSPENDED, valid_until=dt.date(2025, 1, 1))
    result = services.officer_eligibility(officer=officer, category="ecology", region_code="110101", on=DAY)
    assert {r.rule for r in result.reasons} == {
        "credential_status",
        "credential_expired",
        "credential_category",
        "credential_region",
    }


# 国办发〔2018〕118号 四、（十一）and 铁西区司法局、昆明市、松原市的方案: 法制审核人员原则上不少于本单位
# 执法人员总数的5%; 昆明市工作方案 二、（三）1: 不足1人的至少按1人配置; 吴忠市市场监督管理局工作方案
# 二、（三）1: 不少于2名


@pytest.mark.parametrize(
    ("region", "officers", "required"),
    [
        ("530102", 0, 1),  # 昆明: at least one
        ("530102", 1, 1),
        ("530102", 20, 1),
        ("530102", 21, 2),
        ("220702", 0, 0),  # 松原: 5% only
        ("220702", 40, 2),
        ("220702", 41, 3),
        ("220702", 200, 10),
        ("640302", 1, 2),  # 吴忠: at least two
        ("640302", 60, 3),
    ],
)
def test_the_required_number_of_reviewers_follows_the_regions_ratio_and_minimum(region, officers, required):
    requirement = services.reviewer_requirement(region, DAY)
    assert services.required_reviewers(officers, requirement) == required


def test_the_compliance_report_counts_only_current_officers_and_reviewers():
    # 昆明市工作方案: 法制审核人员原则上不少于本单位执法人员总数的5%
    agency = AgencyFactory()
    OfficerFactory.create_batch(21, agency=agency)
    OfficerFactory(agency=agency, valid_until=dt.date(2025, 1, 1))  # expired: not counted
    OfficerFactory(agency=agency, status=Officer.Status.REVOKED)  # revoked: not counted
    ReviewerFactory(agency=agency, filed_on=dt.date(2024, 1, 1))
    ReviewerFactory(
        agency=agency, filed_on=dt.date(2024, 1, 1), withdrawn_on=dt.date(2026, 1, 1)
    )  # withdrawn
    [row] = services.reviewer_compliance(agencies=visible_agencies_all(agency), on=DAY)
    assert (row.officers, row.reviewers, row.required, row.compliant) == (21, 1, 2, False)
    ReviewerFactory(agency=agency, filed_on=dt.date(2026, 11, 1))
    [row] = services.reviewer_compliance(agencies=visible_agencies_all(agency), on=DAY)
    assert (row.reviewers, row.compliant) == (2, True)


def visible_agencies_all(agency):
    return type(agency).objects.filter(pk=agency.pk)


def test_an_agency_without_any_reviewer_is_reported_as_not_compliant():
    # 昆明市工作方案 二、（三）1: 不足1人的至少按1人配置
    agency = AgencyFactory(region_code="530102")
    [row] = services.reviewer_compliance(agencies=visible_agencies_all(agency), on=DAY)
    assert row.required == 1 and not row.compliant
    assert "法制审核人员不少于1名" in row.requirement


# Parties


def test_a_natural_person_with_a_bad_id_number_is_refused_naming_the_field_and_rule():
    with pytest.raises(InvalidInput) as err:
        services.party_create(
            actor=None,
            kind=Party.Kind.NATURAL_PERSON,
            name="张三",
            id_type="resident_id",
            id_number="110105194912310021",
        )
    [error] = err.value.errors
    assert error.field == "id_number"
    assert "GB 11643-1999" in error.message
    assert not Party.objects.exists()


def test_an_organisation_needs_a_valid_credit_code_and_a_legal_representative():
    with pytest.raises(InvalidInput) as err:
        services.party_create(
            actor=None, kind=Party.Kind.ORGANISATION, name="某公司", credit_code="91350100M000100Y44"
        )
    fields = {e.field for e in err.value.errors}
    assert fields == {"credit_code", "legal_representative"}
    assert not Party.objects.exists()


def test_minor_status_is_derived_from_the_id_number_on_a_given_day():
    # 民法典 第十七条: 不满十八周岁的自然人为未成年人 (《松原市行政执法公示办法》第十八条: minors are not disclosed)
    number = make_id_number(1, born=dt.date(2008, 11, 25))
    party = services.party_create(
        actor=None, kind=Party.Kind.NATURAL_PERSON, name="小明", id_type="resident_id", id_number=number
    )
    assert party.is_minor_on(dt.date(2026, 11, 24)) is True
    assert party.is_minor_on(dt.date(2026, 11, 25)) is False


def test_minor_status_is_unknown_for_a_passport_without_a_birth_date():
    party = services.party_create(
        actor=None, kind=Party.Kind.NATURAL_PERSON, name="John", id_type="passport", id_number="E12345678"
    )
    assert party.is_minor_on(DAY) is None


def test_organisations_are_never_minors():
    party = services.party_create(
        actor=None,
        kind=Party.Kind.ORGANISATION,
        name="某公司",
        credit_code="91350100M000100Y43",
        legal_representative="李四",
    )
    assert party.is_minor_on(DAY) is False


def test_supervisors_see_every_agency_in_their_region_and_officers_only_their_own(
    officer_a, supervisor, agency_a, agency_b, agency_elsewhere
):
    assert set(visible_agencies(officer_a)) == {agency_a}
    assert set(visible_agencies(supervisor)) == {agency_a, agency_b, supervisor.agency}
    assert agency_elsewhere not in set(visible_agencies(supervisor))


# Staff pages


def test_the_staff_officer_list_shows_only_the_users_agency(client_for, officer_a, agency_b):
    mine = OfficerFactory(agency=officer_a.agency, name="本局执法员")
    theirs = OfficerFactory(agency=agency_b, name="他局执法员")
    page = client_for(officer_a).get("/staff/registry/officers/").content.decode()
    assert mine.name in page
    assert theirs.name not in page


def test_the_compliance_page_flags_an_agency_without_reviewers_for_the_supervisor(
    client_for, supervisor, agency_a
):
    # 松政办发〔2019〕25号 责任分工方案 一、（三）1: 法制审核人员原则上不少于本单位执法人员总数的5%
    OfficerFactory(agency=agency_a)
    page = client_for(supervisor).get("/staff/registry/reviewer-compliance/").content.decode()
    assert agency_a.name in page
    assert "不足" in page
    assert "法制审核人员原则上不少于本单位执法人员总数的5%（《松原市人民政府办公室关于印发" in page


def test_officers_may_not_open_the_compliance_page(client_for, officer_a):
    assert client_for(officer_a).get("/staff/registry/reviewer-compliance/").status_code == 403
