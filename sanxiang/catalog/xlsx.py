"""XLSX import and export of each list (openpyxl).

The workbook has one sheet named after the list; the 行政执法事项清单 has a second sheet 裁量基准
keyed by 事项编码. An import validates every row and writes nothing unless every row is valid;
each error names the sheet, the line and the column.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import MODELS, ListKind
from sanxiang.catalog.specs import (
    DISCRETION_COLUMNS,
    DISCRETION_TITLE,
    EXPORT_ONLY,
    SPECS,
    STATUS_HEADER,
    WITHDRAWN_WORDS,
    Column,
    choice_lookup,
)
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.exports import read_cell, safe_row
from sanxiang.registry.models import Agency

MAX_ROWS = 20_000


# --- export ---------------------------------------------------------------------------------------------


def _display(column: Column, value: Any) -> Any:
    if value in (None, ""):
        return None
    if column.type == "choice" and column.choices is not None:
        return str(dict(column.choices.choices).get(value, value))
    if column.type == "choices" and column.choices is not None:
        labels = dict(column.choices.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    return value


def catalog_export(*, kind: str, agency: Agency, on: dt.date) -> bytes:
    spec = SPECS[kind]
    model = MODELS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.title
    ws.append(safe_row([c.header for c in spec.columns] + list(EXPORT_ONLY)))
    entries = list(selectors.in_force(model, agency=agency, on=on))
    for e in entries:
        ws.append(
            safe_row(
                [_display(c, getattr(e, c.field)) for c in spec.columns]
                + [e.version, e.effective_from, e.reason]
            )
        )
    if kind == ListKind.ITEMS:
        ds = wb.create_sheet(DISCRETION_TITLE)
        ds.append(safe_row(c.header for c in DISCRETION_COLUMNS))
        for e in entries:
            for r in e.discretion.all():
                ds.append(
                    safe_row([e.code] + [_display(c, getattr(r, c.field)) for c in DISCRETION_COLUMNS[1:]])
                )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _err(sheet: str, line: int, column: str, rule: str, message: str) -> FieldError:
    return FieldError(f"{sheet}:{line}:{column}", rule, f"{sheet} 第{line}行 {message}")


def _parse(column: Column, raw: Any) -> Any:
    """The value of one cell; raises ValueError with a Chinese reason."""
    raw = read_cell(raw)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise ValueError("必须填写")
        return [] if column.type == "choices" else None
    if column.type == "int":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValueError(f"“{raw}”不是整数") from None
        if value < 0:
            raise ValueError("不得为负数")
        return value
    if column.type == "decimal":
        try:
            return Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            raise ValueError(f"“{raw}”不是数字") from None
    if column.type == "choice":
        table = choice_lookup(column.choices)
        key = str(raw).strip()
        value = table.get(key) or table.get(key.lower())
        if value is None:
            labels = "、".join(str(label) for _, label in column.choices.choices)
            raise ValueError(f"“{raw}”不是可选值（{labels}）")
        return value
    if column.type == "choices":
        table = choice_lookup(column.choices)
        values = []
        for part in str(raw).replace("，", "、").replace(",", "、").split("、"):
            part = part.strip()
            if not part:
                continue
            value = table.get(part) or table.get(part.lower())
            if value is None:
                raise ValueError(f"“{part}”不是可选值")
            values.append(value)
        return values
    return str(raw).strip()


def _rows(ws, columns: tuple[Column, ...], sheet: str, errors: list[FieldError]):
    """Yield (line, {field: value}, status) for each non-empty row; header problems go to errors."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        errors.append(_err(sheet, 1, "header", "header", "缺少表头"))
        return
    names = [str(h).strip() if h is not None else "" for h in header]
    known = {c.header for c in columns} | set(EXPORT_ONLY) | {STATUS_HEADER}
    for c in columns:
        if c.header not in names and c.required:
            errors.append(_err(sheet, 1, c.header, "column_missing", f"缺少列“{c.header}”"))
    for n in names:
        if n and n not in known:
            errors.append(_err(sheet, 1, n, "column_unknown", f"不认识的列“{n}”"))
    index = {n: i for i, n in enumerate(names) if n}
    for line, row in enumerate(rows, start=2):
        if line > MAX_ROWS:
            errors.append(_err(sheet, line, "", "too_many_rows", f"超过{MAX_ROWS}行"))
            return
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        values: dict[str, Any] = {}
        for c in columns:
            raw = row[index[c.header]] if c.header in index and index[c.header] < len(row) else None
            try:
                values[c.field] = _parse(c, raw)
            except ValueError as exc:
                errors.append(_err(sheet, line, c.header, "cell", f"{c.header}: {exc}"))
        status = ""
        if STATUS_HEADER in index and index[STATUS_HEADER] < len(row) and row[index[STATUS_HEADER]]:
            status = str(row[index[STATUS_HEADER]]).strip()
        yield line, values, status


def catalog_import(
    *,
    actor,
    kind: str,
    agency: Agency,
    content: bytes,
    effective_from: dt.date,
    reason: str,
    law_change=None,
) -> ImportResult:
    """Import a workbook as new versions effective ``effective_from``; all rows or none."""
    services._require_editor(actor, agency)
    spec = SPECS[kind]
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput(
            [FieldError("file", "xlsx", f"文件: 不是有效的XLSX工作簿（{exc.__class__.__name__}）")]
        ) from None
    errors: list[FieldError] = []
    if spec.title not in wb.sheetnames:
        raise InvalidInput([FieldError("file", "sheet_missing", f"文件: 缺少工作表“{spec.title}”")])
    entries: dict[str, tuple[int, dict, str]] = {}
    for line, values, status in _rows(wb[spec.title], spec.columns, spec.title, errors):
        code = values.get("code")
        if code in entries:
            errors.append(
                _err(
                    spec.title,
                    line,
                    spec.columns[0].header,
                    "duplicate_code",
                    f"编码“{code}”与第{entries[code][0]}行重复",
                )
            )
            continue
        if status and status not in WITHDRAWN_WORDS and status != "有效":
            errors.append(_err(spec.title, line, STATUS_HEADER, "status", "状态: 应为“有效”或“废止”"))
        if code:
            entries[code] = (line, values, status)
    discretion: dict[str, list[tuple[int, dict]]] = {}
    if kind == ListKind.ITEMS and DISCRETION_TITLE in wb.sheetnames:
        for line, values, _ in _rows(wb[DISCRETION_TITLE], DISCRETION_COLUMNS, DISCRETION_TITLE, errors):
            code = values.get("code")
            if code not in entries:
                errors.append(
                    _err(
                        DISCRETION_TITLE,
                        line,
                        "事项编码",
                        "item_unknown",
                        f"事项编码“{code}”不在{spec.title}中",
                    )
                )
                continue
            discretion.setdefault(code, []).append((line, values))
    # every row through the same validation the service applies, before anything is written
    plan = []
    for code, (line, values, status) in entries.items():
        withdraw = status in WITHDRAWN_WORDS
        numbered = sorted(discretion.get(code, []), key=lambda lr: (lr[1].get("position") or 0, lr[0]))
        rows = [values for _, values in numbered]
        entry, parsed_rows, row_errors = services.validate_entry(
            kind=kind,
            agency=agency,
            data=values,
            discretion=rows,
            effective_from=effective_from,
            reason=reason,
            withdraw=withdraw,
        )
        for e in row_errors:
            if e.field.startswith("discretion["):
                index = int(e.field[len("discretion[") : e.field.index("]")])
                sheet_line = numbered[index][0]
                errors.append(
                    FieldError(
                        f"{DISCRETION_TITLE}:{sheet_line}:{e.field}",
                        e.rule,
                        f"{DISCRETION_TITLE} 第{sheet_line}行 {e.message}",
                    )
                )
            elif e.field in ("reason", "effective_from"):
                errors.append(e)
            else:
                header = next((c.header for c in spec.columns if c.field == e.field), e.field)
                errors.append(_err(spec.title, line, header, e.rule, e.message))
        plan.append((code, values, rows, withdraw, entry, parsed_rows))
    if errors:
        unique = list(dict.fromkeys(errors))
        raise InvalidInput(unique, code="import_invalid", title="导入文件有误，未导入任何内容")
    result = ImportResult()
    with transaction.atomic():
        for code, values, rows, withdraw, entry, parsed_rows in plan:
            model = MODELS[kind]
            latest = selectors.latest_version(model, agency=agency, code=code)
            if not withdraw and latest is not None and services.same_content(latest, entry, parsed_rows):
                result.unchanged.append(code)
                continue
            if withdraw:
                if latest is not None and latest.withdrawn:
                    result.unchanged.append(code)
                    continue
                services.entry_withdraw(
                    actor=actor,
                    kind=kind,
                    agency=agency,
                    code=code,
                    effective_from=effective_from,
                    reason=reason,
                    law_change=law_change,
                )
                result.withdrawn.append(code)
                continue
            published = services.entry_publish(
                actor=actor,
                kind=kind,
                agency=agency,
                data=values,
                discretion=rows,
                effective_from=effective_from,
                reason=reason,
                law_change=law_change,
            )
            if not published.created:
                result.unchanged.append(code)
            elif latest is None:
                result.created.append(code)
            else:
                result.revised.append(code)
    return result
