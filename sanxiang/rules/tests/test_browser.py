"""The rules an agency works under, on the portal, in a real headless Chromium at desktop and phone width."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable"),
]

SHOTS = "var/screenshots"


@pytest.mark.parametrize(("width", "name"), [(1280, "desktop"), (360, "phone")])
def test_a_visitor_reads_the_agencys_rules_and_opens_the_source_document(
    live_server, page, agency_a, width, name
):
    # 《松原市行政执法公示办法》第二十七条: 各类行政执法决定结果 7个工作日内公开
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/agencies/{agency_a.public_id}/")
    page.get_by_role("link", name="本机关适用的期限、比例和数额及其依据").click()
    page.get_by_role("heading", name=f"{agency_a.name}：执法依据与期限").wait_for()
    row = page.locator('tr[data-key="disclosure.period.other"]')
    assert row.locator(".value").inner_text() == "7个工作日"
    assert row.locator(".citation").inner_text().startswith("《松原市行政执法公示办法》第二十七条")
    # the page fits the phone: nothing wider than the viewport except inside the scrolling tables
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{SHOTS}/rules-agency-{name}.png", full_page=False)
    row.locator(".citation a").click()
    page.get_by_role(
        "heading",
        name="《松原市人民政府办公室关于印发松原市全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度责任分工方案的通知》",
    ).wait_for()
    assert "第二十七条" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{SHOTS}/rules-source-{name}.png", full_page=False)
