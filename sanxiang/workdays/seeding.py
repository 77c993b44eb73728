"""Holiday data from the ``chinesecalendar`` package, as plain rows (no database access here).

The package ships the State Council notices as three dicts: ``holidays`` (放假 days, including the
weekend days inside a holiday block), ``workdays`` (调休 make-up working days) and
``in_lieu_days``. We take the first two; every other Saturday and Sunday is a rest day by rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

import rfc8785

# State Council notice numbers (国办发明电) for the years whose notice we have checked against the
# published text; other seeded years keep a blank number until an administrator fills it in.
NOTICE_NUMBERS: dict[int, str] = {
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"


@dataclass(frozen=True, order=True)
class DayRow:
    date: dt.date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str
    region_code: str = ""
    basis: str = ""


def package_version() -> str:
    import chinese_calendar

    return str(getattr(chinese_calendar, "__version__", "unknown"))


def chinesecalendar_years() -> dict[int, list[DayRow]]:
    """Every year the installed package covers, with its special days sorted by date."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    chinese = {h.value: h.chinese for h in Holiday}
    years: dict[int, list[DayRow]] = defaultdict(list)
    for day, english in holidays.items():
        years[day.year].append(DayRow(day, HOLIDAY, chinese.get(english, english)))
    for day, english in workdays.items():
        years[day.year].append(DayRow(day, MAKEUP_WORKDAY, chinese.get(english, english)))
    return {year: sorted(rows) for year, rows in sorted(years.items())}


def snapshot(*, year: int, status: str, notice_number: str, source: str, days: list[DayRow]) -> dict:
    """The canonical content of one version of a year: what its revision stores and digests."""
    return {
        "year": year,
        "status": status,
        "notice_number": notice_number,
        "source": source,
        "days": [[d.date.isoformat(), d.kind, d.name, d.region_code, d.basis] for d in sorted(days)],
    }


def digest(content: dict) -> str:
    """SHA-256 over the RFC 8785 canonical JSON of a snapshot."""
    return hashlib.sha256(rfc8785.dumps(content)).hexdigest()
