"""Document verification by QR code (issue 7 §10: 输入文书号或扫描二维码): the decision page and the
verification page show a server-rendered SVG QR code of the absolute /verify/?number=… link."""

import re
from urllib.parse import quote

import pytest
import segno

from sanxiang.disclosure.models import PublicDecision
from sanxiang.disclosure.tests.conftest import penalty_fields

pytestmark = pytest.mark.django_db

NUMBER = "宁市监处罚〔2026〕77号"
# What a phone must open: the absolute link, the number percent-encoded as UTF-8 (RFC 3986).
EXPECTED = "http://testserver/verify/?number=" + quote(NUMBER, safe="")


def modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules drawn by the SVG path (segno draws each row as runs: M/m moves, h lines)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(x) + i, int(y)) for i in range(int(a)))
            x += float(a)
    return dark


def qr_modules(text: str) -> set[tuple[int, int]]:
    code = segno.make(text, error="m")
    return {(c + 4, r + 4) for r, row in enumerate(code.matrix) for c, v in enumerate(row) if v}


def _svg(html: str) -> str:
    return re.search(r'<figure class="verify-qr".*?(<svg.*?</svg>)', html, re.S).group(1)


@pytest.fixture
def published(make_duty, company, publish):
    return publish(make_duty(party=company, fields=penalty_fields(document_number=NUMBER)))


def test_the_decision_page_shows_a_qr_code_of_its_verification_link(client, published):
    row = PublicDecision.objects.get(duty=published)
    html = client.get(f"/decisions/{row.public_id}/").content.decode()
    svg = _svg(html)
    assert modules(svg) == qr_modules(EXPECTED)  # the code encodes exactly the absolute link
    assert modules(svg) != qr_modules(EXPECTED.replace("77", "78"))  # and not another number's
    assert f'href="{EXPECTED}"' in html and f">{EXPECTED}</a>" in html  # the link, for those who cannot scan


def test_the_verification_page_shows_the_qr_code_of_an_authentic_document_only(client, published):
    html = client.get("/verify/", {"number": NUMBER}).content.decode()
    assert "真实有效" in html and modules(_svg(html)) == qr_modules(EXPECTED)
    missing = client.get("/verify/", {"number": "宁市监处罚〔2026〕999号"}).content.decode()
    assert "未找到正在公示" in missing and "verify-qr" not in missing
