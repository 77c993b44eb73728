"""双随机 draws as a pure function — no Django, no database, no network (standard library only).

Usage::

    python -m sanxiang.inspections.drawalgo draw.json
    python -m sanxiang.ledger.verifier --draw draw.json      # the same check from the ledger verifier

A draw document (``draw.json``, published on the portal for every completed draw) holds the frozen
检查对象名录库 and 执法检查人员名录库 snapshots, the parameters, the commitment to the agency's random
value, the named public randomness and, once drawn, the revealed value and the published selection.
The verifier recomputes the selection from those inputs and agrees only when every object and every
inspector is the same (docs/decisions/0009-verifiable-spot-check-draws.md).

The selection (format ``sanxiang-draw/1``):

1. ``key = SM3("sanxiang-draw/1" 0x00 seed 0x00 randomness 0x00 SM3(parameters) SM3(objects) SM3(officers))``
   — one byte changed in the seed, the public randomness, the parameters or either snapshot changes
   the key and so the whole draw (RFC 3797 §4 and draft-thomson-elegy-vrs: sort by a keyed hash).
2. per stratum (one per credit-risk class) in the order of the parameters: of its ``n`` lines, those
   not excluded and checked fewer than ``repeat_cap`` times this year are available; ``count`` (or
   ``ceil(available × ratio ÷ 100)``) of them are drawn by probing ``SM3(key "O" stratum "|" j) mod n``
   for j = 0, 1, … and skipping the unavailable and the already drawn (RFC 3797 §4 draws by a hash of
   the public values modulo the pool); when more than half would be drawn, the available ones are
   sorted by ``SM3(key "R" token)`` instead (draft-thomson-elegy-vrs: sort by a keyed hash).
3. per drawn object and per team (one per participating agency), the eligible inspectors are those of
   the team's agency whose credential is active, valid on the inspection date, covers the team's
   category and the object's region, and who have no declared 回避 relation with the object
   (行政处罚法 第四十二条; 第四十三条). The ``per_object`` inspectors are taken by probing
   ``SM3(key 0x54 team token j) mod n`` for j = 0, 1, … over the region's pool, skipping the
   ineligible and the already chosen; when fewer than an eighth of the pool is eligible, the eligible
   ones are sorted by ``SM3(key 0x54 team token credential)`` instead. Fewer eligible inspectors than
   needed fails the draw with the reason. With ``inspector_cap`` (workload balancing across a plan's
   draws) an inspector whose objects in the plan — ``inspector_loads`` from its earlier draws plus
   those of this draw so far, in drawing order — reach the cap is ineligible for the rest of the draw.
4. with ``beacon`` (a drand round) the public randomness is the round's, derived from its signature,
   which must verify with the network's public key (``sanxiang.inspections.drand``).

Snapshot lines (sorted, unique; fields separated by ``|``):

- object: ``stratum|token|region|checks`` (sorted, so a stratum is one range) — ``token`` is a
  pseudonym of the object for this draw
  and ``stratum`` an opaque label of its credit-risk class for this draw (``1``, ``2`` … in the order
  of the parameters; the class itself is internal and never published), ``checks`` the number of
  random checks of the object this year before the draw;
- officer: ``credential|agency|categories(+)|region|valid_from|valid_until|status|recusals(;)``
  — ``recusals`` are the tokens of the objects the officer declared a 回避 relation with.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import sys
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import Any

FORMAT = "sanxiang-draw/1"
ACTIVE = "active"
EXACT_FRACTION = 8  # below 1/8 of the pool eligible, probing gives way to the exact sort


class DrawError(ValueError):
    """The inputs are malformed or the draw cannot be made (the message is for people, in Chinese)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


_SM3 = hashlib.new(
    "sm3"
)  # copied, not looked up by name, for each hash (the lookup costs more than 40 bytes)


def sm3(data: bytes) -> bytes:
    h = _SM3.copy()
    h.update(data)
    return h.digest()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million short-lived lines and records are made:
    they hold no cycles, and its full passes over them cost more than the draw itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sm3_hex(data: bytes) -> str:
    return sm3(data).hex()


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8 — equal to RFC 8785 for the strings, integers, lists, objects
    and booleans that parameters hold (floats are refused: ratios are decimal strings)."""

    def check(v: Any, where: str) -> None:
        if isinstance(v, float):
            raise DrawError("parameters_float", f"抽取参数 {where}: 不得使用浮点数，比例写作十进制字符串")
        if isinstance(v, dict):
            for k, item in v.items():
                if not isinstance(k, str) or not k.isascii():
                    raise DrawError("parameters_key", f"抽取参数 {where}: 键应为 ASCII 字符串")
                check(item, f"{where}.{k}")
        elif isinstance(v, list):
            for i, item in enumerate(v):
                check(item, f"{where}[{i}]")

    check(value, "parameters")
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def selection_bytes(selection: dict[str, Any]) -> bytes:
    """``canonical_json`` of a selection this module made (strings and integers only: no check)."""
    return json.dumps(selection, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def lines_bytes(lines: Sequence[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode() if lines else b""


def region_prefix(code: str) -> str:
    """220000 → 22, 220700 → 2207, 220702 → 220702 (the same rule as the registry's)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def covering_regions(code: str) -> list[str]:
    """Every credential region whose area contains ``code``: the county itself, its city, its province."""
    found = [code]
    if not code.endswith("00"):
        found.append(code[:4] + "00")
    if not code.endswith("0000"):
        found.append(code[:2] + "0000")
    return found


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class Obj:
    stratum: str
    token: str
    region: str
    checks: int


@dataclass(slots=True)
class Officer:
    credential: str
    agency: str
    categories: frozenset[str]
    region: str
    valid_from: str
    valid_until: str
    status: str
    recusals: frozenset[str]


@dataclass(frozen=True)
class Stratum:
    cls: str
    ratio: Fraction | None
    count: int | None


@dataclass(frozen=True)
class Team:
    agency: str
    category: str
    per_object: int


@dataclass(frozen=True)
class Parameters:
    inspection_date: str
    strata: tuple[Stratum, ...]
    teams: tuple[Team, ...]
    exclusions: frozenset[str]
    repeat_cap: int | None
    inspector_cap: int | None = None  # objects per inspector across the plan's draws, this one included
    inspector_loads: tuple[
        tuple[str, int], ...
    ] = ()  # objects each inspector has in the plan's earlier draws


@dataclass
class Selection:
    """The drawn objects in order, each with its inspectors (one list per team, in team order)."""

    objects: list[dict[str, Any]] = field(default_factory=list)
    strata: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"objects": self.objects, "strata": self.strata}


def _sorted_unique(what: str, lines: Sequence[str]) -> None:
    if not all(x < y for x, y in zip(lines, islice(lines, 1, None), strict=False)):
        for i in range(1, len(lines)):
            if lines[i - 1] >= lines[i]:
                raise DrawError("snapshot_order", f"{what}: 第{i + 1}行未按升序排列或与上一行重复")


def object_at(lines: Sequence[str], i: int) -> Obj:
    parts = lines[i].split("|")
    if len(parts) != 4 or not parts[0] or not parts[1] or not parts[3].isdigit() or len(parts[2]) != 6:
        raise DrawError("object_line", f"检查对象名录库快照: 第{i + 1}行格式应为 分层|标识|区划|已抽查次数")
    return Obj(parts[0], parts[1], parts[2], int(parts[3]))


def check_objects(lines: Sequence[str]) -> None:
    """Sorted and unique (so each stratum is one contiguous range); lines are parsed where used."""
    _sorted_unique("检查对象名录库快照", lines)


def parse_officers(lines: Sequence[str]) -> list[Officer]:
    _sorted_unique("执法检查人员名录库快照", lines)
    out = []
    sets: dict[str, frozenset[str]] = {"": frozenset()}  # few distinct category sets: share them
    with gc_paused():
        for i, line in enumerate(lines):
            parts = line.split("|")
            if len(parts) != 8 or not parts[0] or not parts[1] or len(parts[3]) != 6:
                raise DrawError(
                    "officer_line",
                    f"执法检查人员名录库快照: 第{i + 1}行格式应为 证件号|机关|类别|区域|有效期起|有效期至|状态|回避对象",
                )
            credential, agency, categories, region, valid_from, valid_until, status, recused = parts
            cats = sets.get(categories)
            if cats is None:
                cats = sets[categories] = frozenset(categories.split("+"))
            out.append(
                Officer(
                    credential,
                    agency,
                    cats,
                    region,
                    valid_from,
                    valid_until,
                    status,
                    frozenset(recused.split(";")) if recused else sets[""],
                )
            )
    return out


def _ratio(value: Any, where: str) -> Fraction:
    if not isinstance(value, str):
        raise DrawError("ratio", f'{where}: 比例应为十进制字符串，如 "5" 或 "2.5"')
    try:
        ratio = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise DrawError("ratio", f"{where}: 比例「{value}」不是数") from None
    if not 0 < ratio <= 100:
        raise DrawError("ratio", f"{where}: 比例应大于0且不超过100")
    return ratio


def parse_parameters(raw: Any) -> Parameters:
    if not isinstance(raw, dict):
        raise DrawError("parameters", "抽取参数: 应为 JSON 对象")
    date = raw.get("inspection_date")
    try:
        dt.date.fromisoformat(date)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DrawError("inspection_date", "抽取参数 inspection_date: 检查日期应为 YYYY-MM-DD") from None
    strata = []
    for i, s in enumerate(raw.get("strata") or []):
        where = f"抽取参数 strata[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("stratum"), str) or not s["stratum"]:
            raise DrawError("strata", f"{where}: 须写明分层标识")
        if not s["stratum"].isalnum() or not s["stratum"].isascii():
            raise DrawError("strata", f"{where}: 分层标识应为字母或数字")
        if ("ratio" in s) == ("count" in s):
            raise DrawError("strata", f"{where}: 比例和数量须且只能写一项")
        count = s.get("count")
        if "count" in s and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
            raise DrawError("strata", f"{where}: 数量应为非负整数")
        strata.append(Stratum(s["stratum"], _ratio(s["ratio"], where) if "ratio" in s else None, count))
    if not strata:
        raise DrawError("strata", "抽取参数 strata: 至少一个抽取分层")
    if len({s.cls for s in strata}) != len(strata):
        raise DrawError("strata", "抽取参数 strata: 同一分层只能出现一次")
    teams = []
    for i, t in enumerate(raw.get("teams") or []):
        where = f"抽取参数 teams[{i}]"
        per = t.get("per_object") if isinstance(t, dict) else None
        if not isinstance(per, int) or isinstance(per, bool) or per < 1:
            # the minimum (行政处罚法 第四十二条: 不得少于两人) is the rules registry's, checked when announced
            raise DrawError("per_object", f"{where}: 每个检查对象的执法检查人员数应为正整数")
        if not t.get("agency") or not t.get("category"):
            raise DrawError("teams", f"{where}: 须写明执法主体和执法类别")
        teams.append(Team(str(t["agency"]), str(t["category"]), per))
    if not teams:
        raise DrawError("teams", "抽取参数 teams: 至少一个检查组")
    cap = raw.get("repeat_cap")
    if cap is not None and (not isinstance(cap, int) or isinstance(cap, bool) or cap < 1):
        raise DrawError("repeat_cap", "抽取参数 repeat_cap: 同一对象年度抽查次数上限应为正整数")
    exclusions = raw.get("exclusions") or []
    if not isinstance(exclusions, list) or not all(isinstance(x, str) for x in exclusions):
        raise DrawError("exclusions", "抽取参数 exclusions: 应为对象标识列表")
    inspector_cap = raw.get("inspector_cap")
    if inspector_cap is not None and (
        not isinstance(inspector_cap, int) or isinstance(inspector_cap, bool) or inspector_cap < 1
    ):
        raise DrawError("inspector_cap", "抽取参数 inspector_cap: 每名执法检查人员的检查对象数上限应为正整数")
    loads = raw.get("inspector_loads") or {}
    if not isinstance(loads, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in loads.values()
    ):
        raise DrawError("inspector_loads", "抽取参数 inspector_loads: 应为 证件号→已分派对象数")
    return Parameters(
        str(date),
        tuple(strata),
        tuple(teams),
        frozenset(exclusions),
        cap,
        inspector_cap,
        tuple(sorted(loads.items())),
    )


# ----------------------------------------------------------------------------- the function


def draw_key(
    *, seed: bytes, randomness: str, parameters_sm3: str, objects_sm3: str, officers_sm3: str
) -> bytes:
    return sm3(
        FORMAT.encode()
        + b"\x00"
        + seed
        + b"\x00"
        + randomness.encode()
        + b"\x00"
        + bytes.fromhex(parameters_sm3)
        + bytes.fromhex(objects_sm3)
        + bytes.fromhex(officers_sm3)
    )


def _stratum_count(stratum: Stratum, available: int) -> int:
    if stratum.count is not None:
        return min(stratum.count, available)
    assert stratum.ratio is not None
    wanted = -(-(available * stratum.ratio) // 100)  # ceil(n × ratio ÷ 100)
    return min(int(wanted), available)


def _pick(*, key: bytes, label: bytes, size: int, wanted: int, skip: set[int], rank: Any) -> list[int]:
    """``wanted`` distinct offsets in ``range(size)`` not in ``skip``: probe ``SM3(key label j) mod size``
    for j = 0, 1, …; when more than half would be taken, sort the rest by ``rank`` instead."""
    if wanted <= 0:
        return []
    if wanted * 2 > size - len(skip):
        ranked = sorted((rank(i), i) for i in range(size) if i not in skip)
        return [i for _, i in ranked[:wanted]]
    chosen: list[int] = []
    taken = set(skip)
    base = hashlib.new("sm3", key + label)
    j = 0
    while len(chosen) < wanted:
        h = base.copy()
        h.update(str(j).encode())
        j += 1
        i = int.from_bytes(h.digest(), "big") % size
        if i not in taken:
            taken.add(i)
            chosen.append(i)
    return chosen


def select(
    *, key: bytes, parameters: Parameters, objects: Sequence[str], officers: Sequence[Officer]
) -> Selection:
    """The draw: a pure function of the key, the parameters and the two snapshots.

    ``objects`` are the object lines, sorted: the lines of one stratum form one range, so a stratum is
    found by bisection and only the lines probed (and, with a repeat cap, those already checked) are
    parsed. Within a stratum of ``n`` lines the draw probes ``SM3(key "O" stratum "|" j) mod n``.
    """
    selection = Selection()
    drawn: list[Obj] = []
    excluded, cap = parameters.exclusions, parameters.repeat_cap
    for stratum in parameters.strata:
        lo = bisect_left(objects, stratum.cls + "|")
        hi = bisect_left(objects, stratum.cls + "}", lo)  # "}" sorts right after "|"
        size = hi - lo
        skip: set[int] = set()
        if excluded:
            for token in excluded:
                at = bisect_left(objects, f"{stratum.cls}|{token}|", lo, hi)
                if at < hi and objects[at].startswith(f"{stratum.cls}|{token}|"):
                    skip.add(at - lo)
        if cap is not None:
            for i in range(lo, hi):
                if not objects[i].endswith("|0") and object_at(objects, i).checks >= cap:
                    skip.add(i - lo)
        available = size - len(skip)
        n = _stratum_count(stratum, available)
        label = b"O" + stratum.cls.encode() + b"|"

        def rank(i: int, lo: int = lo) -> bytes:
            return sm3(key + b"R" + object_at(objects, lo + i).token.encode())

        for i in _pick(key=key, label=label, size=size, wanted=n, skip=skip, rank=rank):
            drawn.append(object_at(objects, lo + i))
        selection.strata.append({"stratum": stratum.cls, "objects": size, "available": available, "drawn": n})

    # team pools: per team, eligible on the date, grouped by credential region (sorted by credential)
    day = parameters.inspection_date
    pools: list[dict[str, list[Officer]]] = []
    for team in parameters.teams:
        by_region: dict[str, list[Officer]] = {}
        agency, category = team.agency, team.category
        for officer in officers:  # _eligible, inlined: this loop runs over every officer of every team
            if (
                officer.agency == agency
                and officer.status == ACTIVE
                and category in officer.categories
                and officer.valid_from <= day <= officer.valid_until
            ):
                by_region.setdefault(officer.region, []).append(officer)
        pools.append(by_region)
    region_pools: dict[tuple[int, str], list[Officer]] = {}
    region_sets: dict[tuple[int, str], set[str]] = {}
    recusals: dict[str, set[str]] = {}
    for officer in officers:
        for token in officer.recusals:
            recusals.setdefault(token, set()).add(officer.credential)
    cap = parameters.inspector_cap
    loads = dict(parameters.inspector_loads)
    full = {c for c, n in loads.items() if cap is not None and n >= cap}  # at the cap: not drawn again
    for obj in drawn:
        teams_out = []
        for ti, team in enumerate(parameters.teams):
            cache_key = (ti, obj.region)
            team_pool = region_pools.get(cache_key)
            if team_pool is None:
                team_pool = sorted(
                    (o for r in covering_regions(obj.region) for o in pools[ti].get(r, ())),
                    key=lambda o: o.credential,
                )
                region_pools[cache_key] = team_pool
                region_sets[cache_key] = {o.credential for o in team_pool}
            teams_out.append(
                _team(
                    key=key,
                    obj=obj,
                    team=team,
                    ti=ti,
                    pool=team_pool,
                    in_pool=region_sets[cache_key],
                    recused=recusals.get(obj.token, set()),
                    full=full,
                    cap=cap,
                )
            )
            if cap is not None:
                for credential in teams_out[-1]:
                    loads[credential] = loads.get(credential, 0) + 1
                    if loads[credential] >= cap:
                        full.add(credential)
        selection.objects.append({"token": obj.token, "stratum": obj.stratum, "inspectors": teams_out})
    return selection


def _team(
    *,
    key: bytes,
    obj: Obj,
    team: Team,
    ti: int,
    pool: Sequence[Officer],
    in_pool: set[str],
    recused: set[str],
    full: set[str] | None = None,
    cap: int | None = None,
) -> list[str]:
    barred = recused & in_pool if recused else set()
    if full:
        barred = barred | (full & in_pool)
    eligible = len(pool) - len(barred)
    if eligible < team.per_object:
        capped = f"、本计划内检查对象数未达上限{cap}个" if cap is not None else ""
        raise DrawError(
            "too_few_inspectors",
            f"检查对象 {obj.token}: 执法主体 {team.agency} 在检查日期持有效执法证件、执法类别和区域相符且无回避关系{capped}的"
            f"执法检查人员只有{eligible}名，少于每个对象{team.per_object}名（《中华人民共和国行政处罚法》第四十二条、第四十三条），"
            "本次抽取不能完成",
        )
    prefix = key + b"T" + str(ti).encode() + b"|" + obj.token.encode() + b"|"
    if eligible * EXACT_FRACTION < len(pool):
        ranked = sorted(
            (sm3(prefix + o.credential.encode()), o.credential) for o in pool if o.credential not in barred
        )
        return [c for _, c in ranked[: team.per_object]]
    chosen: list[str] = []
    n = len(pool)
    j = 0
    while len(chosen) < team.per_object:
        i = int.from_bytes(sm3(prefix + str(j).encode()), "big") % n
        j += 1
        credential = pool[i].credential
        if credential in barred or credential in chosen:
            continue
        chosen.append(credential)
    return chosen


# ----------------------------------------------------------------------------- documents


@dataclass
class Outcome:
    agrees: bool
    checks: list[tuple[bool, str]]
    selection: Selection | None = None


def run_draw(document: dict[str, Any]) -> Selection:
    """Recompute the selection of a draw document (with its seed and randomness); raise DrawError."""
    with gc_paused():
        checks, selection = _recompute(document)
    failed = [text for ok, text in checks if not ok]
    if failed:
        raise DrawError("inputs", failed[0])
    assert selection is not None
    return selection


def _recompute(document: dict[str, Any]) -> tuple[list[tuple[bool, str]], Selection | None]:
    checks: list[tuple[bool, str]] = []
    if document.get("format") != FORMAT:
        return [(False, f"格式: 应为 {FORMAT}")], None
    objects_lines = document.get("objects")
    officers_lines = document.get("officers")
    if not isinstance(objects_lines, list) or not isinstance(officers_lines, list):
        return [(False, "快照: 缺少 objects 或 officers")], None
    objects_sm3 = sm3_hex(lines_bytes(objects_lines))
    officers_sm3 = sm3_hex(lines_bytes(officers_lines))
    parameters_sm3 = sm3_hex(canonical_json(document.get("parameters")))
    checks.append(
        (
            objects_sm3 == document.get("objects_sm3"),
            f"检查对象名录库快照 SM3 {objects_sm3} 与公布的承诺值一致",
        )
    )
    checks.append(
        (
            officers_sm3 == document.get("officers_sm3"),
            f"执法检查人员名录库快照 SM3 {officers_sm3} 与公布的承诺值一致",
        )
    )
    checks.append(
        (
            parameters_sm3 == document.get("parameters_sm3"),
            f"抽取参数 SM3 {parameters_sm3} 与公布的承诺值一致",
        )
    )
    seed_hex = document.get("seed")
    randomness = document.get("randomness")
    if not isinstance(seed_hex, str) or not seed_hex:
        checks.append((False, "本机关随机数尚未揭示，抽取尚未进行"))
        return checks, None
    if not isinstance(randomness, str) or not randomness:
        checks.append((False, "公共随机数尚未录入，抽取尚未进行"))
        return checks, None
    try:
        seed = bytes.fromhex(seed_hex)
    except ValueError:
        checks.append((False, "本机关随机数: 应为十六进制"))
        return checks, None
    checks.append(
        (sm3_hex(seed) == document.get("commitment"), "揭示的本机关随机数与事先公布的承诺值（SM3）一致")
    )
    spec = document["parameters"].get("beacon") if isinstance(document.get("parameters"), dict) else None
    if spec is not None:
        checks.append(_beacon_check(spec, document.get("beacon"), randomness))
    if not all(ok for ok, _ in checks):
        return checks, None
    parameters = parse_parameters(document["parameters"])
    check_objects(objects_lines)
    officers = parse_officers(officers_lines)
    key = draw_key(
        seed=seed,
        randomness=randomness,
        parameters_sm3=parameters_sm3,
        objects_sm3=objects_sm3,
        officers_sm3=officers_sm3,
    )
    return checks, select(key=key, parameters=parameters, objects=objects_lines, officers=officers)


def _beacon_check(spec: Any, published: Any, randomness: str) -> tuple[bool, str]:
    """The draw was committed to a drand round: its signature verifies with the network's public key
    (kept in :mod:`sanxiang.inspections.drand`, not taken from the document) and the randomness used is
    the one derived from it."""
    try:
        from sanxiang.inspections import drand
    except ImportError:  # pragma: no cover - the module is part of the package
        return False, "不能核验 drand 签名: 缺少 sanxiang.inspections.drand"
    if not isinstance(spec, dict) or not isinstance(published, dict):
        return False, "drand 公共随机数: 文件缺少该轮的签名"
    try:
        net = drand.network(str(spec.get("network")))
        if spec.get("chain_hash") != net.chain_hash:
            return False, f"drand 公共随机数: 链标识应为 {net.chain_hash}"
        round_number = spec.get("round")
        if published.get("round") != round_number:
            return False, f"drand 公共随机数: 签名所属轮次应为事先公布的第{round_number}轮"
        derived = drand.verify(
            net,
            round_number,  # type: ignore[arg-type]
            str(published.get("signature") or ""),
            str(published.get("previous_signature") or ""),
        )
    except drand.BeaconError as exc:
        return False, exc.message
    except ImportError:
        return False, "不能核验 drand 签名: 须安装 py_ecc（pip install py_ecc）"
    if derived != randomness:
        return False, "drand 公共随机数: 抽取所用的公共随机数不是该轮签名导出的随机数"
    return True, f"drand {net.label}第{round_number}轮签名经公钥验证通过，公共随机数由该签名导出"


def verify_document(document: dict[str, Any]) -> Outcome:
    """Does the published selection equal the recomputed one? Every check is listed, in Chinese."""
    try:
        with gc_paused():
            checks, selection = _recompute(document)
    except DrawError as exc:
        return Outcome(False, [(False, exc.message)])
    if selection is None:
        return Outcome(False, checks)
    published = document.get("result")
    if not isinstance(published, dict):
        checks.append((False, "公布的抽取结果缺失"))
        return Outcome(False, checks, selection)
    mine = selection.as_json()
    same_objects = [o["token"] for o in published.get("objects") or []] == [
        o["token"] for o in mine["objects"]
    ]
    checks.append((same_objects, f"抽中的 {len(mine['objects'])} 个检查对象及其顺序与公布结果一致"))
    same_teams = published.get("objects") == mine["objects"]
    checks.append((same_teams, "每个检查对象的执法检查人员与公布结果一致"))
    checks.append((published.get("strata") == mine["strata"], "各信用风险分层的对象数和抽取数与公布结果一致"))
    return Outcome(all(ok for ok, _ in checks), checks, selection)


def load(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise DrawError("file", f"{path}: 不能读取为 JSON（{exc}）") from exc
    if not isinstance(document, dict):
        raise DrawError("file", f"{path}: 应为 JSON 对象")
    return document


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("用法: python -m sanxiang.inspections.drawalgo draw.json", file=sys.stderr)
        return 2
    try:
        with gc_paused():
            outcome = verify_document(load(Path(args[0])))
    except DrawError as exc:
        print(f"不一致 {exc.message}", file=sys.stderr)
        return 1
    for ok, text in outcome.checks:
        print(("一致  " if ok else "不一致 ") + text, file=sys.stdout if ok else sys.stderr)
    if outcome.agrees:
        print("抽取结果经复核一致")
        return 0
    print("抽取结果经复核不一致：公布的结果不是这些输入的抽取结果", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
