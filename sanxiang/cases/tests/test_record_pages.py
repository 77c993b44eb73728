"""The record page: every field under its Chinese label, photos shown, recordings played in the
page and streamed by HTTP range (RFC 9110 §14), every view and download in the access log with
its purpose (seed 002 记录办法 第三十四条、第三十五条)."""

import pytest
from django.utils.html import strip_tags

from sanxiang.cases import services
from sanxiang.cases.tests.factories import filed_case, present, video
from sanxiang.ledger.access import ACCESSED
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db


def _inquiry(case, handler, body=b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40):
    return services.record_add(
        actor=handler,
        case=case,
        kind="inquiry_record",
        payload={"content": "询问当事人，当事人承认销售过期食品"},
        officers=present(case),
        blobs=[video(body)],
    )


def test_the_record_page_labels_every_field_in_chinese_and_plays_the_video(
    client_for, handler, reviewer_a, head_a, traveller
):
    # 《松原市行政执法全过程记录实施办法》第十条 (officers and credentials), 第三十四条 (access logged)
    case = filed_case(handler, reviewer_a, head_a)
    record = _inquiry(case, handler)
    before = Entry.objects.filter(kind=ACCESSED).count()
    page = (
        client_for(handler).get(f"/staff/cases/{case.public_id}/record/{record.public_id}/").content.decode()
    )
    text = strip_tags(page)
    assert "询问笔录" in text and "内容摘要" in text and "已出示证件" in text
    assert "content" not in text and "{'" not in text and "seed" not in text
    assert "<video controls" in page
    assert Entry.objects.filter(kind=ACCESSED).count() == before + 1
    access = Entry.objects.filter(kind=ACCESSED).order_by("-seq").first()
    assert access.fields["payload"]["purpose"].startswith("办案查阅")
    # the approval record is shown by its roles' names, never its keys
    approval = case.records.get(kind="filing_approval")
    text = strip_tags(
        client_for(handler)
        .get(f"/staff/cases/{case.public_id}/record/{approval.public_id}/")
        .content.decode()
    )
    assert "批准人意见" in text and "approver" not in text


def test_a_recording_is_served_by_range_and_a_playback_is_logged_once(
    client_for, handler, reviewer_a, head_a, traveller
):
    # RFC 9110 §14: a range request answers 206 with only the bytes asked for
    body = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40
    case = filed_case(handler, reviewer_a, head_a)
    record = _inquiry(case, handler, body)
    url = f"/staff/cases/{case.public_id}/record/{record.public_id}/files/{record.blob_hashes[0]}/"
    c = client_for(handler)
    before = Entry.objects.filter(kind=ACCESSED).count()
    first = c.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206 and first["Content-Range"] == f"bytes 0-99/{len(body)}"
    assert b"".join(first.streaming_content) == body[:100]
    seek = c.get(url, HTTP_RANGE="bytes=5000-")
    assert seek.status_code == 206 and b"".join(seek.streaming_content) == body[5000:]
    tail = c.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == body[-10:]
    assert c.get(url, HTTP_RANGE=f"bytes={len(body)}-").status_code == 416
    whole = c.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == body
    # the playback from byte 0 and the whole download are logged; seeking within it is not
    assert Entry.objects.filter(kind=ACCESSED).count() == before + 2
    download = c.get(url + "?download=1")
    assert "attachment" in download["Content-Disposition"]
    assert (
        Entry.objects.filter(kind=ACCESSED).order_by("-seq").first().fields["payload"]["action"] == "download"
    )


def test_a_file_not_of_the_record_and_another_agencys_case_are_not_served(
    client_for, handler, reviewer_a, head_a, officer_b, traveller
):
    case = filed_case(handler, reviewer_a, head_a)
    record = _inquiry(case, handler)
    other = video(b"\x00\x00\x00\x18ftypmp42 other")
    base = f"/staff/cases/{case.public_id}/record/{record.public_id}"
    assert client_for(handler).get(f"{base}/files/{other}/").status_code == 404
    assert client_for(officer_b).get(f"{base}/").status_code == 404
    assert client_for(officer_b).get(f"{base}/files/{record.blob_hashes[0]}/").status_code == 404


def test_the_timeline_links_each_record_to_its_page(client_for, handler, reviewer_a, head_a, traveller):
    case = filed_case(handler, reviewer_a, head_a)
    record = _inquiry(case, handler)
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert f"/staff/cases/{case.public_id}/record/{record.public_id}/" in page
    assert "filing_approval" not in strip_tags(page)
