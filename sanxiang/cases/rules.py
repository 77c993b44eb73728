"""The pure computations the law fixes (加处罚款) and the upload window. The rules a record must meet
when it is made belong to its procedure (``ProcedureDefinition.record_rules`` in
``sanxiang.procedures.library``); the simple-procedure limits live in ``penalty_simple``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# 行政处罚法 第七十二条第一款第一项: 每日按罚款数额的百分之三加处罚款，数额不得超出罚款的数额.
SURCHARGE_RATE = Decimal("0.03")
SURCHARGE_SOURCE = "行政处罚法 第七十二条第一款第一项"

# seed 002 记录办法 第三十二条: recordings stored in the system within 24 hours.
UPLOAD_WITHIN = dt.timedelta(hours=24)


def late_payment_surcharge(*, fine: Decimal, due: dt.date, on: dt.date) -> Decimal:
    """加处罚款 owed on ``on`` for a fine whose payment period ended on ``due`` (第七十二条)."""
    days = max(0, (on - due).days)
    return min(fine * SURCHARGE_RATE * days, fine).quantize(Decimal("0.01"))
