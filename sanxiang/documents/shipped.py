"""The platform's default templates, written as DOCX files with docxtpl placeholders.

Run ``python -m sanxiang.documents.shipped`` to rewrite ``sanxiang/documents/docx/*.docx`` after a
change here. The files are what an agency downloads, edits in Word or WPS and uploads as its own
version (no code): the placeholders are the names of :func:`sanxiang.documents.context.context_for`.

Layout after 《党政机关公文格式》(GB/T 9704—2012) 5.2: A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm;
body 3号 (16 pt) 仿宋, 22 lines of 28 characters (line pitch 225 mm / 22, character pitch 156 mm /
28); title 2号 (22 pt) 小标宋; page numbers 4号 (14 pt) 半角宋体 “— 1 —”, odd pages at the right and
even pages at the left (7.5). The faces are named as GB/T 9704 names them and mapped to installed
fonts when rendering (``SANXIANG_DOCUMENT_FONTS``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

DIRECTORY = Path(__file__).resolve().parent / "docx"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
SONGTI = "宋体"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
LINE_PITCH_PT = 225 / 25.4 * 72 / 22  # 225 mm over 22 lines = 28.99 pt
CHAR_PITCH_PT = 156 / 25.4 * 72 / 28  # 156 mm over 28 characters = 15.79 pt
# w:spacing is in twentieths of a point; rounded down so that 28 characters always fit the line.
CHAR_SPACING_TWIPS = int((CHAR_PITCH_PT - BODY_PT) * 20) - 1


def _fonts(run_properties, face: str, size: float, bold: bool = False) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc, name: str, face: str, size: float, *, base: str | None = None, bold: bool = False):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if base:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.name = face
    _fonts(style.element.get_or_add_rPr(), face, size, bold)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.widow_control = False
    return style


def _char_spacing(style, twips: int) -> None:
    rpr = style.element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    rpr.append(spacing)


def _page_number(paragraph) -> None:
    """“— N —”: a PAGE field between two em dashes (GB/T 9704 7.5)."""
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def new_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(37)  # 天头
    section.bottom_margin = Mm(297 - 37 - 225)
    section.left_margin = Mm(28)  # 订口
    section.right_margin = Mm(210 - 28 - 156)
    section.footer_distance = Mm(297 - 37 - 225 - 7 - 6)  # 一字线 7 mm below the 版心
    section.header_distance = Mm(15)
    body = _style(doc, "Normal", FANGSONG, BODY_PT)
    _char_spacing(body, CHAR_SPACING_TWIPS)
    _style(doc, "文书标题", XIAOBIAOSONG, TITLE_PT, base="Normal")
    _style(doc, "文书页码", SONGTI, PAGE_NUMBER_PT, base="Normal")
    _style(doc, "文书表格", FANGSONG, 14, base="Normal")
    doc.styles["文书表格"].paragraph_format.line_spacing = Pt(22)
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.style = doc.styles["文书页码"]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.style = doc.styles["文书页码"]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
    _page_number(even)
    return doc


def title(doc, text: str, *, after: float = 0) -> None:
    p = doc.add_paragraph(text, style="文书标题")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = Pt(after)


def line(doc, text: str, *, align=None, indent: bool = True):
    p = doc.add_paragraph(text)
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(2 * CHAR_PITCH_PT)
    return p


def raw(doc, text: str) -> None:
    """A paragraph holding only a docxtpl tag ({%p …%}), removed when rendered."""
    doc.add_paragraph(text)


def header(doc, *, numbered: bool = True) -> None:
    title(doc, "{{ agency_name }}")
    title(doc, "{{ title }}", after=6)
    if numbered:
        line(doc, "{{ number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def party_block(doc) -> None:
    raw(doc, "{%p for item in party_lines %}")
    line(doc, "{{ item }}", indent=False)
    raw(doc, "{%p endfor %}")


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def sign_off(doc) -> None:
    """The QR code and 核验码 at the left; the issuing agency, the date and the seal at the right
    (the seal covers the agency name and the date, GB/T 9704 7.3.5.1)."""
    doc.add_paragraph("")
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(60), Mm(96)
    qr = left.paragraphs[0]
    qr.add_run("{{ qr }}")
    # an exact line height would clip the image to one line
    qr.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption = left.add_paragraph("扫码核验　核验码 {{ code }}", style="文书表格")
    caption.paragraph_format.line_spacing = Pt(16)
    for run in caption.runs:
        run.font.size = Pt(10.5)
    for text in ("", "{{ agency_name }}", "（印章）", "{{ date_text }}"):
        p = right.add_paragraph(text) if text != "" else right.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def grid(doc, rows: list[tuple[str, str]], widths=(40, 116)):
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (label, value), row in zip(rows, table.rows, strict=True):
        a, b = row.cells
        a.width, b.width = Mm(widths[0]), Mm(widths[1])
        a.paragraphs[0].text = label
        a.paragraphs[0].style = doc.styles["文书表格"]
        a.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        b.paragraphs[0].text = value
        b.paragraphs[0].style = doc.styles["文书表格"]
        row.height = Mm(14)
    return table


# ---------------------------------------------------------------- the templates


def penalty_decision(doc) -> None:
    header(doc)
    party_block(doc)
    line(doc, "{{ intro }}")
    line(doc, "{{ facts }}")
    line(doc, "上述事实，主要有以下证据证明：{{ evidence }}。")
    line(doc, "{{ discretion_text }}")
    line(doc, "依据{{ basis }}的规定，本机关决定对当事人作出如下行政处罚：{{ penalty_text }}。")
    line(doc, "{{ payment_text }}")
    line(doc, "{{ remedy_text }}")
    sign_off(doc)


def no_penalty_decision(doc) -> None:
    """不予行政处罚决定书 (行政处罚法 第三十三条、第五十七条第一款第二项)."""
    header(doc)
    party_block(doc)
    line(doc, "{{ intro }}")
    line(doc, "{{ facts }}")
    line(doc, "上述事实，主要有以下证据证明：{{ evidence }}。")
    line(doc, "本机关认为，{{ reason_text }}。")
    line(doc, "依据{{ basis }}的规定，本机关决定对当事人不予行政处罚。")
    line(doc, "{{ remedy_text }}")
    sign_off(doc)


def on_spot_decision(doc) -> None:
    header(doc)
    party_block(doc)
    line(doc, "{{ facts }}")
    line(doc, "依据{{ basis }}的规定，当场作出如下行政处罚决定：{{ penalty_text }}。")
    line(doc, "{{ payment_text }}")
    line(doc, "{{ remedy_text }}")
    line(doc, "执法人员：{{ officers_text }}", indent=False)
    line(doc, "当事人签名：　　　　　　　　　　年　　月　　日", indent=False)
    sign_off(doc)


def penalty_notice(doc) -> None:
    header(doc)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "{{ notice_text }}")
    line(doc, "{{ rights_text }}")
    line(doc, "联系人：{{ officers_text }}", indent=False)
    line(doc, "联系电话：{{ agency_phone }}　地址：{{ agency_address }}", indent=False)
    sign_off(doc)


def service_receipt(doc) -> None:
    header(doc, numbered=False)
    grid(
        doc,
        [
            ("送达文书名称\n及文号", "{{ served_document }}"),
            ("受送达人", "{{ party_names }}"),
            ("送达地点", "{{ service_place }}"),
            ("送达方式", "{{ service_method }}"),
            ("受送达人签名\n或者盖章", "\n　　　　　　　　年　　月　　日"),
            ("送达人", "{{ officers_text }}"),
            ("见证人", "{{ witness }}"),
            ("备注", "{{ remark }}"),
        ],
    )
    sign_off(doc)


def acceptance_notice(doc) -> None:
    header(doc, numbered=False)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "{{ acceptance_text }}")
    line(doc, "{{ limit_text }}")
    line(doc, "{{ progress_text }}")
    line(doc, "联系电话：{{ agency_phone }}　地址：{{ agency_address }}", indent=False)
    sign_off(doc)


def review_opinion(doc) -> None:
    header(doc, numbered=False)
    line(doc, "{{ office_name }}：", indent=False)
    line(doc, "{{ review_intro }}")
    line(doc, "审核意见：{{ outcome_text }}。")
    line(doc, "理由：{{ reasons }}")
    line(doc, "{{ checklist_text }}")
    line(doc, "审核人员：{{ reviewers_text }}", indent=False)
    sign_off(doc)


def case_cover(doc) -> None:
    """卷宗封面."""
    for _ in range(3):
        doc.add_paragraph("")
    title(doc, "{{ agency_name }}")
    title(doc, "行政执法案卷", after=24)
    grid(
        doc,
        [
            ("案　　号", "{{ case_number }}"),
            ("案　　由", "{{ case_title }}"),
            ("当 事 人", "{{ party_names }}"),
            ("执法程序", "{{ procedure_name }}"),
            ("承办人员", "{{ officers_text }}"),
            ("立案日期", "{{ opened_text }}"),
            ("结案日期", "{{ closed_text }}"),
            ("卷内文件", "{{ item_count }}件，共{{ page_count }}页"),
            ("归档日期", "{{ date_text }}"),
        ],
    )


def case_index(doc) -> None:
    """卷内文件目录: one row per item with its first and last page."""
    title(doc, "卷内文件目录", after=12)
    line(doc, "案号：{{ case_number }}", indent=False)
    table = doc.add_table(rows=3, cols=5)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    heads = ("序号", "文件名称", "文号", "日期", "页号")
    widths = (14, 62, 40, 22, 18)
    rows = [
        heads,
        ("{%tr for item in items %}", "", "", "", ""),
        ("{{ item.seq }}", "{{ item.title }}", "{{ item.number }}", "{{ item.date }}", "{{ item.pages }}"),
    ]
    for values, row in zip(rows, table.rows, strict=True):
        for value, cell, width in zip(values, row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].text = value
            cell.paragraphs[0].style = doc.styles["文书表格"]
    end = table.add_row()
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    line(doc, "本目录及卷内文件的 SM3 摘要见案卷清单（manifest），可用独立核验程序核对。", indent=False)


def _looped_rows(doc, table, loop: str, cells: tuple[str, str]) -> None:
    """Rows repeated by docxtpl: ``{%tr for … %}``, the row, ``{%tr endfor %}``."""
    for values in ((loop, ""), cells, ("{%tr endfor %}", "")):
        row = table.add_row()
        for value, cell in zip(values, row.cells, strict=True):
            cell.paragraphs[0].text = value
            cell.paragraphs[0].style = doc.styles["文书表格"]
        row.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        row.height = Mm(14)  # like the rows of grid(): the opinion and its signature fit


def approval_form(doc, rows: list[tuple[str, str]]) -> None:
    """An 审批表: the case's facts, then the 承办人, 审核人 and 批准人 opinions, one row each."""
    header(doc, numbered=False)
    line(doc, "案号：{{ case_number }}", indent=False)
    table = grid(doc, rows)
    _looped_rows(doc, table, "{%tr for row in approval_rows %}", ("{{ row.label }}", "{{ row.text }}"))


def filing_approval(doc) -> None:
    """立案（不予立案）审批表."""
    approval_form(
        doc,
        [
            ("案件名称", "{{ case_title }}"),
            ("案件来源", "{{ source_text }}"),
            ("当 事 人", "{{ party_names }}"),
            ("简要案情", "{{ summary_text }}"),
            ("承办人员", "{{ officers_text }}"),
            ("处理意见", "{{ conclusion_text }}"),
        ],
    )
    sign_off(doc)


def closing_approval(doc) -> None:
    """结案审批表."""
    approval_form(
        doc,
        [
            ("案件名称", "{{ case_title }}"),
            ("当 事 人", "{{ party_names }}"),
            ("立案日期", "{{ filed_text }}"),
            ("处理结果", "{{ decision_text }}"),
            ("执行情况", "{{ performance_text }}"),
            ("结案情况", "{{ closing_text }}"),
            ("承办人员", "{{ officers_text }}"),
        ],
    )
    sign_off(doc)


def _transcript(doc, rows: list[tuple[str, str]], body_label: str) -> None:
    """A 笔录: who, when, where, the officers and their credentials, what was said or seen, and the
    signatures (《松原市行政执法全过程记录实施办法》第十二条: the party signs every page or the refusal is noted)."""
    header(doc, numbered=False)
    grid(doc, rows)
    line(doc, "{{ credentials_text }}")
    line(doc, f"{body_label}：{{{{ record_text }}}}")
    line(doc, "以上笔录已由被询问（检查）人核对，确认无误。", indent=False)
    # 25 of the line's 28 characters: the date stays on the line of the signature
    line(doc, "当事人（被询问人）签名：　　　　　　年　　月　　日", indent=False)
    line(doc, "执法人员签名：　　　　　　　　　　　年　　月　　日", indent=False)
    sign_off(doc)


def inquiry_record(doc) -> None:
    _transcript(
        doc,
        [
            ("询问时间", "{{ time_text }}"),
            ("询问地点", "{{ place_text }}"),
            ("被询问人", "{{ party_names }}"),
            ("询问人", "{{ officers_text }}"),
            ("案　　由", "{{ case_title }}"),
        ],
        "询问记录",
    )


def onsite_inspection_record(doc) -> None:
    _transcript(
        doc,
        [
            ("检查时间", "{{ time_text }}"),
            ("检查地点", "{{ place_text }}"),
            ("当 事 人", "{{ party_names }}"),
            ("到场情况", "{{ present_text }}"),
            ("检查人员", "{{ officers_text }}"),
            ("案　　由", "{{ case_title }}"),
        ],
        "现场检查（勘验）情况",
    )


def hearing_record(doc) -> None:
    _transcript(
        doc,
        [
            ("听证时间", "{{ time_text }}"),
            ("听证地点", "{{ place_text }}"),
            ("当 事 人", "{{ party_names }}"),
            ("案件调查人员", "{{ officers_text }}"),
            ("案　　由", "{{ case_title }}"),
        ],
        "听证记录",
    )


def seizure_decision(doc) -> None:
    header(doc)
    party_block(doc)
    line(
        doc,
        "本机关在查处{{ case_title }}中，依据{{ basis_text }}的规定，决定对你（单位）的下列场所、设施或者财物采取"
        "查封（扣押）的行政强制措施：{{ measure_text }}。",
    )
    line(doc, "{{ period_text }}")
    line(doc, "{{ remedy_text }}")
    line(doc, "执法人员：{{ officers_text }}", indent=False)
    sign_off(doc)


def hearing_rights_notice(doc) -> None:
    header(doc)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "本机关在查处{{ case_title }}中，{{ proposal_text }}")
    line(doc, "{{ request_text }}")
    line(doc, "联系人：{{ officers_text }}", indent=False)
    line(doc, "联系电话：{{ agency_phone }}　地址：{{ agency_address }}", indent=False)
    sign_off(doc)


def hearing_notice(doc) -> None:
    header(doc)
    line(doc, "{{ party_names }}：", indent=False)
    line(
        doc,
        "根据你（单位）的申请，本机关决定就{{ case_title }}于{{ hearing_time_text }}在{{ hearing_place_text }}举行听证，"
        "请准时出席。",
    )
    line(doc, "{{ hearing_rights_text }}")
    line(doc, "联系人：{{ officers_text }}", indent=False)
    line(doc, "联系电话：{{ agency_phone }}　地址：{{ agency_address }}", indent=False)
    sign_off(doc)


def collective_discussion(doc) -> None:
    header(doc, numbered=False)
    grid(
        doc,
        [
            ("案　　号", "{{ case_number }}"),
            ("讨论时间", "{{ time_text }}"),
            ("讨论地点", "{{ place_text }}"),
            ("参加人员", "{{ participants_text }}"),
            ("汇报人员", "{{ officers_text }}"),
        ],
    )
    line(doc, "讨论案件：{{ matter_text }}")
    line(doc, "讨论记录及结论：{{ discussion_text }}")
    line(doc, "参加人员签名：", indent=False)
    sign_off(doc)


def enforcement_reminder(doc) -> None:
    header(doc, numbered=False)  # the 催告书 is not a numbered record (sanxiang.cases.numbering)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "{{ decision_text }}已依法送达你（单位），你（单位）至今未履行下列义务：{{ duty_text }}")
    line(doc, "{{ deadline_text }}")
    line(doc, "{{ statement_text }}")
    line(doc, "联系人：{{ officers_text }}", indent=False)
    line(doc, "联系电话：{{ agency_phone }}　地址：{{ agency_address }}", indent=False)
    sign_off(doc)


def licence_decision(doc) -> None:
    header(doc)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "{{ application_text }}")
    line(doc, "{{ grant_text }}")
    line(doc, "{{ licence_text }}")
    line(doc, "{{ issuance_text }}")
    sign_off(doc)


def licence_refusal(doc) -> None:
    header(doc)
    line(doc, "{{ party_names }}：", indent=False)
    line(doc, "{{ application_text }}")
    line(doc, "{{ refusal_text }}")
    line(doc, "{{ remedy_text }}")
    sign_off(doc)


BUILDERS: dict[str, Callable] = {
    "penalty_decision": penalty_decision,
    "no_penalty_decision": no_penalty_decision,
    "on_spot_decision": on_spot_decision,
    "penalty_notice": penalty_notice,
    "service_receipt": service_receipt,
    "review_opinion": review_opinion,
    "acceptance_notice": acceptance_notice,
    "case_cover": case_cover,
    "case_index": case_index,
    "filing_approval": filing_approval,
    "closing_approval": closing_approval,
    "inquiry_record": inquiry_record,
    "onsite_inspection_record": onsite_inspection_record,
    "hearing_record": hearing_record,
    "seizure_decision": seizure_decision,
    "hearing_rights_notice": hearing_rights_notice,
    "hearing_notice": hearing_notice,
    "collective_discussion": collective_discussion,
    "enforcement_reminder": enforcement_reminder,
    "licence_decision": licence_decision,
    "licence_refusal": licence_refusal,
}


def build(key: str) -> bytes:
    doc = new_document()
    BUILDERS[key](doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def path_of(key: str) -> Path:
    return DIRECTORY / f"{key}.docx"


def main() -> None:
    DIRECTORY.mkdir(exist_ok=True)
    for key in BUILDERS:
        path_of(key).write_bytes(build(key))
        print(path_of(key))


if __name__ == "__main__":
    main()
