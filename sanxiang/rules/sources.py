"""The registry of sources: every document a rule is taken from, by its real title.

A citation a user sees is ``《title》article`` (《松原市行政执法公示办法》第二十七条). Documents the
platform publishes (their text is in ``sanxiang/rules/texts/``) link to the portal copy; statutes
link to the official database where the platform does not publish them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

TEXTS_DIR = Path(__file__).resolve().parent / "texts"


@dataclass(frozen=True)
class Source:
    code: str  # stable identifier used in the rules data and in URLs
    title: str  # the document's own title, without 《》
    issuer: str
    number: str = ""  # 发文字号, e.g. 松政办发〔2019〕25号
    issued_on: dt.date | None = None
    effective_from: dt.date | None = None
    external_url: str = ""  # where the official text is published elsewhere
    text_file: str = ""  # file in TEXTS_DIR when the platform publishes the text
    part_of: str = ""  # code of the document that issued this one (an 附件)

    @property
    def name(self) -> str:
        return f"《{self.title}》"

    @property
    def published(self) -> bool:
        return bool(self.text_file)

    def cite(self, article: str = "") -> str:
        return f"{self.name}{article}"

    def text(self) -> str:
        return (TEXTS_DIR / self.text_file).read_text(encoding="utf-8") if self.text_file else ""


NATIONAL_GUIDANCE = "gbf-2018-118"
PENALTY_LAW = "xzcff"
LICENSING_LAW = "xzxkf"
COERCION_LAW = "xzqzf"
ENTERPRISE_INFO = "qyxxgs"
SPOT_CHECK_NOTICE = "gbf-2015-58"
RECONSIDERATION_LAW = "xzfyf"
LITIGATION_LAW = "xzssf"
SAMR_PENALTY_DISCLOSURE = "scjg-cfgs-2021"
SAMR_PENALTY_PROCEDURE = "scjg-cfcx"
CREDIT_REPAIR = "xyxf-2026"
SONGYUAN_NOTICE = "songyuan-2019-25"
SONGYUAN_DISCLOSURE = "songyuan-gsbf"
SONGYUAN_RECORDING = "songyuan-jlbf"
SONGYUAN_REVIEW = "songyuan-shbf"
KUNMING = "kunming-2019"
TIEXI = "tiexi-2021"
LINGCHUAN = "lingchuan-2019-36"
WUZHONG = "wuzhong-scjg-2018"
DOCUMENT_FORMAT = "gbt-9704-2012"
ROAD_TRANSPORT = "dlystl"
MARKET_ENTITY_REGISTRATION = "scztdj"
PATENT_LAW = "zlf"
PLATFORM_ASSIST = "sanxiang-0019"

_SONGYUAN_NOTICE_TITLE = (
    "松原市人民政府办公室关于印发松原市全面推行行政执法公示制度执法全过程记录制度"
    "重大执法决定法制审核制度责任分工方案的通知"
)

SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(
            code=NATIONAL_GUIDANCE,
            title="国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见",
            issuer="国务院办公厅",
            number="国办发〔2018〕118号",
            issued_on=dt.date(2018, 12, 5),
            external_url="https://www.gov.cn/zhengce/content/2019-01/03/content_5354528.htm",
        ),
        Source(
            code=PENALTY_LAW,
            title="中华人民共和国行政处罚法",
            issuer="全国人民代表大会常务委员会",
            effective_from=dt.date(2021, 7, 15),
            external_url="https://flk.npc.gov.cn/",
            text_file="xzcff.md",
        ),
        # The platform's own decision record: the source of a statistical rule no law sets (类案同罚).
        Source(
            code=PLATFORM_ASSIST,
            title="三项平台设计决定第0019号：辅助办案的检索索引与类案同罚统计规则（平台自定，非法律规定）",
            issuer="三项平台",
            text_file="sanxiang-0019.md",
        ),
        Source(
            code=ROAD_TRANSPORT,
            title="中华人民共和国道路运输条例",
            issuer="国务院",
            issued_on=dt.date(2023, 7, 20),  # 第五次修订
            external_url="https://flk.npc.gov.cn/",
            text_file="dlystl.md",
        ),
        Source(
            code=MARKET_ENTITY_REGISTRATION,
            title="中华人民共和国市场主体登记管理条例",
            issuer="国务院",
            number="国务院令第746号",
            issued_on=dt.date(2021, 7, 27),
            effective_from=dt.date(2022, 3, 1),
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=PATENT_LAW,
            title="中华人民共和国专利法",
            issuer="全国人民代表大会常务委员会",
            issued_on=dt.date(2020, 10, 17),  # 第四次修正，条文序号随之调整
            effective_from=dt.date(2021, 6, 1),
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=LICENSING_LAW,
            title="中华人民共和国行政许可法",
            issuer="全国人民代表大会常务委员会",
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=COERCION_LAW,
            title="中华人民共和国行政强制法",
            issuer="全国人民代表大会常务委员会",
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=RECONSIDERATION_LAW,
            title="中华人民共和国行政复议法",
            issuer="全国人民代表大会常务委员会",
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=LITIGATION_LAW,
            title="中华人民共和国行政诉讼法",
            issuer="全国人民代表大会常务委员会",
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=ENTERPRISE_INFO,
            title="企业信息公示暂行条例",
            issuer="国务院",
            external_url="https://flk.npc.gov.cn/",
        ),
        Source(
            code=SPOT_CHECK_NOTICE,
            title="国务院办公厅关于推广随机抽查规范事中事后监管的通知",
            issuer="国务院办公厅",
            number="国办发〔2015〕58号",
            issued_on=dt.date(2015, 7, 29),
            external_url="https://www.gov.cn/zhengce/content/2015-08/05/content_10051.htm",
        ),
        Source(
            code=SAMR_PENALTY_DISCLOSURE,
            title="市场监督管理行政处罚信息公示规定",
            issuer="国家市场监督管理总局",
            effective_from=dt.date(2021, 9, 1),
        ),
        Source(
            code=DOCUMENT_FORMAT,
            title="党政机关公文格式",
            issuer="国家质量监督检验检疫总局、国家标准化管理委员会",
            number="GB/T 9704—2012",
            effective_from=dt.date(2012, 7, 1),
        ),
        Source(
            code=SAMR_PENALTY_PROCEDURE,
            title="市场监督管理行政处罚程序规定",
            issuer="国家市场监督管理总局",
        ),
        Source(
            code=CREDIT_REPAIR,
            title="信用修复管理办法",
            issuer="国家发展和改革委员会",
            effective_from=dt.date(2026, 4, 1),
        ),
        Source(
            code=SONGYUAN_NOTICE,
            title=_SONGYUAN_NOTICE_TITLE,
            issuer="松原市人民政府办公室",
            number="松政办发〔2019〕25号",
            issued_on=dt.date(2019, 12, 31),
            text_file="songyuan-2019-25.md",
        ),
        Source(
            code=SONGYUAN_DISCLOSURE,
            title="松原市行政执法公示办法",
            issuer="松原市人民政府办公室",
            number="松政办发〔2019〕25号 附件1",
            issued_on=dt.date(2019, 12, 31),
            effective_from=dt.date(2020, 1, 1),
            text_file="songyuan-2019-25.md",
            part_of=SONGYUAN_NOTICE,
        ),
        Source(
            code=SONGYUAN_RECORDING,
            title="松原市行政执法全过程记录实施办法",
            issuer="松原市人民政府办公室",
            number="松政办发〔2019〕25号 附件2",
            issued_on=dt.date(2019, 12, 31),
            effective_from=dt.date(2020, 1, 1),
            text_file="songyuan-2019-25.md",
            part_of=SONGYUAN_NOTICE,
        ),
        Source(
            code=SONGYUAN_REVIEW,
            title="松原市重大行政执法决定法制审核办法",
            issuer="松原市人民政府办公室",
            number="松政办发〔2019〕25号 附件3",
            issued_on=dt.date(2019, 12, 31),
            effective_from=dt.date(2020, 1, 1),
            text_file="songyuan-2019-25.md",
            part_of=SONGYUAN_NOTICE,
        ),
        Source(
            code=KUNMING,
            title="昆明市全面推行行政执法公示制度执法全过程记录制度重大行政执法决定法制审核制度的工作方案",
            issuer="昆明市人民政府办公室",
            issued_on=dt.date(2019, 7, 4),
            effective_from=dt.date(2019, 7, 4),
            text_file="kunming-2019.md",
        ),
        Source(
            code=TIEXI,
            title="铁西区司法局全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度责任分工方案",
            issuer="沈阳市铁西区司法局",
            issued_on=dt.date(2021, 10, 11),
            effective_from=dt.date(2021, 10, 11),
            text_file="tiexi-2021.md",
        ),
        Source(
            code=LINGCHUAN,
            title="陵川县交通运输局关于推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案",
            issuer="陵川县交通运输局",
            number="陵交字〔2019〕36号",
            text_file="lingchuan-2019-36.md",
        ),
        Source(
            code=WUZHONG,
            title="吴忠市市场监督管理局全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度工作方案",
            issuer="吴忠市市场监督管理局",
            issued_on=dt.date(2018, 9, 28),
            effective_from=dt.date(2018, 9, 28),
            text_file="wuzhong-scjg-2018.md",
        ),
    )
}


def source(code: str) -> Source:
    return SOURCES[code]


def published_sources() -> list[Source]:
    """The documents whose text the portal publishes, one entry per text file."""
    seen: set[str] = set()
    out = []
    for s in SOURCES.values():
        if s.text_file and s.text_file not in seen and not s.part_of:
            seen.add(s.text_file)
            out.append(s)
    return out


# Short names that code and data use for a source, and the title a reader sees.
SHORT_NAMES = {
    "行政处罚法": PENALTY_LAW,
    "行政许可法": LICENSING_LAW,
    "行政强制法": COERCION_LAW,
    "公示办法": SONGYUAN_DISCLOSURE,
    "记录办法": SONGYUAN_RECORDING,
    "审核办法": SONGYUAN_REVIEW,
}


def public_citation(text: str) -> str:
    """A citation written with a short name (行政处罚法 第五十一条) as the reader sees it
    (《中华人民共和国行政处罚法》第五十一条). Text already in 《》 is left alone."""
    import re

    out = str(text or "")
    for short, code in SHORT_NAMES.items():
        title = SOURCES[code].name
        out = re.sub(rf"(?<![《\w]){short}\s*(?=第|、|；|;|$|）|\))", title, out)
    return out.replace("; ", "；")
