"""Ledger endpoints: public checkpoints and proofs; staff entries, blobs, uploads and copy requests.

Checkpoints, keys and proofs are public (auth=None) so that anyone can keep the tree heads and later
demand consistency. Entries and blobs are scoped to the caller's agency, and every view or download
is appended to the access log with the stated ``purpose``.
"""

from __future__ import annotations

import datetime as dt
import json
from uuid import UUID

from django.http import HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from ninja import Field, Header, Router, Schema, Status

from sanxiang.api.pagination import Pagination, paginate
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.ledger import access, blobs, selectors, services, signing
from sanxiang.ledger.models import Checkpoint, Entry, SigningKey, UploadSession
from sanxiang.ledger.storage import get_storage

router = Router(tags=["ledger 全过程记录存证"])


class CheckpointOut(Schema):
    size: int
    root: str
    time: str
    origin: str
    key_id: str
    signature: str = Field(description="SM2 (GB/T 32918.2, SM3, ID 1234567812345678) r||s, hex")
    body: str = Field(description="the exact signed bytes: canonical JSON (RFC 8785)")

    @staticmethod
    def resolve_time(obj: Checkpoint) -> str:
        return json.loads(obj.body)["time"]

    @staticmethod
    def resolve_origin(obj: Checkpoint) -> str:
        return json.loads(obj.body)["origin"]


class KeyOut(Schema):
    key_id: str
    public_key: str
    public_key_pem: str
    created_at: dt.datetime

    @staticmethod
    def resolve_public_key_pem(obj: SigningKey) -> str:
        return signing.public_key_pem(obj.public_key)


class InclusionOut(Schema):
    seq: int
    tree_size: int
    leaf_hash: str
    proof: list[str]
    checkpoint: CheckpointOut


class ConsistencyOut(Schema):
    first: CheckpointOut
    second: CheckpointOut
    proof: list[str]


class EntrySummaryOut(Schema):
    seq: int
    kind: str
    subject_type: str
    subject_id: str
    recorded_at: dt.datetime
    leaf_hash: str
    corrects: int | None

    @staticmethod
    def resolve_leaf_hash(obj: Entry) -> str:
        return obj.leaf_hash if isinstance(obj.leaf_hash, str) else bytes(obj.leaf_hash).hex()


class LedgerEntryOut(EntrySummaryOut):
    body: str = Field(description="canonical JSON; the leaf hash is SM3(0x00 || body)")


class BlobOut(Schema):
    sm3: str
    sha256: str
    size: int
    media_type: str
    metadata: dict
    created_at: dt.datetime


class UploadIn(Schema):
    expected_sm3: str = ""
    expected_sha256: str = ""
    expected_size: int | None = None
    media_type: str = ""
    filename: str = ""


class UploadOut(Schema):
    id: UUID
    offset: int
    status: str
    expected_size: int | None
    blob: BlobOut | None

    @staticmethod
    def resolve_id(obj: UploadSession) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_offset(obj: UploadSession) -> int:
        return blobs.upload_offset(obj)


class CopyRequestIn(Schema):
    party: str
    entries: list[int]
    purpose: str
    request_id: UUID | None = None


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


class CopyRequestOut(Schema):
    id: str
    status: str
    party: str
    entries: list[int]
    purpose: str

    @staticmethod
    def resolve_party(obj: access.CopyRequest) -> str:
        return obj.payload["party"]

    @staticmethod
    def resolve_entries(obj: access.CopyRequest) -> list[int]:
        return obj.payload["entries"]

    @staticmethod
    def resolve_purpose(obj: access.CopyRequest) -> str:
        return obj.payload["purpose"]


class WithheldOut(Schema):
    type: str
    id: str
    ground: str
    rule: str


class ReleaseOut(Schema):
    entries: list[LedgerEntryOut]
    blobs: list[BlobOut]
    withheld: list[WithheldOut]
    record_seq: int


# ---------------------------------------------------------------- public


@router.get("/checkpoints", response=list[CheckpointOut], auth=None, summary="签名树头列表（公开）")
@paginate(Pagination, page_size=50)
def list_checkpoints(request):
    return Checkpoint.objects.order_by("-size")


@router.get("/checkpoints/latest", response=CheckpointOut, auth=None, summary="最新签名树头（公开）")
def latest_checkpoint(request):
    checkpoint = services.latest_checkpoint()
    if checkpoint is None:
        raise NotFound("checkpoint")
    return checkpoint


@router.get("/checkpoints/{size}", response=CheckpointOut, auth=None, summary="指定记录数的签名树头（公开）")
def get_checkpoint(request, size: int):
    return services.checkpoint_at(size)


@router.post("/checkpoints", response={200: CheckpointOut}, summary="立即签发签名树头（幂等）")
def create_checkpoint(request):
    checkpoint = services.checkpoint_create()
    if checkpoint is None:
        raise NotFound("checkpoint")
    return checkpoint


@router.get("/keys", response=list[KeyOut], auth=None, summary="签名公钥（公开）")
@paginate(Pagination, page_size=50)
def list_keys(request):
    return SigningKey.objects.order_by("created_at")


@router.get("/proofs/inclusion", response=InclusionOut, auth=None, summary="包含证明（公开）")
def inclusion(request, seq: int, size: int | None = None):
    checkpoint = services.checkpoint_at(size) if size is not None else services.latest_checkpoint()
    if checkpoint is None:
        raise NotFound("checkpoint")
    proof = services.inclusion_proof(seq, checkpoint.size)
    leaf = Entry.objects.filter(seq=seq).values_list("leaf_hash", flat=True).get()
    return InclusionOut(
        seq=seq,
        tree_size=checkpoint.size,
        leaf_hash=bytes(leaf).hex(),
        proof=[p.hex() for p in proof],
        checkpoint=CheckpointOut.from_orm(checkpoint),
    )


@router.get("/proofs/consistency", response=ConsistencyOut, auth=None, summary="一致性证明（公开）")
def consistency(request, first: int, second: int):
    a, b = services.checkpoint_at(first), services.checkpoint_at(second)
    return ConsistencyOut(
        first=CheckpointOut.from_orm(a),
        second=CheckpointOut.from_orm(b),
        proof=[p.hex() for p in services.consistency_proof(a.size, b.size)],
    )


# ---------------------------------------------------------------- staff


@router.get("/entries", response=list[EntrySummaryOut], summary="记录列表（按权限范围，不含正文）")
@paginate(Pagination, page_size=50)
def list_entries(request, subject_type: str | None = None, subject_id: str | None = None):
    entries = selectors.visible_entries(request.auth).order_by("-seq")
    if subject_type:
        entries = entries.filter(subject_type=subject_type)
    if subject_id:
        entries = entries.filter(subject_id=subject_id)
    return entries


@router.get("/entries/{seq}", response=LedgerEntryOut, summary="调阅记录正文（须说明目的，调阅本身被记录）")
def get_entry(request, seq: int, purpose: str):
    return access.entry_view(actor=request.auth, seq=seq, purpose=purpose)


@router.get("/blobs/{sm3}", response=BlobOut, summary="存证文件信息")
def get_blob(request, sm3: str):
    return selectors.blob_for(request.auth, sm3)


@router.get("/blobs/{sm3}/content", summary="下载存证文件（须说明目的，下载本身被记录）")
def download_blob(request, sm3: str, purpose: str):
    blob, chunks = access.blob_download(actor=request.auth, sm3=sm3, purpose=purpose)
    url = get_storage().presigned_url(blob.sm3, media_type=blob.media_type)
    if url is not None:  # object storage: the client fetches (and seeks with ranges) from the store itself
        return HttpResponseRedirect(url)
    response = StreamingHttpResponse(chunks, content_type=blob.media_type or "application/octet-stream")
    response["Content-Length"] = str(blob.size)
    response["Digest"] = f"sm3={blob.sm3}"
    return response


def _refuse_constant(name: str) -> float:
    raise ValueError(f"JSON 常量 {name} 不是有效的数值")


def _object_body(request: HttpRequest) -> None:
    """The body of ``POST /uploads`` must be a JSON object (or empty): ``[]``, ``null``, ``"x"`` or
    ``NaN`` are refused instead of being read as "no fields" (issue 10, item 10)."""
    raw = request.body
    if not raw.strip():
        return
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise InvalidInput([FieldError("body", "json", f"请求体: 不是有效的 JSON（{exc}）")]) from exc
    if not isinstance(value, dict):
        raise InvalidInput(
            [FieldError("body", "object", '请求体: 应为 JSON 对象（如 {"expected_size": 1024}）')]
        )


@router.post("/uploads", response={201: UploadOut}, summary="开始上传（可续传；Idempotency-Key 使重试无害）")
def begin_upload(request, data: UploadIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    _object_body(request)
    session = blobs.upload_begin(actor=request.auth, idempotency_key=idempotency_key, **data.dict())
    return Status(201, session)


@router.get("/uploads/{upload_id}", response=UploadOut, summary="上传进度（续传位置）")
def get_upload(request, upload_id: UUID):
    return blobs.upload_for(request.auth, upload_id)


@router.patch(
    "/uploads/{upload_id}",
    response=UploadOut,
    summary="追加一段（请求体为原始字节，Upload-Offset 为续传位置）",
)
def append_upload(
    request: HttpRequest, upload_id: UUID, upload_offset: int = Header(..., alias="Upload-Offset")
):
    return blobs.upload_append(actor=request.auth, upload_id=upload_id, offset=upload_offset, data=request)


@router.post("/uploads/{upload_id}/complete", response=BlobOut, summary="完成上传：核对哈希后存储（幂等）")
def complete_upload(request, upload_id: UUID):
    return blobs.upload_complete(actor=request.auth, upload_id=upload_id)


@router.post("/copy-requests", response={201: CopyRequestOut}, summary="登记当事人复制申请（第三十四条）")
def submit_copy_request(request, data: CopyRequestIn):
    result = access.copy_request_submit(
        actor=request.auth,
        party=data.party,
        entries=data.entries,
        purpose=data.purpose,
        request_id=str(data.request_id) if data.request_id else None,
    )
    return Status(201, result)


@router.post(
    "/copy-requests/{request_id}/decision", response=CopyRequestOut, summary="负责人决定（第三十四条）"
)
def decide_copy_request(request, request_id: UUID, data: DecisionIn):
    return access.copy_request_decide(
        actor=request.auth, request_id=str(request_id), approve=data.approve, reason=data.reason
    )


@router.post(
    "/copy-requests/{request_id}/release",
    response=ReleaseOut,
    summary="提供复制件（保密内容除外，第三十五条）",
)
def release_copies(request, request_id: UUID):
    release = access.copy_release(actor=request.auth, request_id=str(request_id))
    return ReleaseOut(
        entries=[LedgerEntryOut.from_orm(e) for e in release.entries],
        blobs=[BlobOut.from_orm(b) for b in release.blobs],
        withheld=[WithheldOut(**w) for w in release.withheld],
        record_seq=release.record.seq,
    )
