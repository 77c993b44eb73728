"""调阅记录 and copies for a party: 《松原市行政执法全过程记录实施办法》第三十四条 (copies need the head's approval, except
what must stay secret) and 第三十五条 (state secrets, trade secrets and privacy are managed as secret)."""

from __future__ import annotations

import pytest

from sanxiang.errors import InvalidInput, NotFound, TransitionRefused
from sanxiang.ledger import access, services
from sanxiang.ledger.models import Entry


@pytest.fixture
def evidence(officer_a, store_bytes):
    open_blob = store_bytes(b"inspection notes", media_type="text/plain")
    secret_blob = store_bytes(b"the party's customer list", media_type="text/plain")
    notes = services.record(
        kind="cases.evidence",
        subject=("cases.case", "A-1"),
        actor=officer_a,
        payload={"n": 1},
        blobs=[open_blob, secret_blob],
    )
    medical = services.record(
        kind="cases.evidence", subject=("cases.case", "A-1"), actor=officer_a, payload={"n": 2}
    )
    access.secrecy_mark(actor=officer_a, material=secret_blob, ground="trade_secret", reason="客户名单")
    access.secrecy_mark(actor=officer_a, material=medical, ground="privacy")
    return notes, medical, open_blob, secret_blob


def test_every_view_is_recorded_with_who_when_what_and_why(evidence, officer_a):
    notes = evidence[0]
    access.entry_view(actor=officer_a, seq=notes.seq, purpose="案卷评查")
    logged = Entry.objects.filter(kind=access.ACCESSED).get()
    assert logged.actor == officer_a
    assert (logged.subject_type, logged.subject_id) == (access.ENTRY, str(notes.seq))
    assert logged.fields["payload"] == {"action": "view", "purpose": "案卷评查"}
    assert logged.fields["time"].endswith("+08:00")


def test_a_download_is_recorded_before_the_bytes_are_served(evidence, officer_a):
    blob, chunks = access.blob_download(actor=officer_a, sm3=evidence[2].sm3, purpose="制作询问笔录")
    assert b"".join(chunks) == b"inspection notes"
    logged = Entry.objects.filter(kind=access.ACCESSED).get()
    assert (logged.subject_type, logged.subject_id, logged.fields["payload"]["action"]) == (
        access.BLOB,
        blob.sm3,
        "download",
    )


def test_access_without_a_stated_purpose_is_refused(evidence, officer_a):
    with pytest.raises(InvalidInput) as caught:
        access.entry_view(actor=officer_a, seq=evidence[0].seq, purpose="  ")
    assert caught.value.errors[0].field == "purpose"


def test_another_agency_cannot_see_the_material_and_is_not_told_it_exists(evidence, officer_b, supervisor):
    with pytest.raises(NotFound):
        access.entry_view(actor=officer_b, seq=evidence[0].seq, purpose="好奇")
    with pytest.raises(NotFound):
        access.blob_download(actor=officer_b, sm3=evidence[2].sm3, purpose="好奇")
    # the supervising 司法局 of the region may
    assert access.entry_view(actor=supervisor, seq=evidence[0].seq, purpose="执法监督").seq == evidence[0].seq


def test_a_partys_copy_request_needs_the_heads_approval(evidence, officer_a, reviewer_a, head_a):
    # 《松原市行政执法全过程记录实施办法》第三十四条: 经行政机关负责人同意，可复制使用
    notes, medical = evidence[0], evidence[1]
    request = access.copy_request_submit(
        actor=officer_a, party="某某商贸有限公司", entries=[notes.seq, medical.seq], purpose="申请行政复议"
    )
    assert request.status == "pending"
    with pytest.raises(TransitionRefused) as caught:
        access.copy_release(actor=officer_a, request_id=request.id)
    assert "第三十四条" in caught.value.errors[0].message
    for not_the_head in (officer_a, reviewer_a):
        with pytest.raises(TransitionRefused) as caught:
            access.copy_request_decide(actor=not_the_head, request_id=request.id, approve=True)
        assert caught.value.code == "head_approval_required"
    approved = access.copy_request_decide(actor=head_a, request_id=request.id, approve=True, reason="同意")
    assert approved.status == "approved"
    assert (
        access.copy_request_decide(actor=head_a, request_id=request.id, approve=True).decision
        == approved.decision
    )


def test_secret_material_is_withheld_from_copies_with_its_ground(evidence, officer_a, head_a):
    # 《松原市行政执法全过程记录实施办法》第三十四条 (依法应保密的除外) and 第三十五条 (国家秘密、商业秘密和个人隐私)
    notes, medical, open_blob, secret_blob = evidence
    request = access.copy_request_submit(
        actor=officer_a, party="某某商贸有限公司", entries=[notes.seq, medical.seq], purpose="申请行政复议"
    )
    access.copy_request_decide(actor=head_a, request_id=request.id, approve=True)
    release = access.copy_release(actor=officer_a, request_id=request.id)
    assert release.entries == [notes]
    assert release.blobs == [open_blob]
    assert {(w["id"], w["ground"]) for w in release.withheld} == {
        (str(medical.seq), "privacy"),
        (secret_blob.sm3, "trade_secret"),
    }
    assert release.record.fields["payload"]["action"] == "copy"  # the copy itself is in the access log
    assert release.record.fields["payload"]["withheld"] == release.withheld


def test_a_refused_request_releases_nothing(evidence, officer_a, head_a):
    request = access.copy_request_submit(
        actor=officer_a, party="张三", entries=[evidence[0].seq], purpose="诉讼"
    )
    access.copy_request_decide(actor=head_a, request_id=request.id, approve=False, reason="与本案无关")
    with pytest.raises(TransitionRefused):
        access.copy_release(actor=officer_a, request_id=request.id)
    with pytest.raises(TransitionRefused):  # a decision is final
        access.copy_request_decide(actor=head_a, request_id=request.id, approve=True)


def test_a_retried_copy_request_with_the_same_id_is_recorded_once(evidence, officer_a):
    kwargs = dict(
        actor=officer_a,
        party="张三",
        entries=[evidence[0].seq],
        purpose="诉讼",
        request_id="6f1c1f0e-8a53-4c52-9d1b-0c9b1b7a9e01",
    )
    assert access.copy_request_submit(**kwargs).requested == access.copy_request_submit(**kwargs).requested
    assert Entry.objects.filter(kind=access.COPY_REQUESTED).count() == 1


def test_secrecy_grounds_are_the_three_of_article_35(evidence, officer_a):
    with pytest.raises(InvalidInput) as caught:
        access.secrecy_mark(actor=officer_a, material=evidence[0], ground="embarrassing")
    assert "第三十五条" in caught.value.errors[0].message
