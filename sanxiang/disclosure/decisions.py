"""Every decided case creates its disclosure duty (公示义务), in the transaction that makes the decision
final — the cases app calls this through its decision hooks (``sanxiang.cases.decisions``), installed
in ``DisclosureConfig.ready()``; the cases app never imports the disclosure app.

《松原市行政执法公示办法》第十六条: 行政许可、行政处罚、行政检查决定结果应当予以公开; 第二十一条: 执法办案系统
与公示平台的数据交换，执法信息向公示平台自动推送; 第二十七条: the periods (``disclosure.rules``).

The hook receives the case's stored decision row (``sanxiang.cases.models.Decision``). A decision
against several parties (joint offenders) creates one duty per party, each with that party's items —
its own penalty kinds and amounts from the row's lines, so joint offenders punished differently are
each disclosed with their own penalty — and that party's exemption (a minor among them is withheld,
the others are published).
The 双公示 items are derived from the case: the party items from the duty's party (the disclosure
service reads the registry's Party), the decision items from the decision record's payload, the
facts and basis the case recorded and the matter (catalogue). A licence that was refused
(不予行政许可) creates no 行政许可 duty: the national 行政许可信息 items describe a granted licence
(许可证书, 有效期); nor does a decision not to punish (不予行政处罚, 行政处罚法 第三十三条) a 行政处罚
duty: it has no 处罚类别 or 处罚内容.
"""

from __future__ import annotations

from decimal import Decimal

from sanxiang.cases.decisions import Decision, DecisionChange
from sanxiang.cases.specs import PENALTY_KINDS
from sanxiang.disclosure import fields as F
from sanxiang.disclosure.models import Duty
from sanxiang.disclosure.services import (
    disclosure_duty_create,
    disclosure_duty_update,
    disclosure_withdrawal_order,
)
from sanxiang.procedures.fields import Penalty
from sanxiang.registry.models import Party


def _text(value: object) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def _own_penalty(decision: Decision, party: Party | None) -> bool:
    """The party has a penalty of its own on the decision (共同违法、分别裁量)."""
    own = {str(item.get("party")) for item in decision.payload.get("party_penalties") or ()}
    return party is not None and str(party.public_id) in own


def penalty_items(decision: Decision, party: Party | None = None) -> dict:
    case, payload = decision.case, decision.payload
    labels = dict(PENALTY_KINDS)
    kinds = [line.kind for line in decision.lines_of(party)]
    categories = [labels.get(k, k) for k in kinds]
    content = _text(payload.get("content"))
    if _own_penalty(decision, party):
        fine = decision.amount("fine_amount", party)
        confiscated = decision.amount("confiscation_amount", party)
        content = Penalty(frozenset(kinds), Decimal(fine or 0), Decimal(confiscated or 0)).describe()
    items = {
        "document_number": decision.document_number,
        # what the party did, as the decision states it (prefilled from the investigation report's
        # 违法行为), else the 案由 without 案 — never the catalogue matter's name
        "violation_type": _text(payload.get("violation")) or case.title.removesuffix("案"),
        "violation_facts": decision.facts or _text(payload.get("content")),
        "legal_basis": decision.basis,
        "penalty_categories": ";".join(categories),
        "penalty_content": content or "、".join(categories),
        "fine_amount": decision.amount("fine_amount", party),
        "confiscation_amount": decision.amount("confiscation_amount", party),
        "license_revoked": _text(payload.get("license_revoked")),
        # 失信程度 for the 公示截止期 (信用修复管理办法 2026) as the officer stated it on the decision
        # document (cases.specs.SEVERITY); not stated: rules.publication_until counts it as "ordinary"
        "severity": payload.get("severity") or "",
    }
    return {k: v for k, v in items.items() if v}


def licensing_items(decision: Decision, party: Party | None = None) -> dict:
    case, payload = decision.case, decision.payload
    items = {
        "document_name": "准予行政许可决定书",
        "document_number": decision.document_number,
        "license_category": payload.get("license_category") or "",
        "license_name": _text(payload.get("license_name")),
        "license_number": _text(payload.get("license_number")),
        "license_content": case.matter_name or _text(payload.get("content")) or case.title,
        "valid_from": payload.get("valid_from") or "",
        "valid_until": payload.get("valid_until") or "",
        "current_status": "有效",
    }
    return {k: v for k, v in items.items() if v}


def generic_items(decision: Decision, party: Party | None = None) -> dict:
    """抽查检查结果 and other decisions (查封、扣押): 公示办法 第十七条 — 执法对象、执法方式、执法内容、
    执法决定结果、执法机关 (the party and the agency come from the registry)."""
    case, payload = decision.case, decision.payload
    action = decision.procedure_name
    if case.source == "spot_check":
        action += "（双随机抽查）"
    result = _text(payload.get("content"))
    if decision.discloses == F.INSPECTION:
        found = "发现违法问题，依法处理" if payload.get("problems_found") else "未发现违法问题"
        result = f"{found}：{result}" if result else found
    items = {
        "document_number": decision.document_number or case.number,
        "action_type": action,
        "content": case.matter_name or case.title,
        "result": result,
        "legal_basis": decision.basis,
    }
    return {k: v for k, v in items.items() if v}


ITEMS = {
    F.PENALTY: penalty_items,
    F.LICENSING: licensing_items,
    F.OTHER: generic_items,
    F.INSPECTION: generic_items,
}


def duties_from_decision(decision: Decision) -> list[Duty]:
    """Create (idempotently) the disclosure duties of ``decision``, one per party; an invalid item
    refuses the decision's transition with the item named. A minor party's duty is exempted at once
    by the service (公示办法 第十八条第一项) while the other parties' duties go ahead."""
    if not decision.discloses:
        return []
    if decision.discloses == F.LICENSING and not decision.granted:
        return []  # 不予行政许可: no 行政许可 双公示 record (see the module docstring)
    if decision.discloses == F.PENALTY and decision.payload.get("discretion_ground") == "exempt":
        return []  # 不予行政处罚 (行政处罚法 第三十三条): no penalty, so no 行政处罚 双公示 record
    items = ITEMS[decision.discloses]
    return [
        disclosure_duty_create(
            actor=decision.actor,
            agency=decision.case.agency,
            source_kind=decision.discloses,
            source_ref=decision.case.number,
            decided_on=decision.decided_on,
            party=party,
            fields=items(decision, party),
            document_sm3=decision.document_sm3,
        )
        for party in (decision.parties or (None,))
    ]


def duty_from_decision(decision: Decision) -> Duty | None:
    """The duty of the decision's first party (all parties' duties are created)."""
    duties = duties_from_decision(decision)
    return duties[0] if duties else None


def _duties_of(decision: Decision) -> list[Duty]:
    return list(
        Duty.objects.filter(
            agency=decision.case.agency, source_kind=decision.discloses, source_ref=decision.case.number
        )
        .select_related("party")
        .order_by("id")
    )


def duties_corrected(decision: Decision, reason: str) -> list:
    """The decision document was corrected in the case (公示办法 第三十一条: 不准确的应当及时更正): each
    party's duty gets the new items through ``disclosure_duty_update`` — an unpublished duty a new
    draft, a published one a new version for internal review (第三十条), never an edit in place. A
    withheld or withdrawn duty stays as it is (nothing of it is public)."""
    drafts = []
    for duty in _duties_of(decision):
        items = ITEMS[decision.discloses](decision, duty.party)
        if duty.status in (Duty.Status.EXEMPT, Duty.Status.WITHDRAWN) or duty.fields == items:
            continue
        drafts.append(
            disclosure_duty_update(
                actor=decision.actor,
                agency=duty.agency,
                source_kind=duty.source_kind,
                source_ref=duty.source_ref,
                party=duty.party,
                fields=items,
                reason=f"决定文书更正：{reason}",
            )
        )
    return drafts


def duties_withdrawn(change: DecisionChange) -> list:
    """The decision was changed, revoked or found unlawful: every party's duty gets a withdrawal order,
    due within 3 working days, with the public reason (行政处罚法 第四十八条)."""
    return [
        disclosure_withdrawal_order(
            actor=change.made_by,
            agency=duty.agency,
            source_kind=duty.source_kind,
            source_ref=duty.source_ref,
            party=duty.party,
            ground=change.ground,
            occurred_on=change.occurred_on,
            explanation=change.explanation,
        )
        for duty in _duties_of(change.decision)
    ]
