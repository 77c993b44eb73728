"""Statute texts as data: a parser for Markdown or plain-text statutes (pure, no database).

A statute file holds the title (``# 中华人民共和国食品安全法`` or ``**…**``), its history lines (通过、修正、
修订, with dates), optionally a front matter with ``effective_date``, chapters (``## 第九章 法律责任``) and
articles, each starting a line with its number: ``第一百二十二条 …`` or ``- **第一百二十二条**　…``. The
paragraphs (款) that follow an article's first line belong to it until the next article or heading.

``parse(text)`` returns a :class:`ParsedStatute`; ``article_number("第一百二十二条")`` is 122 and
``article_label(122)`` is "第一百二十二条", so an article is addressable by either form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千"
_ARTICLE = re.compile(
    rf"^\s*(?:[-*]\s*)?(?:\*\*)?第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?(?:\*\*)?[\s　]*(.*)$"
)
_HEADING = re.compile(rf"^\s*#{{1,6}}\s*(第[{NUMERAL}]+[编章节].*)$")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_REF = re.compile(rf"(?:本法|本条例)?第([{NUMERAL}]+)条")


class StatuteFormatError(ValueError):
    """The text is not a statute this parser reads (no title or no article)."""


def chinese_number(text: str) -> int:
    """一百二十二 → 122; 十五 → 15; 一千零三 → 1003."""
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            total += (current or 1) * UNITS[ch]
            current = 0
        else:
            raise ValueError(ch)
    return total + current


def chinese_numeral(n: int) -> str:
    """122 → 一百二十二 (the way statutes number their articles)."""
    if n <= 0:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            out += digits[d] + unit
        elif out and n and not out.endswith("零"):
            out += "零"
    return out


def article_number(label: str) -> int:
    """ "第一百二十二条" (or "一百二十二", "122") → 122."""
    label = label.strip().removeprefix("第").split("条")[0]
    if label.isdigit():
        return int(label)
    return chinese_number(label)


def article_label(number: int) -> str:
    return f"第{chinese_numeral(number)}条"


def referenced_articles(text: str) -> list[int]:
    """The article numbers a text refers to (``违反本法第三十五条第一款规定`` → [35]), in order, once each."""
    seen: list[int] = []
    for m in _REF.finditer(text):
        n = chinese_number(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen


@dataclass
class ParsedArticle:
    number: int
    label: str
    chapter: str
    text: str


@dataclass
class ParsedStatute:
    title: str
    source: str
    version_label: str
    effective_from: dt.date | None
    articles: list[ParsedArticle] = field(default_factory=list)
    digest: str = ""


def _clean(line: str) -> str:
    return re.sub(r"[\s　]+", " ", line.replace("**", "")).strip()


def in_front_date(text: str) -> bool:
    return "\neffective_date:" in text


def parse(text: str) -> ParsedStatute:
    """Read one statute. Raises :class:`StatuteFormatError` without a title or an article."""
    lines = text.replace("\r\n", "\n").split("\n")
    source = ""
    if lines and lines[0].startswith(">"):
        source = lines[0].lstrip("> ").strip()
    title = ""
    effective: dt.date | None = None
    history: list[str] = []
    articles: list[ParsedArticle] = []
    chapter = ""
    in_front = False
    front_seen = False
    for raw in lines:
        line = raw.strip()
        if line == "---":
            if not front_seen:
                in_front, front_seen = (False, True) if in_front else (True, False)
            continue
        if in_front:
            if line.startswith("effective_date:"):
                m = re.search(r"(\d{4})-(\d{2})-(\d{2})", line)
                if m:
                    effective = dt.date(int(m[1]), int(m[2]), int(m[3]))
            if line.startswith("title:") and not title:
                title = line.split(":", 1)[1].strip().strip("'\"")
            continue
        if not title and (line.startswith("# ") or (line.startswith("**") and line.endswith("**"))):
            title = line.lstrip("# ").strip("*").strip()
            continue
        heading = _HEADING.match(line)
        if heading:
            chapter = _clean(heading.group(1))
            continue
        m = _ARTICLE.match(line)
        if m:
            number = chinese_number(m.group(1))
            label = f"第{m.group(1)}条" + (f"之{m.group(2)}" if m.group(2) else "")
            if m.group(2):  # 第X条之一: kept under its own label, numbered after X
                continue
            articles.append(ParsedArticle(number, label, chapter, _clean(m.group(3))))
            continue
        if not articles:
            if _DATE.search(line) and ("通过" in line or "修正" in line or "修订" in line or "公布" in line):
                history.extend(
                    part for part in re.split(r"[　 ]{1,}(?=\d{4}年|根据)", line.strip("（）()> ")) if part
                )
            continue
        if line.startswith("#") or line.startswith("<!--"):
            continue
        if line and articles:
            body = _clean(line.lstrip("-* ").lstrip("> "))
            if body:
                articles[-1].text += "\n" + body
    if not title:
        raise StatuteFormatError("title")
    if not articles:
        raise StatuteFormatError("articles")
    version_label = ""
    dates = [(m, line) for line in history for m in _DATE.finditer(line)]
    if dates:
        m, line = dates[-1]
        kind = (
            "修正" if "修正" in line else "修订" if "修订" in line else "公布" if "公布" in line else "通过"
        )
        version_label = f"{m[1]}年{int(m[2])}月{int(m[3])}日{kind}"
        if effective is None:
            effective = dt.date(int(m[1]), int(m[2]), int(m[3]))
    last = articles[-1].text
    start = re.search(r"自(\d{4})年(\d{1,2})月(\d{1,2})日起施行", last)
    if start and not in_front_date(text):
        begins = dt.date(int(start[1]), int(start[2]), int(start[3]))
        if effective is None or begins > effective:
            effective = begins
    unique: dict[int, ParsedArticle] = {}
    for a in articles:
        unique.setdefault(a.number, a)
    return ParsedStatute(
        title=title,
        source=source,
        version_label=version_label,
        effective_from=effective,
        articles=sorted(unique.values(), key=lambda a: a.number),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
