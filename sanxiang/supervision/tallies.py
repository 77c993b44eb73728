"""Pre-aggregated decision figures: the dashboard and the annual tables read day tallies, not every
decision row.

A *fact* is one cell of the decisions of a day: (agency, day, decision kind, heaviest penalty rank)
with the number of current decisions and the sums their 决定书 fix (罚款, 没收, 征收). The counting
rules are those of :mod:`sanxiang.supervision.statistics` (a decision counts once, under its
heaviest penalty in the order of 行政处罚法 第九条; only a decision's current row counts; 罚没金额 as
fixed in the 决定书), computed by one grouped statement (:func:`decision_facts`).

``tally_sweep()`` stores the facts of every decision with ``pk <= W`` (``TallyMark``) in
``DecisionTally``. Decisions are never updated or deleted and their lines are written in the same
transaction, so the only way a stored day can go stale is a later decision row: a new decision of
that day, or a corrected 决定书 (a new row that replaces the one it corrects). A read therefore takes
the stored tallies of every day no decision above ``W`` touches, and computes the other days live
(:func:`facts`): the figures are those of the live computation whether or not the sweep ran today.
The sweep is idempotent (nothing above ``W``: nothing written) and replaces only the days touched
since the last run.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

# (agency_id, month (first day), decision kind, heaviest rank)
#   -> [decisions, fine, confiscation, levy, *COUNTS]
Facts = dict[tuple[int, dt.date, str, int], list]
# the per-decision counts a fact also sums (DecisionTally fields of the same names)
COUNTS = ("granted", "refused", "seal", "seize", "freeze", "other_measure")
# the licensing steps StepTally counts (statistics.LICENSING_STEPS keys)
CASE_STEPS = ("applied",)
EVENT_STEPS = {"accept": "accepted", "refuse_acceptance": "not_accepted"}
NO_PENALTY = -1  # not a penalty decision, or no penalty line
_CENT = Decimal("0.01")
_FLOATS = decimal.Context(prec=15)


def money(value) -> Decimal | None:
    """A sum as the ORM would return it for a DecimalField(decimal_places=2) (SQLite gives floats)."""
    if value is None:
        return None
    if isinstance(value, float):
        return _FLOATS.create_decimal_from_float(value).quantize(_CENT)
    return Decimal(value).quantize(_CENT)


def _add(target: list, n: int, fine, confiscation, levy, *counts: int) -> None:
    target[0] += n
    for i, v in ((1, fine), (2, confiscation), (3, levy)):
        if v is not None:
            target[i] = v if target[i] is None else target[i] + v
    for i, v in enumerate(counts, start=4):
        target[i] += v


def _empty() -> list:
    return [0, None, None, None, *([0] * len(COUNTS))]


def _fact_sql(
    agency_ids: Sequence[int] | None,
    days: Sequence[dt.date] | None,
    through: int | None,
    between: tuple[dt.date, dt.date] | None = None,
    above: int | None = None,
    replaced_above: int | None = None,
):
    from sanxiang.supervision.statistics import (
        CONFISCATION_KINDS,
        FINE_KINDS,
        MEASURE_OF_KIND,
        PENALTY_GROUPS,
    )

    whens, params = [], []
    for rank, (_, _, kinds) in enumerate(PENALTY_GROUPS, start=1):
        whens.append(f"WHEN l.kind IN ({', '.join(['%s'] * len(kinds))}) THEN {rank}")
        params.extend(kinds)
    fine = ", ".join(["%s"] * len(FINE_KINDS))
    conf = ", ".join(["%s"] * len(CONFISCATION_KINDS))
    params += [*FINE_KINDS, *CONFISCATION_KINDS]
    measures = []
    for kind in ("seal", "seize", "freeze"):
        measures.append(
            f" MAX(CASE WHEN l.category = 'measure' AND l.kind = %s THEN 1 ELSE 0 END) AS m_{kind},"
        )
        params.append(next(k for k, v in MEASURE_OF_KIND.items() if v == kind))
    named = ", ".join(["%s"] * len(MEASURE_OF_KIND))
    measures.append(
        " COUNT(DISTINCT CASE WHEN l.category = 'measure' AND l.kind NOT IN"
        f" ({named}) THEN l.kind END) AS m_other"
    )
    params += list(MEASURE_OF_KIND)
    where, where_params = ["1 = 1"], []
    if agency_ids is not None:
        where.append(f"d.agency_id IN ({', '.join(['%s'] * len(agency_ids))})")
        where_params += list(agency_ids)
    if days is not None:
        where.append(f"d.decided_on IN ({', '.join(['%s'] * len(days))})")
        where_params += list(days)
    if between is not None:
        where.append("d.decided_on >= %s AND d.decided_on <= %s")
        where_params += list(between)
    later = ""
    if through is not None:
        where.append("d.id <= %s")
        later = " AND c.id <= %s"
        where_params += [through, through]
    join, join_params = "", []
    if above is not None:
        where.append("d.id > %s")
        where_params.append(above)
        # the lines of the new decisions only, by the decision_id index (not a scan of every line)
        join, join_params = " AND l.decision_id > %s", [above]
    if replaced_above is not None:
        where.append(
            "d.id IN (SELECT r.corrects_id FROM cases_decision r WHERE r.id > %s AND r.corrects_id IS NOT NULL)"
        )
        where_params.append(replaced_above)
    sql = (
        "SELECT t.agency_id, t.decided_on, t.kind, COALESCE(t.r, -1), COUNT(*), SUM(t.fine), SUM(t.conf),"  # noqa: S608 - only placeholders and rank numbers are formatted in
        " SUM(t.levy), SUM(t.g), SUM(t.rf), SUM(t.m_seal), SUM(t.m_seize), SUM(t.m_freeze), SUM(t.m_other)"
        " FROM ("
        " SELECT d.agency_id AS agency_id, d.decided_on AS decided_on, d.kind AS kind,"
        " MAX(CASE WHEN d.kind = 'licence' AND d.granted THEN 1 ELSE 0 END) AS g,"
        " MAX(CASE WHEN d.kind = 'licence' AND NOT d.granted THEN 1 ELSE 0 END) AS rf,"
        f" CASE WHEN d.kind = 'penalty' THEN MAX(CASE WHEN l.category = 'penalty' THEN CASE {' '.join(whens)}"
        " ELSE 0 END END) END AS r,"
        f" SUM(CASE WHEN l.category = 'penalty' AND l.kind IN ({fine}) THEN l.amount END) AS fine,"
        f" SUM(CASE WHEN l.category = 'penalty' AND l.kind IN ({conf}) THEN l.amount END) AS conf,"
        " SUM(CASE WHEN l.category = 'levy' THEN l.amount END) AS levy,"
        f"{''.join(measures)}"
        f" FROM cases_decision d LEFT JOIN cases_decisionline l ON l.decision_id = d.id{join}"
        f" WHERE {' AND '.join(where)}"
        f" AND NOT EXISTS (SELECT 1 FROM cases_decision c WHERE c.corrects_id = d.id{later})"
        " GROUP BY d.agency_id, d.decided_on, d.kind, d.id) t"
        " GROUP BY t.agency_id, t.decided_on, t.kind, COALESCE(t.r, -1)"
    )
    return sql, params + join_params + where_params


def decision_facts(
    *,
    agency_ids: Sequence[int] | None,
    days: Sequence[dt.date] | None = None,
    through: int | None = None,
    between: tuple[dt.date, dt.date] | None = None,
    above: int | None = None,
    replaced_above: int | None = None,
) -> list[tuple]:
    """The facts of every current decision (of these agencies, on these days or ``between`` two days
    inclusive; ``None``: all), as they stand with the decisions up to ``through`` (``None``: all);
    only those with a pk ``above`` a mark, or only those replaced by (corrected in) a decision above
    ``replaced_above``."""
    if (agency_ids is not None and not agency_ids) or (days is not None and not days):
        return []
    sql, params = _fact_sql(agency_ids, days, through, between, above, replaced_above)
    return _fact_rows(sql, params)


def delta_facts(
    *, agency_ids: Sequence[int], between: tuple[dt.date, dt.date], mark: int
) -> tuple[list[tuple], list[tuple]]:
    """(added, removed) in one statement: the facts of the current decisions above ``mark``, and of
    the decisions up to ``mark`` that were current at it and that a decision above it corrects."""
    if not agency_ids:
        return [], []
    added, added_params = _fact_sql(agency_ids, None, None, between, above=mark)
    removed, removed_params = _fact_sql(agency_ids, None, mark, between, replaced_above=mark)
    rows = _fact_rows(
        f"SELECT 1, a.* FROM ({added}) a UNION ALL SELECT -1, r.* FROM ({removed}) r",  # noqa: S608 - two statements built above from placeholders
        added_params + removed_params,
        signed=True,
    )
    return [r[1:] for r in rows if r[0] == 1], [r[1:] for r in rows if r[0] == -1]


def _fact_rows(sql: str, params: list, *, signed: bool = False) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if signed:
        return [(sign, *_fact_row(row)) for sign, *row in rows]
    return [_fact_row(row) for row in rows]


def _fact_row(row) -> tuple:
    agency_id, day, kind, rank, n, fine, conf, levy, *counts = row
    if isinstance(day, str):  # SQLite
        day = dt.date.fromisoformat(day)
    sums = (money(fine), money(conf), money(levy))
    return (agency_id, day, kind, int(rank), int(n), *sums, *(int(c or 0) for c in counts))


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def read_marks() -> tuple[int, int, int, bool]:
    """How far the stored tallies reach: (decision, case, case event) pk, and whether the alert
    tallies are built; zeros and False before any sweep. One query; a page reads it once."""
    from sanxiang.supervision.models import TallyMark

    row = (
        TallyMark.objects.filter(pk=1)
        .values_list("through_decision", "through_case", "through_event", "alerts_at")
        .first()
    )
    return (row[0], row[1], row[2], row[3] is not None) if row else (0, 0, 0, False)


def _touched_days(*, above: int, upto: int | None = None, agency_ids: Iterable[int] | None = None) -> set:
    """Days whose facts changed with the decisions above ``above`` (up to ``upto``): the new rows' own
    days and, for a corrected 决定书, the day of the row it replaces."""
    from sanxiang.cases.models import Decision

    qs = Decision.objects.filter(pk__gt=above)
    if upto is not None:
        qs = qs.filter(pk__lte=upto)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    days: set[dt.date] = set()
    for own, replaced in qs.values_list("decided_on", "corrects__decided_on").order_by():
        days.add(own)
        if replaced is not None:
            days.add(replaced)
    return days


def facts(agency_ids: Sequence[int], start: dt.date, end: dt.date, marks: tuple | None = None) -> Facts:
    """Facts of the period per month: the stored tallies (the decisions up to the mark ``W``) plus the
    facts of the current decisions above ``W``, minus those of the decisions up to ``W`` that a
    decision above ``W`` corrects (they were current at ``W``). A decision's own facts never change
    (it and its lines are never updated), so this is exact, and the delta is bounded by the decisions
    written since the sweep, not by the rows of their days."""
    from sanxiang.supervision.models import DecisionTally

    out: Facts = defaultdict(_empty)
    if not agency_ids:
        return out
    through = (marks or read_marks())[0]
    between = (start, end)
    if not through:
        added = decision_facts(agency_ids=agency_ids, between=between)
        removed: list[tuple] = []
    else:
        added, removed = delta_facts(agency_ids=agency_ids, between=between, mark=through)
        stored = (
            DecisionTally.objects.filter(agency_id__in=agency_ids, day__gte=start, day__lte=end)
            .annotate(month=TruncMonth("day"))
            .values_list("agency_id", "month", "kind", "heaviest")
            .annotate(
                n=Sum("decisions"),
                f=Sum("fine"),
                c=Sum("confiscation"),
                v=Sum("levy"),
                **{f"s_{name}": Sum(name) for name in COUNTS},
            )
            .order_by()
        )
        for agency_id, month, kind, rank, n, fine, conf, levy, *counts in stored:
            if isinstance(month, dt.datetime):
                month = month.date()
            _add(out[(agency_id, month, kind, rank)], n, money(fine), money(conf), money(levy), *counts)
    for agency_id, day, kind, rank, n, fine, conf, levy, *counts in added:
        _add(out[(agency_id, _month(day), kind, rank)], n, fine, conf, levy, *counts)
    for agency_id, day, kind, rank, n, fine, conf, levy, *counts in removed:
        sums = (-v if v is not None else None for v in (fine, conf, levy))
        _add(out[(agency_id, _month(day), kind, rank)], -n, *sums, *(-c for c in counts))
    for key in [key for key, fact in out.items() if fact[0] == 0]:
        del out[key]  # every decision of the cell replaced since the sweep
    return out


def _local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone: what ``__date`` between
    ``start`` and ``end`` means, as a range an index can serve."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def step_facts(
    *,
    agency_ids: Sequence[int] | None = None,
    cases: tuple[int, int | None] = (0, None),
    events: tuple[int, int | None] = (0, None),
    between: tuple[dt.date, dt.date] | None = None,
) -> list[tuple[int, dt.date, str, int]]:
    """(agency, local day, step, n) of the licensing cases opened (申请) with ``cases[0] < pk <=
    cases[1]`` and of their acceptance events (受理 / 不予受理) with ``events[0] < pk <= events[1]``
    (``None``: no upper bound), optionally only the days ``between`` two days inclusive."""
    from sanxiang.cases.models import Case, CaseEvent

    if agency_ids is not None and not agency_ids:
        return []
    opened = Case.objects.filter(procedure__startswith="licensing", pk__gt=cases[0])
    accepted = CaseEvent.objects.filter(
        case__procedure__startswith="licensing", transition__in=list(EVENT_STEPS), pk__gt=events[0]
    )
    if cases[1] is not None:
        opened = opened.filter(pk__lte=cases[1])
    if events[1] is not None:
        accepted = accepted.filter(pk__lte=events[1])
    if agency_ids is not None:
        opened = opened.filter(agency_id__in=list(agency_ids))
        accepted = accepted.filter(case__agency_id__in=list(agency_ids))
    if between is not None:
        lo, hi = _local_range(*between)
        opened = opened.filter(opened_at__gte=lo, opened_at__lt=hi)
        accepted = accepted.filter(at__gte=lo, at__lt=hi)
    out: list[tuple[int, dt.date, str, int]] = [
        (agency_id, day, CASE_STEPS[0], n)
        for agency_id, day, n in opened.annotate(day=TruncDate("opened_at"))
        .values_list("agency_id", "day")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "day", "n")
        .order_by()
    ]
    out += [
        (agency_id, day, EVENT_STEPS[transition], n)
        for agency_id, day, transition, n in accepted.annotate(day=TruncDate("at"))
        .values_list("case__agency_id", "day", "transition")
        .annotate(n=Count("pk"))
        .values_list("case__agency_id", "day", "transition", "n")
        .order_by()
    ]
    return out


def steps(
    agency_ids: Sequence[int], start: dt.date, end: dt.date, marks: tuple | None = None
) -> dict[int, dict[str, int]]:
    """Licensing steps of the period per agency: the stored counts plus the rows above the marks."""
    from sanxiang.supervision.models import StepTally

    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not agency_ids:
        return out
    _, through_case, through_event, _ = marks or read_marks()
    if through_case or through_event:
        for agency_id, step, n in (
            StepTally.objects.filter(agency_id__in=agency_ids, day__gte=start, day__lte=end)
            .values_list("agency_id", "step")
            .annotate(n=Sum("n"))
            .order_by()
        ):
            out[agency_id][step] += n
    for agency_id, _, step, n in step_facts(
        agency_ids=agency_ids,
        cases=(through_case, None),
        events=(through_event, None),
        between=(start, end),
    ):
        out[agency_id][step] += n
    return out


@dataclass
class TallyReport:
    through: int = 0
    days: int = 0
    rows: int = 0
    steps: int = 0


def _stable_max() -> tuple[int, int, int]:
    """The highest decision, case and case event pks such that every row below them is committed: on
    PostgreSQL a SHARE lock waits for the transactions writing them to end (and is released at once)."""
    from sanxiang.cases.models import Case, CaseEvent, Decision

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE cases_decision, cases_case, cases_caseevent IN SHARE MODE")
        return (
            Decision.objects.aggregate(m=Max("pk"))["m"] or 0,
            Case.objects.aggregate(m=Max("pk"))["m"] or 0,
            CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0,
        )


def _sweep_steps(mark, upto_case: int, upto_event: int) -> int:
    """Add the licensing steps of the cases and events above the marks to the stored counts."""
    from sanxiang.supervision.models import StepTally

    if mark.through_case == 0 and mark.through_event == 0:
        StepTally.objects.all().delete()
    delta = step_facts(cases=(mark.through_case, upto_case), events=(mark.through_event, upto_event))
    if not delta:
        return 0
    stored = {
        (t.agency_id, t.day, t.step): t
        for t in StepTally.objects.filter(day__in={day for _, day, _, _ in delta})
    }
    new: dict[tuple, StepTally] = {}
    changed: dict[tuple, StepTally] = {}
    for agency_id, day, step, n in delta:
        key = (agency_id, day, step)
        if key in stored:
            stored[key].n += n
            changed[key] = stored[key]
        elif key in new:
            new[key].n += n
        else:
            new[key] = StepTally(agency_id=agency_id, day=day, step=step, n=n)
    StepTally.objects.bulk_create(list(new.values()), batch_size=5000)
    StepTally.objects.bulk_update(list(changed.values()), ["n"], batch_size=5000)
    return len(new) + len(changed)


def tally_sweep() -> TallyReport:
    """Bring the stored tallies up to the latest decision, case and case event (idempotent; only the
    touched days rewritten)."""
    from sanxiang.ledger.services import record
    from sanxiang.supervision.models import DecisionTally, TallyMark

    upto, upto_case, upto_event = _stable_max()
    with transaction.atomic():
        mark, _ = TallyMark.objects.select_for_update().get_or_create(pk=1)
        report = TallyReport(through=mark.through_decision)
        if (
            upto <= mark.through_decision
            and upto_case <= mark.through_case
            and upto_event <= mark.through_event
        ):
            return report
        days: list[dt.date] = []
        rows: list[tuple] = []
        if upto > mark.through_decision:
            if mark.through_decision == 0:
                rows = decision_facts(agency_ids=None, through=upto)
                days = sorted({r[1] for r in rows})
                DecisionTally.objects.all().delete()
            else:
                days = sorted(_touched_days(above=mark.through_decision, upto=upto))
                for i in range(0, len(days), 500):
                    chunk = days[i : i + 500]
                    DecisionTally.objects.filter(day__in=chunk).delete()
                    rows += decision_facts(agency_ids=None, days=chunk, through=upto)
            DecisionTally.objects.bulk_create(
                [
                    DecisionTally(
                        agency_id=a,
                        day=d,
                        kind=k,
                        heaviest=r,
                        decisions=n,
                        fine=f,
                        confiscation=c,
                        levy=v,
                        **dict(zip(COUNTS, counts, strict=True)),
                    )
                    for a, d, k, r, n, f, c, v, *counts in rows
                ],
                batch_size=5000,
            )
        upto_case, upto_event = max(upto_case, mark.through_case), max(upto_event, mark.through_event)
        step_rows = _sweep_steps(mark, upto_case, upto_event)
        previous = (mark.through_decision, mark.through_case, mark.through_event)
        upto = max(upto, mark.through_decision)
        mark.through_decision, mark.through_case, mark.through_event = upto, upto_case, upto_event
        mark.swept_at = timezone.now()
        mark.save(update_fields=["through_decision", "through_case", "through_event", "swept_at"])
        record(
            kind="supervision.tally_sweep",
            subject=("supervision.tallies", str(upto)),
            actor="system:supervision-sweep",
            payload={
                "from_decision": previous[0],
                "through_decision": upto,
                "from_case": previous[1],
                "through_case": upto_case,
                "from_event": previous[2],
                "through_event": upto_event,
                "days": len(days),
                "rows": len(rows),
                "step_rows": step_rows,
            },
        )
    report.through, report.days, report.rows, report.steps = upto, len(days), len(rows), step_rows
    return report
