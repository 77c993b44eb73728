"""Definitions are validated when they are registered: a broken one never reaches a case."""

from __future__ import annotations

import dataclasses

import pytest

from sanxiang.procedures import registry
from sanxiang.procedures.definitions import (
    DefinitionError,
    ProcedureDefinition,
    RecordSpec,
    Requirement,
    Stage,
    TimeLimit,
    Transition,
    Unit,
    validate_definition,
)
from sanxiang.procedures.guards import GUARDS
from sanxiang.procedures.registry import build_registry


def small(**changes) -> ProcedureDefinition:
    base = ProcedureDefinition(
        key="tiny",
        name="测试程序",
        law="penalty",
        source="测试",
        initial="a",
        events={"started": "开始", "done": "完成"},
        stages=(
            Stage("a", "甲", records=(RecordSpec("r1", "记录一", "来源一", event="started"),)),
            Stage("b", "乙", records=(RecordSpec("r2", "记录二", "来源二", event="done"),), terminal=True),
        ),
        transitions=(Transition("go", "a", "b", "前进", requires=(Requirement(("r1",), "来源一"),)),),
        time_limits=(TimeLimit("t", "期限", 90, Unit.NATURAL, "started", "done", "行政处罚法 第六十条"),),
    )
    return dataclasses.replace(base, **changes)


def problems(defn: ProcedureDefinition) -> list[str]:
    return validate_definition(defn, guards=frozenset(GUARDS))


def test_the_five_required_procedures_are_registered():
    assert {"penalty_general", "penalty_simple", "licensing", "coercive_measure", "inspection"} <= set(
        registry.REGISTRY
    )


@pytest.mark.parametrize("defn", registry.definitions(), ids=lambda d: d.key)
def test_every_registered_definition_is_sound(defn):
    assert problems(defn) == []


def test_a_sound_small_definition_has_no_problems():
    assert problems(small()) == []


def test_a_transition_to_an_unknown_stage_is_refused():
    defn = small(transitions=(Transition("go", "a", "nowhere", "前进"),))
    assert any("unknown target stage 'nowhere'" in p for p in problems(defn))


def test_an_unknown_initial_stage_is_refused():
    assert any("unknown initial stage" in p for p in problems(small(initial="zzz")))


def test_an_unreachable_stage_is_refused():
    defn = small(stages=(*small().stages, Stage("island", "孤岛", terminal=True)))
    assert any("stage 'island' is unreachable" in p for p in problems(defn))


def test_a_dead_end_that_is_not_terminal_is_refused():
    stages = (small().stages[0], dataclasses.replace(small().stages[1], terminal=False))
    assert any("dead end" in p for p in problems(small(stages=stages)))


def test_an_unknown_guard_is_refused():
    defn = small(transitions=(Transition("go", "a", "b", "前进", guards=("no_such_guard",)),))
    assert any("unknown guard 'no_such_guard'" in p for p in problems(defn))


def test_a_requirement_naming_an_unknown_record_is_refused():
    defn = small(transitions=(Transition("go", "a", "b", "前进", requires=(Requirement(("ghost",), "x"),)),))
    assert any("unknown record 'ghost'" in p for p in problems(defn))


def test_a_requirement_without_a_source_is_refused():
    defn = small(transitions=(Transition("go", "a", "b", "前进", requires=(Requirement(("r1",), ""),)),))
    assert any("names no source" in p for p in problems(defn))


def test_a_time_limit_on_an_undeclared_event_is_refused():
    limit = TimeLimit("t", "期限", 90, Unit.NATURAL, "started", "never", "行政处罚法 第六十条")
    assert any("unknown event 'never'" in p for p in problems(small(time_limits=(limit,))))


def test_audio_video_required_without_a_source_is_refused():
    stages = (
        Stage("a", "甲", records=(RecordSpec("r1", "记录一", "来源一", av_required=True, event="started"),)),
        small().stages[1],
    )
    assert any("requires audio/video but names no source" in p for p in problems(small(stages=stages)))


def test_a_five_day_penalty_period_in_natural_days_is_refused():
    # 行政处罚法 第八十五条: 二日、三日、五日、七日 are working days
    limit = TimeLimit("t", "听证申请", 5, Unit.NATURAL, "started", "done", "行政处罚法 第六十四条")
    assert any("第八十五条" in p for p in problems(small(time_limits=(limit,))))
    ok = dataclasses.replace(limit, unit=Unit.WORKING)
    assert problems(small(time_limits=(ok,))) == []


def test_every_statutory_five_and_seven_day_penalty_period_is_counted_in_working_days():
    # 行政处罚法 第八十五条
    for key in ("penalty_general", "penalty_simple"):
        for limit in registry.get(key).time_limits:
            if limit.days in {2, 3, 5, 7}:
                assert limit.unit == Unit.WORKING, limit.key


def test_licensing_periods_are_working_days_except_the_local_archiving_rule():
    # 行政许可法 第八十二条: 行政许可的期限以工作日计算
    for limit in registry.get("licensing").time_limits:
        if "行政许可法" in limit.source:
            assert limit.unit == Unit.WORKING, limit.key


def test_building_a_registry_with_a_broken_definition_raises_naming_every_problem():
    broken = small(initial="zzz", transitions=(Transition("go", "a", "q", "前进", guards=("nope",)),))
    with pytest.raises(DefinitionError) as info:
        build_registry([broken])
    assert info.value.key == "tiny"
    assert len(info.value.problems) >= 3


def test_two_definitions_with_the_same_key_are_refused():
    with pytest.raises(DefinitionError, match="duplicate procedure key"):
        build_registry([small(), small()])


def test_every_requirement_and_guard_names_its_legal_source():
    for defn in registry.definitions():
        for s in defn.stages:
            for r in s.records:
                assert r.source, (defn.key, r.key)
            for q in s.requires:
                assert q.source, (defn.key, s.key)
        for t in defn.transitions:
            for q in t.requires:
                assert q.source, (defn.key, t.key)
            for g in t.guards:
                assert GUARDS[g].source, g
        for limit in defn.time_limits:
            assert limit.source, (defn.key, limit.key)


def _decision_stage(required: bool, discloses: str = "penalty") -> Stage:
    record = RecordSpec("r1", "决定书", "来源一", event="started", discloses=discloses)
    return Stage("a", "甲", records=(record,), requires=(Requirement(("r1",), "来源一"),) if required else ())


def test_a_decision_record_its_stage_does_not_require_is_refused():
    # the decision is final only when the case leaves its stage with it (seed 002 公示办法 第二十七条)
    defn = small(stages=(_decision_stage(False), small().stages[1]))
    assert any("is a decision but stage 'a' does not require it" in p for p in problems(defn))
    assert problems(small(stages=(_decision_stage(True), small().stages[1]))) == []


def test_an_unknown_disclosure_kind_is_refused():
    defn = small(stages=(_decision_stage(True, "gossip"), small().stages[1]))
    assert any("unknown disclosure kind 'gossip'" in p for p in problems(defn))


def test_every_procedure_names_the_decision_its_ordinary_exits_make_final():
    # 行政处罚决定书 (第五十九条), 当场处罚决定书 (第五十二条), 许可决定书 (行政许可法 第三十八条),
    # 查封扣押决定书 (行政强制法 第二十四条), 检查结果 (seed 002 公示办法 第十七条)
    made_final = {
        d.key: {t.key: (r.key, r.discloses) for t in d.transitions if (r := d.decision_made_by(t.key))}
        for d in registry.definitions()
        if d.key in {"penalty_general", "penalty_simple", "licensing", "coercive_measure", "inspection"}
    }
    assert made_final == {
        "penalty_general": {"serve": ("decision_document", "penalty")},
        "penalty_simple": {"decide_on_spot": ("on_spot_decision", "penalty")},
        "licensing": {"issue": ("licence_decision", "licensing")},
        "coercive_measure": {"take_into_custody": ("seizure_decision", "other")},
        "inspection": {
            "publish": ("inspection_result", "inspection"),
            "refer": ("inspection_result", "inspection"),
        },
    }
