"""The decision as a stored record (DESIGN.md, Decisions are records): every decision a case makes is
its own row — date, document number, parties, one line per party per penalty kind with its amount,
licence validity, inspection result, measure kinds — written in the transaction that makes it final;
corrections and changes are new rows that point at it; the database refuses to edit any of them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from sanxiang.cases import decisions, services
from sanxiang.cases.models import Decision, DecisionChange, DecisionLine
from sanxiang.cases.tests.factories import (
    ORGANISATION,
    PERSON,
    approve,
    filed_case,
    investigate,
    notify,
    penalty,
)
from sanxiang.cases.tests.test_decision_changes import CHANGE, correct_decision, on_spot_decided
from sanxiang.cases.tests.test_procedures import accepted_licence, inspection_case, seize, seizure_case
from sanxiang.disclosure.models import Duty
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)  # the traveller's Monday


@pytest.fixture
def people(handler, second_officer, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


def joint_case_at_decision(people, *, parties=(ORGANISATION, PERSON)):
    """A general-procedure case against joint offenders at 决定, its decision approved (no document yet)."""
    h = people["handler"]
    case = services.case_open(
        actor=h,
        procedure="penalty_general",
        officers=[h.officer, OfficerFactory(agency=h.agency)],
        parties=list(parties),
        title="销售过期食品案",
        source="inspection",
    )
    approve(case, "filing_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="file")
    investigate(case, h, report=penalty(("warning", "fine"), fine="5000"))
    notify(case, h, proposal=penalty(("warning", "fine"), fine="5000"))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无异议"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    return case


def joint_penalty(people, *, party_penalties=None, parties=(ORGANISATION, PERSON), **decision):
    """A general-procedure case against two joint offenders, at 决定 with its approved decision."""
    h = people["handler"]
    case = joint_case_at_decision(people, parties=parties)
    payload = {
        "document_number": "宁市监罚〔2026〕8号",
        "content": "给予警告，并处罚款",
        **penalty(("warning", "fine"), fine="5000"),
        **decision,
    }
    if party_penalties is not None:
        by_name = {cp.party.name: str(cp.party.public_id) for cp in case.case_parties.select_related("party")}
        payload["party_penalties"] = [{**item, "party": by_name[item["party"]]} for item in party_penalties]
    services.record_add(actor=h, case=case, kind="decision_document", payload=payload)
    return case


def lines(decision: Decision) -> set[tuple[str, str, Decimal | None]]:
    return {(line.party.name, line.kind, line.amount) for line in decision.lines.select_related("party")}


def test_a_served_penalty_is_stored_as_its_own_row_with_date_number_parties_and_a_line_per_kind(
    people, traveller
):
    # 行政处罚法 第五十九条 (决定书载明当事人、处罚种类和依据) and 第九条 (the kinds)
    case = joint_penalty(people, parties=(ORGANISATION,))
    assert not Decision.objects.exists()  # nothing until the decision is final
    services.case_transition(actor=people["handler"], case=case, transition="serve")

    decision = Decision.objects.get()
    assert (decision.case, decision.agency, decision.kind) == (case, case.agency, "penalty")
    assert (decision.decided_on, decision.document_number) == (DECIDED, "宁市监罚〔2026〕8号")
    assert decision.record == case.records.get(kind="decision_document")
    assert [p.name for p in decision.parties] == [ORGANISATION["name"]]
    assert lines(decision) == {
        (ORGANISATION["name"], "warning", None),
        (ORGANISATION["name"], "fine", Decimal("5000.00")),
    }
    entry = Entry.objects.get(kind="cases.decision.made")
    assert entry.seq == decision.ledger_seq and str(decision.public_id) in entry.body
    assert decisions.current(case) == decision


def test_a_refused_transition_stores_no_decision(people, traveller):
    # nothing half-written: the 双公示 文号 holds at most 100 characters, the duty refuses, so does the row
    case = joint_penalty(people, parties=(ORGANISATION,), document_number="宁市监罚" + "长" * 120 + "号")
    with pytest.raises(InvalidInput):
        services.case_transition(actor=people["handler"], case=case, transition="serve")
    assert not Decision.objects.exists()
    assert not Entry.objects.filter(kind="cases.decision.made").exists()


def test_joint_offenders_with_different_penalties_each_get_their_own_lines_and_their_own_disclosure(
    people, traveller
):
    # 行政处罚法 第五十九条 (each party's 处罚种类 stated); 《松原市行政执法公示办法》第十六条 (处罚决定公开)
    case = joint_penalty(
        people,
        party_penalties=[
            {
                "party": ORGANISATION["name"],
                "penalty_kinds": ["fine", "confiscate_gains"],
                "fine_amount": "8000",
                "confiscation_amount": "1200.5",
            },
            {"party": PERSON["name"], "penalty_kinds": ["warning"]},
        ],
    )
    services.case_transition(actor=people["handler"], case=case, transition="serve")
    decision = Decision.objects.get()
    assert lines(decision) == {
        (ORGANISATION["name"], "fine", Decimal("8000.00")),
        (ORGANISATION["name"], "confiscate_gains", Decimal("1200.50")),
        (PERSON["name"], "warning", None),
    }
    # statistics read columns, not JSON: the fines of the agency, summed
    total = DecisionLine.objects.filter(decision__agency=case.agency, kind="fine").aggregate(s=Sum("amount"))
    assert total["s"] == Decimal("8000.00")

    duties = {d.party.name: d.fields for d in Duty.objects.select_related("party")}
    company, person = duties[ORGANISATION["name"]], duties[PERSON["name"]]
    assert company["penalty_categories"] == "罚款;没收违法所得"
    assert company["fine_amount"] == "8000.00" and company["confiscation_amount"] == "1200.50"
    assert company["penalty_content"] == "罚款8000元、没收违法所得1200.50元"
    assert person["penalty_categories"] == "警告" and person["penalty_content"] == "警告"
    assert "fine_amount" not in person and "confiscation_amount" not in person


def test_a_party_penalty_must_name_a_party_of_the_case(people, traveller):
    # 行政处罚法 第五十九条第一款第一项: the decision names its parties
    h = people["handler"]
    case = decisions_case_at_decision(people)
    with pytest.raises(InvalidInput) as exc:
        services.record_add(
            actor=h,
            case=case,
            kind="decision_document",
            payload={
                "document_number": "宁市监罚〔2026〕9号",
                "content": "警告",
                **penalty(("warning",), fine=""),
                "party_penalties": [
                    {"party": "00000000-0000-0000-0000-000000000000", "penalty_kinds": ["fine"]}
                ],
            },
        )
    assert [(e.field, e.rule) for e in exc.value.errors] == [
        ("payload.party_penalties[0].party", "party_of_case")
    ]
    assert "第五十九条" in exc.value.errors[0].message


def decisions_case_at_decision(people):
    h = people["handler"]
    case = filed_case(h, people["reviewer"], people["head"])
    investigate(case, h, report=penalty(("warning",), fine=""))
    notify(case, h, proposal=penalty(("warning",), fine=""))
    services.record_add(actor=h, case=case, kind="statement_defence", payload={"content": "无异议"})
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    return case


def _licence(people, **decision):
    h = people["handler"]
    case = accepted_licence(h)
    approve(case, "review_opinion", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.case_transition(actor=h, case=case, transition="decide")
    approve(case, "decision_approval", handler=h, reviewer=people["reviewer"], head=people["head"])
    services.record_add(actor=h, case=case, kind="licence_decision", payload=decision)
    services.case_transition(actor=h, case=case, transition="issue")
    return Decision.objects.get(case=case)


def test_a_granted_licence_is_stored_with_its_validity_and_a_refused_one_as_refused(people, traveller):
    # 行政许可法 第三十八条 (准予或不予), 第三十九条 (许可证件)
    granted = _licence(
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
    assert (granted.kind, granted.granted) == ("licence", True)
    assert (granted.valid_from, granted.valid_until) == (dt.date(2026, 3, 2), dt.date(2031, 3, 1))
    assert (granted.licence_name, granted.licence_number) == ("食品经营许可证", "JY22207020005")
    refused = _licence(people, granted=False, content="不符合法定条件，不予许可")
    assert (refused.kind, refused.granted, refused.valid_until) == ("licence", False, None)
    assert not refused.lines.exists()


def test_a_seizure_is_stored_as_a_measure_with_its_kinds(people, traveller):
    # 行政强制法 第九条 (种类), 第二十四条 (查封、扣押决定书)
    case = seizure_case(people)
    seize(people["handler"], case)
    old = case.records.get(kind="seizure_decision")
    services.record_add(
        actor=people["handler"],
        case=case,
        kind="seizure_decision",
        corrects=old.public_id,
        correction_reason="补记措施种类",
        payload={
            "document_number": "宁市监强〔2026〕2号",
            "measure_kinds": ["seize", "seal"],
            "content": "扣押",
        },
        blobs=[old.blob_hashes[0]],
    )
    services.case_transition(actor=people["handler"], case=case, transition="take_into_custody")
    decision = Decision.objects.get()
    assert decision.kind == "measure" and decision.decided_on == DECIDED
    assert {line.kind for line in decision.lines.all()} == {"seize", "seal"}


def test_an_inspection_result_is_stored_with_whether_problems_were_found(people, traveller):
    # 《松原市行政执法公示办法》第十七条 (检查结果)
    from sanxiang.cases.tests.factories import present, video

    h = people["handler"]
    case = inspection_case(h)
    services.record_add(actor=h, case=case, kind="inspection_plan", payload={"content": "检查计划"})
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
        actor=h, case=case, kind="inspection_result", payload={"problems_found": True, "content": "无证经营"}
    )
    services.case_transition(actor=h, case=case, transition="publish")
    decision = Decision.objects.get()
    assert (decision.kind, decision.problems_found) == ("inspection", True)
    assert decision.document_number.endswith("号")  # numbered automatically (the agency's numbering rule)


def test_a_correction_is_a_new_row_pointing_at_the_old_one_and_a_change_points_at_the_decision(
    handler, traveller
):
    # 《松原市行政执法公示办法》第三十一条 (更正); 行政处罚法 第四十八条 (变更、撤销 → 撤回公示)
    case = on_spot_decided(handler, parties=[ORGANISATION])
    original = Decision.objects.get()
    correct_decision(handler, case, document_number="简罚〔2026〕4号")
    corrected = decisions.current(case)
    assert corrected.corrects == original and corrected.correction_reason == "文号笔误"
    assert (original.document_number, corrected.document_number) == ("简罚〔2026〕3号", "简罚〔2026〕4号")
    assert corrected.decided_on == original.decided_on == DECIDED
    assert Decision.objects.count() == 2  # the original is kept as it was

    traveller.move_to(dt.datetime(2026, 3, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    services.record_add(actor=handler, case=case, kind="decision_change_record", payload=CHANGE)
    change = DecisionChange.objects.get()
    assert change.decision == corrected
    assert (change.ground, change.by, change.occurred_on) == (
        "revoked",
        "reconsideration",
        dt.date(2026, 3, 9),
    )
    assert change.document_number == "宁政复决〔2026〕1号"
    assert Entry.objects.filter(kind="cases.decision.changed").count() == 1


@pytest.mark.parametrize("table", ["cases_decision", "cases_decisionline", "cases_decisionparty"])
def test_the_database_refuses_to_edit_or_delete_a_decision(people, traveller, table):
    # DESIGN.md Conventions: nothing recorded is ever deleted or overwritten
    case = joint_penalty(people, parties=(ORGANISATION,))
    services.case_transition(actor=people["handler"], case=case, transition="serve")
    column = {
        "cases_decision": "document_number",
        "cases_decisionline": "kind",
        "cases_decisionparty": "position",
    }
    for sql in (f"UPDATE {table} SET {column[table]} = {column[table]}", f"DELETE FROM {table}"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Decision.objects.count() == 1


def test_the_api_serves_the_decision_to_its_agency_and_404_to_another(
    client_for, people, officer_b, traveller
):
    case = joint_penalty(
        people,
        party_penalties=[{"party": PERSON["name"], "penalty_kinds": ["warning"]}],
    )
    url = f"/api/cases/{case.public_id}/decision"
    assert client_for(people["handler"]).get(url).status_code == 404  # not decided yet
    services.case_transition(actor=people["handler"], case=case, transition="serve")

    body = client_for(people["handler"]).get(url).json()
    assert (body["kind"], body["decided_on"], body["document_number"]) == (
        "penalty",
        "2026-03-02",
        "宁市监罚〔2026〕8号",
    )
    parties = {p["name"]: p["lines"] for p in body["parties"]}
    assert [(x["kind_name"], x["amount"]) for x in parties[ORGANISATION["name"]]] == [
        ("警告", None),
        ("罚款", "5000.00"),
    ]
    assert [(x["kind_name"], x["amount"]) for x in parties[PERSON["name"]]] == [("警告", None)]
    listed = client_for(people["handler"]).get(f"/api/cases/{case.public_id}/decisions").json()
    assert [d["id"] for d in listed] == [body["id"]] and listed[0]["current"]
    for path in (url, f"/api/cases/{case.public_id}/decisions"):
        response = client_for(officer_b).get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
