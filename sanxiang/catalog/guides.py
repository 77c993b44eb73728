"""行政执法服务指南: publishing a guide for a 依申请 matter of the 事项清单, reading the guides in
force, and the 示范文本 of each material as a generated DOCX.

《松原市行政执法公示办法》第十五条 lists what the window publishes for a 许可 or 服务 matter (名称、依据、
受理机构、审批机构、许可条件、申请材料清单含示范文本和常见错误示例、办理流程、办理时限、证照发放、表格下载方式、
监督检查、咨询渠道、投诉举报、办公时间、办公地址、办公电话、状态查询、减免缓征); 第二十四条 the guide's content.
The name, basis and 承诺时限 come from the matter's entry in the 事项清单; the statutory periods from
the procedure's time limits in the rules registry; the 办理流程 from the procedure definition.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from sanxiang.catalog import selectors
from sanxiang.catalog.models import APPLICATION_CATEGORIES, EnforcementItem, ItemCategory, ServiceGuide
from sanxiang.catalog.services import _require_editor
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.ledger.services import record
from sanxiang.registry.models import Agency

SOURCE = "《松原市行政执法公示办法》第十五条、第二十四条"

# The guide's own fields (besides the materials), with their labels: the order of the page.
FIELDS = (
    ("accepting_unit", "受理机构", True),
    ("approving_unit", "审批机构", True),
    ("conditions", "许可条件", True),
    ("fee", "收费标准", True),
    ("fee_basis", "收费依据", False),
    ("relief", "减、免、缓、征的条件和标准", False),
    ("certificate", "证照发放", True),
    ("forms", "表格下载方式", True),
    ("consult", "咨询渠道", True),
    ("complaint", "投诉举报", True),
    ("office_hours", "办公时间", True),
    ("office_address", "办公地址", True),
    ("office_phone", "办公电话", True),
)


# --- validation -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return str(value or "").strip()


def materials_checked(materials: Any) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """The 申请材料清单, normalised; every material needs a name, a 示范文本 (a title and at least one
    filled-in field) and at least one 常见错误示例 (第十五条: 申请材料清单含示范文本和常见错误示例)."""
    errors: list[FieldError] = []
    out: list[dict[str, Any]] = []
    if not isinstance(materials, list | tuple) or not materials:
        return [], [FieldError("materials", "required", f"申请材料清单: 至少列明一项（{SOURCE}）")]
    for i, m in enumerate(materials):
        where = f"materials[{i}]"
        m = m if isinstance(m, dict) else {}
        sample = m.get("sample") if isinstance(m.get("sample"), dict) else {}
        fields = [
            [_text(pair[0]), _text(pair[1])]
            for pair in (sample.get("fields") or ())
            if isinstance(pair, list | tuple) and len(pair) == 2 and _text(pair[0])
        ]
        mistakes = [_text(x) for x in (m.get("mistakes") or ()) if _text(x)]
        name = _text(m.get("name"))
        if not name:
            errors.append(FieldError(f"{where}.name", "required", "材料名称: 必须填写"))
        if not _text(sample.get("title")) or not fields:
            errors.append(
                FieldError(
                    f"{where}.sample",
                    "sample_required",
                    f"示范文本: “{name or i + 1}”应有标题和至少一项示范填写内容（{SOURCE}）",
                )
            )
        if not mistakes:
            errors.append(
                FieldError(
                    f"{where}.mistakes",
                    "mistakes_required",
                    f"常见错误示例: “{name or i + 1}”至少列明一项（{SOURCE}）",
                )
            )
        try:
            copies = int(m.get("copies") or 1)
        except (TypeError, ValueError):
            copies = 0
        if copies < 1:
            errors.append(FieldError(f"{where}.copies", "positive", "份数: 应为正整数"))
        out.append(
            {
                "name": name,
                "form": _text(m.get("form")) or "原件",
                "copies": copies,
                "note": _text(m.get("note")),
                "sample": {
                    "title": _text(sample.get("title")),
                    "fields": fields,
                    "statement": _text(sample.get("statement")),
                },
                "mistakes": mistakes,
            }
        )
    return out, errors


def _matter(agency: Agency, code: str, on: dt.date) -> EnforcementItem | None:
    return selectors.in_force(EnforcementItem, agency=agency, on=on).filter(code=code).first()


def validate_guide(
    *, agency: Agency, code: str, data: dict[str, Any], effective_from: dt.date, reason: str
) -> tuple[ServiceGuide, list[FieldError]]:
    """Build (unsaved) the next version of the guide of matter ``code`` and every error it has."""
    from sanxiang.procedures import registry

    errors: list[FieldError] = []
    code = _text(code)
    values = {name: _text(data.get(name)) for name, _label, _req in FIELDS}
    for name, label, required in FIELDS:
        if required and not values[name]:
            errors.append(FieldError(name, "required", f"{label}: 必须填写（{SOURCE}）"))
    materials, material_errors = materials_checked(data.get("materials"))
    errors += material_errors
    procedure = _text(data.get("procedure")) or "licensing"
    try:
        registry.get(procedure)
    except KeyError:
        errors.append(FieldError("procedure", "procedure_unknown", "执法程序: 不是本系统定义的执法程序"))
    if not isinstance(effective_from, dt.date):
        errors.append(FieldError("effective_from", "date", "生效日期: 必须填写有效日期"))
    elif code:
        matter = _matter(agency, code, effective_from)
        if matter is None:
            errors.append(
                FieldError("code", "matter_unknown", "事项编码: 生效日期当日的行政执法事项清单中没有该事项")
            )
        elif matter.category not in APPLICATION_CATEGORIES:
            errors.append(
                FieldError(
                    "code",
                    "not_on_application",
                    f"事项编码: “{matter.name}”属于{ItemCategory(matter.category).label}，"
                    f"服务指南只为依申请事项编制（{SOURCE}）",
                )
            )
        latest = ServiceGuide.objects.filter(agency=agency, code=code).order_by("-version").first()
        if latest is not None and effective_from < latest.effective_from:
            errors.append(
                FieldError(
                    "effective_from",
                    "effective_from_order",
                    f"生效日期: 不得早于上一版本（第{latest.version}版）的生效日期 {latest.effective_from}",
                )
            )
    if not code:
        errors.append(FieldError("code", "required", "事项编码: 必须填写"))
    if not _text(reason):
        errors.append(FieldError("reason", "required", "变更原因: 必须填写"))
    guide = ServiceGuide(
        agency=agency,
        code=code,
        effective_from=effective_from,
        reason=_text(reason),
        procedure=procedure,
        materials=materials,
        **values,
    )
    return guide, errors


def _content(guide: ServiceGuide) -> tuple:
    return (guide.procedure, guide.materials, *(getattr(guide, name) for name, _l, _r in FIELDS))


def guide_payload(guide: ServiceGuide) -> dict[str, Any]:
    return {
        "agency": str(guide.agency.public_id),
        "code": guide.code,
        "version": guide.version,
        "effective_from": guide.effective_from.isoformat(),
        "reason": guide.reason,
        "procedure": guide.procedure,
        "materials": guide.materials,
        **{name: getattr(guide, name) for name, _l, _r in FIELDS},
    }


# --- writes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuidePublished:
    guide: ServiceGuide
    created: bool


def service_guide_publish(
    *, actor, agency: Agency, code: str, data: dict[str, Any], effective_from: dt.date, reason: str
) -> GuidePublished:
    """Publish the next version of the 服务指南 of the 依申请 matter ``code``. The same content with
    the same effective date again returns the latest version unchanged (idempotent under retry)."""
    _require_editor(actor, agency)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()  # serialise writes per agency
        guide, errors = validate_guide(
            agency=agency, code=code, data=data, effective_from=effective_from, reason=reason
        )
        if errors:
            raise InvalidInput(errors)
        latest = ServiceGuide.objects.filter(agency=agency, code=guide.code).order_by("-version").first()
        if (
            latest is not None
            and latest.effective_from == effective_from
            and _content(latest) == _content(guide)
        ):
            return GuidePublished(latest, False)
        guide.version = (latest.version + 1) if latest else 1
        guide.created_by = actor
        guide.save(force_insert=True)
        record(kind="catalog.guide_published", subject=guide, actor=actor, payload=guide_payload(guide))
    return GuidePublished(guide, True)


# --- reads (public: what is published) ------------------------------------------------------------


@dataclass(frozen=True)
class Guide:
    guide: ServiceGuide
    matter: EnforcementItem


def guides_in_force(agency: Agency, on: dt.date) -> list[Guide]:
    """The guide of every 依申请 matter in the agency's 事项清单 on ``on`` that has one."""
    matters = {
        m.code: m
        for m in selectors.in_force(EnforcementItem, agency=agency, on=on).filter(
            category__in=APPLICATION_CATEGORIES
        )
    }
    guides = selectors.in_force(ServiceGuide, agency=agency, on=on).filter(code__in=list(matters))
    return [Guide(g, matters[g.code]) for g in guides]  # type: ignore[arg-type]


def application_matters(agency: Agency, on: dt.date) -> list[EnforcementItem]:
    return list(
        selectors.in_force(EnforcementItem, agency=agency, on=on).filter(category__in=APPLICATION_CATEGORIES)
    )


def guide_in_force(agency: Agency, code: str, on: dt.date) -> Guide | None:
    return next((g for g in guides_in_force(agency, on) if g.guide.code == code), None)


def guides_updated(agency: Agency) -> dt.datetime | None:
    return ServiceGuide.objects.filter(agency=agency).aggregate(m=Max("created_at"))["m"]


def material_of(guide: ServiceGuide, index: int) -> dict[str, Any] | None:
    return guide.materials[index] if 0 <= index < len(guide.materials) else None


# --- 示范文本 (DOCX from the material's sample) -----------------------------------------------------


def _font(run, face: str, size_pt: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    family = settings.SANXIANG_DOCUMENT_FONTS.get(face, face)
    run.font.name = family
    run.font.size = Pt(size_pt)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), family)


def sample_docx(*, agency: Agency, matter: EnforcementItem, guide: ServiceGuide, material: dict) -> bytes:
    """The 示范文本 of one material: its form filled with example values, marked 示范, with the
    material's 常见错误示例, A4 with the GB/T 9704 margins."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def para(text: str, face: str = "仿宋_GB2312", size: float = 16, *, center=False, bold=False):
        p = doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = bold
        _font(run, face, size)
        return p

    sample = material["sample"]
    para("示范文本", "黑体", 12)
    para(sample["title"], "方正小标宋简体", 22, center=True)
    para(f"（{matter.name} · {agency.name}）", "楷体_GB2312", 14, center=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, example in sample["fields"]:
        cells = table.add_row().cells
        for cell, text in ((cells[0], label), (cells[1], example)):
            cell.paragraphs[0].text = ""
            _font(cell.paragraphs[0].add_run(text), "仿宋_GB2312", 14)
        cells[0].width, cells[1].width = Mm(45), Mm(111)
    if sample.get("statement"):
        para(sample["statement"])
    para("常见错误示例", "黑体", 16)
    for i, mistake in enumerate(material["mistakes"], 1):
        para(f"{i}．{mistake}")
    para(
        f"本示范文本由{agency.name}依据{SOURCE}编制（服务指南第{guide.version}版，"
        f"{guide.effective_from:%Y年%m月%d日}起施行），示范内容均为虚构，请按本人实际情况填写。",
        "楷体_GB2312",
        12,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
