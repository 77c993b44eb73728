"""Patterns for every kind of identifier (second layer of the redactor, after what the case knows).

Each detector takes the text's shadow (``text.shadow``: same length, full-width folded to ASCII) and
yields :class:`Hit` spans. Over-redaction is accepted (an all-digit code in free text is hidden);
under-redaction is what the disclosure officer's review of the remaining candidates is for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sanxiang.disclosure.redaction.text import HAN
from sanxiang.registry.validators import id_number_check_digit

ID = "id_number"
PHONE = "phone"
BANK = "bank_account"
ADDRESS = "address"
PLATE = "plate"
EMAIL = "email"
MESSENGER = "messenger"
TRAVEL = "travel_document"
BIRTH = "birth_date"
NAME = "name"
MARK = "officer_mark"

MARKERS = {
    ID: "[证件号码已隐去]",
    PHONE: "[电话已隐去]",
    BANK: "[账号已隐去]",
    ADDRESS: "[住址已隐去]",
    PLATE: "[车牌号已隐去]",
    EMAIL: "[邮箱已隐去]",
    MESSENGER: "[账号已隐去]",
    TRAVEL: "[证件号码已隐去]",
    BIRTH: "[出生日期已隐去]",
    MARK: "[已隐去]",
}
KIND_LABELS = {
    NAME: "姓名",
    ID: "身份证件号码",
    PHONE: "电话号码",
    BANK: "银行账号",
    ADDRESS: "住址",
    PLATE: "车牌号",
    EMAIL: "电子邮箱",
    MESSENGER: "微信、QQ等账号",
    TRAVEL: "通行证、护照号码",
    BIRTH: "出生日期",
    MARK: "公示管理员标记",
}

# A marker already in the text (a redacted text redacted again), or a masked name: never touched.
PROTECTED = re.compile(r"\[[^\[\]\n]{0,12}已隐去\]|[" + HAN + r"]{1,2}某某|某某")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str
    replacement: str
    rule: str  # which layer found it: known | pattern | recogniser


def _hit(start: int, end: int, kind: str, rule: str = "pattern") -> Hit:
    return Hit(start, end, kind, MARKERS[kind], rule)


# ----------------------------------------------------------------------------- numbers

_SEP = r"[ \-.]?"
# A run of digits joined by at most one separator (space, dash or dot) between digits; an ID's X at the end.
_RUN = re.compile(
    r"(?<![0-9A-Za-z])(?P<prefix>(?:\+|00)?86"
    + _SEP
    + r"(?=1))?\d(?:"
    + _SEP
    + r"\d)*(?:"
    + _SEP
    + r"[Xx])?(?![0-9A-Za-z])"
)
_PHONE_LABEL = re.compile(
    r"(?:电话|手机|联系方式|座机|固话|号码|热线|tel|TEL|Tel|致电|拨打)[号码:：\s为是]{0,4}$"
)
_BANK_LABEL = re.compile(
    r"(?:账号|帐号|账户|帐户|卡号|银行卡|存折|开户|收款码|转账至|转入)[号码:：\s为是尾]{0,4}$"
)
_AREA_LANDLINE = re.compile(r"[(（]\s*0\d{2,3}\s*[)）]\s*-?\s*\d{3,4}" + _SEP + r"\d{3,4}(?![0-9])")


def plausible_id(code: str) -> bool:
    """An 18-character 公民身份号码 with a real birth date and a right check digit (GB 11643)."""
    if not re.fullmatch(r"\d{17}[\dXx]", code) or code[0] == "0":
        return False
    try:
        born = dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100 and id_number_check_digit(code[:17]) == code[17].upper()


def numbers(s: str) -> Iterator[Hit]:
    """ID numbers, phone numbers and bank accounts, written with spaces, dashes, dots or full-width."""
    for m in _AREA_LANDLINE.finditer(s):
        yield _hit(m.start(), m.end(), PHONE)
    for m in _RUN.finditer(s):
        digits = re.sub(r"[^0-9Xx]", "", m.group(0))
        prefix = m.group("prefix")
        body = re.sub(r"[^0-9Xx]", "", m.group(0)[len(prefix) :]) if prefix else digits
        before = s[max(0, m.start() - 10) : m.start()]
        n = len(digits)
        kind = None
        if prefix and re.fullmatch(r"1[3-9]\d{9}", body):
            kind = PHONE
        elif digits[-1] in "Xx":
            kind = ID if n in (15, 18) else None
        elif n == 18:
            kind = ID if plausible_id(digits) or not _BANK_LABEL.search(before) else BANK
        elif n == 15:
            kind = BANK if _BANK_LABEL.search(before) else ID
        elif n == 11 and re.fullmatch(r"1[3-9]\d{9}", digits):
            kind = PHONE
        elif (_BANK_LABEL.search(before) and 8 <= n <= 30) or 16 <= n <= 30:
            kind = BANK
        elif 10 <= n <= 12 and digits[0] == "0":
            kind = PHONE  # area code + number
        elif (n == 10 and digits[:3] in ("400", "800")) or (7 <= n <= 12 and _PHONE_LABEL.search(before)):
            kind = PHONE
        if kind:
            yield _hit(m.start(), m.end(), kind)
    # an ID number inside a longer code (a 许可编号 or 证书编号 that is the holder's ID number)
    for m in re.finditer(r"(?=(\d{17}[\dXx]))", s):
        code = m.group(1)
        if plausible_id(code):
            yield _hit(m.start(), m.start() + 18, ID)


# ----------------------------------------------------------------------------- other identifiers

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])[" + _PROVINCES + r"]\s?[A-Za-z]\s?[·\-. ]?\s?"
    r"(?=[A-Za-z0-9]{0,5}\d)(?:[A-Za-z0-9]{5,6}|[A-Za-z0-9]{4}[挂学警港澳领试超])(?![A-Za-z0-9])"
)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*\s?(?:@|\[at\]|\(at\)|（at）| at )\s?"
    r"[A-Za-z0-9\-]+(?:\s?(?:\.|\[dot\]|\(dot\)| dot )\s?[A-Za-z0-9\-]+)+",
    re.IGNORECASE,
)
_MESSENGER = re.compile(
    r"(?:微信号?|微信账号|微信名|weixin|wechat|vx|v信|威信|薇信|QQ号?|qq号码|扣扣号?|企鹅号|抖音号?|快手号?|支付宝账号|支付宝)"
    r"\s*[（(]?\s*(?:号码|号|账号|ID|id)?\s*(?:为|是|:|：)?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9_\-.@]{3,39})",
    re.IGNORECASE,
)
_WXID = re.compile(r"(?<![A-Za-z0-9])wxid_[A-Za-z0-9]{4,}", re.IGNORECASE)
_TRAVEL_LABEL = re.compile(
    r"(?:护照|通行证|回乡证|台胞证|居留证|旅行证|签证|证件号码|证件号|身份证号码|身份证号|身份证)"
    r"\s*(?:号码|号|编号)?\s*(?:为|是|:|：)?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9\-]{5,19})"
)
_TRAVEL_SHAPE = re.compile(r"(?<![A-Za-z0-9])(?:[CEGDSPKHMWT][A-Z]?\d{7,8}|[HM]\d{8,10})(?![A-Za-z0-9])")
_BIRTH = re.compile(
    r"(?:出生于|出生日期|出生年月|生日|生于|出生)[为是:：\s]{0,3}"
    r"(?P<date>\d{4}\s*(?:年|-|/|\.)\s*\d{1,2}\s*(?:月|-|/|\.)\s*(?:\d{1,2}\s*日?)?)"
)
# The date written before the word: （2008年6月1日出生）, 2008-06-01生 (not 生效、生产).
_BIRTH_BEFORE = re.compile(
    r"(?P<date>\d{4}\s*(?:年|-|/|\.)\s*\d{1,2}\s*(?:月|-|/|\.)\s*\d{1,2}\s*日?)\s*(?:出生|生(?![效产成活存态病日]))"
)


def identifiers(s: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(s):
        yield _hit(m.start(), m.end(), EMAIL)
    for m in _MESSENGER.finditer(s):
        yield _hit(m.start("id"), m.end("id"), MESSENGER)
    for m in _WXID.finditer(s):
        yield _hit(m.start(), m.end(), MESSENGER)
    for m in _TRAVEL_LABEL.finditer(s):
        if re.search(r"\d", m.group("id")):
            yield _hit(m.start("id"), m.end("id"), TRAVEL)
    for m in _TRAVEL_SHAPE.finditer(s):
        yield _hit(m.start(), m.end(), TRAVEL)
    for m in _PLATE.finditer(s):
        yield _hit(m.start(), m.end(), PLATE)
    for m in _BIRTH.finditer(s):
        yield _hit(m.start("date"), m.end("date"), BIRTH)
    for m in _BIRTH_BEFORE.finditer(s):
        yield _hit(m.start("date"), m.end("date"), BIRTH)


# ----------------------------------------------------------------------------- addresses

ADDRESS_LEADS = (
    "家庭住址",
    "家庭地址",
    "家庭住所",
    "现住址",
    "现住所",
    "现居住地",
    "现居住于",
    "现居住在",
    "现居于",
    "现居",
    "现住于",
    "现住在",
    "现住",
    "住址",
    "住所地",
    "住所",
    "家住",
    "家在",
    "家位于",
    "住在",
    "住于",
    "居住于",
    "居住在",
    "居住地",
    "经常居住地",
    "户籍地址",
    "户籍所在地",
    "户籍地",
    "户口所在地",
    "户口地址",
    "户籍",
    "暂住地",
    "暂住于",
    "暂住在",
    "暂住",
    "租住于",
    "租住在",
    "租住",
    "寓所",
    "住处位于",
    "住处",
    "居所",
    "联系地址",
    "通讯地址",
    "通信地址",
    "送达地址",
    "收货地址",
    "籍贯",
    "出生地",
)
# For a 个体工商户 the premises are often the operator's home (decision record 0006, issue 10 §15).
PREMISES_LEADS = ("经营场所", "经营地址", "经营地点", "营业场所", "营业地址", "店址", "门店位于", "位于")
_ADDRESS_WORD = re.compile(
    r"(?:\d|省|市|区|县|旗|镇|乡|村|屯|街|路|道|巷|弄|胡同|号|栋|幢|楼|单元|室|组|小区|花园|公寓|大厦|社区|家园|苑|里|庄)"
)
_ADDRESS_END = re.compile(
    r".*(?:\d+\s*(?:号院|号楼|号|室|户|组|栋|幢|层|楼|单元)|省|市|区|县|旗|镇|乡|村|屯|街道|街|路|道|巷|弄|胡同|小区|花园|公寓|大厦|社区|家园|苑|里|庄|附近)",
    re.DOTALL,
)
_HOUSE = re.compile(
    r"(?:["
    + HAN
    + r"]{2,5}?(?:小区|花园|公寓|大厦|家园|新村|苑|社区|村|屯|庄|里))?\s*\d+\s*(?:号楼|栋|幢|座|排)\s*"
    r"(?:\d+\s*(?:单元|门|层)\s*)?\d+\s*(?:室|号|户)?"
    r"|[" + HAN + r"]{1,8}?村\s*\d+\s*组(?:\s*\d+\s*号)?"
)


def _lead_pattern(leads: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(leads, key=len, reverse=True))
    return re.compile(
        r"(?P<lead>"
        + alternatives
        + r")[为是:：\s]{0,3}(?:于|在)?(?P<addr>[^，。；,;、\n（）()\[\]【】]{2,60})"
    )


_ADDRESS_LEAD = _lead_pattern(ADDRESS_LEADS)
_PREMISES_LEAD = _lead_pattern(PREMISES_LEADS)


def _address_body(m: re.Match[str]) -> tuple[int, int] | None:
    body = m.group("addr")
    if not _ADDRESS_WORD.search(body):
        return None  # "在其住处销售…": no address follows the word
    end = _ADDRESS_END.match(body)
    length = len(end.group(0)) if end else len(body)
    start = m.start("addr")
    return start, start + length


def addresses(s: str, *, premises: bool = False) -> Iterator[Hit]:
    for pattern in (_ADDRESS_LEAD, _PREMISES_LEAD) if premises else (_ADDRESS_LEAD,):
        for m in pattern.finditer(s):
            span = _address_body(m)
            if span:
                yield _hit(span[0], span[1], ADDRESS)
    for m in _HOUSE.finditer(s):
        yield _hit(m.start(), m.end(), ADDRESS)
