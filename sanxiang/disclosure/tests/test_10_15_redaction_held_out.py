"""Issue 10 §15: the three held-out forms the redactor missed (benches/privacy_stress.py, decision 0008),
and the clean sentences it must leave alone (precision). No database: the redactor is pure text."""

import pytest

from sanxiang.disclosure.redaction import Redactor
from sanxiang.disclosure.redaction.people import Known
from sanxiang.disclosure.tests.stress_privacy import CLEAN


def _redact(text: str) -> str:
    return Redactor(known=Known(), premises=False).text("violation_facts", text)[0]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("据目击者称，马丽丽当时在场", "马丽丽"),  # a witness's name after 目击者称
        ("添加其微信（ID：jiahe_2019）后交易", "jiahe_2019"),  # a messenger id in brackets after its label
        ("李某某（2008年6月1日出生）", "2008年6月1日"),  # a birthday written before 出生
    ],
)
def test_10_15_the_held_out_forms_are_redacted(text, secret):
    # 《松原市行政执法公示办法》第十八条: personal information of natural persons is not published
    assert secret not in _redact(text)


@pytest.mark.parametrize("text", CLEAN)
def test_10_15_a_sentence_without_personal_data_is_left_as_it_is(text):
    assert _redact(text) == text
