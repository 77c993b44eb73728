"""Text helpers of the redactor: a same-length normalised shadow of a text, surnames, name masks.

Matching runs on a *shadow* of the text with the same length as the original, so that a span found in
the shadow is the same span of the original: full-width digits, letters and punctuation become ASCII,
every space (U+3000 included) a space, every dash ``-``, every middle dot (· • ・ ‧ ． and the ASCII
full stop between letters of a name) ``·``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

SURNAMES_FILE = Path(__file__).resolve().parent / "surnames.txt"
NAME_MASK = "某某"
HAN = "\u4e00-\u9fff"

_SHADOW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_SHADOW.update({0x3000: 0x20, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
_SHADOW.update({ord(c): ord("-") for c in "‐‑‒–—―－﹣−"})
_SHADOW.update({ord(c): ord("·") for c in "•・‧⋅∙﹒･"})
_SHADOW[0xFF0E] = ord(".")  # ．
_SHADOW[0xFF20] = ord("@")  # ＠


def shadow(text: str) -> str:
    """The text with the same length, for matching (see the module docstring)."""
    out = text.translate(_SHADOW)
    assert len(out) == len(text)
    return out


@functools.cache
def surnames() -> tuple[tuple[str, ...], frozenset[str]]:
    """(compound surnames, single-character surnames)."""
    compound: list[str] = []
    single: set[str] = set()
    for line in SURNAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for word in line.split():
            if len(word) == 1:
                single.add(word)
            else:
                compound.append(word)
    return tuple(compound), frozenset(single)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a Chinese name; a name written with a dot splits at its first dot."""
    name = name.strip()
    if "·" in shadow(name):
        first, _, _rest = shadow(name).partition("·")
        return name[: len(first)], name[len(first) + 1 :]
    compound, _single = surnames()
    for surname in compound:
        if name.startswith(surname) and len(name) > len(surname):
            return surname, name[len(surname) :]
    return name[:1], name[1:]


def starts_with_surname(word: str) -> bool:
    compound, single = surnames()
    return bool(word) and (word[0] in single or any(word.startswith(c) for c in compound))


def mask_name(name: str) -> str:
    """张三 → 张某某; 欧阳娜娜 → 欧阳某某; 买买提·艾力 → 买某某 (the national practice for natural persons)."""
    name = (name or "").strip()
    if not name:
        return ""
    if "·" in shadow(name):
        return name[0] + NAME_MASK
    compound, _single = surnames()
    for surname in compound:
        if name.startswith(surname) and len(name) > len(surname):
            return surname + NAME_MASK
    return name[0] + NAME_MASK


ORG_SUFFIX = re.compile(
    r"^(?:["
    + HAN
    + r"]{0,6}?(?:有限责任公司|有限公司|股份公司|公司|集团|商店|超市|便利店|商行|商贸|餐馆|饭店|酒店|酒楼"
    r"|食堂|药房|药店|诊所|医院|卫生院|门诊|经营部|门市部|批发部|小吃部|烧烤|火锅|美容|理发|网吧|中心|合作社|委员会"
    r"|人民政府|大街|大道|小区|广场|食品店|商场|市场|工厂|作坊)"
    r"|(?:店|厂|坊|社|馆|铺|庄|园|路|街|巷|局))"
)


def looks_like_person(name: str) -> bool:
    """A name the case knows is a person's name (not a company or a place): 2–4 Han characters starting
    with a surname, or a minority name with a dot, without an organisation's or a place's ending."""
    name = (name or "").strip()
    s = shadow(name)
    if "·" in s:
        parts = s.split("·")
        return all(re.fullmatch(f"[{HAN}]{{1,10}}", p) for p in parts) and len(name) <= 24
    if not re.fullmatch(f"[{HAN}]{{2,4}}", name):
        return False
    return starts_with_surname(name) and not ORG_SUFFIX.match(name[1:])
