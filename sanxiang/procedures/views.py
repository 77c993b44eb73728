"""Portal pages: the published 执法流程图 of every procedure, drawn from its definition."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from sanxiang.procedures import registry
from sanxiang.procedures.describe import describe
from sanxiang.procedures.flowchart import render_mermaid, render_svg


def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "procedures/list.html", {"procedures": registry.definitions()})


def procedure_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        defn = registry.get(key)
    except KeyError:
        raise Http404 from None
    return render(
        request,
        "procedures/detail.html",
        {
            "procedure": describe(defn),
            # render_svg escapes every text it places in the SVG
            "svg": mark_safe(render_svg(defn)),  # noqa: S308
            "mermaid": render_mermaid(defn),
        },
    )
