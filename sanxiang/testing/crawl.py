"""The checks of the page crawls (sanxiang/review/tests/test_browser_crawl.py and
sanxiang/testing/tests/test_browser_crawl_all.py), kept in one place: what counts as English UI text, an
internal key or a placeholder, which links are followed, and one page's check at both widths."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "crawl"
WIDTHS = (1366, 360)
# Internal keys and placeholders that must never reach a page.
KEYS = re.compile(
    r"filing_approval|decision_approval|investigation_report|inquiry_record|penalty_general|legal_review"
    r"|DEMO-CF-|seed|其他执法决定决定|None|\{'|\[\]"
)
# Latin words a Chinese page may show: units, standards, identifiers.
ALLOWED = {"SM3", "SHA", "PDF", "KB", "MB", "GB", "API", "GB/T", "JSON", "XLSX", "CSV", "URL"}
# Names of formats, standards and tools the pages mention by name (订阅 Atom, Mermaid 文本,
# RFC 9162, OpenSSL): proper nouns, not UI words. Commands and hashes in <pre>/<code> are not UI text.
ALLOWED |= {"ATOM", "MERMAID", "RFC", "OPENSSL", "SM2", "SVG", "PEM", "DER", "UTC", "DOCX", "HTTP", "C2SP"}
# drand: the public randomness beacon a 双随机 draw names as its source (a proper noun).
ALLOWED |= {"DRAND"}
# The demo's recording devices: a model name (DSJ-V9) and serial numbers (ZFJLY-…) are data of the register.
ALLOWED |= {"DSJ", "ZFJLY"}
# Character encodings an import form names as Excel's “另存为” does: UTF-8 beside GB18030 (a standard).
ALLOWED |= {"UTF"}
# The word processor the 文书模板 page names (金山 WPS 文字, the one most agencies use): a product's name.
ALLOWED |= {"WPS"}
ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b")
# Downloads and files are not pages; logging out would end the crawl.
SKIP = re.compile(
    r"\.(csv|xlsx|atom|json|svg|png|pdf|docx|webm|mp4)$|/files/|/file\.|/content|/export|/download"
    r"|/api/|/logout/"
)
SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d+")
# The page's prose: commands, hashes and signed texts in <pre>/<code>/<kbd>/<samp> are not UI text.
PROSE = """() => {
  const hidden = [...document.querySelectorAll('pre, code, kbd, samp')].map(e => [e, e.style.display]);
  hidden.forEach(([e]) => { e.style.display = 'none'; });
  const text = document.body.innerText;
  hidden.forEach(([e, d]) => { e.style.display = d; });
  return text;
}"""
# Addresses, paths and file names printed for machines or to be typed (/api/ledger/checkpoints,
# http://…/verify/?number=…, checkpoint.json) and named formats (C2SP tlog-tiles) are not UI words.
MACHINE = re.compile(r"\S*(?:/|=|[A-Za-z0-9]\.[A-Za-z0-9])\S*|\btlog-\w+")
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def visible_problems(text: str) -> list[str]:
    """Internal keys, placeholders and English words in a page's visible text."""
    found = [m.group(0) for m in KEYS.finditer(text)]
    found += [w for w in ENGLISH.findall(text) if w.upper() not in ALLOWED]
    return sorted(set(found))


def shape(url: str) -> str:
    """The URL with its ids replaced: one page of each shape is enough."""
    return SHAPE.sub("N", url.split("#")[0])


def links(page, prefixes: tuple[str, ...]) -> list[str]:
    """Same-site links of the page under ``prefixes`` (downloads — a file path or ``?format=`` — and
    logout left out)."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    origin = page.evaluate("location.origin")
    out = []
    for href in hrefs:
        if not href.startswith(origin):
            continue
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path.startswith(prefixes) and not SKIP.search(parts.path) and "format=" not in parts.query:
            out.append(path)
    return out


def screenshot(page, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    file = re.sub(r"\W+", "-", name)[:120]
    page.screenshot(path=str(folder / f"{file}.png"), full_page=True)


def check_loaded(page, url: str, who: str, problems: list[str], *, phone_shots: Path | None = None) -> None:
    """The checks of a loaded page at 1366 px, then (same page, re-laid out) at 360 px: no English UI
    text, internal key or placeholder, no horizontal overflow. Failures are screenshotted."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(OVERFLOW)
        found = visible_problems(MACHINE.sub(" ", page.evaluate(PROSE)))
        if found or overflow > 0:
            screenshot(page, ARTIFACTS, f"{who}-{width}-{url}")
            problems.append(f"{who} {width} {url}: {found} overflow={overflow}")
        elif width == WIDTHS[-1] and phone_shots is not None:
            screenshot(page, phone_shots, f"{who}-{url}")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
