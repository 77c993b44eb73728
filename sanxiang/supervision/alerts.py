"""The alert sweep: every running duty of every agency, yellow near its end and red past it.

``alert_sweep()`` is idempotent. It asks each source (below) for the duties whose end is within the
largest yellow window of any region, rates each by the thresholds in the rules registry for the
agency's region (``supervision.alert.yellow_days`` in working days for periods in days,
``supervision.alert.yellow_hours`` for periods in hours, ``supervision.alert.yellow_annual`` for the
annual data and report), and then, in one transaction: opens an alert for a duty that has none,
raises yellow to red (or lowers it after an extension), and closes every open alert whose duty is no
longer running — with when and by whom the duty was done, read from the source row. A second run on
unchanged data writes nothing. A sweep that changes something writes one ledger entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from sanxiang.rules.selectors import rule_for, rule_of_version
from sanxiang.supervision.models import Alert, AlertKind, AlertLevel

BATCH = 5000


@dataclass(frozen=True, slots=True)
class Due:
    """One running duty as a source reports it."""

    key: str
    kind: str
    agency_id: int
    title: str
    citation: str
    url: str
    due_date: dt.date
    due_at: dt.datetime | None = None
    responsible_id: int | None = None
    past: bool = False  # a duty already broken (a recording stored late): red at once


@dataclass
class SweepReport:
    opened: int = 0
    raised: int = 0
    lowered: int = 0
    closed: int = 0
    unchanged: int = 0
    ledger_seq: int | None = None

    @property
    def changed(self) -> int:
        return self.opened + self.raised + self.lowered + self.closed


# ---------------------------------------------------------------- thresholds


@dataclass(frozen=True, slots=True)
class Thresholds:
    today: dt.date
    now: dt.datetime
    yellow_date: dt.date  # a due date on or before this is yellow (working days from today)
    yellow_hours: dt.timedelta
    yellow_annual_date: dt.date
    citation: str

    def level(self, due: Due) -> str | None:
        if due.past:
            return AlertLevel.RED
        if due.kind in (AlertKind.ANNUAL_DATA, AlertKind.ANNUAL_REPORT):
            if due.due_date < self.today:
                return AlertLevel.RED
            return AlertLevel.YELLOW if due.due_date <= self.yellow_annual_date else None
        if due.due_at is not None:
            if self.now > due.due_at:
                return AlertLevel.RED
            return AlertLevel.YELLOW if self.now >= due.due_at - self.yellow_hours else None
        if due.due_date < self.today:
            return AlertLevel.RED
        return AlertLevel.YELLOW if due.due_date <= self.yellow_date else None


class ThresholdBook:
    """Thresholds per region, from the rules registry and the region's working-day calendar."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.today = timezone.localdate(now)
        self._by_region: dict[str, Thresholds] = {}

    def for_region(self, region: str) -> Thresholds:
        found = self._by_region.get(region)
        if found is None:
            from sanxiang.workdays.services import add_working_days

            days = rule_for("supervision.alert.yellow_days", region=region, on=self.today)
            hours = rule_for("supervision.alert.yellow_hours", region=region, on=self.today)
            annual = rule_for("supervision.alert.yellow_annual", region=region, on=self.today)
            found = Thresholds(
                today=self.today,
                now=self.now,
                yellow_date=add_working_days(self.today, int(days.value or 0), region=region).due,
                yellow_hours=dt.timedelta(hours=int(hours.value or 0)),
                yellow_annual_date=self.today + dt.timedelta(days=int(annual.value or 0)),
                citation=days.citation,
            )
            self._by_region[region] = found
        return found


# ---------------------------------------------------------------- sources


CASE_KINDS = (AlertKind.CASE, AlertKind.ARCHIVE)


def _sweep_case_deadlines(
    book: ThresholdBook, regions: dict[int, str], now: dt.datetime, report: SweepReport, changes: list[str]
) -> list[Alert]:
    """CaseDeadline (办案期限, 送达, 听证, 紧急立案补批, 归档), set-based: every running deadline within
    the yellow window is rated in one statement against its agency's thresholds (the same rule as
    ``Thresholds.level``), then new alerts are inserted, changed ones updated, all in the database.
    Returns the open case alerts whose deadline is no longer running, for the caller to close with
    who did it. Runs inside the sweep's transaction and lock."""
    from sanxiang.accounts.models import User
    from sanxiang.cases.display import cite_text
    from sanxiang.cases.models import Case, CaseDeadline, CaseOfficer

    ops, vendor = connection.ops, connection.vendor
    horizon = _horizon(book, regions.values())
    deadline, case, officer, user, alert = (
        m._meta.db_table for m in (CaseDeadline, Case, CaseOfficer, User, Alert)
    )
    pg = vendor == "postgresql"
    temp = "CREATE TEMP TABLE {} ({})"
    ts = "timestamptz" if pg else "text"
    d8 = "date" if pg else "text"
    # the uuid as the URL writes it (SQLite keeps it as 32 hex digits)
    uuid = (
        "c.public_id::text"
        if pg
        else "substr(c.public_id,1,8)||'-'||substr(c.public_id,9,4)||'-'||substr(c.public_id,13,4)"
        "||'-'||substr(c.public_id,17,4)||'-'||substr(c.public_id,21)"
    )
    new_uuid = (
        "gen_random_uuid()"
        if pg
        else "lower(hex(randomblob(4))||hex(randomblob(2))||'4'||substr(hex(randomblob(2)),2)"
        "||substr('89ab',1+abs(random())%4,1)||substr(hex(randomblob(2)),2)||hex(randomblob(6)))"
    )
    distinct = "IS DISTINCT FROM" if pg else "IS NOT"
    with connection.cursor() as cursor:
        for name in ("sweep_thr", "sweep_cite", "sweep_due"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            temp.format("sweep_thr", f"agency_id bigint PRIMARY KEY, yellow_date {d8}, yellow_at {ts}")
        )
        thr = []
        for agency_id, region in regions.items():
            t = book.for_region(region)
            thr.append(
                (
                    agency_id,
                    ops.adapt_datefield_value(t.yellow_date),
                    ops.adapt_datetimefield_value(now + t.yellow_hours),
                )
            )
        cursor.executemany("INSERT INTO sweep_thr VALUES (%s, %s, %s)", thr)
        cursor.execute(temp.format("sweep_cite", "source varchar(200) PRIMARY KEY, citation varchar(300)"))
        cursor.execute(
            f"SELECT DISTINCT source FROM {deadline} WHERE due_date <= %s",  # noqa: S608
            [ops.adapt_datefield_value(horizon)],
        )
        cursor.executemany(
            "INSERT INTO sweep_cite VALUES (%s, %s)",
            [(src, cite_text(src)[:300]) for (src,) in cursor.fetchall()],
        )
        today, now_db = ops.adapt_datefield_value(book.today), ops.adapt_datetimefield_value(now)
        # Thresholds.level: an hour-period red once past its moment and yellow within yellow_hours of it;
        # a day-period red after its date and yellow on or before the region's yellow date
        cursor.execute(
            temp.format(
                "sweep_due",
                f"key varchar(200) PRIMARY KEY, kind varchar(20), agency_id bigint, title varchar(300),"
                f" citation varchar(300), url varchar(200), due_date {d8}, due_at {ts},"
                " responsible_id bigint, level varchar(8), fresh boolean",
            )
        )
        cursor.execute(
            f"""INSERT INTO sweep_due
            SELECT * FROM (
              SELECT 'case:' || d.case_id || ':' || d."limit",
                     CASE WHEN d."limit" = 'archive' THEN %s ELSE %s END,
                     d.agency_id,
                     substr(c.number || ' ' || d.name, 1, 300),
                     s.citation,
                     '/staff/cases/' || {uuid} || '/',
                     d.due_date, d.due_at,
                     (SELECT u.id FROM {officer} o JOIN {user} u ON u.officer_id = o.officer_id
                       WHERE o.case_id = d.case_id AND o.lead ORDER BY o.id LIMIT 1),
                     CASE WHEN d.due_at IS NOT NULL THEN
                            CASE WHEN %s > d.due_at THEN %s WHEN d.due_at <= t.yellow_at THEN %s END
                          ELSE
                            CASE WHEN d.due_date < %s THEN %s WHEN d.due_date <= t.yellow_date THEN %s END
                     END AS level,
                     false AS fresh
              FROM {deadline} d
              JOIN {case} c ON c.id = d.case_id
              JOIN sweep_thr t ON t.agency_id = d.agency_id
              JOIN sweep_cite s ON s.source = d.source
              WHERE d.due_date <= %s
            ) rated WHERE level IS NOT NULL""",  # noqa: S608 - table names from the models' _meta
            [
                AlertKind.ARCHIVE,
                AlertKind.CASE,
                now_db,
                AlertLevel.RED,
                AlertLevel.YELLOW,
                today,
                AlertLevel.RED,
                AlertLevel.YELLOW,
                ops.adapt_datefield_value(horizon),
            ],
        )
        if pg:
            # statistics for the planner: the temporary table has none, and the alerts' may date from
            # before the last sweep inserted half a million rows — without them it may pick a nested
            # loop over a sequential scan (quadratic at province scale)
            cursor.execute("ANALYZE sweep_due")
            cursor.execute(f"ANALYZE {alert}")
        # the deadlines with no open alert: marked before inserting, so that the INSERT does not read
        # the table it writes
        cursor.execute(
            f"""UPDATE sweep_due SET fresh = true WHERE NOT EXISTS
            (SELECT 1 FROM {alert} a WHERE a.key = sweep_due.key AND a.closed_at IS NULL)"""  # noqa: S608
        )
        # what changes, for the ledger entry's digest (and the report)
        cursor.execute(
            f"""SELECT n.key, n.level, n.due_date, a.level FROM sweep_due n
            LEFT JOIN {alert} a ON a.key = n.key AND a.closed_at IS NULL
            WHERE a.id IS NULL OR a.level <> n.level OR a.due_date <> n.due_date
               OR a.due_at {distinct} n.due_at"""  # noqa: S608 - table names from the models' _meta
        )
        changed = 0
        for key, level, due_date, old in cursor.fetchall():
            changed += 1
            if old is None:
                report.opened += 1
                changes.append(f"open {key} {level}")
                continue
            if old != level:
                if level == AlertLevel.RED:
                    report.raised += 1
                else:
                    report.lowered += 1
            changes.append(f"level {key} {level} {due_date}")
        cursor.execute("SELECT COUNT(*) FROM sweep_due")
        report.unchanged += cursor.fetchone()[0] - changed
        cursor.execute(
            f"""UPDATE {alert} SET level = n.level, due_date = n.due_date, due_at = n.due_at,
                   red_at = CASE WHEN n.level = {alert}.level THEN {alert}.red_at
                                 WHEN n.level = %s THEN %s ELSE NULL END
            FROM sweep_due n
            WHERE {alert}.key = n.key AND {alert}.closed_at IS NULL
              AND ({alert}.level <> n.level OR {alert}.due_date <> n.due_date OR {alert}.due_at {distinct} n.due_at)""",  # noqa: S608
            [AlertLevel.RED, now_db],
        )
        cursor.execute(
            f"""INSERT INTO {alert} (public_id, key, kind, agency_id, title, citation, url, due_date, due_at,
                   level, responsible_id, opened_at, red_at, closed_at, closed_by_id, close_note)
            SELECT {new_uuid}, n.key, n.kind, n.agency_id, n.title, n.citation, n.url, n.due_date, n.due_at,
                   n.level, n.responsible_id, %s, CASE WHEN n.level = %s THEN %s END, NULL, NULL, ''
            FROM sweep_due n
            WHERE n.fresh""",  # noqa: S608
            [now_db, AlertLevel.RED, now_db],
        )
        # the open case alerts whose deadline is no longer running (met, or the case ended)
        cursor.execute(
            f"""SELECT a.id, a.key, a.kind FROM {alert} a WHERE a.closed_at IS NULL AND a.kind IN (%s, %s)
            AND NOT EXISTS (SELECT 1 FROM sweep_due n WHERE n.key = a.key)""",  # noqa: S608
            [AlertKind.CASE, AlertKind.ARCHIVE],
        )
        ended = [Alert(pk=pk, key=key, kind=kind) for pk, key, kind in cursor.fetchall()]
        for name in ("sweep_thr", "sweep_cite", "sweep_due"):
            cursor.execute(f"DROP TABLE {name}")
    return ended


def _citation_of(version: str, key: str, region: str | None, on: dt.date, cache: dict) -> str:
    found = cache.get(version or key)
    if found is None:
        try:
            found = (
                rule_of_version(version).citation if version else rule_for(key, region=region, on=on).citation
            )
        except (LookupError, ValueError):
            found = rule_for(key, region=region, on=on).citation
        cache[version or key] = found
    return found


def _review_dues(horizon: dt.date, today: dt.date) -> Iterator[Due]:
    """ReviewRound still open: 法制审核 within its period (《松原市重大行政执法决定法制审核办法》第十一条)."""
    from sanxiang.review.models import Assignment, ReviewRound

    reviewer = (
        Assignment.objects.filter(round_id=OuterRef("pk"), role=Assignment.Role.REVIEWER)
        .order_by("-at", "-pk")
        .values("user_id")[:1]
    )
    rows = (
        ReviewRound.objects.filter(status__in=ReviewRound.OPEN, due_date__lte=horizon)
        .annotate(reviewer=Subquery(reviewer))
        .values_list(
            "pk",
            "public_id",
            "number",
            "due_date",
            "rule_version",
            "review__agency_id",
            "review__case__number",
            "reviewer",
        )
    )
    cache: dict = {}
    for pk, public_id, number, due_date, version, agency_id, case_number, reviewer_id in rows.iterator(
        chunk_size=BATCH
    ):
        yield Due(
            key=f"review:{pk}",
            kind=AlertKind.REVIEW,
            agency_id=agency_id,
            title=f"{case_number} 法制审核（第{number}轮送审）",
            citation=_citation_of(version, "review.period", None, today, cache),
            url=f"/staff/reviews/{public_id}/",
            due_date=due_date,
            responsible_id=reviewer_id,
        )


def _disclosure_dues(horizon: dt.date, today: dt.date) -> Iterator[Due]:
    """Disclosure duties pending, withdrawal orders not carried out, correction requests undecided."""
    from sanxiang.disclosure.models import CorrectionRequest, Duty, WithdrawalOrder

    rows = Duty.objects.filter(status=Duty.Status.PENDING, due_date__lte=horizon).values_list(
        "pk", "public_id", "agency_id", "fields", "source_ref", "due_date", "rule_source"
    )
    for pk, public_id, agency_id, fields, source_ref, due_date, rule_source in rows.iterator(
        chunk_size=BATCH
    ):
        number = (fields or {}).get("document_number") or source_ref
        yield Due(
            key=f"disclosure:{pk}",
            kind=AlertKind.DISCLOSURE,
            agency_id=agency_id,
            title=f"{number} 执法决定信息公示"[:300],
            citation=rule_source or rule_for("disclosure.period.other", region=None, on=today).citation,
            url=f"/staff/disclosure/{public_id}/",
            due_date=due_date,
        )
    cache: dict = {}
    orders = WithdrawalOrder.objects.filter(due_date__lte=horizon, duty__withdrawal__isnull=True).values_list(
        "pk",
        "duty__public_id",
        "duty__agency_id",
        "duty__fields",
        "duty__source_ref",
        "due_date",
        "rule_version",
    )
    for pk, public_id, agency_id, fields, source_ref, due_date, version in orders.iterator(chunk_size=BATCH):
        number = (fields or {}).get("document_number") or source_ref
        yield Due(
            key=f"withdrawal:{pk}",
            kind=AlertKind.WITHDRAWAL,
            agency_id=agency_id,
            title=f"{number} 决定被变更、撤销后撤回公示"[:300],
            citation=_citation_of(version, "disclosure.withdrawal.after_change", None, today, cache),
            url=f"/staff/disclosure/{public_id}/",
            due_date=due_date,
        )
    requests = CorrectionRequest.objects.filter(
        status=CorrectionRequest.Status.RECEIVED, due_date__lte=horizon
    ).values_list("pk", "tracking_number", "duty__public_id", "duty__agency_id", "due_date", "rule_version")
    for pk, tracking, public_id, agency_id, due_date, version in requests.iterator(chunk_size=BATCH):
        yield Due(
            key=f"correction:{pk}",
            kind=AlertKind.CORRECTION,
            agency_id=agency_id,
            title=f"公示信息更正申请 {tracking}",
            citation=_citation_of(version, "disclosure.correction.period", None, today, cache),
            url=f"/staff/disclosure/{public_id}/",
            due_date=due_date,
        )


def _ex_ante_dues(horizon: dt.date, today: dt.date) -> Iterator[Due]:
    """A change of law or organisation: the ex-ante lists updated within 20 working days (第二十五条)."""
    from sanxiang.catalog.models import LawChange

    rows = LawChange.objects.filter(due_date__lte=horizon, completion__isnull=True).values_list(
        "pk", "agency_id", "title", "due_date", "rule_version"
    )
    cache: dict = {}
    for pk, agency_id, title, due_date, version in rows.iterator(chunk_size=BATCH):
        yield Due(
            key=f"ex_ante:{pk}",
            kind=AlertKind.EX_ANTE,
            agency_id=agency_id,
            title=f"{title} 引起的事前公开内容更新"[:300],
            citation=_citation_of(version, "disclosure.ex_ante.update", None, today, cache),
            url="/catalog/staff/law-changes/",
            due_date=due_date,
        )


def _late_recording_dues(today: dt.date) -> Iterator[Due]:
    """Recordings stored in the system more than 24 hours after they were made (记录办法 第三十二条).
    Already broken, so red at once; closed when a head or supervisor has dealt with it."""
    from sanxiang.cases.models import CaseOfficer, CaseRecord

    handled = set(
        Alert.objects.filter(kind=AlertKind.LATE_RECORDING, closed_at__isnull=False).values_list(
            "key", flat=True
        )
    )
    lead = CaseOfficer.objects.filter(case_id=OuterRef("case_id"), lead=True).values("officer__user__id")[:1]
    rows = (
        CaseRecord.objects.filter(late_upload=True, corrects__isnull=True)
        .annotate(lead_user=Subquery(lead))
        .values_list(
            "pk",
            "case__public_id",
            "case__number",
            "case__agency_id",
            "case__region_code",
            "case__procedure",
            "made_at",
            "kind",
            "lead_user",
        )
    )
    for pk, public_id, number, agency_id, region, procedure, made_at, kind, lead_user in rows.iterator(
        chunk_size=BATCH
    ):
        key = f"late_recording:{pk}"
        if key in handled:
            continue
        rule = rule_for("record.upload", region=region, on=timezone.localdate(made_at))
        due_at = made_at + dt.timedelta(hours=int(rule.value or 24))
        yield Due(
            key=key,
            kind=AlertKind.LATE_RECORDING,
            agency_id=agency_id,
            title=f"{number} {_record_name(procedure, kind)}超过{rule.display_value}录入",
            citation=rule.citation,
            url=f"/staff/cases/{public_id}/",
            due_date=timezone.localdate(due_at),
            due_at=due_at,
            responsible_id=lead_user,
            past=True,
        )


def _record_name(procedure: str, kind: str) -> str:
    from sanxiang.procedures import registry

    try:
        spec = registry.get(procedure).records().get(kind)
    except KeyError:
        spec = None
    return f"{spec.name}（音像记录）" if spec else "音像记录"


def _annual_dues(today: dt.date) -> Iterator[Due]:
    """The year's enforcement data (昆明: by 12-15) and the public annual report (by 01-31 next year)."""
    from sanxiang.registry.models import Agency
    from sanxiang.supervision.models import AnnualReport

    agencies = list(
        Agency.objects.filter(status=Agency.Status.ACTIVE, is_supervisory=False).values_list(
            "pk", "region_code", "created_at"
        )
    )
    done = {
        (agency_id, year, status)
        for agency_id, year, status in AnnualReport.objects.filter(year__gte=today.year - 1).values_list(
            "agency_id", "year", "status"
        )
    }
    submitted = {AnnualReport.Status.SUBMITTED, AnnualReport.Status.PUBLISHED}
    for pk, region, created_at in agencies:
        for year in (today.year - 1, today.year):
            if created_at and timezone.localdate(created_at).year > year:
                continue  # the agency did not exist in that year
            for kind, key, due_year, label in (
                (AlertKind.ANNUAL_DATA, "stats.annual_data_due", year, "年度行政执法数据报送"),
                (AlertKind.ANNUAL_REPORT, "stats.annual_report_due", year + 1, "年度行政执法总体情况公开"),
            ):
                rule = rule_for(key, region=region, on=dt.date(year, 12, 1))
                if not rule.value:
                    continue
                month, day = (int(x) for x in str(rule.value).split("-"))
                due = dt.date(due_year, month, day)
                needed = submitted if kind == AlertKind.ANNUAL_DATA else {AnnualReport.Status.PUBLISHED}
                if any((pk, year, s) in done for s in needed):
                    continue
                if (due - today).days > 400:
                    continue
                yield Due(
                    key=f"{kind}:{pk}:{year}",
                    kind=kind,
                    agency_id=pk,
                    title=f"{year}年度{label}",
                    citation=rule.citation,
                    url="/staff/supervision/reports/",
                    due_date=due,
                )


def _horizon(book: ThresholdBook, regions: Iterable[str]) -> dt.date:
    """The last due date any region's yellow window reaches."""
    limits = [book.for_region(r) for r in set(regions)] or [book.for_region("")]
    horizon = max(t.yellow_date for t in limits)
    hours = max(t.yellow_hours for t in limits)
    return max(horizon, timezone.localdate(book.now + hours))


def running_duties(book: ThresholdBook, regions: Iterable[str]) -> Iterator[Due]:
    """Every duty the sources other than the case deadlines report as running, within the largest
    yellow window of ``regions`` (the case deadlines, a million rows at province scale, are rated
    and compared in the database: :func:`_sweep_case_deadlines`)."""
    horizon = _horizon(book, regions)
    yield from _review_dues(horizon, book.today)
    yield from _disclosure_dues(horizon, book.today)
    yield from _ex_ante_dues(horizon, book.today)
    yield from _late_recording_dues(book.today)
    yield from _annual_dues(book.today)


# ---------------------------------------------------------------- who did it


def _closers(alerts: list[Alert]) -> dict[int, tuple[int | None, str]]:
    """For each alert whose duty ended: the user who did it (if the source says) and a note."""
    from sanxiang.cases.models import CaseEvent, CaseRecord
    from sanxiang.catalog.models import LawChangeCompletion
    from sanxiang.disclosure.models import CorrectionRequest, Publication, Withdrawal
    from sanxiang.review.models import Opinion, ReviewRound
    from sanxiang.supervision.models import AnnualReport

    by_kind: dict[str, list[tuple[Alert, list[str]]]] = {}
    for a in alerts:
        by_kind.setdefault(a.kind, []).append((a, a.key.split(":")))
    result: dict[int, tuple[int | None, str]] = {}

    case_items = by_kind.get(AlertKind.CASE, []) + by_kind.get(AlertKind.ARCHIVE, [])
    if case_items:
        ids = {int(parts[1]) for _, parts in case_items}
        # The last act on the case (an event or a record, e.g. the head's approval) met the limit.
        latest: dict[int, tuple[dt.datetime, int]] = {}
        acts = list(CaseEvent.objects.filter(case_id__in=ids).values_list("case_id", "at", "actor_id"))
        acts += list(
            CaseRecord.objects.filter(case_id__in=ids).values_list("case_id", "uploaded_at", "made_by_id")
        )
        for case_id, at, actor_id in acts:
            if case_id not in latest or at >= latest[case_id][0]:
                latest[case_id] = (at, actor_id)
        latest_actor = {case_id: actor for case_id, (_, actor) in latest.items()}
        for a, parts in case_items:
            result[a.pk] = (latest_actor.get(int(parts[1])), "期限要求的环节已办结")
    items = by_kind.get(AlertKind.REVIEW, [])
    if items:
        ids = {int(parts[1]) for _, parts in items}
        by = dict(Opinion.objects.filter(round_id__in=ids).values_list("round_id", "by_id"))
        status = dict(ReviewRound.objects.filter(pk__in=ids).values_list("pk", "status"))
        for a, parts in items:
            rid = int(parts[1])
            note = (
                "已出具法制审核意见"
                if rid in by
                else f"送审轮次已{ReviewRound.Status(status[rid]).label}"
                if rid in status
                else "送审轮次已结束"
            )
            result[a.pk] = (by.get(rid), note)
    items = by_kind.get(AlertKind.DISCLOSURE, [])
    if items:
        ids = {int(parts[1]) for _, parts in items}
        by = {}
        for duty_id, user_id in (
            Publication.objects.filter(duty_id__in=ids)
            .order_by("-version")
            .values_list("duty_id", "published_by_id")
        ):
            by[duty_id] = user_id
        for a, parts in items:
            did = int(parts[1])
            result[a.pk] = (by.get(did), "已公示" if did in by else "已作出不予公开或撤下处理")
    items = by_kind.get(AlertKind.WITHDRAWAL, [])
    if items:
        ids = {int(parts[1]) for _, parts in items}
        by = dict(Withdrawal.objects.filter(order_id__in=ids).values_list("order_id", "withdrawn_by_id"))
        for a, parts in items:
            result[a.pk] = (by.get(int(parts[1])), "已撤回公示并说明理由")
    items = by_kind.get(AlertKind.CORRECTION, [])
    if items:
        ids = {int(parts[1]) for _, parts in items}
        by = dict(CorrectionRequest.objects.filter(pk__in=ids).values_list("pk", "decided_by_id"))
        for a, parts in items:
            result[a.pk] = (by.get(int(parts[1])), "更正申请已处理")
    items = by_kind.get(AlertKind.EX_ANTE, [])
    if items:
        ids = {int(parts[1]) for _, parts in items}
        by = dict(
            LawChangeCompletion.objects.filter(law_change_id__in=ids).values_list(
                "law_change_id", "completed_by_id"
            )
        )
        for a, parts in items:
            result[a.pk] = (by.get(int(parts[1])), "事前公开内容已更新")
    for kind, field_name, note in (
        (AlertKind.ANNUAL_DATA, "submitted_by_id", "年度数据已报送"),
        (AlertKind.ANNUAL_REPORT, "published_by_id", "年度报告已公开"),
    ):
        for a, parts in by_kind.get(kind, []):
            row = (
                AnnualReport.objects.filter(agency_id=int(parts[1]), year=int(parts[2]))
                .values(field_name)
                .first()
            )
            result[a.pk] = (row[field_name] if row else None, note)
    return result


# ---------------------------------------------------------------- the sweep


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5355_5056])  # "SUPV"


def alerts_lock() -> None:
    """The sweep's lock (PostgreSQL): whoever changes alerts or their tallies outside the sweep
    takes it first, so the tallies the sweep rebuilds stay exact."""
    _lock()


def alert_tallies_built() -> bool:
    from sanxiang.supervision.models import TallyMark

    return TallyMark.objects.filter(pk=1, alerts_at__isnull=False).exists()


def rebuild_alert_tallies(now: dt.datetime) -> None:
    """Count every alert again into OpenAlertTally and RedAlertTally (inside the sweep's lock)."""
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from sanxiang.supervision.models import OpenAlertTally, RedAlertTally, TallyMark

    OpenAlertTally.objects.all().delete()
    RedAlertTally.objects.all().delete()
    OpenAlertTally.objects.bulk_create(
        OpenAlertTally(agency_id=agency_id, level=level, n=n)
        for agency_id, level, n in Alert.objects.filter(closed_at__isnull=True)
        .values_list("agency_id", "level")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "level", "n")
        .order_by()
    )
    RedAlertTally.objects.bulk_create(
        RedAlertTally(agency_id=agency_id, day=day, n=n)
        for agency_id, day, n in Alert.objects.filter(level=AlertLevel.RED, red_at__isnull=False)
        .annotate(day=TruncDate("red_at"))
        .values_list("agency_id", "day")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "day", "n")
        .order_by()
    )
    mark, _ = TallyMark.objects.get_or_create(pk=1)
    TallyMark.objects.filter(pk=mark.pk).update(alerts_at=now)


def alert_sweep(*, now: dt.datetime | None = None) -> SweepReport:
    """Bring the stored alerts in line with the running duties (see the module docstring)."""
    from sanxiang.ledger.services import record
    from sanxiang.registry.models import Agency

    now = now or timezone.now()
    book = ThresholdBook(now)
    regions = dict(Agency.objects.values_list("pk", "region_code"))
    report = SweepReport()
    desired: dict[str, tuple[Due, str]] = {}
    for due in running_duties(book, regions.values()):
        level = book.for_region(regions.get(due.agency_id, "")).level(due)
        if level is not None:
            desired[due.key] = (due, level)
    changes: list[str] = []
    with transaction.atomic():
        _lock()
        # the open alerts as plain rows: a model instance only for those that change
        fields = ("pk", "key", "kind", "agency_id", "level", "due_date", "due_at", "red_at")
        open_rows = {
            row[1]: row
            for row in Alert.objects.filter(closed_at__isnull=True)
            .exclude(kind__in=CASE_KINDS)
            .values_list(*fields)
            .iterator(chunk_size=BATCH)
        }
        new, updated, ended = [], [], []
        for key, (due, level) in desired.items():
            row = open_rows.get(key)
            if row is None:
                new.append(
                    Alert(
                        key=key,
                        kind=due.kind,
                        agency_id=due.agency_id,
                        title=due.title,
                        citation=due.citation[:300],
                        url=due.url,
                        due_date=due.due_date,
                        due_at=due.due_at,
                        level=level,
                        responsible_id=due.responsible_id,
                        opened_at=now,
                        red_at=now if level == AlertLevel.RED else None,
                    )
                )
                changes.append(f"open {key} {level}")
                continue
            if row[4] == level and row[5] == due.due_date and row[6] == due.due_at:
                report.unchanged += 1
                continue
            alert = Alert(**dict(zip(fields, row, strict=True)))
            if alert.level != level:
                if level == AlertLevel.RED:
                    report.raised += 1
                    alert.red_at = now
                else:
                    report.lowered += 1
                    alert.red_at = None
            alert.level, alert.due_date, alert.due_at = level, due.due_date, due.due_at
            updated.append(alert)
            changes.append(f"level {key} {level} {due.due_date}")
        for key, row in open_rows.items():
            if key not in desired:
                ended.append(Alert(**dict(zip(fields, row, strict=True))))
        ended += _sweep_case_deadlines(book, regions, now, report, changes)
        if ended:
            closers = _closers(ended)
            for alert in ended:
                user_id, note = closers.get(alert.pk, (None, "义务已履行"))
                alert.closed_at, alert.closed_by_id, alert.close_note = now, user_id, note
                changes.append(f"close {alert.key}")
        Alert.objects.bulk_create(new, batch_size=BATCH)
        Alert.objects.bulk_update(updated, ["level", "due_date", "due_at", "red_at"], batch_size=BATCH)
        Alert.objects.bulk_update(ended, ["closed_at", "closed_by", "close_note"], batch_size=BATCH)
        report.opened += len(new)
        report.closed = len(ended)
        if changes or not alert_tallies_built():
            rebuild_alert_tallies(now)
        if changes:
            digest = hashlib.sha256("\n".join(sorted(changes)).encode()).hexdigest()
            entry = record(
                kind="supervision.alert_sweep",
                subject=("supervision.sweep", timezone.localtime(now).isoformat()),
                actor="system:supervision-sweep",
                payload={
                    "opened": report.opened,
                    "raised": report.raised,
                    "lowered": report.lowered,
                    "closed": report.closed,
                    "changes_sha256": digest,
                    "sample": sorted(changes)[:50],
                },
            )
            report.ledger_seq = entry.seq
    return report
