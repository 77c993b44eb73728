"""Decision hooks: what other apps do when a case's decision becomes final.

The procedure definition marks which record is "the decision" and how it is disclosed
(``RecordSpec.discloses``: 行政处罚决定书, 当场处罚决定书, 准予或不予许可决定书, 查封扣押决定书,
检查结果记录). When a case leaves the stage holding that record by an ordinary exit (送达, 备案,
颁发, 查封扣押完成, 结果公示 …), ``services.case_transition`` builds a :class:`Decision` and calls every
installed hook inside the transition's transaction: a hook that raises refuses the transition and
nothing of it is written.

Apps install their hook from ``AppConfig.ready()`` — the cases app never imports them::

    from sanxiang.cases import decisions
    decisions.register_decision_hook("disclosure", duty_from_decision)

(The disclosure app creates the decision's 公示 duty this way: 公示办法 第二十一条, 执法办案系统与
公示平台的数据交换 — pushed automatically, not typed in again.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases.context import CaseView
from sanxiang.cases.models import Case, CaseRecord
from sanxiang.cases.specs import PENALTY_KINDS
from sanxiang.procedures.definitions import RecordSpec
from sanxiang.registry.models import Party

# Where the case states the facts and the legal basis of its decision, latest first per procedure.
FACTS_RECORDS = ("investigation_report", "simple_facts_record")
BASIS_RECORDS = ("decision_draft", "investigation_report", "simple_facts_record")

_hooks: dict[str, Callable[[Decision], Any]] = {}
_correction_hooks: dict[str, Callable[[Decision, str], Any]] = {}
_change_hooks: dict[str, Callable[[DecisionChange], Any]] = {}


@dataclass(frozen=True)
class Decision:
    """A final decision of a case, in the case's own terms (a hook maps it to its own items)."""

    case: Case
    actor: Any
    discloses: str  # "penalty" | "licensing" | "other" | "inspection" (RecordSpec.discloses)
    spec: RecordSpec  # the decision record's kind in the procedure definition
    record: CaseRecord  # the decision record (its latest correction)
    transition: str
    decided_on: dt.date  # the local date the decision record was made
    parties: tuple[Party, ...]
    procedure_name: str
    document_number: str
    document_sm3: str  # SM3 of the decision document's file (not its audio/video), or ""
    facts: str  # 违法事实 as the investigation found them (penalties), or ""
    basis: str  # the legal basis the case relied on, or the matter's basis from the catalogue
    penalty_labels: tuple[str, ...]  # 处罚种类 in words (行政处罚法 第九条)

    @property
    def payload(self) -> dict[str, Any]:
        return self.record.payload

    @property
    def party(self) -> Party | None:
        return self.parties[0] if self.parties else None

    def amount(self, name: str) -> str:
        """A money item of the decision record (yuan, two decimals), or "" when absent or zero."""
        value = self.payload.get(name)
        return value if value and Decimal(value) else ""


@dataclass(frozen=True)
class DecisionChange:
    """The case's final decision was changed, revoked or found unlawful (a ``changes_decision`` record)."""

    decision: Decision  # the decision as it was made final (its latest correction)
    record: CaseRecord  # the record of the change
    ground: str  # "changed" | "revoked" | "unlawful" | "redo" (cases.specs.DECISION_CHANGE_GROUNDS)
    by: str  # "reconsideration" | "litigation" | "self_correction" | "supervision"
    occurred_on: dt.date
    explanation: str  # the public reason


def register_decision_hook(name: str, hook: Callable[[Decision], Any] | None) -> None:
    """Install ``hook`` under ``name`` (replacing an earlier one), or remove it with None."""
    if hook is None:
        _hooks.pop(name, None)
    else:
        _hooks[name] = hook


def register_correction_hook(name: str, hook: Callable[[Decision, str], Any] | None) -> None:
    """Install ``hook(decision, reason)``, called when a final decision's record is corrected."""
    if hook is None:
        _correction_hooks.pop(name, None)
    else:
        _correction_hooks[name] = hook


def register_change_hook(name: str, hook: Callable[[DecisionChange], Any] | None) -> None:
    """Install ``hook(change)``, called when a final decision is changed, revoked or found unlawful."""
    if hook is None:
        _change_hooks.pop(name, None)
    else:
        _change_hooks[name] = hook


def installed() -> dict[str, Callable[[Decision], Any]]:
    return dict(_hooks)


def final_transition(view: CaseView) -> str | None:
    """The transition that made the case's decision final, or None while it is not final."""
    making = [t.key for t in view.defn.transitions if view.defn.decision_made_by(t.key) is not None]
    if not making:
        return None
    return (
        view.case.events.filter(transition__in=making)
        .order_by("at", "id")
        .values_list("transition", flat=True)
        .first()
    )


def run_record_hooks(view: CaseView, *, record: CaseRecord, actor: User) -> None:
    """Hand a new record that corrects a final decision, or changes it, to the installed hooks."""
    spec = view.defn.records()[record.kind]
    if not (spec.changes_decision or (spec.discloses and record.corrects_id)):
        return
    transition = final_transition(view)
    if transition is None:
        return  # not final yet: the decision hook will read the latest correction
    decision = decision_of(view, transition=transition, actor=actor)
    if decision is None:
        return
    if spec.discloses:
        for correction_hook in list(_correction_hooks.values()):
            correction_hook(decision, record.correction_reason)
        return
    payload = record.payload
    change = DecisionChange(
        decision=decision,
        record=record,
        ground=payload["ground"],
        by=payload["by"],
        occurred_on=dt.date.fromisoformat(str(payload["occurred_on"])),
        explanation=payload["explanation"],
    )
    for change_hook in list(_change_hooks.values()):
        change_hook(change)


def _document_sm3(record: CaseRecord) -> str:
    if not record.blob_hashes:
        return ""
    from sanxiang.ledger.models import Blob

    media = dict(Blob.objects.filter(sm3__in=record.blob_hashes).values_list("sm3", "media_type"))
    return next((h for h in record.blob_hashes if not media.get(h, "").startswith(("audio/", "video/"))), "")


def _matter_basis(case: Case) -> str:
    if not case.matter_ref:
        return ""
    from sanxiang.catalog.models import EnforcementItem

    item = EnforcementItem.objects.filter(public_id=case.matter_ref).first()
    return f"{item.basis_law}{item.basis_article}" if item else ""


def decision_of(view: CaseView, *, transition: str, actor: User) -> Decision | None:
    """The decision ``transition`` makes final on the case in ``view``, or None."""
    spec = view.defn.decision_made_by(transition)
    if spec is None:
        return None
    record = view.latest(spec.key)
    if record is None:  # the stage requires it; an exit without it was refused already
        return None
    facts_record = view.latest(*FACTS_RECORDS)
    basis_record = next(
        (r for r in (view.latest(k) for k in BASIS_RECORDS) if r and r.payload.get("basis")), None
    )
    kinds = set(record.payload.get("penalty_kinds") or ())
    return Decision(
        case=view.case,
        actor=actor,
        discloses=spec.discloses,
        spec=spec,
        record=record,
        transition=transition,
        decided_on=timezone.localdate(record.made_at),
        parties=tuple(view.parties),
        procedure_name=view.defn.name,
        document_number=(record.payload.get("document_number") or "").strip(),
        document_sm3=_document_sm3(record),
        facts=(facts_record.payload.get("facts") or "") if facts_record else "",
        basis=basis_record.payload["basis"] if basis_record else _matter_basis(view.case),
        penalty_labels=tuple(label for key, label in PENALTY_KINDS if key in kinds),  # 第九条's order
    )


def run_hooks(view: CaseView, *, transition: str, actor: User) -> None:
    """Hand the decision ``transition`` makes final (if any) to every installed hook."""
    if not _hooks:
        return
    decision = decision_of(view, transition=transition, actor=actor)
    if decision is None:
        return
    for hook in list(_hooks.values()):
        hook(decision)
