"""Reading the rules: ``rule_for(key, region=code, on=date)`` and everything in force for a region.

Resolution, most specific first: for each prefix of the region code (220702 → 2207 → 22), an
administrator's override of that rule for that prefix, then the profile assigned to that prefix
(by an administrator, else by ``catalogue.DEFAULT_ASSIGNMENTS``) if it sets the rule; finally the
national profile. Within each, the version in force on ``on`` (latest ``effective_from`` ≤ on).

Reads cost no query: overrides and assignments (small tables) are loaded once per process and
resolved results memoised. Freshness is the same as the working-day calendar's: the process that
writes invalidates at once and on commit; other processes compare the newest row ids at most every
``SANXIANG_RULES_CACHE_SECONDS`` (default 1; 0 checks on every call).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db.models import Max

from sanxiang.errors import FieldError, InvalidInput
from sanxiang.rules import catalogue as C
from sanxiang.rules.sources import SOURCES, Source


class UnknownRule(LookupError):
    """A programming error: the key is not declared in :data:`sanxiang.rules.catalogue.KEYS`."""


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    value: C.Value
    unit: str
    citation: str  # 《松原市行政执法公示办法》第二十七条
    version_id: str  # disclosure.period.other@songyuan/2020-01-01 or …@override/17
    source: Source
    article: str
    profile: str  # profile code, or "override"
    profile_name: str  # 松原市 / 全国默认 / 地方规则（220702）
    effective_from: dt.date | None
    title: str  # 其他行政执法决定公开期限
    label: str  # the sentence built from the value
    group: str
    note: str = ""

    @property
    def text(self) -> str:
        """The sentence with its source, as a user reads it beside a value."""
        return f"{self.label}（{self.citation}）"

    @property
    def display_value(self) -> str:
        return format_value(self.value, self.unit) if self.value is not None else "未规定"

    @property
    def days(self) -> int:
        """The value of a period in days (working or natural); an error for any other rule."""
        if self.unit not in C.DAY_UNITS or not isinstance(self.value, int):
            raise TypeError(f"{self.key} is not a period in days")
        return self.value

    @property
    def calendar_unit(self) -> str:
        """``working`` or ``natural``, as :mod:`sanxiang.workdays.services` counts."""
        return {C.WORKING_DAYS: "working", C.NATURAL_DAYS: "natural"}[self.unit]


def format_value(value: C.Value, unit: str) -> str:
    if value is None:
        return ""
    if unit == C.WORKING_DAYS:
        return f"{value}个工作日"
    if unit == C.NATURAL_DAYS:
        return f"{value}日"
    if unit == C.MONTH_DAY:
        month, day = str(value).split("-")
        return f"{int(month)}月{int(day)}日"
    if unit in (C.YUAN, C.PERCENT, C.MULTIPLE) and isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
        value = f"{value:f}"
    return f"{value}{C.UNIT_LABELS[unit]}"


def sentence(key: C.Key, value: C.Value) -> str:
    if value is None:
        return key.when_none or f"{key.title}：未规定"
    if value == 0 and key.when_zero:
        return key.when_zero
    return key.sentence.format(v=format_value(value, key.unit))


def parse_value(unit: str, text: str) -> C.Value:
    """An override's stored text as the unit's type; raises ValueError with a Chinese reason."""
    text = (text or "").strip()
    if text == "":
        return None
    if unit in (C.YUAN, C.PERCENT, C.MULTIPLE):
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError("应为数字") from None
        if not number.is_finite() or number < 0:
            raise ValueError("应为非负数")
        return number
    if unit == C.MONTH_DAY:
        match = re.fullmatch(r"(\d{2})-(\d{2})", text)
        if not match:
            raise ValueError("应为“月-日”，如 12-15")
        try:
            dt.date(2024, int(match[1]), int(match[2]))
        except ValueError:
            raise ValueError("不是有效的月日") from None
        return text
    if unit == C.TEXT:
        return text
    if not re.fullmatch(r"\d{1,6}", text):
        raise ValueError("应为非负整数")
    number_int = int(text)
    if unit in C.DAY_UNITS | {C.HOURS} and number_int < 1:
        raise ValueError("期间应至少为1")
    return number_int


REGION_RULE = "行政区划代码 (GB/T 2260)"


def region_chain(region: str | None) -> list[str]:
    """220702 → [220702, 2207, 22]; 220700 or 2207 → [2207, 22]; "" or None → [] (national)."""
    code = (region or "").strip()
    if not code:
        return []
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code) or code[:2] == "00":
        raise InvalidInput(
            [FieldError("region", "region_code_format", f"行政区划代码: 应为6位数字（{REGION_RULE}）")]
        )
    if len(code) == 6 and code.endswith("0000"):
        code = code[:2]
    elif len(code) == 6 and code.endswith("00"):
        code = code[:4]
    elif len(code) == 4 and code.endswith("00"):
        code = code[:2]
    return [code[:n] for n in (6, 4, 2) if n <= len(code)]


# --- the process cache -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Override:
    id: int
    prefix: str
    key: str
    value: C.Value
    effective_from: dt.date
    source: Source
    article: str
    reason: str


@dataclass(frozen=True, slots=True)
class _Assignment:
    id: int | None  # None: shipped default
    prefix: str
    profile: str
    effective_from: dt.date | None
    document: str


class _Snapshot:
    def __init__(self, marker: tuple, overrides: list[_Override], assignments: list[_Assignment]):
        self.marker = marker
        self.checked = time.monotonic()
        self.ttl = 0.0
        self.overrides: dict[tuple[str, str], list[_Override]] = {}
        for o in sorted(overrides, key=lambda o: (o.effective_from, o.id), reverse=True):
            self.overrides.setdefault((o.key, o.prefix), []).append(o)
        self.assignments: dict[str, list[_Assignment]] = {}
        for a in sorted(
            assignments, key=lambda a: (a.effective_from or dt.date.min, a.id or 0), reverse=True
        ):
            self.assignments.setdefault(a.prefix, []).append(a)
        self.memo: dict[tuple[str, str | None, dt.date], Rule] = {}
        self.override_by_id = {o.id: o for o in overrides}


_lock = threading.Lock()
_snapshot: _Snapshot | None = None
_MEMO_LIMIT = 100_000


def invalidate() -> None:
    """Drop the cache (the writer calls this at once and again on commit)."""
    global _snapshot
    _snapshot = None


def _marker() -> tuple:
    from sanxiang.rules.models import RegionProfile, RuleOverride

    return (
        RuleOverride.objects.aggregate(m=Max("id"))["m"],
        RegionProfile.objects.aggregate(m=Max("id"))["m"],
    )


def _local_source(row) -> Source:
    return Source(
        code=f"override-{row.pk}",
        title=row.source_title,
        issuer="",
        number=row.source_number,
        external_url=row.source_url,
    )


def _load() -> _Snapshot:
    from sanxiang.rules.models import RegionProfile, RuleOverride

    marker = _marker()
    overrides = []
    for row in RuleOverride.objects.all():
        key = C.KEYS.get(row.key)
        if key is None:
            continue
        overrides.append(
            _Override(
                id=row.pk,
                prefix=row.region_prefix,
                key=row.key,
                value=parse_value(key.unit, row.value),
                effective_from=row.effective_from,
                source=_local_source(row),
                article=row.source_article,
                reason=row.reason,
            )
        )
    assignments = [
        _Assignment(id=None, prefix=prefix, profile=code, effective_from=None, document="")
        for prefix, code in C.DEFAULT_ASSIGNMENTS.items()
    ]
    assignments += [
        _Assignment(
            id=row.pk,
            prefix=row.region_prefix,
            profile=row.profile,
            effective_from=row.effective_from,
            document=row.document,
        )
        for row in RegionProfile.objects.all()
        if row.profile in C.PROFILES
    ]
    return _Snapshot(marker, overrides, assignments)


def _ttl() -> float:
    return float(getattr(settings, "SANXIANG_RULES_CACHE_SECONDS", 1))


def _current() -> _Snapshot:
    global _snapshot
    snap = _snapshot
    if snap is not None and time.monotonic() - snap.checked < snap.ttl:
        return snap
    with _lock:
        snap = _snapshot
        ttl = _ttl()
        if snap is not None:
            if time.monotonic() - snap.checked < ttl:
                return snap
            if _marker() == snap.marker:
                snap.checked = time.monotonic()
                snap.ttl = ttl
                return snap
        snap = _load()
        snap.ttl = ttl
        _snapshot = snap
        return snap


# --- resolution --------------------------------------------------------------------------------


def _in_force(items, on: dt.date):
    for item in items:  # newest first
        if item.effective_from is None or item.effective_from <= on:
            return item
    return None


def _profile_entry(profile: C.Profile, key: str, on: dt.date) -> C.Entry | None:
    entries = profile.entries.get(key, ())
    in_force = [e for e in entries if e.effective_from is None or e.effective_from <= on]
    chosen = max(in_force, key=lambda e: e.effective_from or dt.date.min, default=None)
    if chosen is None and entries and profile.code == C.NATIONAL.code:
        # Before the earliest national version the platform knows, the earliest one applies.
        chosen = min(entries, key=lambda e: e.effective_from or dt.date.min)
    return chosen


def _from_entry(key: C.Key, profile: C.Profile, entry: C.Entry) -> Rule:
    src = SOURCES[entry.source]
    stamp = entry.effective_from.isoformat() if entry.effective_from else "base"
    return Rule(
        key=key.key,
        value=entry.value,
        unit=key.unit,
        citation=src.cite(entry.article),
        version_id=f"{key.key}@{profile.code}/{stamp}",
        source=src,
        article=entry.article,
        profile=profile.code,
        profile_name=profile.name,
        effective_from=entry.effective_from,
        title=key.title,
        label=sentence(key, entry.value),
        group=key.group,
        note=entry.note,
    )


def _from_override(key: C.Key, o: _Override) -> Rule:
    return Rule(
        key=key.key,
        value=o.value,
        unit=key.unit,
        citation=o.source.cite(o.article),
        version_id=f"{key.key}@override/{o.id}",
        source=o.source,
        article=o.article,
        profile="override",
        profile_name=f"地方规则（{o.prefix}）",
        effective_from=o.effective_from,
        title=key.title,
        label=sentence(key, o.value),
        group=key.group,
        note=o.reason,
    )


def _resolve(snap: _Snapshot, key: C.Key, chain: tuple[str, ...], on: dt.date) -> Rule:
    for prefix in chain:
        override = _in_force(snap.overrides.get((key.key, prefix), ()), on)
        if override is not None:
            return _from_override(key, override)
        assignment = _in_force(snap.assignments.get(prefix, ()), on)
        if assignment is not None:
            profile = C.PROFILES[assignment.profile]
            entry = _profile_entry(profile, key.key, on)
            if entry is not None:
                return _from_entry(key, profile, entry)
    entry = _profile_entry(C.NATIONAL, key.key, on)
    if entry is None:
        raise UnknownRule(key.key)
    return _from_entry(key, C.NATIONAL, entry)


def _check_on(on: object) -> dt.date:
    if type(on) is not dt.date:
        raise InvalidInput([FieldError("on", "local_date", "日期: 应为日期（不含时间）")])
    return on


def rule_for(key: str, *, region: str | None, on: dt.date) -> Rule:
    """The rule ``key`` in force for ``region`` (行政区划代码 or prefix) on ``on``."""
    snap = _current()
    memo_key = (key, region, on)
    found = snap.memo.get(memo_key)
    if found is not None and type(on) is dt.date:
        return found
    declared = C.KEYS.get(key)
    if declared is None:
        raise UnknownRule(key)
    chain = tuple(region_chain(region))
    found = _resolve(snap, declared, chain, _check_on(on))
    if len(snap.memo) > _MEMO_LIMIT:
        snap.memo.clear()
    snap.memo[memo_key] = found
    return found


def rules_in_force(*, region: str | None, on: dt.date) -> list[Rule]:
    """Every declared rule for ``region`` on ``on``, in catalogue order."""
    return [rule_for(key, region=region, on=on) for key in C.KEYS]


@dataclass(frozen=True)
class ProfileInForce:
    profile: C.Profile
    prefix: str  # the prefix it is assigned to ("" for the national default)
    effective_from: dt.date | None
    document: str  # the document assigning it (administrator's rows)


def profile_for(*, region: str | None, on: dt.date) -> ProfileInForce:
    snap = _current()
    for prefix in region_chain(region):
        assignment = _in_force(snap.assignments.get(prefix, ()), _check_on(on))
        if assignment is not None:
            return ProfileInForce(
                C.PROFILES[assignment.profile], prefix, assignment.effective_from, assignment.document
            )
    return ProfileInForce(C.NATIONAL, "", None, "")


def rule_of_version(version_id: str) -> Rule:
    """The rule a stored ``version_id`` names (to show a stored deadline's own source, or to
    recompute it from a delta). Raises :class:`UnknownRule` for an id the platform never issued."""
    key_code, _, origin = version_id.partition("@")
    key = C.KEYS.get(key_code)
    kind, _, stamp = origin.partition("/")
    if key is None:
        raise UnknownRule(version_id)
    if kind == "override":
        override = _current().override_by_id.get(int(stamp)) if stamp.isdigit() else None
        if override is None:
            raise UnknownRule(version_id)
        return _from_override(key, override)
    profile = C.PROFILES.get(kind)
    if profile is None:
        raise UnknownRule(version_id)
    for entry in profile.entries.get(key_code, ()):
        if (entry.effective_from.isoformat() if entry.effective_from else "base") == stamp:
            return _from_entry(key, profile, entry)
    raise UnknownRule(version_id)


def value_of_version(version_id: str) -> C.Value:
    return rule_of_version(version_id).value


def key_of_version(version_id: str) -> str:
    return version_id.partition("@")[0]


def profiles() -> list[C.Profile]:
    return list(C.PROFILES.values())


def lowest_value(key: str) -> C.Value:
    """The smallest value ``key`` has anywhere (any profile, version or override) — a bound for
    sweeps that must not miss a region with a shorter period."""
    values: list = []
    for profile in C.PROFILES.values():
        values += [e.value for e in profile.entries.get(key, ()) if e.value is not None]
    values += [o.value for (k, _), items in _current().overrides.items() if k == key for o in items]
    values = [v for v in values if v is not None]
    if not values:
        raise UnknownRule(key)
    return min(values)


def reviewer_requirement(region: str, on: dt.date):
    """review.reviewer_ratio and review.reviewer_minimum for ``region`` on ``on``, as the registry's
    :class:`~sanxiang.registry.services.ReviewerRequirement`."""
    from sanxiang.registry.services import ReviewerRequirement

    ratio = rule_for("review.reviewer_ratio", region=region, on=on)
    minimum = rule_for("review.reviewer_minimum", region=region, on=on)
    parts = [ratio.text]
    if minimum.value is not None:
        parts.append(minimum.text)
    return ReviewerRequirement(
        percent=Decimal(str(ratio.value or 0)), minimum=int(minimum.value or 0), text="；".join(parts)
    )


_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)+)\}")


def fill(template: str, *, region: str | None = None, on: dt.date | None = None) -> str:
    """``template`` with each ``{rule.key}`` replaced by that rule's value and unit for ``region``
    on ``on`` (default: the national profile today) — so that a sentence shown to a person says
    "对公民处200元以下罚款" from the registry, never from a literal. An undeclared key raises
    :class:`UnknownRule`."""
    if "{" not in template:
        return template
    from django.utils import timezone

    day = on or timezone.localdate()

    def value(match: re.Match) -> str:
        rule = rule_for(match[1], region=region, on=day)
        return rule.display_value

    return _PLACEHOLDER.sub(value, template)


def placeholders(template: str) -> list[str]:
    """The rule keys ``template`` names as ``{rule.key}`` (checked against the catalogue on load)."""
    return _PLACEHOLDER.findall(template)
