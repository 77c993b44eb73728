"""The case page's 公示 panel: each disclosure duty of the case with its due date, its period and the
rule it was computed from (the stored rule version: a later rule change shows only after
``sanxiang rules recompute``)."""

from __future__ import annotations

from django.urls import reverse

from sanxiang.cases.panels import CasePanel, PanelRow
from sanxiang.disclosure.models import Duty


def _period(duty: Duty) -> str:
    unit = "个工作日" if duty.unit == "working" else "日"
    return f"{duty.days}{unit}（{duty.rule_source}）"


def disclosure_panel(user, case, view) -> CasePanel | None:
    duties = (
        Duty.objects.filter(agency_id=case.agency_id, source_ref=case.number)
        .select_related("party")
        .order_by("id")
    )
    rows = []
    for duty in duties:
        who = f" · {duty.party.name}" if duty.party_id else ""
        rows.append(
            PanelRow(
                label=f"{duty.get_source_kind_display()}{who}",
                value=f"{duty.get_status_display()} · 公示期限 {duty.due_date:%Y-%m-%d}",
                note=_period(duty),
                url=reverse("disclosure:staff_duty", args=[duty.public_id]),
            )
        )
    return CasePanel(title="公示", anchor="disclosure", rows=rows)
