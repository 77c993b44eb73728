"""Writes of the documents app: a template version, an issued document, a party's signature.

Issuing renders the DOCX from the case, converts it to PDF (outside the transaction: LibreOffice takes
a second), then in one transaction stores both files as ledger blobs, signs the PDF's SM3 digest with
the issuing agency's own SM2 key (:func:`agency_key`) and records the document in the ledger (``document.issued``), whose entry
names both blobs. The verify page and the standalone verifier check the file against that entry.
"""

from __future__ import annotations

import datetime as dt
import io
import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import context as case_context
from sanxiang.cases.models import Case
from sanxiang.cases.services import can_act
from sanxiang.documents import kinds, render, shipped
from sanxiang.documents.context import Source, context_for
from sanxiang.documents.models import AgencyKey, DocumentTemplate, IssuedDocument, PartySignature
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.ledger import signing
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.ledger.verifier import sm3

JL12 = "《松原市行政执法全过程记录实施办法》第十二条"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed from paper


def _check_kind(kind: str) -> kinds.DocumentType:
    if kind not in kinds.TYPES:
        raise InvalidInput([FieldError("kind", "choice", f"文书种类: 不支持“{kind}”")])
    return kinds.TYPES[kind]


# ---------------------------------------------------------------- templates


DEFAULT_EFFECTIVE_FROM = dt.date(
    2021, 7, 15
)  # 国市监法发〔2021〕42号 formats, in force with 行政处罚法 (2021)
DEFAULT_NOTE = "平台默认模板（国市监法发〔2021〕42号 文书格式）"


def template_in_force(*, kind: str, agency: Any, on: dt.date) -> DocumentTemplate:
    """The agency's own latest version effective on ``on``, else the platform default's latest
    version, else — no version stored yet — the shipped file as an unsaved version 1 (a read writes
    nothing: issuing stores it, :func:`template_stored`)."""
    dtype = _check_kind(kind)
    found = (
        DocumentTemplate.objects.filter(kind=kind, agency=agency, effective_from__lte=on)
        .order_by("-version")
        .first()
        or DocumentTemplate.objects.filter(kind=kind, agency__isnull=True, effective_from__lte=on)
        .order_by("-version")
        .first()
    )
    if found is not None:
        return found
    content = shipped.path_of(kind).read_bytes()
    return DocumentTemplate(
        kind=kind,
        agency=None,
        version=1,
        name=dtype.title,
        content=content,
        sm3=sm3(content).hex(),
        effective_from=DEFAULT_EFFECTIVE_FROM,
        note=DEFAULT_NOTE,
    )


def template_stored(template: DocumentTemplate) -> DocumentTemplate:
    """``template`` as a stored row: the shipped default is written (and recorded) the first time a
    document is issued from it."""
    if template.pk is not None:
        return template
    stored = DocumentTemplate.objects.filter(
        kind=template.kind, agency__isnull=True, sm3=template.sm3
    ).first()
    return stored or template_add(
        actor=None,
        kind=template.kind,
        agency=None,
        content=bytes(template.content),
        name=template.name,
        effective_from=template.effective_from,
        note=template.note,
    )


def template_add(
    *,
    actor: Any,
    kind: str,
    agency: Any,
    content: bytes,
    name: str = "",
    effective_from: dt.date | None = None,
    note: str = "",
) -> DocumentTemplate:
    """A new version of a template (an agency's, or with ``agency=None`` the default). Refused when the
    file is not a DOCX or uses a placeholder the document type does not supply."""
    dtype = _check_kind(kind)
    if actor is not None and (agency is None or not may_manage_templates(actor, agency)):
        raise Forbidden("只有本机关执法人员或负责人可以上传本机关的文书模板")
    try:
        names = render.undeclared(content)
    except Exception as exc:  # docxtpl raises zipfile, lxml and jinja2 errors alike
        raise InvalidInput(
            [FieldError("content", "docx", f"模板文件: 不是可用的 DOCX 模板（{type(exc).__name__}）")]
        ) from exc
    unknown = sorted(names - supplied_names(kind))
    if unknown:
        raise InvalidInput(
            [
                FieldError(
                    "content",
                    "placeholder",
                    f"模板文件: {dtype.title}不提供占位符 {'、'.join(unknown)}（可用：{'、'.join(sorted(supplied_names(kind)))}）",
                )
            ]
        )
    now = timezone.now()
    with transaction.atomic():
        last = DocumentTemplate.objects.filter(kind=kind, agency=agency).aggregate(v=Max("version"))["v"] or 0
        digest = sm3(content).hex()
        row = DocumentTemplate(
            kind=kind,
            agency=agency,
            version=last + 1,
            name=name or dtype.title,
            content=content,
            sm3=digest,
            effective_from=effective_from or timezone.localdate(now),
            note=note,
            made_by=actor,
            made_at=now,
            ledger_seq=0,
        )
        entry = ledger.record(
            kind="document.template",
            subject=("document_template", f"{kind}/{getattr(agency, 'public_id', 'default')}/{last + 1}"),
            actor=actor or "system:documents",
            payload={
                "kind": kind,
                "agency": str(agency.public_id) if agency is not None else "",
                "version": last + 1,
                "sm3": digest,
                "effective_from": row.effective_from.isoformat(),
            },
        )
        row.ledger_seq = entry.seq
        row.save()
    return row


def may_manage_templates(actor: Any, agency: Any) -> bool:
    """An agency's head or officer adjusts its own templates (a new version, never an edit)."""
    from sanxiang.cases.services import WRITE_ROLES

    return (
        getattr(actor, "is_authenticated", False)
        and actor.agency_id == agency.pk
        and any(actor.has_role(r) for r in WRITE_ROLES)
    )


def supplied_names(kind: str) -> set[str]:
    """Every placeholder name the context of ``kind`` supplies (the templates may use any of them)."""

    base = {
        "agency_name",
        "agency_phone",
        "agency_address",
        "title",
        "number",
        "case_number",
        "case_title",
        "party_names",
        "party_lines",
        "officers_text",
        "date_text",
        "qr",
        "code",
        "verify_url",
    }
    from sanxiang.documents.record_context import RECORD_NAMES

    return base | set(_KIND_NAMES.get(kind, ())) | set(RECORD_NAMES.get(kind, ()))


_KIND_NAMES = {
    "penalty_decision": (
        "intro",
        "facts",
        "evidence",
        "discretion_text",
        "basis",
        "penalty_text",
        "payment_text",
        "remedy_text",
    ),
    "no_penalty_decision": ("intro", "facts", "evidence", "reason_text", "basis", "remedy_text"),
    "on_spot_decision": (
        "intro",
        "facts",
        "evidence",
        "discretion_text",
        "basis",
        "penalty_text",
        "payment_text",
        "remedy_text",
    ),
    "penalty_notice": ("notice_text", "rights_text"),
    "service_receipt": ("served_document", "service_place", "service_method", "witness", "remark"),
    "case_cover": ("procedure_name", "opened_text", "closed_text", "item_count", "page_count"),
    "case_index": ("items",),
    "acceptance_notice": ("acceptance_text", "limit_text", "progress_text"),
    "review_opinion": (
        "office_name",
        "review_intro",
        "outcome_text",
        "reasons",
        "checklist_text",
        "reviewers_text",
    ),
}


# ---------------------------------------------------------------- the agencies' signing keys


def agency_key_file(agency: Any) -> signing.SigningKey:
    """The agency's SM2 document-signing key, generated the first time it is needed: a private key
    file of its own (mode 0600) under ``SANXIANG_DOCUMENT_KEY_DIR``. The private key is read only
    here, to sign; pages, the API and the database see its public key only (:class:`AgencyKey`)."""
    return signing.load_or_create_key(_agency_key_path(agency))


def _agency_key_path(agency: Any):
    return settings.SANXIANG_DOCUMENT_KEY_DIR / f"{agency.public_id}.key"


def agency_key_register(*, agency: Any, key: signing.SigningKey) -> AgencyKey:
    """The public-key row of ``key`` for ``agency``: written and recorded in the ledger
    (``document.agency_key``) the first time the key signs, so that the public key every later
    document is checked against is fixed before it is used."""
    found = AgencyKey.objects.filter(key_id=key.key_id).first()
    if found is not None:
        if found.agency_id != agency.pk:
            raise Forbidden("签名密钥不属于本机关")
        return found
    now = timezone.now()
    try:
        with transaction.atomic():
            return _agency_key_create(agency, key, now)
    except IntegrityError:  # another process registered it meanwhile
        return AgencyKey.objects.get(key_id=key.key_id, agency=agency)


def _agency_key_create(agency: Any, key: signing.SigningKey, now: dt.datetime) -> AgencyKey:
    entry = ledger.record(
        kind="document.agency_key",
        subject=("agency_key", key.key_id),
        actor="system:documents",
        payload={
            "agency": str(agency.public_id),
            "agency_name": agency.name,
            "key_id": key.key_id,
            "public_key": key.public_hex,
        },
    )
    return AgencyKey.objects.create(
        agency=agency, key_id=key.key_id, public_key=key.public_hex, created_at=now, ledger_seq=entry.seq
    )


def agency_key(agency: Any) -> AgencyKey:
    """The agency's current public key row, its key generated and registered when first needed."""
    return agency_key_register(agency=agency, key=agency_key_file(agency))


KEY_ROTATION_KIND = "document.agency_key_rotated"


def agency_key_rotate(
    *, agency: Any, reason: str, new: signing.SigningKey | None = None, actor: Any = "system:key-rotation"
) -> AgencyKey:
    """Hand the agency's document signing to a new SM2 key: ``new`` (a key the agency holds, e.g. its
    电子签章 key from a CA, read from a file) or one generated here. One ledger entry
    (``document.agency_key_rotated``) records the statement {agency, both keys, reason, time}, signed by
    the previous key (it authorises the change) and by the new one (it accepts it); the new key's
    row is written in the same transaction; then the new key replaces the agency's key file (the old
    file is kept beside it, ``…retired-<key id>``). Documents already issued keep naming the key that
    signed them and verify against its row, which stays."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            [FieldError("reason", "required", "更换理由: 必须填写（例如密钥泄露、人员变动、启用电子签章）")]
        )
    path = _agency_key_path(agency)
    new = new or signing.generate_key()
    previous = signing.load_key(path) if path.exists() else None
    if previous is not None and new.key_id == previous.key_id:
        raise InvalidInput([FieldError("key", "different", "新密钥: 与本机关当前的签名密钥相同")])
    if AgencyKey.objects.filter(key_id=new.key_id).exists():
        raise InvalidInput([FieldError("key", "unique", "新密钥: 已登记过，不能再次启用")])
    if previous is None:  # the agency has signed nothing yet: its first key is simply installed
        with transaction.atomic():
            row = _agency_key_create(agency, new, timezone.now())
        signing.install_key_file(path, new, retired=None)
        return row
    statement = {
        "agency": str(agency.public_id),
        "agency_name": agency.name,
        "previous_key_id": previous.key_id,
        "previous_public_key": previous.public_hex,
        "key_id": new.key_id,
        "public_key": new.public_hex,
        "reason": reason,
        "time": timezone.now().isoformat(),
    }
    message = ledger.canonical(statement, field_name="statement")
    with transaction.atomic():
        agency_key_register(agency=agency, key=previous)  # a key that never signed is registered first
        entry = ledger.record(
            kind=KEY_ROTATION_KIND,
            subject=("agency_key", new.key_id),
            actor=actor,
            payload={
                "statement": statement,
                "previous_signature": previous.sign(message),
                "signature": new.sign(message),
            },
        )
        row = AgencyKey.objects.create(
            agency=agency,
            key_id=new.key_id,
            public_key=new.public_hex,
            created_at=timezone.now(),
            ledger_seq=entry.seq,
        )
    signing.install_key_file(path, new, retired=previous)
    return row


# ---------------------------------------------------------------- rendering and issuing


def verify_url(code: str) -> str:
    return f"{settings.SANXIANG_PUBLIC_URL}{reverse('documents:verify')}?{urlencode({'code': code})}"


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not IssuedDocument.objects.filter(code=code).exists():
            return code


def document_render(
    *, case: Case, kind: str, code: str = "", view: Any = None
) -> tuple[bytes, dict, Source, DocumentTemplate]:
    """(DOCX bytes, context, source, template) of ``kind`` for ``case``, not stored (the preview)."""
    dtype = _check_kind(kind)
    view = view or case_context.load(case)
    context, source = context_for(case, dtype, view=view)
    template = template_in_force(kind=kind, agency=case.agency, on=source.made_on)
    context["code"] = code or "（生成后显示）"
    context["verify_url"] = verify_url(code) if code else ""
    docx = render.render_docx(bytes(template.content), context, qr_text=verify_url(code or "PREVIEW"))
    return docx, context, source, template


def document_issue(*, actor: Any, case: Case, kind: str) -> IssuedDocument:
    """Generate ``kind`` from ``case``, store it and sign it. A second issue of the same kind from
    the same record supersedes the first (both stay)."""
    dtype = _check_kind(kind)
    if not can_act(actor, case):
        raise Forbidden("只有本案执法机关的执法人员或负责人可以生成文书")
    code = _new_code()
    docx, context, source, template = document_render(case=case, kind=kind, code=code)
    pdf = render.to_pdf(docx)
    digest = sm3(pdf)
    key = agency_key_file(case.agency)
    signature = key.sign(digest)
    previous = (
        IssuedDocument.objects.filter(case=case, kind=kind, record=source.record)
        .order_by("-issued_at", "-pk")
        .first()
    )
    with transaction.atomic():
        agency_key_register(agency=case.agency, key=key)
        template = template_stored(template)
        pdf_blob = blob_ingest(stream=io.BytesIO(pdf), media_type="application/pdf")
        docx_blob = blob_ingest(
            stream=io.BytesIO(docx),
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        doc = IssuedDocument(
            case=case,
            kind=kind,
            title=dtype.title,
            number=context["number"],
            code=code,
            record=source.record,
            template=template,
            pdf_sm3=pdf_blob.sm3,
            docx_sm3=docx_blob.sm3,
            pages=render.page_count(pdf),
            signature=signature,
            key_id=key.key_id,
            supersedes=previous,
            issued_by=actor,
            issued_at=timezone.now(),
            ledger_seq=0,
        )
        entry = ledger.record(
            kind="document.issued",
            subject=("document", str(doc.public_id)),
            actor=actor,
            payload={
                "case": str(case.public_id),
                "kind": kind,
                "number": doc.number,
                "code": code,
                "record": str(source.record.public_id) if source.record else "",
                "template_sm3": template.sm3,
                "pdf_sm3": pdf_blob.sm3,
                "docx_sm3": docx_blob.sm3,
                "signature": signature,
                "key_id": key.key_id,
                "public_key": key.public_hex,
                "supersedes": str(previous.public_id) if previous else "",
            },
            blobs=[pdf_blob, docx_blob],
        )
        doc.ledger_seq = entry.seq
        doc.save()
    return doc


# ---------------------------------------------------------------- signatures of parties

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_SIGNATURE_BYTES = 20 * 1024 * 1024
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


def signature_add(
    *,
    actor: Any,
    document: IssuedDocument,
    method: str,
    signer: str,
    content: bytes = b"",
    media_type: str = "",
    signed_at: dt.datetime | None = None,
    note: str = "",
) -> PartySignature:
    """Attach the party's signature to ``document``: the scan of the signed paper, the image of a
    handwritten signature captured in the browser, or the recorded refusal with what happened
    (《松原市行政执法全过程记录实施办法》第十二条: 当事人拒绝签名的，执法人员应当注明情况)."""
    if not can_act(actor, document.case):
        raise Forbidden("只有本案执法机关的执法人员或负责人可以录入签名")
    errors: list[FieldError] = []
    if method not in PartySignature.Method.values:
        errors.append(FieldError("method", "choice", "签名方式: 应为纸质签名扫描件、电子手写签名或拒绝签名"))
    if not signer.strip():
        errors.append(FieldError("signer", "required", f"签名人: 必须填写签名人或拒签人的姓名（{JL12}）"))
    if method == PartySignature.Method.REFUSED:
        if not note.strip():
            errors.append(
                FieldError("note", "required", f"拒签情况: 当事人拒绝签名的，应当注明情况（{JL12}）")
            )
    elif method in (PartySignature.Method.SCAN, PartySignature.Method.HANDWRITTEN):
        if not content:
            label = "签名扫描件" if method == PartySignature.Method.SCAN else "手写签名"
            errors.append(FieldError("content", "required", f"{label}: 必须上传（{JL12}）"))
        elif len(content) > MAX_SIGNATURE_BYTES:
            errors.append(FieldError("content", "size", "签名文件: 不得超过 20 MB"))
        elif method == PartySignature.Method.HANDWRITTEN and not content.startswith(b"\x89PNG"):
            errors.append(FieldError("content", "png", "手写签名: 应为签名板生成的 PNG 图像"))
        elif method == PartySignature.Method.SCAN and media_type not in SCAN_TYPES:
            errors.append(FieldError("content", "type", "签名扫描件: 应为 PDF、JPEG 或 PNG 文件"))
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    with transaction.atomic():
        blob_sm3 = ""
        if content:
            blob = blob_ingest(stream=io.BytesIO(content), media_type=media_type or "image/png", actor=actor)
            blob_sm3 = blob.sm3
        row = PartySignature(
            document=document,
            method=method,
            signer=signer.strip()[:100],
            blob_sm3=blob_sm3,
            signed_at=signed_at or now,
            note=note.strip(),
            made_by=actor,
            made_at=now,
            ledger_seq=0,
        )
        entry = ledger.record(
            kind="document.signed",
            subject=("document_signature", str(row.public_id)),
            actor=actor,
            payload={
                "document": str(document.public_id),
                "document_pdf_sm3": document.pdf_sm3,
                "method": method,
                "signer": row.signer,
                "signed_at": ledger.iso_time(row.signed_at),
                "note": row.note,
            },
            blobs=[blob_sm3] if blob_sm3 else [],
        )
        row.ledger_seq = entry.seq
        row.save()
    return row


def signature_missing(document: IssuedDocument) -> bool:
    """A document the party signs is complete only with a signature or a recorded refusal (第十二条)."""
    return kinds.TYPES[document.kind].party_signs and not document.signatures.exists()
