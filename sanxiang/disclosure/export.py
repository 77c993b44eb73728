"""双公示 export (CSV and XLSX) with the national field names, for any period; and the Atom feed.

Both read only :class:`~sanxiang.disclosure.models.PublicDecision` (redacted, current, not withdrawn).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.feedgenerator import Atom1Feed

from sanxiang.disclosure import fields as F
from sanxiang.disclosure.models import PublicDecision
from sanxiang.exports import safe_row

XLSX_MAX_ROWS = 1_048_575  # one header row + Excel's limit


def export_rows(
    *, kind: str, date_from: dt.date, date_to: dt.date, agency_public_id: str = ""
) -> QuerySet[PublicDecision]:
    qs = PublicDecision.objects.filter(
        source_kind=kind, decided_on__gte=date_from, decided_on__lte=date_to
    ).only("public", "decided_on", "source_kind")
    if agency_public_id:
        qs = qs.filter(agency__public_id=agency_public_id)
    return qs.order_by("decided_on", "id")


def _value(key: str, public: dict) -> str:
    value = public.get(key, "")
    if key in ("fine_amount", "confiscation_amount"):
        return F.wan_yuan(value)
    if key == "current_status" and not value:
        return "有效"
    if isinstance(value, list):
        return "；".join(value)
    return "" if value is None else str(value)


def header(kind: str) -> list[str]:
    return [name for name, _key in F.COLUMNS[kind]]


def row(kind: str, public: dict) -> list[str]:
    """One decision's cells, each guarded against formula injection (sanxiang.exports)."""
    return safe_row(_value(key, public) for _name, key in F.COLUMNS[kind])


class _Echo:
    def write(self, value):
        return value


def csv_lines(kind: str, rows: QuerySet[PublicDecision]) -> Iterator[str]:
    """UTF-8 CSV with a BOM (so that Excel reads the Chinese headers), streamed."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header(kind))
    for decision in rows.iterator(chunk_size=2000):
        yield writer.writerow(row(kind, decision.public))


def xlsx_bytes(kind: str, rows: QuerySet[PublicDecision]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(F.SOURCE_KIND_LABELS[kind])
    sheet.append(header(kind))
    for count, decision in enumerate(rows.iterator(chunk_size=2000)):
        if count >= XLSX_MAX_ROWS:
            break
        sheet.append(row(kind, decision.public))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def atom_feed(*, base_url: str, items: list[PublicDecision]) -> str:
    feed = Atom1Feed(
        title="行政执法决定公示",
        link=base_url + "/decisions/",
        description="最新公示的行政执法决定（已去标识化；撤下的决定不再出现）",
        language="zh-hans",
        feed_url=base_url + "/decisions/feed.atom",
        feed_guid=base_url + "/decisions/feed.atom",
    )
    for decision in items:
        public = decision.public
        summary = public.get("penalty_content") or public.get("license_content") or public.get("result") or ""
        feed.add_item(
            title=f"{F.SOURCE_KIND_LABELS[decision.source_kind]} {decision.document_number} {decision.title}",
            link=f"{base_url}/decisions/{decision.public_id}/",
            description=f"{decision.agency_name}：{summary}",
            unique_id=f"urn:uuid:{decision.public_id}:v{decision.version}",
            updateddate=decision.updated_at,
            pubdate=decision.published_at,
            author_name=decision.agency_name,
        )
    return feed.writeString("utf-8")
