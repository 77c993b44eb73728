"""The legal review on the case page (registered with ``sanxiang.cases.panels``): each round with
its state, reviewer and period, and the step the user may take next — 送审 for the handler (which
takes over the procedure's 提交法制审核 transition: sending creates the review, 审核办法 第六条), 补充材料
or 异议 for the handler, 集体讨论 for the head, the round page for the reviewer."""

from __future__ import annotations

from django.urls import reverse

from sanxiang.accounts.roles import Role
from sanxiang.cases.panels import CaseAction, CasePanel, PanelRow
from sanxiang.review import services
from sanxiang.review.models import SB, ReviewRound


def review_panel(user, case, view) -> CasePanel | None:
    defn = view.defn
    if not services.has_review(defn):
        return None
    rounds = list(
        ReviewRound.objects.filter(review__case=case).select_related("opinion").order_by("number")
        if hasattr(case, "legal_review")
        else []
    )
    handler = services.is_handler(user, case)
    if not rounds and not (handler and services.may_submit_from(defn, case.stage)):
        return None
    panel = CasePanel(title="法制审核", anchor="review")
    latest = rounds[-1] if rounds else None
    for r in rounds:
        a = services.current_reviewer(r)
        panel.rows.append(
            PanelRow(
                f"第{r.number}轮",
                f"{r.get_status_display()}；审核人员 {a.name if a else '—'}；期限 {r.due_date:%Y-%m-%d}",
            )
        )
        panel.links.append(CaseAction(f"第{r.number}轮送审详情", reverse("review:round", args=[r.public_id])))
    if len(rounds) > 1:
        panel.links.append(CaseAction("各轮对照", reverse("review:compare", args=[case.public_id])))
    if case.sealed:
        return panel
    submit_url = reverse("review:submit", args=[case.public_id])
    open_round = latest is not None and latest.status in (*ReviewRound.OPEN, ReviewRound.Status.DISPUTED)
    if handler and not open_round and services.may_submit_from(defn, case.stage):
        passed_now = (
            latest is not None and latest.status == ReviewRound.Status.PASSED and services.passed_for(case)
        )
        if not passed_now:
            panel.actions.append(CaseAction("提交法制审核（送审）", submit_url, f"{SB}第四条至第七条"))
            entering = services.review_transition(defn, case.stage)
            if entering:
                panel.takes_over[entering] = submit_url
    if latest is None:
        return panel
    round_url = reverse("review:round", args=[latest.public_id])
    if handler and latest.status == ReviewRound.Status.MATERIALS_REQUESTED:
        panel.actions.append(CaseAction("补充送审材料", round_url + "#supply", f"{SB}第六条第二款"))
    if handler and latest.status == ReviewRound.Status.SENT_BACK and not hasattr(latest, "disagreement"):
        panel.actions.append(CaseAction("对审核意见提出异议", round_url + "#disagreement", f"{SB}第十二条"))
    if (
        user.has_role(Role.HEAD)
        and user.agency_id == case.agency_id
        and latest.status == ReviewRound.Status.PASSED
        and not hasattr(latest, "discussion")
        and case.stage == "collective_discussion"
    ):
        panel.actions.append(CaseAction("录入集体讨论记录", round_url + "#discussion", f"{SB}第十三条"))
    current = services.current_reviewer(latest)
    if current is not None and current.user_id == user.pk and latest.status in ReviewRound.OPEN:
        panel.actions.append(CaseAction("办理审核", round_url))
    return panel
