"""Identifier validators: 统一社会信用代码 (GB 32100-2015) and 公民身份号码 (GB 11643-1999).

Each validator raises ``django.core.exceptions.ValidationError`` whose message names the rule
(the standard and what about it failed); forms and the API attach the field name.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# GB 32100-2015 表1: the 31 characters of the code alphabet (no I, O, Z, S, V) and their values.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
# GB 32100-2015 5.2: weights W_i = 3^(i-1) mod 31 for positions 1..17.
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]
# GB 32100-2015 4.1: 登记管理部门代码 (position 1). Letters are departments too:
# 1 机构编制, 5 民政, 9 工商, Y 其他; 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会,
# A 中央军委改革和编制办公室, N 农业, ... — the standard's table is extended over time, so any
# character of the alphabet is accepted here and the check character decides.
CREDIT_CODE_RULE = "统一社会信用代码 (GB 32100-2015)"
ID_NUMBER_RULE = "公民身份号码 (GB 11643-1999)"

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def credit_code_check_character(first17: str) -> str:
    """The 18th character for the first 17 characters of a credit code (GB 32100-2015 5.2)."""
    total = sum(_CREDIT_VALUE[ch] * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def compose_credit_code(*, department: str, kind: str, region: str, serial: int) -> str:
    """A valid code from its parts: 登记管理部门, 机构类别, 行政区划, a 9-digit body, and the check character."""
    body = f"{department}{kind}{region}{serial % 10**9:09d}"
    return body + credit_code_check_character(body)


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            f"{CREDIT_CODE_RULE}: 应为18位，实际为{len(code)}位",
            code="credit_code_length",
        )
    bad = [ch for ch in code if ch not in _CREDIT_VALUE]
    if bad:
        raise ValidationError(
            f"{CREDIT_CODE_RULE}: 含有代码字符集以外的字符 {''.join(dict.fromkeys(bad))}"
            "（不得使用 I、O、Z、S、V 及小写字母）",
            code="credit_code_charset",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            f"{CREDIT_CODE_RULE}: 第3至8位登记管理机关行政区划码应为数字",
            code="credit_code_region",
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            f"{CREDIT_CODE_RULE}: 校验码错误，第18位应为 {expected}",
            code="credit_code_check",
        )


def id_number_check_digit(first17: str) -> str:
    """Check digit for the first 17 digits (GB 11643-1999 7.2, ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_birth_date(value: str) -> dt.date:
    """The date of birth encoded in positions 7-14 of a citizen ID number."""
    code = normalize_id_number(value)
    return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


def validate_id_number(value: str, *, today: dt.date | None = None) -> None:
    code = normalize_id_number(value)
    if not _ID_PATTERN.match(code):
        raise ValidationError(
            f"{ID_NUMBER_RULE}: 应为18位，前17位为数字，末位为数字或 X",
            code="id_number_format",
        )
    try:
        born = id_number_birth_date(code)
    except ValueError:
        raise ValidationError(
            f"{ID_NUMBER_RULE}: 第7至14位出生日期码 {code[6:14]} 不是真实日期",
            code="id_number_birth_date",
        ) from None
    if born.year < 1800 or born > (today or timezone.localdate()):
        raise ValidationError(
            f"{ID_NUMBER_RULE}: 出生日期 {born.isoformat()} 不在合理范围内",
            code="id_number_birth_date",
        )
    expected = id_number_check_digit(code[:17])
    if code[17] != expected:
        raise ValidationError(
            f"{ID_NUMBER_RULE}: 校验码错误，第18位应为 {expected}",
            code="id_number_check",
        )


REGION_CODE_RULE = "行政区划代码 (GB/T 2260)"


def validate_region_code(value: str) -> None:
    if not re.fullmatch(r"\d{6}", value or "") or value[:2] == "00":
        raise ValidationError(f"{REGION_CODE_RULE}: 应为6位数字", code="region_code_format")


def region_prefix(code: str) -> str:
    """The prefix every code inside this region starts with: 220000 → 22, 220700 → 2207, 220702 → 220702."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def region_contains(outer: str, inner: str) -> bool:
    return inner.startswith(region_prefix(outer))
