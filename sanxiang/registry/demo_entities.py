"""Deterministic market entities (市场主体) for the demo jurisdiction, tests and benchmarks.

``generate_entities(n, seed=…, region_codes=[…])`` yields ``n`` dicts keyed by MarketEntity field
names (kind and status as the model's values), the same for the same arguments on every machine:

- 统一社会信用代码 valid under GB 32100-2015 and unique within the run: 登记管理部门 9 (市场监管)
  with 机构类别 1 企业, 2 个体工商户, 3 农民专业合作社; the "other" kind uses the letter
  departments N (农业农村: 2 村级集体经济组织) and Y (其他: 1). Positions 9-17 are an 组织机构代码
  whose 9th character is its GB 11714-1997 check character.
- names in the style of 松原市宁江区福顺餐饮店, 吉林省宏达建材有限公司, 宁江区兴旺玉米种植专业合作社;
  legal representatives, addresses, industries (GB/T 4754 门类) and 成立日期 between 1995 and 2025.

``write_csv`` / ``write_xlsx`` write the import format (Chinese headers and labels).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sanxiang.exports import safe_row
from sanxiang.registry.models import MarketEntity
from sanxiang.registry.validators import credit_code_check_character

DEFAULT_SEED = 20260101
DEFAULT_REGIONS = ("220702",)

# 行政区划 (GB/T 2260) of the demo jurisdiction and its neighbours: (city, district).
REGION_NAMES: dict[str, tuple[str, str]] = {
    "220700": ("松原市", ""),
    "220702": ("松原市", "宁江区"),
    "220721": ("松原市", "前郭尔罗斯蒙古族自治县"),
    "220722": ("松原市", "长岭县"),
    "220723": ("松原市", "乾安县"),
    "220781": ("松原市", "扶余市"),
    "220102": ("长春市", "南关区"),
    "220104": ("长春市", "朝阳区"),
}
_TOWNS = ["城区", "善友镇", "毛都站镇", "新城乡", "大洼镇", "伯都乡", "兴原乡", "哈达山镇"]
_VILLAGES = ["前进村", "兴隆村", "太平村", "红光村", "永安村", "新民村", "东风村", "胜利村", "和平村"]
_STREETS = [
    "沿江路", "松江大街", "乌兰大街", "建华路", "长宁街", "青年大街", "锦江大街", "文化路", "镜湖路",
    "团结路", "民主街", "工农路", "繁荣路", "五环大街", "郑州路", "北京路", "滨江路", "临江路",
]  # fmt: skip
_TRADE_CHARS = "福顺兴旺宏达鑫源盛隆恒泰华康金利永安丰和瑞祥佳美万通诚信德鸿运嘉禾天宇新海广聚富贵吉昌荣益"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕建国志强海波春梅淑珍凤兰"

# (name ending, industry): what an individual business, enterprise or cooperative calls itself.
_SHOPS = [
    ("餐饮店", "住宿和餐饮业"), ("家常菜馆", "住宿和餐饮业"), ("烧烤店", "住宿和餐饮业"),
    ("面馆", "住宿和餐饮业"), ("超市", "批发和零售业"), ("便利店", "批发和零售业"),
    ("五金商店", "批发和零售业"), ("日用品商店", "批发和零售业"), ("水果店", "批发和零售业"),
    ("粮油店", "批发和零售业"), ("药店", "批发和零售业"), ("服装店", "批发和零售业"),
    ("理发店", "居民服务、修理和其他服务业"), ("汽车修理部", "居民服务、修理和其他服务业"),
    ("洗衣店", "居民服务、修理和其他服务业"), ("手机维修部", "居民服务、修理和其他服务业"),
    ("旅店", "住宿和餐饮业"), ("网吧", "文化、体育和娱乐业"), ("快递服务部", "交通运输、仓储和邮政业"),
    ("装饰材料商店", "批发和零售业"),
]  # fmt: skip
_COMPANIES = [
    ("建材有限公司", "批发和零售业"), ("商贸有限公司", "批发和零售业"),
    ("餐饮管理有限公司", "住宿和餐饮业"), ("建筑工程有限公司", "建筑业"),
    ("食品有限公司", "制造业"), ("农业发展有限公司", "农、林、牧、渔业"),
    ("物流有限公司", "交通运输、仓储和邮政业"), ("信息技术有限公司", "信息传输、软件和信息技术服务业"),
    ("石油机械有限公司", "制造业"), ("物业服务有限公司", "房地产业"),
    ("运输有限公司", "交通运输、仓储和邮政业"), ("文化传媒有限公司", "文化、体育和娱乐业"),
    ("医药连锁有限公司", "批发和零售业"), ("环保科技有限公司", "科学研究和技术服务业"),
    ("酒店管理有限公司", "住宿和餐饮业"), ("汽车销售服务有限公司", "批发和零售业"),
]  # fmt: skip
_CROPS = ["玉米种植", "水稻种植", "杂粮种植", "蔬菜种植", "肉牛养殖", "生猪养殖", "农机服务", "马铃薯种植"]

# (MarketEntity.Kind, credit-code department, credit-code kind, share of the directory)
_KIND_MIX = [
    (MarketEntity.Kind.INDIVIDUAL_BUSINESS, "9", "2", 0.64),
    (MarketEntity.Kind.ENTERPRISE, "9", "1", 0.29),
    (MarketEntity.Kind.COOPERATIVE, "9", "3", 0.04),
    (MarketEntity.Kind.OTHER, "N", "2", 0.02),
    (MarketEntity.Kind.OTHER, "Y", "1", 0.01),
]
_STATUS_MIX = [
    (MarketEntity.Status.OPERATING, 0.90),
    (MarketEntity.Status.DEREGISTERED, 0.06),
    (MarketEntity.Status.REVOKED, 0.04),
]

# GB 11714-1997 组织机构代码: weights of the 8 body characters and the check character.
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def organization_code(body: str) -> str:
    """The 9-character 组织机构代码 for an 8-digit body, with its GB 11714-1997 check character."""
    total = sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _permute(i: int, seed: int) -> int:
    """A bijection on 0..10^8-1 so that every index gets a distinct, random-looking 8-digit body."""
    modulus = 10**8
    multiplier = 48_271_009  # odd and not a multiple of 5: coprime with 10^8
    return (i * multiplier + seed * 7_919) % modulus


def _pick(rng: random.Random, mix: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    roll, acc = rng.random(), 0.0
    for item in mix:
        acc += item[-1]
        if roll < acc:
            return item
    return mix[-1]


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))


def generate_entities(
    n: int, *, seed: int = DEFAULT_SEED, region_codes: Sequence[str] = DEFAULT_REGIONS
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` valid, distinct market entities; the same ones for the same arguments."""
    if n > 10**8:
        raise ValueError("generate_entities: n 不得超过 100000000")
    if not region_codes:
        raise ValueError("generate_entities: region_codes 不得为空")
    rng = random.Random(seed)
    first_day = dt.date(1995, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - first_day
    for i in range(n):
        region = region_codes[i % len(region_codes)]
        city, district = REGION_NAMES.get(region, ("", ""))
        kind, department, code_kind, _ = _pick(rng, _KIND_MIX)
        body = f"{department}{code_kind}{region}{organization_code(f'{_permute(i, seed):08d}')}"
        trade = "".join(rng.sample(_TRADE_CHARS, 2))
        representative = _person(rng)
        if kind == MarketEntity.Kind.INDIVIDUAL_BUSINESS:
            ending, industry = rng.choice(_SHOPS)
            style = rng.random()
            if style < 0.4:
                name = f"{city}{district}{trade}{ending}"
            elif style < 0.7:
                name = f"{district or city}{representative[0]}记{ending}"
            else:
                name = f"{district or city}{trade}{ending}"
        elif kind == MarketEntity.Kind.ENTERPRISE:
            ending, industry = rng.choice(_COMPANIES)
            name = f"{rng.choice(('吉林省', city, city + district))}{trade}{ending}"
        elif kind == MarketEntity.Kind.COOPERATIVE:
            crop = rng.choice(_CROPS)
            industry = "农、林、牧、渔业"
            name = f"{district or city}{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}{crop}专业合作社"
        elif department == "N":
            industry = "农、林、牧、渔业"
            name = f"{district or city}{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}股份经济合作社"
        else:
            industry = "租赁和商务服务业"
            name = f"{city}{district}{trade}商会"
        established = dt.date.fromordinal(first_day + rng.randrange(span))
        status = _pick(rng, _STATUS_MIX)[0]
        address = (
            f"吉林省{city}{district}{rng.choice(_STREETS)}{rng.randrange(1, 999)}号"
            if rng.random() < 0.8
            else f"吉林省{city}{district}{rng.choice(_TOWNS)}{rng.choice(_VILLAGES)}{rng.randrange(1, 12)}组"
        )
        yield {
            "credit_code": body + credit_code_check_character(body),
            "name": name,
            "kind": str(kind),
            "legal_representative": representative,
            "region_code": region,
            "address": address,
            "industry": industry,
            "established_on": established,
            "status": str(status),
        }


# ---------------------------------------------------------------------------------------------
# Files in the import format

HEADER = [
    "统一社会信用代码",
    "名称",
    "主体类型",
    "法定代表人",
    "行政区划代码",
    "住所",
    "行业",
    "成立日期",
    "登记状态",
]
_FIELDS = [
    "credit_code", "name", "kind", "legal_representative", "region_code",
    "address", "industry", "established_on", "status",
]  # fmt: skip
_KIND_LABELS = {value: str(label) for value, label in MarketEntity.Kind.choices}
_STATUS_LABELS = {value: str(label) for value, label in MarketEntity.Status.choices}


def as_import_row(entity: dict[str, Any]) -> list[Any]:
    """One entity as the cells of an import file row (Chinese labels, date left as a date)."""
    row = [entity[f] for f in _FIELDS]
    row[2] = _KIND_LABELS[entity["kind"]]
    row[8] = _STATUS_LABELS[entity["status"]]
    return row


def write_csv(
    path: str | Path,
    n: int,
    *,
    seed: int = DEFAULT_SEED,
    region_codes: Sequence[str] = DEFAULT_REGIONS,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write ``n`` generated entities as an import CSV (UTF-8 with BOM, as Excel expects, by default)."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for entity in generate_entities(n, seed=seed, region_codes=region_codes):
            row = as_import_row(entity)
            row[7] = row[7].isoformat()
            writer.writerow(safe_row(row))
    return path


def write_xlsx(
    path: str | Path, n: int, *, seed: int = DEFAULT_SEED, region_codes: Sequence[str] = DEFAULT_REGIONS
) -> Path:
    """Write ``n`` generated entities as an import XLSX (write-only workbook, dates as date cells)."""
    from openpyxl import Workbook

    path = Path(path)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("市场主体名录")
    sheet.append(HEADER)
    for entity in generate_entities(n, seed=seed, region_codes=region_codes):
        sheet.append(safe_row(as_import_row(entity)))
    workbook.save(path)
    return path
