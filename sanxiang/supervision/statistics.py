"""Statistics of enforcement (行政执法统计) with the counting rules agencies report by.

Every figure is a grouped query over stored rows (decisions and their lines, cases, records,
review rounds, disclosure duties, registry), one query per table for a whole region, never a loop
over cases. The counting rules:

- **Behaviour** (许可、处罚、强制、检查、征收、其他) is the kind of the decision row
  (``cases.Decision.kind``); only a decision's current row counts (a corrected 决定书 replaces the
  row it corrects, 《松原市行政执法全过程记录实施办法》第三十六条 更正).
- **One decision counts once under its heaviest penalty**, in the order of 行政处罚法 第九条:
  警告、通报批评 < 罚款 < 没收违法所得、没收非法财物 < 暂扣许可证件、降低资质等级 < 吊销许可证件 <
  限制开展生产经营活动 < 责令停产停业、责令关闭、限制从业 < 行政拘留 (``PENALTY_GROUPS``).
- **罚没金额** is what the 决定书 fixes (its ``DecisionLine`` amounts: 罚款、没收违法所得、没收非法财物),
  not what was paid.
- **许可**: 申请 (licensing cases opened), 受理 and 不予受理 (the procedure's transitions), 准予 and
  不予 (decisions granted or refused), 撤销 (licence decisions revoked, ``DecisionChange``).
- **强制**: 措施 (查封、扣押、冻结、其他, the decision's measure lines, 行政强制法 第九条) apart from 执行
  (加处罚款、划拨、拍卖、排除妨碍、代履行、申请法院执行, 行政强制法 第十二条, from the execution records).
- **检查**: one inspection per object with a complete record: an inspection result decision.
- **"0" or "无相关职责"**: a behaviour the agency has no power for (no entry of that category in its
  行政执法事项清单) and no act of is written "无相关职责"; a power it has and did not use is "0".
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

NO_DUTY = "无相关职责"

BEHAVIOURS: tuple[tuple[str, str], ...] = (
    ("licensing", "行政许可"),
    ("penalty", "行政处罚"),
    ("coercion", "行政强制"),
    ("inspection", "行政检查"),
    ("levy", "行政征收"),
    ("other", "其他行政执法行为"),
)
DECISION_BEHAVIOUR = {
    "penalty": "penalty",
    "licence": "licensing",
    "measure": "coercion",
    "inspection": "inspection",
    "levy": "levy",
}
# 行政执法事项清单 categories (catalog.ItemCategory) → behaviour
CATALOG_BEHAVIOUR = {
    "licensing": "licensing",
    "penalty": "penalty",
    "coercion": "coercion",
    "inspection": "inspection",
    "expropriation": "levy",
}

# 行政处罚法 第九条, lightest first; a decision counts once under the heaviest kind it imposes.
PENALTY_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("warning", "警告、通报批评", ("warning", "criticism")),
    ("fine", "罚款", ("fine",)),
    ("confiscation", "没收违法所得、没收非法财物", ("confiscate_gains", "confiscate_property")),
    ("suspension", "暂扣许可证件、降低资质等级", ("suspend_permit", "downgrade")),
    ("revocation", "吊销许可证件", ("revoke_permit",)),
    ("restriction", "限制开展生产经营活动", ("restrict_activity",)),
    ("closure", "责令停产停业、责令关闭、限制从业", ("suspend_business", "close", "restrict_employment")),
    ("detention", "行政拘留", ("detention",)),
)
PENALTY_RANK = {kind: rank for rank, (_, _, kinds) in enumerate(PENALTY_GROUPS, start=1) for kind in kinds}
OTHER_PENALTY = ("other_penalty", "其他行政处罚")
FINE_KINDS = ("fine",)
CONFISCATION_KINDS = ("confiscate_gains", "confiscate_property")

LICENSING_STEPS = (
    ("applied", "申请"),
    ("accepted", "受理"),
    ("not_accepted", "不予受理"),
    ("granted", "准予"),
    ("refused", "不予许可"),
    ("revoked", "撤销"),
)
# 行政强制法 第九条 (措施) and 第十二条 (执行方式)
MEASURES = (("seal", "查封"), ("seize", "扣押"), ("freeze", "冻结"), ("other", "其他措施"))
MEASURE_OF_KIND = {"seal": "seal", "seize": "seize", "freeze": "freeze"}
# MEASURES key -> the DecisionTally field counting it
MEASURE_TALLIES = (("seal", "seal"), ("seize", "seize"), ("freeze", "freeze"), ("other", "other_measure"))
EXECUTIONS = (
    ("surcharge", "加处罚款或者滞纳金"),
    ("transfer", "划拨存款、汇款"),
    ("auction", "拍卖或者依法处理"),
    ("remove", "排除妨碍、恢复原状"),
    ("substitute", "代履行"),
    ("court", "申请人民法院强制执行"),
)
EXECUTION_WORDS = (
    ("surcharge", ("加处罚款", "滞纳金")),
    ("transfer", ("划拨",)),
    ("auction", ("拍卖", "依法处理")),
    ("remove", ("排除妨碍", "恢复原状")),
    ("substitute", ("代履行",)),
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        if self.start == dt.date(self.start.year, 1, 1) and self.end == dt.date(self.start.year, 12, 31):
            return f"{self.start.year}年度"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


@dataclass
class Cell:
    value: Any  # int, Decimal, or None when there is nothing to divide by
    duty: bool = True
    unit: str = ""

    @property
    def display(self) -> str:
        if not self.duty:
            return NO_DUTY
        if self.value is None:
            return "—"
        if isinstance(self.value, Decimal):
            text = f"{self.value:,.2f}" if self.unit == "元" else f"{self.value.normalize():f}"
            return f"{text}{'%' if self.unit == '%' else ''}"
        return str(self.value)

    def as_json(self) -> Any:
        if not self.duty:
            return NO_DUTY
        return (
            None if self.value is None else str(self.value) if isinstance(self.value, Decimal) else self.value
        )


MUTED_TD = '<td class="muted">'


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    total: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)

    def html(self) -> SafeString:
        """The table as ``supervision/_table.html`` writes it, built in Python (the dashboard renders
        several hundred cells: a template loop per cell costs more than the figures)."""
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.columns)
        body = []
        for name, cells in self.rows:
            tds = "".join(("<td>" if c.duty else MUTED_TD) + f"{escape(c.display)}</td>" for c in cells)
            body.append(f'<tr><th scope="row">{escape(name)}</th>{tds}</tr>')
        if not self.rows:
            body.append(f'<tr><td colspan="{len(self.columns) + 1}">暂无</td></tr>')
        if self.total and len(self.rows) > 1:
            tds = "".join(f"<td>{escape(c.display)}</td>" for c in self.total)
            body.append(f'<tr class="total"><th scope="row">合计</th>{tds}</tr>')
        notes = "".join(f'<p class="muted">{escape(n)}</p>' for n in self.notes)
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<div class="table-scroll"><table class="stats"><caption>{escape(self.title)}</caption><thead><tr>'
            f'<th scope="col">执法主体</th>{head}</tr></thead>\n<tbody>{"".join(body)}\n</tbody></table></div>\n'
            f"{notes}"
        )

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "columns": self.columns,
            "rows": [{"agency": name, "values": [c.as_json() for c in cells]} for name, cells in self.rows],
            "total": [c.as_json() for c in self.total] if self.total else None,
            "notes": self.notes,
        }


def _current_decisions(agency_ids, period: Period):
    from sanxiang.cases.models import Decision

    return Decision.objects.filter(
        agency_id__in=agency_ids,
        correction__isnull=True,
        decided_on__gte=period.start,
        decided_on__lte=period.end,
    )


def powers(agency_ids, on: dt.date) -> dict[int, set[str]]:
    """The behaviours each agency has power for: the categories of its 行政执法事项清单 in force."""
    from sanxiang.catalog.models import EnforcementItem

    latest: dict[tuple[int, str], tuple[tuple, str, bool]] = {}
    for agency_id, code, category, effective, version, withdrawn in EnforcementItem.objects.filter(
        agency_id__in=agency_ids, effective_from__lte=on
    ).values_list("agency_id", "code", "category", "effective_from", "version", "withdrawn"):
        key = (agency_id, code)
        if key not in latest or (effective, version) > latest[key][0]:
            latest[key] = ((effective, version), category, withdrawn)
    out: dict[int, set[str]] = defaultdict(set)
    for (agency_id, _), (_, category, withdrawn) in latest.items():
        if not withdrawn:
            out[agency_id].add(CATALOG_BEHAVIOUR.get(category, "other"))
    return out


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"))


def _per(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"))


class Figures:
    """All tables for a set of agencies and a period, computed once (grouped queries).

    ``tallied`` (the default) reads the decision counts, heaviest penalties, sums and monthly trend
    from the day tallies (:mod:`sanxiang.supervision.tallies`, the days touched since the last sweep
    live); ``tallied=False`` computes them from every decision row (the reference the tests compare
    the tallies with)."""

    def __init__(self, agencies, period: Period, *, tallied: bool = True):
        self.agencies = list(agencies.order_by("name").values_list("pk", "name", "region_code"))
        self.ids = [a[0] for a in self.agencies]
        self.period = period
        self.powers = powers(self.ids, period.end)
        self.tallied = tallied
        self._facts: Any = None
        self._marks: tuple | None = None

    @property
    def marks(self) -> tuple:
        """The tallies' marks (``tallies.read_marks``), read once."""
        from sanxiang.supervision.tallies import read_marks

        if self._marks is None:
            self._marks = read_marks()
        return self._marks

    def facts(self):
        from sanxiang.supervision.tallies import facts

        if self._facts is None:
            self._facts = facts(self.ids, self.period.start, self.period.end, marks=self.marks)
        return self._facts

    # ------------------------------------------------------------ counts

    def behaviour_counts(self) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        if self.tallied:
            for (agency_id, _, kind, _), (n, *_) in self.facts().items():
                counts[agency_id][DECISION_BEHAVIOUR.get(kind, "other")] += n
            return counts
        for agency_id, kind, n in (
            _current_decisions(self.ids, self.period)
            .values_list("agency_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            counts[agency_id][DECISION_BEHAVIOUR.get(kind, "other")] += n
        return counts

    def heaviest_penalties(self) -> dict[int, dict[str, int]]:
        """Per agency, how many penalty decisions have each group as their heaviest penalty: the
        heaviest rank per decision, then counted per agency and rank (one statement, two GROUP BYs)."""
        from django.db import connection

        out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        if not self.ids:
            return out
        if self.tallied:
            for (agency_id, _, kind, rank), (n, *_) in self.facts().items():
                if kind == "penalty" and rank >= 0:
                    out[agency_id][PENALTY_GROUPS[rank - 1][0] if rank else OTHER_PENALTY[0]] += n
            return out
        whens, params = [], []
        for rank, (_, _, kinds) in enumerate(PENALTY_GROUPS, start=1):
            whens.append(f"WHEN l.kind IN ({', '.join(['%s'] * len(kinds))}) THEN {rank}")
            params.extend(kinds)
        agencies = ", ".join(["%s"] * len(self.ids))
        sql = (
            "SELECT t.agency_id, t.r, COUNT(*) FROM ("  # noqa: S608 - only placeholders and rank numbers are formatted in
            f" SELECT d.agency_id AS agency_id, d.id AS id, MAX(CASE {' '.join(whens)} ELSE 0 END) AS r"
            " FROM cases_decisionline l JOIN cases_decision d ON d.id = l.decision_id"
            f" WHERE l.category = %s AND d.kind = %s AND d.agency_id IN ({agencies})"
            " AND d.decided_on >= %s AND d.decided_on <= %s"
            " AND NOT EXISTS (SELECT 1 FROM cases_decision c WHERE c.corrects_id = d.id)"
            " GROUP BY d.agency_id, d.id) t GROUP BY t.agency_id, t.r"
        )
        params += ["penalty", "penalty", *self.ids, self.period.start, self.period.end]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for agency_id, rank, n in cursor.fetchall():
                group = PENALTY_GROUPS[rank - 1][0] if rank else OTHER_PENALTY[0]
                out[agency_id][group] += n
        return out

    def amounts(self) -> dict[int, dict[str, Decimal]]:
        """罚没金额 as fixed in the 决定书, and sums levied."""
        from sanxiang.cases.models import DecisionLine
        from sanxiang.supervision.tallies import money

        out: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        if self.tallied:
            for (agency_id, *_), (_, *sums) in self.facts().items():
                for key, value in zip(("fine", "confiscation", "levy"), sums[:3], strict=True):
                    if value is not None:
                        out[agency_id][key] += value
            return out
        rows = (
            DecisionLine.objects.filter(
                decision__in=_current_decisions(self.ids, self.period), amount__isnull=False
            )
            .values_list("decision__agency_id", "category", "kind")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for agency_id, category, kind, raw in rows:
            total = money(raw)  # SQLite sums decimals as floats
            if category == DecisionLine.Category.PENALTY and kind in FINE_KINDS:
                out[agency_id]["fine"] += total
            elif category == DecisionLine.Category.PENALTY and kind in CONFISCATION_KINDS:
                out[agency_id]["confiscation"] += total
            elif category == DecisionLine.Category.LEVY:
                out[agency_id]["levy"] += total
        return out

    def _between(self, field: str) -> dict[str, Any]:
        """The period as a lookup on a date-time field: ``__date`` between the two days (the live
        computation), or the same as a range of local midnights (an index serves it)."""
        if not self.tallied:
            return {f"{field}__date__gte": self.period.start, f"{field}__date__lte": self.period.end}
        from sanxiang.supervision.tallies import _local_range

        lo, hi = _local_range(self.period.start, self.period.end)
        return {f"{field}__gte": lo, f"{field}__lt": hi}

    def _revoked(self, out: dict[int, dict[str, int]]) -> None:
        from sanxiang.cases.models import DecisionChange

        for agency_id, n in (
            DecisionChange.objects.filter(
                decision__agency_id__in=self.ids,
                decision__kind="licence",
                ground="revoked",
                occurred_on__gte=self.period.start,
                occurred_on__lte=self.period.end,
            )
            .values_list("decision__agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out[agency_id]["revoked"] = n

    def licensing(self) -> dict[int, dict[str, int]]:
        from sanxiang.cases.models import Case, CaseEvent, DecisionChange

        start, end = self.period.start, self.period.end
        out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        if self.tallied:
            from sanxiang.supervision.tallies import COUNTS, steps

            for agency_id, counted in steps(self.ids, start, end, marks=self.marks).items():
                for step, n in counted.items():
                    out[agency_id][step] += n
            g, r = COUNTS.index("granted") + 4, COUNTS.index("refused") + 4
            for (agency_id, _, kind, _), fact in self.facts().items():
                if kind == "licence":
                    for key, n in (("granted", fact[g]), ("refused", fact[r])):
                        if n:
                            out[agency_id][key] += n
            self._revoked(out)
            return out
        for agency_id, n in (
            Case.objects.filter(
                agency_id__in=self.ids,
                procedure__startswith="licensing",
                opened_at__date__gte=start,
                opened_at__date__lte=end,
            )
            .values_list("agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out[agency_id]["applied"] = n
        for agency_id, transition, n in (
            CaseEvent.objects.filter(
                case__agency_id__in=self.ids,
                case__procedure__startswith="licensing",
                transition__in=("accept", "refuse_acceptance"),
                at__date__gte=start,
                at__date__lte=end,
            )
            .values_list("case__agency_id", "transition")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out[agency_id]["accepted" if transition == "accept" else "not_accepted"] = n
        for agency_id, granted, n in (
            _current_decisions(self.ids, self.period)
            .filter(kind="licence")
            .values_list("agency_id", "granted")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if granted is not None:
                out[agency_id]["granted" if granted else "refused"] += n
        for agency_id, n in (
            DecisionChange.objects.filter(
                decision__agency_id__in=self.ids,
                decision__kind="licence",
                ground="revoked",
                occurred_on__gte=start,
                occurred_on__lte=end,
            )
            .values_list("decision__agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out[agency_id]["revoked"] = n
        return out

    def coercion(self) -> dict[int, dict[str, int]]:
        from sanxiang.cases.models import CaseRecord, DecisionLine

        out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        if self.tallied:
            from sanxiang.supervision.tallies import COUNTS

            columns = [(key, COUNTS.index(name) + 4) for key, name in MEASURE_TALLIES]
            for (agency_id, *_), fact in self.facts().items():
                for key, i in columns:
                    if fact[i]:
                        out[agency_id][key] += fact[i]
        else:
            for agency_id, kind, n in (
                DecisionLine.objects.filter(
                    category=DecisionLine.Category.MEASURE,
                    decision__in=_current_decisions(self.ids, self.period),
                )
                .values_list("decision__agency_id", "kind")
                .annotate(n=Count("decision", distinct=True))
                .order_by()
            ):
                out[agency_id][MEASURE_OF_KIND.get(kind, "other")] += n
        records = CaseRecord.objects.filter(
            case__agency_id__in=self.ids,
            kind__in=("enforcement_record", "court_application"),
            corrections__isnull=True,
            **self._between("made_at"),
        ).values_list("case__agency_id", "kind", "payload")
        for agency_id, kind, payload in records.iterator(chunk_size=5000):
            if kind == "court_application":
                out[agency_id]["court"] += 1
                continue
            text = str((payload or {}).get("measure", ""))
            for key, words in EXECUTION_WORDS:
                if any(w in text for w in words):
                    out[agency_id][key] += 1
                    break
        return out

    # ------------------------------------------------------------ indicators

    def indicators(self) -> dict[int, dict[str, Any]]:
        from sanxiang.disclosure.models import Duty
        from sanxiang.registry.devices import devices_in_service_by_agency
        from sanxiang.registry.models import Agency, Officer
        from sanxiang.registry.services import required_reviewers
        from sanxiang.review.models import Opinion, ReviewRound
        from sanxiang.rules.selectors import reviewer_requirement, rule_for
        from sanxiang.supervision.models import Alert, AlertLevel

        start, end = self.period.start, self.period.end
        on = end
        out: dict[int, dict[str, Any]] = defaultdict(dict)
        devices = devices_in_service_by_agency(self.ids, on)
        valid = Q(
            officers__status=Officer.Status.ACTIVE,
            officers__valid_from__lte=on,
            officers__valid_until__gte=on,
        )
        reviewer = Q(reviewers__filed_on__lte=on) & (
            Q(reviewers__withdrawn_on__isnull=True) | Q(reviewers__withdrawn_on__gt=on)
        )
        for pk, region, registered, holding, reviewers in (
            Agency.objects.filter(pk__in=self.ids)
            .annotate(
                registered=Count(
                    "officers", filter=~Q(officers__status=Officer.Status.REVOKED), distinct=True
                ),
                holding=Count("officers", filter=valid, distinct=True),
                n_reviewers=Count("reviewers", filter=reviewer, distinct=True),
            )
            .values_list("pk", "region_code", "registered", "holding", "n_reviewers")
        ):
            requirement = reviewer_requirement(region, on)
            # 全过程记录音像装备: 吴忠 二、（二）3 "不少于执法人数与记录装备2:1的比例" (record.officers_per_device)
            device_rule = rule_for("record.officers_per_device", region=region, on=on)
            out[pk].update(
                devices=devices.get(pk, 0),
                devices_required=math.ceil(holding / device_rule.value) if device_rule.value else None,
                device_rule=device_rule.text,
            )
            out[pk].update(
                officers=holding,
                registered=registered,
                credential_rate=_rate(holding, registered),
                reviewers=reviewers,
                reviewers_required=required_reviewers(holding, requirement),
                reviewer_rule=requirement.text,
            )
        for agency_id, concluded, passed in (
            ReviewRound.objects.filter(review__agency_id__in=self.ids, **self._between("concluded_at"))
            .values_list("review__agency_id")
            .annotate(n=Count("pk"), passed=Count("pk", filter=Q(status=ReviewRound.Status.PASSED)))
            .order_by()
        ):
            out[agency_id].update(reviews=concluded, reviews_passed=passed)
        for agency_id, n, late in (
            Opinion.objects.filter(round__review__agency_id__in=self.ids, **self._between("at"))
            .values_list("round__review__agency_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(overdue=True)))
            .order_by()
        ):
            out[agency_id].update(opinions=n, opinions_late=late)
        # 公示及时率: duties whose period ended in the period (or were published in it), exempt ones aside
        for agency_id, due, timely in (
            Duty.objects.filter(agency_id__in=self.ids, due_date__gte=start, due_date__lte=end)
            .exclude(status=Duty.Status.EXEMPT)
            .values_list("agency_id")
            .annotate(
                due=Count("pk"),
                timely=Count(
                    "pk",
                    filter=Q(first_published_at__isnull=False, first_published_at__date__lte=F("due_date")),
                ),
            )
            .order_by()
        ):
            out[agency_id].update(disclosures_due=due, disclosures_timely=timely)
        from sanxiang.cases.models import DecisionChange

        for agency_id, n in (
            DecisionChange.objects.filter(
                decision__agency_id__in=self.ids,
                by__in=("reconsideration", "litigation"),
                occurred_on__gte=start,
                occurred_on__lte=end,
            )
            .values_list("decision__agency_id")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out[agency_id]["corrected_by_remedy"] = n
        if self.tallied and self.marks[3]:
            from sanxiang.supervision.models import RedAlertTally

            red = (
                RedAlertTally.objects.filter(agency_id__in=self.ids, day__gte=start, day__lte=end)
                .values_list("agency_id")
                .annotate(total=Sum("n"))
                .order_by()
            )
        else:
            red = (
                Alert.objects.filter(agency_id__in=self.ids, level=AlertLevel.RED, **self._between("red_at"))
                .values_list("agency_id")
                .annotate(total=Count("pk"))
                .order_by()
            )
        for agency_id, n in red:
            if n:
                out[agency_id]["red_alerts"] = n
        out_eval = evaluation_pass_rates(self.ids, self.period)
        for agency_id, (n, passed) in out_eval.items():
            out[agency_id].update(evaluated=n, evaluated_passed=passed)
        return out

    # ------------------------------------------------------------ tables

    def _cells(self, agency_id: int, behaviour: str, values: list[Any], unit: str = "") -> list[Cell]:
        has = behaviour in self.powers.get(agency_id, set())
        return [Cell(v, duty=has or bool(v), unit=unit) for v in values]

    def tables(self) -> list[Table]:
        counts = self.behaviour_counts()
        heaviest = self.heaviest_penalties()
        money = self.amounts()
        lic = self.licensing()
        coer = self.coercion()
        ind = self.indicators()
        t_behaviour = Table("behaviours", "行政执法行为数量", [label for _, label in BEHAVIOURS])
        t_penalty = Table(
            "penalties",
            "行政处罚（按最重处罚种类计，每件决定计一次）",
            [label for _, label, _ in PENALTY_GROUPS]
            + [OTHER_PENALTY[1], "合计", "罚款金额（元）", "没收金额（元）", "罚没金额合计（元）"],
            notes=[
                "一件处罚决定并处多种处罚的，按《中华人民共和国行政处罚法》第九条所列种类中最重的一种计一次。",
                "罚没金额为处罚决定书确定的数额。",
            ],
        )
        t_lic = Table("licensing", "行政许可", [label for _, label in LICENSING_STEPS])
        t_coer = Table(
            "coercion",
            "行政强制（措施与执行分列）",
            [f"措施：{label}" for _, label in MEASURES] + [f"执行：{label}" for _, label in EXECUTIONS],
            notes=["措施依《中华人民共和国行政强制法》第九条，执行方式依第十二条分列。"],
        )
        t_ind = Table(
            "indicators",
            "执法监督指标",
            [
                "执法人员（持有效证件）",
                "持证率",
                "法制审核人员",
                "应配审核人员",
                "法制审核件数",
                "审核通过率",
                "审核逾期率",
                "公示及时率",
                "案卷评查合格率",
                "复议、诉讼纠错率",
                "人均检查量",
                "人均处罚量",
                "红色预警",
                "在用记录设备",
                "应配记录设备",
                "记录设备配备",
            ],
        )
        totals: dict[str, list[Any]] = {}

        def add(table: Table, name: str, cells: list[Cell]) -> None:
            table.rows.append((name, cells))
            acc = totals.setdefault(table.key, [None] * len(cells))
            for i, c in enumerate(cells):
                if c.duty and isinstance(c.value, (int, Decimal)) and table.key != "indicators":
                    acc[i] = (acc[i] or 0) + c.value
                elif c.duty and acc[i] is None and table.key != "indicators":
                    acc[i] = 0

        agg: dict[str, int] = defaultdict(int)
        device_rules: list[str] = []
        for agency_id, name, _region in self.agencies:
            c = counts.get(agency_id, {})
            add(
                t_behaviour,
                name,
                [
                    Cell(c.get(b, 0), duty=b in self.powers.get(agency_id, set()) or bool(c.get(b)))
                    for b, _ in BEHAVIOURS
                ],
            )
            h = heaviest.get(agency_id, {})
            m = money.get(agency_id, {})
            groups = [h.get(g, 0) for g, _, _ in PENALTY_GROUPS] + [h.get(OTHER_PENALTY[0], 0)]
            fine, conf = m.get("fine", Decimal("0.00")), m.get("confiscation", Decimal("0.00"))
            cells = self._cells(agency_id, "penalty", [*groups, sum(groups)])
            duty = cells[0].duty
            cells += [Cell(fine, duty, "元"), Cell(conf, duty, "元"), Cell(fine + conf, duty, "元")]
            add(t_penalty, name, cells)
            lc = lic.get(agency_id, {})
            add(t_lic, name, self._cells(agency_id, "licensing", [lc.get(k, 0) for k, _ in LICENSING_STEPS]))
            cc = coer.get(agency_id, {})
            add(
                t_coer,
                name,
                self._cells(
                    agency_id,
                    "coercion",
                    [cc.get(k, 0) for k, _ in MEASURES] + [cc.get(k, 0) for k, _ in EXECUTIONS],
                ),
            )
            i = ind.get(agency_id, {})
            officers = i.get("officers", 0)
            for k in (
                "officers",
                "registered",
                "reviewers",
                "reviewers_required",
                "reviews",
                "reviews_passed",
                "opinions",
                "opinions_late",
                "disclosures_due",
                "disclosures_timely",
                "evaluated",
                "evaluated_passed",
                "corrected_by_remedy",
                "red_alerts",
                "devices",
                "devices_required",
            ):
                agg[k] += i.get(k, 0) or 0
            if i.get("devices_required") is not None:
                agg["device_ratio_set"] = 1
            if i.get("device_rule") and i["device_rule"] not in device_rules:
                device_rules.append(i["device_rule"])
            agg["inspections"] += c.get("inspection", 0)
            agg["penalties"] += c.get("penalty", 0)
            agg["decisions"] += sum(c.values())
            add(t_ind, name, self._indicator_cells(i, c, officers))
        for table in (t_behaviour, t_penalty, t_lic, t_coer):
            acc = totals.get(table.key)
            if acc is not None:
                table.total = [
                    Cell(v, duty=v is not None, unit="元" if isinstance(v, Decimal) else "") for v in acc
                ]
        if not agg.get("device_ratio_set"):
            agg["devices_required"] = None  # type: ignore[assignment]
        t_ind.total = self._indicator_cells(
            agg,
            {"inspection": agg["inspections"], "penalty": agg["penalties"], "_all": agg["decisions"]},
            agg["officers"],
        )
        t_ind.notes = [f"记录设备配备：{text}" for text in device_rules]
        return [t_behaviour, t_penalty, t_lic, t_coer, t_ind]

    @staticmethod
    def _indicator_cells(i: dict, counts: dict, officers: int) -> list[Cell]:
        decisions = counts.get("_all", sum(v for k, v in counts.items() if k != "_all"))
        return [
            Cell(officers),
            Cell(_rate(i.get("officers", 0), i.get("registered", 0)), unit="%"),
            Cell(i.get("reviewers", 0)),
            Cell(i.get("reviewers_required", 0)),
            Cell(i.get("reviews", 0)),
            Cell(_rate(i.get("reviews_passed", 0), i.get("reviews", 0)), unit="%"),
            Cell(_rate(i.get("opinions_late", 0), i.get("opinions", 0)), unit="%"),
            Cell(_rate(i.get("disclosures_timely", 0), i.get("disclosures_due", 0)), unit="%"),
            Cell(_rate(i.get("evaluated_passed", 0), i.get("evaluated", 0)), unit="%"),
            Cell(_rate(i.get("corrected_by_remedy", 0), decisions), unit="%"),
            Cell(_per(counts.get("inspection", 0), officers)),
            Cell(_per(counts.get("penalty", 0), officers)),
            Cell(i.get("red_alerts", 0)),
            Cell(i.get("devices", 0)),
            Cell(i.get("devices_required")),
            Cell(_device_verdict(i.get("devices", 0), i.get("devices_required"))),
        ]

    # ------------------------------------------------------------ trends

    def monthly(self) -> list[tuple[str, dict[str, int]]]:
        """Decisions per month and behaviour (the dashboard's trend)."""
        rows: Any
        if self.tallied:
            rows = [(month, kind, n) for (_, month, kind, _), (n, *_) in self.facts().items()]
        else:
            rows = (
                _current_decisions(self.ids, self.period)
                .annotate(month=TruncMonth("decided_on"))
                .values_list("month", "kind")
                .annotate(n=Count("pk"))
                .order_by("month")
            )
        months: dict[str, dict[str, int]] = {}
        d = dt.date(self.period.start.year, self.period.start.month, 1)
        while d <= self.period.end:
            months[f"{d:%Y-%m}"] = defaultdict(int)
            d = dt.date(d.year + (d.month // 12), d.month % 12 + 1, 1)
        for month, kind, n in rows:
            label = f"{month:%Y-%m}"
            if label in months:
                months[label][DECISION_BEHAVIOUR.get(kind, "other")] += n
        return [(m, dict(v)) for m, v in months.items()]


def _device_verdict(devices: int, required: int | None) -> str | None:
    """达标 or 不足 against the jurisdiction's ratio; None ("—") where no ratio is in force."""
    if required is None:
        return None
    return "达标" if devices >= required else f"不足（差{required - devices}台）"


def evaluation_pass_rates(agency_ids, period: Period) -> dict[int, tuple[int, int]]:
    """案卷评查: (cases evaluated, cases graded 合格 or better) per agency in the period."""
    from sanxiang.supervision.models import Evaluation

    out: dict[int, tuple[int, int]] = {}
    for agency_id, n, passed in (
        Evaluation.objects.filter(
            case__agency_id__in=agency_ids,
            submitted_at__date__gte=period.start,
            submitted_at__date__lte=period.end,
        )
        .values_list("case__agency_id")
        .annotate(n=Count("pk"), passed=Count("pk", filter=~Q(grade="fail")))
        .order_by()
    ):
        out[agency_id] = (n, passed)
    return out
