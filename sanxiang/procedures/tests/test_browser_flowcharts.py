"""The published flowcharts (执法流程图, 《松原市行政执法公示办法》事前公开) of every procedure, the new ones
included, in a real headless Chromium at desktop and phone width: each stage is drawn and nothing
widens the page. Screenshots: var/test-artifacts/procedures/."""

from pathlib import Path

import pytest
from django.conf import settings

from sanxiang.procedures import registry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("flushable"),
]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "procedures"
NEW = ("levy", "fee", "confirmation", "adjudication", "benefit")


@pytest.mark.parametrize("width", [1280, 360])
def test_every_new_procedure_page_draws_its_stages_and_fits_the_screen(live_server, page, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/procedures/")
    for key in NEW:
        assert page.get_by_role("link", name=registry.get(key).name).count() >= 1
    for key in (*NEW, "penalty_simple"):
        defn = registry.get(key)
        page.goto(f"{live_server.url}/procedures/{key}/")
        page.get_by_role("heading", name=defn.name).first.wait_for()
        svg = page.locator("svg").first
        for stage in defn.stages:
            assert svg.get_by_text(stage.name, exact=True).count() >= 1, (key, stage.name)
        body = page.inner_text("body")
        assert "seed" not in body.lower() and "_" not in page.title()
        assert "{" not in body  # every period and amount is filled from the rules registry
        assert defn.summary in body  # the procedure's one sentence, filled from the registry
        if key == "penalty_simple":  # 行政处罚法 第五十一条
            assert "对公民处200元以下" in body and "3000元以下" in body
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (key, width, overflow)
        page.screenshot(path=str(ARTIFACTS / f"{key}-{width}.png"), full_page=True)
