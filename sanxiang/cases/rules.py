"""The pure computations the law fixes (加处罚款) and the upload window, with their values read from
the rules registry for the case's region and the date. The rules a record must meet when it is
made belong to its procedure (``ProcedureDefinition.record_rules`` in ``sanxiang.procedures.library``);
the simple-procedure limits live in ``penalty_simple``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.rules.selectors import Rule, rule_for


def upload_within(*, region: str, on: dt.date) -> tuple[dt.timedelta, Rule]:
    """音像记录 stored in the system within the registry's hours (《松原市行政执法全过程记录实施办法》第三十二条)."""
    rule = rule_for("record.upload", region=region, on=on)
    return dt.timedelta(hours=int(rule.value or 0)), rule


def late_payment_surcharge(*, fine: Decimal, due: dt.date, on: dt.date, region: str = "") -> Decimal:
    """加处罚款 owed on ``on`` for a fine whose payment period ended on ``due`` (行政处罚法 第七十二条
    第一款第一项): each day the registry's percentage of the fine, in all at most the registry's cap."""
    rate = rule_for("penalty.surcharge.daily_rate", region=region, on=due)
    cap = rule_for("penalty.surcharge.cap", region=region, on=due)
    days = max(0, (on - due).days)
    owed = fine * Decimal(str(rate.value)) / 100 * days
    return min(owed, fine * Decimal(str(cap.value)) / 100).quantize(Decimal("0.01"))
