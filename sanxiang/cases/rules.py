"""Rules a record must satisfy when it is made, one small function per record kind (a table), and
the pure computations the law fixes (加处罚款, 简易程序 limits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sanxiang.cases.specs import HEARING_PENALTY_KINDS, Penalty
from sanxiang.errors import FieldError

# 行政处罚法 第五十一条
SIMPLE_SOURCE = "行政处罚法 第五十一条"
SIMPLE_FINE_LIMIT = {"person": Decimal("200"), "organisation": Decimal("3000")}
SIMPLE_KINDS = frozenset({"warning", "fine"})

# 行政处罚法 第七十二条第一款第一项: 每日按罚款数额的百分之三加处罚款，数额不得超出罚款的数额.
SURCHARGE_RATE = Decimal("0.03")
SURCHARGE_SOURCE = "行政处罚法 第七十二条第一款第一项"

# seed 002 记录办法 第三十二条: recordings stored in the system within 24 hours.
UPLOAD_WITHIN = dt.timedelta(hours=24)


def late_payment_surcharge(*, fine: Decimal, due: dt.date, on: dt.date) -> Decimal:
    """加处罚款 owed on ``on`` for a fine whose payment period ended on ``due`` (第七十二条)."""
    days = max(0, (on - due).days)
    return min(fine * SURCHARGE_RATE * days, fine).quantize(Decimal("0.01"))


def simple_procedure_errors(penalty: Penalty | None, party_kind: str, *, where: str) -> list[FieldError]:
    """简易程序: only a warning, or a fine up to 200 yuan (公民) / 3,000 yuan (法人或其他组织)."""
    if penalty is None:
        return []
    if not penalty.kinds <= SIMPLE_KINDS:
        return [
            FieldError(
                f"{where}.penalty_kinds",
                "simple_procedure_kind",
                f"处罚种类: 简易程序只能给予警告或罚款（{SIMPLE_SOURCE}）",
            )
        ]
    limit = SIMPLE_FINE_LIMIT.get(party_kind, SIMPLE_FINE_LIMIT["person"])
    if "fine" in penalty.kinds and penalty.fine > limit:
        who = "法人或者其他组织" if party_kind == "organisation" else "公民"
        return [
            FieldError(
                f"{where}.fine_amount",
                "simple_procedure_fine",
                f"罚款数额: 简易程序对{who}罚款不得超过{limit}元（{SIMPLE_SOURCE}）",
            )
        ]
    return []


# --- per-record rules: fn(view, payload, made_at) -> errors ---


def _not_heavier_than_notice(view, payload, made_at) -> list[FieldError]:
    notice = view.latest("penalty_notice")
    before = Penalty.of(notice.payload) if notice else None
    after = Penalty.of(payload)
    if before and after and after.heavier_than(before):
        return [
            FieldError(
                "payload.penalty_kinds",
                "heavier_after_defence",
                f"处罚: {after.describe()} 重于告知的 {before.describe()}，"
                "不得因当事人陈述、申辩而给予更重的处罚（行政处罚法 第四十五条第二款）",
            )
        ]
    return []


def _simple_limits(view, payload, made_at) -> list[FieldError]:
    return simple_procedure_errors(Penalty.of(payload), view.party_kind, where="payload")


def _hearing_notice_days(view, payload, made_at) -> list[FieldError]:
    from sanxiang.workdays.services import add_working_days

    hearing_at = parse_datetime(payload.get("hearing_at", ""))
    if hearing_at is None:
        return []
    earliest = add_working_days(timezone.localdate(made_at), 7).due
    if timezone.localdate(hearing_at) < earliest:
        return [
            FieldError(
                "payload.hearing_at",
                "hearing_notice_period",
                f"举行听证时间: 应当在举行听证的七个工作日前通知当事人，最早可定于 {earliest.isoformat()}"
                "（行政处罚法 第六十四条第二项、第八十五条）",
            )
        ]
    return []


def _hearing_rights(view, payload, made_at) -> list[FieldError]:
    penalty = Penalty.of(payload)
    if penalty and penalty.kinds & HEARING_PENALTY_KINDS and not payload.get("hearing_rights"):
        return [
            FieldError(
                "payload.hearing_rights",
                "hearing_rights_required",
                "告知听证权利: 拟作出的处罚属于当事人可以要求听证的情形，应当告知听证权利（行政处罚法 第六十三条、第六十四条）",
            )
        ]
    return []


def _reporter_told_how(view, payload, made_at) -> list[FieldError]:
    if view.case.reporter_named and payload.get("reporter_informed") and not payload.get("informed_how"):
        return [
            FieldError(
                "payload.informed_how",
                "required",
                "告知方式及时间: 已告知实名投诉、举报人的，应记录告知情况（seed 002 记录办法 第九条）",
            )
        ]
    return []


def _pause_period_stated(source: str) -> Callable:
    """The time not counted must be stated (and told in writing): it ends on or after the notice."""

    def rule(view, clean, made_at) -> list[FieldError]:
        end = clean.get("expected_end")
        if end and dt.date.fromisoformat(end) < timezone.localdate(made_at):
            return [
                FieldError(
                    "payload.expected_end",
                    "pause_period",
                    f"期间截至: 不能早于告知之日，所需时间应当明确并书面告知（{source}）",
                )
            ]
        return []

    return rule


# What a granted licence's decision must state to be disclosed (行政许可法 第三十八条、第三十九条;
# seed 002 公示办法 第十六条: 行政许可决定结果应当予以公开; 双公示 行政许可信息数据项).
LICENCE_GRANT_SOURCE = "行政许可法 第三十八条、第三十九条; seed 002 公示办法 第十六条"
LICENCE_GRANT_ITEMS = (
    ("document_number", "文书编号"),
    ("license_category", "许可类别"),
    ("valid_from", "有效期自"),
    ("valid_until", "有效期至"),
)


def _licence_grant_stated(view, clean, made_at) -> list[FieldError]:
    if not clean.get("granted"):
        return []
    errors = [
        FieldError(
            f"payload.{name}", "required", f"{label}: 准予许可的决定书须载明（{LICENCE_GRANT_SOURCE}）"
        )
        for name, label in LICENCE_GRANT_ITEMS
        if not clean.get(name)
    ]
    if clean.get("valid_from") and clean.get("valid_until") and clean["valid_until"] < clean["valid_from"]:
        errors.append(FieldError("payload.valid_until", "date_order", "有效期至: 不得早于有效期自"))
    return errors


def _party_penalties_of_case(view, clean, made_at) -> list[FieldError]:
    """Each line names a party of the case (行政处罚法 第五十九条第一款第一项: 当事人的姓名或者名称)."""
    parties = {str(p.public_id) for p in view.parties}
    return [
        FieldError(
            f"payload.party_penalties[{i}].party",
            "party_of_case",
            "各当事人分别给予的处罚: 不是本案的当事人（行政处罚法 第五十九条）",
        )
        for i, item in enumerate(clean.get("party_penalties") or ())
        if item["party"] not in parties
    ]


RECORD_RULES: dict[str, tuple[Callable, ...]] = {
    "licence_decision": (_licence_grant_stated,),
    "expert_work_notice": (_pause_period_stated("行政许可法 第四十五条"),),
    "testing_notice": (_pause_period_stated("行政强制法 第二十五条第三款"),),
    "decision_document": (_not_heavier_than_notice, _party_penalties_of_case),
    "decision_draft": (_not_heavier_than_notice,),
    "simple_facts_record": (_simple_limits,),
    "on_spot_decision": (_simple_limits,),
    "hearing_notice": (_hearing_notice_days,),
    "penalty_notice": (_hearing_rights,),
    "not_filing_record": (_reporter_told_how,),
}
