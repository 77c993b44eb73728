"""Build the engine's ``CaseContext`` from a case's records, events and facts.

The facts are the contract named in ``sanxiang.procedures.guards.FACTS``; each has one small
function here (a table, not a chain of stage checks). The legal-review gate is a hook: see
``gate.review_passed``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone

from sanxiang.cases import clock, gate
from sanxiang.cases.models import Case, CaseEvent, CaseOfficer, CaseRecord
from sanxiang.cases.specs import OFFICER_RECORDS, Penalty
from sanxiang.procedures import registry
from sanxiang.procedures.definitions import ProcedureDefinition
from sanxiang.procedures.engine import CaseContext, deadline_for_limit
from sanxiang.registry.models import Party
from sanxiang.registry.services import officer_eligibility

# Records whose penalty is "the proposal" at the time they are made, in the order a case makes them.
PROPOSAL_RECORDS = (
    "investigation_report",
    "penalty_notice",
    "defence_review",
    "hearing_report",
    "decision_draft",
    "decision_document",
    "simple_facts_record",
    "on_spot_decision",
)
AFTER_DEFENCE = ("defence_review", "hearing_report", "decision_draft", "decision_document")


def party_kind(party: Party | None) -> str:
    """行政处罚法 distinguishes 公民 from 法人或者其他组织; 个体工商户 are natural persons (民法典 第五十四条)."""
    if party is None:
        return ""
    return "organisation" if party.kind == Party.Kind.ORGANISATION else "person"


@dataclass
class CaseView:
    """A case with its current (uncorrected) records, loaded once."""

    case: Case
    defn: ProcedureDefinition
    records: list[CaseRecord]
    events_rows: list[CaseEvent]
    officers: list[CaseOfficer]
    parties: list[Party]
    today: dt.date
    now: dt.datetime
    by_kind: dict[str, list[CaseRecord]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        corrected = {r.corrects_id for r in self.records if r.corrects_id}
        self.all_records = self.records
        self.records = [r for r in self.records if r.pk not in corrected]
        grouped: dict[str, list[CaseRecord]] = defaultdict(list)
        for r in self.records:
            grouped[r.kind].append(r)
        self.by_kind = dict(grouped)

    def has(self, key: str) -> bool:
        return bool(self.by_kind.get(key))

    def latest(self, *keys: str) -> CaseRecord | None:
        found = [r for k in keys for r in self.by_kind.get(k, ())]
        return max(found, key=lambda r: (r.made_at, r.pk)) if found else None

    def flag(self, key: str, name: str) -> bool:
        r = self.latest(key)
        return bool(r and r.payload.get(name))

    @cached_property
    def events(self) -> dict[str, dt.datetime]:
        """Event key -> the first time it happened (records by when they were made)."""
        specs = self.defn.records()
        found: dict[str, dt.datetime] = {}
        moments = [(r.made_at, specs[r.kind].event) for r in self.records if r.kind in specs]
        moments += [(e.at, e.event) for e in self.events_rows if e.event]
        for at, event in sorted(moments, key=lambda m: m[0]):
            if event:
                found.setdefault(event, at)
        return found

    @cached_property
    def occurrences(self) -> dict[str, tuple[dt.datetime, ...]]:
        """Event key -> every time it happened, in order (a pause can open and close more than once)."""
        specs = self.defn.records()
        found: dict[str, list[dt.datetime]] = defaultdict(list)
        moments = [(r.made_at, specs[r.kind].event) for r in self.records if r.kind in specs]
        moments += [(e.at, e.event) for e in self.events_rows if e.event]
        for at, event in sorted(moments, key=lambda m: m[0]):
            if event:
                found[event].append(at)
        return {k: tuple(v) for k, v in found.items()}

    @cached_property
    def extensions(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        for e in self.events_rows:
            if e.kind == CaseEvent.Kind.EXTENSION:
                total[e.payload["limit"]] += int(e.payload["days"])
        return dict(total)

    @cached_property
    def proposal(self) -> Penalty | None:
        r = self.latest_with_penalty(PROPOSAL_RECORDS)
        return Penalty.of(r.payload) if r else None

    def latest_with_penalty(
        self, keys: Iterable[str], *, after: dt.datetime | None = None
    ) -> CaseRecord | None:
        found = [
            r
            for k in keys
            for r in self.by_kind.get(k, ())
            if Penalty.of(r.payload) and (after is None or r.made_at >= after)
        ]
        return max(found, key=lambda r: (r.made_at, r.pk)) if found else None

    @cached_property
    def major(self) -> list:
        """``major_criteria`` of this view, worked out once (the facts and the case page both ask)."""
        return major_criteria(self)

    @cached_property
    def party_kind(self) -> str:
        return party_kind(self.parties[0] if self.parties else None)

    def valid_officers(self, on: dt.date | None = None) -> list[CaseOfficer]:
        on = on or self.today
        return [
            o
            for o in self.officers
            if officer_eligibility(
                officer=o.officer, category=self.case.category, region_code=self.case.region_code, on=on
            ).allowed
        ]


def load(case: Case, *, today: dt.date | None = None, now: dt.datetime | None = None) -> CaseView:
    now = now or clock.now()
    return CaseView(
        case=case,
        defn=registry.get(case.procedure),
        # who made each record and event is named on the case page's timeline (one join, not a
        # query per row)
        records=list(case.records.select_related("made_by").order_by("made_at", "pk")),
        events_rows=list(case.events.select_related("actor").order_by("at", "pk")),
        officers=list(case.case_officers.select_related("officer__agency")),
        parties=[cp.party for cp in case.case_parties.select_related("party")],
        today=today or timezone.localdate(now),
        now=now,
    )


# --- facts (sanxiang.procedures.guards.FACTS) ---


def _filing_approved(v: CaseView) -> bool:
    return v.has("filing_approval")


def _reporter_informed(v: CaseView) -> bool:
    return v.flag("not_filing_record", "reporter_informed")


def _credentials_shown(v: CaseView) -> bool:
    """Every record naming the officers present says each showed the credential (第五十五条)."""
    rows = [r for k in OFFICER_RECORDS for r in v.by_kind.get(k, ())]
    return bool(rows) and all(o.get("shown") for r in rows for o in r.officers)


def _hearing_eligible(v: CaseView) -> bool:
    return v.flag("penalty_notice", "hearing_rights")


def _defence_heard(v: CaseView) -> bool:
    return v.has("statement_defence") or v.has("hearing_record")


def _increased(v: CaseView) -> bool:
    notice = v.latest("penalty_notice")
    before = Penalty.of(notice.payload) if notice else None
    if notice is None or before is None:
        return False
    after_record = v.latest_with_penalty(AFTER_DEFENCE, after=notice.made_at)
    after = Penalty.of(after_record.payload) if after_record else None
    return bool(after and after.heavier_than(before))


def major_criteria(v: CaseView) -> list:
    """The 重大执法决定 criteria the current proposal meets (行政处罚法 第五十八条)."""
    if v.defn.law != "penalty" or v.proposal is None:
        return []
    from sanxiang.catalog.services import DecisionProposal, is_major_decision

    report = v.latest("investigation_report")
    flags = report.payload if report else {}
    proposal = DecisionProposal(
        penalty_kinds=v.proposal.kinds,
        fine_amount=v.proposal.fine,
        confiscation_amount=v.proposal.confiscation,
        party_kind=v.party_kind or "organisation",
        hearing_held=v.has("hearing_record"),
        public_interest=bool(flags.get("public_interest")),
        major_rights=bool(flags.get("major_rights")),
        social_impact=bool(flags.get("social_impact")),
        complex=bool(flags.get("complex")),
    )
    return is_major_decision(agency=v.case.agency, proposal=proposal, on=v.today)


def _is_major(v: CaseView) -> bool:
    return bool(v.major)


def _collective_required(v: CaseView) -> bool:
    return v.flag("investigation_report", "collective_discussion_required")


def _enforcement_needed(v: CaseView) -> bool:
    if v.has("enforcement_reminder"):
        return True
    try:
        limit = v.defn.time_limit("payment")
    except KeyError:
        return False
    # the facts the payment period's own condition reads (``when``), not the whole context: this
    # builder is one of the context's facts
    facts = {name: FACT_BUILDERS[name](v) for name in ("no_penalty_decided", "penalty_kinds")}
    ctx = CaseContext(
        events=v.events,
        today=v.today,
        now=v.now,
        occurrences=v.occurrences,
        region=v.case.agency.region_code,
        facts=facts,
    )
    return deadline_for_limit(v.defn, limit, ctx).state == "lapsed"


def _performed(v: CaseView) -> bool:
    return (
        v.flag("performance_record", "performed")
        or v.flag("enforcement_record", "completed")
        or v.flag("court_application", "completed")
    )


def _penalty_kinds(v: CaseView) -> list[str]:
    return sorted(v.proposal.kinds) if v.proposal else []


def _fine_amount(v: CaseView) -> Decimal:
    return v.proposal.fine if v.proposal else Decimal(0)


class _NoRecord:
    """Stands in for a missing record in the fact builders below."""

    payload: dict = {}


_NO = _NoRecord()


FACT_BUILDERS: dict[str, Callable[[CaseView], Any]] = {
    "filing_approved": _filing_approved,
    "emergency_reason": lambda v: v.case.emergency_reason if v.case.is_emergency else "",
    "reporter_named": lambda v: v.case.reporter_named,
    "reporter_informed": _reporter_informed,
    "valid_officers": lambda v: len(v.valid_officers()),
    "credentials_shown": _credentials_shown,
    "hearing_eligible": _hearing_eligible,
    "hearing_waived": lambda v: v.has("hearing_waiver"),
    "defence_heard": _defence_heard,
    "penalty_increased_after_defence": _increased,
    "is_major": _is_major,
    "legal_review_passed": lambda v: gate.review_passed(v.case),
    "legal_review_requested": lambda v: gate.review_requested(v.case),
    "collective_discussion_required": _collective_required,
    "enforcement_needed": _enforcement_needed,
    "performed": _performed,
    "no_penalty_decided": lambda v: (
        (v.latest("decision_document") or _NO).payload.get("discretion_ground") == "exempt"
    ),
    "facts_certain": lambda v: v.flag("simple_facts_record", "facts_certain"),
    "party_kind": lambda v: v.party_kind,
    "penalty_kinds": _penalty_kinds,
    "fine_amount": _fine_amount,
    "fine_collected_on_spot": lambda v: v.has("fine_collection"),
    "application_complete": lambda v: v.has("acceptance_receipt"),
    "head_approved": lambda v: v.has("measure_approval") or v.has("emergency_approval"),
    "emergency": lambda v: v.case.is_emergency,
    "party_or_witness_present": lambda v: (
        v.flag("onsite_record", "party_present")
        or bool((v.latest("onsite_record") or _NO).payload.get("witness"))
    ),
    "problems_found": lambda v: v.flag("inspection_result", "problems_found"),
}


def context_of(v: CaseView) -> CaseContext:
    from sanxiang.catalog.services import recording_required_records

    return CaseContext(
        records={k: len(rs) for k, rs in v.by_kind.items()},
        av_records=frozenset(r.kind for r in v.records if r.has_av),
        extra_av=recording_required_records(agency=v.case.agency, procedure=v.case.procedure, on=v.today),
        events=v.events,
        facts={name: build(v) for name, build in FACT_BUILDERS.items()},
        today=v.today,
        now=v.now,
        extensions=v.extensions,
        occurrences=v.occurrences,
        region=v.case.agency.region_code,
    )


def build_context(case: Case, *, today: dt.date | None = None, now: dt.datetime | None = None) -> CaseContext:
    return context_of(load(case, today=today, now=now))
