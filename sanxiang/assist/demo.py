"""Demo: the statutes the demo matters cite, and the similar-case index of the demo decisions."""

from __future__ import annotations

import datetime as dt

from sanxiang.demo import register_step


@register_step("法律法规与相似案例索引")
def load(*, today: dt.date, out) -> None:
    from sanxiang.assist import index, services

    services.statutes_import_shipped(actor=None)
    index.rebuild_all()
