"""Public pages: the rules in force for a region (the portal's agency page shows each agency's, as
part of its ex-ante disclosure, 执法依据), the profiles, and the texts of the documents the rules
come from."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.errors import SanxiangError
from sanxiang.rules import selectors
from sanxiang.rules.api import source_url
from sanxiang.rules.sources import SOURCES, published_sources


def grouped(rules: list[selectors.Rule]) -> list[tuple[str, list[dict]]]:
    rows = [{"rule": r, "url": source_url(r.source)} for r in rules]
    return [(group, list(items)) for group, items in groupby(rows, key=lambda row: row["rule"].group)]


def day_from(request: HttpRequest) -> dt.date:
    text = request.GET.get("on") or ""
    try:
        return dt.date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def index(request: HttpRequest) -> HttpResponse:
    day = day_from(request)
    region = (request.GET.get("region") or "").strip()
    error = ""
    try:
        rules = selectors.rules_in_force(region=region, on=day)
        profile = selectors.profile_for(region=region, on=day)
    except SanxiangError as exc:
        error = exc.errors[0].message
        region = ""
        rules = selectors.rules_in_force(region="", on=day)
        profile = selectors.profile_for(region="", on=day)
    return render(
        request,
        "rules/index.html",
        {
            "day": day,
            "region": region,
            "error": error,
            "profile": profile,
            "profiles": selectors.profiles(),
            "groups": grouped(rules),
            "documents": published_sources(),
        },
    )


def _paragraphs(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip().replace("**", "")
        if line:
            out.append(line)
    return out


def source_text(request: HttpRequest, code: str) -> HttpResponse:
    source = SOURCES.get(code)
    if source is None or not source.text_file:
        raise Http404
    parts = [s for s in SOURCES.values() if s.part_of == source.code]
    return render(
        request,
        "rules/source.html",
        {"source": source, "parts": parts, "paragraphs": _paragraphs(source.text())},
    )
