"""Alerts for every running duty: yellow near the end, red past it, closed when the duty is done."""

from __future__ import annotations

import datetime as dt
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sanxiang.cases import services as case_services
from sanxiang.cases.models import CaseDeadline
from sanxiang.cases.tests.factories import approve, filed_case, officer_for, open_case, present, video
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry
from sanxiang.supervision.alerts import alert_sweep
from sanxiang.supervision.models import Alert, AlertKind, AlertLevel
from sanxiang.supervision.selectors import visible_alerts
from sanxiang.supervision.services import alert_close, digest_send

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def handler(officer_a):
    officer_for(officer_a, name="甲执法员")
    return officer_a


def test_an_emergency_start_is_yellow_six_hours_before_its_24_hours_and_red_after(
    handler, head_a, reviewer_a
):
    # 《松原市行政执法全过程记录实施办法》第八条: 情况紧急先行启动的, 24小时内补报负责人批准
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = open_case(handler, is_emergency=True, emergency_reason="现场正在销售过期食品")
    assert alert_sweep(now=at(2026, 3, 2, 10, 0)).opened == 0
    report = alert_sweep(now=at(2026, 3, 3, 3, 0))  # 6 hours before 09:00 next day
    alert = Alert.objects.get()
    assert report.opened == 1 and alert.level == AlertLevel.YELLOW and alert.kind == AlertKind.CASE
    assert "第八条" in alert.citation and alert.responsible == handler
    report = alert_sweep(now=at(2026, 3, 3, 9, 1))
    alert.refresh_from_db()
    assert report.raised == 1 and alert.level == AlertLevel.RED and alert.red_at is not None

    with time_machine.travel(at(2026, 3, 3, 10, 0), tick=False):
        approve(case, "filing_approval", handler=handler, reviewer=reviewer_a, head=head_a)
    assert not CaseDeadline.objects.filter(case=case, limit="emergency_approval").exists()
    report = alert_sweep(now=at(2026, 3, 3, 10, 5))
    alert.refresh_from_db()
    assert report.closed == 1
    assert alert.closed_at == at(2026, 3, 3, 10, 5) and alert.closed_by == head_a and alert.close_note


def test_a_second_sweep_changes_nothing_and_writes_no_ledger_entry(handler):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        open_case(handler, is_emergency=True, emergency_reason="紧急")
    first = alert_sweep(now=at(2026, 3, 3, 10, 0))
    entries = Entry.objects.count()
    second = alert_sweep(now=at(2026, 3, 3, 10, 30))
    assert first.opened == 1 and first.ledger_seq is not None
    assert second.changed == 0 and second.unchanged == 1 and second.ledger_seq is None
    assert Entry.objects.count() == entries and Alert.objects.count() == 1


def _deadline(case, due: dt.date, limit="decision"):
    CaseDeadline.objects.filter(case=case).delete()
    return CaseDeadline.objects.create(
        case=case,
        agency_id=case.agency_id,
        limit=limit,
        name="自立案起作出处罚决定",
        source="行政处罚法 第六十条",
        due_date=due,
    )


@pytest.mark.parametrize(
    ("today", "due", "level"),
    [
        # 30 September 2026: the next working days are 8, 9 and 10 October (国庆节, 10月10日 调休上班)
        (dt.date(2026, 9, 30), dt.date(2026, 10, 10), AlertLevel.YELLOW),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 12), None),
        (dt.date(2026, 9, 29), dt.date(2026, 10, 9), AlertLevel.YELLOW),
        (dt.date(2026, 9, 29), dt.date(2026, 10, 10), None),
        # an ordinary week: 4 working days ahead is not yet yellow
        (dt.date(2026, 3, 2), dt.date(2026, 3, 6), None),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 5), AlertLevel.YELLOW),
        # the last day is still yellow; the day after, red
        (dt.date(2026, 10, 10), dt.date(2026, 10, 10), AlertLevel.YELLOW),
        (dt.date(2026, 10, 12), dt.date(2026, 10, 10), AlertLevel.RED),
    ],
)
def test_yellow_counts_working_days_across_holidays_and_red_starts_the_day_after_the_last(
    handler, today, due, level
):
    # 国办发〔2018〕118号 五、（十五）网上监督; yellow 3 working days before (supervision.alert.yellow_days);
    # 行政处罚法 第八十五条: working days exclude statutory holidays
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = open_case(handler)
    _deadline(case, due)
    alert_sweep(now=at(today.year, today.month, today.day, 12, 0))
    found = Alert.objects.filter(closed_at__isnull=True).first()
    assert (found.level if found else None) == level


def _dashboard_alerts_are_the_live_ones(user) -> list[dict]:
    """The dashboard's open-alert chart and 红色预警 indicator from the sweep's tallies equal the
    counts of the alerts themselves."""
    from sanxiang.supervision.dashboard import build, dashboard_agencies, open_alert_rows
    from sanxiang.supervision.statistics import Period

    agencies = dashboard_agencies(user)
    ids = list(agencies.values_list("pk", flat=True))
    rows = open_alert_rows(user, ids)
    assert rows == open_alert_rows(user, ids, tallied=False)
    period = Period.year(2026)
    tallied, live = build(agencies, period, user=user), build(agencies, period, user=user, tallied=False)
    assert tallied.summary == live.summary
    assert [(c.key, c.rows) for c in tallied.charts] == [(c.key, c.rows) for c in live.charts]
    return rows


def test_a_late_recording_is_red_at_once_and_stays_closed_after_the_head_deals_with_it(
    handler, head_a, reviewer_a
):
    # 《松原市行政执法全过程记录实施办法》第三十二条: 音像记录24小时内存储至执法信息系统
    now = at(2026, 3, 4, 9, 0)
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = filed_case(handler, reviewer_a, head_a)
    with time_machine.travel(now, tick=False):
        case_services.record_add(
            actor=handler,
            case=case,
            kind="onsite_inspection_record",
            payload={"content": "现场检查"},
            officers=present(case),
            blobs=[video(b"late")],
            made_at=now - dt.timedelta(hours=30),
        )
    alert_sweep(now=now)
    alert = Alert.objects.get(kind=AlertKind.LATE_RECORDING)
    assert alert.level == AlertLevel.RED and "第三十二条" in alert.citation
    assert [(r["red"], r["yellow"]) for r in _dashboard_alerts_are_the_live_ones(head_a)] == [(1, 0)]
    with pytest.raises(InvalidInput) as err:
        alert_close(actor=head_a, alert=alert, note=" ")
    assert err.value.errors[0].field == "note"
    alert_close(actor=head_a, alert=alert, note="已约谈承办人员，记录仪当日上传")
    assert _dashboard_alerts_are_the_live_ones(head_a) == []  # closed by hand: the tally follows at once
    assert alert_sweep(now=now + dt.timedelta(hours=1)).opened == 0
    alert.refresh_from_db()
    assert (
        alert.closed_by == head_a
        and not Alert.objects.filter(closed_at__isnull=True, kind=alert.kind).exists()
    )


def test_the_responsible_officer_the_head_and_the_supervisor_see_an_alert_and_another_agency_does_not(
    handler, head_a, supervisor, officer_b, head_b
):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        open_case(handler, is_emergency=True, emergency_reason="紧急")
    alert_sweep(now=at(2026, 3, 3, 10, 0))
    for user in (handler, head_a, supervisor):
        assert visible_alerts(user).count() == 1
    for user in (officer_b, head_b):
        assert visible_alerts(user).count() == 0


def test_the_staff_alert_page_lists_the_alert_in_chinese(handler, supervisor, client_for):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        open_case(handler, is_emergency=True, emergency_reason="紧急")
    alert_sweep(now=at(2026, 3, 3, 10, 0))
    page = client_for(supervisor).get("/staff/supervision/alerts/").content.decode()
    assert "红色预警" in page and "紧急先行启动后补报审批" in page and "第八条" in page
    assert "某区市场监督管理局" in page


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd), collecting what it receives."""
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as free:  # a free loopback port for the server
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port) as probe:
            probe.noop()
        yield handler, port
    finally:
        controller.stop()


def test_the_daily_digest_is_mailed_once_a_day_through_a_real_smtp_server(
    handler, supervisor, settings, smtp_server
):
    collected, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    handler.email, supervisor.email = "officer@example.cn", "supervisor@example.cn"
    handler.save(update_fields=["email"])
    supervisor.save(update_fields=["email"])
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        open_case(handler, is_emergency=True, emergency_reason="紧急")
    alert_sweep(now=at(2026, 3, 3, 10, 0))
    report = digest_send(now=at(2026, 3, 3, 10, 0))
    assert report.sent == 2 and len(collected.messages) == 2
    assert sorted(m.rcpt_tos[0] for m in collected.messages) == [
        "officer@example.cn",
        "supervisor@example.cn",
    ]
    body = collected.messages[0].content.decode("utf-8", "replace")
    assert "Subject:" in body
    again = digest_send(now=at(2026, 3, 3, 15, 0))
    assert again.sent == 0 and again.skipped == 2 and len(collected.messages) == 2


def test_the_api_lists_the_alerts_in_scope_and_counts_them_by_agency(
    handler, supervisor, officer_b, client_for
):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        open_case(handler, is_emergency=True, emergency_reason="紧急")
    alert_sweep(now=at(2026, 3, 3, 10, 0))
    body = client_for(supervisor).get("/api/supervision/alerts").json()
    assert body["count"] == 1 and body["items"][0]["level_label"] == "红色预警"
    assert "第八条" in body["items"][0]["citation"]
    assert client_for(officer_b).get("/api/supervision/alerts").json()["count"] == 0
    counts = client_for(supervisor).get("/api/supervision/alerts/by-agency").json()
    assert counts == [{"agency_name": "某区市场监督管理局", "red": 1, "yellow": 0}]
