"""What a staff user's home page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sanxiang.accounts.roles import Role

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


DISCLOSURE_WATCHERS = (Role.DISCLOSURE_OFFICER, Role.HEAD, Role.SUPERVISOR, Role.ADMINISTRATOR)
DISCLOSURE_ITEMS = 20


def disclosure_work(user: Viewer) -> list[WorkItem]:
    """Pending 公示 duties, overdue first (《松原市行政执法公示办法》第二十七条 deadlines): the disclosure officer
    publishes them, the head answers for them, the supervisor (司法局) watches every agency in its region."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse
    from django.utils import timezone

    from sanxiang.disclosure.models import Duty
    from sanxiang.disclosure.selectors import duty_queue

    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    if not any(user.has_role(r) for r in DISCLOSURE_WATCHERS):
        return []
    today = timezone.localdate()
    # A supervisor watches what is late; the agency's own staff see everything still to publish.
    watching_only = user.has_role(Role.SUPERVISOR) and not (
        user.has_role(Role.DISCLOSURE_OFFICER) or user.has_role(Role.HEAD)
    )
    duties = (
        duty_queue(user, overdue=True, today=today)
        if watching_only
        else duty_queue(user, status=Duty.Status.PENDING, today=today)
    )
    return [
        WorkItem(
            kind="公示",
            title=f"{d.source_ref} {d.get_source_kind_display()}决定待公示（{d.agency.name}）",
            due=d.due_date.isoformat(),
            url=reverse("disclosure:staff_duty", args=[d.public_id]),
            state="overdue" if d.due_date < today else "running",
        )
        for d in duties[:DISCLOSURE_ITEMS]
    ]


def my_work(user: Viewer) -> list[WorkItem]:
    """The user's open duties: cases, legal reviews and 公示 duties, each from its own app."""
    from sanxiang.cases.selectors import work_items as case_work
    from sanxiang.review.selectors import work_items as review_work

    return [*case_work(user), *(WorkItem(*item) for item in review_work(user)), *disclosure_work(user)]
