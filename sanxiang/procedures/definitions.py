"""The shape of a procedure definition: plain frozen dataclasses that the engine reads and the
portal draws (STYLE.md, Procedures as data).

A definition is validated when it is registered (``validate_definition``): unknown stage, record,
guard or event names, unreachable stages and dead ends are refused at import time, so a broken
definition never reaches a running case or the published flowchart.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sanxiang.procedures.fields import Field


class Unit(StrEnum):
    WORKING = "working"  # 工作日
    NATURAL = "natural"  # 自然日
    HOURS = "hours"  # 小时


UNIT_LABELS = {Unit.WORKING: "个工作日", Unit.NATURAL: "日", Unit.HOURS: "小时"}


class LimitKind(StrEnum):
    AGENCY_DEADLINE = "agency_deadline"  # the agency must reach ``until`` by the due date
    PARTY_WINDOW = "party_window"  # the party may act until the due date; afterwards the right lapses
    MINIMUM_NOTICE = "minimum_notice"  # ``until`` must not happen before the due date


@dataclass(frozen=True)
class RecordSpec:
    """A kind of record (文书、笔录、审批) that may be made in a stage."""

    key: str
    name: str
    source: str
    av_required: bool = False  # audio/video required by law (DESIGN.md statutory minimum)
    av_source: str = ""
    event: str = ""  # the event this record marks when it is made (e.g. "notice_served")
    # This record is the case's decision, disclosed as this kind of 公示 ("penalty", "licensing",
    # "other", "inspection"; 《松原市行政执法公示办法》第十六、二十七条). Its stage must require it: when the
    # case leaves that stage by an ordinary exit the decision is final, and the cases app hands it
    # to the installed decision hooks (``sanxiang.cases.decisions``) in the same transaction.
    discloses: str = ""
    # This record states that the case's decision was changed, revoked or found unlawful (复议、诉讼、
    # 自行纠正): made after the decision (``ProcedureDefinition.after_decision``), the cases app hands
    # it to the installed decision-change hooks (the 公示 is withdrawn: 行政处罚法 第四十八条).
    changes_decision: bool = False
    # What the decision decides (``DECISION_KINDS``: stored as the case's decision row, see
    # ``sanxiang.cases.decisions``); empty: the kind its 公示 implies (处罚、许可、检查、强制措施).
    decision_kind: str = ""


# The kinds of disclosure a decision record may declare (sanxiang.disclosure.fields.SOURCE_KINDS).
DISCLOSURE_KINDS = frozenset({"penalty", "licensing", "other", "inspection"})
# The kinds of decision a decision record may make (sanxiang.cases.models.DecisionKind).
DECISION_KINDS = frozenset(
    {"penalty", "licence", "measure", "inspection", "levy", "fee", "confirmation", "adjudication", "benefit"}
)


@dataclass(frozen=True)
class Requirement:
    """Before leaving a stage forward: at least one of ``records`` (usually exactly one) must exist.

    ``when`` names a guard: the requirement applies only when that predicate holds.
    """

    records: tuple[str, ...]
    source: str
    when: str = ""
    label: str = ""


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    records: tuple[RecordSpec, ...] = ()
    requires: tuple[Requirement, ...] = ()
    terminal: bool = False
    description: str = ""


@dataclass(frozen=True)
class Transition:
    key: str
    source: str
    target: str
    name: str
    guards: tuple[str, ...] = ()
    requires: tuple[Requirement, ...] = ()
    event: str = ""  # the event the transition marks (e.g. "filed")
    # Exceptional exits (termination, transfer) do not need the stage's ordinary exit records.
    skip_stage_requirements: bool = False
    # One of two exclusive exits (进入执行 / 不予处罚，结案): the case page offers it only when its
    # conditions hold, not as a button with "尚不具备条件" beside the other.
    only_when_allowed: bool = False


@dataclass(frozen=True)
class Pause:
    """Time not counted in a time limit (行政许可法 第四十五条; 行政强制法 第二十五条第三款): each
    ``starts`` event opens a span that the next ``ends`` event closes. The days after the start day up
    to and including the end day are not counted (the start day itself, like the day a period runs
    from, stays counted); an unclosed span runs to today and the limit is shown as paused."""

    key: str
    name: str
    starts: str  # event key
    ends: str  # event key
    source: str


@dataclass(frozen=True)
class TimeLimit:
    key: str
    name: str
    days: int | None  # None: the value of ``rule`` in the registry (for the region and the date)
    unit: Unit
    start: str  # event key the period runs from (the day of the event is not counted)
    until: str  # event key that satisfies it
    source: str
    kind: LimitKind = LimitKind.AGENCY_DEADLINE
    extendable: bool = False
    extension_source: str = ""
    pauses: tuple[Pause, ...] = ()  # spans not counted in the period
    # The rules-registry key whose value (for the case's region and the day the period starts) is
    # the period; ``days`` is then only the national value, checked against the registry on load.
    rule: str = ""
    # The registry key of the most an extension may add in all (行政许可法 第四十二条: 十日), if any.
    extension_rule: str = ""
    # An extension must state the law, regulation or rule that allows it (行政处罚法 第六十条).
    extension_needs_basis: bool = False
    # A guard: the period runs only for a case where that predicate holds (the 15-day payment only
    # where a fine is to be paid); otherwise its state is ``not_applicable``.
    when: str = ""

    @property
    def period_label(self) -> str:
        """The period as the national default has it (a case shows its own: ``DeadlineStatus``)."""
        from django.utils import timezone

        return self.label_for(region=None, on=timezone.localdate())

    def days_for(self, *, region: str | None, on: Any) -> int:
        """The period for ``region`` on ``on``: the registry's value of ``rule``, or ``days``."""
        if self.days is not None:
            return self.days
        from sanxiang.rules.selectors import rule_for

        rule = rule_for(self.rule, region=region, on=on)
        value = rule.value
        if not isinstance(value, int):
            raise TypeError(f"{self.rule} is not a period")
        return value

    def label_for(self, *, region: str | None, on: Any) -> str:
        return f"{self.days_for(region=region, on=on)}{UNIT_LABELS[self.unit]}"


@dataclass(frozen=True)
class AppRecord:
    """A case record that another app writes on the case for its own workflow
    (``cases.services.record_add_from_app``): which app, which role its author holds, and why."""

    app: str
    role: str
    source: str


@dataclass(frozen=True)
class DemoCase:
    """A case of the procedure for ``sanxiang demo`` (built by the cases app through its services):
    the agency that handles it (by enforcement category), its title and source, and its steps in
    order — ``("record", kind, payload[, "officers"][, "video"])`` (the officers present, an
    audio/video file), ``("approval", kind)`` (承办人 → 审核人 → 批准人) or ``("transition", key)``.
    The demo stops after ``stop`` steps (all when None)."""

    title: str
    category: str
    source: str
    steps: tuple[tuple, ...]
    stop: int | None = None
    party: str = "organisation"  # or "person"


# A record rule: fn(view, clean payload, made_at) -> list of FieldError (``cases.services``).
RecordRule = Callable[..., list]


@dataclass(frozen=True)
class ProcedureDefinition:
    key: str
    name: str
    law: str  # the law whose period rules apply: "penalty", "licensing", "coercion", "inspection"
    source: str
    initial: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    events: dict[str, str] = field(default_factory=dict)  # key -> Chinese name
    time_limits: tuple[TimeLimit, ...] = ()
    # One sentence; a period or amount in it is a ``{rule.key}`` placeholder (``summary``).
    description: str = ""
    # Records that may be made in any stage once the decision is final (not tied to one stage).
    after_decision: tuple[RecordSpec, ...] = ()
    # --- what the procedure knows about its records and its numbering (one module per procedure) ---
    number_prefix: str = "案"  # 案号 prefix: 罚〔2026〕0001号
    # record key -> its fields (the staff form and the API); a record not listed has 内容摘要 only
    record_fields: Mapping[str, tuple[Field, ...]] = field(default_factory=dict)
    # record key -> the rules a new record of that kind must meet
    record_rules: Mapping[str, tuple[RecordRule, ...]] = field(default_factory=dict)
    # records made only through the internal approval chain (记录办法 第三十八条)
    approval_records: frozenset[str] = frozenset()
    # records another app writes on the case (the legal review's opinion)
    app_records: Mapping[str, AppRecord] = field(default_factory=dict)
    # record key -> (records one of which must exist first, source)
    prerequisites: Mapping[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    # stage -> the transition by which a major case enters legal review from it (法制审核)
    review_transitions: Mapping[str, str] = field(default_factory=dict)
    review_stage: str = ""
    # demo cases of this procedure (``sanxiang demo``)
    demo: tuple[DemoCase, ...] = ()

    def __hash__(self) -> int:
        return hash(self.key)

    def described(self, *, region: str | None = None, on: Any = None) -> str:
        """``description`` with its ``{rule.key}`` placeholders filled for ``region`` on ``on``."""
        from sanxiang.rules.selectors import fill

        return fill(self.description, region=region, on=on)

    @property
    def summary(self) -> str:
        """The description as the national profile has it today (the public flowcharts)."""
        return self.described()

    def stage(self, key: str) -> Stage:
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)

    def transition(self, key: str) -> Transition:
        for t in self.transitions:
            if t.key == key:
                return t
        raise KeyError(key)

    def records(self) -> dict[str, RecordSpec]:
        return {
            **{r.key: r for s in self.stages for r in s.records},
            **{r.key: r for r in self.after_decision},
        }

    def record_stage(self) -> dict[str, str]:
        return {r.key: s.key for s in self.stages for r in s.records}

    def outgoing(self, stage_key: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == stage_key]

    def time_limit(self, key: str) -> TimeLimit:
        for t in self.time_limits:
            if t.key == key:
                return t
        raise KeyError(key)

    def decision_made_by(self, transition_key: str) -> RecordSpec | None:
        """The decision record (``RecordSpec.discloses``) that ``transition_key`` makes final: the one
        its source stage holds, when the transition is an ordinary exit (an exceptional exit such as
        a release without approval does not carry the stage's records)."""
        t = self.transition(transition_key)
        if t.skip_stage_requirements:
            return None
        return next((r for r in self.stage(t.source).records if r.discloses), None)


class DefinitionError(Exception):
    """A procedure definition breaks the rules of its own shape."""

    def __init__(self, key: str, problems: list[str]):
        self.key = key
        self.problems = problems
        super().__init__(f"procedure {key!r}: " + "; ".join(problems))


# 行政处罚法 第八十五条: "二日""三日""五日""七日" are working days.
PENALTY_WORKING_DAY_PERIODS = frozenset({2, 3, 5, 7})


def validate_definition(defn: ProcedureDefinition, *, guards: set[str] | frozenset[str]) -> list[str]:
    """Every problem in ``defn``; an empty list means it is sound."""
    problems: list[str] = []
    stage_keys = [s.key for s in defn.stages]
    stages = set(stage_keys)
    for dup in sorted({k for k in stage_keys if stage_keys.count(k) > 1}):
        problems.append(f"duplicate stage {dup!r}")
    transition_keys = [t.key for t in defn.transitions]
    for dup in sorted({k for k in transition_keys if transition_keys.count(k) > 1}):
        problems.append(f"duplicate transition {dup!r}")
    record_keys = [r.key for s in defn.stages for r in s.records]
    for dup in sorted({k for k in record_keys if record_keys.count(k) > 1}):
        problems.append(f"duplicate record {dup!r}")
    for r in defn.after_decision:
        if r.key in record_keys:
            problems.append(f"duplicate record {r.key!r}")
        if not any(x.discloses for s in defn.stages for x in s.records):
            problems.append(f"record {r.key!r} is made after the decision but no record is a decision")
    for s in defn.stages:
        for r in s.records:
            if r.changes_decision:
                problems.append(f"record {r.key!r} changes the decision but is tied to stage {s.key!r}")
    records = set(record_keys)

    if defn.initial not in stages:
        problems.append(f"unknown initial stage {defn.initial!r}")

    produced: set[str] = set()
    for s in defn.stages:
        for r in s.records:
            if r.event:
                produced.add(r.event)
            if r.decision_kind and not r.discloses:
                problems.append(f"record {r.key!r} names a decision kind but is not a decision record")
            if r.av_required and not r.av_source:
                problems.append(f"record {r.key!r} requires audio/video but names no source")
            if r.discloses:
                if r.discloses not in DISCLOSURE_KINDS:
                    problems.append(f"record {r.key!r}: unknown disclosure kind {r.discloses!r}")
                if r.decision_kind and r.decision_kind not in DECISION_KINDS:
                    problems.append(f"record {r.key!r}: unknown decision kind {r.decision_kind!r}")
                if not any(req.records == (r.key,) and not req.when for req in s.requires):
                    problems.append(f"record {r.key!r} is a decision but stage {s.key!r} does not require it")
        if sum(1 for r in s.records if r.discloses) > 1:
            problems.append(f"stage {s.key!r} holds more than one decision record")
    # A record made after the decision (in any stage) marks its event like a stage's record does.
    produced.update(r.event for r in defn.after_decision if r.event)
    for t in defn.transitions:
        if t.event:
            produced.add(t.event)
    for ev in sorted(produced - set(defn.events)):
        problems.append(f"undeclared event {ev!r}")

    def check_requirements(where: str, reqs: tuple[Requirement, ...]) -> None:
        for req in reqs:
            if not req.records:
                problems.append(f"{where}: requirement without records")
            for rk in req.records:
                if rk not in records:
                    problems.append(f"{where}: unknown record {rk!r}")
            if not req.source:
                problems.append(f"{where}: requirement {req.records!r} names no source")
            if req.when and req.when not in guards:
                problems.append(f"{where}: unknown guard {req.when!r}")

    for s in defn.stages:
        check_requirements(f"stage {s.key!r}", s.requires)
    for t in defn.transitions:
        if t.source not in stages:
            problems.append(f"transition {t.key!r}: unknown source stage {t.source!r}")
        if t.target not in stages:
            problems.append(f"transition {t.key!r}: unknown target stage {t.target!r}")
        for g in t.guards:
            if g not in guards:
                problems.append(f"transition {t.key!r}: unknown guard {g!r}")
            else:
                problems.extend(_guard_placeholder_problems(g))
        check_requirements(f"transition {t.key!r}", t.requires)

    for s in defn.stages:
        out = [t for t in defn.transitions if t.source == s.key]
        if s.terminal and out:
            problems.append(f"terminal stage {s.key!r} has outgoing transitions")
        if not s.terminal and not out:
            problems.append(f"stage {s.key!r} is a dead end (not terminal, no transitions)")

    if defn.initial in stages:
        seen = {defn.initial}
        queue = deque([defn.initial])
        while queue:
            cur = queue.popleft()
            for t in defn.transitions:
                if t.source == cur and t.target in stages and t.target not in seen:
                    seen.add(t.target)
                    queue.append(t.target)
        for key in stage_keys:
            if key not in seen:
                problems.append(f"stage {key!r} is unreachable from {defn.initial!r}")

    all_records = set(defn.records())
    for name, keys in (
        ("record_fields", defn.record_fields),
        ("record_rules", defn.record_rules),
        ("app_records", defn.app_records),
        ("prerequisites", defn.prerequisites),
    ):
        for rk in sorted(set(keys) - all_records):
            problems.append(f"{name}: unknown record {rk!r}")
    for rk in sorted(defn.approval_records - all_records):
        problems.append(f"approval_records: unknown record {rk!r}")
    for rk, (needed, source) in defn.prerequisites.items():
        for n in needed:
            if n not in all_records:
                problems.append(f"prerequisites: {rk!r} needs unknown record {n!r}")
        if not source:
            problems.append(f"prerequisites: {rk!r} names no source")
    for stage_key, tk in defn.review_transitions.items():
        if stage_key not in stages:
            problems.append(f"review_transitions: unknown stage {stage_key!r}")
        match = [t for t in defn.transitions if t.key == tk]
        if not match:
            problems.append(f"review_transitions: unknown transition {tk!r}")
        elif match[0].source != stage_key or match[0].target != defn.review_stage:
            problems.append(
                f"review_transitions: {tk!r} does not lead from {stage_key!r} to the review stage"
            )
    if defn.review_stage and defn.review_stage not in stages:
        problems.append(f"unknown review stage {defn.review_stage!r}")

    problems.extend(_placeholder_problems("description", defn.description))

    problems.extend(_demo_problems(defn, all_records))

    limit_keys = [tl.key for tl in defn.time_limits]
    for dup in sorted({k for k in limit_keys if limit_keys.count(k) > 1}):
        problems.append(f"duplicate time limit {dup!r}")
    for tl in defn.time_limits:
        for ev in (tl.start, tl.until):
            if ev not in defn.events:
                problems.append(f"time limit {tl.key!r}: unknown event {ev!r}")
            elif ev not in produced:
                problems.append(f"time limit {tl.key!r}: event {ev!r} is produced by no record or transition")
        for pause in tl.pauses:
            for ev in (pause.starts, pause.ends):
                if ev not in defn.events:
                    problems.append(f"time limit {tl.key!r}: pause {pause.key!r}: unknown event {ev!r}")
                elif ev not in produced:
                    problems.append(
                        f"time limit {tl.key!r}: pause {pause.key!r}: event {ev!r} is produced by no record or transition"
                    )
            if not pause.source:
                problems.append(f"time limit {tl.key!r}: pause {pause.key!r} names no source")
        if tl.pauses and (tl.unit == Unit.HOURS or tl.kind == LimitKind.MINIMUM_NOTICE):
            problems.append(f"time limit {tl.key!r}: only day periods that run to a deadline can pause")
        if tl.days is None and not tl.rule:
            problems.append(f"time limit {tl.key!r}: neither a period nor a rule")
        if tl.when and tl.when not in guards:
            problems.append(f"time limit {tl.key!r}: unknown guard {tl.when!r}")
        if tl.days is not None and tl.days <= 0:
            problems.append(f"time limit {tl.key!r}: days must be positive")
        if tl.extension_rule and not tl.extendable:
            problems.append(f"time limit {tl.key!r}: an extension cap on a limit that cannot be extended")
        problems.extend(_rule_problems(tl))
        if not tl.source:
            problems.append(f"time limit {tl.key!r} names no source")
        if (
            defn.law == "penalty"
            and tl.unit == Unit.NATURAL
            and national_days(tl) in PENALTY_WORKING_DAY_PERIODS
            and "行政处罚法" in tl.source
        ):
            problems.append(
                f"time limit {tl.key!r}: 行政处罚法 第八十五条 counts {tl.days}-day periods in working days"
            )
    return problems


def _placeholder_problems(where: str, text: str) -> list[str]:
    """Every ``{rule.key}`` in a sentence names a declared rule."""
    from sanxiang.rules import catalogue
    from sanxiang.rules.selectors import placeholders

    return [f"{where}: unknown rule {k!r}" for k in placeholders(text) if k not in catalogue.KEYS]


def _demo_problems(defn: ProcedureDefinition, records: set[str]) -> list[str]:
    """A demo names only the procedure's own records and transitions."""
    problems = []
    transitions = {t.key for t in defn.transitions}
    for demo in defn.demo:
        for step in demo.steps:
            action, name = step[0], step[1]
            if action in ("record", "approval") and name not in records:
                problems.append(f"demo {demo.title!r}: unknown record {name!r}")
            elif action == "transition" and name not in transitions:
                problems.append(f"demo {demo.title!r}: unknown transition {name!r}")
            elif action not in ("record", "approval", "transition"):
                problems.append(f"demo {demo.title!r}: unknown step {action!r}")
    return problems


def _guard_placeholder_problems(name: str) -> list[str]:
    from sanxiang.procedures.guards import GUARDS

    found = GUARDS.get(name)
    return _placeholder_problems(f"guard {name!r}", found.template) if found else []


_REGISTRY_UNITS = {Unit.WORKING: "working_days", Unit.NATURAL: "natural_days", Unit.HOURS: "hours"}


def _rule_problems(tl: TimeLimit) -> list[str]:
    """A limit that names registry keys: they exist, in the limit's unit, with its national value."""
    from sanxiang.rules import catalogue

    problems: list[str] = []
    keys = catalogue.KEYS
    if tl.rule:
        key = keys.get(tl.rule)
        if key is None:
            problems.append(f"time limit {tl.key!r}: unknown rule {tl.rule!r}")
        else:
            if key.unit != _REGISTRY_UNITS[tl.unit]:
                problems.append(f"time limit {tl.key!r}: rule {tl.rule!r} is in {key.unit}, not {tl.unit}")
            national = [e.value for e in catalogue.NATIONAL.entries.get(tl.rule, ())]
            if not national or not isinstance(national[-1], int):
                problems.append(f"time limit {tl.key!r}: rule {tl.rule!r} has no national period in days")
        if tl.days is not None:
            problems.append(f"time limit {tl.key!r}: the period is the rule's value, not a literal")
    if tl.extension_rule and tl.extension_rule not in keys:
        problems.append(f"time limit {tl.key!r}: unknown extension rule {tl.extension_rule!r}")
    return problems


def national_days(tl: TimeLimit) -> int | None:
    """The national period of ``tl`` (its literal, or its rule's national value), read without the database."""
    if tl.days is not None:
        return tl.days
    from sanxiang.rules import catalogue

    entries = catalogue.NATIONAL.entries.get(tl.rule, ())
    value = entries[-1].value if entries else None
    return value if isinstance(value, int) else None
