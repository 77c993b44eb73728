"""Writes to the rules: assign a region a profile, override one rule for a region with a cited local
document, and recompute stored deadlines after a rule change — each explicit, versioned (rows are
never edited) and written to the ledger in the same transaction.

A rule change never moves a stored deadline by itself: each deadline keeps the ``rule_version``
that computed it until :func:`recompute_rule_deadlines` runs (``sanxiang rules recompute``), which
records every deadline it moves (``DeadlineRecomputation``) and the run itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from sanxiang.errors import FieldError, Forbidden, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.rules import catalogue as C
from sanxiang.rules import selectors
from sanxiang.rules.models import RegionProfile, RuleOverride, RuleRecomputation
from sanxiang.workdays.models import DeadlineRecomputation
from sanxiang.workdays.services import compute_period
from sanxiang.workdays.tracking import tracked_deadlines

if TYPE_CHECKING:
    from sanxiang.accounts.models import User

logger = logging.getLogger(__name__)

ADMIN_ONLY = "规则设置: 仅系统管理员可以设置地区规则"


def _require_admin(actor: Any) -> None:
    from sanxiang.accounts.roles import Role

    if not (getattr(actor, "is_authenticated", False) and actor.has_role(Role.ADMINISTRATOR)):
        raise Forbidden(ADMIN_ONLY)


def _prefix(region: str) -> str:
    chain = selectors.region_chain(region)
    if not chain:
        raise InvalidInput([FieldError("region", "required", "行政区划代码: 必须填写")])
    return chain[0]


def _date(name: str, label: str, value: object) -> dt.date:
    if type(value) is not dt.date:
        raise InvalidInput([FieldError(name, "local_date", f"{label}: 应为日期（不含时间）")])
    return value


def _invalidate_now_and_on_commit() -> None:
    selectors.invalidate()
    transaction.on_commit(selectors.invalidate)


def assign_profile(
    *,
    actor: User,
    region: str,
    profile: str,
    effective_from: dt.date,
    document: str,
    reason: str = "",
) -> RegionProfile:
    """From ``effective_from`` on, ``region`` (and every code under it without its own
    assignment) works under ``profile``; ``document`` names the decision that says so."""
    _require_admin(actor)
    errors = []
    if profile not in C.PROFILES:
        names = "、".join(p.name for p in C.PROFILES.values())
        errors.append(FieldError("profile", "choice", f"规则配置: 应为以下之一：{names}"))
    if not (document or "").strip():
        errors.append(FieldError("document", "required", "依据文件: 必须写明作出该设置的文件名称和文号"))
    _date("effective_from", "施行日期", effective_from)
    prefix = _prefix(region)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = RegionProfile.objects.create(
            region_prefix=prefix,
            profile=profile,
            effective_from=effective_from,
            document=document.strip()[:300],
            reason=(reason or "").strip()[:300],
            created_by=actor,
        )
        entry = record(
            kind="rules.profile_assigned",
            subject=("rules.region", prefix),
            actor=actor,
            payload={
                "region_prefix": prefix,
                "profile": profile,
                "profile_name": C.PROFILES[profile].name,
                "effective_from": effective_from.isoformat(),
                "document": row.document,
                "reason": row.reason,
            },
        )
        row.ledger_seq = entry.seq
        row.save(update_fields=["ledger_seq"])
        _invalidate_now_and_on_commit()
    return row


def override_rule(
    *,
    actor: User,
    region: str,
    key: str,
    value: str,
    effective_from: dt.date,
    source_title: str,
    source_article: str = "",
    source_number: str = "",
    source_url: str = "",
    reason: str = "",
) -> RuleOverride:
    """Set one rule for ``region`` from ``effective_from`` on, citing the local document."""
    _require_admin(actor)
    declared = C.KEYS.get(key)
    errors = []
    if declared is None:
        errors.append(FieldError("key", "choice", "规则: 不是平台登记的规则"))
    else:
        try:
            selectors.parse_value(declared.unit, str(value))
        except ValueError as exc:
            errors.append(FieldError("value", "rule_value", f"取值: {exc}（{declared.title}）"))
    title = (source_title or "").strip().removeprefix("《").removesuffix("》")
    if not title:
        errors.append(FieldError("source_title", "required", "依据文件名称: 地方规则必须写明依据文件"))
    _date("effective_from", "施行日期", effective_from)
    prefix = _prefix(region)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = RuleOverride.objects.create(
            region_prefix=prefix,
            key=key,
            value=str(value).strip(),
            effective_from=effective_from,
            source_title=title[:200],
            source_number=(source_number or "").strip()[:100],
            source_article=(source_article or "").strip()[:100],
            source_url=(source_url or "").strip()[:200],
            reason=(reason or "").strip()[:300],
            created_by=actor,
        )
        entry = record(
            kind="rules.rule_overridden",
            subject=("rules.region", prefix),
            actor=actor,
            payload={
                "region_prefix": prefix,
                "key": key,
                "value": row.value,
                "effective_from": effective_from.isoformat(),
                "source": f"《{row.source_title}》{row.source_article}",
                "source_number": row.source_number,
                "reason": row.reason,
            },
        )
        row.ledger_seq = entry.seq
        row.save(update_fields=["ledger_seq"])
        _invalidate_now_and_on_commit()
    return row


# --- recomputing stored deadlines --------------------------------------------------------------


@dataclass(frozen=True)
class RuleRecomputeReport:
    examined: int = 0
    changed: int = 0
    moved: int = 0
    skipped: int = 0  # deadlines whose new rule sets no period (left as they are)
    run: RuleRecomputation | None = None


def _recompute_row(tracked, row, content_type, reason: str):
    f = tracked.field
    old_version = getattr(row, f("rule_version"))
    key = selectors.key_of_version(old_version)
    start = getattr(row, f("start_date"))
    region = getattr(row, f("rule_region"))
    new_rule = selectors.rule_for(key, region=region, on=start)
    if new_rule.version_id == old_version:
        return None
    old_value = selectors.value_of_version(old_version)
    if (
        not isinstance(new_rule.value, int)
        or not isinstance(old_value, int)
        or new_rule.unit not in C.DAY_UNITS
    ):
        return "skipped"
    old_days = getattr(row, f("days"))
    # The stored period may include granted extensions: keep them, change only the rule's part.
    new_days = max(1, old_days - old_value + new_rule.value)
    new = compute_period(
        start, new_days, unit=new_rule.calendar_unit, region=getattr(row, f("calendar_region"))
    )
    audit = DeadlineRecomputation(
        content_type=content_type,
        object_id=str(row.pk),
        field_prefix=tracked.prefix,
        start_date=start,
        days=old_days,
        new_days=new_days,
        unit=new.unit,
        old_due_date=getattr(row, f("due_date")),
        new_due_date=new.due,
        old_provisional=getattr(row, f("provisional")),
        new_provisional=new.provisional,
        old_calendar_version=getattr(row, f("calendar_version")),
        new_calendar_version=new.calendar_version,
        old_rule_version=old_version,
        new_rule_version=new_rule.version_id,
        reason=reason[:200],
    )
    setattr(row, f("days"), new_days)
    setattr(row, f("unit"), new.unit)
    setattr(row, f("due_date"), new.due)
    setattr(row, f("provisional"), new.provisional)
    setattr(row, f("calendar_version"), new.calendar_version)
    setattr(row, f("rule_version"), new_rule.version_id)
    return audit


def recompute_rule_deadlines(
    *, actor: Any, reason: str, key: str = "", region: str = ""
) -> RuleRecomputeReport:
    """Recompute every stored deadline whose rule version is no longer the one in force for its
    region on its start date (optionally only rule ``key`` / region ``region``). Explicit and
    audited: each moved deadline appends a ``DeadlineRecomputation``, the run a ``RuleRecomputation``
    and a ledger entry, all in one transaction. A second run changes nothing."""
    if not (reason or "").strip():
        raise InvalidInput([FieldError("reason", "required", "原因: 重算已保存的期限必须说明原因")])
    if key and key not in C.KEYS:
        raise InvalidInput([FieldError("key", "choice", "规则: 不是平台登记的规则")])
    prefix = _prefix(region) if region else ""
    examined = changed = moved = skipped = 0
    with transaction.atomic():
        for tracked in tracked_deadlines():
            f = tracked.field
            rows = tracked.model._default_manager.select_for_update().exclude(**{f("rule_version"): ""})
            if key:
                rows = rows.filter(**{f"{f('rule_version')}__startswith": f"{key}@"})
            if prefix:
                rows = rows.filter(**{f"{f('rule_region')}__startswith": prefix})
            content_type = ContentType.objects.get_for_model(tracked.model)
            audits, updated = [], []
            for row in rows.order_by("pk"):
                examined += 1
                try:
                    result = _recompute_row(tracked, row, content_type, reason)
                except selectors.UnknownRule:
                    skipped += 1
                    continue
                if result is None:
                    continue
                if result == "skipped":
                    skipped += 1
                    continue
                audits.append(result)
                updated.append(row)
                moved += result.old_due_date != result.new_due_date
            if updated:
                names = ["days", "unit", "due_date", "provisional", "calendar_version", "rule_version"]
                tracked.model._default_manager.bulk_update(updated, [f(n) for n in names])
                DeadlineRecomputation.objects.bulk_create(audits)
                changed += len(updated)
        run_by = getattr(actor, "username", None) or str(actor or "system")
        run = RuleRecomputation.objects.create(
            key=key,
            region_prefix=prefix,
            examined=examined,
            changed=changed,
            reason=reason.strip()[:200],
            run_by=run_by[:150],
        )
        entry = record(
            kind="rules.deadlines_recomputed",
            subject=("rules.recomputation", str(run.pk)),
            actor=actor if getattr(actor, "is_authenticated", False) else f"system:{run_by}",
            payload={
                "key": key,
                "region_prefix": prefix,
                "examined": examined,
                "changed": changed,
                "moved": moved,
                "skipped": skipped,
                "reason": run.reason,
            },
        )
        run.ledger_seq = entry.seq
        run.save(update_fields=["ledger_seq"])
    logger.info("rules recompute: %s of %s stored deadlines changed (%s moved)", changed, examined, moved)
    return RuleRecomputeReport(examined=examined, changed=changed, moved=moved, skipped=skipped, run=run)
