"""The review procedure as data: the states a submission (送审轮次) passes through and the moves
between them, each with the article of 《松原市重大行政执法决定法制审核办法》 it follows.

The services move a round only along these transitions (``move``), and the portal draws the
published 重大行政执法决定法制审核流程图 from the same table (``definition``), so the published chart
is the procedure the platform runs. The two states that are not a round's status are the start
(承办机构送审, before a round exists) and the end (集体讨论决定, recorded as a CollectiveDiscussion).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.review.models import SB, ReviewRound

S = ReviewRound.Status
SUBMITTING = "submitting"
DECIDED = "decided"


@dataclass(frozen=True)
class FlowStage:
    key: str
    name: str
    description: str
    terminal: bool = False


@dataclass(frozen=True)
class FlowTransition:
    key: str
    source: str
    target: str
    name: str
    source_text: str  # the article it follows


STAGES: tuple[FlowStage, ...] = (
    FlowStage(SUBMITTING, "承办机构送审", "调查终结后、作出决定前，承办机构提交送审材料和情况说明"),
    FlowStage(S.REVIEWING, "法制机构审核", "法制机构从主体、事实证据、法律适用、程序等方面审核"),
    FlowStage(S.MATERIALS_REQUESTED, "补充材料", "送审材料不齐全的，承办机构在指定日期前补充"),
    FlowStage(S.SENT_BACK, "提出修改意见", "法制机构提出继续调查、变更、纠正或移送等书面意见"),
    FlowStage(S.DISPUTED, "负责人处理分歧", "承办机构与法制机构协商不一致的，双方意见报负责人处理"),
    FlowStage(S.PASSED, "审核通过", "法制机构提出同意的书面意见"),
    FlowStage(DECIDED, "集体讨论决定", "负责人集体讨论作出决定；审核未通过的不得作出决定", terminal=True),
)

TRANSITIONS: tuple[FlowTransition, ...] = (
    FlowTransition("submit", SUBMITTING, S.REVIEWING, "送审", f"{SB}第五条、第六条、第七条"),
    FlowTransition(
        "request_materials", S.REVIEWING, S.MATERIALS_REQUESTED, "要求补充材料", f"{SB}第六条第二款"
    ),
    FlowTransition("supply_materials", S.MATERIALS_REQUESTED, S.REVIEWING, "补充齐全", f"{SB}第六条第二款"),
    FlowTransition("approve", S.REVIEWING, S.PASSED, "同意", f"{SB}第十条第一项"),
    FlowTransition("send_back", S.REVIEWING, S.SENT_BACK, "其他意见", f"{SB}第十条第二项至第五项"),
    FlowTransition("resubmit", S.SENT_BACK, SUBMITTING, "修改后重新送审", f"{SB}第十二条"),
    FlowTransition("dispute", S.SENT_BACK, S.DISPUTED, "协商不一致", f"{SB}第十二条"),
    FlowTransition("rule_for_handler", S.DISPUTED, S.PASSED, "采纳承办机构意见", f"{SB}第十二条"),
    FlowTransition("rule_for_review", S.DISPUTED, S.SENT_BACK, "采纳法制机构意见", f"{SB}第十二条"),
    FlowTransition("discuss", S.PASSED, DECIDED, "提交集体讨论", f"{SB}第十三条"),
)

# The day this table last changed (the 更新日期 of the published chart).
UPDATED_ON = dt.date(2026, 12, 2)
SOURCE = f"{SB}第五条至第十三条"


class FlowViolation(Exception):
    """A service tried a move the review procedure does not have (a programming error)."""


def allowed(source: str, target: str) -> FlowTransition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def start() -> str:
    """The status a new round takes: the target of the move out of 承办机构送审."""
    return next(t.target for t in TRANSITIONS if t.source == SUBMITTING and t.key == "submit")


def move(round_: ReviewRound, target: str) -> FlowTransition:
    """Set ``round_.status`` to ``target`` if the procedure has that move (the caller saves)."""
    t = allowed(round_.status, target)
    if t is None:
        raise FlowViolation(f"{round_.status} → {target}")
    round_.status = target
    return t


@dataclass(frozen=True)
class ReviewFlow:
    """The shape the flowchart renderer reads (the fields of a procedure definition it uses)."""

    key: str
    name: str
    initial: str
    stages: tuple[FlowStage, ...]
    transitions: tuple[FlowTransition, ...]

    def outgoing(self, stage_key: str) -> list[FlowTransition]:
        return [t for t in self.transitions if t.source == stage_key]


def definition() -> ReviewFlow:
    return ReviewFlow("major_decision_review", "重大行政执法决定法制审核", SUBMITTING, STAGES, TRANSITIONS)
