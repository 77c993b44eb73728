"""Rendering: a template (DOCX with docxtpl placeholders) and a context → DOCX bytes → PDF bytes.

The PDF is LibreOffice's conversion of the very DOCX that is issued (docs/decisions, 文书生成), so the
two never differ in wording or layout. Fonts named by GB/T 9704 in the template are mapped to the
installed families of ``SANXIANG_DOCUMENT_FONTS`` in every part of the rendered file.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import logging
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import jinja2
import segno
from django.conf import settings
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage


class RenderError(RuntimeError):
    """LibreOffice did not produce a PDF."""


_PARTS = re.compile(r"^word/(document|styles|footer\d*|header\d*|fontTable|numbering)\.xml$")
_QR_SIZE_MM = 26


_QR_BORDER = 2  # modules of quiet zone (a printed page has white around it too)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def qr_png(text: str) -> bytes:
    """The QR code of ``text`` (error level M) as a 1-bit PNG of 8 pixels a module: each module is one
    byte of a row, so the image is written directly (segno's PNG writer takes longer than the rest of
    a document's rendering)."""
    matrix = segno.make(text, error="m").matrix
    size = len(matrix) + 2 * _QR_BORDER
    light = b"\xff" * _QR_BORDER
    rows = []
    for line in matrix:
        row = b"\x00" + light + bytes(0 if dark else 0xFF for dark in line) + light
        rows.append(row * 8)
    blank = (b"\x00" + b"\xff" * size) * 8 * _QR_BORDER
    raw = blank + b"".join(rows) + blank
    header = struct.pack(">IIBBBBB", size * 8, size * 8, 1, 0, 0, 0, 0)  # 1-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 9))
        + _png_chunk(b"IEND", b"")
    )


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


# Parts no renderer reads: Word 2010's duplicate of styles.xml and the file manager's thumbnail.
_DROPPED = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")
# Where a part names a style: w:pStyle, w:rStyle, w:tblStyle, w:numStyleLink, w:styleLink,
# w:clickAndTypeStyle, w:defaultTableStyle (and the style's own w:basedOn, w:next, w:link).
_STYLE_REF = re.compile(r'<w:(?:\w*Style|\w*[sS]tyleLink|basedOn|next|link)\b[^>]*?\bw:val="([^"]*)"')
_STYLE = re.compile(r"<w:style\b[^>]*?(?<!/)>.*?</w:style>|<w:style\b[^>]*?/>", re.DOTALL)
_STYLE_ID = re.compile(r'\bw:styleId="([^"]*)"')
_LATENT = re.compile(r"<w:latentStyles\b.*?</w:latentStyles>|<w:latentStyles\b[^>]*/>", re.DOTALL)


def _used_styles(styles_xml: str, others: list[str]) -> str:
    """``styles.xml`` with only the styles a part uses (with the styles they are based on, link to or
    are followed by) and the defaults; Word's latent-style list (its style gallery) dropped. Word
    writes every built-in style into a new file: LibreOffice spends most of a short document's load
    on them, python-docx most of its open."""
    by_id = {}
    for m in _STYLE.finditer(styles_xml):
        found = _STYLE_ID.search(m.group(0)[: m.group(0).find(">") + 1])
        if found:
            by_id[found.group(1)] = m.group(0)
    wanted = {name for text in others for name in _STYLE_REF.findall(text)}
    wanted |= {
        sid for sid, xml in by_id.items() if re.search(r'\bw:default="(1|true|on)"', xml[: xml.find(">")])
    }
    if any("{" in name for name in wanted):  # a placeholder chooses the style: keep them all
        return _LATENT.sub("", styles_xml)
    todo = list(wanted)
    while todo:
        xml = by_id.get(todo.pop())
        for name in _STYLE_REF.findall(xml or ""):
            if name not in wanted:
                wanted.add(name)
                todo.append(name)

    def keep(m: re.Match) -> str:
        found = _STYLE_ID.search(m.group(0)[: m.group(0).find(">") + 1])
        return m.group(0) if found is None or found.group(1) in wanted else ""

    return _STYLE.sub(keep, _LATENT.sub("", styles_xml))


def slim(docx: bytes) -> bytes:
    """``docx`` without what neither Word nor LibreOffice needs to show it: unused styles, the latent
    style list, ``stylesWithEffects.xml`` and the thumbnail (their relationships and content types
    too). The text, layout and fonts are untouched."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    names = [i.filename for i in source.infolist()]
    if "word/styles.xml" not in names:
        return docx
    texts = {
        n: source.read(n).decode("utf-8")
        for n in names
        if n.endswith((".xml", ".rels")) and n not in _DROPPED and n != "word/styles.xml"
    }
    styles = _used_styles(source.read("word/styles.xml").decode("utf-8"), list(texts.values()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name = info.filename
            if name in _DROPPED:
                continue
            if name == "word/styles.xml":
                data = styles.encode("utf-8")
            elif name in texts and (name.endswith(".rels") or name == "[Content_Types].xml"):
                text = texts[name]
                for dropped in _DROPPED:
                    base = re.escape(dropped.rsplit("/", 1)[1])
                    text = re.sub(rf'<(?:Relationship|Override)\b[^>]*"(?:[^"]*/)?{base}"[^>]*/>', "", text)
                data = text.encode("utf-8")
            else:
                data = source.read(name)
            target.writestr(info, data)
    return out.getvalue()


@functools.lru_cache(maxsize=64)
def _mapped_template(template: bytes, mapping: tuple[tuple[str, str], ...]) -> bytes:
    """The template with its faces mapped and its unused styles dropped (:func:`slim`), once per
    template and mapping (a placeholder never names a font, so mapping the template is mapping every
    document rendered from it)."""
    return slim(map_fonts(template, dict(mapping)))


class _CompiledOnce(jinja2.Environment):
    """docxtpl compiles each XML part of the template on every render; the parts of a template are
    the same text every time, so each is compiled once (a compiled Jinja template renders any number
    of contexts, from any thread)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        found = self._compiled.get(source)
        if found is None:
            if len(self._compiled) > 256:
                self._compiled.clear()
            found = self._compiled[source] = super().from_string(source)
        return found


_jinja = _CompiledOnce()


def render_docx(template: bytes, context: dict[str, Any], *, qr_text: str = "") -> bytes:
    mapping = tuple(sorted(settings.SANXIANG_DOCUMENT_FONTS.items()))
    doc = DocxTemplate(io.BytesIO(_mapped_template(bytes(template), mapping)))
    values = dict(context)
    if qr_text:
        values["qr"] = InlineImage(doc, io.BytesIO(qr_png(qr_text)), width=Mm(_QR_SIZE_MM))
    doc.render(values, jinja_env=_jinja, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_profile_lock = threading.Lock()
_start_lock = threading.Lock()
log = logging.getLogger(__name__)
_HEADER = struct.Struct(">Q")
_servers: dict[int, subprocess.Popen] = {}  # the resident converters this process started, by pid


def _profile_dir(name: str = "") -> Path:
    # One LibreOffice profile per process: two soffice runs sharing a profile block each other.
    path = Path(settings.VAR_DIR) / "libreoffice" / (name or f"profile-{os.getpid()}")
    path.mkdir(parents=True, exist_ok=True)
    return path


def to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """The PDF of ``docx``: through the resident converter (``pdfserver``, started the first time),
    else — no ``SANXIANG_UNO_PYTHON``, or it cannot start or answer — by a one-shot
    ``soffice --convert-to pdf``. Both are LibreOffice's writer_pdf_Export of the same file."""
    if settings.SANXIANG_UNO_PYTHON:
        try:
            return _resident_pdf(docx, timeout=timeout)
        except (OSError, RenderError) as exc:
            log.warning("resident PDF converter unavailable, converting one-shot: %s", exc)
    return _oneshot_pdf(docx, timeout=timeout)


def _socket_path() -> str:
    path = Path(settings.VAR_DIR) / "libreoffice" / "pdfserver.sock"
    if len(str(path)) < 100:  # a Unix socket's path is at most 107 bytes
        return str(path)
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    return str(Path(tempfile.gettempdir()) / f"sanxiang-pdfserver-{digest}.sock")


def _ask(path: str, docx: bytes, timeout: int) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(path)
        conn.sendall(_HEADER.pack(len(docx)) + docx)
        reply = conn.makefile("rb")
        status, head = reply.read(1), reply.read(_HEADER.size)
        if len(head) != _HEADER.size:
            raise RenderError("resident converter: no answer")
        size = _HEADER.unpack(head)[0]
        body = reply.read(size)
    if status != b"0" or len(body) != size:
        raise RenderError(f"resident converter: {body.decode(errors='replace')[-500:]}")
    return body


def resident_stop() -> bool:
    """Stop the resident converter of this ``VAR_DIR`` now (it also stops by itself when idle). On
    True it has exited: LibreOffice with it, its socket removed (nobody can start another meanwhile:
    this holds the start lock)."""
    path = _socket_path()
    if not os.path.exists(path):
        return False
    with _start_lock, open(_profile_dir().parent / "pdfserver.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(60)
                conn.connect(path)
                conn.sendall(_HEADER.pack(0))
                reply = conn.makefile("rb")
                status, head = reply.read(1), reply.read(_HEADER.size)
                body = reply.read(_HEADER.unpack(head)[0]) if len(head) == _HEADER.size else b""
        except OSError:
            return False
        if status != b"0":
            return False
        _wait_exited(int(body) if body.isdigit() else 0)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # the server removes it before answering; one that died may have left it
        return True


def _wait_exited(pid: int, timeout: float = 30) -> None:
    """Wait for the stopped server ``pid`` to exit (reaped when this process started it)."""
    server = _servers.pop(pid, None)
    if server is not None:
        try:
            server.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return
    deadline = time.monotonic() + timeout
    while pid and time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            return  # gone
        if state in ("Z", "X"):
            return  # exited, waiting to be reaped by the process that started it
        time.sleep(0.02)


def _resident_pdf(docx: bytes, *, timeout: int) -> bytes:
    path = _socket_path()
    try:
        return _ask(path, docx, timeout)
    except (ConnectionRefusedError, FileNotFoundError):
        pass  # not running: start it (once across this machine's processes: a file lock)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with _start_lock, open(_profile_dir().parent / "pdfserver.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _ask(path, docx, timeout)  # another process started it meanwhile
        except (ConnectionRefusedError, FileNotFoundError):
            pass
        _start_server(path)
    return _ask(path, docx, timeout)


def _start_server(path: str) -> None:
    """Start ``pdfserver`` detached (it outlives this process and stops when idle) and wait until it
    answers; RenderError when it exits or does not answer in ``SANXIANG_PDF_SERVER_START_S``."""
    var = Path(settings.VAR_DIR) / "libreoffice"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by a server that died (the caller holds the lock and was refused)
    with open(var / "pdfserver.log", "ab") as errors:
        server = subprocess.Popen(
            [
                settings.SANXIANG_UNO_PYTHON,
                "-I",  # isolated: this directory (its selectors.py) must not shadow the standard library
                str(Path(__file__).with_name("pdfserver.py")),
                "--socket",
                path,
                "--soffice",
                settings.SANXIANG_SOFFICE,
                "--profile",
                str(_profile_dir("resident")),
                "--idle",
                str(settings.SANXIANG_PDF_SERVER_IDLE_S),
                "--start-timeout",
                str(settings.SANXIANG_PDF_SERVER_START_S),
            ],
            stdin=subprocess.DEVNULL,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
        )
    for pid in [pid for pid, old in _servers.items() if old.poll() is not None]:
        del _servers[pid]  # stopped when idle, now reaped
    _servers[server.pid] = server
    deadline = time.monotonic() + settings.SANXIANG_PDF_SERVER_START_S
    while not os.path.exists(path):
        if server.poll() is not None:
            raise RenderError(f"resident converter exited ({server.returncode}), see {var / 'pdfserver.log'}")
        if time.monotonic() > deadline:
            raise RenderError("resident converter did not start in time")
        time.sleep(0.05)


def _oneshot_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """Convert with LibreOffice headless (``soffice --convert-to pdf``), starting it for this file."""
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
