"""A case record as people read it: every field under its Chinese label, values in words (是/否,
处罚种类 by name, amounts in 元, local times), the officers present with their credentials, and the
files with how the page shows each one. No stored key reaches the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sanxiang.cases.media import media_kind
from sanxiang.cases.models import CaseRecord
from sanxiang.cases.specs import fields_for


def penalty_text(penalty) -> str:
    """A proposed penalty in words, a fine named once with its amount (罚款20000元、没收违法所得)."""
    return penalty.describe() if penalty is not None else ""


def cite_text(text) -> str:
    """A source as its readers cite it: the document's title (《…》), the article right after it."""
    from sanxiang.procedures.sources import public_source

    return public_source(str(text or "")).replace("》 ", "》")


# Keys that records written by the approval chain or by other apps carry besides their fields.
EXTRA_LABELS = {
    "reason": "理由",
    "handler": "承办人意见",
    "reviewer": "审核人意见",
    "approver": "批准人意见",
    "content": "内容摘要",
    "summary": "摘要",
    "name": "姓名",
    "opinion": "意见",
    "at": "时间",
}


@dataclass
class Row:
    label: str
    value: str


@dataclass
class File:
    sm3: str
    media_type: str
    size: int
    kind: str  # image | video | audio | pdf | other

    @property
    def size_label(self) -> str:
        size = float(self.size)
        for unit in ("字节", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{self.size} 字节"

    @property
    def kind_label(self) -> str:
        return {"image": "照片", "video": "视频", "audio": "录音", "pdf": "PDF 文件"}.get(self.kind, "文件")


def _when(value: Any) -> str:
    moment = parse_datetime(str(value)) if not isinstance(value, dt.datetime) else value
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        parts = [
            f"{EXTRA_LABELS.get(k, '')}{'：' if k in EXTRA_LABELS else ''}{_plain(v)}"
            for k, v in value.items()
        ]
        return "；".join(p for p in parts if p)
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if value is None:
        return "—"
    text = str(value)
    if len(text) >= 19 and text[4:5] == "-" and "T" in text[:11]:
        return _when(text)
    return text


def field_value(f, value: Any) -> str:
    if value in (None, "", []):
        return "—" if f.type != "bool" else "否"
    if f.type == "bool":
        return "是" if value else "否"
    if f.type in ("choice", "choices"):
        labels = dict(f.choices)
        values = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(v, v)) for v in values)
    if f.type == "decimal":
        try:
            return f"{Decimal(str(value)):,} 元".replace(".00 元", " 元")
        except InvalidOperation:
            return str(value)
    if f.type == "datetime":
        return _when(value)
    if f.type == "date":
        d = parse_date(str(value))
        return d.strftime("%Y-%m-%d") if d else str(value)
    return str(value)


def record_rows(record: CaseRecord) -> list[Row]:
    """The record's content, each field of its kind under its label, then anything else it carries."""
    payload = record.payload or {}
    rows: list[Row] = []
    named = set()
    for f in fields_for(record.kind):
        named.add(f.name)
        if f.name in payload:
            rows.append(Row(f.label, field_value(f, payload.get(f.name))))
    for key, value in payload.items():
        if key in named:
            continue
        rows.append(Row(EXTRA_LABELS.get(key, "其他内容"), _plain(value)))
    return rows


@dataclass(frozen=True)
class OriginRow:
    label: str
    origin: str
    origin_kind: str
    changed: bool
    offered: str  # the value offered, as the record page shows values


def origin_rows(record: CaseRecord) -> list[OriginRow]:
    """For a record saved from offered values (the drafted decision): each offered field with its
    origin, and whether the officer kept the value or changed it (the offered value then shown)."""
    from sanxiang.cases.prefill import ORIGIN_KINDS

    by_name = {f.name: f for f in fields_for(record.kind)}
    out = []
    for o in (record.origins or {}).get("fields", []):
        f = by_name.get(o.get("field", ""))
        out.append(
            OriginRow(
                label=f.label if f else EXTRA_LABELS.get(o.get("field", ""), "其他内容"),
                origin=o.get("origin", ""),
                origin_kind=ORIGIN_KINDS.get(o.get("origin_kind", ""), "案件记录"),
                changed=bool(o.get("changed")),
                offered=field_value(f, o.get("offered")) if f else _plain(o.get("offered")),
            )
        )
    return out


def officer_rows(record: CaseRecord) -> list[Row]:
    return [
        Row(
            o.get("name", ""),
            f"执法证号 {o.get('credential_number', '')}，{'已出示证件' if o.get('shown') else '未出示证件'}",
        )
        for o in record.officers or []
    ]


def files_of(hashes: list[str]) -> list[File]:
    from sanxiang.ledger.models import Blob

    blobs = Blob.objects.in_bulk(list(hashes))
    return [
        File(b.sm3, b.media_type, b.size, media_kind(b.media_type)) for h in hashes if (b := blobs.get(h))
    ]


def record_files(record: CaseRecord) -> list[File]:
    return files_of(list(record.blob_hashes or []))


def summary(record: CaseRecord, limit: int = 60) -> str:
    """One line for lists (the first fields of the record, in words)."""
    text = "；".join(f"{r.label}：{r.value}" for r in record_rows(record)[:3])
    return text if len(text) <= limit else text[: limit - 1] + "…"
