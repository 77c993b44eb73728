"""Every state the engine gives a time limit has one Chinese name (engine.DEADLINE_STATE_LABELS)."""

import inspect
import re

from sanxiang.procedures import engine
from sanxiang.procedures.engine import BAD_STATES, DEADLINE_STATE_LABELS, deadline_state_label


def test_every_state_the_engine_assigns_has_a_chinese_label():
    code = inspect.getsource(engine.deadline_for_limit)
    states = set(re.findall(r'"([a-z_]+)"', code))
    assert {"not_started", "running", "met", "late", "overdue", "lapsed", "too_early"} <= states
    assert states <= set(DEADLINE_STATE_LABELS)
    assert all(not label.isascii() for label in DEADLINE_STATE_LABELS.values())


def test_the_agency_missing_its_deadline_is_the_bad_state():
    assert deadline_state_label("overdue") == "已逾期"
    assert (
        deadline_state_label("lapsed") == "当事人逾期未行使"
    )  # the party's right lapsed: not the agency's fault
    assert {"overdue", "late", "too_early"} == BAD_STATES
