"""The registered procedure definitions, validated when this module is imported."""

from __future__ import annotations

import datetime as dt

from sanxiang.procedures.definitions import DefinitionError, ProcedureDefinition, validate_definition
from sanxiang.procedures.guards import GUARDS
from sanxiang.procedures.library import ALL


def build_registry(definitions) -> dict[str, ProcedureDefinition]:
    registry: dict[str, ProcedureDefinition] = {}
    fields: dict[str, tuple] = {}
    for defn in definitions:
        problems = validate_definition(defn, guards=frozenset(GUARDS))
        if defn.key in registry:
            problems.append("duplicate procedure key")
        for key, declared in defn.record_fields.items():
            if fields.setdefault(key, declared) != declared:
                problems.append(f"record {key!r} has other fields in another procedure")
        if problems:
            raise DefinitionError(defn.key, problems)
        registry[defn.key] = defn
    return registry


REGISTRY: dict[str, ProcedureDefinition] = build_registry(ALL)

# The day a definition last changed in a way the published 执法流程图 shows (its 更新日期 on the portal).
UPDATED_ON = dt.date(2026, 12, 2)


def record_fields() -> dict[str, tuple]:
    """Record key -> its fields, over every procedure (a shared record has the same fields in each)."""
    return {k: v for d in REGISTRY.values() for k, v in d.record_fields.items()}


def get(key: str) -> ProcedureDefinition:
    """The definition ``key``; KeyError when there is none."""
    return REGISTRY[key]


def definitions() -> list[ProcedureDefinition]:
    return list(REGISTRY.values())


def record_choices() -> list[tuple[str, str, str]]:
    """(procedure key, record key, "程序 · 记录") for every record of every procedure."""
    return [
        (d.key, r.key, f"{d.name} · {r.name}") for d in REGISTRY.values() for s in d.stages for r in s.records
    ]
