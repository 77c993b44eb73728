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


def internal_checker(handler):
    """The 审核人 of the case's internal approvals (记录办法 第三十八条): a colleague of the handler,
    not the legal reviewer — who signed an approval of the case may not review it (审核办法 第五条、第十五条)."""
    from sanxiang.accounts.models import User
    from sanxiang.accounts.roles import Role
    from sanxiang.testing import factories

    user = User.objects.filter(username=f"checker_{handler.agency_id}").first()
    return user or factories.UserFactory(
        agency=handler.agency, roles=[Role.OFFICER], username=f"checker_{handler.agency_id}"
    )


def major_case(handler, approver_reviewer, head, *, fine="50000", title="销售过期食品案", **flags):
    """A case at 告知 with defence heard, whose proposal is major (案情复杂, 行政处罚法 第五十八条).
    ``approver_reviewer`` is the legal reviewer of the tests; the internal 审核人 is someone else."""
    case = filed_case(handler, internal_checker(handler), head, title=title)
    report = penalty(fine=fine, **({"complex": True} | flags))
    investigate(case, handler, report=report)
    notify(case, handler, proposal=penalty(fine=fine))
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "陈述申辩"})
    return case


def minor_case(handler, approver_reviewer, head):
    case = filed_case(handler, internal_checker(handler), head)
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


def scoping_review(agency) -> dict[str, list[str]]:
    """A passed review in ``agency`` with a marker in its case title, for the API scoping sweep."""
    from sanxiang.accounts.roles import Role
    from sanxiang.cases.tests.factories import officer_for
    from sanxiang.testing import factories

    def person(name, role):
        user = factories.UserFactory(agency=agency, roles=[role], username=f"scoping_{name}")
        officer_for(user, name=name)
        return user

    handler, reviewer = person("甲方送审人", Role.OFFICER), person("甲方专有法制审核员", Role.REVIEWER)
    head = factories.UserFactory(agency=agency, roles=[Role.HEAD], username="scoping_head")
    factories.ReviewerFactory(agency=agency, name="甲方专有法制审核员", officer=reviewer.officer)
    case = major_case(handler, reviewer, head, title="甲方专有审核案件")
    r = submit(case, handler)
    approve(r, reviewer)
    return {
        "ids": [str(r.public_id), str(r.review.public_id), str(case.public_id)],
        "markers": ["甲方专有审核案件", case.number],
    }
