"""The decision of a case as a stored record, and what other apps do when it is made or changed.

The procedure definition marks which record is "the decision" (``RecordSpec.discloses`` and
``RecordSpec.decision_kind``: 行政处罚决定书, 当场处罚决定书, 准予或不予许可决定书, 查封扣押决定书,
检查结果记录 …). When a case leaves the stage holding that record by an ordinary exit (送达, 备案, 颁发,
查封扣押完成, 结果公示 …), ``services.case_transition`` calls :func:`decision_make`, which writes the
decision as its own row (``models.Decision``: date, document number, licence validity, inspection
result; ``DecisionParty`` for each party; ``DecisionLine`` for each penalty kind, measure kind or sum
per party, with its amount) and its ledger entry, then hands the row to every installed hook — all
inside the transition's transaction: a hook that raises refuses the transition and nothing of it is
written. Later:

- the decision document corrected after the decision: a new ``Decision`` row that ``corrects`` the
  old one (:func:`decision_correct`), handed to the correction hooks;
- the decision changed, revoked or found unlawful (复议、诉讼、自行纠正): a ``DecisionChange`` row that
  points at it (:func:`decision_change_make`), handed to the change hooks.

Nothing is edited: the tables are append-only (``immutability.py``).

Joint offenders with different penalties (共同违法、分别裁量): the decision record's ``party_penalties``
states each party's own kinds and amounts; a party it does not name gets the record's penalty.

Apps install their hook from ``AppConfig.ready()`` — the cases app never imports them::

    from sanxiang.cases import decisions
    decisions.register_decision_hook("disclosure", duties_from_decision)

(The disclosure app creates each party's 公示 duty from the row: 公示办法 第二十一条, 执法办案系统与公示
平台的数据交换 — pushed automatically, not typed in again.)
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
from sanxiang.cases.models import (
    Case,
    CaseRecord,
    Decision,
    DecisionChange,
    DecisionKind,
    DecisionLine,
    DecisionParty,
)
from sanxiang.cases.specs import PENALTY_KINDS
from sanxiang.ledger import services as ledger
from sanxiang.procedures.definitions import RecordSpec
from sanxiang.registry.models import Party

__all__ = [
    "Decision",
    "DecisionChange",
    "current",
    "decision_change_make",
    "decision_correct",
    "decision_make",
    "register_change_hook",
    "register_correction_hook",
    "register_decision_hook",
]

# Where the case states the facts and the legal basis of its decision, latest first per procedure.
FACTS_RECORDS = ("investigation_report", "simple_facts_record")
BASIS_RECORDS = ("decision_draft", "investigation_report", "simple_facts_record")

# The decision kind of a decision record that does not name one, by its kind of 公示.
KIND_OF_DISCLOSURE = {
    "penalty": DecisionKind.PENALTY,
    "licensing": DecisionKind.LICENCE,
    "inspection": DecisionKind.INSPECTION,
    "other": DecisionKind.MEASURE,
}
# Which kind of decision line each kind of decision writes.
LINE_CATEGORY = {
    DecisionKind.PENALTY: DecisionLine.Category.PENALTY,
    DecisionKind.MEASURE: DecisionLine.Category.MEASURE,
    DecisionKind.LEVY: DecisionLine.Category.LEVY,
    DecisionKind.FEE: DecisionLine.Category.FEE,
    DecisionKind.BENEFIT: DecisionLine.Category.BENEFIT,
}
# 行政处罚法 第九条's order: the amount of a penalty kind is the fine or the confiscated sum.
PENALTY_ORDER = tuple(k for k, _ in PENALTY_KINDS)

_hooks: dict[str, Callable[[Decision], Any]] = {}
_correction_hooks: dict[str, Callable[[Decision, str], Any]] = {}
_change_hooks: dict[str, Callable[[DecisionChange], Any]] = {}


def register_decision_hook(name: str, hook: Callable[[Decision], Any] | None) -> None:
    """Install ``hook(decision)`` under ``name`` (replacing an earlier one), or remove it with None."""
    if hook is None:
        _hooks.pop(name, None)
    else:
        _hooks[name] = hook


def register_correction_hook(name: str, hook: Callable[[Decision, str], Any] | None) -> None:
    """Install ``hook(decision, reason)``, called with the new row when a decision's document is corrected."""
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


def decision_kind_of(spec: RecordSpec) -> str:
    """The kind of decision a decision record makes (its own, or the one its 公示 kind implies)."""
    return spec.decision_kind or KIND_OF_DISCLOSURE[spec.discloses]


def current(case: Case) -> Decision | None:
    """The case's decision as it stands (the latest correction), or None while none is final."""
    return (
        Decision.objects.filter(case=case, correction__isnull=True)
        .select_related("case__agency", "record", "made_by")
        .order_by("-made_at", "-pk")
        .first()
    )


# ---------------------------------------------------------------- what the decision record states


@dataclass(frozen=True)
class PartyPenalty:
    """The penalty one party receives: kinds (第九条) with the fine and the confiscated sum."""

    kinds: tuple[str, ...]
    fine: Decimal
    confiscation: Decimal

    @classmethod
    def of(cls, item: dict[str, Any]) -> PartyPenalty:
        chosen = set(item.get("penalty_kinds") or ())
        return cls(
            tuple(k for k in PENALTY_ORDER if k in chosen),
            Decimal(item.get("fine_amount") or 0),
            Decimal(item.get("confiscation_amount") or 0),
        )

    def lines(self) -> list[tuple[str, Decimal | None]]:
        """(kind, amount): 罚款 carries the fine; the confiscated sum goes to 没收违法所得, or to 没收非法
        财物 when no 违法所得 is confiscated; other kinds have no amount."""
        gains_kind = "confiscate_gains" if "confiscate_gains" in self.kinds else "confiscate_property"
        out: list[tuple[str, Decimal | None]] = []
        for kind in self.kinds:
            amount: Decimal | None = None
            if kind == "fine":
                amount = self.fine
            elif kind == gains_kind and self.confiscation:
                amount = self.confiscation
            out.append((kind, amount))
        return out


def party_penalties(payload: dict[str, Any], parties: list[Party]) -> dict[int, PartyPenalty]:
    """Party pk -> the penalty the decision record gives that party (its own line, else the record's)."""
    own = {str(item.get("party")): item for item in payload.get("party_penalties") or ()}
    default = PartyPenalty.of(payload)
    return {
        p.pk: PartyPenalty.of(own[str(p.public_id)]) if str(p.public_id) in own else default for p in parties
    }


def _lines(
    kind: str, payload: dict[str, Any], parties: list[Party]
) -> list[tuple[Party | None, str, Decimal | None]]:
    category = LINE_CATEGORY.get(DecisionKind(kind))
    if category is None:
        return []
    who: list[Party | None] = list(parties) or [None]
    if category == DecisionLine.Category.PENALTY:
        by_party = party_penalties(payload, parties)
        return [
            (p, k, a)
            for p in who
            for k, a in (by_party[p.pk] if p is not None else PartyPenalty.of(payload)).lines()
        ]
    if category == DecisionLine.Category.MEASURE:
        return [(p, k, None) for p in who for k in payload.get("measure_kinds") or ()]
    if payload.get("amount"):  # 征收、收费、给付: the sum and its item
        item = str(payload.get("item") or "").strip() or str(DecisionKind(kind).label)
        return [(p, item, Decimal(payload["amount"])) for p in who]
    return []


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


def _first_of_chain(view: CaseView, record: CaseRecord) -> CaseRecord:
    by_pk = {r.pk: r for r in view.all_records}
    while record.corrects_id and record.corrects_id in by_pk:
        record = by_pk[record.corrects_id]
    return record


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _write(
    view: CaseView,
    *,
    spec: RecordSpec,
    record: CaseRecord,
    transition: str,
    actor: User,
    decided_on: dt.date,
    corrects: Decision | None = None,
    reason: str = "",
) -> Decision:
    case, payload = view.case, record.payload
    kind = decision_kind_of(spec)
    facts_record = view.latest(*FACTS_RECORDS)
    basis_record = next(
        (r for r in (view.latest(k) for k in BASIS_RECORDS) if r and r.payload.get("basis")), None
    )
    licence = kind == DecisionKind.LICENCE
    row = Decision(
        case=case,
        agency=case.agency,
        procedure=case.procedure,
        kind=kind,
        discloses=spec.discloses,
        record=record,
        transition=transition,
        decided_on=decided_on,
        document_number=(payload.get("document_number") or "").strip(),
        document_sm3=_document_sm3(record),
        facts=(facts_record.payload.get("facts") or "") if facts_record else "",
        basis=basis_record.payload["basis"] if basis_record else _matter_basis(case),
        severity=payload.get("severity") or "",
        granted=bool(payload.get("granted")) if licence else None,
        licence_category=payload.get("license_category") or "",
        licence_name=(payload.get("license_name") or "").strip(),
        licence_number=(payload.get("license_number") or "").strip(),
        valid_from=_date(payload.get("valid_from")),
        valid_until=_date(payload.get("valid_until")),
        problems_found=bool(payload.get("problems_found")) if kind == DecisionKind.INSPECTION else None,
        corrects=corrects,
        correction_reason=reason,
        made_by=actor,
        made_at=timezone.now(),
    )
    lines = _lines(kind, payload, view.parties)
    entry = ledger.record(
        kind="cases.decision.corrected" if corrects else "cases.decision.made",
        subject=("cases.case", str(case.public_id)),
        actor=actor,
        payload={
            "decision": str(row.public_id),
            "kind": kind,
            "record": str(record.public_id),
            "transition": transition,
            "decided_on": decided_on.isoformat(),
            "document_number": row.document_number,
            "parties": [str(p.public_id) for p in view.parties],
            "lines": [
                {
                    "party": str(p.public_id) if p else None,
                    "kind": k,
                    "amount": str(a) if a is not None else None,
                }
                for p, k, a in lines
            ],
            "granted": row.granted,
            "valid_from": row.valid_from.isoformat() if row.valid_from else None,
            "valid_until": row.valid_until.isoformat() if row.valid_until else None,
            "problems_found": row.problems_found,
            "corrects": str(corrects.public_id) if corrects else None,
            "reason": reason,
        },
    )
    row.ledger_seq = entry.seq
    row.save(force_insert=True)
    DecisionParty.objects.bulk_create(
        [DecisionParty(decision=row, party=p, position=i) for i, p in enumerate(view.parties)]
    )
    category = LINE_CATEGORY.get(DecisionKind(kind))
    if category is not None:
        DecisionLine.objects.bulk_create(
            [DecisionLine(decision=row, party=p, category=category, kind=k, amount=a) for p, k, a in lines]
        )
    return row


# ---------------------------------------------------------------- writes (inside the caller's transaction)


def decision_make(view: CaseView, *, transition: str, actor: User) -> Decision | None:
    """Write the decision ``transition`` makes final on the case in ``view`` (None when it makes none)
    and hand it to every installed hook. The caller (``services._move``) holds the case lock and the
    transaction."""
    spec = view.defn.decision_made_by(transition)
    if spec is None:
        return None
    record = view.latest(spec.key)
    if record is None:  # the stage requires it; an exit without it was refused already
        return None
    if Decision.objects.filter(case=view.case).exists():
        return None  # made final once (a procedure has one decision record)
    decided_on = timezone.localdate(_first_of_chain(view, record).made_at)
    row = _write(view, spec=spec, record=record, transition=transition, actor=actor, decided_on=decided_on)
    for hook in list(_hooks.values()):
        hook(row)
    return row


def decision_correct(view: CaseView, *, record: CaseRecord, actor: User) -> Decision | None:
    """The decision record was corrected after the decision was final: a new row that corrects the
    current one (the decision date stays), handed to the correction hooks."""
    old = current(view.case)
    if old is None:
        return None  # not final yet: the decision will be made from the latest correction
    spec = view.defn.records()[record.kind]
    row = _write(
        view,
        spec=spec,
        record=record,
        transition=old.transition,
        actor=actor,
        decided_on=old.decided_on,
        corrects=old,
        reason=record.correction_reason,
    )
    for hook in list(_correction_hooks.values()):
        hook(row, record.correction_reason)
    return row


def decision_change_make(view: CaseView, *, record: CaseRecord, actor: User) -> DecisionChange | None:
    """The decision was changed, revoked or found unlawful (a ``changes_decision`` record): a row that
    points at the decision as it stands, handed to the change hooks (the 公示 is withdrawn)."""
    decision = current(view.case)
    if decision is None:
        return None
    payload = record.payload
    change = DecisionChange(
        decision=decision,
        record=record,
        ground=payload["ground"],
        by=payload["by"],
        occurred_on=dt.date.fromisoformat(str(payload["occurred_on"])),
        document_number=(payload.get("document_number") or "").strip(),
        explanation=payload["explanation"],
        made_by=actor,
        made_at=timezone.now(),
    )
    entry = ledger.record(
        kind="cases.decision.changed",
        subject=("cases.case", str(view.case.public_id)),
        actor=actor,
        payload={
            "change": str(change.public_id),
            "decision": str(decision.public_id),
            "record": str(record.public_id),
            "ground": change.ground,
            "by": change.by,
            "occurred_on": change.occurred_on.isoformat(),
            "document_number": change.document_number,
            "explanation": change.explanation,
        },
    )
    change.ledger_seq = entry.seq
    change.save(force_insert=True)
    for hook in list(_change_hooks.values()):
        hook(change)
    return change


def run_record_hooks(view: CaseView, *, record: CaseRecord, actor: User) -> None:
    """A new record that corrects a final decision, or changes it, makes its row and reaches the hooks."""
    spec = view.defn.records()[record.kind]
    if spec.changes_decision:
        decision_change_make(view, record=record, actor=actor)
    elif spec.discloses and record.corrects_id:
        decision_correct(view, record=record, actor=actor)
