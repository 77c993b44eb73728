"""Signatures of parties (《松原市行政执法全过程记录实施办法》第十二条) and the 案卷 export."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader

from sanxiang.documents import casefile, services
from sanxiang.documents.models import PartySignature
from sanxiang.errors import InvalidInput
from sanxiang.ledger.verifier import sm3

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(out, "PNG")
    return out.getvalue()


def test_a_refusal_without_what_happened_is_refused_naming_article_12(general_case, handler):
    receipt = services.document_issue(actor=handler, case=general_case, kind="service_receipt")
    assert services.signature_missing(receipt)
    with pytest.raises(InvalidInput) as exc:
        # 《松原市行政执法全过程记录实施办法》第十二条: 当事人拒绝签名的，应当注明情况
        services.signature_add(actor=handler, document=receipt, method="refused", signer="张三", note="")
    assert exc.value.errors[0].field == "note" and "第十二条" in exc.value.errors[0].message
    with pytest.raises(InvalidInput):
        services.signature_add(
            actor=handler, document=receipt, method="handwritten", signer="张三", content=b"x"
        )
    signed = services.signature_add(
        actor=handler,
        document=receipt,
        method="handwritten",
        signer="张三",
        content=_png(),
        media_type="image/png",
    )
    assert signed.method == PartySignature.Method.HANDWRITTEN and signed.blob_sm3 == sm3(_png()).hex()
    assert not services.signature_missing(receipt)


def test_the_case_file_refuses_an_unsigned_receipt_then_lists_every_item_with_its_pages(
    general_case, handler
):
    decision = services.document_issue(actor=handler, case=general_case, kind="penalty_decision")
    receipt = services.document_issue(actor=handler, case=general_case, kind="service_receipt")
    with pytest.raises(InvalidInput) as exc:
        casefile.case_file_export(actor=handler, case=general_case)
    assert "送达回证" in exc.value.errors[0].message and "第十二条" in exc.value.errors[0].message
    services.signature_add(
        actor=handler, document=receipt, method="scan", signer="张三", content=_png(), media_type="image/png"
    )
    export = casefile.case_file_export(actor=handler, case=general_case)
    manifest = json.loads(export.manifest)
    reader = PdfReader(io.BytesIO(export.pdf))
    assert len(reader.pages) == manifest["pages"] == export.case_file.pages
    titles = [i["title"] for i in manifest["items"]]
    assert (
        titles.index("行政处罚决定书") < titles.index("送达回证") < titles.index("送达回证（纸质签名扫描件）")
    )
    by_title = {i["title"]: i for i in manifest["items"]}
    first = by_title["行政处罚决定书"]["first_page"]
    assert first > 2 and by_title["行政处罚决定书"]["sm3"] == decision.pdf_sm3
    # the 目录 names the page the decision starts on, and that page is the decision's first page
    index_text = reader.pages[1].extract_text()
    assert "卷内文件目录" in index_text and str(first) in index_text
    assert "行政处罚决定书" in reader.pages[first - 1].extract_text()
    assert (
        "卷宗封面" not in reader.pages[0].extract_text()
        and general_case.number in reader.pages[0].extract_text()
    )
