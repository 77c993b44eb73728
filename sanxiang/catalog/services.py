"""Writes to the catalogues, and the rules other apps ask them (is_major_decision, recording needs).

Every write is a new row: a new version of an entry, a law change, or its completion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.catalog import selectors
from sanxiang.catalog.models import (
    MODELS,
    CriterionKind,
    DiscretionRule,
    EnforcementItem,
    EntryVersion,
    ItemCategory,
    LawChange,
    LawChangeCompletion,
    ListKind,
    PartyScope,
    PenaltyKind,
)
from sanxiang.catalog.specs import SPECS
from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.registry.models import Agency
from sanxiang.rules.selectors import Rule, UnknownRule, rule_for, rule_of_version

UPDATE_KEY = "disclosure.ex_ante.update"


def update_rule(agency: Agency, on: dt.date) -> Rule:
    """Lists follow a change in law within the registry's period for the agency's region
    (《松原市行政执法公示办法》第二十五条: 20个工作日内)."""
    return rule_for(UPDATE_KEY, region=agency.region_code, on=on)


def law_change_rule(change: LawChange) -> Rule:
    """The rule a stored law change's deadline was computed from (its stored version)."""
    if change.rule_version:
        try:
            return rule_of_version(change.rule_version)
        except UnknownRule:
            pass
    return update_rule(change.agency, change.start_date)


def can_edit_catalog(user, agency: Agency) -> bool:
    """Administrators, and the heads of the agency itself."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return True
    return user.has_role(Role.HEAD) and user.agency_id == agency.pk


def _require_editor(actor, agency: Agency) -> None:
    if not can_edit_catalog(actor, agency):
        raise Forbidden("清单只能由系统管理员或本机关负责人维护", field="agency")


# --- validation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscretionRow:
    level: str
    circumstances: str
    penalty_kinds: tuple[str, ...] = ()
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    other: str = ""


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(str(value)) from exc


def discretion_rows(rows) -> tuple[list[DiscretionRow], list[FieldError]]:
    """Parse 裁量基准 rows given as dicts; errors name ``discretion[i].field``."""
    parsed: list[DiscretionRow] = []
    errors: list[FieldError] = []
    kinds = set(PenaltyKind.values)
    for i, row in enumerate(rows or ()):
        where = f"discretion[{i}]"
        if isinstance(row, DiscretionRow):
            parsed.append(row)
            continue
        level = str(row.get("level") or "").strip()
        circumstances = str(row.get("circumstances") or "").strip()
        penalty = tuple(row.get("penalty_kinds") or ())
        try:
            low, high = _decimal(row.get("fine_min")), _decimal(row.get("fine_max"))
        except ValueError as exc:
            errors.append(FieldError(f"{where}.fine", "decimal", f"罚款数额: “{exc}”不是数字"))
            continue
        if not level:
            errors.append(FieldError(f"{where}.level", "required", "裁量阶次: 必须填写"))
        if not circumstances:
            errors.append(FieldError(f"{where}.circumstances", "required", "适用情形: 必须填写"))
        unknown = [k for k in penalty if k not in kinds]
        if unknown:
            errors.append(
                FieldError(
                    f"{where}.penalty_kinds",
                    "penalty_kind",
                    f"处罚种类: {'、'.join(map(str, unknown))} 不属于行政处罚法第九条规定的种类",
                )
            )
        for name, value in (("fine_min", low), ("fine_max", high)):
            if value is not None and value < 0:
                errors.append(FieldError(f"{where}.{name}", "non_negative", "罚款数额: 不得为负数"))
        if low is not None and high is not None and high < low:
            errors.append(FieldError(f"{where}.fine_max", "fine_range", "罚款上限: 不得低于罚款下限"))
        if "fine" in penalty and high is None:
            errors.append(
                FieldError(f"{where}.fine_max", "fine_range_required", "罚款上限: 处罚种类含罚款时必须填写")
            )
        parsed.append(
            DiscretionRow(level, circumstances, penalty, low, high, str(row.get("other") or "").strip())
        )
    return parsed, errors


def _kind_rules(kind: str, data: dict[str, Any], rows: list[DiscretionRow]) -> list[FieldError]:
    errors: list[FieldError] = []
    if kind == ListKind.ITEMS:
        if rows and data.get("category") != ItemCategory.PENALTY:
            errors.append(
                FieldError(
                    "discretion",
                    "discretion_penalty_only",
                    "裁量基准: 仅行政处罚事项设置（行政处罚法 第三十四条）",
                )
            )
        if bool(data.get("time_limit_days")) != bool(data.get("time_limit_unit")):
            errors.append(
                FieldError("time_limit_unit", "time_limit_pair", "时限单位: 办理时限与时限单位应同时填写")
            )
    elif kind == ListKind.SPOT_CHECKS:
        ratio = data.get("ratio")
        if ratio is not None and not (Decimal(0) < Decimal(ratio) <= Decimal(100)):
            errors.append(FieldError("ratio", "ratio_range", "抽查比例: 应大于0且不超过100（%）"))
    elif kind == ListKind.RECORDING:
        from sanxiang.procedures import registry

        try:
            defn = registry.get(str(data.get("procedure")))
        except KeyError:
            errors.append(FieldError("procedure", "procedure_unknown", "执法程序: 不是本系统定义的执法程序"))
        else:
            spec = defn.records().get(str(data.get("record")))
            if spec is None:
                errors.append(
                    FieldError("record", "record_unknown", f"执法环节记录: 不是“{defn.name}”中的记录")
                )
            elif spec.av_required:
                errors.append(
                    FieldError(
                        "record",
                        "already_statutory",
                        f"执法环节记录: “{spec.name}”依法已须音像记录（{spec.av_source}），无需列入清单",
                    )
                )
    elif kind == ListKind.MAJOR:
        ck = data.get("kind")
        threshold = data.get("threshold")
        if ck == CriterionKind.PENALTY_KIND and not data.get("penalty_kind"):
            errors.append(FieldError("penalty_kind", "required", "处罚种类: 标准类型为处罚种类时必须填写"))
        if ck in (CriterionKind.FINE, CriterionKind.CONFISCATION):
            if threshold is None or Decimal(threshold) <= 0:
                errors.append(
                    FieldError("threshold", "threshold_required", "数额标准: 罚款、没收数额标准须为正数")
                )
        elif threshold is not None:
            errors.append(FieldError("threshold", "threshold_unused", "数额标准: 仅罚款、没收数额标准填写"))
        if ck != CriterionKind.PENALTY_KIND and data.get("penalty_kind"):
            errors.append(
                FieldError("penalty_kind", "penalty_kind_unused", "处罚种类: 仅标准类型为处罚种类时填写")
            )
    return errors


def validate_entry(
    *,
    kind: str,
    agency: Agency,
    data: dict[str, Any],
    discretion=(),
    effective_from,
    reason: str,
    withdraw=False,
) -> tuple[EntryVersion, list[DiscretionRow], list[FieldError]]:
    """Build (unsaved) the next version and every error it has; nothing is written."""
    spec = SPECS[kind]
    model = MODELS[kind]
    errors: list[FieldError] = []
    values: dict[str, Any] = {c.field: data.get(c.field) for c in spec.columns}
    for c in spec.columns:
        if isinstance(values[c.field], str):
            values[c.field] = values[c.field].strip()
        if values[c.field] in (None, "") and c.type in ("int", "decimal"):
            values[c.field] = None
        elif values[c.field] is None:
            values[c.field] = ""
    for name, value in values.items():  # an empty optional value takes the model's default
        if value in (None, "") and name != "code":
            model_field = model._meta.get_field(name)
            if isinstance(model_field, models.Field) and model_field.has_default():
                values[name] = model_field.get_default()
    code = values.pop("code")
    if not code:
        errors.append(FieldError("code", "required", f"{spec.columns[0].header}: 必须填写"))
    if not isinstance(effective_from, dt.date):
        errors.append(FieldError("effective_from", "date", "生效日期: 必须填写有效日期"))
    if not str(reason or "").strip():
        errors.append(FieldError("reason", "required", "变更原因: 必须填写"))
    entry = model(
        agency=agency, code=code, effective_from=effective_from, reason=str(reason or "").strip(), **values
    )
    if not withdraw:
        try:
            entry.full_clean(
                exclude=["agency", "version", "created_by", "law_change", "effective_from", "code"]
            )
        except ValidationError as exc:
            for name, items in exc.message_dict.items():
                label = next((c.header for c in spec.columns if c.field == name), name)
                for message in items:
                    errors.append(FieldError(name, "invalid", f"{label}: {message}"))
    rows, row_errors = discretion_rows(discretion) if kind == ListKind.ITEMS else ([], [])
    errors += row_errors
    if not withdraw and not errors:
        errors += _kind_rules(kind, {**values, "code": code}, rows)
    if code and isinstance(effective_from, dt.date):
        latest = selectors.latest_version(model, agency=agency, code=code)
        if latest is None and withdraw:
            errors.append(
                FieldError("code", "entry_unknown", f"{spec.columns[0].header}: 清单中没有该事项，无法废止")
            )
        if latest is not None:
            if effective_from < latest.effective_from:
                errors.append(
                    FieldError(
                        "effective_from",
                        "effective_from_order",
                        f"生效日期: 不得早于上一版本（第{latest.version}版）的生效日期 {latest.effective_from}",
                    )
                )
            if withdraw and latest.withdrawn:
                errors.append(FieldError("code", "already_withdrawn", "该事项已废止"))
    return entry, rows, errors


def _content(entry: EntryVersion, rows) -> tuple:
    spec = SPECS[_kind_of(entry)]
    values = []
    for c in spec.columns[1:]:
        v = getattr(entry, c.field)
        values.append(str(Decimal(v).normalize()) if isinstance(v, Decimal | float) else v)
    norm_rows = [
        (
            r.level,
            r.circumstances,
            tuple(r.penalty_kinds),
            None if r.fine_min is None else Decimal(r.fine_min).normalize(),
            None if r.fine_max is None else Decimal(r.fine_max).normalize(),
            r.other,
        )
        for r in rows
    ]
    return tuple(values), tuple(norm_rows)


def same_content(latest: EntryVersion, entry: EntryVersion, rows) -> bool:
    """``entry`` (unsaved, validated) says what ``latest`` already says, and ``latest`` is in the list."""
    return not latest.withdrawn and _content(latest, _stored_rows(latest)) == _content(entry, rows)


def _kind_of(entry: EntryVersion) -> str:
    return next(k for k, m in MODELS.items() if isinstance(entry, m))


def _stored_rows(entry: EntryVersion) -> list[DiscretionRow]:
    if not hasattr(entry, "discretion"):
        return []
    return [
        DiscretionRow(r.level, r.circumstances, tuple(r.penalty_kinds), r.fine_min, r.fine_max, r.other)
        for r in entry.discretion.all()
    ]


# --- writes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishResult:
    entry: EntryVersion
    created: bool


def _check_law_change(law_change: LawChange | None, agency: Agency) -> None:
    if law_change is not None and law_change.agency_id != agency.pk:
        raise InvalidInput(
            [FieldError("law_change", "same_agency", "对应的法律法规变化: 须为本机关登记的变化")]
        )


def entry_publish(
    *,
    actor,
    kind: str,
    agency: Agency,
    data: dict[str, Any],
    effective_from: dt.date,
    reason: str,
    discretion=(),
    law_change: LawChange | None = None,
    withdraw: bool = False,
) -> PublishResult:
    """Publish the next version of the entry ``data["code"]`` of the list ``kind`` (or its first).

    Publishing the same content with the same effective date again returns the latest version
    unchanged (idempotent under retry). ``withdraw=True`` publishes a version that withdraws it.
    """
    _require_editor(actor, agency)
    _check_law_change(law_change, agency)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # serialise writes per agency
        entry, rows, errors = validate_entry(
            kind=kind,
            agency=agency,
            data=data,
            discretion=discretion,
            effective_from=effective_from,
            reason=reason,
            withdraw=withdraw,
        )
        if errors:
            raise InvalidInput(errors)
        model = MODELS[kind]
        latest = selectors.latest_version(model, agency=agency, code=entry.code)
        if withdraw:
            # the withdrawing version keeps the last content, so history shows what was withdrawn
            assert latest is not None
            rows = _stored_rows(latest)
            for c in SPECS[kind].columns[1:]:
                setattr(entry, c.field, getattr(latest, c.field))
        elif (
            latest is not None
            and not latest.withdrawn
            and latest.effective_from == effective_from
            and _content(latest, _stored_rows(latest)) == _content(entry, rows)
        ):
            return PublishResult(latest, False)
        entry.version = (latest.version + 1) if latest else 1
        entry.withdrawn = withdraw
        entry.law_change = law_change
        entry.created_by = actor
        entry.save(force_insert=True)
        if rows:
            assert isinstance(entry, EnforcementItem)  # only 执法事项 carry 裁量基准 rows
            DiscretionRule.objects.bulk_create(
                [
                    DiscretionRule(
                        item=entry,
                        position=i + 1,
                        level=r.level,
                        circumstances=r.circumstances,
                        penalty_kinds=list(r.penalty_kinds),
                        fine_min=r.fine_min,
                        fine_max=r.fine_max,
                        other=r.other,
                    )
                    for i, r in enumerate(rows)
                ]
            )
        record(
            kind="catalog.entry_withdrawn" if withdraw else "catalog.entry_published",
            subject=entry,
            actor=actor,
            payload=entry_payload(kind, entry, rows),
        )
    return PublishResult(entry, True)


def _json(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return str(value)  # Decimal, date


def entry_payload(kind: str, entry: EntryVersion, rows=()) -> dict[str, Any]:
    """What the ledger keeps of a version: every published field, as JSON."""
    payload = {
        "list": kind,
        "agency": str(entry.agency.public_id),
        "code": entry.code,
        "version": entry.version,
        "effective_from": entry.effective_from.isoformat(),
        "withdrawn": entry.withdrawn,
        "reason": entry.reason,
        "law_change": str(entry.law_change.public_id) if entry.law_change is not None else None,
        "fields": {c.field: _json(getattr(entry, c.field)) for c in SPECS[kind].columns[1:]},
    }
    if kind == ListKind.ITEMS:
        payload["discretion"] = [
            {
                "level": r.level,
                "circumstances": r.circumstances,
                "penalty_kinds": list(r.penalty_kinds),
                "fine_min": _json(r.fine_min),
                "fine_max": _json(r.fine_max),
                "other": r.other,
            }
            for r in rows
        ]
    return payload


def entry_withdraw(
    *, actor, kind: str, agency: Agency, code: str, effective_from: dt.date, reason: str, law_change=None
) -> PublishResult:
    return entry_publish(
        actor=actor,
        kind=kind,
        agency=agency,
        data={"code": code},
        effective_from=effective_from,
        reason=reason,
        law_change=law_change,
        withdraw=True,
    )


def law_change_record(
    *,
    actor,
    agency: Agency,
    kind: str,
    title: str,
    trigger_date: dt.date,
    document_number: str = "",
    lists=(),
    note: str = "",
) -> LawChange:
    """Record a change in law or organisation; the lists are due within the registry's period
    (disclosure.ex_ante.update) of ``trigger_date`` (the day it takes effect, is repealed or the reorganisation happens).

    《松原市行政执法公示办法》第二十五条.
    """
    from sanxiang.workdays.services import add_working_days

    _require_editor(actor, agency)
    errors: list[FieldError] = []
    if kind not in LawChange.Kind.values:
        errors.append(FieldError("kind", "choice", f"变化类型: 应为 {', '.join(LawChange.Kind.values)} 之一"))
    if not str(title or "").strip():
        errors.append(FieldError("title", "required", "法律法规名称: 必须填写"))
    if not isinstance(trigger_date, dt.date):
        errors.append(
            FieldError(
                "trigger_date",
                "date",
                f"生效、废止或调整之日: 必须填写（{update_rule(agency, timezone.localdate()).citation}）",
            )
        )
    unknown = [k for k in lists if k not in ListKind.values]
    if unknown:
        errors.append(FieldError("lists", "choice", f"受影响的清单: 未知清单 {', '.join(map(str, unknown))}"))
    if errors:
        raise InvalidInput(errors)
    change = LawChange(
        agency=agency,
        kind=kind,
        title=title.strip(),
        document_number=document_number.strip(),
        lists=list(dict.fromkeys(lists)),
        note=note,
        recorded_by=actor,
    )
    rule = update_rule(agency, trigger_date)
    region = agency.region_code
    change.set_deadline(add_working_days(trigger_date, rule.days, region=region), region=region, rule=rule)
    with transaction.atomic():
        change.save(force_insert=True)
        record(
            kind="catalog.law_change_recorded",
            subject=change,
            actor=actor,
            payload={
                "agency": str(agency.public_id),
                "kind": change.kind,
                "title": change.title,
                "document_number": change.document_number,
                "lists": change.lists,
                "trigger_date": change.start_date.isoformat(),
                "due_date": change.due_date.isoformat(),
                "calendar_version": change.calendar_version,
                "source": rule.citation,
                "rule_version": rule.version_id,
            },
        )
    return change


def law_change_complete(
    *, actor, law_change: LawChange, completed_on: dt.date | None = None, note: str = ""
) -> LawChangeCompletion:
    """Record that the lists were updated for ``law_change`` (once; a retry returns the same record)."""
    _require_editor(actor, law_change.agency)
    completed_on = completed_on or timezone.localdate()
    if completed_on < law_change.start_date:
        raise InvalidInput(
            [
                FieldError(
                    "completed_on", "after_trigger", "完成更新日期: 不得早于法律法规生效、废止或调整之日"
                )
            ]
        )
    if completed_on > timezone.localdate():
        raise InvalidInput([FieldError("completed_on", "not_future", "完成更新日期: 不得晚于今天")])
    with transaction.atomic():
        existing = LawChangeCompletion.objects.filter(law_change=law_change).first()
        if existing is not None:
            return existing
        done = LawChangeCompletion.objects.create(
            law_change=law_change, completed_on=completed_on, note=note, completed_by=actor
        )
        record(
            kind="catalog.law_change_completed",
            subject=law_change,
            actor=actor,
            payload={
                "completed_on": completed_on.isoformat(),
                "due_date": law_change.due_date.isoformat(),
                "on_time": done.on_time,
                "note": note,
            },
        )
    return done


# --- questions other apps ask -----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionProposal:
    """What the cases app intends to decide, as far as 重大执法决定 criteria care."""

    category: str = ItemCategory.PENALTY
    penalty_kinds: frozenset[str] = frozenset()
    fine_amount: Decimal = Decimal(0)
    confiscation_amount: Decimal = Decimal(0)
    party_kind: str = "organisation"  # "person" (公民) or "organisation" (法人或者其他组织)
    hearing_held: bool = False
    public_interest: bool = False
    major_rights: bool = False
    social_impact: bool = False
    complex: bool = False
    other_criteria: frozenset[str] = field(default_factory=frozenset)  # codes of the agency's 其他情形


@dataclass(frozen=True)
class MatchedCriterion:
    code: str
    description: str
    source: str
    statutory: bool  # True: the law's ground; False: the agency's catalogue


@dataclass(frozen=True)
class StatutoryGround:
    code: str
    description: str
    source: str
    flag: str  # the DecisionProposal attribute that makes it apply


# 行政处罚法 第五十八条 and 《松原市重大行政执法决定法制审核办法》第三条: these apply even when the agency's list is empty.
STATUTORY_GROUNDS: tuple[StatutoryGround, ...] = (
    StatutoryGround(
        "law:public_interest", "涉及重大公共利益", "行政处罚法 第五十八条第一款第一项", "public_interest"
    ),
    StatutoryGround(
        "law:social_impact",
        "可能造成重大社会影响或引发社会风险",
        "《松原市重大行政执法决定法制审核办法》第三条第一款第一项",
        "social_impact",
    ),
    StatutoryGround(
        "law:major_rights",
        "直接关系当事人或者第三人重大权益",
        "行政处罚法 第五十八条第一款第二项; 《松原市重大行政执法决定法制审核办法》第三条第一款第二项",
        "major_rights",
    ),
    StatutoryGround(
        "law:hearing",
        "经过听证程序",
        "行政处罚法 第五十八条第一款第二项; 《松原市重大行政执法决定法制审核办法》第三条第一款第三项",
        "hearing_held",
    ),
    StatutoryGround(
        "law:complex",
        "案件情况疑难复杂、涉及多个法律关系",
        "行政处罚法 第五十八条第一款第三项; 《松原市重大行政执法决定法制审核办法》第三条第一款第四项",
        "complex",
    ),
)

_FLAG_FOR_KIND = {
    CriterionKind.HEARING: "hearing_held",
    CriterionKind.PUBLIC_INTEREST: "public_interest",
    CriterionKind.MAJOR_RIGHTS: "major_rights",
    CriterionKind.SOCIAL_IMPACT: "social_impact",
    CriterionKind.COMPLEX: "complex",
}


def _criterion_source(c) -> str:
    return f"{c.basis_law} {c.basis_article}".strip()


def _scope_matches(scope: str, party_kind: str) -> bool:
    return scope in ("", PartyScope.ANY) or scope == party_kind


def is_major_decision(
    *, agency: Agency, proposal: DecisionProposal, on: dt.date | None = None
) -> list[MatchedCriterion]:
    """Every criterion (the law's and the agency's 重大执法决定法制审核目录清单 in force on ``on``) that
    ``proposal`` meets; an empty list means no legal review is required (行政处罚法 第五十八条)."""
    on = on or timezone.localdate()
    matched = [
        MatchedCriterion(g.code, g.description, g.source, True)
        for g in STATUTORY_GROUNDS
        if getattr(proposal, g.flag)
    ]
    fine = Decimal(proposal.fine_amount or 0)
    confiscation = Decimal(proposal.confiscation_amount or 0)
    for c in selectors.in_force(MODELS[ListKind.MAJOR], agency=agency, on=on):
        if c.decision_category and c.decision_category != proposal.category:
            continue
        hit = False
        if c.kind == CriterionKind.PENALTY_KIND:
            hit = c.penalty_kind in proposal.penalty_kinds
        elif c.kind == CriterionKind.FINE:
            hit = _scope_matches(c.party_scope, proposal.party_kind) and fine >= c.threshold  # 以上含本数
        elif c.kind == CriterionKind.CONFISCATION:
            hit = _scope_matches(c.party_scope, proposal.party_kind) and confiscation >= c.threshold
        elif c.kind in _FLAG_FOR_KIND:
            hit = bool(getattr(proposal, _FLAG_FOR_KIND[c.kind]))
        elif c.kind == CriterionKind.OTHER:
            hit = c.code in proposal.other_criteria
        if hit:
            matched.append(MatchedCriterion(c.code, c.description, _criterion_source(c), False))
    return matched


def recording_required_records(
    *, agency: Agency, procedure: str, on: dt.date | None = None
) -> frozenset[str]:
    """Record keys of ``procedure`` that the agency's 音像记录事项清单 (in force on ``on``) adds to the
    statutory minimum; pass them to ``procedures.engine.CaseContext(extra_av=...)``."""
    on = on or timezone.localdate()
    return frozenset(
        selectors.in_force(MODELS[ListKind.RECORDING], agency=agency, on=on)
        .filter(procedure=procedure)
        .values_list("record", flat=True)
    )
