"""The generic machinery of case records: validating a record's payload against the fields its
procedure declares (``clean_payload``), and which records name the officers present.

What a record holds, which rules it must meet, which are made through the approval chain and which
another app writes belong to the procedure's own definition module (``sanxiang.procedures.library``);
the names below are read from there.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sanxiang.errors import FieldError
from sanxiang.procedures import registry
from sanxiang.procedures.definitions import AppRecord
from sanxiang.procedures.fields import (
    CONTENT,
    DECISION_CHANGE_BY,
    DECISION_CHANGE_GROUNDS,
    HEARING_PENALTY_KINDS,
    LICENCE_CATEGORIES,
    MEASURE_KINDS,
    PENALTY_FIELDS,
    PENALTY_KINDS,
    SEVERITIES,
    Field,
    Penalty,
    line_kind_name,
)

__all__ = [
    "CONTENT",
    "DECISION_CHANGE_BY",
    "DECISION_CHANGE_GROUNDS",
    "HEARING_PENALTY_KINDS",
    "LICENCE_CATEGORIES",
    "MEASURE_KINDS",
    "OFFICER_RECORDS",
    "PENALTY_FIELDS",
    "PENALTY_KINDS",
    "SEVERITIES",
    "AppRecord",
    "Field",
    "Penalty",
    "app_record",
    "clean_payload",
    "fields_for",
    "is_approval_record",
    "line_kind_name",
    "prerequisite",
]

# Records in which the officers present, their credential numbers and whether they were shown are
# written down (《松原市行政执法全过程记录实施办法》第十条; 行政处罚法 第四十二条、第五十五条).
OFFICER_RECORDS = frozenset(
    {
        "inquiry_record",
        "onsite_inspection_record",
        "sampling_record",
        "evidence_preservation",
        "seizure_record",
        "simple_facts_record",
        "onsite_record",
        "onsite_verification",
    }
)


OFFICERS_SOURCE = "行政处罚法 第四十二条; 《松原市行政执法全过程记录实施办法》第十条"


def is_approval_record(procedure: str, key: str) -> bool:
    """Is ``key`` made only through the approval chain in ``procedure`` (记录办法 第三十八条)?"""
    return key in registry.get(procedure).approval_records


def app_record(procedure: str, key: str) -> AppRecord | None:
    """The app that writes ``key`` on a case of ``procedure``, or None (anyone may make it)."""
    return registry.get(procedure).app_records.get(key)


def prerequisite(procedure: str, key: str) -> tuple[tuple[str, ...], str] | None:
    """(records one of which must exist first, source) for ``key`` in ``procedure``, or None."""
    return registry.get(procedure).prerequisites.get(key)


# What the cases app adds to a penalty's records, beside the procedure's own fields: the ground of
# a fine below the matter's 裁量基准 (行政处罚法 第三十二、三十三、三十四条; checked by
# ``cases.discretion``) and the 违法行为 the decision states (公示 违法行为类型 comes from it).
DISCRETION = (
    Field(
        "discretion_ground",
        "裁量理由类型",
        "choice",
        choices=(
            ("lighter", "从轻处罚（行政处罚法 第三十二条）"),
            ("mitigated", "减轻处罚（行政处罚法 第三十二条）"),
            ("exempt", "不予处罚（行政处罚法 第三十三条）"),
        ),
        help="罚款低于本事项裁量基准下限时填写",
    ),
    Field("discretion_reason", "裁量理由", "textarea", help="从轻、减轻或不予处罚的事实和理由"),
)
NO_PENALTY_SOURCE = "行政处罚法 第三十三条、第五十七条第一款第二项"
VIOLATION = Field("violation", "违法行为", "text", help="当事人的违法行为（公示“违法行为类型”取自此项）")
WITH_DISCRETION = frozenset(
    {
        "investigation_report",
        "penalty_notice",
        "defence_review",
        "hearing_report",
        "decision_draft",
        "decision_document",
    }
)
WITH_VIOLATION = frozenset({"investigation_report", "decision_document"})


def _with_case_fields(key: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    names = {f.name for f in fields}
    out = list(fields)
    if key in WITH_VIOLATION and "violation" not in names:
        at = 1 if out and out[0].name == "document_number" else 0
        out.insert(at, VIOLATION)
    if key in WITH_DISCRETION and "discretion_ground" not in names and names & set(PENALTY_FIELDS):
        last = max(i for i, f in enumerate(out) if f.name in PENALTY_FIELDS)
        out[last + 1 : last + 1] = DISCRETION
    return tuple(out)


def fields_for(key: str, procedure: str | None = None) -> tuple[Field, ...]:
    """The fields of a ``key`` record: in ``procedure``'s definition, or in any procedure that
    declares them (a record shared by several procedures has the same fields in each), with what
    the cases app adds to a penalty's records."""
    if procedure is not None:
        fields = registry.get(procedure).record_fields.get(key, (CONTENT,))
    else:
        fields = registry.record_fields().get(key, (CONTENT,))
    return _with_case_fields(key, fields)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    d = Decimal(str(value).replace(",", "").strip())
    if not d.is_finite():
        raise InvalidOperation
    return d


def _party_penalties(where: str, value: Any) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Each party's own penalty, normalised like the penalty fields; errors name the line."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError
    out: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    allowed = {k for k, _ in PENALTY_KINDS}
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        party = str(item.get("party") or "").strip()
        if not party:
            errors.append(FieldError(f"{at}.party", "required", "各当事人分别给予的处罚: 须写明当事人"))
        elif party in seen:
            errors.append(
                FieldError(f"{at}.party", "duplicate", "各当事人分别给予的处罚: 同一当事人只能写一次")
            )
        seen.add(party)
        unknown = sorted(set(item) - {"party", *PENALTY_FIELDS})
        for name in unknown:
            errors.append(FieldError(f"{at}.{name}", "unknown_field", f"{name}: 该项没有此内容"))
        kinds = item.get("penalty_kinds") or []
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(kinds, list) or not kinds:
            errors.append(FieldError(f"{at}.penalty_kinds", "required", "处罚种类: 必须填写"))
            kinds = []
        bad = [k for k in kinds if k not in allowed]
        if bad:
            errors.append(
                FieldError(
                    f"{at}.penalty_kinds", "choice", f"处罚种类: {'、'.join(map(str, bad))} 不是可选项"
                )
            )
        clean: dict[str, Any] = {"party": party, "penalty_kinds": sorted(set(kinds))}
        for name, label in (("fine_amount", "罚款数额（元）"), ("confiscation_amount", "没收数额（元）")):
            raw = item.get(name)
            if raw in (None, ""):
                continue
            try:
                d = _decimal(raw)
            except (InvalidOperation, ValueError, TypeError):
                errors.append(FieldError(f"{at}.{name}", "decimal", f"{label}: 格式不正确"))
                continue
            if d < 0:
                errors.append(FieldError(f"{at}.{name}", "non_negative", f"{label}: 不得为负数"))
                continue
            clean[name] = str(d.quantize(Decimal("0.01")))
        out.append(clean)
    return out, errors


def clean_payload(
    key: str, data: dict[str, Any] | None, procedure: str | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """The payload of a ``key`` record, normalised (decimals as strings with 2 places, dates ISO);
    errors name ``payload.<field>``. Unknown fields are refused."""
    data = dict(data or {})
    fields = fields_for(key, procedure)
    known = {f.name for f in fields}
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    for name in sorted(set(data) - known):
        errors.append(FieldError(f"payload.{name}", "unknown_field", f"{name}: 该记录没有此项"))
    # 不予处罚 (行政处罚法 第三十三条; 第五十七条第一款第二项): the decision gives no penalty, so it names
    # no 处罚种类 and states its reasons instead
    no_penalty = key == "decision_document" and data.get("discretion_ground") == "exempt"
    if no_penalty:
        if data.get("penalty_kinds") or data.get("fine_amount") or data.get("confiscation_amount"):
            errors.append(
                FieldError(
                    "payload.penalty_kinds",
                    "no_penalty",
                    f"处罚种类: 不予处罚的，不得填写处罚种类和数额（{NO_PENALTY_SOURCE}）",
                )
            )
        if not str(data.get("discretion_reason") or "").strip():
            errors.append(
                FieldError(
                    "payload.discretion_reason",
                    "required",
                    f"裁量理由: 不予处罚的，须写明不予处罚的事实和理由（{NO_PENALTY_SOURCE}）",
                )
            )
    for f in fields:
        where = f"payload.{f.name}"
        value: Any = data.get(f.name)  # JSON: None, str, bool, number, list or dict
        empty = value is None or value == "" or value == [] or (f.type == "bool" and value is False)
        if empty:
            if f.required and f.type != "bool" and not (no_penalty and f.name in PENALTY_FIELDS):
                errors.append(FieldError(where, "required", f"{f.label}: 必须填写"))
            if f.type == "bool":
                out[f.name] = False
            continue
        try:
            if f.type in ("text", "textarea"):
                value = str(value).strip()
                if f.required and not value:
                    errors.append(FieldError(where, "required", f"{f.label}: 必须填写"))
                    continue
            elif f.type == "bool":
                if isinstance(value, str):
                    if value.lower() not in ("true", "on", "1", "false", "0", "off"):
                        raise ValueError
                    value = value.lower() in ("true", "on", "1")
                elif not isinstance(value, bool):
                    raise ValueError
            elif f.type == "decimal":
                d = _decimal(value)
                if d < 0:
                    errors.append(FieldError(where, "non_negative", f"{f.label}: 不得为负数"))
                    continue
                value = str(d.quantize(Decimal("0.01")))
            elif f.type == "date":
                parsed = value if isinstance(value, dt.date) else parse_date(str(value))
                if parsed is None:
                    raise ValueError
                value = parsed.isoformat()
            elif f.type == "datetime":
                parsed = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
                if parsed is None:
                    raise ValueError
                if timezone.is_naive(parsed):
                    parsed = timezone.make_aware(parsed)
                value = timezone.localtime(parsed).isoformat()
            elif f.type == "party_penalties":
                value, item_errors = _party_penalties(where, value)
                if item_errors:
                    errors += item_errors
                    continue
            elif f.type in ("choice", "choices"):
                allowed = {c for c, _ in f.choices}
                values = [value] if f.type == "choice" or isinstance(value, str) else list(value)
                bad = [v for v in values if v not in allowed]
                if bad:
                    errors.append(
                        FieldError(where, "choice", f"{f.label}: {'、'.join(map(str, bad))} 不是可选项")
                    )
                    continue
                value = values[0] if f.type == "choice" else sorted(set(values))
        except (ValueError, TypeError, InvalidOperation):
            errors.append(FieldError(where, f.type, f"{f.label}: 格式不正确"))
            continue
        out[f.name] = value
    errors += _stated_fine_errors(out)
    return out, errors


# "罚款52000元", "并处罚款5.2万元", "罚款人民币52,000元": a fine the summary states in figures.
STATED_FINE = re.compile(r"罚款(?:人民币)?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万?)元")
FINE_SOURCE = "行政处罚法 第五十九条第一款第三项"


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def _stated_fine_errors(out: dict[str, Any]) -> list[FieldError]:
    """A summary that states a fine other than the record's 罚款数额 (a draft's amount left in the
    summary after the fine was changed): the document would state two fines."""
    fine, content = out.get("fine_amount"), out.get("content")
    if not fine or not isinstance(content, str) or out.get("party_penalties"):
        return []
    wrong = []
    for figures, wan in STATED_FINE.findall(content):
        stated = Decimal(re.sub("[,，]", "", figures)) * (10000 if wan else 1)
        if stated != Decimal(fine):
            wrong.append(_yuan(stated))
    if not wrong:
        return []
    return [
        FieldError(
            "payload.content",
            "fine_mismatch",
            f"内容摘要: 写明的罚款 {'、'.join(wrong)} 元与“罚款数额” {_yuan(Decimal(fine))} 元不一致，"
            f"决定书载明的罚款只能有一个数额（{FINE_SOURCE}）",
        )
    ]
