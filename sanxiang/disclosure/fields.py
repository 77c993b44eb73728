"""The 双公示 data items: what a disclosure duty carries, how it is validated, and the national column names.

The decision items come from the caller (the cases app) in ``fields``; the party items come from the
registry's :class:`~sanxiang.registry.models.Party`, the agency items from the
:class:`~sanxiang.registry.models.Agency`. Column names follow the national 双公示 data standard
(行政处罚信息 / 行政许可信息 数据项, 信用中国); money is yuan in the system and 万元 in the export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sanxiang.errors import FieldError

PENALTY = "penalty"
LICENSING = "licensing"
OTHER = "other"
INSPECTION = "inspection"
SOURCE_KINDS = (PENALTY, LICENSING, OTHER, INSPECTION)
SOURCE_KIND_LABELS = {
    PENALTY: "行政处罚",
    LICENSING: "行政许可",
    OTHER: "其他执法决定",
    INSPECTION: "抽查检查结果",
}

TEXT = "text"
MONEY = "money"
DATE = "date"
CHOICE = "choice"
NAMES = "names"  # a list of attachment names


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    type: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 4000


PENALTY_ITEMS = (
    Item("document_number", "行政处罚决定书文号", required=True, max_length=100),
    Item("violation_type", "违法行为类型", required=True, max_length=500),
    Item("violation_facts", "违法事实", required=True),
    Item("legal_basis", "处罚依据", required=True),
    Item("penalty_categories", "处罚类别", required=True, max_length=200),
    Item("penalty_content", "处罚内容", required=True),
    Item("fine_amount", "罚款金额（万元）", type=MONEY),
    Item("confiscation_amount", "没收违法所得、没收非法财物的金额（万元）", type=MONEY),
    Item("license_revoked", "暂扣或吊销证照名称及编号", max_length=500),
    Item("valid_until", "处罚有效期", type=DATE),
    Item("severity", "失信程度", type=CHOICE, choices=("minor", "ordinary", "serious")),
    Item("remarks", "备注", max_length=1000),
    Item("attachments", "附件", type=NAMES),
)

LICENSING_ITEMS = (
    Item("document_name", "行政许可决定文书名称", required=True, max_length=200),
    Item("document_number", "行政许可决定文书号", required=True, max_length=100),
    Item(
        "license_category",
        "许可类别",
        type=CHOICE,
        required=True,
        choices=("普通", "特许", "认可", "核准", "登记", "其他"),
    ),
    Item("license_name", "许可证书名称", max_length=200),
    Item("license_number", "许可编号", max_length=100),
    Item("license_content", "许可内容", required=True),
    Item("valid_from", "有效期自", type=DATE, required=True),
    Item("valid_until", "有效期至", type=DATE, required=True),
    Item("current_status", "当前状态", type=CHOICE, choices=("有效", "无效")),
    Item("remarks", "备注", max_length=1000),
    Item("attachments", "附件", type=NAMES),
)

GENERIC_ITEMS = (
    Item("document_number", "决定文书号", required=True, max_length=100),
    Item("action_type", "执法行为类别", required=True, max_length=100),
    Item("content", "执法内容", required=True),
    Item("result", "执法决定结果", required=True),
    Item("legal_basis", "执法依据"),
    Item("remarks", "备注", max_length=1000),
    Item("attachments", "附件", type=NAMES),
)

ITEMS = {PENALTY: PENALTY_ITEMS, LICENSING: LICENSING_ITEMS, OTHER: GENERIC_ITEMS, INSPECTION: GENERIC_ITEMS}

# Free text that redaction scans for personal data (names, ID numbers, phones, accounts, addresses).
FREE_TEXT_KEYS = frozenset(
    {
        "violation_type",
        "violation_facts",
        "legal_basis",
        "penalty_content",
        "license_revoked",
        "remarks",
        "license_content",
        "license_name",
        "content",
        "result",
        "action_type",
        "penalty_categories",
        "document_name",
    }
)

# National column order of the 双公示 export (行政处罚 / 行政许可), with the key each column reads.
PENALTY_COLUMNS = (
    ("行政相对人名称", "party_name"),
    ("行政相对人类别", "party_category"),
    ("行政相对人代码_1(统一社会信用代码)", "party_credit_code"),
    ("行政相对人代码_2(工商注册号)", "party_code_2"),
    ("行政相对人代码_3(组织机构代码)", "party_code_3"),
    ("行政相对人代码_4(税务登记号)", "party_code_4"),
    ("行政相对人代码_5(事业单位证书号)", "party_code_5"),
    ("行政相对人代码_6(社会组织登记证号)", "party_code_6"),
    ("法定代表人", "legal_representative"),
    ("法定代表人证件类型", "legal_representative_id_type"),
    ("法定代表人证件号码", "legal_representative_id_number"),
    ("证件类型", "party_id_type"),
    ("证件号码", "party_id_number"),
    ("行政处罚决定书文号", "document_number"),
    ("违法行为类型", "violation_type"),
    ("违法事实", "violation_facts"),
    ("处罚依据", "legal_basis"),
    ("处罚类别", "penalty_categories"),
    ("处罚内容", "penalty_content"),
    ("罚款金额（万元）", "fine_amount"),
    ("没收违法所得、没收非法财物的金额（万元）", "confiscation_amount"),
    ("暂扣或吊销证照名称及编号", "license_revoked"),
    ("处罚决定日期", "decided_on"),
    ("处罚有效期", "valid_until"),
    ("公示截止期", "publication_until"),
    ("处罚机关", "agency_name"),
    ("处罚机关统一社会信用代码", "agency_credit_code"),
    ("数据来源单位", "source_agency_name"),
    ("数据来源单位统一社会信用代码", "source_agency_credit_code"),
    ("备注", "remarks"),
)

LICENSING_COLUMNS = (
    ("行政相对人名称", "party_name"),
    ("行政相对人类别", "party_category"),
    ("行政相对人代码_1(统一社会信用代码)", "party_credit_code"),
    ("行政相对人代码_2(工商注册号)", "party_code_2"),
    ("行政相对人代码_3(组织机构代码)", "party_code_3"),
    ("行政相对人代码_4(税务登记号)", "party_code_4"),
    ("行政相对人代码_5(事业单位证书号)", "party_code_5"),
    ("行政相对人代码_6(社会组织登记证号)", "party_code_6"),
    ("法定代表人", "legal_representative"),
    ("法定代表人证件类型", "legal_representative_id_type"),
    ("法定代表人证件号码", "legal_representative_id_number"),
    ("证件类型", "party_id_type"),
    ("证件号码", "party_id_number"),
    ("行政许可决定文书名称", "document_name"),
    ("行政许可决定文书号", "document_number"),
    ("许可类别", "license_category"),
    ("许可证书名称", "license_name"),
    ("许可编号", "license_number"),
    ("许可内容", "license_content"),
    ("许可决定日期", "decided_on"),
    ("有效期自", "valid_from"),
    ("有效期至", "valid_until"),
    ("许可机关", "agency_name"),
    ("许可机关统一社会信用代码", "agency_credit_code"),
    ("当前状态", "current_status"),
    ("数据来源单位", "source_agency_name"),
    ("数据来源单位统一社会信用代码", "source_agency_credit_code"),
    ("备注", "remarks"),
)

GENERIC_COLUMNS = (
    ("行政相对人名称", "party_name"),
    ("行政相对人类别", "party_category"),
    ("行政相对人代码_1(统一社会信用代码)", "party_credit_code"),
    ("法定代表人", "legal_representative"),
    ("决定文书号", "document_number"),
    ("执法行为类别", "action_type"),
    ("执法内容", "content"),
    ("执法决定结果", "result"),
    ("执法依据", "legal_basis"),
    ("决定日期", "decided_on"),
    ("执法机关", "agency_name"),
    ("执法机关统一社会信用代码", "agency_credit_code"),
    ("数据来源单位", "source_agency_name"),
    ("数据来源单位统一社会信用代码", "source_agency_credit_code"),
    ("备注", "remarks"),
)

COLUMNS = {
    PENALTY: PENALTY_COLUMNS,
    LICENSING: LICENSING_COLUMNS,
    OTHER: GENERIC_COLUMNS,
    INSPECTION: GENERIC_COLUMNS,
}

# Labels for the public record's party and agency items (shown on the decision page).
PARTY_LABELS = {
    "party_name": "行政相对人名称",
    "party_category": "行政相对人类别",
    "party_credit_code": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "party_id_type": "证件类型",
    "party_id_number": "证件号码",
}
AGENCY_LABELS = {
    "agency_name": "执法机关",
    "agency_credit_code": "执法机关统一社会信用代码",
    "decided_on": "决定日期",
    "publication_until": "公示截止期",
}


OTHER_LABELS = {"attachments": "附件"}


def items_for(kind: str) -> tuple[Item, ...]:
    return ITEMS[kind]


def label_for(kind: str, key: str) -> str:
    for item in ITEMS[kind]:
        if item.key == key:
            return item.label.replace("（万元）", "（元）")
    if key in PARTY_LABELS or key in AGENCY_LABELS:
        return PARTY_LABELS.get(key) or AGENCY_LABELS[key]
    for name, column in COLUMNS.get(kind, ()):
        if column == key:
            return name.replace("（万元）", "（元）")
    return OTHER_LABELS.get(key, key)


def _money(value: object) -> Decimal | None:
    if isinstance(value, float):
        return None  # a float cannot carry money exactly
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount < 0:
        return None
    exponent = amount.as_tuple().exponent  # a str only for NaN and Infinity, refused above
    if not isinstance(exponent, int) or exponent < -2:
        return None
    return amount.quantize(Decimal("0.01"))


def clean_fields(kind: str, fields: object, *, prefix: str = "fields.") -> tuple[dict, list[FieldError]]:
    """Validate and normalise the decision items of ``kind``; return (clean, errors).

    Unknown keys are refused (a typo must not silently drop a published item); money becomes a
    yuan string with two decimals; dates ISO strings; attachments a list of names.
    """
    errors: list[FieldError] = []
    if not isinstance(fields, dict):
        return {}, [FieldError(prefix.rstrip("."), "object", "公示数据项: 应为对象")]
    known = {item.key: item for item in ITEMS[kind]}
    for key in fields:
        if key not in known:
            errors.append(
                FieldError(
                    f"{prefix}{key}", "unknown_item", f"{key}: 不是{SOURCE_KIND_LABELS[kind]}的公示数据项"
                )
            )
    clean: dict = {}
    for item in ITEMS[kind]:
        name = f"{prefix}{item.key}"
        value = fields.get(item.key)
        if value is None or value == "" or value == []:
            if item.required:
                errors.append(FieldError(name, "required", f"{item.label}: 必须填写（双公示数据项）"))
            continue
        if item.type == TEXT:
            if not isinstance(value, str):
                errors.append(FieldError(name, "text", f"{item.label}: 应为文字"))
                continue
            value = value.strip()
            if len(value) > item.max_length:
                errors.append(FieldError(name, "max_length", f"{item.label}: 不超过{item.max_length}字"))
                continue
            clean[item.key] = value
        elif item.type == MONEY:
            amount = _money(value)
            if amount is None:
                errors.append(
                    FieldError(name, "money", f"{item.label}: 应为不小于0、最多两位小数的金额（元）")
                )
                continue
            clean[item.key] = str(amount)
        elif item.type == DATE:
            try:
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
            except ValueError:
                errors.append(FieldError(name, "date", f"{item.label}: 应为日期 YYYY-MM-DD"))
                continue
            clean[item.key] = day.isoformat()
        elif item.type == CHOICE:
            if value not in item.choices:
                errors.append(
                    FieldError(name, "choice", f"{item.label}: 应为 {'、'.join(item.choices)} 之一")
                )
                continue
            clean[item.key] = value
        elif item.type == NAMES:
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                errors.append(FieldError(name, "names", f"{item.label}: 应为文件名列表"))
                continue
            clean[item.key] = [v.strip()[:200] for v in value]
    if (
        kind == LICENSING
        and "valid_from" in clean
        and "valid_until" in clean
        and clean["valid_until"] < clean["valid_from"]
    ):
        errors.append(FieldError(f"{prefix}valid_until", "date_order", "有效期至: 不得早于有效期自"))
    return clean, errors


def wan_yuan(yuan: str | None) -> str:
    """Yuan (two decimals) to 万元 (six decimals), exactly, for the national export."""
    if not yuan:
        return ""
    return str((Decimal(yuan) / Decimal(10000)).quantize(Decimal("0.000001")))
