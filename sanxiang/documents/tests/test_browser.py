"""In a real browser: an officer generates the 送达回证 of a case, opens it to print, and uploads the
scan signed by the party (and, on a phone, signs on the screen); the public scans the QR code of the
行政处罚决定书, verifies the file it holds and downloads its 存证包 for the offline check. Desktop and a 360 px phone, no horizontal overflow.
Screenshots: var/test-artifacts/documents/."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from sanxiang.cases.tests.test_browser import PASSWORD
from sanxiang.documents import services
from sanxiang.documents.models import IssuedDocument, PartySignature
from sanxiang.ledger import services as ledger_services
from sanxiang.ledger.storage import get_storage
from sanxiang.ledger.verifier import verify_bundle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "documents"


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _scan(tmp_path) -> Path:
    path = tmp_path / "signed.png"
    Image.new("RGB", (600, 800), "white").save(path, "PNG")
    return path


@pytest.mark.usefixtures("flushable")
@pytest.mark.parametrize("width", [360, 1280])
def test_an_officer_generates_prints_and_uploads_the_signed_service_receipt(
    live_server, page, general_case, handler, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(
        120_000
    )  # generating converts with LibreOffice (its profile is made on first use)
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill(handler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()
    page.goto(f"{live_server.url}/staff/cases/{general_case.public_id}/")
    page.get_by_role("link", name="文书：预览、生成、下载、打印").click()
    page.get_by_role("heading", name="执法文书").wait_for()
    assert _overflow(page) <= 0
    _shot(page, f"case-documents-{width}")
    receipt = page.locator("section[data-kind=service_receipt]")
    receipt.get_by_role("button", name="生成并存证").click()
    page.get_by_role("heading", name="送达回证").wait_for()
    assert "待当事人签名" in page.locator("#signature-state").inner_text()
    doc = IssuedDocument.objects.get(case=general_case, kind="service_receipt")
    printed = page.request.get(live_server.url + page.locator("#print").get_attribute("href"))
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    assert printed.headers["content-disposition"].startswith("inline")
    assert _overflow(page) <= 0
    _shot(page, f"service-receipt-{width}")
    if width == 360:  # on the phone: the party signs on the screen
        page.locator("#hand-signer").fill("张𡈽")
        page.locator("#signature-pad").scroll_into_view_if_needed()
        box = page.locator("#signature-pad").bounding_box()  # in the viewport: the mouse draws there
        page.mouse.move(box["x"] + 20, box["y"] + 30)
        page.mouse.down()
        page.mouse.move(box["x"] + 150, box["y"] + 80, steps=8)
        page.mouse.move(box["x"] + 250, box["y"] + 40, steps=8)
        page.mouse.up()
        page.locator("#sign-hand").get_by_role("button", name="确认签名").click()
        expected = PartySignature.Method.HANDWRITTEN
    else:
        page.locator("#scan-signer").fill("张𡈽")
        page.locator("#scan-file").set_input_files(str(_scan(tmp_path)))
        page.locator("#sign-scan").get_by_role("button", name="上传").click()
        expected = PartySignature.Method.SCAN
    page.locator("#signature-state").filter(has_text="已签名").wait_for()
    signature = PartySignature.objects.get(document=doc)
    assert signature.method == expected and signature.blob_sm3
    with get_storage().open(signature.blob_sm3) as f:
        assert f.read().startswith(b"\x89PNG")
    _shot(page, f"service-receipt-signed-{width}")


@pytest.mark.usefixtures("flushable")
@pytest.mark.parametrize("width", [360, 1280])
def test_the_public_verifies_the_decision_by_its_qr_code(
    live_server, page, general_case, handler, width, tmp_path, settings
):
    settings.SANXIANG_PUBLIC_URL = live_server.url
    doc = services.document_issue(actor=handler, case=general_case, kind="penalty_decision")
    with get_storage().open(doc.pdf_sm3) as f:
        pdf = f.read()
    (tmp_path / "d.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-f",
            str(doc.pages),
            "-l",
            str(doc.pages),
            str(tmp_path / "d.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("p-*.png")))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert scanned.startswith(live_server.url + "/verify/document/")
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(60_000)
    page.goto(scanned)
    page.locator("#file").set_input_files(str(tmp_path / "d.pdf"))
    page.get_by_role("button", name="核验").click()
    assert "核验通过" in page.locator("#verdict").inner_text()
    assert "完全一致" in page.locator("#file-verdict").inner_text()
    assert doc.number in page.content()
    assert _overflow(page) <= 0
    _shot(page, f"verify-{width}")
    # the 存证包 for checking offline, downloaded from the same page
    ledger_services.checkpoint_create()
    with page.expect_download() as download:
        page.locator("#bundle").click()
    assert download.value.suggested_filename == f"存证包-{doc.number}.zip"
    download.value.save_as(tmp_path / "bundle.zip")
    zipfile.ZipFile(tmp_path / "bundle.zip").extractall(tmp_path / "bundle")
    folder = tmp_path / "bundle" / f"存证包-{doc.code}"
    key = (folder / "document_key.hex").read_text()
    assert any(
        "SM2 signature over the PDF's SM3 valid" in line for line in verify_bundle(folder, document_key=key)
    )
    flipped = bytearray(pdf)
    flipped[len(flipped) // 3] ^= 0x01
    (tmp_path / "flipped.pdf").write_bytes(bytes(flipped))
    page.locator("#file").set_input_files(str(tmp_path / "flipped.pdf"))
    page.get_by_role("button", name="核验").click()
    assert "不是签发的原件" in page.locator("#file-verdict").inner_text()
