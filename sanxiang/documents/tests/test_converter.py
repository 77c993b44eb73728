"""The resident PDF converter: started by the first PDF, reused by the next, stopped on request; and
the one-shot conversion when it cannot run. Both give LibreOffice's PDF of the same DOCX."""

from __future__ import annotations

import io
import os

from pypdf import PdfReader

from sanxiang.documents import render, shipped

from .conftest import EXT_B_NAME


def _docx() -> bytes:
    context = {
        "agency_name": "松原市宁江区市场监督管理局",
        "title": "送达回证",
        "served_document": "行政处罚决定书 宁市监罚〔2026〕1号",
        "party_names": EXT_B_NAME,
        "service_place": "吉林省松原市宁江区民主路88号",
        "service_method": "直接送达",
        "officers_text": "甲执法员（执法证号 22070001）",
        "witness": "无",
        "remark": "无",
        "date_text": "2026年3月20日",
        "code": "TESTCODE23",
    }
    return render.render_docx(shipped.path_of("service_receipt").read_bytes(), context, qr_text="http://x/")


def _pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF-")
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_first_pdf_starts_the_resident_converter_and_the_next_one_reuses_it(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    docx = _docx()
    try:
        assert _pages(render.to_pdf(docx)) == 1
        socket_path = render._socket_path()
        assert os.path.exists(socket_path)  # it stays after the first PDF …
        first = os.stat(socket_path).st_ino
        assert _pages(render.to_pdf(docx)) == 1
        assert os.stat(socket_path).st_ino == first  # … and the second PDF went through the same server
    finally:
        assert render.resident_stop()
    assert not os.path.exists(render._socket_path())


def test_without_a_python_that_has_uno_every_pdf_is_a_one_shot_conversion(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.SANXIANG_UNO_PYTHON = str(tmp_path / "no-such-python")
    assert _pages(render.to_pdf(_docx())) == 1
    assert not os.path.exists(render._socket_path())
