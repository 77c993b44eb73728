"""Background work of the disclosure app: webhook deliveries and the periodic sweep."""

from __future__ import annotations

from django_tasks import default_task_backend, task


@task()
def deliver_webhook(event_id: str) -> bool:
    """One delivery attempt; on failure, the retry is scheduled (when the backend can defer)."""
    from sanxiang.disclosure.models import WebhookDelivery
    from sanxiang.disclosure.webhooks import deliver

    delivered = deliver(event_id)
    if not delivered and default_task_backend.supports_defer:
        retry_at = (
            WebhookDelivery.objects.filter(event_id=event_id, delivered_at__isnull=True)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if retry_at is not None:
            deliver_webhook.using(run_after=retry_at).enqueue(event_id)
    return delivered


@task()
def disclosure_sweep_task() -> dict:
    """Retention expiry, overdue withdrawal orders and due deliveries (``sanxiang disclosure_sweep``)."""
    from sanxiang.disclosure.services import disclosure_sweep

    report = disclosure_sweep()
    return {
        "withdrawn_retention": len(report.withdrawn_retention),
        "withdrawn_orders": len(report.withdrawn_orders),
        "deliveries_due": report.deliveries_due,
    }
