"""Panels other apps add to the case page, without the cases app importing them (as with the
decision hooks). The disclosure app adds the case's 公示 duties with their periods and sources::

    from sanxiang.cases.panels import register_case_panel
    register_case_panel("disclosure", disclosure_panel)   # fn(user, case) -> Panel | None
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
