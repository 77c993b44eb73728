"""A file chosen in a record form is uploaded at once (resumable, /api/ledger/uploads), before the form
is checked: when the form is refused the file stays listed as uploaded and need not be chosen again;
saving the corrected form names it in the record (issue 12 §7). Screenshots: var/test-artifacts/cases/."""

import hashlib

import pytest

from sanxiang.cases.models import CaseRecord
from sanxiang.cases.tests.factories import filed_case
from sanxiang.cases.tests.test_browser import PASSWORD, shot
from sanxiang.ledger.models import UploadSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"body camera " * 4000


@pytest.mark.usefixtures("flushable")
def test_a_refused_record_form_keeps_the_uploaded_file(
    live_server, page, handler, second_officer, reviewer_a, head_a
):
    case = filed_case(handler, reviewer_a, head_a)
    page.set_default_timeout(60_000)  # the shared machine is slow; the page is judged by content
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/staff/")
    page.get_by_label("用户名").fill(handler.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="工作台").wait_for()
    page.goto(f"{live_server.url}/staff/cases/{case.public_id}/records/inquiry_record/")
    page.set_input_files("#files", files=[{"name": "询问录像.mp4", "mimeType": "video/mp4", "buffer": VIDEO}])
    page.locator("#kept-files li").wait_for()
    assert page.locator("#upload-status").inner_text() == "已上传，保存记录时一并存证"
    sm3 = hashlib.new("sm3", VIDEO).hexdigest()
    assert UploadSession.objects.filter(created_by=handler, blob__sm3=sm3).exists()

    page.locator("#f-content").fill("")  # 询问内容 is required: the form is refused
    page.get_by_role("button", name="保存并存证").click()
    page.locator("#errors").wait_for()
    assert page.locator("#kept-files li").inner_text() == "询问录像.mp4（已上传）"
    assert "无需重新选择" in page.locator("body").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    shot(page, "upload-kept-after-refusal-360")
    assert not CaseRecord.objects.filter(case=case, kind="inquiry_record").exists()

    page.locator("#f-content").fill("询问当事人，承认销售过期食品")
    page.get_by_role("button", name="保存并存证").click()
    page.wait_for_url(f"**/staff/cases/{case.public_id}/")
    record = CaseRecord.objects.get(case=case, kind="inquiry_record")
    assert record.blob_hashes == [sm3] and record.has_av
