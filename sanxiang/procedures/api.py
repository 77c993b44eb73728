"""Procedure definitions and their flowcharts. Public: 执法程序 and 流程图 are published (公示办法 第十条)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema

from sanxiang.api.pagination import Pagination, paginate
from sanxiang.errors import NotFound
from sanxiang.procedures import registry
from sanxiang.procedures.describe import describe
from sanxiang.procedures.flowchart import render_mermaid, render_svg

router = Router(tags=["procedures 执法程序"])


class ProcedureSummaryOut(Schema):
    key: str
    name: str
    source: str
    description: str


class ProcedureOut(Schema):
    key: str
    name: str
    law: str
    source: str
    description: str
    initial: str
    events: list[dict[str, Any]]
    stages: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    time_limits: list[dict[str, Any]]


def _get(key: str):
    try:
        return registry.get(key)
    except KeyError:
        raise NotFound("procedure") from None


@router.get("/", response=list[ProcedureSummaryOut], auth=None, summary="执法程序列表（公开）")
@paginate(Pagination, page_size=50)
def list_procedures(request):
    return [
        {"key": d.key, "name": d.name, "source": d.source, "description": d.summary}
        for d in registry.definitions()
    ]


@router.get(
    "/{key}", response=ProcedureOut, auth=None, summary="执法程序定义：阶段、记录、条件、期限（公开）"
)
def get_procedure(request, key: str):
    return describe(_get(key))


@router.get("/{key}/flowchart.svg", auth=None, summary="执法流程图 SVG（公开）")
def flowchart_svg(request, key: str):
    return HttpResponse(render_svg(_get(key)), content_type="image/svg+xml; charset=utf-8")


@router.get("/{key}/flowchart.mmd", auth=None, summary="执法流程图 Mermaid 文本（公开）")
def flowchart_mermaid(request, key: str):
    return HttpResponse(render_mermaid(_get(key)), content_type="text/plain; charset=utf-8")
