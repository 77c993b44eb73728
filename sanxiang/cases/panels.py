"""Panels other apps add to the case page, without the cases app importing them (as with the
decision hooks). One API: an app registers a provider under its name::

    from sanxiang.cases.panels import register_case_panel
    register_case_panel("disclosure", disclosure_panel)   # fn(user, case, view) -> CasePanel | None

``view`` is the case's ``CaseView`` (definition, stage, records). A ``CasePanel`` has rows (label,
value, a note such as the period and its source, a link), links to pages to look at, actions the user
may take, and ``takes_over``: a transition key mapped to the page that does the step instead of the
bare transition button (the legal review's 送审 creates the review with its materials, 审核办法 第六条).
The disclosure app shows the case's 公示 duties with their periods and sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PanelRow:
    label: str
    value: str
    note: str = ""  # e.g. the period and its source
    url: str = ""


@dataclass(frozen=True)
class CaseAction:
    label: str
    url: str
    note: str = ""


@dataclass
class CasePanel:
    title: str
    anchor: str  # the section's id on the page: panel-<anchor>
    rows: list[PanelRow] = field(default_factory=list)
    links: list[CaseAction] = field(default_factory=list)  # pages to look at
    actions: list[CaseAction] = field(default_factory=list)  # steps the user may take
    takes_over: dict[str, str] = field(default_factory=dict)  # transition key -> url

    @property
    def empty(self) -> bool:
        return not (self.rows or self.links or self.actions or self.takes_over)


Provider = Callable[[Any, Any, Any], "CasePanel | None"]
_providers: dict[str, Provider] = {}


def register_case_panel(name: str, provider: Provider) -> None:
    """Registers (or replaces, on a second ``ready()``) the provider called ``name``."""
    _providers[name] = provider


def case_panels(user: Any, case: Any, view: Any) -> list[CasePanel]:
    """The non-empty panels of every registered provider, in registration order."""
    out = []
    for provider in _providers.values():
        panel = provider(user, case, view)
        if panel is not None and not panel.empty:
            out.append(panel)
    return out
