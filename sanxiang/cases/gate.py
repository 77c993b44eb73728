"""The legal-review gate (行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第四条).

A case whose proposed decision meets the law's or the agency's major-decision criteria cannot be
decided until a legal review has passed. The review itself belongs to the ``review`` app, which
plugs in here from its ``AppConfig.ready()``::

    from sanxiang.cases import gate
    gate.register_review_check(lambda case: review_selectors.passed_for(case))

Until a check is registered, no review can have passed: a major case simply cannot be decided, and
the refusal names 行政处罚法 第五十八条 (guard ``legal_review_passed_if_major``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_check: Callable[[Any], bool] | None = None
_requested: Callable[[Any], bool] | None = None


def register_review_check(
    check: Callable[[Any], bool] | None, requested: Callable[[Any], bool] | None = None
) -> None:
    """Install (or, with None, remove) the functions that say whether a case's review passed and
    whether the agency sent the case for review although it is not major (审核办法 第四条: 行政执法机关
    认为需要审核的，也应当进行法制审核 — once sent, the decision waits for the review)."""
    global _check, _requested
    _check = check
    _requested = requested


def review_requested(case) -> bool:
    """Was ``case`` sent for legal review (whether or not it meets the major-decision criteria)?"""
    return bool(_requested(case)) if _requested is not None else False


def review_passed(case) -> bool:
    """Has a legal review of ``case``'s current proposal passed?"""
    return bool(_check(case)) if _check is not None else False
