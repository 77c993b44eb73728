"""The one cell guard of every CSV and XLSX the platform writes (formula injection, CWE-1236).

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula: ``=HYPERLINK(...)`` in a published decision became a
live link in the 双公示 export. Every text cell that starts so is written with a leading apostrophe,
which spreadsheet programs show as text; numbers, dates and empty cells are written unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell that no spreadsheet program evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def read_cell(value: Any) -> Any:
    """The inverse of ``safe_cell`` for the importers: an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
