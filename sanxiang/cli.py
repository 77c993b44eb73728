"""The ``sanxiang`` operator command.

``sanxiang serve`` serves the staff site, portal and API; ``sanxiang demo`` migrates and loads the
demo jurisdiction; every other word is a Django management command (``sanxiang migrate``,
``sanxiang import-entities``, ``sanxiang verify`` …).
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": "serve",
    "demo": "load_demo",
    "import-entities": "import_entities",
    "seed-holidays": "seed_holidays",
    "export-proof": "export_proof",
    "issue-token": "issue_token",
    "revoke-token": "revoke_token",
    "worker": "db_worker",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["witness"]:  # a witness runs without Django and without the database
        from sanxiang.ledger.witness import main as witness_main

        sys.exit(witness_main(args[1:]))
    if args:
        args[0] = ALIASES.get(args[0], args[0].replace("-", "_"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sanxiang", *args])
