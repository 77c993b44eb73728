"""Serving a record's stored files to the staff pages: photos shown, audio and video played in the
page, streamed with HTTP range requests (RFC 9110 §14) so a multi-gigabyte body-camera file starts
at once and can be sought. Only the bytes asked for are read (the storage's ``open`` and ``seek``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, Literal

from django.http import HttpResponse, StreamingHttpResponse

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | Literal[False] | None:
    """(first, last) byte of a single range, None when there is no usable Range header, False when
    the range cannot be satisfied (416)."""
    m = _RANGE.match((header or "").strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # the last N bytes
        n = int(last)
        if n == 0:
            return False
        return max(size - n, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _stream(handle: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def serve_blob(request, blob, *, download_name: str = "") -> HttpResponse | StreamingHttpResponse:
    """The blob's bytes, whole (200) or the one range asked for (206), with ``Accept-Ranges``."""
    from sanxiang.ledger.storage import get_storage

    size = blob.size
    media_type = blob.media_type or "application/octet-stream"
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    handle = get_storage().open(blob.sm3)
    if isinstance(wanted, tuple):
        start, end = wanted
        status = 206
    else:
        start, end, status = 0, size - 1, 200
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(_stream(handle, start, length), status=status, content_type=media_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if download_name:
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(True, download_name)
    return response


def media_kind(media_type: str) -> str:
    """How the page shows a file: image, video, audio, pdf or a download link."""
    media_type = media_type or ""
    for prefix in ("image", "video", "audio"):
        if media_type.startswith(prefix + "/"):
            return prefix
    return "pdf" if media_type == "application/pdf" else "other"
