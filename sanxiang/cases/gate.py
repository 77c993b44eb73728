"""The legal-review gate (行政处罚法 第五十八条; seed 002 审核办法 第四条).

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


def register_review_check(check: Callable[[Any], bool] | None) -> None:
    """Install (or, with None, remove) the function that says whether a case's review passed."""
    global _check
    _check = check


def review_passed(case) -> bool:
    """Has a legal review of ``case``'s current proposal passed?"""
    return bool(_check(case)) if _check is not None else False
