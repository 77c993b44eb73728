"""类案同罚: is a proposed fine far outside the fines of similar decided cases? (pure: no database)

The rule is statistical, not legal (no statute fixes a number; 行政处罚法 第五条 asks that a penalty fit
the facts, nature, circumstances and harm), and it is stated with every result (docs/decisions):

- at least ``MIN_CASES`` decided cases of the same matter and 裁量阶次 are needed; with fewer, nothing
  is judged (the comparison is shown, not flagged);
- a proposal is far out when it lies outside Tukey's fences [Q1 − 1.5·IQR, Q3 + 1.5·IQR] of their fines,
  the fences kept at least ``MIN_SPREAD`` of the median away from it (so identical past fines do not
  flag every other amount).

A flag never blocks: the officer states a reason, which is recorded with the check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MIN_CASES = 5
FENCE = Decimal("1.5")
MIN_SPREAD = Decimal("0.10")
RULE = (
    f"同一执法事项、同一裁量阶次的已决类案不少于{MIN_CASES}件时，拟罚款数额在类案罚款的"
    f"四分位区间外 1.5 倍四分位距（且不小于中位数的10%）之外的，提示明显偏离；提示不阻止办理，须说明理由"
)


@dataclass(frozen=True)
class Assessment:
    count: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    low: Decimal | None
    high: Decimal | None
    flagged: bool
    direction: str  # "above" / "below" / ""

    @property
    def enough(self) -> bool:
        return self.count >= MIN_CASES


def _quantile(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the common 'type 7' quantile)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def assess(proposed: Decimal, fines: Sequence[Decimal]) -> Assessment:
    fines = [Decimal(f) for f in fines if f is not None]
    if not fines:
        return Assessment(0, None, None, None, None, None, False, "")
    q1 = _quantile(fines, Decimal("0.25"))
    median = _quantile(fines, Decimal("0.5"))
    q3 = _quantile(fines, Decimal("0.75"))
    iqr = q3 - q1
    spread = median * MIN_SPREAD
    low = min(q1 - FENCE * iqr, median - spread)
    high = max(q3 + FENCE * iqr, median + spread)
    low = max(low, Decimal(0))
    q = lambda v: v.quantize(Decimal("0.01"))  # noqa: E731
    direction = "above" if proposed > high else "below" if proposed < low else ""
    flagged = len(fines) >= MIN_CASES and bool(direction)
    return Assessment(len(fines), q(q1), q(median), q(q3), q(low), q(high), flagged, direction)
