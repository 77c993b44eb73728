"""A jurisdiction's rule changes: the demo region 220702 moves from the 松原 profile to the 昆明 profile.

《松原市行政执法公示办法》第二十七条: 各类行政执法决定结果 7个工作日内公开;
《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）3:
行政许可、行政处罚以外的执法决定 20个工作日内公布. A deadline computed before the change keeps its
rule version until ``sanxiang rules recompute`` runs, and the recomputation is recorded.
"""

import datetime as dt

import pytest
from django.core.management import call_command

from sanxiang.cases import services
from sanxiang.cases.tests.test_procedures import seize, seizure_case
from sanxiang.disclosure.models import Duty
from sanxiang.ledger.models import Entry
from sanxiang.rules import services as rules_services
from sanxiang.rules.models import RuleRecomputation
from sanxiang.workdays.models import DeadlineRecomputation
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)  # the traveller's Monday
SONGYUAN = "《松原市行政执法公示办法》第二十七条"
KUNMING = (
    "《昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案》二、（一）3"
)


@pytest.fixture
def people(handler, second_officer, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


def seizure_decided(people) -> Duty:
    case = seizure_case(people)
    seize(people["handler"], case)
    services.case_transition(actor=people["handler"], case=case, transition="take_into_custody")
    return Duty.objects.get(source_ref=case.number)


def test_the_kunming_profile_gives_a_new_non_penalty_decision_20_working_days_and_old_ones_keep_7(
    people, traveller, administrator, client_for
):
    before = seizure_decided(people)
    assert (before.source_kind, before.days, before.rule_source) == ("other", 7, SONGYUAN)
    assert before.due_date == add_working_days(DECIDED, 7).due

    rules_services.assign_profile(
        actor=administrator,
        region="220702",
        profile="kunming",
        effective_from=DECIDED,
        document="宁江区人民政府关于适用昆明市行政执法三项制度规则的决定（试点）",
    )
    after = seizure_decided(people)
    assert (after.days, after.rule_source) == (20, KUNMING)
    assert after.due_date == add_working_days(DECIDED, 20).due
    assert after.rule_version == "disclosure.period.other@kunming/2019-07-04"
    before.refresh_from_db()
    assert (before.days, before.due_date) == (7, add_working_days(DECIDED, 7).due)  # not silently moved

    head = client_for(people["head"])
    # the case page
    new_page = head.get(f"/staff/cases/{after_case_id(after)}/")
    assert f"20个工作日（{KUNMING}）" in new_page.content.decode()
    old_page = head.get(f"/staff/cases/{after_case_id(before)}/").content.decode()
    assert f"7个工作日（{SONGYUAN}）" in old_page
    # the disclosure queue
    queue = head.get("/staff/disclosure/").content.decode()
    assert f"20个工作日（{KUNMING}）" in queue and f"7个工作日（{SONGYUAN}）" in queue
    # the API
    items = {d["source_ref"]: d for d in head.get("/api/disclosure/duties").json()["items"]}
    assert (items[after.source_ref]["days"], items[after.source_ref]["rule"]) == (20, KUNMING)
    assert items[after.source_ref]["rule_version"] == after.rule_version
    assert (items[before.source_ref]["days"], items[before.source_ref]["rule"]) == (7, SONGYUAN)

    # the explicit, audited recomputation
    call_command("rules", "recompute", key="disclosure.period.other", reason="宁江区改用昆明市规则配置")
    before.refresh_from_db()
    assert (before.days, before.due_date) == (20, add_working_days(DECIDED, 20).due)
    assert before.rule_version == after.rule_version
    audit = DeadlineRecomputation.objects.get(object_id=str(before.pk), new_rule_version=after.rule_version)
    assert audit.old_rule_version == "disclosure.period.other@songyuan/2020-01-01"
    assert (audit.days, audit.new_days) == (7, 20)
    assert (audit.old_due_date, audit.new_due_date) == (add_working_days(DECIDED, 7).due, before.due_date)
    run = RuleRecomputation.objects.get()
    assert (run.changed, run.reason) == (1, "宁江区改用昆明市规则配置")
    assert Entry.objects.get(seq=run.ledger_seq).kind == "rules.deadlines_recomputed"
    # a second run changes nothing
    again = rules_services.recompute_rule_deadlines(actor=administrator, reason="再次核对")
    assert again.changed == 0


def after_case_id(duty: Duty) -> str:
    from sanxiang.cases.models import Case

    return str(Case.objects.get(agency=duty.agency, number=duty.source_ref).public_id)
