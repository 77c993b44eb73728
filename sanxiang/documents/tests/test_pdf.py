"""The issued 行政处罚决定书 read back as a PDF: GB/T 9704 page and 版心, embedded fonts, a name with a
CJK Extension B character, the QR code decoding to the verify link, and a flipped byte failing."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from sanxiang.documents import selectors, services
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.verifier import ProofError, sm2_verify, sm3

from .conftest import EXT_B_NAME

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
TOLERANCE = 1.5 * MM  # glyph side bearings and rounding


@pytest.fixture
def issued(general_case, handler):
    doc = services.document_issue(actor=handler, case=general_case, kind="penalty_decision")
    with get_storage().open(doc.pdf_sm3) as f:
        return doc, f.read()


def _fonts(reader: PdfReader) -> dict[str, dict]:
    found = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font["/BaseFont"])] = {
                "embedded": any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")),
                "tounicode": font["/ToUnicode"].get_object().get_data().decode("latin-1")
                if "/ToUnicode" in font
                else "",
            }
    return found


def test_the_decision_pdf_is_a4_with_the_gbt9704_type_area(issued):
    # 《党政机关公文格式》(GB/T 9704—2012) 5.2.1, 5.2.2: A4; 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm
    _doc, pdf = issued
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 210 * MM) < 1 and abs(height - 297 * MM) < 1
    positions: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            positions.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    body = [(x, y) for x, y in positions if y > (297 - 37 - 225) * MM]  # above the footer (页码)
    assert body
    assert min(x for x, _ in body) >= 28 * MM - TOLERANCE  # 订口
    assert max(x for x, _ in body) <= (28 + 156) * MM + TOLERANCE
    assert max(y for _, y in body) <= (297 - 37) * MM + TOLERANCE  # 天头


def test_every_font_is_embedded_and_the_body_and_title_faces_are_the_mapped_ones(issued, settings):
    _doc, pdf = issued
    fonts = _fonts(PdfReader(io.BytesIO(pdf)))
    assert fonts and all(f["embedded"] for f in fonts.values()), fonts
    names = " ".join(fonts)
    assert "UKai" in names  # 仿宋_GB2312 → AR PL UKai CN (SANXIANG_DOCUMENT_FONTS)
    assert "NotoSerifCJK" in names  # 方正小标宋简体 → Noto Serif CJK SC


def _maps(tounicode: str, char: str) -> bool:
    utf16 = char.encode("utf-16-be").hex().upper()
    for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", tounicode):
        if value.upper() == utf16 and int(code, 16) != 0:  # glyph 0 would be .notdef (an empty box)
            return True
    for start, _end, value in re.findall(
        r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", tounicode
    ):
        if value.upper() == utf16 and int(start, 16) != 0:
            return True
    return False


def test_a_party_name_with_an_extension_b_character_is_drawn_with_a_real_glyph(issued):
    _doc, pdf = issued
    reader = PdfReader(io.BytesIO(pdf))
    assert EXT_B_NAME in reader.pages[0].extract_text()
    fonts = _fonts(reader)
    carrying = [name for name, f in fonts.items() if _maps(f["tounicode"], "𠀾")]
    assert carrying, "no embedded font maps U+2003E to a glyph"
    assert all(fonts[name]["embedded"] for name in carrying)


def test_the_qr_code_decodes_to_the_verify_link_of_the_document(issued, tmp_path):
    doc, pdf = issued
    (tmp_path / "d.pdf").write_bytes(pdf)
    last = f"{doc.pages}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            last,
            "-l",
            last,
            str(tmp_path / "d.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = next(tmp_path.glob("p-*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == services.verify_url(doc.code)
    assert f"code={doc.code}" in out.stdout


def test_the_issued_file_verifies_and_a_flipped_byte_does_not(issued):
    doc, pdf = issued
    good = selectors.verify(doc.code, pdf)
    assert good.signature_ok and good.matches == "pdf"
    flipped = bytearray(pdf)
    flipped[len(flipped) // 2] ^= 0x01
    bad = selectors.verify(doc.code, bytes(flipped))
    assert bad.matches == "" and bad.uploaded_sm3 != doc.pdf_sm3
    payload = good.entry.fields["payload"]
    with pytest.raises(ProofError):  # offline: the signature covers the original digest only
        sm2_verify(payload["public_key"], sm3(bytes(flipped)), doc.signature)


def test_the_public_verify_page_answers_in_chinese_for_the_file_and_for_an_unknown_code(issued, anonymous):
    doc, pdf = issued
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = anonymous.post("/verify/document/", {"code": doc.code, "file": SimpleUploadedFile("d.pdf", pdf)})
    text = page.content.decode()
    assert "核验通过" in text and "完全一致" in text and doc.number in text
    tampered = bytearray(pdf)
    tampered[100] ^= 0x80
    page = anonymous.post(
        "/verify/document/", {"code": doc.code, "file": SimpleUploadedFile("d.pdf", bytes(tampered))}
    )
    assert "不是签发的原件" in page.content.decode()
    assert "未找到" in anonymous.get("/verify/document/?code=NOSUCHCODE").content.decode()
