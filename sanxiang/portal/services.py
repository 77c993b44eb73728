"""Writes of the portal: an agency publishes its own 行政执法规范用语 (a new version each time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sanxiang.catalog.services import can_edit_catalog
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.portal.models import PhrasebookVersion
from sanxiang.registry.models import Agency
from sanxiang.rules.selectors import UnknownRule, fill


def _lines(value: Any) -> list[str]:
    return [str(x).strip() for x in (value or ()) if str(x).strip()]


def sections_checked(sections: Any) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Every scene needs a name, its source and at least one 文明用语; a ``{rule.key}`` placeholder
    must name a rule of the registry."""
    errors: list[FieldError] = []
    out: list[dict[str, Any]] = []
    if not isinstance(sections, list | tuple) or not sections:
        return [], [FieldError("sections", "required", "规范用语: 至少列明一个执法环节")]
    for i, s in enumerate(sections):
        s = s if isinstance(s, dict) else {}
        where = f"sections[{i}]"
        row = {
            "scene": str(s.get("scene") or "").strip(),
            "source": str(s.get("source") or "").strip(),
            "civil": _lines(s.get("civil")),
            "forbidden": _lines(s.get("forbidden")),
        }
        if not row["scene"]:
            errors.append(FieldError(f"{where}.scene", "required", "执法环节: 必须填写"))
        if not row["source"]:
            errors.append(FieldError(f"{where}.source", "required", "依据: 必须填写"))
        if not row["civil"]:
            errors.append(FieldError(f"{where}.civil", "required", "文明用语: 至少一句"))
        for text in row["civil"] + row["forbidden"]:
            try:
                fill(text.replace("{agency}", ""))
            except UnknownRule as exc:
                errors.append(
                    FieldError(f"{where}.civil", "rule_unknown", f"规范用语: 期限“{exc}”不是规则库中的规则")
                )
        out.append(row)
    return out, errors


def phrasebook_publish(
    *, actor, agency: Agency, sections: Any, source: str, effective_from: dt.date, reason: str
) -> PhrasebookVersion:
    """Publish the agency's next version of its 行政执法规范用语 (replacing the platform's default
    from ``effective_from``)."""
    if not can_edit_catalog(actor, agency):
        raise Forbidden("规范用语只能由系统管理员或本机关负责人维护", field="agency")
    rows, errors = sections_checked(sections)
    if not str(source or "").strip():
        errors.append(FieldError("source", "required", "制定依据: 必须填写"))
    if not str(reason or "").strip():
        errors.append(FieldError("reason", "required", "变更原因: 必须填写"))
    if not isinstance(effective_from, dt.date):
        errors.append(FieldError("effective_from", "date", "生效日期: 必须填写有效日期"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        latest = PhrasebookVersion.objects.filter(agency=agency).order_by("-version").first()
        version = PhrasebookVersion.objects.create(
            agency=agency,
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            sections=rows,
            source=str(source).strip(),
            reason=str(reason).strip(),
            created_by=actor,
        )
        record(
            kind="portal.phrasebook_published",
            subject=version,
            actor=actor,
            payload={
                "agency": str(agency.public_id),
                "version": version.version,
                "effective_from": effective_from.isoformat(),
                "sections": rows,
                "source": version.source,
                "reason": version.reason,
            },
        )
    return version
