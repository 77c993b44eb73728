"""Migration operations of our own.

:class:`Relabel` wraps the ``AlterField``/``AlterModelOptions`` operations of a migration that only
changes labels (Chinese ``verbose_name``, ``help_text``, choice names): nothing in the database. Run
one by one, every ``AlterField`` of a foreign key re-renders its model and every model related to it
in the migration state; the 26 label-only migrations took 194 of the 350 s of ``migrate`` on a fresh
database (benches/results/suite_setup-2026-12-02.json), paid by every test run and every new install.
``Relabel`` applies the same state changes and reloads each touched model once, with its related
models when any wrapped operation would have: the final state (what ``makemigrations`` compares the
models with) and the database are the same, and an already migrated database is not affected.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation


class Relabel(Operation):
    reduces_to_sql = False
    reversible = True

    def __init__(self, operations: list[Operation]) -> None:
        self.operations = list(operations)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.operations], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        reload: dict[tuple[str, str], bool] = {}  # model → reload with its related models

        def defer(app: str, model: str, delay: bool = False) -> None:
            reload[(app, model)] = reload.get((app, model), False) or not delay

        state.reload_model = defer
        try:
            for operation in self.operations:
                operation.state_forwards(app_label, state)
        finally:
            del state.reload_model
        state.reload_models([m for m, related in reload.items() if related], delay=False)
        state.reload_models([m for m, related in reload.items() if not related], delay=True)

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        pass  # labels only: nothing in the database

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        pass

    def describe(self) -> str:
        return f"Relabel {len(self.operations)} fields and models (nothing in the database)"

    @property
    def migration_name_fragment(self) -> str:
        return "relabel"
