"""An agency adds or adjusts a template without code (issue 15): on the staff page 文书模板 an officer
uploads a DOCX; its placeholders are checked against what the document type supplies (an unknown one
is refused, named, in Chinese), each upload is a new version (the old ones stay, byte for byte), and
the version in force renders the agency's next documents. Another agency does not see it."""

from __future__ import annotations

import io
import zipfile

import pytest

from sanxiang.documents import services, shipped
from sanxiang.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db

URL = "/staff/documents/templates/"


def _edited(kind: str, old: str, new: str) -> bytes:
    """The shipped template of ``kind`` with ``old`` replaced by ``new`` in its text (as in Word)."""
    source = zipfile.ZipFile(io.BytesIO(shipped.path_of(kind).read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode()
                assert old in text
                data = text.replace(old, new).encode()
            target.writestr(info, data)
    return out.getvalue()


def _upload(client, kind: str, content: bytes, **fields):
    upload = io.BytesIO(content)
    upload.name = "模板.docx"
    return client.post(f"{URL}{kind}/", {"content": upload, "effective_from": "2026-01-01", **fields})


def test_the_page_lists_every_document_type_with_the_template_in_force(client, officer_a):
    client.force_login(officer_a)
    page = client.get(URL).content.decode()
    assert "文书模板" in page and "行政处罚决定书" in page and "不予行政处罚决定书" in page
    assert page.count("平台默认模板") >= 10


def test_an_officer_uploads_a_new_version_that_renders_the_agency_s_next_documents(
    client, handler, general_case
):
    client.force_login(handler)
    content = _edited("penalty_decision", "上述事实，主要有以下证据证明", "以上事实，有下列证据证明")
    response = _upload(client, "penalty_decision", content, note="按本局格式调整证据段落")
    assert response.status_code == 302
    row = DocumentTemplate.objects.get(kind="penalty_decision", agency=handler.agency)
    assert row.version == 1 and bytes(row.content) == content and row.made_by == handler
    page = client.get(f"{URL}penalty_decision/").content.decode()
    assert "本机关第1版" in page and "按本局格式调整证据段落" in page
    docx, _context, _source, template = services.document_render(case=general_case, kind="penalty_decision")
    assert template.pk == row.pk
    assert "以上事实，有下列证据证明" in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    downloaded = client.get(f"{URL}penalty_decision/1.docx")
    assert downloaded.status_code == 200 and downloaded.content == content


def test_an_unknown_placeholder_is_refused_and_named_in_chinese(client, officer_a):
    client.force_login(officer_a)
    content = _edited("penalty_decision", "{{ penalty_text }}", "{{ penalty_text }}，合计{{ fine_total }}")
    response = _upload(client, "penalty_decision", content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "行政处罚决定书不提供占位符 fine_total" in page and "可用：" in page
    assert not DocumentTemplate.objects.filter(kind="penalty_decision", agency=officer_a.agency).exists()


def test_a_file_that_is_not_a_docx_is_refused(client, officer_a):
    client.force_login(officer_a)
    response = _upload(client, "penalty_decision", b"%PDF-1.7 not a template")
    assert response.status_code == 422
    assert "模板文件: 不是可用的 DOCX 模板" in response.content.decode()


def test_a_second_upload_is_a_new_version_and_the_first_stays_as_it_was(client, officer_a):
    client.force_login(officer_a)
    first = _edited("penalty_notice", "联系人：", "承办人：")
    second = _edited("penalty_notice", "联系人：", "联系人员：")
    assert _upload(client, "penalty_notice", first).status_code == 302
    assert _upload(client, "penalty_notice", second).status_code == 302
    rows = list(
        DocumentTemplate.objects.filter(kind="penalty_notice", agency=officer_a.agency).order_by("version")
    )
    assert [r.version for r in rows] == [1, 2]
    assert bytes(rows[0].content) == first and bytes(rows[1].content) == second
    assert client.get(f"{URL}penalty_notice/1.docx").content == first
    assert "本机关第2版" in client.get(f"{URL}penalty_notice/").content.decode()


def test_another_agency_neither_sees_nor_downloads_it_and_a_reviewer_may_not_upload(
    client, officer_a, officer_b, reviewer_a
):
    client.force_login(officer_a)
    assert (
        _upload(client, "penalty_notice", _edited("penalty_notice", "联系人：", "承办人：")).status_code
        == 302
    )
    client.force_login(officer_b)
    assert "本机关第1版" not in client.get(f"{URL}penalty_notice/").content.decode()
    assert client.get(f"{URL}penalty_notice/1.docx").status_code == 404
    client.force_login(reviewer_a)
    page = client.get(f"{URL}penalty_notice/").content.decode()
    assert "只有本机关执法人员或负责人可以上传模板" in page
    response = _upload(client, "penalty_notice", _edited("penalty_notice", "联系人：", "承办："))
    assert response.status_code == 403
    assert DocumentTemplate.objects.filter(kind="penalty_notice", agency=officer_a.agency).count() == 1
