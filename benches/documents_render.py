"""Benchmark ``documents_render``: the 行政处罚决定书 as DOCX and as PDF, and a 200-page 案卷 PDF, each
beside the library's own hello-world in the same run.

- ``docx_decision_ms``: docxtpl rendering of the shipped 决定书 template with a full context (parties,
  facts, evidence, penalty, periods, QR code), the font mapping and the unused styles dropped
  (``render.slim``, both once per template); ``docx_hello_ms``: docxtpl
  rendering a one-paragraph "Hello {{ name }}" template. Target: 决定书 DOCX < 200 ms.
- ``pdf_decision_ms``: ``render.to_pdf`` of that DOCX through the resident converter (one LibreOffice
  kept running and driven over UNO, ``sanxiang/documents/pdfserver.py``; its start is the warm-up);
  ``pdf_hello_ms``: the same conversion of the hello-world DOCX. Target: 决定书 PDF < 1 s.
  ``pdf_decision_oneshot_ms``: the fallback, ``soffice --headless --convert-to pdf`` starting
  LibreOffice for the one file (a warm profile), 3 rounds.
- ``case_file_200_pages_s``: a 200-page 案卷 as the export builds it — 卷宗封面 and 卷内文件目录 rendered
  and converted, then 100 two-page documents merged with pypdf. Target < 20 s.

Medians of ``--rows`` rounds (default 5) after one warm-up round (which creates the LibreOffice
profile). No database: rendering needs settings only.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from typing import Any

DEFAULT_ROUNDS = 5


def _ms(fn, rounds: int) -> tuple[float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), result


def _context() -> dict[str, Any]:
    return {
        "agency_name": "松原市宁江区市场监督管理局",
        "title": "行政处罚决定书",
        "number": "宁市监罚〔2026〕12号",
        "party_lines": [
            "当事人：松原市宁江区𠀾记超市有限公司",
            "统一社会信用代码：91220702000000017X",
            "法定代表人（负责人）：张𡈽",
            "住所（住址）：吉林省松原市宁江区民主路88号",
        ],
        "intro": "本机关于2026年3月2日对宁江区某某超市销售过期食品案立案调查，现已调查终结。",
        "facts": "经查，当事人于2026年2月在其经营场所销售超过保质期的食品，货值金额共计1280元。" * 2,
        "evidence": "现场检查笔录、询问笔录、进货单据复印件及现场音像记录",
        "discretion_text": "根据本机关行政处罚裁量基准，当事人初次违法且主动改正，依法从轻处罚。",
        "basis": "《中华人民共和国食品安全法》第一百二十四条第一款",
        "penalty_text": "没收违法所得、罚款8000元",
        "payment_text": "当事人应当自收到本决定书之日起15日内缴纳罚款（《中华人民共和国行政处罚法》第六十七条第三款）。",
        "remedy_text": "当事人如不服本决定，可以在收到本决定书之日起60日内依法申请行政复议。",
        "date_text": "2026年3月20日",
        "code": "H3BRNNFUGL",
    }


def _hello_template() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("Hello {{ name }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def measure(rounds: int) -> dict[str, Any]:
    from docxtpl import DocxTemplate
    from pypdf import PdfReader, PdfWriter

    from sanxiang.documents import render, shipped

    template = shipped.path_of("penalty_decision").read_bytes()
    hello = _hello_template()
    context = _context()
    link = "http://127.0.0.1:8000/verify/document/?code=H3BRNNFUGL"

    def hello_docx() -> bytes:
        doc = DocxTemplate(io.BytesIO(hello))
        doc.render({"name": "世界"})
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    docx_hello, hello_file = _ms(hello_docx, rounds)
    docx_decision, decision_file = _ms(lambda: render.render_docx(template, context, qr_text=link), rounds)
    pdf_hello, _ = _ms(lambda: render.to_pdf(hello_file), rounds)
    pdf_decision, decision_pdf = _ms(lambda: render.to_pdf(decision_file), rounds)
    pdf_oneshot, _ = _ms(lambda: render._oneshot_pdf(decision_file), 3)
    pages = render.page_count(decision_pdf)

    def case_file() -> int:
        cover = render.to_pdf(render.render_docx(shipped.path_of("case_cover").read_bytes(), context))
        rows = [
            {
                "seq": str(n),
                "title": "行政处罚决定书",
                "number": f"宁市监罚〔2026〕{n}号",
                "date": "2026.03.20",
                "pages": "—",
            }
            for n in range(1, 101)
        ]
        index = render.to_pdf(
            render.render_docx(
                shipped.path_of("case_index").read_bytes(),
                {**context, "case_number": "罚〔2026〕1号", "items": rows},
            )
        )
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(cover)))
        writer.append(PdfReader(io.BytesIO(index)))
        copies = 0
        while len(writer.pages) < 200:
            writer.append(PdfReader(io.BytesIO(decision_pdf)))
            copies += 1
        out = io.BytesIO()
        writer.write(out)
        return len(PdfReader(io.BytesIO(out.getvalue())).pages)

    t0 = time.perf_counter()
    case_file_pages = case_file()
    case_file_s = round(time.perf_counter() - t0, 2)
    return {
        "rounds": rounds,
        "docx_hello_ms": docx_hello,
        "docx_decision_ms": docx_decision,
        "docx_target_ms": 200,
        "docx_met": docx_decision < 200,
        "pdf_hello_ms": pdf_hello,
        "pdf_decision_ms": pdf_decision,
        "pdf_decision_pages": pages,
        "pdf_decision_oneshot_ms": pdf_oneshot,
        "pdf_target_ms": 1000,
        "pdf_met": pdf_decision < 1000,
        "case_file_pages": case_file_pages,
        "case_file_200_pages_s": case_file_s,
        "case_file_target_s": 20,
        "case_file_met": case_file_s < 20,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="sanxiang-bench-documents-")
    os.environ.setdefault("SANXIANG_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    rounds = int(os.environ.get("SANXIANG_BENCH_ROWS") or DEFAULT_ROUNDS)
    from sanxiang.documents import render

    try:
        print(json.dumps(measure(rounds), ensure_ascii=False))
    finally:
        render.resident_stop()


if __name__ == "__main__":
    main()
