"""Rules endpoints (public: the rules an agency works under are part of its ex-ante disclosure)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema

from sanxiang.rules import selectors
from sanxiang.rules.sources import SOURCES

router = Router(tags=["rules 执法规则"])


class SourceOut(Schema):
    code: str
    name: str
    issuer: str
    number: str
    url: str


class RuleOut(Schema):
    key: str
    title: str
    group: str
    value: str | int | None
    display_value: str
    unit: str
    label: str
    citation: str
    note: str
    version_id: str
    profile: str
    profile_name: str
    effective_from: dt.date | None
    source: SourceOut


class RulesOut(Schema):
    region: str
    on: dt.date
    profile: str
    profile_name: str
    rules: list[RuleOut]


def source_url(source) -> str:
    if source.text_file:
        from django.urls import reverse

        return reverse("rules:source", args=[source.part_of or source.code])
    return source.external_url


def rule_out(rule: selectors.Rule) -> dict:
    value = rule.value
    return {
        "key": rule.key,
        "title": rule.title,
        "group": rule.group,
        "value": value if isinstance(value, int | None) else str(value),
        "display_value": rule.display_value,
        "unit": rule.unit,
        "label": rule.label,
        "citation": rule.citation,
        "note": rule.note,
        "version_id": rule.version_id,
        "profile": rule.profile,
        "profile_name": rule.profile_name,
        "effective_from": rule.effective_from,
        "source": {
            "code": rule.source.code,
            "name": rule.source.name,
            "issuer": rule.source.issuer,
            "number": rule.source.number,
            "url": source_url(rule.source),
        },
    }


@router.get(
    "/",
    response=RulesOut,
    auth=None,
    summary="在施行的执法规则（公开）",
    description="给定行政区划代码和日期（默认今日），列出每一条规则的取值、依据文件和条款。",
)
def list_rules(request, region: str = "", on: dt.date | None = None):
    day = on or timezone.localdate()
    in_force = selectors.profile_for(region=region, on=day)
    return {
        "region": region,
        "on": day,
        "profile": in_force.profile.code,
        "profile_name": in_force.profile.name,
        "rules": [rule_out(r) for r in selectors.rules_in_force(region=region, on=day)],
    }


@router.get("/sources", response=list[SourceOut], auth=None, summary="规则依据文件（公开）")
def list_sources(request):
    return [
        {"code": s.code, "name": s.name, "issuer": s.issuer, "number": s.number, "url": source_url(s)}
        for s in SOURCES.values()
    ]
