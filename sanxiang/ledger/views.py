"""Public pages of the ledger: the signed checkpoints and the public key, for anyone to keep."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sanxiang.errors import NotFound
from sanxiang.ledger import services, signing
from sanxiang.ledger.models import Checkpoint, SigningKey, Witness


def checkpoint_list(request: HttpRequest) -> HttpResponse:
    checkpoints = Checkpoint.objects.prefetch_related("cosignatures__witness").order_by("-size")
    page = Paginator(checkpoints, 50).get_page(request.GET.get("page"))
    rows = [(c, json.loads(c.body)) for c in page]
    keys = [(k, signing.public_key_pem(k.public_key)) for k in SigningKey.objects.order_by("created_at")]
    witnesses = Witness.objects.order_by("name")
    return render(
        request,
        "ledger/checkpoint_list.html",
        {"page": page, "rows": rows, "keys": keys, "witnesses": witnesses},
    )


def checkpoint_detail(request: HttpRequest, size: int) -> HttpResponse:
    try:
        checkpoint = services.checkpoint_at(size)
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "ledger/checkpoint_detail.html",
        {
            "checkpoint": checkpoint,
            "fields": json.loads(checkpoint.body),
            "pem": signing.public_key_pem(checkpoint.key.public_key),
            "note": services.checkpoint_note(checkpoint),
            "cosignatures": checkpoint.cosignatures.select_related("witness").order_by("witness__name"),
        },
    )
