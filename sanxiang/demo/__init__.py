"""The demo jurisdiction, generated deterministically in code (same data on every machine).

松原市宁江区: a district 司法局 supervising the market, transport, ecology, urban-management and
culture enforcement agencies, their officers and reviewers, staff logins for every role, and a
market-entity directory. Later apps add their demo cases, reviews and disclosures through
``register_step`` in a module named ``demo`` inside the app (autodiscovered by ``sanxiang demo``).
"""

from __future__ import annotations

from collections.abc import Callable

DEMO_PASSWORD = "sanxiang-demo-2026"  # noqa: S105 - printed for the demo; never used in production

_steps: list[tuple[str, Callable[..., None]]] = []


def register_step(name: str):
    """Register ``step(*, today, out)``, which adds an app's demo data after the registry exists."""

    def decorate(fn):
        if all(existing != name for existing, _ in _steps):
            _steps.append((name, fn))
        return fn

    return decorate


def steps() -> list[tuple[str, Callable[..., None]]]:
    return list(_steps)
