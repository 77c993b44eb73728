"""执法文书: templates as versioned rows, each issued document as a row pointing at its stored files
(ledger blobs) with its SM2 signature, and the parties' signatures on it.

Every table here is append-only (``APPEND_ONLY_TABLES``): a new template version is a new row, a
re-issued document is a new row whose ``supersedes`` names the old one, and a signature is a row
pointing at the document it signs.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentTemplate(models.Model):
    """One version of the template of a document type: a DOCX with docxtpl placeholders.

    ``agency`` empty: the platform's default, shipped in ``sanxiang/documents/docx/``; an agency's
    row overrides it for that agency (its latest version effective on the day wins)."""

    kind = models.CharField(_("文书种类"), max_length=40)
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("模板名称"), max_length=100)
    content = models.BinaryField(_("模板文件（DOCX）"))
    sm3 = models.CharField(_("模板 SM3"), max_length=64)
    effective_from = models.DateField(_("启用日期"))
    note = models.TextField(_("修订说明"), blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("上传时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "agency", "version"], name="documents_template_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} 第{self.version}版"


class IssuedDocument(models.Model):
    """A document generated from a case and issued: its PDF (the original) and DOCX are ledger blobs;
    ``signature`` is the SM2 signature (r||s, hex) of ``key_id`` over the PDF's SM3 digest."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=40)
    title = models.CharField(_("文书名称"), max_length=100)
    number = models.CharField(_("文书编号"), max_length=200, blank=True)
    code = models.CharField(_("核验码"), max_length=16, unique=True)
    record = models.ForeignKey(
        "cases.CaseRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    template = models.ForeignKey(DocumentTemplate, on_delete=models.PROTECT, related_name="+")
    pdf_sm3 = models.CharField(_("PDF SM3"), max_length=64)
    docx_sm3 = models.CharField(_("DOCX SM3"), max_length=64)
    pages = models.PositiveIntegerField(_("页数"))
    signature = models.CharField(_("SM2 签名"), max_length=128)
    key_id = models.CharField(_("签名密钥"), max_length=64)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("生成时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["issued_at", "pk"]
        indexes = [models.Index(fields=["case", "kind"], name="documents_issued_case_kind")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class PartySignature(models.Model):
    """The party's (or witness's) signature on an issued document: a scan of the signed paper, a
    handwritten signature captured in the browser, or the recorded refusal to sign
    (《松原市行政执法全过程记录实施办法》第十二条)."""

    class Method(models.TextChoices):
        SCAN = "scan", _("纸质签名扫描件")
        HANDWRITTEN = "handwritten", _("电子手写签名")
        REFUSED = "refused", _("拒绝签名")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="signatures")
    method = models.CharField(_("签名方式"), max_length=16, choices=Method.choices)
    signer = models.CharField(_("签名人"), max_length=100)
    blob_sm3 = models.CharField(_("签名文件 SM3"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("签名时间"))
    note = models.TextField(_("说明"), blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("录入时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("当事人签名")
        verbose_name_plural = _("当事人签名")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signer} {self.get_method_display()}"


class CaseFile(models.Model):
    """An export of the 案卷 for archiving: one PDF (卷宗封面, 卷内文件目录, the documents and the evidence in
    order) and its manifest (each item's SM3, pages and ledger entry), both ledger blobs."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="case_files")
    pdf_sm3 = models.CharField(_("案卷 PDF SM3"), max_length=64)
    manifest_sm3 = models.CharField(_("清单 SM3"), max_length=64)
    pages = models.PositiveIntegerField(_("页数"))
    items = models.PositiveIntegerField(_("卷内文件数"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("导出时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("案卷导出")
        verbose_name_plural = _("案卷导出")
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.made_at:%Y-%m-%d}"


class AgencyKey(models.Model):
    """The public half of an agency's SM2 document-signing key (its private half is a file under
    ``SANXIANG_DOCUMENT_KEY_DIR`` and never enters the database, a page or the API). ``key_id`` is
    SM3(04||x||y); a replaced key is a new row, the old one stays to verify what it signed."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(_("密钥编号"), max_length=64, unique=True)
    public_key = models.CharField(_("SM2 公钥"), max_length=130)
    created_at = models.DateTimeField(_("生成时间"))
    ledger_seq = models.BigIntegerField(_("记录序号"))

    class Meta:
        verbose_name = _("文书签名公钥")
        verbose_name_plural = _("文书签名公钥")
        ordering = ["agency", "created_at", "pk"]

    def __str__(self) -> str:
        return self.key_id[:16]


APPEND_ONLY_TABLES = (
    "documents_agencykey",
    "documents_documenttemplate",
    "documents_issueddocument",
    "documents_partysignature",
    "documents_casefile",
)
