"""Every legal rule the cases app enforces, each test naming its source."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from sanxiang.cases import gate, selectors, services
from sanxiang.cases.models import CaseRecord
from sanxiang.cases.rules import late_payment_surcharge
from sanxiang.cases.tests.factories import (
    PERSON,
    approve,
    filed_case,
    investigate,
    notify,
    open_case,
    penalty,
    present,
    video,
)
from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import OfficerFactory
from sanxiang.workdays.services import add_natural_days, add_working_days

pytestmark = pytest.mark.django_db


def rules(exc) -> set[str]:
    return {e.rule for e in exc.value.errors}


def messages(exc) -> str:
    return " ".join(e.message for e in exc.value.errors)


def deadline(case, key):
    return next(d for d in selectors.case_deadlines(case) if d.key == key)


@pytest.fixture
def people(handler, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


# ---------------------------------------------------------------- officers


def test_a_case_needs_two_officers(handler, traveller):
    # 行政处罚法 第四十二条; 《松原市行政执法全过程记录实施办法》第十条
    with pytest.raises(InvalidInput) as exc:
        services.case_open(
            actor=handler,
            procedure="penalty_general",
            title="案",
            source="inspection",
            officers=[handler.officer],
            parties=[PERSON],
        )
    assert "two_officers" in rules(exc) and "第四十二条" in messages(exc)


def test_an_officer_with_an_expired_credential_cannot_handle_a_case(handler, agency_a, traveller):
    # 行政处罚法 第四十二条: 执法人员应当具有行政执法资格
    expired = OfficerFactory(agency=agency_a, valid_until=dt.date(2026, 2, 1))
    with pytest.raises(InvalidInput) as exc:
        open_case(handler, partner=expired)
    assert "credential_expired" in rules(exc)


def test_the_officers_present_and_whether_they_showed_credentials_are_recorded(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第十条; 行政处罚法 第五十五条
    case = filed_case(**people)
    h = people["handler"]
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h,
            case=case,
            kind="inquiry_record",
            payload={"content": "x"},
            officers=[{"officer": str(h.officer.public_id)}],
        )
    assert {"required", "two_officers"} <= rules(exc)
    services.record_add(
        actor=h,
        case=case,
        kind="inquiry_record",
        payload={"content": "x"},
        officers=present(case, shown=False),
    )
    services.record_add(
        actor=h,
        case=case,
        kind="investigation_report",
        payload={"facts": "f", "evidence": "e", "basis": "b", **penalty()},
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="notify")
    assert "credentials_shown" in rules(refused) and "第五十五条" in messages(refused)


# ---------------------------------------------------------------- starting (记录办法 第八、九、三十八条)


def test_filing_needs_the_approval_chain_with_three_different_people(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第八条、第三十八条
    h, r, head = people["handler"], people["reviewer"], people["head"]
    case = open_case(h)
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="file")
    assert {"record_required", "filing_approved"} <= rules(refused)
    approval = services.approval_submit(actor=h, case=case, kind="filing_approval", reason="r", opinion="o")
    with pytest.raises(InvalidInput) as same:
        services.approval_review(actor=h, approval=approval, agree=True, opinion="自己审核")
    assert "distinct_people" in rules(same) and "第三十八条" in messages(same)
    with pytest.raises(services.Forbidden):
        services.approval_decide(actor=r, approval=approval, agree=True, opinion="越级")
    services.approval_review(actor=r, approval=approval, agree=True, opinion="同意")
    with pytest.raises(services.Forbidden):  # the approver is the agency's head
        services.approval_decide(actor=r, approval=approval, agree=True, opinion="非负责人")
    services.approval_decide(actor=head, approval=approval, agree=True, opinion="批准")
    record = case.records.get(kind="filing_approval")
    assert {"handler", "reviewer", "approver"} <= set(record.payload)
    services.case_transition(actor=h, case=case, transition="file")


def test_approval_records_are_only_made_through_the_chain(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第三十八条
    case = open_case(people["handler"])
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=people["handler"], case=case, kind="filing_approval", payload={"content": "x"}
        )
    assert "approval_only" in rules(exc)


def test_an_emergency_start_must_be_approved_within_24_hours(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第八条
    h = people["handler"]
    with pytest.raises(InvalidInput) as exc:
        open_case(h, is_emergency=True)
    assert "emergency_reason" in {e.field for e in exc.value.errors}
    case = open_case(h, is_emergency=True, emergency_reason="现场证据可能灭失")
    assert case.stage == "investigation"
    limit = deadline(case, "emergency_approval")
    assert limit.state == "running" and limit.due == case.opened_at + dt.timedelta(hours=24)
    traveller.shift(dt.timedelta(hours=25))
    assert deadline(case, "emergency_approval").state == "overdue"
    # the 立案审批表 is still owed, so it may be made in investigation
    approve(case, "filing_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    assert deadline(case, "emergency_approval").state == "late"


def test_an_emergency_approval_in_time_meets_the_limit(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第八条
    case = open_case(people["handler"], is_emergency=True, emergency_reason="紧急")
    traveller.shift(dt.timedelta(hours=20))
    approve(
        case, "filing_approval", handler=people["handler"], reviewer=people["reviewer"], head=people["head"]
    )
    assert deadline(case, "emergency_approval").state == "met"
    assert deadline(case, "decision").started is not None  # 立案 runs the 90 days


def test_a_named_report_not_acted_on_records_why_and_that_the_reporter_was_told(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第九条
    h = people["handler"]
    case = open_case(h, source="report", reporter_name="周九", reporter_named=True)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(actor=h, case=case, kind="not_filing_record", payload={"reporter_informed": True})
    assert {"payload.reason", "payload.informed_how"} & {e.field for e in exc.value.errors}
    services.record_add(actor=h, case=case, kind="not_filing_record", payload={"reason": "不属于违法行为"})
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="decline")
    assert "named_reporter_informed" in rules(refused) and "第九条" in messages(refused)
    first = case.records.get(kind="not_filing_record")
    services.record_add(
        actor=h,
        case=case,
        kind="not_filing_record",
        corrects=first.public_id,
        correction_reason="补记告知情况",
        payload={
            "reason": "不属于违法行为",
            "reporter_informed": True,
            "informed_how": "2026-03-02 电话告知",
        },
    )
    services.case_transition(actor=h, case=case, transition="decline")
    case.refresh_from_db()
    assert case.stage == "not_filed" and case.sealed


# ---------------------------------------------------------------- investigation records


def test_on_site_inspection_requires_audio_video(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第十三条
    case = filed_case(**people)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=people["handler"],
            case=case,
            kind="onsite_inspection_record",
            payload={"content": "x"},
            officers=present(case),
        )
    assert "av_required" in rules(exc) and "第十三条" in messages(exc)


def test_the_agencys_recording_list_adds_audio_video_requirements(people, agency_a, traveller):
    # 《松原市行政执法全过程记录实施办法》第十三条 (音像记录事项清单)
    from sanxiang.catalog.models import RecordingRequirement

    RecordingRequirement.objects.create(
        agency=agency_a,
        code="AV-1",
        version=1,
        effective_from=dt.date(2026, 1, 1),
        reason="新增",
        created_by=people["head"],
        procedure="penalty_general",
        record="inquiry_record",
        description="询问全程录像",
        basis_law="本机关音像记录事项清单",
    )
    case = filed_case(**people)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=people["handler"],
            case=case,
            kind="inquiry_record",
            payload={"content": "x"},
            officers=present(case),
        )
    assert "音像记录事项清单" in messages(exc)
    record = services.record_add(
        actor=people["handler"],
        case=case,
        kind="inquiry_record",
        payload={"content": "x"},
        officers=present(case),
        blobs=[video()],
    )
    assert record.has_av


def test_a_recording_uploaded_more_than_24_hours_after_it_was_made_is_flagged(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第三十二条: 24小时内储存至执法信息系统
    case = filed_case(**people)
    h = people["handler"]
    now = dt.datetime.now(dt.UTC)
    late = services.record_add(
        actor=h,
        case=case,
        kind="onsite_inspection_record",
        payload={"content": "晚"},
        officers=present(case),
        blobs=[video(b"late")],
        made_at=now - dt.timedelta(hours=25),
    )
    prompt = services.record_add(
        actor=h,
        case=case,
        kind="sampling_record",
        payload={"content": "及时"},
        officers=present(case),
        blobs=[video(b"ok")],
        made_at=now - dt.timedelta(hours=23),
    )
    assert late.late_upload is True and prompt.late_upload is False
    assert Entry.objects.get(seq=late.ledger_seq).fields["payload"]["late_upload"] is True


def test_a_refusal_to_sign_is_recorded_with_an_explanation(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第十二条第三款
    case = filed_case(**people)
    h = people["handler"]
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h,
            case=case,
            kind="inquiry_record",
            payload={"content": "x"},
            officers=present(case),
            party_refused_to_sign=True,
        )
    assert "refusal_note" in {e.field for e in exc.value.errors}
    record = services.record_add(
        actor=h,
        case=case,
        kind="inquiry_record",
        payload={"content": "x"},
        officers=present(case),
        party_refused_to_sign=True,
        refusal_note="当事人拒绝签名，由见证人吴十签字",
    )
    assert (
        record.party_refused_to_sign
        and Entry.objects.get(seq=record.ledger_seq).fields["payload"]["refusal"]["sign"]
    )


def test_a_record_of_another_stage_is_refused(people, traveller):
    # the procedure definition (行政处罚法 第五章第三节) lists the records of each stage
    case = open_case(people["handler"])
    with pytest.raises(TransitionRefused) as exc:
        services.record_add(
            actor=people["handler"],
            case=case,
            kind="decision_document",
            payload={"document_number": "x", "content": "x", **penalty()},
        )
    assert "record_not_in_stage" in rules(exc)


# ---------------------------------------------------------------- notice, defence, hearing


def test_a_heavier_penalty_after_the_defence_is_refused(people, traveller):
    # 行政处罚法 第四十五条第二款
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h)
    notify(case, h, proposal=penalty(fine="5000"))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "申辩"})
    services.record_add(
        actor=h, case=case, kind="defence_review", payload={"reasons": "不采纳", **penalty(fine="8000")}
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="decide")
    assert "no_heavier_for_defence" in rules(refused) and "第四十五条" in messages(refused)


def test_a_decision_heavier_than_the_notice_is_refused(people, traveller):
    # 行政处罚法 第四十五条第二款
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h)
    notify(case, h, proposal=penalty(fine="5000"))
    services.record_add(
        actor=h, case=case, kind="statement_defence", payload={"waived": True, "content": "放弃"}
    )
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h,
            case=case,
            kind="decision_document",
            payload={"document_number": "决1", "content": "x", **penalty(("fine", "suspend_business"))},
        )
    assert "heavier_after_defence" in rules(exc)


def test_the_decision_waits_for_the_defence(people, traveller):
    # 行政处罚法 第六十二条
    case = filed_case(**people)
    investigate(case, people["handler"])
    notify(case, people["handler"])
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=people["handler"], case=case, transition="decide")
    assert "defence_heard" in rules(refused)


def test_hearing_rights_are_notified_for_heavy_penalties(people, traveller):
    # 行政处罚法 第六十三条
    case = filed_case(**people)
    investigate(case, people["handler"], report=penalty(("suspend_business",), fine=""))
    with pytest.raises(InvalidInput) as exc:
        notify(case, people["handler"], proposal=penalty(("suspend_business",), fine=""))
    assert "hearing_rights_required" in rules(exc)


def _hearing_case(people, traveller):
    case = filed_case(**people)
    investigate(case, people["handler"], report=penalty(("fine", "suspend_business"), fine="50000"))
    notify(
        case,
        people["handler"],
        proposal=penalty(("fine", "suspend_business"), fine="50000"),
        hearing_rights=True,
    )
    return case


def test_a_hearing_must_be_requested_within_5_working_days_of_notice(people, traveller):
    # 行政处罚法 第六十四条第一项、第八十五条
    case = _hearing_case(people, traveller)
    h = people["handler"]
    notice_day = dt.date(2026, 3, 2)
    last_day = add_working_days(notice_day, 5).due
    assert deadline(case, "hearing_request").due == last_day
    traveller.move_to(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC))
    services.record_add(actor=h, case=case, kind="hearing_request", payload={"content": "要求听证"})
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="hold_hearing")
    assert "hearing_requested_in_time" in rules(refused) and "第六十四条" in messages(refused)


def test_a_hearing_requested_in_time_is_held_with_7_working_days_notice(people, traveller):
    # 行政处罚法 第六十四条第二项、第八十五条
    case = _hearing_case(people, traveller)
    h = people["handler"]
    traveller.shift(dt.timedelta(days=2))
    services.record_add(actor=h, case=case, kind="hearing_request", payload={"content": "要求听证"})
    services.case_transition(actor=h, case=case, transition="hold_hearing")
    today = dt.date(2026, 3, 4)
    earliest = add_working_days(today, 7).due
    too_soon = dt.datetime.combine(earliest - dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h,
            case=case,
            kind="hearing_notice",
            payload={"document_number": "听1", "hearing_at": too_soon.isoformat(), "place": "会议室"},
        )
    assert "hearing_notice_period" in rules(exc)
    services.record_add(
        actor=h,
        case=case,
        kind="hearing_notice",
        payload={
            "document_number": "听1",
            "place": "会议室",
            "hearing_at": dt.datetime.combine(earliest, dt.time(9)).isoformat(),
        },
    )
    # the hearing actually held too early: the decision after it is refused
    traveller.shift(dt.timedelta(days=2))
    services.record_add(
        actor=h, case=case, kind="hearing_record", payload={"content": "听证"}, blobs=[video()]
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="hearing_to_decision")
    assert {"hearing_notice_timely", "legal_review_passed_if_major"} <= rules(refused)


# ---------------------------------------------------------------- legal review gate


def test_a_major_case_cannot_be_decided_until_a_legal_review_has_passed(people, traveller):
    # 行政处罚法 第五十八条
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h, report=penalty(fine="5000", complex=True))
    notify(case, h)
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无异议"})
    detail = selectors.case_detail(h, case)
    assert any(m.code == "law:complex" for m in detail.major)
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="decide")
    assert "legal_review_passed_if_major" in rules(refused) and "第五十八条" in messages(refused)
    gate.register_review_check(lambda c: c.pk == case.pk)  # the review app's hook
    services.case_transition(actor=h, case=case, transition="decide")


def test_the_agencys_major_decision_list_triggers_the_gate(people, agency_a, traveller):
    # 行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第三条第二款 (目录清单)
    from sanxiang.catalog.models import MajorCriterion

    MajorCriterion.objects.create(
        agency=agency_a,
        code="M-1",
        version=1,
        effective_from=dt.date(2026, 1, 1),
        reason="制定",
        created_by=people["head"],
        kind="fine",
        party_scope="organisation",
        threshold=Decimal("10000"),
        description="对法人罚款一万元以上",
        basis_law="本机关目录清单",
    )
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h, report=penalty(fine="10000"))
    notify(case, h, proposal=penalty(fine="10000"))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无异议"})
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="decide")
    assert "legal_review_passed_if_major" in rules(refused)
    services.case_transition(actor=h, case=case, transition="to_review")  # 提交法制审核 is open


# ---------------------------------------------------------------- simple procedure


def test_the_simple_procedure_is_limited_to_a_warning_or_a_small_fine(handler, traveller):
    # 行政处罚法 第五十一条
    person_case = open_case(handler, procedure="penalty_simple", party=PERSON)
    payload = {"facts": "f", "basis": "b", "facts_certain": True, **penalty(fine="201")}
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=handler,
            case=person_case,
            kind="simple_facts_record",
            payload=payload,
            officers=present(person_case),
        )
    assert "simple_procedure_fine" in rules(exc) and "二百" not in messages(exc) and "200" in messages(exc)
    org_case = open_case(handler, procedure="penalty_simple")
    services.record_add(
        actor=handler,
        case=org_case,
        kind="simple_facts_record",
        payload={**payload, "fine_amount": "3000"},
        officers=present(org_case),
    )
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=handler,
            case=org_case,
            kind="on_spot_decision",
            payload={"document_number": "简1", "content": "x", **penalty(fine="3000.01")},
        )
    assert "simple_procedure_fine" in rules(exc)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=handler,
            case=org_case,
            kind="on_spot_decision",
            payload={"document_number": "简1", "content": "x", **penalty(("suspend_business",), fine="")},
        )
    assert "simple_procedure_kind" in rules(exc)
    services.record_add(
        actor=handler,
        case=org_case,
        kind="on_spot_decision",
        payload={"document_number": "简1", "content": "x", **penalty(fine="3000")},
    )
    services.case_transition(actor=handler, case=org_case, transition="decide_on_spot")


def test_the_simple_procedure_needs_certain_facts(handler, traveller):
    # 行政处罚法 第五十一条: 违法事实确凿并有法定依据
    case = open_case(handler, procedure="penalty_simple", party=PERSON)
    services.record_add(
        actor=handler,
        case=case,
        kind="simple_facts_record",
        officers=present(case),
        payload={"facts": "f", "basis": "b", "facts_certain": False, **penalty(("warning",), fine="")},
    )
    services.record_add(
        actor=handler,
        case=case,
        kind="on_spot_decision",
        payload={"document_number": "简2", "content": "警告", **penalty(("warning",), fine="")},
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=handler, case=case, transition="decide_on_spot")
    assert "simple_procedure_eligible" in rules(refused)


# ---------------------------------------------------------------- periods


def test_the_decision_is_due_90_days_after_filing_and_can_be_extended_by_the_head(people, traveller):
    # 行政处罚法 第六十条
    case = filed_case(**people)
    due = add_natural_days(dt.date(2026, 3, 2), 90).due
    assert deadline(case, "decision").due == due
    traveller.move_to(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC))
    assert deadline(case, "decision").state == "overdue"
    with pytest.raises(services.Forbidden):
        services.case_extend(actor=people["handler"], case=case, limit="decision", days=30, reason="复杂")
    with pytest.raises(InvalidInput) as exc:
        services.case_extend(actor=people["head"], case=case, limit="decision", days=30, reason="复杂")
    assert "basis" in {e.field for e in exc.value.errors}
    services.case_extend(
        actor=people["head"],
        case=case,
        limit="decision",
        days=30,
        reason="案情复杂",
        basis="市场监督管理行政处罚程序规定 第六十四条",
    )
    extended = deadline(case, "decision")
    assert extended.extended_by == 30 and extended.state == "running"
    with pytest.raises(InvalidInput) as exc:
        services.case_extend(actor=people["head"], case=case, limit="service", days=3, reason="x", basis="y")
    assert "not_extendable" in rules(exc)


def test_service_is_due_within_7_working_days_of_the_decision(people, traveller):
    # 行政处罚法 第六十一条、第八十五条
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h)
    notify(case, h)
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.record_add(
        actor=h,
        case=case,
        kind="decision_document",
        payload={"document_number": "决2", "content": "x", **penalty()},
    )
    due = add_working_days(dt.date(2026, 3, 2), 7).due
    assert deadline(case, "service").due == due
    traveller.move_to(dt.datetime.combine(due + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC))
    assert deadline(case, "service").state == "overdue"


def test_late_payment_surcharge_is_3_percent_a_day_capped_at_the_fine():
    # 行政处罚法 第七十二条第一款第一项
    due = dt.date(2026, 3, 17)
    assert late_payment_surcharge(fine=Decimal("1000"), due=due, on=due) == Decimal("0.00")
    assert late_payment_surcharge(fine=Decimal("1000"), due=due, on=due + dt.timedelta(days=10)) == Decimal(
        "300.00"
    )
    assert late_payment_surcharge(fine=Decimal("1000"), due=due, on=due + dt.timedelta(days=40)) == Decimal(
        "1000.00"
    )


def _served_case(people):
    case = filed_case(**people)
    h = people["handler"]
    investigate(case, h)
    notify(case, h, proposal=penalty(fine="1000"))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.record_add(
        actor=h,
        case=case,
        kind="decision_document",
        payload={"document_number": "决3", "content": "x", **penalty(fine="1000")},
    )
    services.case_transition(actor=h, case=case, transition="serve")
    services.record_add(
        actor=h,
        case=case,
        kind="service_direct",
        payload={"recipient": "r", "document": "d", "handed_on_spot": True, "content": "x"},
    )
    services.case_transition(actor=h, case=case, transition="execute")
    return case


def test_an_unpaid_fine_needs_a_reminder_before_enforcement_and_accrues_the_surcharge(people, traveller):
    # 行政处罚法 第六十六条、第七十二条; 《松原市行政执法全过程记录实施办法》第二十九条
    case = _served_case(people)
    h = people["handler"]
    due = add_natural_days(dt.date(2026, 3, 2), 15).due
    traveller.move_to(dt.datetime.combine(due + dt.timedelta(days=10), dt.time(10), tzinfo=dt.UTC))
    detail = selectors.case_detail(h, case)
    assert detail.surcharge == Decimal("300.00")
    services.record_add(
        actor=h,
        case=case,
        kind="court_application",
        payload={"court": "宁江区人民法院", "completed": True, "content": "申请强制执行"},
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_transition(actor=h, case=case, transition="close")
    assert "第二十九条" in messages(refused)  # 催告 first
    services.record_add(actor=h, case=case, kind="enforcement_reminder", payload={"content": "催告书"})
    services.case_transition(actor=h, case=case, transition="close")


def test_the_file_is_archived_within_30_days_of_the_end_and_then_sealed(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第三十二条
    case = _served_case(people)
    h = people["handler"]
    services.record_add(
        actor=h, case=case, kind="performance_record", payload={"performed": True, "content": "缴清"}
    )
    services.case_transition(actor=h, case=case, transition="close")
    services.record_add(actor=h, case=case, kind="closing_report", payload={"summary": "结案"})
    assert deadline(case, "archive").due == add_natural_days(dt.date(2026, 3, 2), 30).due
    services.case_transition(actor=h, case=case, transition="archive")
    services.record_add(
        actor=h, case=case, kind="archive_record", payload={"volumes": "1", "location": "档案室"}
    )
    case.refresh_from_db()
    assert case.sealed
    with pytest.raises(TransitionRefused) as exc:
        services.record_add(
            actor=h, case=case, kind="archive_record", payload={"volumes": "1", "location": "x"}
        )
    assert "sealed" in rules(exc) and "第三十二条" in messages(exc)


def test_a_sealed_file_still_takes_the_record_that_its_decision_was_revoked(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第三十二条 (sealed after archiving) yields to 行政处罚法 第四十八条: a decision
    # revoked by 行政复议 after the file was archived must still be recorded, so its 公示 is withdrawn
    case = _served_case(people)
    h = people["handler"]
    services.record_add(
        actor=h, case=case, kind="performance_record", payload={"performed": True, "content": "缴清"}
    )
    services.case_transition(actor=h, case=case, transition="close")
    services.record_add(actor=h, case=case, kind="closing_report", payload={"summary": "结案"})
    services.case_transition(actor=h, case=case, transition="archive")
    services.record_add(
        actor=h, case=case, kind="archive_record", payload={"volumes": "1", "location": "档案室"}
    )
    case.refresh_from_db()
    assert case.sealed
    change = {
        "ground": "revoked",
        "by": "reconsideration",
        "occurred_on": "2026-06-01",
        "document_number": "宁政复决〔2026〕9号",
        "explanation": "经行政复议，原处罚决定被撤销",
    }
    record = services.record_add(actor=h, case=case, kind="decision_change_record", payload=change)
    assert record.kind == "decision_change_record"
    with pytest.raises(TransitionRefused) as exc:  # everything else stays shut
        services.record_add(actor=h, case=case, kind="closing_report", payload={"summary": "补充"})
    assert "sealed" in rules(exc)


# ---------------------------------------------------------------- integrity


def test_records_cannot_be_changed_or_deleted_in_the_database(people, traveller):
    # DESIGN.md: nothing recorded is ever changed or deleted
    case = open_case(people["handler"])
    record = case.records.get()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CaseRecord.objects.filter(pk=record.pk).update(payload={"summary": "篡改"})
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        CaseRecord.objects.filter(pk=record.pk).delete()


def test_a_correction_is_a_new_record_pointing_at_the_old(people, traveller):
    case = filed_case(**people)
    h = people["handler"]
    old = services.record_add(
        actor=h, case=case, kind="inquiry_record", payload={"content": "错字"}, officers=present(case)
    )
    new = services.record_add(
        actor=h,
        case=case,
        kind="inquiry_record",
        payload={"content": "更正"},
        officers=present(case),
        corrects=old.public_id,
        correction_reason="笔误",
    )
    assert new.corrects == old and CaseRecord.objects.filter(pk=old.pk).exists()
    assert Entry.objects.get(seq=new.ledger_seq).corrects == old.ledger_seq
    with pytest.raises(InvalidInput):  # the old one is superseded: correct the latest
        services.record_add(
            actor=h,
            case=case,
            kind="inquiry_record",
            payload={"content": "再改"},
            officers=present(case),
            corrects=old.public_id,
            correction_reason="x",
        )


def test_a_refused_transition_writes_nothing(people, traveller):
    case = open_case(people["handler"])
    before = Entry.objects.count()
    with pytest.raises(TransitionRefused):
        services.case_transition(actor=people["handler"], case=case, transition="file")
    case.refresh_from_db()
    assert (
        Entry.objects.count() == before
        and case.stage == "intake"
        and not case.events.filter(kind="transition")
    )


def test_a_refused_record_writes_nothing(people, traveller):
    case = filed_case(**people)
    before = (Entry.objects.count(), CaseRecord.objects.count())
    with pytest.raises(InvalidInput):
        services.record_add(
            actor=people["handler"], case=case, kind="inquiry_record", payload={}, officers=present(case)
        )
    assert (Entry.objects.count(), CaseRecord.objects.count()) == before


def test_a_retried_record_with_the_same_idempotency_key_is_made_once(people, traveller):
    case = filed_case(**people)
    kw = dict(
        actor=people["handler"],
        case=case,
        kind="inquiry_record",
        payload={"content": "x"},
        officers=present(case),
        idempotency_key="k-1",
    )
    assert services.record_add(**kw) == services.record_add(**kw)
    assert case.records.filter(kind="inquiry_record").count() == 1


def test_the_case_number_runs_per_agency_and_year(people, traveller):
    first = open_case(people["handler"])
    second = open_case(people["handler"])
    assert (first.number, second.number) == ("罚〔2026〕0001号", "罚〔2026〕0002号")
