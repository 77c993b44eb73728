"""案卷 export for archiving: one PDF with the 卷宗封面, the 卷内文件目录 with page numbers, then every
issued document (with the party's signed scan after it) and every evidence file of the records, in the
order the case made them; and a manifest with each item's SM3, pages and ledger entry.

Order (组卷): the 全过程记录 order of the case — each item at the time its record was made, a document
after the record it was generated from (《松原市行政执法全过程记录实施办法》第三十二条 asks for the record to
be filed complete and in order; a jurisdiction-specific 组卷 order is not in the rules registry yet).
A document the party signs that has neither a signature nor a recorded refusal stops the export
(第十二条). Files that cannot be laid out as pages (video, audio) are listed with their hash only.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from sanxiang.cases import context as case_context
from sanxiang.cases.models import Case
from sanxiang.cases.services import can_act
from sanxiang.documents import kinds, render
from sanxiang.documents.context import chinese_date, context_for
from sanxiang.documents.models import CaseFile, IssuedDocument, PartySignature
from sanxiang.documents.services import JL12, template_in_force
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.ledger.models import Blob
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.verifier import sm3

PAGED_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_PAGED_BYTES = 200 * 1024 * 1024


@dataclass
class Item:
    title: str
    number: str
    on: dt.date
    kind: str  # document | signature | evidence
    sm3: str
    ledger_seq: int
    pdf: bytes | None = None
    pages: int = 0
    first_page: int = 0
    note: str = ""
    order: tuple = field(default_factory=tuple)


def _read(sm3_hex: str) -> bytes:
    with get_storage().open(sm3_hex) as handle:
        return handle.read()


def _as_pdf(data: bytes, media_type: str) -> tuple[bytes | None, int]:
    """(PDF bytes, pages) of a stored file, or (None, 0) when it cannot be laid out as pages."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if media_type == "application/pdf":
        if b"%%EOF" not in data[-2048:]:  # not a complete PDF (pypdf would only warn and guess)
            return None, 0
        try:
            return data, len(PdfReader(io.BytesIO(data)).pages)
        except (PdfReadError, ValueError, KeyError, OSError):
            return None, 0
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data)).convert("RGB")
    except (UnidentifiedImageError, OSError):
        return None, 0
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150)
    return out.getvalue(), 1


def _items(case: Case, view: Any) -> list[Item]:
    names = {k: s.name for k, s in view.defn.records().items()}
    out: list[Item] = []
    docs = [
        d
        for d in IssuedDocument.objects.filter(case=case)
        .select_related("record")
        .prefetch_related("signatures")
        if not d.superseded_by.exists()
    ]
    missing = [d for d in docs if kinds.TYPES[d.kind].party_signs and not d.signatures.all()]
    if missing:
        raise InvalidInput(
            [
                FieldError(
                    "documents",
                    "signature",
                    f"{d.title}{(' ' + d.number) if d.number else ''}: 尚无当事人签名，也未注明拒签情况，不能归入案卷（{JL12}）",
                )
                for d in missing
            ]
        )
    blobs = {b.sm3: b for b in Blob.objects.filter(sm3__in={h for r in view.records for h in r.blob_hashes})}
    for r in view.records:
        for position, digest in enumerate(r.blob_hashes):
            blob = blobs.get(digest)
            media = blob.media_type if blob else ""
            item = Item(
                title=f"{names.get(r.kind, r.kind)}{'（附件' + str(position + 1) + '）' if len(r.blob_hashes) > 1 else ''}",
                number=str(r.payload.get("document_number") or ""),
                on=timezone.localdate(r.made_at),
                kind="evidence",
                sm3=digest,
                ledger_seq=r.ledger_seq,
                order=(r.made_at, 0, r.pk, position),
            )
            if blob is not None and media in PAGED_TYPES and blob.size <= MAX_PAGED_BYTES:
                item.pdf, item.pages = _as_pdf(_read(digest), media)
            if item.pdf is None:
                item.note = (
                    "音像或其他电子文件，见存证"
                    if media.startswith(("video/", "audio/"))
                    else "电子文件，见存证"
                )
            out.append(item)
    for d in docs:
        made = d.record.made_at if d.record is not None else d.issued_at
        pdf = _read(d.pdf_sm3)
        out.append(
            Item(
                title=d.title,
                number=d.number,
                on=timezone.localdate(made),
                kind="document",
                sm3=d.pdf_sm3,
                ledger_seq=d.ledger_seq,
                pdf=pdf,
                pages=d.pages,
                order=(made, 1, d.pk, 0),
            )
        )
        for i, s in enumerate(d.signatures.all()):
            item = Item(
                title=f"{d.title}（{s.get_method_display()}）",
                number="",
                on=timezone.localdate(s.signed_at),
                kind="signature",
                sm3=s.blob_sm3,
                ledger_seq=s.ledger_seq,
                note=s.note if s.method == PartySignature.Method.REFUSED else "",
                order=(made, 2, d.pk, i),
            )
            if s.blob_sm3:
                blob = Blob.objects.filter(sm3=s.blob_sm3).first()
                item.pdf, item.pages = _as_pdf(_read(s.blob_sm3), blob.media_type if blob else "")
            out.append(item)
    out.sort(key=lambda i: i.order)
    return out


def _render_page(case: Case, kind: str, view: Any, extra: dict[str, Any]) -> bytes:
    dtype = kinds.TYPES[kind]
    context, source = context_for(case, dtype, view=view)
    context.update(extra)
    template = template_in_force(kind=kind, agency=case.agency, on=source.made_on)
    return render.to_pdf(render.render_docx(bytes(template.content), context))


@dataclass
class Export:
    case_file: CaseFile
    pdf: bytes
    manifest: bytes


def case_file_export(*, actor: Any, case: Case) -> Export:
    """Build, store and record the 案卷 PDF and its manifest."""
    from pypdf import PdfReader, PdfWriter

    if not can_act(actor, case):
        raise Forbidden("只有本案执法机关的执法人员或负责人可以导出案卷")
    view = case_context.load(case)
    items = _items(case, view)
    total_items = sum(i.pages for i in items)
    index_pages = 1
    while True:
        cover = _render_page(
            case, "case_cover", view, {"item_count": len(items), "page_count": total_items + 1 + index_pages}
        )
        cover_pages = render.page_count(cover)
        page = cover_pages + index_pages + 1
        rows = []
        for n, item in enumerate(items, start=1):
            item.first_page = page if item.pages else 0
            last = page + item.pages - 1
            rows.append(
                {
                    "seq": str(n),
                    "title": item.title,
                    "number": item.number or "—",
                    "date": item.on.strftime("%Y.%m.%d"),
                    "pages": (f"{page}" if item.pages == 1 else f"{page}-{last}") if item.pages else "—",
                }
            )
            page += item.pages
        index = _render_page(case, "case_index", view, {"items": rows})
        if render.page_count(index) == index_pages:
            break
        index_pages = render.page_count(index)
    writer = PdfWriter()
    for part in (cover, index, *(i.pdf for i in items if i.pdf)):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    now = timezone.now()
    manifest_body = {
        "case": case.number,
        "case_id": str(case.public_id),
        "agency": case.agency.name,
        "exported_at": ledger.iso_time(now),
        "pages": cover_pages + index_pages + total_items,
        "cover_sm3": sm3(cover).hex(),
        "index_sm3": sm3(index).hex(),
        "items": [
            {
                "seq": n,
                "title": i.title,
                "number": i.number,
                "kind": i.kind,
                "date": i.on.isoformat(),
                "sm3": i.sm3,
                "ledger_seq": i.ledger_seq,
                "first_page": i.first_page,
                "pages": i.pages,
                "note": i.note,
            }
            for n, i in enumerate(items, start=1)
        ],
    }
    manifest = json.dumps(manifest_body, ensure_ascii=False, indent=2).encode()
    with transaction.atomic():
        pdf_blob = blob_ingest(stream=io.BytesIO(pdf), media_type="application/pdf")
        manifest_blob = blob_ingest(stream=io.BytesIO(manifest), media_type="application/json")
        row = CaseFile(
            case=case,
            pdf_sm3=pdf_blob.sm3,
            manifest_sm3=manifest_blob.sm3,
            pages=manifest_body["pages"],
            items=len(items),
            made_by=actor,
            made_at=now,
            ledger_seq=0,
        )
        entry = ledger.record(
            kind="case_file.exported",
            subject=("case_file", str(row.public_id)),
            actor=actor,
            payload={
                "case": str(case.public_id),
                "pdf_sm3": pdf_blob.sm3,
                "manifest_sm3": manifest_blob.sm3,
                "pages": row.pages,
                "items": [{"sm3": i.sm3, "ledger_seq": i.ledger_seq} for i in items],
                "date": chinese_date(timezone.localdate(now)),
            },
            blobs=[pdf_blob, manifest_blob],
        )
        row.ledger_seq = entry.seq
        row.save()
    return Export(case_file=row, pdf=pdf, manifest=manifest)
