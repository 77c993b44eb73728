"""The other procedures, run through the cases services exactly as their definitions declare
(sanxiang/procedures/library.py): 行政许可, 行政强制措施 (查封、扣押) and 行政检查. Each test names the
source of its rule; expected dates come from the working-day calendar, not from the code under test."""

import datetime as dt

import pytest

from sanxiang.cases import selectors, services
from sanxiang.cases.tests.conftest import TZ
from sanxiang.cases.tests.factories import approve, open_case, present, video
from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.testing.factories import OfficerFactory
from sanxiang.workdays.services import add_natural_days, add_working_days

pytestmark = pytest.mark.django_db


def rules(exc) -> set[str]:
    return {e.rule for e in exc.value.errors}


def messages(exc) -> str:
    return " ".join(e.message for e in exc.value.errors)


def deadline(case, key):
    return next(d for d in selectors.case_deadlines(case) if d.key == key)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def add(handler, case, kind, blobs=(), officers=None, **payload):
    return services.record_add(
        actor=handler,
        case=case,
        kind=kind,
        payload=payload or {"content": kind},
        blobs=list(blobs),
        officers=officers,
    )


@pytest.fixture
def people(handler, second_officer, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


# ---------------------------------------------------------------- 行政许可


def accepted_licence(handler, *, partner=None):
    case = open_case(
        handler, partner=partner, procedure="licensing", source="application", title="食品经营许可"
    )
    add(handler, case, "application_register")
    add(handler, case, "acceptance_receipt")
    services.case_transition(actor=handler, case=case, transition="accept")
    return case


def test_a_licence_application_is_accepted_only_with_a_stamped_dated_receipt(handler, traveller):
    # 行政许可法 第三十二条第二款 (受理凭证); 《松原市行政执法全过程记录实施办法》第七条 (申请登记)
    case = open_case(handler, procedure="licensing", source="application", title="食品经营许可")
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=handler, case=case, transition="accept")
    assert {"record_required", "application_complete"} <= rules(refused)
    assert "行政许可法 第三十二条第二款" in messages(refused) and "第七条" in messages(refused)


def test_incomplete_materials_are_notified_at_once_within_5_working_days(handler, traveller):
    # 行政许可法 第三十二条第一款第四项; 第八十二条 (以工作日计算)
    applied = dt.date(2026, 9, 28)  # the Monday before the National Day holiday
    traveller.move_to(at(applied))
    case = open_case(handler, procedure="licensing", source="application", title="食品经营许可")
    add(handler, case, "application_register")
    limit = deadline(case, "supplement")
    assert limit.state == "running" and limit.due == add_working_days(applied, 5).due
    assert (limit.due - applied).days > 7  # the holiday is not counted
    traveller.move_to(at(limit.due + dt.timedelta(days=1)))
    assert deadline(case, "supplement").state == "overdue"


def test_a_licence_is_decided_within_20_working_days_of_acceptance(handler, traveller):
    # 行政许可法 第四十二条第一款; 第八十二条
    accepted_on = dt.date(2026, 9, 25)
    traveller.move_to(at(accepted_on))
    case = accepted_licence(handler)
    limit = deadline(case, "decision")
    assert limit.state == "running" and limit.due == add_working_days(accepted_on, 20).due
    assert (limit.due - accepted_on).days > 28  # 国庆 holidays are not working days
    traveller.move_to(at(limit.due + dt.timedelta(days=1)))
    assert deadline(case, "decision").state == "overdue"


def test_the_head_may_extend_the_licence_decision_by_10_days_and_no_more(people, traveller):
    # 行政许可法 第四十二条第一款: 经本行政机关负责人批准，可以延长十日
    h, head = people["handler"], people["head"]
    case = accepted_licence(h)
    with pytest.raises(services.Forbidden):
        services.case_extend(actor=h, case=case, limit="decision", days=10, reason="情况复杂")
    services.case_extend(actor=head, case=case, limit="decision", days=10, reason="需实地核查")
    assert deadline(case, "decision").due == add_working_days(dt.date(2026, 3, 2), 30).due
    with pytest.raises(InvalidInput) as exc:
        services.case_extend(actor=head, case=case, limit="decision", days=1, reason="再延")
    assert "extension_cap" in rules(exc) and "行政许可法 第四十二条" in messages(exc)


def test_onsite_verification_of_a_licence_needs_audio_video(handler, traveller):
    # 行政许可法 第三十四条第三款; 《松原市行政执法全过程记录实施办法》第十三条
    case = accepted_licence(handler)
    with pytest.raises(InvalidInput) as exc:
        add(handler, case, "onsite_verification", officers=present(case))
    assert "av_required" in rules(exc) and "第十三条" in messages(exc)
    add(handler, case, "onsite_verification", blobs=[video()], officers=present(case))


def test_a_hearing_requested_more_than_5_working_days_after_notice_is_not_held(people, traveller):
    # 行政许可法 第四十七条第一款
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    add(h, case, "hearing_rights_notice")
    last_day = add_working_days(dt.date(2026, 3, 2), 5).due
    assert deadline(case, "hearing_request").due == last_day
    traveller.move_to(at(last_day + dt.timedelta(days=1)))
    add(h, case, "hearing_request")
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="hold_hearing")
    assert rules(refused) == {"licensing_hearing_requested_in_time"} and "第四十七条" in messages(refused)


def test_a_licence_hearing_is_noticed_at_least_7_working_days_ahead(people, traveller):
    # 行政许可法 第四十八条第一款第一项; 第四十七条 (请求在五日内提出)
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    add(h, case, "hearing_rights_notice")
    add(h, case, "hearing_request")
    services.case_transition(actor=h, case=case, transition="hold_hearing")
    add(
        h,
        case,
        "hearing_notice",
        document_number="听〔2026〕1号",
        hearing_at="2026-03-20T09:00",
        place="一楼",
    )
    earliest = add_working_days(dt.date(2026, 3, 2), 7).due
    assert deadline(case, "hearing_notice").due == earliest
    traveller.move_to(at(earliest - dt.timedelta(days=1)))
    add(h, case, "hearing_record", blobs=[video()])
    assert deadline(case, "hearing_notice").state == "too_early"
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="hearing_to_decision")
    assert rules(refused) == {"licensing_hearing_notice_timely"} and "第四十八条" in messages(refused)


def test_a_granted_licence_is_issued_within_10_working_days(people, traveller):
    # 行政许可法 第四十四条
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    add(h, case, "licence_decision")
    assert deadline(case, "decision").state == "met"
    assert deadline(case, "issuance").due == add_working_days(dt.date(2026, 3, 2), 10).due


# ---------------------------------------------------------------- 行政强制措施（查封、扣押）


def seizure_case(people, *, approved=True):
    h = people["handler"]
    case = open_case(h, procedure="coercive_measure", title="扣押变质食品")
    if approved:
        approve(case, "measure_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
        services.case_transition(actor=h, case=case, transition="implement")
    return case


def seize(handler, case, *, party_present=True):
    add(
        handler,
        case,
        "onsite_record",
        blobs=[video()],
        officers=present(case),
        party_present=party_present,
        content="现场笔录",
    )
    add(handler, case, "seizure_decision", blobs=[video(b"seizure video")])
    add(handler, case, "rights_notice")


def test_a_measure_is_implemented_only_after_the_heads_approval(people, traveller):
    # 行政强制法 第十八条第一项
    case = seizure_case(people, approved=False)
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=people["handler"], case=case, transition="implement")
    assert {"record_required", "head_approved"} <= rules(refused) and "第十八条第一项" in messages(refused)


def test_sealing_and_seizure_need_audio_video(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第十五条第二款 (查封、扣押全程音像记录)
    h = people["handler"]
    case = seizure_case(people)
    with pytest.raises(InvalidInput) as exc:
        add(h, case, "seizure_decision")
    assert "av_required" in rules(exc) and "第十五条第二款" in messages(exc)
    with pytest.raises(InvalidInput) as exc:
        add(h, case, "onsite_record", officers=present(case), party_present=True, content="现场笔录")
    assert "av_required" in rules(exc) and "第十五条第二款" in messages(exc)


def test_custody_needs_the_party_or_a_witness_and_shown_credentials(people, traveller):
    # 行政强制法 第十八条第三、四、九项; 行政处罚法 第五十五条
    h = people["handler"]
    case = seizure_case(people)
    add(
        h,
        case,
        "onsite_record",
        blobs=[video()],
        officers=present(case, shown=False),
        party_present=False,
        content="现场笔录",
    )
    add(h, case, "seizure_decision", blobs=[video(b"seizure video")])
    add(h, case, "rights_notice")
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="take_into_custody")
    assert rules(refused) == {"party_or_witness_present", "credentials_shown"}
    assert "第十八条第四项、第九项" in messages(refused)


def test_seizure_lasts_at_most_30_days_from_the_seizure(people, traveller):
    # 行政强制法 第二十五条第一款
    h = people["handler"]
    case = seizure_case(people)
    seize(h, case)
    services.case_transition(actor=h, case=case, transition="take_into_custody")
    limit = deadline(case, "custody")
    assert limit.state == "running" and limit.due == add_natural_days(dt.date(2026, 3, 2), 30).due
    traveller.move_to(at(limit.due + dt.timedelta(days=1)))
    assert deadline(case, "custody").state == "overdue"
    add(h, case, "handling_decision")
    assert deadline(case, "custody").state == "late"


def test_seizure_may_be_extended_by_the_head_by_at_most_30_days_in_all(people, traveller):
    # 行政强制法 第二十五条第一款: 经行政机关负责人批准，可以延长，但是延长期限不得超过三十日
    h, head = people["handler"], people["head"]
    case = seizure_case(people)
    seize(h, case)
    services.case_extend(actor=head, case=case, limit="custody", days=20, reason="需检验")
    services.case_extend(actor=head, case=case, limit="custody", days=10, reason="检验未完成")
    assert deadline(case, "custody").due == add_natural_days(dt.date(2026, 3, 2), 60).due
    with pytest.raises(InvalidInput) as exc:
        services.case_extend(actor=head, case=case, limit="custody", days=1, reason="再延")
    assert "extension_cap" in rules(exc) and "第二十五条" in messages(exc)


def test_an_emergency_measure_is_approved_within_24_hours_or_released(people, traveller):
    # 行政强制法 第十九条
    h = people["handler"]
    case = open_case(
        h, procedure="coercive_measure", title="当场扣押", is_emergency=True, emergency_reason="现场即将转移"
    )
    add(h, case, "emergency_report")
    services.case_transition(actor=h, case=case, transition="implement_emergency")
    limit = deadline(case, "emergency_approval")
    assert limit.state == "running" and limit.due == case.opened_at + dt.timedelta(hours=24)
    traveller.shift(dt.timedelta(hours=25))
    assert deadline(case, "emergency_approval").state == "overdue"
    services.case_transition(actor=h, case=case, transition="release_unapproved")
    add(h, case, "release_record")
    assert deadline(case, "archive").state == "running"


# ---------------------------------------------------------------- 行政检查


def inspection_case(handler, **kw):
    return open_case(handler, procedure="inspection", title="食品经营日常检查", **kw)


def test_an_inspection_starts_only_with_two_officers_whose_credentials_are_valid(people, agency_a, traveller):
    # 行政处罚法 第四十二条; 《松原市行政执法全过程记录实施办法》第十条
    h = people["handler"]
    expiring = OfficerFactory(agency=agency_a, valid_until=dt.date(2026, 3, 10))
    case = inspection_case(h, partner=expiring)
    add(h, case, "inspection_plan")
    traveller.move_to(at(dt.date(2026, 3, 11)))
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="inspect")
    assert rules(refused) == {"two_valid_officers"} and "第四十二条" in messages(refused)
    services.case_assign_officer(actor=h, case=case, officer=OfficerFactory(agency=agency_a))
    services.case_transition(actor=h, case=case, transition="inspect")


def test_an_inspection_needs_a_plan_or_approval_before_going_on_site(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第三十八条; 《松原市行政执法公示办法》第十一条
    case = inspection_case(people["handler"])
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=people["handler"], case=case, transition="inspect")
    assert rules(refused) == {"record_required"} and "第三十八条" in messages(refused)


def test_an_onsite_inspection_is_recorded_on_video_with_credentials_shown(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第十三条 (音像); 行政处罚法 第五十五条 (出示证件)
    h = people["handler"]
    case = inspection_case(h)
    add(h, case, "inspection_plan")
    services.case_transition(actor=h, case=case, transition="inspect")
    with pytest.raises(InvalidInput) as exc:
        add(h, case, "onsite_inspection_record", officers=present(case))
    assert "av_required" in rules(exc) and "第十三条" in messages(exc)
    add(h, case, "onsite_inspection_record", blobs=[video()], officers=present(case, shown=False))
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="conclude")
    assert rules(refused) == {"credentials_shown"} and "第五十五条" in messages(refused)


def test_inspection_results_are_published_within_20_working_days(people, traveller):
    # 《松原市行政执法公示办法》第二十七条
    h = people["handler"]
    case = inspection_case(h)
    add(h, case, "inspection_plan")
    services.case_transition(actor=h, case=case, transition="inspect")
    add(h, case, "onsite_inspection_record", blobs=[video()], officers=present(case))
    services.case_transition(actor=h, case=case, transition="conclude")
    add(h, case, "inspection_result", problems_found=False, content="未发现问题")
    limit = deadline(case, "publication")
    assert limit.due == add_working_days(dt.date(2026, 3, 2), 20).due
    with pytest.raises(TransitionRefused) as refused:  # nothing found: nothing to refer
        services.case_transition(actor=h, case=case, transition="refer")
    assert {"problems_found", "record_required"} <= rules(refused) and "第五十四条" in messages(refused)
    traveller.move_to(at(limit.due + dt.timedelta(days=1)))
    assert deadline(case, "publication").state == "overdue"
