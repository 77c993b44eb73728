"""The dashboard for heads and supervisors, the public statistics page and the XLSX exports: every
figure comes from :mod:`sanxiang.supervision.statistics`; each chart carries its own table."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import QuerySet

from sanxiang.accounts.roles import Role
from sanxiang.exports import safe_row
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import visible_agencies
from sanxiang.supervision.charts import Chart
from sanxiang.supervision.statistics import BEHAVIOURS, Figures, Period, Table

PUBLIC_TABLES = ("behaviours", "penalties", "licensing", "coercion")


def may_see_dashboard(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD) or user.has_role(Role.ADMINISTRATOR))
    )


def dashboard_agencies(user) -> QuerySet[Agency]:
    """Enforcement agencies the user's dashboard covers: the supervisor's region, the head's agency."""
    qs = visible_agencies(user).filter(is_supervisory=False, status=Agency.Status.ACTIVE)
    if not (user.has_role(Role.SUPERVISOR) or user.has_role(Role.ADMINISTRATOR) or user.is_superuser):
        qs = qs.filter(pk=user.agency_id)
    return qs


def public_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_supervisory=False, status=Agency.Status.ACTIVE)


@dataclass
class Dashboard:
    period: Period
    tables: list[Table]
    charts: list[Chart]
    summary: list[tuple[str, str]]


def _table(tables: list[Table], key: str) -> Table:
    return next(t for t in tables if t.key == key)


def build(agencies: QuerySet[Agency], period: Period, *, user=None, tallied: bool = True) -> Dashboard:
    figures = Figures(agencies, period, tallied=tallied)
    tables = figures.tables()
    monthly = figures.monthly()
    used = [(b, label) for b, label in BEHAVIOURS if any(m.get(b) for _, m in monthly)] or list(
        BEHAVIOURS[:2]
    )
    charts = [
        Chart(
            "trend",
            "各月作出的行政执法决定（件）",
            [m for m, _ in monthly],
            [(label, [m.get(b, 0) for _, m in monthly]) for b, label in used],
        )
    ]
    if user is not None:
        rows = open_alert_rows(
            user, figures.ids, tallied=tallied, built=figures.marks[3] if tallied else None
        )
        charts.append(
            Chart(
                "alerts",
                "各单位未解除的预警（项）",
                [r["agency__name"] for r in rows],
                [("红色预警", [r["red"] for r in rows]), ("黄色预警", [r["yellow"] for r in rows])],
                horizontal=True,
                colors=("#cf1322", "#d48806"),
            )
        )
    indicators = _table(tables, "indicators")
    col = {c: i for i, c in enumerate(indicators.columns)}
    for key, title, column in (
        ("disclosure", "决定信息公示及时率（%）", "公示及时率"),
        ("review", "法制审核通过率（%）", "审核通过率"),
        ("evaluation", "案卷评查合格率（%）", "案卷评查合格率"),
    ):
        values = [(name, cells[col[column]].value) for name, cells in indicators.rows]
        charts.append(
            Chart(
                key,
                title,
                [name for name, _ in values],
                [(column, [float(v) if v is not None else None for _, v in values])],
                unit="%",
                horizontal=True,
                notes=["“—”表示期内无应计数的事项。"],
            )
        )
    devices = [
        (name, cells[col["在用记录设备"]].value, cells[col["应配记录设备"]].value)
        for name, cells in indicators.rows
    ]
    charts.append(
        Chart(
            "devices",
            "执法记录设备配备（台）",
            [name for name, _, _ in devices],
            [("在用记录设备", [d for _, d, _ in devices]), ("应配记录设备", [r for _, _, r in devices])],
            horizontal=True,
            colors=("#1677ff", "#8c8c8c"),
            notes=[*indicators.notes, "“应配”按本地区规定的执法人员与记录设备比例计算；未规定比例的不计。"],
        )
    )
    behaviours = _table(tables, "behaviours")
    penalties = _table(tables, "penalties")
    total_decisions = sum(c.value for c in behaviours.total or [] if isinstance(c.value, int))
    pcol = {c: i for i, c in enumerate(penalties.columns)}
    money_cell = penalties.total[pcol["罚没金额合计（元）"]] if penalties.total else None
    money = money_cell.display if money_cell else "0.00"
    summary = [
        ("执法决定", f"{total_decisions} 件"),
        # "无相关职责" is a statement, not an amount: no unit behind it.
        ("罚没金额", money if money_cell and not money_cell.duty else f"{money} 元"),
        ("公示及时率", indicators.total[col["公示及时率"]].display if indicators.total else "—"),
        ("审核通过率", indicators.total[col["审核通过率"]].display if indicators.total else "—"),
        ("案卷评查合格率", indicators.total[col["案卷评查合格率"]].display if indicators.total else "—"),
        ("期内红色预警", indicators.total[col["红色预警"]].display if indicators.total else "0"),
        ("记录设备配备", _device_summary(indicators, col)),
    ]
    return Dashboard(period=period, tables=tables, charts=charts, summary=summary)


def open_alert_rows(user, ids: list[int], *, tallied: bool = True, built: bool | None = None) -> list[dict]:
    """Open alerts per agency of the dashboard (red, yellow; most red first): every alert of the
    agencies the dashboard covers is visible to its reader (the region's supervisor, the agency's
    head), so the sweep's tallies serve; ``tallied=False`` (or before any sweep) counts the alerts."""
    from sanxiang.supervision.alerts import alert_tallies_built
    from sanxiang.supervision.models import AlertLevel, OpenAlertTally
    from sanxiang.supervision.selectors import alert_counts_by_agency

    wanted = set(ids)
    if built is None:
        built = alert_tallies_built()
    if not (tallied and built):
        return [r for r in alert_counts_by_agency(user) if r["agency_id"] in wanted]
    by_agency: dict[int, dict] = {}
    for agency_id, name, level, n in OpenAlertTally.objects.filter(agency_id__in=ids, n__gt=0).values_list(
        "agency_id", "agency__name", "level", "n"
    ):
        row = by_agency.setdefault(
            agency_id, {"agency_id": agency_id, "agency__name": name, "red": 0, "yellow": 0}
        )
        row["red" if level == AlertLevel.RED else "yellow"] += n
    return sorted(by_agency.values(), key=lambda r: (-r["red"], -r["yellow"], r["agency__name"]))


def _device_summary(indicators: Table, col: dict[str, int]) -> str:
    """How many agencies fall short of the device ratio (or that no ratio is in force)."""
    verdicts = [cells[col["记录设备配备"]].value for _, cells in indicators.rows]
    if all(v is None for v in verdicts):
        return "未规定比例"
    short = sum(1 for v in verdicts if v and v != "达标")
    return f"{short} 个单位不足" if short else "均达标"


def workbook(title: str, tables: list[Table], charts: list[Chart] = ()) -> bytes:
    """Every table (and every chart's table) as a sheet, through ``safe_row``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()

    def sheet(name: str):
        name = name.replace("（", "(").replace("）", ")")
        for ch in "[]:*?/\\":
            name = name.replace(ch, "")
        name = name[:28]
        base, n = name, 2
        while name in used:
            name, n = f"{base[:25]}{n}", n + 1
        used.add(name)
        return book.create_sheet(name)

    for t in tables:
        ws = sheet(t.title)
        ws.append(safe_row([title]))
        ws.append(safe_row(["执法主体", *t.columns]))
        for name, cells in t.rows:
            ws.append(
                safe_row([name, *(c.as_json() if isinstance(c.as_json(), int) else c.display for c in cells)])
            )
        if t.total:
            ws.append(
                safe_row(
                    ["合计", *(c.as_json() if isinstance(c.as_json(), int) else c.display for c in t.total)]
                )
            )
        for note in t.notes:
            ws.append(safe_row([note]))
    for c in charts:
        ws = sheet(c.title)
        ws.append(safe_row([title]))
        ws.append(safe_row(["项目", *c.columns]))
        for label, values in c.rows:
            ws.append(safe_row([label, *values]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
