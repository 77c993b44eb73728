"""A general-procedure penalty case from 登记 to 归档 and publication, in a real headless Chromium,
using only the staff pages (no API call): the officer, the internal 审核人, the legal reviewer, the
head and the disclosure officer in turn. It includes 送审 with its materials, the checklist as one
form, the reviewer watching the uploaded body-camera video from the round page (and that view in the
access log), a fine below the 裁量基准 flagged and justified (行政处罚法 第三十二条、第三十四条),
automatic document numbers (GB/T 9704—2012 7.2.4). Every click and typed field is counted; the totals
are printed (see the report in benches/results/staff_walk.json). Screenshots:
var/test-artifacts/full-case/."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.accounts.roles import Role
from sanxiang.cases.models import Case
from sanxiang.cases.tests.factories import officer_for
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.ledger.access import ACCESSED
from sanxiang.ledger.models import Entry
from sanxiang.testing import factories
from sanxiang.testing.factories import MarketEntityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "full-case"
RESULTS = Path(settings.BASE_DIR) / "benches" / "results" / "staff_walk.json"
PASSWORD = "correct horse battery"  # sanxiang.testing.factories.UserFactory
CLIP = Path(settings.BASE_DIR) / "sanxiang" / "cases" / "demo_media" / "bodycam.webm"
ROWS = [
    {
        "level": "从轻",
        "circumstances": "首次违法、及时改正",
        "penalty_kinds": ["fine"],
        "fine_min": "50000",
        "fine_max": "80000",
    },
    {
        "level": "一般",
        "circumstances": "不属于从轻、从重情形",
        "penalty_kinds": ["fine"],
        "fine_min": "80000",
        "fine_max": "120000",
    },
    {
        "level": "从重",
        "circumstances": "造成危害后果",
        "penalty_kinds": ["fine"],
        "fine_min": "120000",
        "fine_max": "150000",
    },
]


def wait_js(page, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` in the page (the site's CSP forbids the eval that wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.1)


class Walk:
    """The browser with a tally: clicks (buttons, links, checks, choices), typed fields, page loads."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.clicks = self.typed = self.loads = self.logins = 0
        self.steps: list[str] = []
        page.on("framenavigated", lambda frame: self._loaded(frame))

    def _loaded(self, frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    def click(self, locator) -> None:
        locator.click()
        self.clicks += 1

    def check(self, locator) -> None:
        locator.check()
        self.clicks += 1

    def choose(self, locator, value) -> None:
        locator.select_option(value)
        self.clicks += 1

    def type(self, locator, text: str) -> None:
        locator.fill(text)
        self.typed += 1

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def login(self, user) -> None:
        """A change of person (counted apart: 2 typed fields and 1 click each)."""
        self.page.context.clear_cookies()
        self.page.goto(self.base + "/staff/")
        self.page.get_by_label("用户名").fill(user.username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.get_by_role("heading", name="工作台").wait_for()
        self.logins += 1

    def work_item(self, text: str) -> None:
        """Open the case from the home page's 我的待办."""
        self.click(self.page.locator("#my-work a", has_text=text).first)

    def record(self, name: str) -> None:
        self.click(self.page.locator("#record-kinds").get_by_role("link", name=name, exact=True))
        self.page.locator("#record-form").wait_for()

    def save(self) -> None:
        self.click(self.page.get_by_role("button", name="保存并存证"))
        try:
            self.page.locator("#timeline").wait_for()
        except Exception:
            self.shot("failed-save")
            raise AssertionError(self.page.locator("#errors").inner_text()) from None

    def move(self, name: str) -> None:
        self.click(self.page.locator("#transitions").get_by_role("button", name=name))
        self.page.locator("#timeline").wait_for()

    def request_approval(self, reason: str, opinion: str) -> None:
        form = self.page.locator("#record-kinds form").first
        self.type(form.locator("input[name=reason]"), reason)
        self.type(form.locator("input[name=opinion]"), opinion)
        self.click(form.get_by_role("button", name="提请审批"))
        self.page.locator("#timeline").wait_for()

    def sign(self, user, number: str, opinion: str) -> None:
        """The next signer of the open internal approval signs it from the case page."""
        self.login(user)
        self.work_item(number)
        form = self.page.locator("form", has=self.page.locator("input[name=approval]")).first
        self.type(form.locator("input[name=opinion]"), opinion)
        self.click(form.get_by_role("button", name="同意", exact=True))
        self.page.locator("#timeline").wait_for()


@pytest.fixture
def matter(head_a, agency_a):
    return catalog.entry_publish(
        actor=head_a,
        kind=ListKind.ITEMS,
        agency=agency_a,
        data={
            "code": "CF-SP-001",
            "category": "penalty",
            "name": "对未取得食品经营许可从事食品经营活动的行政处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十二条",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
            "note": "",
        },
        discretion=ROWS,
        effective_from=dt.date(2025, 1, 1),
        reason="首次公布",
    )


def test_a_penalty_case_goes_from_registration_to_archive_and_publication_on_staff_pages_only(
    flushable, live_server, page, handler, second_officer, reviewer, head_a, agency_a, matter
):
    checker = factories.UserFactory(agency=agency_a, roles=[Role.OFFICER], username="checker")
    officer_for(checker, name="丙科长")
    publisher = factories.UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER], username="publisher")
    shop = MarketEntityFactory(name="宁江区鲜果超市有限公司", legal_representative="孙八")
    # No step needs the REST API. The one /api/ traffic allowed is the record form's own script
    # uploading a chosen file at once (resumable uploads, so a refused form keeps it — issue 12); any
    # other call fails the walk.
    uploads = re.compile(r"/api/ledger/uploads(/[0-9a-f-]{36}(/complete)?)?$")
    api_calls: list[str] = []
    page_uploads: list[str] = []
    page.on(
        "request",
        lambda r: (
            (page_uploads if uploads.search(r.url.split("?")[0]) else api_calls).append(r.url)
            if "/api/" in r.url
            else None
        ),
    )
    media: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            media.append((r.status, r.request.headers.get("range", ""))) if "/files/" in r.url else None
        ),
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    w = Walk(page, live_server.url)

    # 1. 登记 (officer)
    w.login(handler)
    w.click(page.get_by_role("link", name="案件", exact=True))
    w.click(page.get_by_role("link", name="登记案件"))
    w.choose(page.locator("#f-matter_code"), "CF-SP-001")
    w.type(page.locator("#f-title"), "无证经营食品案")
    w.choose(page.locator("#f-source"), "inspection")
    w.type(page.locator("#party-0-q"), "鲜果")
    w.click(page.get_by_role("button", name=f"{shop.name} · {shop.credit_code}"))
    wait_js(page, f"document.querySelector('#party-0-credit_code').value === '{shop.credit_code}'")
    w.check(page.locator(f'input[name=officers][value="{second_officer.public_id}"]'))
    w.click(page.get_by_role("button", name="登记案件"))
    page.locator("#timeline").wait_for()
    case = Case.objects.get()
    number = case.number

    # 2. 立案审批: 承办人 → 审核人 (a colleague) → 批准人 (the head); then 立案
    w.request_approval("当事人未取得许可经营食品", "建议立案")
    w.sign(checker, number, "同意立案")
    w.sign(head_a, number, "同意立案")
    w.login(handler)
    w.work_item(number)
    w.move("立案 → 调查取证")

    # 3. 询问笔录 with its body-camera video (uploaded, kept by the ledger)
    w.record("询问笔录")
    w.type(page.locator("#f-content"), "询问当事人孙八，承认未取得许可经营熟食")
    page.locator("#files").set_input_files(str(CLIP))
    w.clicks += 1  # choosing the file
    w.save()

    # 4. 调查终结报告: the fine of 20,000 is below the 裁量基准 (50,000 to 150,000) — flagged, then justified
    w.record("案件调查终结报告")
    w.type(page.locator("#f-facts"), "当事人未取得食品经营许可，经营熟食制品一个月，违法所得较少")
    w.type(page.locator("#f-evidence"), "询问笔录及录像")
    w.check(page.locator("input[name=penalty_kinds][value=fine]"))
    w.type(page.locator("#f-fine_amount"), "20000")
    w.check(page.locator("#f-complex"))
    w.click(page.get_by_role("button", name="保存并存证"))
    flagged = page.locator("#errors").inner_text()
    assert "低于本事项裁量基准下限" in flagged and "第三十二条、第三十三条" in flagged
    w.shot("01-discretion-flagged")
    w.choose(page.locator("#f-discretion_ground"), "mitigated")
    w.type(page.locator("#f-discretion_reason"), "当事人主动停止经营并消除违法后果，依法减轻处罚")
    w.save()
    assert "减轻处罚" in page.locator("#discretion").inner_text()
    w.move("调查终结，告知拟处罚 → 告知与陈述申辩")

    # 5. 告知 (number and penalty prefilled) and 陈述申辩
    w.record("行政处罚事先告知书")
    assert page.locator("#f-fine_amount").input_value() == "20000.00"
    w.save()
    notice = case.records.get(kind="penalty_notice")
    assert notice.payload["document_number"].endswith(f"罚告〔{notice.made_at.year}〕1号")
    w.record("陈述申辩笔录")
    w.type(page.locator("#f-content"), "当事人对事实无异议，请求从轻处罚")
    w.save()

    # 6. 送审 (审核办法 第六、七条): the checklist shows every material, the explanation is prefilled
    w.click(page.locator("#transitions").get_by_role("link", name="提交法制审核（填写送审材料）"))
    assert page.locator("#materials [data-ok='0']").count() == 0
    w.shot("02-submission")
    w.click(page.get_by_role("button", name="送审"))
    page.locator("#panel-review").wait_for()
    assert "审核中" in page.locator("#panel-review").inner_text()

    # 7. The reviewer: queue → round page → the inquiry's video, then the checklist as one form
    w.login(reviewer)
    w.work_item(number)
    page.locator("#checklist-form").wait_for()
    w.shot("03-round-page")
    w.click(page.locator("#materials").get_by_role("link", name="询问笔录", exact=True))
    video = page.locator("#files video")
    video.wait_for()
    wait_js(page, "document.querySelector('#files video').readyState >= 1")
    assert page.evaluate("document.querySelector('#files video').duration") > 2
    w.clicks += 1  # pressing play
    page.evaluate("v => { v.muted = true; return v.play(); }", video.element_handle())
    wait_js(page, "document.querySelector('#files video').currentTime > 0.3")
    w.shot("04-reviewer-watches-video")
    assert any(status == 206 and rng.startswith("bytes=") for status, rng in media)
    inquiry = case.records.get(kind="inquiry_record")
    watched = Entry.objects.filter(kind=ACCESSED, subject_id=inquiry.blob_hashes[0], actor=reviewer)
    assert watched.exists() and "法制审核调阅" in watched.first().fields["payload"]["purpose"]
    page.go_back()
    page.locator("#checklist-form").wait_for()
    assert "减轻处罚" in page.locator("#discretion").inner_text()  # 第八条第三项 shows the comparison
    for item in page.locator("#checklist-form .checklist-item").all():
        w.check(item.locator("input[type=radio][value='1']"))
        w.type(item.locator("textarea"), "经审核，符合规定")
    w.type(page.locator("#checklist-form textarea[name=reasons]"), "事实清楚，证据确凿，减轻处罚理由充分")
    w.click(page.get_by_role("button", name="保存并出具法制审核意见书"))
    page.locator("#opinion").wait_for()

    # 8. Decision (officer, then the internal approval), with the number assigned automatically
    w.login(handler)
    w.work_item(number)
    w.move("审核通过，作出决定")
    w.request_approval("法制审核通过", "建议作出处罚决定")
    w.sign(checker, number, "同意")
    w.sign(head_a, number, "同意作出处罚决定")
    w.login(handler)
    w.work_item(number)
    w.record("行政处罚决定书")
    assert page.locator("#f-violation").input_value() == "无证经营食品"
    w.save()
    decision = case.records.get(kind="decision_document")
    assert decision.payload["document_number"].endswith(f"罚〔{decision.made_at.year}〕1号")
    assert (
        decision.payload["fine_amount"] == "20000.00" and decision.payload["discretion_ground"] == "mitigated"
    )

    # 9. 送达、执行、结案、归档
    w.move("送达决定书 → 送达")
    w.record("直接送达回证")
    w.save()
    w.move("进入执行")
    w.record("履行情况记录")
    w.check(page.locator("#f-performed"))
    w.type(page.locator("#f-content"), "当事人已缴清罚款")
    w.save()
    w.move("执行完毕 → 结案")
    w.record("结案报告")
    w.save()
    w.move("立卷归档")
    w.record("案卷归档记录")
    w.type(page.locator("#f-location"), "局档案室")
    w.save()
    case.refresh_from_db()
    assert case.sealed
    w.shot("05-archived")

    # 10. Publication by the disclosure officer (公示办法 第十六条, 第三十条: reviewed, then published)
    w.login(publisher)
    w.work_item(number)
    w.click(page.get_by_role("button", name="审核通过并公示"))
    page.get_by_text("已公示").first.wait_for()
    from sanxiang.disclosure.models import Duty

    assert Duty.objects.get(source_ref=number).status == Duty.Status.PUBLISHED
    w.shot("06-published")

    assert not api_calls, api_calls
    assert page_uploads  # the evidence went up through the form's own upload, not a hand-made call
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    walk = {
        "clicks": w.clicks,
        "typed_fields": w.typed,
        "page_loads": w.loads,
        "logins": w.logins,
        "note": "clicks and typed fields exclude the logins (each login: 2 typed fields, 1 click)",
    }
    RESULTS.write_text(json.dumps({"after": walk}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(walk, ensure_ascii=False))
