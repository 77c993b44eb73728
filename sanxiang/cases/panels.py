"""Panels other apps add to the case page, without the cases app importing them (as with the
decision hooks). The disclosure app adds the case's 公示 duties with their periods and sources::

    from sanxiang.cases.panels import register_case_panel
    register_case_panel("disclosure", disclosure_panel)   # fn(user, case) -> Panel | None

The legal review registers a panel that may also take over a transition (``register``): a provider
takes (user, case, view) and returns a ``CasePanel``; ``takes_over`` maps a transition key to the
page that does the step (提交法制审核 creates the review with its materials, 审核办法 第六条).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sanxiang.cases.models import Case


@dataclass(frozen=True)
class PanelRow:
    label: str
    value: str
    note: str = ""  # e.g. the period and its source
    url: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    rows: tuple[PanelRow, ...]


_providers: dict[str, Callable[[Any, Case], Panel | None]] = {}


def register_case_panel(name: str, provider: Callable[[Any, Case], Panel | None]) -> None:
    _providers[name] = provider


def panels_for(user: Any, case: Case) -> list[Panel]:
    panels = []
    for provider in _providers.values():
        panel = provider(user, case)
        if panel is not None and panel.rows:
            panels.append(panel)
    return panels


@dataclass(frozen=True)
class CaseAction:
    label: str
    url: str
    note: str = ""


@dataclass
class CasePanel:
    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    links: list[CaseAction] = field(default_factory=list)  # pages to look at
    actions: list[CaseAction] = field(default_factory=list)  # steps the user may take
    takes_over: dict[str, str] = field(default_factory=dict)  # transition key -> url
    anchor: str = ""


Provider = Callable[[Any, Any, Any], "CasePanel | None"]
_step_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _step_providers:
        _step_providers.append(provider)


def case_panels(user: Any, case: Any, view: Any) -> list[CasePanel]:
    out = []
    for provider in _step_providers:
        panel = provider(user, case, view)
        if panel is not None:
            out.append(panel)
    return out
