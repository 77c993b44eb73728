"""A plain description of a definition for the API and the portal page (the same data the engine reads)."""

from __future__ import annotations

from typing import Any

from sanxiang.procedures.definitions import ProcedureDefinition
from sanxiang.procedures.guards import GUARDS

LIMIT_KIND_LABELS = {
    "agency_deadline": "机关办理期限",
    "party_window": "当事人行使权利期限",
    "minimum_notice": "至少提前",
}


def _requirement(req, records) -> dict[str, Any]:
    return {
        "records": list(req.records),
        "label": req.label or "或".join(records[k].name for k in req.records),
        "source": req.source,
        "when": req.when,
        "when_description": GUARDS[req.when].description if req.when else "",
    }


def describe(defn: ProcedureDefinition) -> dict[str, Any]:
    """The definition in plain data; periods are the national ones (a case shows its region's)."""
    from django.utils import timezone

    today = timezone.localdate()
    records = defn.records()
    return {
        "key": defn.key,
        "name": defn.name,
        "law": defn.law,
        "source": defn.source,
        "description": defn.summary,
        "initial": defn.initial,
        "events": [{"key": k, "name": v} for k, v in defn.events.items()],
        "stages": [
            {
                "key": s.key,
                "name": s.name,
                "terminal": s.terminal,
                "description": s.description,
                "records": [
                    {
                        "key": r.key,
                        "name": r.name,
                        "source": r.source,
                        "av_required": r.av_required,
                        "av_source": r.av_source,
                        "event": r.event,
                    }
                    for r in s.records
                ],
                "requires": [_requirement(q, records) for q in s.requires],
            }
            for s in defn.stages
        ],
        "transitions": [
            {
                "key": t.key,
                "source": t.source,
                "source_name": defn.stage(t.source).name,
                "target": t.target,
                "target_name": defn.stage(t.target).name,
                "name": t.name,
                "event": t.event,
                "skip_stage_requirements": t.skip_stage_requirements,
                "guards": [
                    {"key": g, "description": GUARDS[g].description, "source": GUARDS[g].source}
                    for g in t.guards
                ],
                "requires": [_requirement(q, records) for q in t.requires],
            }
            for t in defn.transitions
        ],
        "time_limits": [
            {
                "key": tl.key,
                "name": tl.name,
                "days": tl.days_for(region=None, on=today),
                "rule": tl.rule,
                "unit": str(tl.unit),
                "period": tl.label_for(region=None, on=today),
                "kind": str(tl.kind),
                "kind_label": LIMIT_KIND_LABELS[str(tl.kind)],
                "start": tl.start,
                "start_name": defn.events[tl.start],
                "until": tl.until,
                "until_name": defn.events[tl.until],
                "source": tl.source,
                "extendable": tl.extendable,
                "extension_source": tl.extension_source,
            }
            for tl in defn.time_limits
        ],
    }
