"""Writes of the supervision app: closing an alert by hand, the daily digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, Forbidden, InvalidInput, NotFound
from sanxiang.ledger.services import record
from sanxiang.supervision.alerts import SweepReport, alert_sweep, alerts_lock
from sanxiang.supervision.models import Alert, AlertKind, DigestSent, OpenAlertTally
from sanxiang.supervision.selectors import open_alerts, visible_alerts

# Only these alerts are closed by a person: the duty they watch was broken once and cannot be done
# later (a recording stored late); the head or supervisor closes it saying what was done about it.
CLOSED_BY_HAND = (AlertKind.LATE_RECORDING,)
NOTE_MAX = 300


def alert_close(*, actor, alert: Alert, note: str) -> Alert:
    """A head or supervisor closes an alert about a broken duty, with what was done (整改情况)."""
    if not (actor.has_role(Role.HEAD) or actor.has_role(Role.SUPERVISOR)):
        raise Forbidden("只有负责人或监督人员可以解除此类预警")
    if not visible_alerts(actor).filter(pk=alert.pk).exists():
        raise NotFound("alert")
    note = (note or "").strip()
    if alert.kind not in CLOSED_BY_HAND:
        raise InvalidInput(
            [FieldError("alert", "closed_by_duty", "此预警在义务履行后自动解除，不能手工解除")]
        )
    if not note:
        raise InvalidInput([FieldError("note", "required", "解除说明：请写明处理或整改情况")])
    if len(note) > NOTE_MAX:
        raise InvalidInput([FieldError("note", "max_length", f"解除说明：不超过{NOTE_MAX}字")])
    with transaction.atomic():
        alerts_lock()  # the sweep's lock first (it rebuilds the open-alert tallies), then the row
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.closed_at is not None:
            return locked
        locked.closed_at, locked.closed_by, locked.close_note = timezone.now(), actor, note
        locked.save(update_fields=["closed_at", "closed_by", "close_note"])
        OpenAlertTally.objects.filter(agency_id=locked.agency_id, level=locked.level).update(n=F("n") - 1)
        record(
            kind="supervision.alert_closed",
            subject=locked,
            actor=actor,
            payload={"key": locked.key, "note": note, "level": locked.level},
        )
    return locked


def supervision_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """The periodic job: recompute alerts, bring the decision tallies up to date, then mail the day's
    digests (at most once per person)."""
    from sanxiang.supervision.tallies import tally_sweep

    report = alert_sweep(now=now)
    tally_sweep()
    digest_send(now=now)
    return report


@dataclass
class DigestReport:
    sent: int = 0
    skipped: int = 0


def _recipients():
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("agency")
        .order_by("pk")
    )


def digest_send(*, now: dt.datetime | None = None) -> DigestReport:
    """每日预警汇总: one e-mail per person with open alerts they see, once a day, through Django's mail."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = DigestReport()
    already = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    messages, sent_to = [], []
    for user in _recipients():
        if user.pk in already:
            report.skipped += 1
            continue
        alerts = list(open_alerts(user)[:200])
        if not alerts:
            continue
        body = render_to_string(
            "supervision/digest.txt",
            {"user": user, "alerts": alerts, "day": today, "site": settings.SANXIANG_SITE_URL},
        )
        red = sum(1 for a in alerts if a.level == "red")
        messages.append(
            EmailMessage(
                subject=f"【三项制度平台】{today:%Y年%m月%d日}执法监督预警：红色{red}项，黄色{len(alerts) - red}项",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
        )
        sent_to.append((user, len(alerts)))
    if not messages:
        return report
    connection = get_connection()
    connection.send_messages(messages)
    DigestSent.objects.bulk_create(
        [DigestSent(user=u, day=today, alerts=n, sent_at=now) for u, n in sent_to], ignore_conflicts=True
    )
    report.sent = len(sent_to)
    return report
