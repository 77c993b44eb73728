"""What the assistance adds to the case page and to the staff home."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sanxiang.accounts.selectors import WorkItem
from sanxiang.cases.panels import CaseAction, CasePanel, PanelRow


def case_panel(user: Any, case: Any, view: Any) -> CasePanel | None:
    from sanxiang.assist import selectors

    if not getattr(user, "agency_id", None) and not getattr(user, "is_superuser", False):
        return None
    panel = CasePanel(title="智能辅助", anchor="assist")
    last = selectors.checks_for_case(user, case).first()
    if last is not None:
        if last.flagged:
            answer = last.suggestion.answers.first()
            verdict = f"拟罚款{last.proposed:,.0f}元明显偏离{last.count}件类案（合理区间 {last.low:,.0f} 至 {last.high:,.0f} 元）"
            verdict += f"；承办人理由：{answer.reason}" if answer else "；承办人尚未说明理由"
        elif last.count >= 5:
            verdict = f"拟罚款{last.proposed:,.0f}元与{last.count}件类案一致"
        else:
            verdict = f"类案不足（{last.count}件），未比对"
        panel.rows.append(PanelRow("类案同罚", verdict))
    panel.links.append(
        CaseAction(
            "相似案例、执法事项与裁量基准建议、类案同罚比对", reverse("assist:case", args=[case.public_id])
        )
    )
    return panel


def flagged_work(user: Any) -> list[WorkItem]:
    """Supervisors and heads: flagged 类案同罚 checks of the agencies they cover (most recent 20)."""
    from sanxiang.accounts.roles import Role
    from sanxiang.assist import selectors

    if not getattr(user, "is_authenticated", False):
        return []
    if not (user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD)):
        return []
    out = []
    for c in selectors.flagged_checks(user)[:20]:
        out.append(
            WorkItem(
                kind="类案同罚提示",
                title=f"{c.case.agency.name} {c.case.number}：拟罚款{c.proposed:,.0f}元明显偏离类案",
                due="",
                url=reverse("cases:detail", args=[c.case.public_id]),
            )
        )
    return out
