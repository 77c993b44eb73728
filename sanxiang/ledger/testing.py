"""Fixtures for tests that write ledger entries and must commit for real (threads, processes,
``live_server``): use ``ledger_live_db`` instead of ``transactional_db``.

The append-only triggers refuse the DELETE/TRUNCATE with which Django empties the database after such
a test, so ``ledger_live_db`` drops them just before that flush and installs them again after it.
(A transactional test that writes no ledger entry needs nothing: emptying empty tables is allowed.)
Import the fixtures into a conftest: ``from sanxiang.ledger.testing import *``.
"""

from __future__ import annotations

import pytest
from django.db import connection

from sanxiang.ledger import immutability

__all__ = ["_ledger_triggers_restored", "ledger_live_db"]


@pytest.fixture
def _ledger_triggers_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        immutability.install(connection)


@pytest.fixture
def ledger_live_db(_ledger_triggers_restored, transactional_db):
    yield
    immutability.drop(connection)
