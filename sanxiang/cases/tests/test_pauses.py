"""Time the law does not count in a period, run through the cases services: 行政许可法 第四十五条
(听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审 are not counted in the licensing decision period) and
行政强制法 第二十五条第三款 (检测、检验、检疫、技术鉴定 are not counted in the 查封、扣押 period).
Expected dates come from the working-day calendar, not from the code under test."""

import datetime as dt

import pytest

from sanxiang.cases import selectors, services
from sanxiang.cases.tests.conftest import TZ
from sanxiang.cases.tests.factories import approve, open_case, present, video
from sanxiang.errors import InvalidInput
from sanxiang.workdays.services import add_natural_days, add_working_days, count_working_days

pytestmark = pytest.mark.django_db

ACCEPTED = dt.date(2026, 3, 2)  # the conftest's frozen Monday


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


def accepted_licence(handler):
    case = open_case(handler, procedure="licensing", source="application", title="食品生产许可")
    add(handler, case, "application_register")
    add(handler, case, "acceptance_receipt")
    services.case_transition(actor=handler, case=case, transition="accept")
    return case


def test_expert_review_time_is_not_counted_in_the_licence_decision_period(handler, traveller, client_for):
    # 行政许可法 第四十五条 (专家评审所需时间不计算在期限内); 第四十二条第一款 (二十日); 第八十二条 (工作日)
    case = accepted_licence(handler)
    started = dt.date(2026, 3, 4)
    traveller.move_to(at(started))
    add(
        handler,
        case,
        "expert_work_notice",
        matter="expert_review",
        expected_end="2026-03-13",
        content="专家评审",
    )
    traveller.move_to(at(dt.date(2026, 3, 9)))
    paused = deadline(case, "decision")
    assert paused.state == "paused" and paused.pauses[0].end is None
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert 'data-state="paused">暂停计算</td>' in page and "今（进行中）" in page
    assert "《中华人民共和国行政许可法》" in page and "第四十五条" in page  # cited by its title
    finished = dt.date(2026, 3, 13)
    traveller.move_to(at(finished))
    add(handler, case, "expert_work_result", content="评审意见")
    limit = deadline(case, "decision")
    not_counted = count_working_days(started, finished)
    assert not_counted == 7
    assert limit.state == "running" and limit.paused_days == not_counted
    assert limit.due == add_working_days(ACCEPTED, 20 + not_counted).due
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert "2026-03-04 至 2026-03-13，不计入期限 7个工作日（《中华人民共和国行政许可法》第四十五条）" in page


def test_hearing_time_is_not_counted_in_the_licence_decision_period(people, traveller):
    # 行政许可法 第四十五条 (听证所需时间不计算在期限内); 第四十七条、第四十八条 (听证)
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    add(h, case, "hearing_rights_notice")
    requested = dt.date(2026, 3, 3)
    traveller.move_to(at(requested))
    add(h, case, "hearing_request")
    services.case_transition(actor=h, case=case, transition="hold_hearing")
    add(
        h,
        case,
        "hearing_notice",
        document_number="听〔2026〕2号",
        hearing_at="2026-03-16T09:00",
        place="一楼",
    )
    held = dt.date(2026, 3, 16)
    traveller.move_to(at(held))
    add(h, case, "hearing_record", blobs=[video()])
    limit = deadline(case, "decision")
    assert limit.paused_days == count_working_days(requested, held) > 0
    assert limit.due == add_working_days(ACCEPTED, 20 + count_working_days(requested, held)).due


def test_a_pause_that_begins_after_the_period_ran_out_does_not_revive_it(handler, traveller):
    # 行政许可法 第四十五条 only takes out time within the period of 第四十二条第一款
    case = accepted_licence(handler)
    due = add_working_days(ACCEPTED, 20).due
    traveller.move_to(at(due + dt.timedelta(days=3)))
    add(handler, case, "expert_work_notice", matter="testing", expected_end="2026-05-30", content="检测")
    limit = deadline(case, "decision")
    assert limit.due == due and limit.paused_days == 0 and limit.state == "overdue"


def test_the_notice_must_state_when_the_time_not_counted_ends(handler, traveller):
    # 行政许可法 第四十五条: 行政机关应当将所需时间书面告知申请人
    case = accepted_licence(handler)
    with pytest.raises(InvalidInput) as exc:
        add(handler, case, "expert_work_notice", matter="appraisal", content="鉴定")
    assert ("payload.expected_end", "required") in {(e.field, e.rule) for e in exc.value.errors}
    with pytest.raises(InvalidInput) as exc:
        add(
            handler, case, "expert_work_notice", matter="appraisal", expected_end="2026-03-01", content="鉴定"
        )
    assert [(e.field, e.rule) for e in exc.value.errors] == [("payload.expected_end", "pause_period")]
    assert "行政许可法 第四十五条" in exc.value.errors[0].message
    assert not case.records.filter(kind="expert_work_notice").exists()


def seized(people):
    h = people["handler"]
    case = open_case(h, procedure="coercive_measure", title="扣押疑似不合格产品")
    approve(case, "measure_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="implement")
    add(
        h,
        case,
        "onsite_record",
        blobs=[video()],
        officers=present(case),
        party_present=True,
        content="现场笔录",
    )
    add(h, case, "seizure_decision", blobs=[video(b"seizure video")])
    add(h, case, "rights_notice")
    services.case_transition(actor=h, case=case, transition="take_into_custody")
    return case


def test_testing_time_is_not_counted_in_the_seizure_period(people, traveller):
    # 行政强制法 第二十五条第三款: 查封、扣押的期间不包括检测、检验、检疫或者技术鉴定的期间
    h = people["handler"]
    case = seized(people)
    sent = dt.date(2026, 3, 5)
    traveller.move_to(at(sent))
    add(h, case, "testing_notice", matter="testing", expected_end="2026-03-20", content="送检")
    base_due = add_natural_days(ACCEPTED, 30).due
    traveller.move_to(at(base_due + dt.timedelta(days=2)))
    assert deadline(case, "custody").state == "paused"  # not overdue: the testing is still running
    reported = base_due + dt.timedelta(days=2)
    add(h, case, "testing_result", content="检测报告")
    limit = deadline(case, "custody")
    not_counted = (reported - sent).days
    assert limit.paused_days == not_counted and limit.pauses[0].source == "行政强制法 第二十五条第三款"
    assert limit.due == add_natural_days(ACCEPTED, 30 + not_counted).due and limit.state == "running"
    add(h, case, "handling_decision")
    assert deadline(case, "custody").state == "met"


def test_two_testing_spans_are_both_taken_out_and_the_api_shows_them(people, traveller, client_for):
    # 行政强制法 第二十五条第三款 (each 检测 period is excluded)
    h = people["handler"]
    case = seized(people)
    spans = [(dt.date(2026, 3, 4), dt.date(2026, 3, 9)), (dt.date(2026, 3, 12), dt.date(2026, 3, 14))]
    for sent, reported in spans:
        traveller.move_to(at(sent))
        add(h, case, "testing_notice", matter="quarantine", expected_end=reported.isoformat(), content="送检")
        traveller.move_to(at(reported))
        add(h, case, "testing_result", content="检疫结果")
    not_counted = sum((reported - sent).days for sent, reported in spans)
    assert deadline(case, "custody").due == add_natural_days(ACCEPTED, 30 + not_counted).due
    body = client_for(h).get(f"/api/cases/{case.public_id}").json()
    custody = next(d for d in body["deadlines"] if d["key"] == "custody")
    assert custody["paused_days"] == not_counted
    assert [(p["start"], p["end"]) for p in custody["pauses"]] == [
        (s.isoformat(), e.isoformat()) for s, e in spans
    ]
