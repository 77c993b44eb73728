from __future__ import annotations

from sanxiang.cases.tests.case_fixtures import _no_review_check, calendar  # noqa: F401 - autouse fixtures
