"""Every decided case creates its disclosure duty (公示义务) in the transaction that makes the decision
final, through the decision hooks the disclosure app installs (sanxiang/cases/decisions.py). Expected
dates come from the working-day calendar, items from what the case recorded."""

import datetime as dt

import pytest

from sanxiang.cases import decisions, services
from sanxiang.cases.models import CaseEvent
from sanxiang.cases.tests.factories import (
    ORGANISATION,
    approve,
    document,
    filed_case,
    investigate,
    notify,
    open_case,
    penalty,
    present,
    video,
)
from sanxiang.cases.tests.test_procedures import accepted_licence, inspection_case, seize, seizure_case
from sanxiang.disclosure.decisions import duty_from_decision
from sanxiang.disclosure.models import Duty, Exemption
from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import make_id_number
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)  # the traveller's Monday


@pytest.fixture
def people(handler, second_officer, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


def decided_penalty(people, *, document_number="宁市监罚〔2026〕7号", blobs=()):
    """A general-procedure case at 决定 with its approved decision document (not yet served)."""
    h = people["handler"]
    case = filed_case(h, people["reviewer"], people["head"])
    investigate(case, h, report=penalty(("warning", "fine"), fine="5000"))
    notify(case, h, proposal=penalty(("warning", "fine"), fine="5000"))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无异议"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.record_add(
        actor=h,
        case=case,
        kind="decision_document",
        payload={
            "document_number": document_number,
            "content": "给予警告，并处罚款5000元",
            **penalty(("warning", "fine"), fine="5000"),
        },
        blobs=list(blobs),
    )
    return case


def test_a_served_penalty_decision_creates_one_duty_due_in_7_working_days_with_the_shuang_gongshi_items(
    people, traveller
):
    # 行政处罚法 第四十八条 (具有一定社会影响的行政处罚决定应当依法公开); 《松原市行政执法公示办法》第二十七条
    # (自该信息形成之日起7个工作日内予以公开) and 松政办发〔2019〕25号 责任分工方案 (行政许可、行政处罚 7个工作日)
    scan = document(b"%PDF-1.4 decision document 7")
    case = decided_penalty(people, blobs=[scan, video(b"reading the decision aloud")])
    assert not Duty.objects.exists()  # nothing until the decision is final
    services.case_transition(actor=people["handler"], case=case, transition="serve")

    duty = Duty.objects.get()
    assert (duty.agency, duty.source_kind, duty.source_ref) == (case.agency, "penalty", case.number)
    assert duty.decided_on == DECIDED
    assert duty.due_date == add_working_days(DECIDED, 7).due
    assert (duty.due_date - DECIDED).days == 9  # the weekend is not counted
    assert duty.party == case.case_parties.get().party
    assert duty.document_sm3 == scan  # the document, not its recording
    assert duty.fields == {
        "document_number": "宁市监罚〔2026〕7号",
        "violation_type": "销售过期食品",  # the case's 案由 "销售过期食品案"
        "violation_facts": "事实",  # as the investigation report found them
        "legal_basis": "依据",
        "penalty_categories": "警告;罚款",
        "penalty_content": "给予警告，并处罚款5000元",
        "fine_amount": "5000.00",
    }
    public = duty.drafts.get().public  # the draft awaiting internal review (公示办法 第三十条)
    assert public["party_name"] == ORGANISATION["name"]
    assert public["party_credit_code"] == ORGANISATION["credit_code"]
    assert public["legal_representative"] == ORGANISATION["legal_representative"]
    assert public["agency_credit_code"] == case.agency.credit_code
    assert public["source_agency_name"] == case.agency.name
    assert Entry.objects.filter(kind="disclosure.duty_created", subject_id=str(duty.public_id)).count() == 1


def test_the_hook_is_idempotent_for_the_same_decision(people, traveller):
    # the duty service is idempotent on (agency, kind, ref): a retried hook returns the same duty
    case = decided_penalty(people)
    services.case_transition(actor=people["handler"], case=case, transition="serve")
    decision = decisions.current(case)  # the stored decision row
    assert duty_from_decision(decision).pk == Duty.objects.get().pk
    assert Duty.objects.count() == 1


def test_a_refused_transition_creates_no_duty(people, traveller):
    # 行政处罚法 第五十九条: no decision document, no decision — and nothing to disclose
    h = people["handler"]
    case = filed_case(h, people["reviewer"], people["head"])
    investigate(case, h)
    notify(case, h)
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    with pytest.raises(TransitionRefused):
        services.case_transition(actor=h, case=case, transition="serve")
    assert not Duty.objects.exists()


def test_a_duty_that_cannot_be_created_refuses_the_transition_and_nothing_is_half_written(people, traveller):
    # nothing half-written (DESIGN.md): the 双公示 文号 holds at most 100 characters
    case = decided_penalty(people, document_number="宁市监罚" + "长" * 120 + "号")
    entries = Entry.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.case_transition(actor=people["handler"], case=case, transition="serve")
    assert {e.field for e in exc.value.errors} == {"fields.document_number"}
    case.refresh_from_db()
    assert case.stage == "decision"
    assert not CaseEvent.objects.filter(case=case, transition="serve").exists()
    assert Entry.objects.count() == entries  # neither the stage change nor the duty was recorded
    assert not Duty.objects.exists()


def test_a_minors_on_the_spot_decision_is_withheld_automatically(handler, second_officer, traveller):
    # 《松原市行政执法公示办法》第十八条第一项: 行政相对人是未成年人的，不予公开; 行政处罚法 第五十一、五十二条
    minor = {
        "kind": "person",
        "name": "李小明",
        "id_type": "resident_id",
        "id_number": make_id_number(18, born=dt.date(2010, 1, 1)),
    }
    case = open_case(handler, procedure="penalty_simple", party=minor)
    services.record_add(
        actor=handler,
        case=case,
        kind="simple_facts_record",
        officers=present(case),
        payload={
            "facts": "占道经营",
            "basis": "市容条例",
            "facts_certain": True,
            **penalty(("warning",), fine=""),
        },
    )
    services.record_add(
        actor=handler,
        case=case,
        kind="on_spot_decision",
        payload={"document_number": "简罚〔2026〕3号", "content": "警告", **penalty(("warning",), fine="")},
    )
    services.case_transition(actor=handler, case=case, transition="decide_on_spot")
    duty = Duty.objects.get()
    assert duty.source_kind == "penalty" and duty.status == Duty.Status.EXEMPT
    assert duty.fields["violation_facts"] == "占道经营" and duty.fields["legal_basis"] == "市容条例"
    assert duty.exemption.ground == Exemption.Ground.MINOR


def _decided_licence(people, **decision):
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.record_add(actor=h, case=case, kind="licence_decision", payload=decision)
    services.case_transition(actor=h, case=case, transition="issue")
    return case


def test_a_granted_licence_creates_a_licensing_duty_due_in_7_working_days(people, traveller):
    # 《松原市行政执法公示办法》第十六条、第二十七条; 松政办发〔2019〕25号 责任分工方案: 行政许可决定 7个工作日内公开
    case = _decided_licence(
        people,
        granted=True,
        document_number="宁市监许〔2026〕5号",
        license_category="普通",
        license_name="食品经营许可证",
        license_number="JY22207020005",
        valid_from="2026-03-02",
        valid_until="2031-03-01",
        content="热食类食品制售",
    )
    duty = Duty.objects.get()
    assert (duty.source_kind, duty.source_ref) == ("licensing", case.number)
    assert duty.due_date == add_working_days(DECIDED, 7).due
    assert duty.fields == {
        "document_name": "准予行政许可决定书",
        "document_number": "宁市监许〔2026〕5号",
        "license_category": "普通",
        "license_name": "食品经营许可证",
        "license_number": "JY22207020005",
        "license_content": "热食类食品制售",
        "valid_from": "2026-03-02",
        "valid_until": "2031-03-01",
        "current_status": "有效",
    }


def test_a_granted_licence_must_state_its_number_category_and_validity(people, traveller):
    # 行政许可法 第三十八条、第三十九条; 《松原市行政执法公示办法》第十六条 (the 双公示 行政许可 items)
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h, case=case, kind="licence_decision", payload={"granted": True, "content": "准予"}
        )
    fields = {e.field for e in exc.value.errors}
    # the 文书编号 is given automatically (cases.numbering); the rest must be stated
    assert fields == {
        "payload.license_category",
        "payload.valid_from",
        "payload.valid_until",
    }
    assert all("第三十八条" in e.message for e in exc.value.errors)


def test_a_refused_licence_creates_no_licensing_duty(people, traveller):
    # the 双公示 行政许可信息 items describe a granted licence (许可证书、有效期); 不予许可 has none
    case = _decided_licence(people, granted=False, content="不符合法定条件，不予许可")
    assert case.events.filter(transition="issue").exists()
    assert not Duty.objects.exists()


def test_an_inspection_result_creates_a_duty_due_in_20_working_days(people, traveller):
    # 《松原市行政执法公示办法》第二十七条: 抽查结果自抽查结束之日起20个工作日内向社会公示; 第十七条 (items)
    h = people["handler"]
    case = inspection_case(h, source="spot_check")
    services.record_add(actor=h, case=case, kind="inspection_plan", payload={"content": "抽查任务"})
    services.case_transition(actor=h, case=case, transition="inspect")
    services.record_add(
        actor=h,
        case=case,
        kind="onsite_inspection_record",
        payload={"content": "现场检查"},
        blobs=[video()],
        officers=present(case),
    )
    services.case_transition(actor=h, case=case, transition="conclude")
    services.record_add(
        actor=h,
        case=case,
        kind="inspection_result",
        payload={"problems_found": False, "content": "索证索票齐全"},
    )
    services.case_transition(actor=h, case=case, transition="publish")
    duty = Duty.objects.get()
    assert case.records.get(kind="inspection_result").payload["document_number"].endswith("检〔2026〕1号")
    assert duty.source_kind == "inspection"
    assert duty.due_date == add_working_days(DECIDED, 20).due
    assert duty.fields == {
        # no result document number typed: the next 检查结果 number of the agency (cases.numbering)
        "document_number": case.records.get(kind="inspection_result").payload["document_number"],
        "action_type": "行政检查（双随机抽查）",
        "content": case.title,
        "result": "未发现违法问题：索证索票齐全",
    }


def test_a_seizure_decision_creates_an_other_decision_duty_due_in_7_working_days_in_songyuan(
    people, traveller
):
    # 《松原市行政执法公示办法》第二十七条: 各类行政执法决定结果 7个工作日内公开 (the demo region 220702);
    # 《中华人民共和国行政强制法》第二十四条
    case = seizure_case(people)
    seize(people["handler"], case)
    services.case_transition(actor=people["handler"], case=case, transition="take_into_custody")
    duty = Duty.objects.get()
    assert (duty.source_kind, duty.source_ref) == ("other", case.number)
    assert duty.due_date == add_working_days(DECIDED, 7).due
    assert duty.fields["action_type"] == "行政强制措施" and duty.fields["result"] == "seizure_decision"
