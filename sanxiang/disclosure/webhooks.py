"""Signed webhooks to configured receivers: publish, update and withdrawal, retried with backoff, never lost.

Each event for each receiver is a :class:`~sanxiang.disclosure.models.WebhookDelivery` row written in
the same transaction as the change (an outbox), so a crash between the change and the push loses
nothing. After commit a task posts it; a failure schedules the next attempt (1 min, 5 min, 30 min,
2 h, 12 h, then daily — forever, until the receiver answers 2xx); the periodic sweep re-enqueues
every delivery whose time has come, so a lost task costs only a delay.

The request (POST, ``application/json; charset=utf-8``) carries::

    X-Sanxiang-Event: disclosure.published | disclosure.updated | disclosure.withdrawn
    X-Sanxiang-Delivery: <event id, the same on every retry: receivers deduplicate on it>
    X-Sanxiang-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>

The body holds only the redacted public record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.disclosure.models import WebhookDelivery

BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200)
DAILY = 86400
LEASE = dt.timedelta(minutes=5)
TIMEOUT_SECONDS = 10


def body_for(delivery: WebhookDelivery, data: dict) -> str:
    return json.dumps(
        {"event": delivery.event, "id": str(delivery.event_id), "data": data},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def signature(secret: str, timestamp: int, body: str) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body.encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(
    secret: str, header: str, body: bytes, *, tolerance: int = 300, now: int | None = None
) -> bool:
    """What a receiver does: check the HMAC and that the timestamp is recent."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    now = int(now if now is not None else timezone.now().timestamp())
    if abs(now - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


def next_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt."""
    return BACKOFF_SECONDS[attempts - 1] if attempts <= len(BACKOFF_SECONDS) else DAILY


def enqueue_on_commit(event_ids: list[uuid.UUID]) -> None:
    from sanxiang.disclosure.tasks import deliver_webhook

    def enqueue():
        for event_id in event_ids:
            deliver_webhook.enqueue(str(event_id))

    transaction.on_commit(enqueue)


def enqueue_due() -> int:
    """Enqueue every undelivered delivery whose next attempt is due (the sweep calls this)."""
    from sanxiang.disclosure.tasks import deliver_webhook

    due = list(
        WebhookDelivery.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("event_id", flat=True)[:1000]
    )
    for event_id in due:
        deliver_webhook.enqueue(str(event_id))
    return len(due)


def deliver(event_id: str) -> bool:
    """One attempt: claim the delivery (a lease, so two workers never post it at once), post, record."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        Q(event_id=event_id), delivered_at__isnull=True, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("receiver").get(event_id=event_id)
    receiver = delivery.receiver
    timestamp = int(now.timestamp())
    request = urllib.request.Request(  # noqa: S310 - the URL is configured by an administrator (http/https)
        receiver.url,
        data=delivery.body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "sanxiang-disclosure/1",
            "X-Sanxiang-Event": delivery.event,
            "X-Sanxiang-Delivery": str(delivery.event_id),
            "X-Sanxiang-Signature": signature(receiver.secret, timestamp, delivery.body),
        },
    )
    status: int | None = None
    error = ""
    if not receiver.active or not receiver.url.startswith(("http://", "https://")):
        error = "接收方已停用或地址无效"
    else:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            error = str(getattr(exc, "reason", exc))[:500]
    attempts = delivery.attempts + 1
    finished = timezone.now()
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, delivered_at=finished, last_status=status, last_error=""
        )
        return True
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        last_status=status,
        last_error=error[:500],
        next_attempt_at=finished + dt.timedelta(seconds=next_delay(attempts)),
    )
    return False
