"""Reads: a case's documents (what can be generated from it, what was issued, what still needs the
party's signature), a document within the user's scope, and the public verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanxiang.cases import context as case_context
from sanxiang.cases import selectors as case_selectors
from sanxiang.cases.models import Case
from sanxiang.documents import kinds
from sanxiang.documents.context import available
from sanxiang.documents.models import AgencyKey, IssuedDocument, PartySignature
from sanxiang.errors import NotFound
from sanxiang.ledger.models import Entry, SigningKey
from sanxiang.ledger.verifier import ProofError, sm2_verify, sm3


@dataclass
class Row:
    dtype: kinds.DocumentType
    can_generate: bool
    issued: list[IssuedDocument] = field(default_factory=list)

    @property
    def current(self) -> IssuedDocument | None:
        return self.issued[-1] if self.issued else None


def case_documents(case: Case, view: Any = None) -> list[Row]:
    view = view or case_context.load(case)
    issued: dict[str, list[IssuedDocument]] = {}
    for doc in (
        IssuedDocument.objects.filter(case=case).prefetch_related("signatures").order_by("issued_at", "pk")
    ):
        issued.setdefault(doc.kind, []).append(doc)
    rows = []
    for dtype in kinds.TYPES.values():
        if dtype.case_file:
            continue
        can = available(case, view, dtype)
        if can or dtype.key in issued:
            rows.append(Row(dtype=dtype, can_generate=can, issued=issued.get(dtype.key, [])))
    return rows


def document_for(user: Any, public_id: Any) -> IssuedDocument:
    doc = IssuedDocument.objects.select_related("case", "case__agency").filter(public_id=public_id).first()
    if doc is None:
        raise NotFound("document")
    case_selectors.case_for(user, doc.case.public_id)  # NotFound outside the user's scope
    return doc


def signature_state(doc: IssuedDocument) -> str:
    if not kinds.TYPES[doc.kind].party_signs:
        return ""
    sigs = list(doc.signatures.all())
    if not sigs:
        return "待当事人签名"
    last = sigs[-1]
    return "当事人拒绝签名（已注明情况）" if last.method == PartySignature.Method.REFUSED else "已签名"


@dataclass
class Check:
    document: IssuedDocument | None
    uploaded_sm3: str = ""
    matches: str = ""  # "pdf" | "docx" | "" (no upload, or not the issued file)
    signature_ok: bool = False
    entry: Entry | None = None
    entry_ok: bool = False
    superseded: bool = False
    public_key: str = ""  # the key the signature is checked against: the agency's (or, for documents
    platform_key: bool = False  # issued before agencies had keys, the platform's checkpoint key)


def signer_key(doc: IssuedDocument) -> tuple[str, bool]:
    """(public key hex, is the platform's): the issuing agency's registered key that ``doc`` names;
    a document issued before agencies had keys was signed with the platform's checkpoint key."""
    own = (
        AgencyKey.objects.filter(key_id=doc.key_id, agency_id=doc.case.agency_id)
        .values_list("public_key", flat=True)
        .first()
    )
    if own:
        return own, False
    platform = SigningKey.objects.filter(key_id=doc.key_id).values_list("public_key", flat=True).first()
    return (platform or ""), bool(platform)


def agency_public_keys(agency: Any) -> list[AgencyKey]:
    return list(AgencyKey.objects.filter(agency=agency).order_by("created_at", "pk"))


def _issued(code: str) -> IssuedDocument | None:
    """The issued document of a 核验码 as printed (case and spaces do not matter)."""
    return (
        IssuedDocument.objects.select_related("case__agency")
        .filter(code=(code or "").strip().upper())
        .first()
    )


def verify(code: str, content: bytes | None = None) -> Check:
    """Is ``code`` an issued document; is its signature good; is ``content`` (an uploaded file) the
    issued PDF or DOCX? The signature is checked against the issuing agency's registered public key
    (:func:`signer_key`), which the ledger entry must name."""
    doc = _issued(code)
    result = Check(document=doc)
    if doc is None:
        return result
    result.superseded = doc.superseded_by.exists()
    entry = Entry.objects.filter(seq=doc.ledger_seq).first()
    result.entry = entry
    payload = entry.fields.get("payload", {}) if entry is not None else {}
    result.entry_ok = payload.get("pdf_sm3") == doc.pdf_sm3 and payload.get("signature") == doc.signature
    result.public_key, result.platform_key = signer_key(doc)
    try:
        # against the key registered for the issuing agency, not whatever key the entry names
        if not result.public_key or payload.get("public_key") != result.public_key:
            raise ProofError("the entry's key is not the issuing agency's")
        sm2_verify(result.public_key, bytes.fromhex(doc.pdf_sm3), doc.signature)
        result.signature_ok = result.entry_ok
    except (ProofError, ValueError):
        result.signature_ok = False
    if content is not None:
        digest = sm3(content).hex()
        result.uploaded_sm3 = digest
        result.matches = "pdf" if digest == doc.pdf_sm3 else "docx" if digest == doc.docx_sm3 else ""
    return result


@dataclass
class Progress:
    case: Any
    stage_name: str
    stage_since: Any
    deadlines: list
    decided: bool
    steps: list[tuple[str, Any]]


def application_progress(number: str, code: str) -> Progress | None:
    """办理进度查询 (《松原市行政执法公示办法》第十五条): the application's 申请编号 (its 案号) and the 核验码
    of a document the applicant was given (the 受理通知书). Both must match; nothing else is shown
    about other cases, and the answer names no person."""
    number, code = (number or "").strip(), (code or "").strip().upper()
    if not number or not code:
        return None
    doc = IssuedDocument.objects.select_related("case__agency").filter(code=code, case__number=number).first()
    if doc is None:
        return None
    case = doc.case
    view = case_context.load(case)
    from sanxiang.cases.models import CaseDeadline

    names = {s.key: s.name for s in view.defn.stages}
    steps = [(names.get(e.to_stage, e.to_stage), e.at) for e in view.events_rows if e.to_stage]
    return Progress(
        case=case,
        stage_name=names.get(case.stage, case.stage),
        stage_since=case.stage_changed_at,
        deadlines=list(CaseDeadline.objects.filter(case=case).order_by("due_date")),
        decided=case.decisions.exists(),
        steps=steps,
    )


DOCUMENT_README = """
本包为一份执法文书的存证包 / the proof bundle of one issued 执法文书:
document_key.hex  签发机关的文书签名公钥（SM2），与公示平台该机关页面所列公钥一致
blobs/<sm3>       签发的原件（PDF 与 DOCX），其 SM3 即 entry.json 中的 pdf_sm3、docx_sm3

核验文书 / check the document (its entry, the tree head, the inclusion proof and the agency's signature
over the PDF's SM3):
    python verifier.py . --document-key document_key.hex
"""


@dataclass
class Bundle:
    document: IssuedDocument
    content: bytes = b""
    problem: str = ""  # why there is no bundle yet (Chinese, for the page)

    @property
    def filename(self) -> str:
        return f"存证包-{self.document.number or self.document.code}.zip"


def document_bundle(code: str) -> Bundle | None:
    """The proof bundle of the issued document ``code`` as a ZIP (what its holder — the party, a court
    — checks offline with the standalone verifier): its ledger entry with the PDF and DOCX, the
    inclusion proof in the latest signed tree head, that tree head, the platform key and the issuing
    agency's document key. ``None``: no such document. Reads only: until a tree head covers the
    entry (they are signed every few minutes), ``problem`` says so."""
    from sanxiang.ledger import bundle, services

    doc = _issued(code)
    if doc is None:
        return None
    entry = Entry.objects.filter(seq=doc.ledger_seq).first()
    checkpoint = services.latest_checkpoint()
    if entry is None or checkpoint is None or checkpoint.size <= doc.ledger_seq:
        return Bundle(doc, problem="该文书的存证记录尚未纳入签名树头，请几分钟后再下载")
    public_key, _platform = signer_key(doc)
    files = bundle.bundle_files(
        entry,
        checkpoint,
        extra={
            "document_key.hex": public_key.encode(),
            "README.txt": (bundle.README + DOCUMENT_README).encode(),
        },
    )
    return Bundle(doc, bundle.bundle_zip(files, folder=f"存证包-{doc.code}"))
