"""The rules other apps ask the catalogues: major decisions, audio/video needs, the update duty."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import ListKind
from sanxiang.catalog.services import DecisionProposal, is_major_decision
from sanxiang.catalog.tests.conftest import DAY
from sanxiang.errors import InvalidInput
from sanxiang.procedures import registry
from sanxiang.procedures.engine import CaseContext, check_transition
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db


def criterion(code, kind, **over):
    data = {
        "code": code,
        "kind": kind,
        "decision_category": "penalty",
        "penalty_kind": "",
        "party_scope": "any",
        "threshold": None,
        "description": f"标准{code}",
        "basis_law": "某市市场监管局重大执法决定法制审核目录",
        "basis_article": f"第{code}项",
    }
    data.update(over)
    return data


# --- 重大执法决定 ------------------------------------------------------------------------------------------


def test_the_law_makes_a_decision_after_a_hearing_major_even_with_an_empty_list(agency_a):
    # 行政处罚法 第五十八条第一款第二项; 《松原市重大行政执法决定法制审核办法》第三条第一款第三项
    matched = is_major_decision(agency=agency_a, proposal=DecisionProposal(hearing_held=True), on=DAY)
    assert [m.code for m in matched] == ["law:hearing"]
    assert matched[0].statutory and "第五十八条" in matched[0].source


@pytest.mark.parametrize(
    ("flag", "code"),
    [
        ("public_interest", "law:public_interest"),
        ("complex", "law:complex"),
        ("major_rights", "law:major_rights"),
        ("social_impact", "law:social_impact"),
    ],
)
def test_each_statutory_ground_makes_a_decision_major(agency_a, flag, code):
    # 行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第三条
    matched = is_major_decision(agency=agency_a, proposal=DecisionProposal(**{flag: True}), on=DAY)
    assert [m.code for m in matched] == [code]


def test_an_ordinary_decision_with_an_empty_list_is_not_major(agency_a):
    assert (
        is_major_decision(agency=agency_a, proposal=DecisionProposal(fine_amount=Decimal(5000)), on=DAY) == []
    )


def test_a_listed_kind_of_penalty_makes_a_decision_major(publish, agency_a):
    # 《松原市重大行政执法决定法制审核办法》第三条第二款: the agency's own 目录 (吊销许可证件 …)
    publish(kind=ListKind.MAJOR, data=criterion("1", "penalty_kind", penalty_kind="revoke_permit"))
    hit = is_major_decision(
        agency=agency_a, proposal=DecisionProposal(penalty_kinds=frozenset({"revoke_permit"})), on=DAY
    )
    assert [(m.code, m.statutory, m.source) for m in hit] == [
        ("1", False, "某市市场监管局重大执法决定法制审核目录 第1项")
    ]
    miss = is_major_decision(
        agency=agency_a, proposal=DecisionProposal(penalty_kinds=frozenset({"warning"})), on=DAY
    )
    assert miss == []


def test_fine_thresholds_include_the_amount_itself_and_respect_the_party(publish, agency_a):
    # 《松原市重大行政执法决定法制审核办法》第三条第二款 (数额标准); "以上" includes the amount itself
    publish(kind=ListKind.MAJOR, data=criterion("2", "fine", party_scope="person", threshold="10000"))
    publish(kind=ListKind.MAJOR, data=criterion("3", "fine", party_scope="organisation", threshold="100000"))

    def codes(amount, party):
        proposal = DecisionProposal(fine_amount=Decimal(amount), party_kind=party)
        return [m.code for m in is_major_decision(agency=agency_a, proposal=proposal, on=DAY)]

    assert codes("10000", "person") == ["2"]
    assert codes("9999.99", "person") == []
    assert codes("50000", "organisation") == []
    assert codes("100000", "organisation") == ["3"]


def test_confiscation_thresholds_apply_to_the_confiscated_amount(publish, agency_a):
    publish(kind=ListKind.MAJOR, data=criterion("4", "confiscation", threshold="50000"))
    proposal = DecisionProposal(confiscation_amount=Decimal("50000"), fine_amount=Decimal(0))
    assert [m.code for m in is_major_decision(agency=agency_a, proposal=proposal, on=DAY)] == ["4"]


def test_a_criterion_for_another_decision_category_does_not_apply(publish, agency_a):
    publish(
        kind=ListKind.MAJOR,
        data=criterion("5", "penalty_kind", penalty_kind="revoke_permit", decision_category="licensing"),
    )
    proposal = DecisionProposal(penalty_kinds=frozenset({"revoke_permit"}))
    assert is_major_decision(agency=agency_a, proposal=proposal, on=DAY) == []


def test_a_criterion_applies_from_its_effective_date(publish, agency_a):
    publish(
        kind=ListKind.MAJOR,
        data=criterion("6", "penalty_kind", penalty_kind="close"),
        on=DAY + dt.timedelta(days=30),
    )
    proposal = DecisionProposal(penalty_kinds=frozenset({"close"}))
    assert is_major_decision(agency=agency_a, proposal=proposal, on=DAY) == []
    assert len(is_major_decision(agency=agency_a, proposal=proposal, on=DAY + dt.timedelta(days=30))) == 1


def test_free_form_criteria_match_by_code_and_keep_their_source(publish, agency_a):
    # 行政处罚法 第五十八条第一款第四项: 法律、法规规定应当进行法制审核的其他情形
    publish(
        kind=ListKind.MAJOR,
        data=criterion("7", "other", basis_law="某省食品安全条例", basis_article="第四十条"),
    )
    proposal = DecisionProposal(other_criteria=frozenset({"7"}))
    matched = is_major_decision(agency=agency_a, proposal=proposal, on=DAY)
    assert [(m.code, m.source) for m in matched] == [("7", "某省食品安全条例 第四十条")]


def test_an_amount_criterion_needs_a_positive_threshold(publish):
    with pytest.raises(InvalidInput) as info:
        publish(kind=ListKind.MAJOR, data=criterion("8", "fine"))
    assert [e.rule for e in info.value.errors] == ["threshold_required"]


def test_other_agencies_criteria_do_not_apply(publish, agency_a, agency_b, head_b):
    publish(
        kind=ListKind.MAJOR,
        data=criterion("9", "penalty_kind", penalty_kind="close"),
        actor=head_b,
        agency=agency_b,
    )
    assert (
        is_major_decision(
            agency=agency_a, proposal=DecisionProposal(penalty_kinds=frozenset({"close"})), on=DAY
        )
        == []
    )


# --- 音像记录事项清单 --------------------------------------------------------------------------------------


def recording(code, record, procedure="penalty_general"):
    return {
        "code": code,
        "procedure": procedure,
        "record": record,
        "description": "询问全程录音录像",
        "basis_law": "某局音像记录事项清单",
        "basis_article": "",
    }


def test_the_recording_list_names_records_of_the_procedure_definitions(publish):
    with pytest.raises(InvalidInput) as info:
        publish(kind=ListKind.RECORDING, data=recording("1", "no_such_record"))
    assert [e.rule for e in info.value.errors] == ["record_unknown"]
    with pytest.raises(InvalidInput) as info:
        publish(kind=ListKind.RECORDING, data=recording("1", "inquiry_record", procedure="nope"))
    assert [e.rule for e in info.value.errors] == ["procedure_unknown"]


def test_a_record_the_law_already_requires_on_video_is_not_listed_again(publish):
    # 《松原市行政执法全过程记录实施办法》第十三条: on-site inspection is recorded on video by law
    with pytest.raises(InvalidInput) as info:
        publish(kind=ListKind.RECORDING, data=recording("1", "onsite_inspection_record"))
    assert [e.rule for e in info.value.errors] == ["already_statutory"]
    assert "第十三条" in info.value.errors[0].message


def test_the_agency_list_adds_audio_video_requirements_to_cases(publish, agency_a):
    # 《松原市行政执法全过程记录实施办法》第十三条: 其他调查取证方式可根据执法需要进行音像记录 — the agency's list decides
    publish(kind=ListKind.RECORDING, data=recording("1", "inquiry_record"))
    extra = services.recording_required_records(agency=agency_a, procedure="penalty_general", on=DAY)
    assert extra == {"inquiry_record"}
    defn = registry.get("penalty_general")
    ctx = CaseContext(
        records={"inquiry_record": 1, "investigation_report": 1},
        facts={"valid_officers": 2, "credentials_shown": True},
        extra_av=extra,
    )
    assert [u.rule for u in check_transition(defn, "investigation", "notify", ctx)] == ["av_required"]


# --- 20 working days after a change in law ---------------------------------------------------------------


def record_change(actor, agency, trigger=DAY):
    return services.law_change_record(
        actor=actor,
        agency=agency,
        kind="amended",
        title="中华人民共和国食品安全法（2021年修正）",
        trigger_date=trigger,
        lists=[ListKind.ITEMS],
    )


def test_a_change_in_law_is_due_within_20_working_days(calendar, head_a, agency_a):
    # 《松原市行政执法公示办法》第二十五条
    change = record_change(head_a, agency_a)
    expected = add_working_days(DAY, 20)
    assert (change.start_date, change.days, change.unit) == (DAY, 20, "working")
    assert change.due_date == expected.due
    assert change.calendar_version == expected.calendar_version


def test_an_update_not_done_by_the_due_date_is_overdue(calendar, head_a, agency_a, supervisor, officer_b):
    # 《松原市行政执法公示办法》第二十五条、第三十三条 (更新维护不及时)
    change = record_change(head_a, agency_a)
    assert list(selectors.overdue_law_changes(head_a, today=change.due_date)) == []
    after = change.due_date + dt.timedelta(days=1)
    assert list(selectors.overdue_law_changes(head_a, today=after)) == [change]
    assert list(selectors.overdue_law_changes(supervisor, today=after)) == [change]
    assert list(selectors.overdue_law_changes(officer_b, today=after)) == []


def test_a_completed_update_is_no_longer_overdue_and_shows_whether_it_was_on_time(calendar, head_a, agency_a):
    # 《松原市行政执法公示办法》第二十五条
    change = record_change(head_a, agency_a, trigger=timezone.localdate() - dt.timedelta(days=60))
    done = services.law_change_complete(actor=head_a, law_change=change)
    assert list(selectors.overdue_law_changes(head_a)) == []
    assert done.on_time is False
    assert services.law_change_complete(actor=head_a, law_change=change).pk == done.pk  # retry


def test_a_completion_before_the_change_is_refused(calendar, head_a, agency_a):
    change = record_change(head_a, agency_a)
    with pytest.raises(InvalidInput) as info:
        services.law_change_complete(actor=head_a, law_change=change, completed_on=DAY - dt.timedelta(days=1))
    assert info.value.errors[0].field == "completed_on"


def test_a_change_without_a_trigger_date_is_refused_naming_the_rule(head_a, agency_a):
    with pytest.raises(InvalidInput) as info:
        services.law_change_record(
            actor=head_a, agency=agency_a, kind="amended", title="某法", trigger_date=None
        )
    assert info.value.errors[0].field == "trigger_date"
    assert "第二十五条" in info.value.errors[0].message


def test_a_version_may_point_at_the_change_it_follows_but_only_of_its_own_agency(
    calendar, publish, head_a, head_b, agency_b
):
    change_b = record_change(head_b, agency_b)
    with pytest.raises(InvalidInput):
        publish(law_change=change_b)
    change_a = record_change(head_a, head_a.agency)
    assert publish(law_change=change_a).entry.law_change == change_a
