"""Test configuration shared by every app.

The suite runs against the database in DATABASE_URL: SQLite by default, PostgreSQL when the
Makefile runs it a second time with DATABASE_URL set to SANXIANG_TEST_DATABASE_URL.
"""

import os

os.environ.setdefault("SANXIANG_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))
os.environ.setdefault("SANXIANG_DB_CONN_MAX_AGE", "0")

pytest_plugins = ["sanxiang.testing.fixtures", "sanxiang.testing.browser"]
