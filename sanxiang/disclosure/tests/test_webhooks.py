"""Signed webhooks to a real receiver on loopback: delivered, signed, retried with backoff, never lost."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from sanxiang.disclosure import services, webhooks
from sanxiang.disclosure.models import WebhookDelivery, WebhookReceiver, WithdrawalGround

pytestmark = pytest.mark.django_db


class Receiver:
    """A tiny HTTP receiver that answers with the next status in ``statuses`` and keeps what it got."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.statuses.pop(0) if outer.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver([])
    yield r
    r.close()


def test_a_publication_is_pushed_signed_to_every_receiver(
    receiver, make_duty, company, publish, django_capture_on_commit_callbacks
):
    # 《松原市行政执法公示办法》第二十一条: 执法信息向公示平台自动推送
    WebhookReceiver.objects.create(name="信用平台", url=receiver.url, secret="k3y")
    with django_capture_on_commit_callbacks(execute=True):
        duty = publish(make_duty(party=company))
    headers, body = receiver.received[0]
    assert headers["X-Sanxiang-Event"] == "disclosure.published"
    assert webhooks.verify_signature("k3y", headers["X-Sanxiang-Signature"], body)
    assert not webhooks.verify_signature("wrong", headers["X-Sanxiang-Signature"], body)
    data = json.loads(body)["data"]
    assert data["id"] == str(duty.public_id) and data["record"]["party_name"] == company.name
    assert WebhookDelivery.objects.get().delivered_at is not None


def test_a_failed_delivery_is_retried_with_backoff_until_it_arrives(
    make_duty, company, publish, django_capture_on_commit_callbacks
):
    receiver = Receiver([500, 503])
    try:
        WebhookReceiver.objects.create(name="信用平台", url=receiver.url, secret="k")
        with django_capture_on_commit_callbacks(execute=True):
            publish(make_duty(party=company))
        delivery = WebhookDelivery.objects.get()
        assert (delivery.attempts, delivery.last_status, delivery.delivered_at) == (1, 500, None)
        first_retry = delivery.next_attempt_at
        assert first_retry - timezone.now() > dt.timedelta(seconds=55)
        assert services.disclosure_sweep().deliveries_due == 0  # not yet due
        with time_machine.travel(first_retry + dt.timedelta(seconds=1)):
            services.disclosure_sweep()
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status) == (2, 503)
        assert delivery.next_attempt_at - first_retry > dt.timedelta(minutes=4)  # backoff grows
        with time_machine.travel(delivery.next_attempt_at + dt.timedelta(seconds=1)):
            services.disclosure_sweep()
        delivery.refresh_from_db()
        assert delivery.attempts == 3 and delivery.delivered_at is not None
        ids = {h["X-Sanxiang-Delivery"] for h, _ in receiver.received}
        assert ids == {str(delivery.event_id)}  # the same id on every retry: receivers deduplicate
    finally:
        receiver.close()


def test_an_unreachable_receiver_never_loses_the_event():
    assert [webhooks.next_delay(n) for n in (1, 2, 3, 4, 5, 6, 50)] == [
        60,
        300,
        1800,
        7200,
        43200,
        86400,
        86400,
    ]


def test_withdrawal_is_pushed(
    receiver, make_duty, company, publish, discloser_a, django_capture_on_commit_callbacks
):
    WebhookReceiver.objects.create(name="信用平台", url=receiver.url, secret="k")
    with django_capture_on_commit_callbacks(execute=True):
        duty = publish(make_duty(party=company))
        services.disclosure_withdraw(
            actor=discloser_a, duty=duty, ground=WithdrawalGround.CHANGED, explanation="复议变更"
        )
    events = [h["X-Sanxiang-Event"] for h, _ in receiver.received]
    assert events == ["disclosure.published", "disclosure.withdrawn"]
