"""What a staff user's home page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sanxiang.accounts.types import Viewer


@dataclass(frozen=True)
class WorkItem:
    kind: str
    title: str
    due: str
    url: str
    state: str = ""  # a deadline state of the procedures engine (DeadlineStatus.state), if any

    @property
    def state_label(self) -> str:
        from sanxiang.procedures.engine import deadline_state_label

        return deadline_state_label(self.state) if self.state else ""

    @property
    def is_bad(self) -> bool:
        from sanxiang.procedures.engine import BAD_STATES

        return self.state in BAD_STATES


def my_work(user: Viewer) -> list[WorkItem]:
    """The user's open duties. Cases, reviews and disclosures add their items as those apps arrive."""
    from sanxiang.cases.selectors import work_items as case_work
    from sanxiang.review.selectors import work_items as review_work

    return [*case_work(user), *(WorkItem(*item) for item in review_work(user))]
