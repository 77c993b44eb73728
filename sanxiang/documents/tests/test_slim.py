"""``render.slim``: a template loses the Word styles no part uses (and the parts no renderer reads),
never one that a paragraph, a run, a table, the numbering or another kept style refers to."""

from __future__ import annotations

import io
import re
import zipfile

from sanxiang.documents import render, shipped

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
    '<w:docDefaults/><w:latentStyles w:count="2"><w:lsdException w:name="Normal"/></w:latentStyles>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Used"><w:basedOn w:val="Base"/><w:link w:val="UsedChar"/></w:style>'
    '<w:style w:type="character" w:styleId="UsedChar"><w:name w:val="Used Char"/></w:style>'
    '<w:style w:type="character" w:styleId="Empty"/>'
    '<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Unused"><w:name w:val="Unused"/></w:style>'
    "</w:styles>"
)
DOCUMENT = (
    f"<w:document {W}><w:body>"
    '<w:p><w:pPr><w:pStyle w:val="Used"/></w:pPr></w:p>'
    '<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr></w:tbl>'
    "</w:body></w:document>"
)


def _docx(styles: str, document: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", styles)
    return out.getvalue()


def _ids(docx: bytes) -> set[str]:
    styles = zipfile.ZipFile(io.BytesIO(docx)).read("word/styles.xml").decode()
    return set(re.findall(r'w:styleId="([^"]+)"', styles))


def test_unused_styles_go_and_every_referenced_one_stays():
    slim = render.slim(_docx(STYLES, DOCUMENT))
    assert _ids(slim) == {"Normal", "Base", "Used", "UsedChar", "Grid"}
    assert b"latentStyles" not in zipfile.ZipFile(io.BytesIO(slim)).read("word/styles.xml")


def test_a_placeholder_choosing_the_style_keeps_them_all():
    document = DOCUMENT.replace('w:val="Used"', 'w:val="{{ style }}"')
    assert "Unused" in _ids(render.slim(_docx(STYLES, document)))


def test_the_shipped_decision_keeps_its_text_and_styles_and_drops_the_duplicates():
    original = shipped.path_of("penalty_decision").read_bytes()
    slim = render.slim(original)
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(slim))
    assert before.read("word/document.xml") == after.read("word/document.xml")
    assert {"文书标题", "文书页码", "文书表格", "Normal"} <= _ids(slim)
    assert "word/stylesWithEffects.xml" not in after.namelist()
    assert b"stylesWithEffects" not in after.read("word/_rels/document.xml.rels")
    assert len(after.read("word/styles.xml")) < len(before.read("word/styles.xml")) // 20
