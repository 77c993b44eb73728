"""Each agency signs its 执法文书 with its own SM2 key (the issue: "the SM2 signature of the agency's
key over the file's SM3 hash"): generated the first time the agency issues a document, its private
half a file that no page, API answer or row holds, its public half registered, recorded in the ledger
and shown on the verify page; a document of agency B does not verify under agency A's key, on the
page or in the standalone verifier."""

from __future__ import annotations

import os
import stat

import pytest

from sanxiang.cases.tests.factories import officer_for
from sanxiang.documents import selectors, services
from sanxiang.documents.models import AgencyKey
from sanxiang.ledger.bundle import export_bundle
from sanxiang.ledger.models import Entry
from sanxiang.ledger.verifier import ProofError, key_id, sm2_verify, verify_bundle

from . import conftest
from .conftest import _build

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_b(officer_b, reviewer_b, head_b):
    officer_for(officer_b, name="乙执法员")
    person = dict(conftest.demo.PERSON, name="钱𠀾")
    return _build(
        officer_b, reviewer_b, head_b, "penalty_simple", conftest.demo.SIMPLE, 3, "乙局占道案", party=person
    )


@pytest.fixture
def both(simple_case, handler, case_b, officer_b):
    doc_a = services.document_issue(actor=handler, case=simple_case, kind="on_spot_decision")
    doc_b = services.document_issue(actor=officer_b, case=case_b, kind="on_spot_decision")
    return doc_a, doc_b


def test_each_agency_signs_with_its_own_key_made_when_first_needed(both, settings):
    doc_a, doc_b = both
    key_a = AgencyKey.objects.get(agency=doc_a.case.agency)
    key_b = AgencyKey.objects.get(agency=doc_b.case.agency)
    assert key_a.key_id != key_b.key_id
    assert doc_a.key_id == key_a.key_id and doc_b.key_id == key_b.key_id
    assert key_id(key_a.public_key) == key_a.key_id
    # recorded in the ledger before it signs anything
    entry = Entry.objects.get(seq=key_a.ledger_seq)
    assert entry.kind == "document.agency_key"
    assert entry.fields["payload"]["public_key"] == key_a.public_key
    assert key_a.ledger_seq < doc_a.ledger_seq
    # the private key is a file of its own, readable by the platform's user only
    path = settings.SANXIANG_DOCUMENT_KEY_DIR / f"{doc_a.case.agency.public_id}.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # a second document of A reuses A's key
    again = services.document_issue(actor=doc_a.issued_by, case=doc_a.case, kind="on_spot_decision")
    assert again.key_id == key_a.key_id
    assert AgencyKey.objects.filter(agency=doc_a.case.agency).count() == 1


def test_b_s_document_does_not_verify_under_a_s_key(both):
    doc_a, doc_b = both
    key_a = AgencyKey.objects.get(agency=doc_a.case.agency).public_key
    key_b = AgencyKey.objects.get(agency=doc_b.case.agency).public_key
    sm2_verify(key_b, bytes.fromhex(doc_b.pdf_sm3), doc_b.signature)
    with pytest.raises(ProofError):
        sm2_verify(key_a, bytes.fromhex(doc_b.pdf_sm3), doc_b.signature)
    check = selectors.verify(doc_b.code)
    assert check.signature_ok and check.public_key == key_b and not check.platform_key


def test_the_verify_page_shows_the_agency_public_key_and_never_the_private_one(both, client, settings):
    doc_a, _doc_b = both
    row = AgencyKey.objects.get(agency=doc_a.case.agency)
    page = client.post("/verify/document/", {"code": doc_a.code}).content.decode()
    assert "核验通过" in page
    assert row.public_key in page
    private = (settings.SANXIANG_DOCUMENT_KEY_DIR / f"{doc_a.case.agency.public_id}.key").read_text().strip()
    assert private not in page
    assert "--document-key" in page


def test_the_standalone_verifier_checks_the_document_signature_with_the_agency_key(
    both, administrator, tmp_path
):
    doc_a, doc_b = both
    key_a = AgencyKey.objects.get(agency=doc_a.case.agency).public_key
    key_b = AgencyKey.objects.get(agency=doc_b.case.agency).public_key
    bundle = tmp_path / "bundle"
    export_bundle(actor=administrator, seq=doc_b.ledger_seq, directory=bundle, purpose="核验文书签名")
    report = verify_bundle(bundle, document_key=key_b)
    assert any("SM2 signature over the PDF's SM3 valid" in line for line in report)
    with pytest.raises(ProofError, match="not the agency key you gave"):
        verify_bundle(bundle, document_key=key_a)


def test_b_s_registered_key_cannot_be_registered_for_a(both):
    """A key is registered to one agency: B's key never vouches for A's documents."""
    doc_a, doc_b = both
    forged = services.agency_key_file(doc_b.case.agency)
    with pytest.raises(Exception, match="签名密钥不属于本机关"):
        services.agency_key_register(agency=doc_a.case.agency, key=forged)


# --- rotation (decision 0028): a new key, recorded and signed by both; old documents keep verifying ---


def _rotation_entry(row):
    return Entry.objects.get(seq=row.ledger_seq)


def test_a_rotated_key_signs_new_documents_and_the_old_ones_still_verify(both, handler, settings):
    doc_a, _doc_b = both
    agency = doc_a.case.agency
    old = AgencyKey.objects.get(agency=agency)
    new = services.agency_key_rotate(agency=agency, reason="密钥保管人员调离")
    assert new.key_id != old.key_id and new.agency == agency
    # the earlier document names the old key and verifies against it
    before = selectors.verify(doc_a.code)
    assert before.signature_ok and before.public_key == old.public_key
    after = services.document_issue(actor=handler, case=doc_a.case, kind="on_spot_decision")
    assert after.key_id == new.key_id
    check = selectors.verify(after.code)
    assert check.signature_ok and check.public_key == new.public_key
    # the change is one ledger entry, signed by the old key (it authorises) and the new (it accepts)
    entry = _rotation_entry(new)
    assert entry.kind == services.KEY_ROTATION_KIND
    payload = entry.fields["payload"]
    statement = payload["statement"]
    assert statement["previous_key_id"] == old.key_id and statement["key_id"] == new.key_id
    assert statement["reason"] == "密钥保管人员调离"
    from sanxiang.ledger.services import canonical

    message = canonical(statement, field_name="statement")
    sm2_verify(old.public_key, message, payload["previous_signature"])
    sm2_verify(new.public_key, message, payload["signature"])
    # the old private key is kept beside the new one for offline archiving, readable by us only
    folder = settings.SANXIANG_DOCUMENT_KEY_DIR
    retired = folder / f"{agency.public_id}.key.retired-{old.key_id[:16]}"
    assert stat.S_IMODE(os.stat(retired).st_mode) == 0o600
    assert services.agency_key_file(agency).key_id == new.key_id


def test_a_rotation_needs_a_reason_and_a_key_not_used_before(both):
    doc_a, doc_b = both
    agency = doc_a.case.agency
    with pytest.raises(Exception) as no_reason:
        services.agency_key_rotate(agency=agency, reason="  ")
    assert [e.field for e in no_reason.value.errors] == ["reason"]
    assert "更换理由: 必须填写" in no_reason.value.errors[0].message
    same = services.agency_key_file(agency)
    with pytest.raises(Exception, match="与本机关当前的签名密钥相同"):
        services.agency_key_rotate(agency=agency, reason="测试", new=same)
    b_key = services.agency_key_file(doc_b.case.agency)
    with pytest.raises(Exception, match="已登记过，不能再次启用"):
        services.agency_key_rotate(agency=agency, reason="测试", new=b_key)
    assert AgencyKey.objects.filter(agency=agency).count() == 1  # nothing half-written
    assert not Entry.objects.filter(kind=services.KEY_ROTATION_KIND).exists()


def test_the_command_installs_a_key_the_agency_holds_and_the_portal_lists_both(both, tmp_path, client):
    """The CA hook: an agency's own SM2 key (PEM or hex) is installed with ``sanxiang document-key
    rotate``; the portal's agency page lists every key, the old one still used to verify."""
    from io import StringIO

    from django.core.management import call_command

    from sanxiang.ledger import signing

    doc_a, _doc_b = both
    agency = doc_a.case.agency
    held = signing.generate_key()
    key_file = tmp_path / "ca-issued.key"
    key_file.write_text(f"{held.private:064x}\n")
    out = StringIO()
    call_command(
        "document_key", "rotate", agency.credit_code, reason="启用电子签章密钥", key=key_file, stdout=out
    )
    assert f"已更换为 {held.key_id}" in out.getvalue()
    assert services.agency_key_file(agency).key_id == held.key_id
    page = client.get(f"/agencies/{agency.public_id}/").content.decode()
    table = page[page.index('id="document-keys"') :]
    assert held.key_id in table and doc_a.key_id in table
    assert "在用" in table and "已更换" in table
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="更换理由: 必须填写"):
        call_command("document_key", "rotate", agency.credit_code, stdout=StringIO())


def test_the_public_downloads_a_documents_proof_bundle_and_checks_it_offline(both, client, tmp_path):
    """The verify page's 存证包: whoever holds the document (the party, a court) checks it without the
    platform — the entry, the tree head, the inclusion proof and the agency's signature over the PDF."""
    import io
    import zipfile

    from sanxiang.ledger import services as ledger_services
    from sanxiang.ledger.verifier import sm3

    doc_a, doc_b = both
    ledger_services.checkpoint_create()
    page = client.post("/verify/document/", {"code": doc_a.code}).content.decode()
    assert f"/verify/document/bundle/?code={doc_a.code}" in page and "下载存证包" in page
    response = client.get("/verify/document/bundle/", {"code": doc_a.code})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    folder = tmp_path / f"存证包-{doc_a.code}"
    key_file = folder / "document_key.hex"
    assert key_file.read_text() == AgencyKey.objects.get(agency=doc_a.case.agency).public_key
    report = verify_bundle(folder, document_key=key_file.read_text())
    assert any("SM2 signature over the PDF's SM3 valid" in line for line in report)
    pdf = folder / "blobs" / doc_a.pdf_sm3
    assert sm3(pdf.read_bytes()).hex() == doc_a.pdf_sm3
    # another agency's key does not vouch for it
    b_key = AgencyKey.objects.get(agency=doc_b.case.agency).public_key
    with pytest.raises(ProofError):
        verify_bundle(folder, document_key=b_key)
    # a flipped byte in the bundled original fails the check
    flipped = bytearray(pdf.read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    pdf.write_bytes(bytes(flipped))
    with pytest.raises(ProofError):
        verify_bundle(folder, document_key=key_file.read_text())
    assert client.get("/verify/document/bundle/", {"code": "NOSUCHCODE"}).status_code == 404
