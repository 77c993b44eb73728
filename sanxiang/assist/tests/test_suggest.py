"""Matter, basis (违法条款 and 处罚条款 apart) and 裁量 row from the facts; the person's choice logged;
the 类案同罚 flag on a far-out fine and not on a typical one; duplicate entries at registration."""

import datetime as dt
from decimal import Decimal
from urllib.parse import unquote

import pytest

from sanxiang.assist import consistency, selectors, services
from sanxiang.assist.models import ConsistencyCheck, SuggestionAnswer
from sanxiang.assist.tests.conftest import decided
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db

EXPIRED_FACTS = "当事人在超市销售超过保质期的牛奶12盒，货值金额360元，系首次违法并及时改正"


def test_the_matter_comes_with_its_violated_and_its_penalty_article_apart(officer_a, matters):
    # 《中华人民共和国食品安全法》第一百二十二条 punishes what 第三十五条 forbids (食品生产经营许可)
    options = selectors.matter_suggestions(
        officer_a, "当事人未取得食品经营许可，擅自开办熟食店从事食品经营活动"
    )
    top = options[0]
    assert top.code == "CF-SP-001"
    assert top.penalty.citation == "《中华人民共和国食品安全法》第一百二十二条"
    assert unquote(top.penalty.url) == "/laws/中华人民共和国食品安全法/122/"
    assert "第三十五条" in [a.label for a in top.violation]  # 国家对食品生产经营实行许可制度


def test_the_expired_food_facts_suggest_the_expired_food_matter_and_the_lighter_row(officer_a, matters):
    # 行政处罚法 第三十二条: 首次违法、及时改正 → the 从轻 row of the 裁量基准 (第三十四条)
    top = selectors.matter_suggestions(officer_a, EXPIRED_FACTS)[0]
    assert top.code == "CF-SP-002"
    assert top.penalty.label == "第一百二十四条"
    assert top.levels[0].level == "从轻"
    assert top.levels[0].range_label == "50,000 至 70,000 元"


def test_an_officer_of_another_agency_gets_its_own_catalogue_only(officer_b, matters):
    assert selectors.matter_suggestions(officer_b, EXPIRED_FACTS) == []


def test_the_choice_is_logged_with_a_ledger_entry(client, officer_a, matters):
    decided(officer_a, matters["expired"], EXPIRED_FACTS, "60000")
    case = decided(officer_a, matters["expired"], "另一件", "60000").case
    client.force_login(officer_a)
    body = client.post(
        "/api/assist/matter-suggestions",
        {"facts": EXPIRED_FACTS, "case_id": str(case.public_id)},
        content_type="application/json",
    ).json()
    sid = body["suggestion_id"]
    assert body["results"][0]["penalty_article"]["label"] == "第一百二十四条"
    answer = client.post(
        f"/api/assist/suggestions/{sid}/answers",
        {"outcome": "accepted", "chosen": {"matter_code": "CF-SP-002", "level": "从轻"}},
        content_type="application/json",
    )
    assert answer.status_code == 201
    a = SuggestionAnswer.objects.get()
    assert (a.outcome, a.chosen["level"]) == ("accepted", "从轻")
    assert Entry.objects.get(seq=a.ledger_seq).kind == "assist.suggestion.answered"
    bad = client.post(
        f"/api/assist/suggestions/{sid}/answers", {"outcome": "maybe"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "outcome"


def test_tukey_fences_flag_far_out_fines_only():
    # the platform's own rule (docs/decisions/0019, registry keys assist.consistency.*): no law fixes one
    rule = consistency.limits(region="220702", on=dt.date(2026, 12, 1))
    assert (rule.min_cases, rule.fence, rule.min_spread) == (5, Decimal("1.5"), Decimal("0.1"))
    assert "不少于5件" in rule.rule and "1.5倍" in rule.rule and "中位数的10%" in rule.rule
    assert "三项平台设计决定第0019号" in rule.rule
    fines = [Decimal(x) for x in ("60000", "62000", "65000", "58000", "61000", "63000")]
    assert not consistency.assess(Decimal("62000"), fines, rule).flagged
    far = consistency.assess(Decimal("150000"), fines, rule)
    assert far.flagged and far.direction == "above"
    assert consistency.assess(Decimal("20000"), fines, rule).direction == "below"
    few = consistency.assess(Decimal("150000"), fines[:4], rule)
    assert not few.flagged and not few.enough  # fewer than 5 comparable cases: nothing is judged


def _history(officer, item, level_facts="首次违法，及时改正，货值金额较小"):
    for fine in ("52000", "55000", "56000", "58000", "60000", "54000"):
        decided(officer, item, f"当事人销售超过保质期的食品，{level_facts}", fine)


def test_the_consistency_flag_fires_on_a_far_out_fine_and_not_on_a_typical_one(officer_a, matters):
    # 行政处罚法 第五条第二款 (过罚相当) — compared within the same 裁量阶次 (第三十四条)
    _history(officer_a, matters["expired"])
    case = decided(officer_a, matters["expired"], "待比对", None).case
    typical = services.consistency_check(
        actor=officer_a, case=case, matter_code="CF-SP-002", level="从轻", proposed="56000"
    )
    far = services.consistency_check(
        actor=officer_a, case=case, matter_code="CF-SP-002", level="从轻", proposed="69000"
    )
    assert typical.count == 6 and not typical.flagged
    assert far.flagged and far.high < Decimal("69000")
    assert len(far.compared) == 6
    # never blocks: the officer states a reason, recorded
    with pytest.raises(InvalidInput) as exc:
        services.consistency_explain(actor=officer_a, check=far, reason=" ")
    assert exc.value.errors[0].field == "reason"
    services.consistency_explain(actor=officer_a, check=far, reason="当事人曾因同类违法被警告")
    assert far.suggestion.answers.get().reason == "当事人曾因同类违法被警告"
    assert ConsistencyCheck.objects.count() == 2


def test_the_check_and_the_reason_work_as_plain_forms_too(client, officer_a, matters):
    # a page whose htmx has not loaded yet (or a browser without scripts) posts the form itself: the
    # check is made and the assistance page shows it; a bad amount comes back as a message naming it
    _history(officer_a, matters["expired"])
    case = decided(officer_a, matters["expired"], "待比对", None).case
    client.force_login(officer_a)
    url = f"/staff/assist/cases/{case.public_id}/check/"
    form = {"matter_code": "CF-SP-002", "level": "从轻", "proposed": "69000", "facts": EXPIRED_FACTS}
    response = client.post(url, form, follow=True)
    page = response.content.decode()
    assert response.redirect_chain and 'data-flagged="1"' in page and "明显偏离类案" in page
    check = ConsistencyCheck.objects.get()
    explain = f"/staff/assist/cases/{case.public_id}/checks/{check.public_id}/explain/"
    page = client.post(explain, {"reason": "当事人曾因同类违法被警告"}, follow=True).content.decode()
    assert "已说明理由：当事人曾因同类违法被警告" in page
    bad = client.post(url, {**form, "proposed": "很多"}, follow=True).content.decode()
    assert "拟罚款数额" in bad and ConsistencyCheck.objects.count() == 1


def test_b_does_not_compare_with_a_unpublished_decisions(officer_a, officer_b, matters):
    _history(officer_a, matters["expired"])
    case_b = decided(officer_b, None, "乙机关的案件", None).case
    cmp = selectors.comparison(
        officer_b, case=case_b, matter_code="CF-SP-002", level="从轻", proposed=Decimal("69000")
    )
    assert cmp.assessment.count == 0 and cmp.compared == []


def test_the_supervisor_and_the_case_page_see_the_flag(client, officer_a, supervisor, matters):
    from sanxiang.accounts.selectors import my_work

    _history(officer_a, matters["expired"])
    case = decided(officer_a, matters["expired"], "待比对", None).case
    services.consistency_check(
        actor=officer_a, case=case, matter_code="CF-SP-002", level="从轻", proposed="90000"
    )
    items = [w for w in my_work(supervisor) if w.kind == "类案同罚提示"]
    assert len(items) == 1 and case.number in items[0].title
    client.force_login(officer_a)
    page = client.get(f"/staff/cases/{case.public_id}/").content.decode()
    assert "明显偏离" in page and "承办人尚未说明理由" in page


def test_duplicates_show_the_same_party_and_same_matter_first(officer_a, officer_b, matters):
    first = decided(officer_a, matters["expired"], "旧案", "50000")
    party = first.decision_parties.get().party
    decided(officer_a, matters["licence"], "另一事项的旧案", "60000", party=party)
    rows = selectors.duplicates(
        officer_a, parties=[{"credit_code": party.credit_code}], matter_code="CF-SP-002"
    )
    assert [r.same_matter for r in rows] == [True, False]
    assert rows[0].case == first.case and rows[0].why == "同一当事人、同一执法事项"
    assert (
        selectors.duplicates(officer_b, parties=[{"credit_code": party.credit_code}], matter_code="CF-SP-002")
        == []
    )


def test_the_registration_form_asks_for_duplicates_as_the_party_is_typed(
    client, officer_a, officer_b, matters
):
    first = decided(officer_a, matters["expired"], "旧案", "50000")
    party = first.decision_parties.get().party
    client.force_login(officer_a)
    assert 'id="duplicates-check"' in client.get("/staff/cases/new/").content.decode()
    query = {"party_count": "1", "party-0-credit_code": party.credit_code, "matter_code": "CF-SP-002"}
    html = client.get("/staff/assist/duplicates/", query).content.decode()
    assert first.case.number in html and "同一当事人、同一执法事项" in html
    client.force_login(officer_b)
    assert first.case.number not in client.get("/staff/assist/duplicates/", query).content.decode()
