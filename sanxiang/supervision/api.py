"""Supervision endpoints: every figure of the dashboard and the statistics tables, the alerts, and
the public statistics (integrators and the provincial platform pull them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Query, Router, Schema

from sanxiang.api.common import local_iso
from sanxiang.api.pagination import Pagination, paginate
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.supervision import dashboard as board
from sanxiang.supervision.models import Alert
from sanxiang.supervision.selectors import alert_counts_by_agency, visible_alerts
from sanxiang.supervision.statistics import Figures, Period

router = Router(tags=["supervision 执法监督"])
YEAR_MIN = 2000


class YearQuery(Schema):
    year: int | None = None


def _period(query: YearQuery) -> Period:
    today = timezone.localdate()
    year = query.year or today.year
    if not YEAR_MIN <= year <= today.year + 1:
        raise InvalidInput([FieldError("year", "range", f"年度：应在{YEAR_MIN}年至{today.year + 1}年之间")])
    return Period.year(year)


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    total: list[Any] | None
    notes: list[str]


class ChartOut(Schema):
    key: str
    title: str
    labels: list[str]
    series: list[dict[str, Any]]
    unit: str


class DashboardOut(Schema):
    period: str
    summary: dict[str, str]
    charts: list[ChartOut]
    tables: list[TableOut]


def _check(request) -> None:
    if not board.may_see_dashboard(request.auth):
        raise Forbidden("执法监督统计仅向负责人、监督人员和系统管理员开放")


@router.get("/dashboard", response=DashboardOut, summary="监督统计（全部图表及数据表）")
def dashboard(request, query: Query[YearQuery]):
    _check(request)
    data = board.build(board.dashboard_agencies(request.auth), _period(query), user=request.auth)
    return {
        "period": data.period.label,
        "summary": dict(data.summary),
        "charts": [
            {
                "key": c.key,
                "title": c.title,
                "labels": c.labels,
                "series": [{"name": n, "values": v} for n, v in c.series],
                "unit": c.unit,
            }
            for c in data.charts
        ],
        "tables": [t.as_json() for t in data.tables],
    }


@router.get("/statistics", response=list[TableOut], summary="统计表（按执法主体）")
def statistics(request, query: Query[YearQuery]):
    _check(request)
    return [t.as_json() for t in Figures(board.dashboard_agencies(request.auth), _period(query)).tables()]


@router.get("/statistics/{key}", response=TableOut, summary="一张统计表")
def statistics_table(request, key: str, query: Query[YearQuery]):
    _check(request)
    for t in Figures(board.dashboard_agencies(request.auth), _period(query)).tables():
        if t.key == key:
            return t.as_json()
    from sanxiang.errors import NotFound

    raise NotFound("key")


class MonthOut(Schema):
    month: str
    counts: dict[str, int]


@router.get("/trend", response=list[MonthOut], summary="各月执法决定数（按行为类别）")
def trend(request, query: Query[YearQuery]):
    _check(request)
    figures = Figures(board.dashboard_agencies(request.auth), _period(query))
    return [{"month": m, "counts": c} for m, c in figures.monthly()]


class AlertOut(Schema):
    id: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    agency_name: str
    title: str
    citation: str
    due_date: dt.date
    due_at: str | None
    opened_at: str
    closed_at: str | None
    closed_by: str | None
    close_note: str

    @staticmethod
    def resolve_id(a: Alert) -> str:
        return str(a.public_id)

    @staticmethod
    def resolve_kind_label(a: Alert) -> str:
        return a.get_kind_display()

    @staticmethod
    def resolve_level_label(a: Alert) -> str:
        return a.get_level_display()

    @staticmethod
    def resolve_agency_name(a: Alert) -> str:
        return a.agency.name

    @staticmethod
    def resolve_due_at(a: Alert) -> str | None:
        return local_iso(a.due_at)

    @staticmethod
    def resolve_opened_at(a: Alert) -> str | None:
        return local_iso(a.opened_at)

    @staticmethod
    def resolve_closed_at(a: Alert) -> str | None:
        return local_iso(a.closed_at)

    @staticmethod
    def resolve_closed_by(a: Alert) -> str | None:
        return str(a.closed_by) if a.closed_by else None


@router.get("/alerts", response=list[AlertOut], summary="预警（权限范围内）")
@paginate(Pagination, page_size=100)
def alerts(request, state: str = "open"):
    qs = visible_alerts(request.auth)
    return qs.filter(closed_at__isnull=state != "closed").order_by("-level", "due_date", "pk")


class AgencyAlertsOut(Schema):
    agency_name: str
    red: int
    yellow: int


@router.get("/alerts/by-agency", response=list[AgencyAlertsOut], summary="各单位未解除预警数")
def alerts_by_agency(request):
    return [
        {"agency_name": r["agency__name"], "red": r["red"], "yellow": r["yellow"]}
        for r in alert_counts_by_agency(request.auth)
    ]


@router.get("/public/statistics", response=list[TableOut], auth=None, summary="公开的行政执法统计表")
def public_statistics(request, query: Query[YearQuery]):
    tables = Figures(board.public_agencies(), _period(query)).tables()
    return [t.as_json() for t in tables if t.key in board.PUBLIC_TABLES]
