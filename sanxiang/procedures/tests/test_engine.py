"""The engine against the definitions: refusals name every unmet requirement and its source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.errors import TransitionRefused
from sanxiang.procedures import registry
from sanxiang.procedures.engine import (
    RECORDING_LIST_SOURCE,
    CaseContext,
    available_transitions,
    check_transition,
    deadlines_for,
    ensure_transition,
)
from sanxiang.procedures.guards import GUARDS
from sanxiang.workdays.services import add_natural_days, add_working_days, is_working_day

# Guards read their thresholds (officers, simple-procedure limits) from the rules registry.
pytestmark = pytest.mark.django_db

GENERAL = registry.get("penalty_general")
SIMPLE = registry.get("penalty_simple")
DAY = dt.date(2025, 9, 26)  # a Friday before the National Day holiday


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def ctx(records=(), facts=None, events=None, av=(), extra_av=(), today=None, now=None, extensions=None):
    return CaseContext(
        records={k: 1 for k in records},
        av_records=frozenset(av),
        extra_av=frozenset(extra_av),
        events=events or {},
        facts=facts or {},
        today=today,
        now=now,
        extensions=extensions or {},
    )


def rules(unmet) -> set[str]:
    return {u.rule for u in unmet}


# --- guard table: for each guard, a context part that satisfies it and one that does not -------------


def guard_cases() -> dict[str, tuple[dict, dict]]:
    """guard -> (good, bad); each a dict with optional facts / events / records."""
    request_due = add_working_days(DAY, 5).due
    notice_due = add_working_days(DAY, 7).due
    return {
        "filing_approved": ({"facts": {"filing_approved": True}}, {"facts": {"filing_approved": False}}),
        "emergency_reason_recorded": (
            {"facts": {"emergency_reason": "证据可能灭失"}},
            {"facts": {"emergency_reason": "  "}},
        ),
        "named_reporter_informed": (
            {"facts": {"reporter_named": True, "reporter_informed": True}},
            {"facts": {"reporter_named": True, "reporter_informed": False}},
        ),
        "two_valid_officers": ({"facts": {"valid_officers": 2}}, {"facts": {"valid_officers": 1}}),
        "credentials_shown": (
            {"facts": {"credentials_shown": True}},
            {"facts": {"credentials_shown": False}},
        ),
        "hearing_eligible": ({"facts": {"hearing_eligible": True}}, {"facts": {"hearing_eligible": False}}),
        "hearing_requested_in_time": (
            {"events": {"notice_served": DAY, "hearing_requested": request_due}},
            {"events": {"notice_served": DAY, "hearing_requested": next_working_day(request_due)}},
        ),
        "hearing_window_closed": (
            {"facts": {"hearing_eligible": True, "hearing_waived": True}},
            {"facts": {"hearing_eligible": True}, "events": {"notice_served": DAY}, "today": request_due},
        ),
        "hearing_notice_timely": (
            {"events": {"hearing_noticed": DAY, "hearing_held": notice_due}},
            {"events": {"hearing_noticed": DAY, "hearing_held": notice_due - dt.timedelta(days=1)}},
        ),
        "defence_heard": ({"facts": {"defence_heard": True}}, {"facts": {"defence_heard": False}}),
        "no_heavier_for_defence": (
            {"facts": {"penalty_increased_after_defence": False}},
            {"facts": {"penalty_increased_after_defence": True}},
        ),
        "is_major": ({"facts": {"is_major": True}}, {"facts": {"is_major": False}}),
        "legal_review_passed_if_major": (
            {"facts": {"is_major": True, "legal_review_passed": True}},
            {"facts": {"is_major": True, "legal_review_passed": False}},
        ),
        "collective_discussion_required": (
            {"facts": {"collective_discussion_required": True}},
            {"facts": {"collective_discussion_required": False}},
        ),
        "collective_discussion_held_if_required": (
            {"facts": {"collective_discussion_required": True}, "records": ["collective_discussion_minutes"]},
            {"facts": {"collective_discussion_required": True}},
        ),
        "performed": ({"facts": {"performed": True}}, {"facts": {"performed": False}}),
        "simple_procedure_eligible": (
            {
                "facts": {
                    "facts_certain": True,
                    "penalty_kinds": ["fine"],
                    "party_kind": "person",
                    "fine_amount": 200,
                }
            },
            {
                "facts": {
                    "facts_certain": True,
                    "penalty_kinds": ["fine"],
                    "party_kind": "person",
                    "fine_amount": 201,
                }
            },
        ),
        "application_complete": (
            {"facts": {"application_complete": True}},
            {"facts": {"application_complete": False}},
        ),
        "licensing_hearing_requested_in_time": (
            {"events": {"hearing_notified": DAY, "hearing_requested": request_due}},
            {"events": {"hearing_notified": DAY, "hearing_requested": next_working_day(request_due)}},
        ),
        "licensing_hearing_notice_timely": (
            {"events": {"hearing_noticed": DAY, "hearing_held": notice_due}},
            {"events": {"hearing_noticed": DAY, "hearing_held": notice_due - dt.timedelta(days=1)}},
        ),
        "head_approved": ({"facts": {"head_approved": True}}, {"facts": {"head_approved": False}}),
        "emergency": ({"facts": {"emergency": True}}, {"facts": {"emergency": False}}),
        "party_or_witness_present": (
            {"facts": {"party_or_witness_present": True}},
            {"facts": {"party_or_witness_present": False}},
        ),
        "emergency_not_approved": ({"facts": {"head_approved": False}}, {"facts": {"head_approved": True}}),
        "problems_found": ({"facts": {"problems_found": True}}, {"facts": {"problems_found": False}}),
        # 行政处罚法 第五十七条第一款第二项: a 不予行政处罚 decision is served and the case ends
        "no_penalty_decided": (
            {"facts": {"no_penalty_decided": True}},
            {"facts": {"no_penalty_decided": False}},
        ),
        "penalty_to_perform": (
            {"facts": {"no_penalty_decided": False}},
            {"facts": {"no_penalty_decided": True}},
        ),
    }


def merged(*parts: dict) -> CaseContext:
    facts: dict = {}
    events: dict = {}
    records: list = []
    today = None
    for part in parts:
        facts.update(part.get("facts", {}))
        events.update(part.get("events", {}))
        records += part.get("records", [])
        today = part.get("today", today)
    return ctx(records=records, facts=facts, events=events, today=today or DAY)


GUARDED = [
    (defn.key, t.key, g) for defn in registry.definitions() for t in defn.transitions for g in t.guards
]


def test_every_guard_used_by_a_transition_has_a_refusal_case(calendar):
    assert {g for _, _, g in GUARDED} <= set(guard_cases())


@pytest.mark.parametrize(("procedure", "transition", "guard"), GUARDED)
def test_each_guard_refuses_its_transition_naming_its_source(calendar, procedure, transition, guard):
    # Each guard's own source is in GUARDS[guard].source (e.g. 行政处罚法 第五十八条 for legal review).
    defn = registry.get(procedure)
    t = defn.transition(transition)
    cases = guard_cases()
    others = [cases[g][0] for g in t.guards if g != guard]
    refused = check_transition(defn, t.source, transition, merged(*others, cases[guard][1]))
    hit = [u for u in refused if u.rule == guard]
    assert hit, refused
    assert GUARDS[guard].source in hit[0].message
    assert hit[0].source == GUARDS[guard].source
    passed = check_transition(defn, t.source, transition, merged(*others, cases[guard][0]))
    assert guard not in rules(passed)


# --- records ------------------------------------------------------------------------------------------


def test_deciding_without_a_penalty_notice_is_refused():
    # 行政处罚法 第四十四条: the party is told of the intended penalty before the decision
    unmet = check_transition(GENERAL, "notice", "decide", ctx(facts={"defence_heard": True}))
    notice = [u for u in unmet if u.field == "records.penalty_notice"]
    assert notice and "第四十四条" in notice[0].message


def test_a_transition_from_the_wrong_stage_is_refused():
    unmet = check_transition(GENERAL, "intake", "decide", ctx())
    assert rules(unmet) == {"wrong_stage"}


def test_an_unknown_transition_is_refused():
    assert rules(check_transition(GENERAL, "intake", "teleport", ctx())) == {"unknown_transition"}


def test_leaving_investigation_needs_evidence_and_the_report():
    # 行政处罚法 第五十四条 (evidence) and 第五十七条 (investigation concluded)
    facts = {"valid_officers": 2, "credentials_shown": True}
    unmet = check_transition(GENERAL, "investigation", "notify", ctx(facts=facts))
    assert {u.field for u in unmet} == {"records.inquiry_record", "records.investigation_report"}
    ok = check_transition(
        GENERAL,
        "investigation",
        "notify",
        ctx(records=["inquiry_record", "investigation_report"], facts=facts),
    )
    assert ok == []


def test_preserved_evidence_needs_its_handling_decision_before_the_investigation_ends():
    # 行政处罚法 第五十六条
    facts = {"valid_officers": 2, "credentials_shown": True}
    records = ["inquiry_record", "investigation_report", "evidence_preservation"]
    unmet = check_transition(GENERAL, "investigation", "notify", ctx(records=records, facts=facts))
    assert [u.field for u in unmet] == ["records.preservation_decision"]


def test_a_transfer_does_not_need_the_ordinary_investigation_records():
    # 行政处罚法 第二十七条: transfer to the judicial organs
    assert check_transition(GENERAL, "investigation", "transfer", ctx(records=["transfer_letter"])) == []


def test_an_onsite_inspection_without_audio_video_is_refused():
    # seed 002 记录办法 第十三条
    facts = {"valid_officers": 2, "credentials_shown": True}
    records = ["onsite_inspection_record", "investigation_report"]
    unmet = check_transition(GENERAL, "investigation", "notify", ctx(records=records, facts=facts))
    av = [u for u in unmet if u.rule == "av_required"]
    assert [u.field for u in av] == ["records.onsite_inspection_record.av"]
    assert "第十三条" in av[0].source
    assert (
        check_transition(
            GENERAL,
            "investigation",
            "notify",
            ctx(records=records, facts=facts, av=["onsite_inspection_record"]),
        )
        == []
    )


def test_the_agency_recording_list_adds_audio_video_requirements():
    # seed 002 记录办法 第十三条 (其他调查取证方式可根据执法需要进行音像记录) via the agency's list
    facts = {"valid_officers": 2, "credentials_shown": True}
    records = ["inquiry_record", "investigation_report"]
    assert check_transition(GENERAL, "investigation", "notify", ctx(records=records, facts=facts)) == []
    unmet = check_transition(
        GENERAL, "investigation", "notify", ctx(records=records, facts=facts, extra_av=["inquiry_record"])
    )
    assert [(u.field, u.source) for u in unmet] == [("records.inquiry_record.av", RECORDING_LIST_SOURCE)]


def test_service_by_leaving_at_the_residence_needs_audio_video():
    # seed 002 记录办法 第二十五条
    unmet = check_transition(GENERAL, "service", "execute", ctx(records=["service_left"]))
    assert [u.rule for u in unmet] == ["av_required"]
    assert check_transition(GENERAL, "service", "execute", ctx(records=["service_direct"])) == []


def test_a_reminder_is_required_before_enforcement():
    # seed 002 记录办法 第二十九条; 行政强制法 第三十五条
    facts = {"performed": True, "enforcement_needed": True}
    unmet = check_transition(GENERAL, "execution", "close", ctx(records=["enforcement_record"], facts=facts))
    assert [u.field for u in unmet] == ["records.enforcement_reminder"]


def test_a_major_case_cannot_be_decided_before_the_legal_review_passes():
    # 行政处罚法 第五十八条; seed 002 审核办法 第四条
    facts = {"defence_heard": True, "is_major": True}
    unmet = check_transition(GENERAL, "notice", "decide", ctx(records=["penalty_notice"], facts=facts))
    assert rules(unmet) == {"legal_review_passed_if_major"}
    assert "第五十八条" in unmet[0].message
    options = {
        t.key for t in available_transitions(GENERAL, "notice", ctx(records=["penalty_notice"], facts=facts))
    }
    assert options == {"to_review"}


def test_available_transitions_lists_only_those_fully_met():
    facts = {"filing_approved": True, "emergency_reason": ""}
    allowed = available_transitions(
        GENERAL, "intake", ctx(records=["case_source", "filing_approval"], facts=facts)
    )
    assert [t.key for t in allowed] == ["file"]


# --- simple procedure (行政处罚法 第五十一条) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("party_kind", "kinds", "amount", "eligible"),
    [
        ("person", ["fine"], Decimal("200"), True),
        ("person", ["fine"], Decimal("200.01"), False),
        ("organisation", ["fine"], Decimal("3000"), True),
        ("organisation", ["fine"], Decimal("3000.01"), False),
        ("person", ["warning"], None, True),
        ("organisation", ["warning", "fine"], Decimal("1000"), True),
        ("person", ["confiscate_gains"], None, False),
        ("person", ["fine", "suspend_permit"], Decimal("50"), False),
    ],
)
def test_the_simple_procedure_is_only_for_small_fines_or_a_warning(party_kind, kinds, amount, eligible):
    # 行政处罚法 第五十一条
    facts = {
        "facts_certain": True,
        "party_kind": party_kind,
        "penalty_kinds": kinds,
        "fine_amount": amount,
        "credentials_shown": True,
    }
    unmet = check_transition(
        SIMPLE,
        "on_spot",
        "decide_on_spot",
        ctx(records=["simple_facts_record", "on_spot_decision"], facts=facts),
    )
    assert ("simple_procedure_eligible" not in rules(unmet)) is eligible


def test_the_simple_procedure_needs_facts_that_are_certain():
    # 行政处罚法 第五十一条: 违法事实确凿并有法定依据
    facts = {
        "facts_certain": False,
        "party_kind": "person",
        "penalty_kinds": ["warning"],
        "credentials_shown": True,
    }
    unmet = check_transition(
        SIMPLE,
        "on_spot",
        "decide_on_spot",
        ctx(records=["simple_facts_record", "on_spot_decision"], facts=facts),
    )
    assert "simple_procedure_eligible" in rules(unmet)


def test_fines_collected_on_the_spot_must_be_deposited_before_moving_on():
    # 行政处罚法 第七十一条
    unmet = check_transition(
        SIMPLE,
        "filing",
        "file_with_agency",
        ctx(records=["agency_filing"], facts={"fine_collected_on_spot": True}),
    )
    assert [u.field for u in unmet] == ["records.fine_deposit"]


# --- time limits --------------------------------------------------------------------------------------


def limits(defn, context):
    return {d.key: d for d in deadlines_for(defn, context)}


def test_the_decision_is_due_90_days_after_filing_and_overdue_after(calendar):
    # 行政处罚法 第六十条 (90 日, natural days: 第八十五条 makes only 2/3/5/7-day periods working days)
    due = add_natural_days(DAY, 90).due
    running = limits(GENERAL, ctx(events={"filed": DAY}, today=due))["decision"]
    assert (running.due, running.state) == (due, "running")
    overdue = limits(GENERAL, ctx(events={"filed": DAY}, today=due + dt.timedelta(days=1)))["decision"]
    assert overdue.state == "overdue"
    late = limits(GENERAL, ctx(events={"filed": DAY, "decided": due + dt.timedelta(days=1)}))["decision"]
    assert late.state == "late"


def test_an_extension_moves_the_decision_deadline(calendar):
    # 行政处罚法 第六十条: 法律、法规、规章另有规定的，从其规定
    status = limits(GENERAL, ctx(events={"filed": DAY}, extensions={"decision": 30}, today=DAY))["decision"]
    assert status.due == add_natural_days(DAY, 120).due
    assert status.extended_by == 30


def test_a_limit_that_the_law_does_not_let_extend_cannot_be_extended(calendar):
    # 行政处罚法 第六十一条: service within 7 days has no extension
    with pytest.raises(ValueError, match="cannot be extended"):
        deadlines_for(GENERAL, ctx(events={"decided": DAY}, extensions={"service": 3}))


def test_service_is_due_seven_working_days_after_the_decision(calendar):
    # 行政处罚法 第六十一条、第八十五条
    status = limits(GENERAL, ctx(events={"decided": DAY}, today=DAY))["service"]
    assert status.due == add_working_days(DAY, 7).due
    assert status.limit.unit == "working"
    # the National Day holiday lies inside: seven working days span more than nine calendar days
    assert (status.due - DAY).days > 9


def test_the_hearing_request_window_lapses_after_five_working_days(calendar):
    # 行政处罚法 第六十四条第一项、第八十五条
    due = add_working_days(DAY, 5).due
    assert (
        limits(GENERAL, ctx(events={"notice_served": DAY}, today=due))["hearing_request"].state == "running"
    )
    lapsed = limits(GENERAL, ctx(events={"notice_served": DAY}, today=next_working_day(due)))[
        "hearing_request"
    ]
    assert lapsed.state == "lapsed"


def test_a_hearing_noticed_less_than_seven_working_days_ahead_is_too_early(calendar):
    # 行政处罚法 第六十四条第二项
    earliest = add_working_days(DAY, 7).due
    events = {"hearing_noticed": DAY, "hearing_held": earliest - dt.timedelta(days=1)}
    assert limits(GENERAL, ctx(events=events))["hearing_notice"].state == "too_early"
    events["hearing_held"] = earliest
    assert limits(GENERAL, ctx(events=events))["hearing_notice"].state == "met"


def test_an_emergency_start_must_be_approved_within_24_hours(calendar):
    # seed 002 记录办法 第八条
    started = timezone.make_aware(dt.datetime(2025, 9, 26, 21, 30))
    status = limits(GENERAL, ctx(events={"emergency_started": started}, now=started + dt.timedelta(hours=24)))
    assert status["emergency_approval"].due == started + dt.timedelta(hours=24)
    assert status["emergency_approval"].state == "running"
    late = limits(
        GENERAL, ctx(events={"emergency_started": started}, now=started + dt.timedelta(hours=24, minutes=1))
    )
    assert late["emergency_approval"].state == "overdue"
    met = limits(
        GENERAL, ctx(events={"emergency_started": started, "filed": started + dt.timedelta(hours=23)})
    )
    assert met["emergency_approval"].state == "met"


def test_the_file_is_archived_within_30_days_of_closing(calendar):
    # seed 002 记录办法 第三十二条
    status = limits(GENERAL, ctx(events={"closed": DAY}, today=DAY))["archive"]
    assert status.due == add_natural_days(DAY, 30).due
    after = limits(GENERAL, ctx(events={"closed": DAY}, today=status.due + dt.timedelta(days=1)))["archive"]
    assert after.state == "overdue"


def test_a_limit_whose_start_event_has_not_happened_has_not_started():
    assert limits(GENERAL, ctx())["decision"].state == "not_started"


def test_licensing_decision_is_due_20_working_days_after_acceptance(calendar):
    # 行政许可法 第四十二条、第八十二条
    status = limits(registry.get("licensing"), ctx(events={"accepted": DAY}, today=DAY))["decision"]
    assert status.due == add_working_days(DAY, 20).due


def test_a_seizure_lasts_at_most_30_days_unless_extended(calendar):
    # 行政强制法 第二十五条
    defn = registry.get("coercive_measure")
    status = limits(defn, ctx(events={"implemented": DAY}, today=DAY))["custody"]
    assert status.due == add_natural_days(DAY, 30).due


def test_ensure_transition_raises_a_409_listing_every_unmet_requirement():
    # 行政处罚法 第四十四条 (notice) and 第六十二条 (defence heard before deciding)
    with pytest.raises(TransitionRefused) as info:
        ensure_transition(GENERAL, "notice", "decide", ctx())
    assert info.value.status == 409
    assert {e.field for e in info.value.errors} == {"records.penalty_notice", "guards.defence_heard"}
    ensure_transition(
        GENERAL, "notice", "decide", ctx(records=["penalty_notice"], facts={"defence_heard": True})
    )
