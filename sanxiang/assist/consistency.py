"""类案同罚: is a proposed fine far outside the fines of similar decided cases?

The rule is statistical, not legal (no statute fixes a number; 行政处罚法 第五条 asks that a penalty fit
the facts, nature, circumstances and harm). Its numbers are rules-registry keys (``assist.consistency.*``)
cited to the platform's own decision record (docs/decisions/0019), and the rule is stated with every
result:

- at least ``assist.consistency.min_cases`` decided cases of the same matter and 裁量阶次 are needed;
  with fewer, nothing is judged (the comparison is shown, not flagged);
- a proposal is far out when it lies outside Tukey's fences [Q1 − k·IQR, Q3 + k·IQR] of their fines
  (k = ``assist.consistency.fence``), the fences kept at least ``assist.consistency.min_spread`` (a
  percentage) of the median away from it (so identical past fines do not flag every other amount).

A flag never blocks: the officer states a reason, which is recorded with the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

MIN_CASES_KEY = "assist.consistency.min_cases"
FENCE_KEY = "assist.consistency.fence"
MIN_SPREAD_KEY = "assist.consistency.min_spread"


@dataclass(frozen=True)
class Limits:
    """The registry's values of the rule for one region and day, with the sentence a person reads."""

    min_cases: int
    fence: Decimal
    min_spread: Decimal  # a share of the median (the registry's percentage / 100)
    rule: str


def limits(*, region: str | None, on: dt.date) -> Limits:
    from sanxiang.rules.selectors import rule_for

    found = [rule_for(key, region=region, on=on) for key in (MIN_CASES_KEY, FENCE_KEY, MIN_SPREAD_KEY)]
    minimum, fence, spread = (r.value for r in found)
    sentence = "；".join(r.text for r in found) + "；提示不阻止办理，须说明理由"
    return Limits(int(str(minimum)), Decimal(str(fence)), Decimal(str(spread)) / 100, sentence)


@dataclass(frozen=True)
class Assessment:
    count: int
    needed: int
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    low: Decimal | None
    high: Decimal | None
    flagged: bool
    direction: str  # "above" / "below" / ""

    @property
    def enough(self) -> bool:
        return self.count >= self.needed


def _quantile(values: Sequence[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the common 'type 7' quantile)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def assess(proposed: Decimal, fines: Sequence[Decimal], rule: Limits) -> Assessment:
    fines = [Decimal(f) for f in fines if f is not None]
    if not fines:
        return Assessment(0, rule.min_cases, None, None, None, None, None, False, "")
    q1 = _quantile(fines, Decimal("0.25"))
    median = _quantile(fines, Decimal("0.5"))
    q3 = _quantile(fines, Decimal("0.75"))
    iqr = q3 - q1
    spread = median * rule.min_spread
    low = min(q1 - rule.fence * iqr, median - spread)
    high = max(q3 + rule.fence * iqr, median + spread)
    low = max(low, Decimal(0))
    q = lambda v: v.quantize(Decimal("0.01"))  # noqa: E731
    direction = "above" if proposed > high else "below" if proposed < low else ""
    flagged = len(fines) >= rule.min_cases and bool(direction)
    return Assessment(
        len(fines), rule.min_cases, q(q1), q(median), q(q3), q(low), q(high), flagged, direction
    )
