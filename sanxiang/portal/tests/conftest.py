"""Portal tests publish decisions the way the disclosure tests do (the same fixtures)."""

from sanxiang.disclosure.tests.conftest import company, discloser_a, make_duty, publish  # noqa: F401
