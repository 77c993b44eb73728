"""What a staff user's home page shows."""

from __future__ import annotations

from collections.abc import Callable
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
    def title_text(self) -> str:
        """The title with any source cited by its document's title (never the project's shorthand)."""
        from sanxiang.procedures.sources import public_source

        return public_source(self.title).replace("》 ", "》")

    @property
    def state_label(self) -> str:
        from sanxiang.procedures.engine import deadline_state_label

        return deadline_state_label(self.state) if self.state else ""

    @property
    def is_bad(self) -> bool:
        from sanxiang.procedures.engine import BAD_STATES

        return self.state in BAD_STATES


WorkProvider = Callable[["Viewer"], list[WorkItem]]
_providers: dict[str, WorkProvider] = {}


def register_work(name: str, provider: WorkProvider) -> None:
    """An app adds its "my work" items to the staff home from its ``AppConfig.ready()``; the home
    page asks every registered provider and imports none of them (accounts is a lower app)."""
    _providers[name] = provider


def my_work(user: Viewer) -> list[WorkItem]:
    """The user's open duties, overdue first, each from the app that owns it."""
    items = [item for provider in _providers.values() for item in provider(user)]
    return sorted(items, key=lambda i: 0 if i.is_bad else 1)
