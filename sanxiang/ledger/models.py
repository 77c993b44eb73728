"""The ledger's tables.

``Entry``, ``Node``, ``Blob``, ``EntryBlob``, ``Checkpoint`` and ``SigningKey`` are append-only: the
database refuses UPDATE, DELETE and TRUNCATE on them (triggers, see :mod:`sanxiang.ledger.immutability`).
``UploadSession`` is working state for resumable uploads, not a record, and may change.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One leaf of the log. ``body`` is the canonical JSON (RFC 8785) that the leaf hash commits to;
    the other columns are copies of its fields for queries, checked against it by ``sanxiang verify``."""

    seq = models.BigIntegerField(_("序号"), primary_key=True)
    body = models.TextField(_("记录正文（规范化JSON）"))
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=32)
    kind = models.CharField(_("类型"), max_length=100, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=100)
    subject_id = models.CharField(_("对象标识"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    agency = models.ForeignKey(
        "registry.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("执法主体"),
    )
    recorded_at = models.DateTimeField(_("记录时间"))
    corrects = models.BigIntegerField(_("更正的记录"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("记录")
        verbose_name_plural = _("记录")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="ledger_entry_subject")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"

    @property
    def fields(self) -> dict:
        return json.loads(self.body)


class Node(models.Model):
    """Cached hash of a complete perfect subtree of level >= 1 (leaves are ``Entry.leaf_hash``).

    ``flat`` numbers the subtree (level L, index i) in-order: ``i * 2^(L+1) + 2^L - 1``."""

    flat = models.BigIntegerField(primary_key=True, verbose_name=_("扁平序号"))
    hash = models.BinaryField(max_length=32, verbose_name=_("节点哈希"))

    class Meta:
        verbose_name = _("默克尔树节点")
        verbose_name_plural = _("默克尔树节点")

    def __str__(self) -> str:
        return f"节点 {self.flat}"

    @staticmethod
    def flat_index(level: int, index: int) -> int:
        return (index << (level + 1)) + (1 << level) - 1


class Blob(models.Model):
    """Recorded material (a scan, photo, recording …), stored once by content under its SM3 hash."""

    sm3 = models.CharField(_("SM3"), max_length=64, primary_key=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.BigIntegerField(_("字节数"))
    media_type = models.CharField(_("媒体类型"), max_length=100, blank=True)
    metadata = models.JSONField(_("技术元数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("存储时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("存证文件")
        verbose_name_plural = _("存证文件")

    def __str__(self) -> str:
        return f"{self.sm3[:16]}… ({self.size} B)"

    def reference(self) -> dict:
        """What an entry body records about the blob."""
        return {"sm3": self.sm3, "sha256": self.sha256, "size": self.size, "media_type": self.media_type}


class EntryBlob(models.Model):
    """Which entries name which blobs (the body is authoritative; this is the index)."""

    entry = models.ForeignKey(
        Entry, on_delete=models.PROTECT, related_name="blob_links", verbose_name=_("记录")
    )
    blob = models.ForeignKey(
        Blob, on_delete=models.PROTECT, related_name="entry_links", verbose_name=_("存证文件")
    )

    class Meta:
        verbose_name = _("记录关联文件")
        verbose_name_plural = _("记录关联文件")
        constraints = [models.UniqueConstraint(fields=["entry", "blob"], name="ledger_entryblob_unique")]

    def __str__(self) -> str:
        return f"#{self.entry_id} → {self.blob_id[:16]}…"


class SigningKey(models.Model):
    """A public key that has signed checkpoints. ``key_id`` is SM3(04||x||y)."""

    key_id = models.CharField(max_length=64, primary_key=True, verbose_name=_("密钥编号"))
    public_key = models.CharField(_("公钥（04||x||y）"), max_length=130)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))

    class Meta:
        verbose_name = _("签名公钥")
        verbose_name_plural = _("签名公钥")

    def __str__(self) -> str:
        return self.key_id[:16]


class Checkpoint(models.Model):
    """A signed tree head: the log had ``size`` entries with ``root`` at ``time`` (SM2 signature)."""

    size = models.BigIntegerField(_("记录数"), primary_key=True)
    root = models.CharField(_("根哈希"), max_length=64)
    body = models.TextField(_("签名正文（规范化JSON）"))
    signature = models.CharField(_("SM2签名 r||s"), max_length=128)
    key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, related_name="checkpoints", verbose_name=_("签名密钥")
    )
    created_at = models.DateTimeField(_("签发时间"))
    # The same tree head as a C2SP checkpoint note (origin, size, base64 root), signed by the same key
    # (sanxiang.ledger.notes): what witnesses fetch and co-sign. Empty for checkpoints signed before.
    note_signature = models.CharField(_("签名树头文本的SM2签名"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("签名树头")
        verbose_name_plural = _("签名树头")
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"签名树头 {self.size} {self.root[:16]}…"


class Witness(models.Model):
    """A separate party (the supervising 司法局, an archive, a court) whose cosignatures the log accepts:
    its name (a schema-less URL, as in C2SP signed-note) and SM2 public key."""

    name = models.CharField(_("见证方名称"), max_length=200, unique=True)
    public_key = models.CharField(_("公钥（04||x||y）"), max_length=130)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("见证方")
        verbose_name_plural = _("见证方")

    def __str__(self) -> str:
        return self.name


class Cosignature(models.Model):
    """A witness's statement that it checked this checkpoint consistent with every earlier one it saw
    (C2SP tlog-cosignature, SM2): the signature line exactly as the witness sent it."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("签名树头")
    )
    witness = models.ForeignKey(
        Witness, on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("见证方")
    )
    timestamp = models.BigIntegerField(_("见证时间（POSIX秒）"))
    line = models.TextField(_("签名行"))
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("见证签名")
        verbose_name_plural = _("见证签名")
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness"], name="ledger_cosignature_unique")
        ]

    def __str__(self) -> str:
        return f"{self.witness_id} @ {self.checkpoint_id}"


APPEND_ONLY_TABLES = (
    "ledger_entry",
    "ledger_node",
    "ledger_blob",
    "ledger_entryblob",
    "ledger_signingkey",
    "ledger_checkpoint",
    "ledger_witness",
    "ledger_cosignature",
)


class UploadSession(models.Model):
    """A resumable upload in progress. Its bytes are staged outside the content-addressed store and
    become reachable only when complete and matching the expected hash."""

    class Status(models.TextChoices):
        OPEN = "open", _("上传中")
        COMPLETE = "complete", _("已完成")
        FAILED = "failed", _("已失败")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("公开编号"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    idempotency_key = models.CharField(max_length=100, blank=True, verbose_name=_("幂等键"))
    expected_sm3 = models.CharField(max_length=64, blank=True, verbose_name=_("预期 SM3"))
    expected_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("预期 SHA-256"))
    expected_size = models.BigIntegerField(null=True, blank=True, verbose_name=_("预期大小（字节）"))
    media_type = models.CharField(max_length=100, blank=True, verbose_name=_("媒体类型"))
    filename = models.CharField(max_length=255, blank=True, verbose_name=_("文件名"))
    offset = models.BigIntegerField(default=0, verbose_name=_("已上传字节数"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, verbose_name=_("状态")
    )
    failure = models.CharField(max_length=200, blank=True, verbose_name=_("失败原因"))
    blob = models.ForeignKey(
        Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("存证文件")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("创建时间"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("更新时间"))

    class Meta:
        verbose_name = _("上传会话")
        verbose_name_plural = _("上传会话")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="ledger_upload_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"上传 {self.public_id}（{self.get_status_display()}，{self.offset} 字节）"


class SweptBlob(models.Model):
    """The bytes of a blob that no entry had named were removed by the sweep after the grace period.

    Working state, not a record: the ``Blob`` row stays (the ledger tables are append-only) but the
    blob is no longer visible or nameable; storing the same content again restores the bytes and
    deletes this row."""

    blob = models.OneToOneField(
        Blob, primary_key=True, on_delete=models.PROTECT, related_name="swept", verbose_name=_("存证文件")
    )
    swept_at = models.DateTimeField(_("清理时间"))

    class Meta:
        verbose_name = _("已清理的存证文件")
        verbose_name_plural = _("已清理的存证文件")

    def __str__(self) -> str:
        return f"已清理 {self.blob_id[:16]}…"
