"""The published 执法流程图 is drawn from the running definition: chart and code cannot drift."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils.html import escape

from sanxiang.procedures import registry
from sanxiang.procedures.flowchart import render_mermaid, render_svg
from sanxiang.procedures.sources import public_source

SVG = "{http://www.w3.org/2000/svg}"
DEFINITIONS = registry.definitions()


def groups(svg: str, attr: str) -> dict[str, str]:
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    return {
        g.get(attr): "".join(t.text or "" for t in g.iter(f"{SVG}text"))
        for g in root.iter(f"{SVG}g")
        if g.get(attr)
    }


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.key)
def test_every_stage_and_transition_appears_in_the_svg_with_its_name(defn):
    # seed 002 公示办法 第十条、第二十四条: 行政执法流程图 published
    svg = render_svg(defn)
    stages = groups(svg, "data-stage")
    transitions = groups(svg, "data-transition")
    assert stages == {s.key: s.name for s in defn.stages}
    assert transitions == {t.key: t.name for t in defn.transitions}


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.key)
def test_every_transition_appears_as_an_edge_in_the_mermaid_text(defn):
    text = render_mermaid(defn)
    for s in defn.stages:
        assert f"{s.key}[" in text or f"{s.key}([" in text
    for t in defn.transitions:
        assert f'{t.source} -->|"{t.name}"| {t.target}' in text
    assert text.count("-->") == len(defn.transitions)


def test_stage_names_are_escaped_in_the_svg():
    import dataclasses

    defn = registry.get("penalty_simple")
    stages = (dataclasses.replace(defn.stages[0], name="当场<处罚>&"), *defn.stages[1:])
    svg = render_svg(dataclasses.replace(defn, stages=stages))
    assert groups(svg, "data-stage")["on_spot"] == "当场<处罚>&"  # parsed back: it was escaped
    assert "<处罚>" not in svg


def test_the_portal_lists_every_procedure(anonymous, db):
    page = anonymous.get("/procedures/").content.decode()
    for defn in DEFINITIONS:
        assert f"/procedures/{defn.key}/" in page


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.key)
def test_each_procedure_page_shows_the_chart_drawn_from_its_definition(anonymous, db, defn):
    response = anonymous.get(f"/procedures/{defn.key}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert render_svg(defn) in page
    for limit in defn.time_limits:
        assert escape(public_source(limit.source)) in page


def test_an_unknown_procedure_page_is_not_found(anonymous, db):
    assert anonymous.get("/procedures/no_such/").status_code == 404


def test_the_api_describes_a_definition_for_everybody(anonymous, db):
    body = anonymous.get("/api/procedures/penalty_general").json()
    assert [s["key"] for s in body["stages"]] == [s.key for s in registry.get("penalty_general").stages]
    decide = next(t for t in body["transitions"] if t["key"] == "decide")
    assert any(g["source"].startswith("行政处罚法 第五十八条") for g in decide["guards"])
    listing = anonymous.get("/api/procedures/").json()
    assert {p["key"] for p in listing["items"]} == set(registry.REGISTRY)


def test_the_api_serves_the_same_svg_and_mermaid(anonymous, db):
    defn = registry.get("licensing")
    svg = anonymous.get("/api/procedures/licensing/flowchart.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg.content.decode() == render_svg(defn)
    assert anonymous.get("/api/procedures/licensing/flowchart.mmd").content.decode() == render_mermaid(defn)


def test_an_unknown_procedure_is_a_problem_404(anonymous, db):
    response = anonymous.get("/api/procedures/nothing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_portal_cites_documents_by_their_titles():
    assert (
        public_source("《松原市行政执法全过程记录实施办法》第八条")
        == "《松原市行政执法全过程记录实施办法》第八条"
    )
    assert public_source("行政处罚法 第六十条") == "《中华人民共和国行政处罚法》第六十条"


def test_the_api_gives_each_period_with_its_registry_key(anonymous, db):
    # 行政处罚法 第六十条: 90 days nationally, read from the rules registry
    body = anonymous.get("/api/procedures/penalty_general").json()
    decision = next(tl for tl in body["time_limits"] if tl["key"] == "decision")
    assert (decision["days"], decision["rule"], decision["period"]) == (90, "penalty.decision.period", "90日")
