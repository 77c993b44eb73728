"""Build cases that reach the point of legal review, with the cases app's own test helpers."""

from __future__ import annotations

from typing import Any

from sanxiang.cases import services as cases
from sanxiang.cases.tests.factories import filed_case, investigate, notify, penalty
from sanxiang.review import services

EXPLANATION = {
    "basic_facts": "当事人销售过期食品，货值金额较大",
    "law_and_discretion": "《食品安全法》第一百二十四条；裁量基准：较重情节",
    "officer_qualifications": "两名执法人员均持有有效执法证件",
    "investigation_and_hearing": "现场检查、询问当事人；当事人放弃听证，已陈述申辩",
}


def major_case(handler, approver_reviewer, head, *, fine="50000", **flags):
    """A case at 告知 with defence heard, whose proposal is major (案情复杂, 行政处罚法 第五十八条)."""
    case = filed_case(handler, approver_reviewer, head)
    report = penalty(fine=fine, **({"complex": True} | flags))
    investigate(case, handler, report=report)
    notify(case, handler, proposal=penalty(fine=fine))
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "陈述申辩"})
    return case


def minor_case(handler, approver_reviewer, head):
    case = filed_case(handler, approver_reviewer, head)
    investigate(case, handler)
    notify(case, handler)
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "陈述申辩"})
    return case


def submit(case, actor, **kw: Any):
    args: dict[str, Any] = {"explanation": dict(EXPLANATION), "draft_decision": "行政处罚决定书（代拟稿）"}
    args.update(kw)
    return services.review_submit(actor=actor, case=case, **args)


def mark_all(round_, reviewer, *, failed=()):
    from sanxiang.review.models import CHECKLIST_KEYS

    for key in CHECKLIST_KEYS:
        services.checklist_mark(
            actor=reviewer, round=round_, item=key, passed=key not in failed, note=f"{key} 审核说明"
        )


def approve(round_, reviewer):
    mark_all(round_, reviewer)
    return services.opinion_issue(
        actor=reviewer, round=round_, outcome="approve", reasons="事实清楚、证据确凿"
    )
