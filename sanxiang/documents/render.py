"""Rendering: a template (DOCX with docxtpl placeholders) and a context → DOCX bytes → PDF bytes.

The PDF is LibreOffice's conversion of the very DOCX that is issued (docs/decisions, 文书生成), so the
two never differ in wording or layout. Fonts named by GB/T 9704 in the template are mapped to the
installed families of ``SANXIANG_DOCUMENT_FONTS`` in every part of the rendered file.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage


class RenderError(RuntimeError):
    """LibreOffice did not produce a PDF."""


_PARTS = re.compile(r"^word/(document|styles|footer\d*|header\d*|fontTable|numbering)\.xml$")
_QR_SIZE_MM = 26


def qr_png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def map_fonts(docx: bytes, mapping: dict[str, str] | None = None) -> bytes:
    """Replace each GB/T 9704 face name by its installed family in every XML part."""
    mapping = settings.SANXIANG_DOCUMENT_FONTS if mapping is None else mapping
    if not mapping:
        return docx
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if _PARTS.match(info.filename):
                text = data.decode("utf-8")
                for name, family in mapping.items():
                    text = text.replace(f'"{name}"', f'"{family}"')
                data = text.encode("utf-8")
            target.writestr(info, data)
    return out.getvalue()


def undeclared(template: bytes) -> set[str]:
    """The names the template's placeholders use."""
    return DocxTemplate(io.BytesIO(template)).get_undeclared_template_variables()


def render_docx(template: bytes, context: dict[str, Any], *, qr_text: str = "") -> bytes:
    doc = DocxTemplate(io.BytesIO(template))
    values = dict(context)
    if qr_text:
        values["qr"] = InlineImage(doc, io.BytesIO(qr_png(qr_text)), width=Mm(_QR_SIZE_MM))
    doc.render(values, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return map_fonts(out.getvalue())


_profile_lock = threading.Lock()


def _profile_dir() -> Path:
    # One LibreOffice profile per process: two soffice runs sharing a profile block each other.
    path = Path(settings.VAR_DIR) / "libreoffice" / f"profile-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """Convert with LibreOffice headless (``soffice --convert-to pdf``)."""
    with _profile_lock, tempfile.TemporaryDirectory(prefix="sanxiang-doc-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        command = [
            settings.SANXIANG_SOFFICE,
            f"-env:UserInstallation=file://{_profile_dir()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderError(f"LibreOffice: {exc}") from exc
        target = Path(tmp) / "document.pdf"
        if done.returncode != 0 or not target.exists():
            raise RenderError(
                f"LibreOffice exit {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}"
            )
        return target.read_bytes()


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
