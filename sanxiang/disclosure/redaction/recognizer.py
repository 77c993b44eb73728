"""Third layer of the redactor: names nobody told it about, found in free text.

Two recognisers, both guarded against organisations and places:

- a name introduced by a word that introduces a person (投诉人、证人、被询问人、其妻、员工 …), whose
  length jieba's part-of-speech tags decide;
- jieba's person-name tag (``nr``): a token tagged as a name, joined with the surname character jieba
  split off before it (人王 / 秀英 → 王秀英).

A candidate that fails the guard is not redacted but returned as a *remaining candidate* for the
disclosure officer, who sees every one highlighted before approving (公示办法 第三十条).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from sanxiang.disclosure.redaction.patterns import NAME, Hit
from sanxiang.disclosure.redaction.text import HAN, ORG_SUFFIX, mask_name, starts_with_surname, surnames

PERSON_LEADS = (
    "当事人",
    "投诉人",
    "举报人",
    "投诉举报人",
    "申诉人",
    "申请人",
    "证人",
    "目击者",
    "目击证人",
    "见证人",
    "被询问人",
    "询问对象",
    "被检查人",
    "受送达人",
    "代收人",
    "签收人",
    "委托代理人",
    "法定代理人",
    "代理人",
    "监护人",
    "联系人",
    "经营者",
    "负责人",
    "业主",
    "户主",
    "购买人",
    "消费者",
    "顾客",
    "患者",
    "受害人",
    "被害人",
    "未成年人",
    "其妻",
    "其夫",
    "其子",
    "其女",
    "其父",
    "其母",
    "其兄",
    "其弟",
    "其姐",
    "其妹",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "父亲",
    "母亲",
    "表兄",
    "表弟",
    "表姐",
    "表妹",
    "堂兄",
    "堂弟",
    "哥哥",
    "弟弟",
    "姐姐",
    "妹妹",
    "亲属",
    "家属",
    "员工",
    "店员",
    "雇员",
    "厨师",
    "司机",
    "驾驶员",
    "驾驶人",
    "收银员",
    "帮工",
    "学生",
    "村民",
    "居民",
)
# Characters that end a name when they follow it (称、说、于 …): a name is not followed by them inside.
_AFTER_NAME = set("称说于在与和及等的到向已将对为是因从把被经系拒未曾也都又并就才所来去了要给让同即便均亦还")
_NAME_FLAGS = {"nr", "nrfg", "nrt"}
# Surname characters that before a word are nearly always a function word (和、与、原 …), never joined.
_NOT_JOINED = frozenset("和与及原管付向于把被将对从在")
# Words jieba tags as a name that are not one in a decision's text.
NOT_NAMES = frozenset(
    {
        "高达",
        "马上",
        "周边",
        "万元",
        "金额",
        "明显",
        "高于",
        "于是",
        "程序",
        "江区",
        "宁江",
        "文书",
        "武力",
        "常态",
        "司法",
        "林业",
        "华为",
        "包装",
        "黄金",
        "牛奶",
        "牛肉",
        "白酒",
        "石油",
        "叶片",
        "方便面",
        "温度",
        "秦皇岛",
        "卫生",
        "项目",
        "成本",
        "安全",
        "江苏",
        "罗列",
        "钱款",
        "伍仟",
        "陆仟",
        "柒仟",
        "叁仟",
        "贰仟",
        "壹仟",
        "万能",
        "扬尘",
        "付邮",
        "康师傅",
        "王老吉",
        "娃哈哈",
        "老干妈",
        "李宁",
        "乔丹",
        "周黑鸭",
        "张裕",
        "金龙鱼",
        "鲁花",
        "白象",
        "今麦郎",
        "统一",
        "雪花",
        "青岛",
    }
)

_lock = threading.Lock()
_pos = None


def pos_tokenizer():
    """jieba's part-of-speech tokenizer over the search tokenizer (legal terms loaded)."""
    global _pos
    if _pos is None:
        with _lock:
            if _pos is None:
                import jieba.posseg

                from sanxiang.disclosure.search import tokenizer

                _pos = jieba.posseg.POSTokenizer(tokenizer())
    return _pos


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    why: str  # why it was not redacted (the disclosure officer decides)


def _org_follows(s: str, end: int) -> bool:
    return bool(ORG_SUFFIX.match(s[end : end + 8]))


COMMON_WORD_FREQ = 40  # a dictionary word this frequent is a word (许可 623, 陈述 763), not a name (李建国 9)
_PLACE_END = re.compile(r"(?:省|市|县|区|乡|镇|村|局|厅|部|处|科|所|院|委|办|府|门)$")


def _common(word: str) -> bool:
    from sanxiang.disclosure.search import tokenizer

    return (tokenizer().FREQ.get(word) or 0) > COMMON_WORD_FREQ


def _good_name(name: str) -> bool:
    """A person's name, not a word: starts with a surname, 2–3 characters (4 with a compound surname),
    neither it nor its first two characters a common dictionary word, not ending like a place or office."""
    if name in NOT_NAMES or "某" in name:
        return False
    if not re.fullmatch(f"[{HAN}]{{2,4}}", name) or not starts_with_surname(name):
        return False
    compound = any(name.startswith(c) for c in surnames()[0])
    if len(name) == 4 and not compound:
        return False
    return not (_common(name) or (not compound and _common(name[:2])) or _PLACE_END.search(name))


def _lead_pattern() -> re.Pattern[str]:
    leads = "|".join(sorted(PERSON_LEADS, key=len, reverse=True))
    return re.compile(
        r"(?P<lead>"
        + leads
        + r")(?:称|说|证实|反映|陈述)?[,，:：\s]{0,2}(?P<name>["
        + HAN
        + r"]{2,8}·["
        + HAN
        + r"]{2,8}|["
        + HAN
        + r"]{2,4})"
    )


_LEAD = _lead_pattern()


def _name_after_lead(s: str, start: int, chunk: str) -> str:
    """The name at the beginning of ``chunk`` (up to 4 characters), judged by jieba's tags."""
    if "·" in chunk:
        return chunk
    compound, _single = surnames()
    if not starts_with_surname(chunk):
        return ""
    tokens = list(pos_tokenizer().cut(s[start : start + 8]))
    if tokens and tokens[0].flag in _NAME_FLAGS and 2 <= len(tokens[0].word) <= 4:
        return tokens[0].word
    if len(tokens) >= 2 and len(tokens[0].word) == 1 and tokens[1].flag in _NAME_FLAGS:
        return (tokens[0].word + tokens[1].word)[:4]
    if tokens and tokens[0].flag in ("p", "t", "d", "c", "u", "r", "m", "v", "ns", "nt", "nz"):
        return ""  # 于今年、于是 …: a word, not a name
    length = 3 if len(chunk) >= 3 and chunk[2] not in _AFTER_NAME else 2
    if any(chunk.startswith(c) for c in compound):
        length += 1
    name = chunk[:length]
    return name if name[1:2] not in _AFTER_NAME else ""


def recognise(s: str) -> tuple[list[Hit], list[Candidate]]:
    """Names in free text ``s`` (a shadow): redacted hits, and remaining candidates that failed the guard."""
    hits: list[Hit] = []
    candidates: list[Candidate] = []
    for m in _LEAD.finditer(s):
        name = _name_after_lead(s, m.start("name"), m.group("name"))
        if not name:
            continue
        start, end = m.start("name"), m.start("name") + len(name)
        if "·" not in name and not _good_name(name):
            continue
        if _org_follows(s, end):
            candidates.append(Candidate(start, end, name, "可能是单位或地名的一部分"))
            continue
        hits.append(Hit(start, end, NAME, mask_name(name), "recogniser"))
    offset = 0
    tokens = list(pos_tokenizer().cut(s))
    for index, token in enumerate(tokens):
        start, end = offset, offset + len(token.word)
        offset = end
        if token.flag not in _NAME_FLAGS or len(token.word) < 2:
            continue
        name = token.word
        before = tokens[index - 1].word if index > 0 else ""
        single = surnames()[1] - _NOT_JOINED
        if _common(name):
            pass  # 许可、保健、托运: a word after a character that is also a surname (原许可, 和保健)
        elif len(name) == 2 and len(before) == 1 and before in single:
            name, start = before + name, start - 1  # 钱 / 卫东 → 钱卫东
        elif not starts_with_surname(name) and before[-1:] in single:
            name, start = before[-1] + name, start - 1  # 人王 / 秀英 → 王秀英
        if name in NOT_NAMES or "某" in name or any(c.isdigit() for c in name):
            continue
        if not _good_name(name):
            if token.flag == "nrt" or len(name) >= 3:
                candidates.append(Candidate(start, end, name, "可能是人名（无常见姓氏）"))
            continue
        if _org_follows(s, end):
            candidates.append(Candidate(start, end, name, "可能是单位或地名的一部分"))
            continue
        hits.append(Hit(start, end, NAME, mask_name(name), "recogniser"))
    return hits, candidates


_LATIN_NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]{1,6}(?:[\s\-][A-Z][a-z]{1,8}){1,2}(?![A-Za-z])")
_LONG_NUMBER = re.compile(r"(?<![0-9])\d[\d\s\-]{4,}\d(?![0-9])")
_PERSONAL_WORD = re.compile(r"身份证|电话|手机|住址|家住|微信|QQ|qq|邮箱|护照|通行证|车牌|账号|账户|银行卡")


def remaining(s: str, *, free_text: bool) -> Iterator[Candidate]:
    """What may still be personal data in a redacted text (for the disclosure officer to look at)."""
    marked = [(m.start(), m.end()) for m in re.finditer(r"\[[^\[\]]{0,12}已隐去\]", s)]

    def inside(start: int) -> bool:
        return any(a <= start < b for a, b in marked)

    for m in _LONG_NUMBER.finditer(s):
        if len(re.sub(r"\D", "", m.group(0))) >= 7 and not inside(m.start()):
            yield Candidate(m.start(), m.end(), m.group(0), "较长的数字")
    for m in _LATIN_NAME.finditer(s):
        yield Candidate(m.start(), m.end(), m.group(0), "可能是拼音或外文姓名")
    for m in _PERSONAL_WORD.finditer(s):
        followed = re.match(r"[号码账户地址为是:：\s]{0,4}\[", s[m.end() : m.end() + 6])
        if not followed and not inside(m.start()):
            yield Candidate(m.start(), m.end(), m.group(0), "个人信息用语，请核对其后内容")
    if free_text:
        yield from recognise(s)[1]
