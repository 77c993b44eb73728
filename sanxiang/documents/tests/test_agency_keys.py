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
