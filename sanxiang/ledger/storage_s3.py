"""Blob bytes in any S3-compatible object store (boto3), behind the same interface as the local directory.

Layout under the configured bucket and prefix (docs/decisions, S3 layout):

- ``<prefix>blobs/ab/cd/<sm3>`` — a published blob, written once, never changed (content addressing);
- ``<prefix>staging/<upload id>`` — the multipart upload that stages an upload's bytes, completed
  into this key only when the upload is published;
- ``<prefix>staging/<upload id>.state`` — the staging state (S3 UploadId, the parts so far and the
  current tail object), rewritten after each append, so that any process can resume the upload;
- ``<prefix>staging/<upload id>.tail.<n>`` — the bytes after the last full part (less than one part).

Every part but the last of a multipart upload must be at least 5 MiB, but a resumable upload's
requests may be any size. So each append emits only full parts of ``PART`` bytes and keeps what is
left over as the tail object; the next append starts with the tail. Publishing uploads the tail as the
last part, completes the multipart upload into the staging key and copies it server-side to the
blob's address (skipped when the address already holds the same content), then removes the staging
objects. A staged upload is never reachable by address: a crash leaves only staging objects and an
unfinished multipart upload, which ``staging_discard`` (and the sweep) remove.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from sanxiang.ledger.storage import _ADDRESS, _UPLOAD_ID, BlobStorage

# Multipart part size (S3 needs at least 5 MiB for every part but the last) and parts in flight at
# once while a stream is uploaded: memory held is about (PARALLEL_PARTS + 1) parts whatever the size
# of the file (benches/blob_s3_upload.py measures the peak).
PART = 8 << 20
PARALLEL_PARTS = 2
_clients: dict[tuple, Any] = {}
_clients_lock = threading.Lock()


def s3_client(*, endpoint_url: str, region: str, access_key: str, secret_key: str) -> Any:
    import boto3
    from botocore.config import Config

    key = (endpoint_url, region, access_key, secret_key)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = boto3.client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region or "us-east-1",
                aws_access_key_id=access_key or None,
                aws_secret_access_key=secret_key or None,
                config=Config(
                    signature_version="s3v4",
                    s3={"addressing_style": "path"},
                    retries={"max_attempts": 5, "mode": "standard"},
                    max_pool_connections=16,
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                ),
            )
        return _clients[key]


class _Body(io.RawIOBase):
    """A readable file over a GetObject body (closes the connection when closed)."""

    def __init__(self, body: Any):
        self._body = body

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._body.read(None if size is None or size < 0 else size)

    def readinto(self, buffer: Any) -> int:
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._body.close()
        super().close()


class S3BlobStorage(BlobStorage):
    def __init__(self, *, client: Any, bucket: str, prefix: str = "", presign_seconds: int = 900):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.presign_seconds = presign_seconds

    # ------------------------------------------------------------ keys

    def key(self, address: str) -> str:
        if not _ADDRESS.match(address):
            raise ValueError(f"not a blob address: {address!r}")
        return f"{self.prefix}blobs/{address[:2]}/{address[2:4]}/{address}"

    def _staging_key(self, upload_id: str) -> str:
        if not _UPLOAD_ID.match(upload_id):
            raise ValueError(f"not an upload id: {upload_id!r}")
        return f"{self.prefix}staging/{upload_id}"

    def _missing(self, exc: Exception) -> bool:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound", "NoSuchUpload")

    # ------------------------------------------------------------ staging state

    def _state(self, upload_id: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._staging_key(upload_id) + ".state")[
                "Body"
            ]
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise
        return json.loads(body.read())

    def _save_state(self, upload_id: str, state: dict[str, Any]) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._staging_key(upload_id) + ".state",
            Body=json.dumps(state).encode(),
            ContentType="application/json",
        )

    def _tail_key(self, upload_id: str, n: int) -> str:
        return f"{self._staging_key(upload_id)}.tail.{n}"

    def _read_tail(self, upload_id: str, state: dict[str, Any]) -> bytes:
        if not state.get("tail_size"):
            return b""
        key = self._tail_key(upload_id, state["tail"])
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    @staticmethod
    def _size(state: dict[str, Any] | None) -> int:
        if state is None:
            return 0
        return sum(p["Size"] for p in state["parts"]) + state.get("tail_size", 0)

    # ------------------------------------------------------------ staging

    def staging_append(self, upload_id: str, offset: int, chunks: Iterable[bytes]) -> int:
        state = self._state(upload_id)
        if self._size(state) != offset:
            raise ValueError(f"staged size is {self._size(state)}, not {offset}")
        if state is not None and state.get("finished"):
            raise ValueError("the staged upload is already finished")
        key = self._staging_key(upload_id)
        if state is None:
            upload = self.client.create_multipart_upload(Bucket=self.bucket, Key=key)
            state = {
                "mpu": upload["UploadId"],
                "parts": [],
                "tail": 0,
                "tail_size": 0,
                "started": time.time(),
            }
        old_tail = state["tail"] if state.get("tail_size") else None
        buffer = bytearray(self._read_tail(upload_id, state))
        pending: list[Future] = []
        pool = ThreadPoolExecutor(max_workers=PARALLEL_PARTS, thread_name_prefix="sanxiang-s3-part")
        try:

            def emit(data: bytes) -> None:
                number = len(state["parts"]) + len(pending) + 1
                if len(pending) >= PARALLEL_PARTS:
                    pending[-PARALLEL_PARTS].result()  # at most PARALLEL_PARTS parts held in memory
                pending.append(pool.submit(self._upload_part, key, state["mpu"], number, data))

            for chunk in chunks:
                buffer += chunk
                while len(buffer) >= PART:
                    with memoryview(buffer) as view:
                        part = view[:PART].tobytes()  # one copy, not a slice and then bytes of it
                    del buffer[:PART]
                    emit(part)
                    del part
            parts = [f.result() for f in pending]
        finally:
            pool.shutdown(wait=True)
        state["parts"] += parts
        state["tail"] += 1
        state["tail_size"] = len(buffer)
        if buffer:
            self.client.put_object(
                Bucket=self.bucket, Key=self._tail_key(upload_id, state["tail"]), Body=bytes(buffer)
            )
        self._save_state(upload_id, state)
        if old_tail is not None:
            self.client.delete_object(Bucket=self.bucket, Key=self._tail_key(upload_id, old_tail))
        return self._size(state)

    def _upload_part(self, key: str, mpu: str, number: int, data: bytes) -> dict[str, Any]:
        response = self.client.upload_part(
            Bucket=self.bucket, Key=key, UploadId=mpu, PartNumber=number, Body=data
        )
        return {"PartNumber": number, "ETag": response["ETag"], "Size": len(data)}

    def staging_size(self, upload_id: str) -> int:
        return self._size(self._state(upload_id))

    def _finish(self, upload_id: str) -> dict[str, Any] | None:
        """Complete the multipart upload into the staging key (idempotent); the state records it."""
        state = self._state(upload_id)
        if state is None or state.get("finished"):
            return state
        key = self._staging_key(upload_id)
        tail = self._read_tail(upload_id, state)
        if not state["parts"]:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=tail)
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=state["mpu"])
        else:
            parts = list(state["parts"])
            if tail:
                parts.append(self._upload_part(key, state["mpu"], len(parts) + 1, tail))
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=state["mpu"],
                MultipartUpload={
                    "Parts": [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]
                },
            )
        state["finished"] = True
        self._save_state(upload_id, state)
        return state

    def staging_read(self, upload_id: str) -> Iterator[bytes]:
        from sanxiang.ledger.storage import CHUNK

        if self._finish(upload_id) is None:
            return
        body = self.client.get_object(Bucket=self.bucket, Key=self._staging_key(upload_id))["Body"]
        try:
            while chunk := body.read(CHUNK):
                yield chunk
        finally:
            body.close()

    def staging_discard(self, upload_id: str) -> None:
        state = self._state(upload_id)
        key = self._staging_key(upload_id)
        if state is not None and not state.get("finished"):
            try:
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=state["mpu"])
            except Exception as exc:  # already completed or aborted
                if not self._missing(exc):
                    raise
        doomed = [key, key + ".state"]
        if state is not None and state.get("tail_size"):
            doomed.append(self._tail_key(upload_id, state["tail"]))
        self.client.delete_objects(
            Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in doomed], "Quiet": True}
        )

    def publish(self, upload_id: str, address: str) -> None:
        if self.exists(address):
            self.staging_discard(upload_id)  # identical content is stored once
            return
        state = self._finish(upload_id)
        if state is None:  # nothing was ever staged: the empty blob
            self.client.put_object(Bucket=self.bucket, Key=self.key(address), Body=b"")
            return
        source = {"Bucket": self.bucket, "Key": self._staging_key(upload_id)}
        # managed copy: CopyObject, or UploadPartCopy beyond the single-copy limit; the address appears whole
        self.client.copy(source, self.bucket, self.key(address))
        self.staging_discard(upload_id)

    # ------------------------------------------------------------ published blobs

    def exists(self, address: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(address))
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise
        return True

    def open(self, address: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(address))["Body"]
        except ClientError as exc:
            if self._missing(exc):
                raise FileNotFoundError(address) from exc
            raise
        return io.BufferedReader(_Body(body), buffer_size=1 << 20)

    def local_path(self, address: str) -> Path | None:
        return None

    def probe_source(self, address: str) -> str | None:
        return self.presigned_url(address)

    def presigned_url(self, address: str, *, media_type: str = "", seconds: int | None = None) -> str:
        """A time-limited GET URL for the blob; the object store serves ranges (HTTP 206) itself."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self.key(address)}
        if media_type:
            params["ResponseContentType"] = media_type
        return self.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=seconds or self.presign_seconds
        )

    def delete(self, address: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(address))

    def addresses(self) -> Iterator[tuple[str, float]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}blobs/"):
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if _ADDRESS.match(name):
                    yield name, item["LastModified"].timestamp()

    def staging_entries(self) -> Iterator[tuple[str, float]]:
        paginator = self.client.get_paginator("list_objects_v2")
        seen: set[str] = set()
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}staging/"):
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                upload_id = name.split(".", 1)[0]
                if name.endswith(".state") and upload_id not in seen:
                    seen.add(upload_id)
                    yield upload_id, item["LastModified"].timestamp()
