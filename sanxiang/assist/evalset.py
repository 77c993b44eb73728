"""The evaluation set: decided cases generated from 16 matters with their 裁量 rows and varied wording
(facts and the circumstances deciding the 裁量阶次 both paraphrased),
each labelled with its matter, 裁量阶次, 违法条款 and 处罚条款 (``python -m sanxiang.assist.evalset``
writes ``tests/data/evalset.json``; seeded, so the same file every time).

The statutes and article numbers are the real ones of the shipped texts (sanxiang/assist/laws); the
fine ranges follow each 处罚条款's statutory range, split into 从轻 / 一般 / 从重 rows the way published
裁量基准 split them. Facts are written from several templates per matter, with interchangeable openings,
goods, places, amounts and the circumstances that decide the 裁量阶次.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).with_name("tests") / "data" / "evalset.json"
PER_MATTER = 20
SEED = 20261201

FOOD = "中华人民共和国食品安全法"
AD = "中华人民共和国广告法"
DRUG = "中华人民共和国药品管理法"
AIR = "中华人民共和国大气污染防治法"
ROAD = "中华人民共和国道路交通安全法"
TRANSPORT = "中华人民共和国道路运输条例"

# The circumstances that decide the 裁量阶次, written the way case files word them: each case's
# circumstance is two or three clauses drawn from a level's pools (order and joining words vary), so
# the same 阶次 reads differently from case to case. Many clauses share no word with the cue lists of
# sanxiang/assist/suggest.py (on purpose: a fixed phrase per 阶次 that the cue words cover made
# the 裁量-row suggestion look perfect); some 一般 cases mention cooperation or correction as ordinary
# cases do, and some 从重 cases also say the party corrected afterwards.
LIGHT = {
    "first": (
        "系首次违法",
        "系初次违法",
        "首次被查处",
        "此前未受过行政处罚",
        "属初犯",
        "以往无同类违法记录",
        "第一次因该行为被查处",
        "近三年内无违法记录",
    ),
    "small": (
        "货值金额较小",
        "涉案数量不大",
        "违法所得较少",
        "社会危害性较小",
        "尚未造成危害后果",
        "危害轻微",
        "涉案物品尚未大量售出",
    ),
    "corrected": (
        "在责令改正后及时改正",
        "当场整改",
        "主动消除违法后果",
        "立即停止违法行为并自行整改到位",
        "主动下架并召回涉案物品",
        "检查当日即已纠正",
        "已按要求整改完毕",
    ),
    "attitude": (
        "积极配合调查",
        "如实陈述违法事实",
        "主动提供相关证据材料",
        "认错态度诚恳",
        "主动供述违法行为",
    ),
}
NORMAL = {
    "plain": (
        "当事人对违法事实无异议",
        "事实清楚、证据确凿",
        "违法事实有现场检查笔录和询问笔录为证",
        "当事人在询问笔录上签字确认",
        "经责令改正已改正",
        "当事人能够配合检查",
        "未发现其他从轻或从重情节",
        "涉案物品已依法登记保存",
    ),
}
HEAVY = {
    "repeat": (
        "曾因同类违法行为受到处罚，再次违法",
        "两年内第二次因同类行为被查处",
        "屡查屡犯",
        "一年内已被责令改正两次",
        "去年曾因相同问题被警告",
    ),
    "refused": (
        "经责令改正后拒不改正",
        "责令限期改正后逾期仍未改正",
        "检查后仍继续从事违法活动",
        "整改通知送达后未采取任何措施",
    ),
    "harm": (
        "造成危害后果，情节严重",
        "导致三名消费者身体不适就医",
        "引发群众多次投诉，社会影响恶劣",
        "涉案数量大、货值金额高",
        "在学校周边实施，影响恶劣",
    ),
    "obstruct": (
        "并隐匿相关记录",
        "转移涉案物品，阻碍执法检查",
        "销毁进货票据，拒不提供证据",
        "拒绝执法人员进入现场检查",
        "提供虚假材料逃避监管",
    ),
}
POOLS = {"从轻": LIGHT, "一般": NORMAL, "从重": HEAVY}
JOINERS = ("，", "，且", "，并且", "；", "，同时")


def _circumstances(rng: random.Random, level: str) -> str:
    """Two or three clauses of the level's pools, from different pools where it has several; an 一般
    case sometimes states none (its facts alone)."""
    pools = POOLS[level]
    if level == "一般":
        picked = rng.sample(pools["plain"], rng.choice((0, 1, 1, 2)))
    else:
        kinds = rng.sample(list(pools), rng.choice((2, 2, 3)))
        picked = [rng.choice(pools[k]) for k in kinds]
        if level == "从重" and rng.random() < 0.2:
            picked.append(rng.choice(("案发后已改正", "检查后已整改", "能够配合调查")))
    if not picked:
        return ""
    out = picked[0]
    for clause in picked[1:]:
        out += rng.choice(JOINERS) + clause
    return out


OPENINGS = (
    "经查，",
    "执法人员现场检查发现，",
    "根据群众举报，执法人员依法检查查明，",
    "经调查核实，",
    "日常监督检查中发现，",
)
SHOPS = ("某便利店", "某超市", "某食杂店", "某餐馆", "某农贸市场摊位", "某小吃店")
PLACES = ("宁江区建设街", "宁江区民主街道", "临江路", "繁华路", "沿江东路", "前进街道")


def rows(low: int, mid1: int, mid2: int, high: int) -> list[dict]:
    return [
        {"level": "从轻", "circumstances": "首次违法、危害较小且及时改正", "fine_min": low, "fine_max": mid1},
        {"level": "一般", "circumstances": "不属于从轻、从重情形", "fine_min": mid1, "fine_max": mid2},
        {
            "level": "从重",
            "circumstances": "多次违法、拒不改正或造成危害后果",
            "fine_min": mid2,
            "fine_max": high,
        },
    ]


MATTERS: list[dict] = [
    {
        "code": "SP-LIC",
        "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
        "law": FOOD,
        "violation": 35,
        "penalty": 122,
        "rows": rows(50000, 80000, 120000, 150000),
        "templates": (
            "{o}当事人{shop}未取得食品经营许可，自{m}月起在{place}从事{goods}经营活动，货值金额{v}元，违法所得{g}元，{cue}。",
            "{o}当事人在{place}开办{shop}，未依法取得食品经营许可证即销售{goods}，现场查获{goods}{q}份，货值{v}元，{cue}。",
            "{o}{shop}无证经营{goods}，未办理食品经营许可，经营期间违法所得{g}元，{cue}。",
        ),
        "goods": ("熟食", "卤肉", "凉菜", "盒饭", "糕点", "散装白酒"),
    },
    {
        "code": "SP-EXP",
        "name": "对经营超过保质期的食品的行政处罚",
        "law": FOOD,
        "violation": 34,
        "penalty": 124,
        "rows": rows(50000, 70000, 90000, 100000),
        "templates": (
            "{o}当事人{shop}在货架上销售超过保质期的{goods}{q}件，货值金额{v}元，{cue}。",
            "{o}当事人经营的{goods}已过保质期仍在{place}门店陈列销售，共{q}盒，货值{v}元，违法所得{g}元，{cue}。",
            "{o}{shop}仓库内存放并对外销售过期{goods}{q}袋，标注的保质期已届满，{cue}。",
        ),
        "goods": ("牛奶", "酸奶", "面包", "饮料", "火腿肠", "方便面"),
    },
    {
        "code": "SP-CHK",
        "name": "对食品经营者未按规定查验供货者许可证和食品合格证明文件的行政处罚",
        "law": FOOD,
        "violation": 53,
        "penalty": 126,
        "rows": rows(5000, 15000, 30000, 50000),
        "templates": (
            "{o}当事人{shop}采购{goods}时未查验供货者的许可证和食品出厂检验合格证，未建立进货查验记录，{cue}。",
            "{o}当事人购进{goods}{q}箱，不能提供供货者许可证及合格证明文件，进货查验记录缺失，{cue}。",
            "{o}{shop}未履行进货查验义务，所售{goods}无法说明来源，索证索票不全，{cue}。",
        ),
        "goods": ("冷冻肉品", "食用油", "调味品", "蔬菜", "水产品", "豆制品"),
    },
    {
        "code": "SP-HLT",
        "name": "对安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚",
        "law": FOOD,
        "violation": 45,
        "penalty": 126,
        "rows": rows(5000, 15000, 30000, 50000),
        "templates": (
            "{o}当事人{shop}安排{q}名未取得健康证明的从业人员从事接触直接入口食品的工作，{cue}。",
            "{o}{shop}后厨{q}名员工无有效健康证明，仍在{place}门店加工{goods}，未执行从业人员健康管理制度，{cue}。",
            "{o}当事人未建立从业人员健康管理制度，从事{goods}制作的人员健康证明过期，{cue}。",
        ),
        "goods": ("凉菜", "面点", "寿司", "奶茶", "烧烤", "熟食"),
    },
    {
        "code": "GG-FAL",
        "name": "对发布虚假广告的行政处罚",
        "law": AD,
        "violation": 28,
        "penalty": 55,
        "rows": rows(30000, 100000, 150000, 200000),
        "templates": (
            "{o}当事人在微信公众号发布{goods}广告，宣称“{claim}”，与实际情况不符，以虚假内容欺骗、误导消费者，广告费用{v}元，{cue}。",
            "{o}当事人在{place}门店张贴{goods}宣传海报，虚构“{claim}”的效果，构成虚假广告，{cue}。",
            "{o}当事人通过短视频平台推销{goods}，使用虚构的用户评价和“{claim}”等引人误解的内容，{cue}。",
        ),
        "goods": ("保健食品", "净水器", "减肥茶", "美容仪", "课程培训", "房产项目"),
        "claims": ("三天见效", "治愈率百分之九十", "包过", "永不反弹", "投资保本高回报"),
    },
    {
        "code": "GG-ABS",
        "name": "对广告使用“国家级”“最高级”“最佳”等用语的行政处罚",
        "law": AD,
        "violation": 9,
        "penalty": 57,
        "rows": rows(200000, 400000, 700000, 1000000),
        "templates": (
            "{o}当事人在其网店{goods}商品详情页使用“{abs}”等绝对化用语进行宣传，{cue}。",
            "{o}当事人在{place}店招及宣传单上使用“{abs}”的用语推销{goods}，{cue}。",
            "{o}当事人发布的{goods}广告中含有“{abs}”字样，违反广告不得使用最高级用语的规定，{cue}。",
        ),
        "goods": ("白酒", "茶叶", "家具", "化妆品", "大米", "装修服务"),
        "abs": ("全国第一", "最佳品质", "国家级产品", "顶级", "销量最高"),
    },
    {
        "code": "YP-FAK",
        "name": "对销售假药的行政处罚",
        "law": DRUG,
        "violation": 98,
        "penalty": 116,
        "rows": rows(150000, 300000, 500000, 1000000),
        "templates": (
            "{o}当事人{pharm}销售的{drug}经检验所含成份与国家药品标准规定的成份不符，属于假药，货值金额{v}元，{cue}。",
            "{o}当事人购进并销售以非药品冒充的{drug}{q}盒，依法认定为假药，违法所得{g}元，{cue}。",
            "{o}{pharm}销售的{drug}系变质药品，按假药论处，共计{q}瓶，{cue}。",
        ),
        "goods": ("",),
        "drugs": ("感冒灵颗粒", "阿莫西林胶囊", "降压片", "止痛膏", "复方甘草片"),
    },
    {
        "code": "YP-INF",
        "name": "对销售劣药的行政处罚",
        "law": DRUG,
        "violation": 98,
        "penalty": 117,
        "rows": rows(100000, 200000, 400000, 500000),
        "templates": (
            "{o}当事人{pharm}销售超过有效期的{drug}{q}盒，属于劣药，货值金额{v}元，{cue}。",
            "{o}当事人销售的{drug}经抽样检验含量不符合国家药品标准，认定为劣药，违法所得{g}元，{cue}。",
            "{o}{pharm}将未标明有效期的{drug}对外销售，按劣药论处，{cue}。",
        ),
        "goods": ("",),
        "drugs": ("维生素C片", "板蓝根颗粒", "布洛芬缓释胶囊", "藿香正气水", "红霉素软膏"),
    },
    {
        "code": "YP-LIC",
        "name": "对未取得药品经营许可证销售药品的行政处罚",
        "law": DRUG,
        "violation": 51,
        "penalty": 115,
        "rows": rows(150000, 300000, 450000, 600000),
        "templates": (
            "{o}当事人{shop}未取得药品经营许可证，擅自销售{drug}等药品，货值金额{v}元，{cue}。",
            "{o}当事人在{place}无证经营药品，现场查获{drug}{q}盒，无法提供药品经营许可证，{cue}。",
            "{o}{shop}在未取得药品经营许可的情况下从事药品零售活动，违法所得{g}元，{cue}。",
        ),
        "goods": ("",),
        "drugs": ("感冒药", "消炎药", "降糖药", "处方药阿莫西林", "中成药"),
    },
    {
        "code": "DQ-DUST",
        "name": "对施工工地未采取扬尘污染防治措施的行政处罚",
        "law": AIR,
        "violation": 69,
        "penalty": 115,
        "rows": rows(10000, 40000, 70000, 100000),
        "templates": (
            "{o}当事人承建的{site}施工工地裸露土方未覆盖，出入车辆未冲洗，未采取有效防尘降尘措施，造成扬尘污染，{cue}。",
            "{o}当事人在{site}建设过程中未设置硬质围挡，渣土堆放未苫盖，扬尘明显，{cue}。",
            "{o}{site}工地施工时未进行洒水抑尘，建筑垃圾未及时清运，防治扬尘污染措施不落实，{cue}。",
        ),
        "goods": ("",),
        "sites": ("某住宅小区", "某道路改造", "某商业综合体", "某学校教学楼", "某厂房"),
    },
    {
        "code": "DQ-BURN",
        "name": "对在禁止区域露天焚烧秸秆、落叶等产生烟尘污染的物质的行政处罚",
        "law": AIR,
        "violation": 77,
        "penalty": 119,
        "rows": rows(500, 800, 1500, 2000),
        "templates": (
            "{o}当事人在{place}附近农田露天焚烧玉米秸秆约{q}亩，产生大量烟尘，{cue}。",
            "{o}当事人在人口集中区域露天焚烧落叶、杂草等产生烟尘污染的物质，{cue}。",
            "{o}当事人在禁烧区内焚烧秸秆和生活垃圾，火点面积约{q}平方米，{cue}。",
        ),
        "goods": ("",),
    },
    {
        "code": "DQ-EMIT",
        "name": "对超过大气污染物排放标准排放大气污染物的行政处罚",
        "law": AIR,
        "violation": 18,
        "penalty": 99,
        "rows": rows(100000, 300000, 700000, 1000000),
        "templates": (
            "{o}当事人{plant}锅炉烟气在线监测数据显示二氧化硫排放浓度超过大气污染物排放标准{q}倍，{cue}。",
            "{o}当事人{plant}生产过程中颗粒物排放浓度超标，超过国家排放标准排放大气污染物，{cue}。",
            "{o}经监测，{plant}废气中氮氧化物排放浓度超过排放标准，存在超标排放行为，{cue}。",
        ),
        "goods": ("",),
        "plants": ("某热电厂", "某水泥厂", "某化工企业", "某砖厂", "某铸造厂"),
    },
    {
        "code": "JT-DRK",
        "name": "对饮酒后驾驶机动车的行政处罚",
        "law": ROAD,
        "violation": 22,
        "penalty": 91,
        "rows": rows(1000, 1300, 1700, 2000),
        "templates": (
            "{o}当事人饮酒后驾驶小型轿车在{place}行驶，经呼气酒精含量检测为{q}mg/100ml，属于饮酒后驾驶机动车，{cue}。",
            "{o}当事人酒后驾驶机动车被查获，血液中酒精含量达到饮酒驾车标准，{cue}。",
            "{o}当事人在{place}路段饮酒后驾驶摩托车，被交警查获，{cue}。",
        ),
        "goods": ("",),
    },
    {
        "code": "JT-SPD",
        "name": "对机动车超过规定时速行驶的行政处罚",
        "law": ROAD,
        "violation": 42,
        "penalty": 90,
        "rows": rows(20, 50, 100, 200),
        "templates": (
            "{o}当事人驾驶小型汽车在{place}限速60公里的路段以{q}公里每小时的速度行驶，超过规定时速，{cue}。",
            "{o}测速设备记录当事人驾驶的机动车超速行驶，超过限速标志标明的最高时速，{cue}。",
            "{o}当事人驾驶货车在城区道路超速行驶被电子监控抓拍，{cue}。",
        ),
        "goods": ("",),
    },
    {
        "code": "YS-ILL",
        "name": "对未取得道路运输经营许可擅自从事道路客运经营的行政处罚",
        "law": TRANSPORT,
        "violation": 10,
        "penalty": 63,
        "rows": rows(10000, 30000, 60000, 100000),
        "templates": (
            "{o}当事人未取得道路运输经营许可，驾驶私家车在{place}至火车站之间招揽乘客，收取车费{g}元，属于非法营运，{cue}。",
            "{o}当事人擅自从事道路旅客运输经营，使用小型客车载客{q}人，无道路运输经营许可证，{cue}。",
            "{o}当事人通过网络平台组织拼车，未取得客运经营许可从事营运，违法所得{g}元，{cue}。",
        ),
        "goods": ("",),
    },
    {
        "code": "YS-MNT",
        "name": "对客运、货运经营者不按规定维护和检测运输车辆的行政处罚",
        "law": TRANSPORT,
        "violation": 30,
        "penalty": 69,
        "rows": rows(1000, 2000, 3500, 5000),
        "templates": (
            "{o}当事人所属营运货车未按规定进行二级维护和综合性能检测，仍在从事道路运输，{cue}。",
            "{o}当事人经营的客运车辆{q}辆逾期未进行车辆技术等级评定和检测，{cue}。",
            "{o}当事人未建立车辆维护档案，运输车辆制动系统未按规定维护，{cue}。",
        ),
        "goods": ("",),
    },
]


def _facts(rng: random.Random, m: dict, level: str) -> str:
    template = rng.choice(m["templates"])
    cue = _circumstances(rng, level)
    text = template.format(
        o=rng.choice(OPENINGS),
        shop=rng.choice(SHOPS),
        place=rng.choice(PLACES),
        goods=rng.choice(m["goods"]),
        q=rng.randint(2, 60),
        v=rng.choice((360, 800, 1500, 2600, 4800, 9000, 15000)),
        g=rng.choice((200, 500, 1200, 3000, 6000)),
        m=rng.randint(1, 12),
        claim=rng.choice(m.get("claims", ("",))),
        abs=rng.choice(m.get("abs", ("",))),
        drug=rng.choice(m.get("drugs", ("",))),
        pharm=rng.choice(("某大药房", "某诊所", "某药店", "某医药连锁门店")),
        site=rng.choice(m.get("sites", ("",))),
        plant=rng.choice(m.get("plants", ("",))),
        cue=cue or "事实清楚",
    )
    return text.replace("，，", "，").replace("，。", "。")


def build() -> dict:
    rng = random.Random(SEED)
    cases = []
    n = 0
    for m in MATTERS:
        for i in range(PER_MATTER):
            row = m["rows"][i % 3]
            low, high = row["fine_min"], row["fine_max"]
            step = max(1, (high - low) // 20)
            fine = low + step * rng.randint(0, 20)
            n += 1
            cases.append(
                {
                    "id": n,
                    "matter": m["code"],
                    "level": row["level"],
                    "facts": _facts(rng, m, row["level"]),
                    "fine": fine,
                    "law": m["law"],
                    "violation": m["violation"],
                    "penalty": m["penalty"],
                }
            )
    matters = [
        {k: v for k, v in m.items() if k in ("code", "name", "law", "violation", "penalty", "rows")}
        for m in MATTERS
    ]
    return {"seed": SEED, "matters": matters, "cases": cases}


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1), encoding="utf-8")
    print(OUT)
