"""The log as C2SP tlog-tiles over plain HTTP, for witnesses, mirrors and auditors (no database load
for tiles, no authentication: nothing here reveals a recorded fact).

- ``GET /ledger/checkpoint`` — the latest checkpoint note (tlog-checkpoint) with the log's SM2
  signature and every cosignature stored for it; the only resource that changes.
- ``GET /ledger/tile/<L>/<N>[.p/<W>]`` — the tiles, from the tile directory; immutable (a year's
  ``Cache-Control: immutable``), so a CDN or the object store can serve them.
- ``POST /ledger/cosignatures`` — a witness sends the checkpoint note with its cosignature line(s);
  authenticated by the signature itself (registered witnesses only), so no session and no CSRF token.
"""

from __future__ import annotations

import json
import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sanxiang.errors import SanxiangError
from sanxiang.ledger import services

TILE_PATH = re.compile(r"^(?P<level>\d{1,2})/(?P<index>(?:x\d{3}/)*\d{3})(?:\.p/(?P<width>\d{1,3}))?$")
MAX_NOTE = 64 * 1024


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    note = services.latest_note()
    if note is None:
        raise Http404("no checkpoint yet")
    response = HttpResponse(note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def tile(request: HttpRequest, path: str) -> FileResponse:
    match = TILE_PATH.match(path)
    if match is None or (match["width"] is not None and not 1 <= int(match["width"]) <= 255):
        raise Http404("not a tile path")
    location = services.tile_directory() / "tile" / path
    if not location.is_file():
        raise Http404("no such tile")
    response = FileResponse(open(location, "rb"), content_type="application/octet-stream")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def _problem(request: HttpRequest, exc: SanxiangError) -> HttpResponse:
    body = {
        "type": f"https://sanxiang.example/problems/{exc.code}",
        "title": exc.title,
        "status": exc.status,
        "code": exc.code,
        "instance": request.path,
        "errors": [e.as_dict() for e in exc.errors],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=exc.status, content_type="application/problem+json"
    )


@csrf_exempt
@require_POST
def cosignatures(request: HttpRequest) -> HttpResponse:
    from sanxiang.errors import FieldError, InvalidInput

    if len(request.body) > MAX_NOTE:
        return _problem(request, InvalidInput([FieldError("note", "size", "签名树头文本过长")]))
    try:
        note = request.body.decode("utf-8")
        stored = services.cosignature_add(note)
    except UnicodeDecodeError:
        return _problem(request, InvalidInput([FieldError("note", "utf8", "签名树头文本应为 UTF-8")]))
    except SanxiangError as exc:
        return _problem(request, exc)
    names = ", ".join(c.witness.name for c in stored)
    return HttpResponse(f"已收到见证签名: {names}\n", status=201, content_type="text/plain; charset=utf-8")
