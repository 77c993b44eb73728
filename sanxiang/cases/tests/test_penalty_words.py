"""A penalty in words names each kind once, with its amount beside it (行政处罚法 第九条 lists the
kinds; the decision states kind and amount, 行政处罚法 第五十九条第一款第四项)."""

from decimal import Decimal

from sanxiang.cases.display import penalty_text
from sanxiang.procedures.fields import Penalty


def test_a_fine_is_named_once_with_its_amount():
    assert (
        Penalty(frozenset({"fine", "warning"}), Decimal("8000.00"), Decimal(0)).describe()
        == "警告、罚款8000元"
    )


def test_a_confiscation_amount_goes_with_its_kind():
    p = Penalty(frozenset({"fine", "confiscate_gains"}), Decimal("8000"), Decimal("1200.5"))
    assert p.describe() == "罚款8000元、没收违法所得1200.50元"


def test_kinds_without_amounts_and_amounts_without_kinds():
    assert Penalty(frozenset({"fine"}), Decimal(0), Decimal(0)).describe() == "罚款"
    assert (
        Penalty(frozenset({"warning"}), Decimal(500), Decimal(300)).describe() == "警告、罚款500元、没收300元"
    )
    assert penalty_text(None) == ""
