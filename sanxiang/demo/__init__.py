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
    """The steps in the order of their apps in INSTALLED_APPS (an app's data builds on the apps
    before it: the cases on the catalogue, the reviews on the cases), whichever module was imported
    first; an app's own steps in the order it registered them."""
    from django.apps import apps

    order = {config.name: i for i, config in enumerate(apps.get_app_configs())}

    def position(step: tuple[str, Callable[..., None]]) -> int:
        config = apps.get_containing_app_config(step[1].__module__)
        return order[config.name] if config is not None else len(order)

    return sorted(_steps, key=position)
