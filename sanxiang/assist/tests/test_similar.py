"""Similar cases: ranked by BM25 over the decisions, current as decisions are made, and scoped — the
published decisions of the city to everyone of its agencies, an agency's unpublished ones to its own
staff only."""

import pytest

from sanxiang.assist import engine, selectors, text
from sanxiang.assist.tests.conftest import decided, publish_decision

pytestmark = pytest.mark.django_db

EXPIRED_FACTS = "当事人在其经营的超市货架上销售超过保质期的牛奶12盒，货值金额360元，系首次违法并及时改正"
LICENCE_FACTS = "当事人未取得食品经营许可，在街道开办熟食店经营卤肉，货值金额3000元"


def test_the_legal_terms_dictionary_keeps_terms_whole():
    words = text.terms("当事人销售超过保质期的食品，货值金额较小，违法所得200元")
    assert {"超过保质期", "货值金额", "违法所得"} <= set(words)
    assert "当事人" not in words  # a function word for this purpose


def test_a_document_added_later_is_found_at_once_and_scored_like_the_others():
    docs = [["超过保质期", "牛奶"], ["食品经营许可", "熟食"], ["扬尘", "工地"]]
    built = engine.Searcher([1, 2, 3], docs)
    later = engine.Searcher([1, 2], docs[:2])
    later.add(3, docs[2])
    assert [h.key for h in built.top(["扬尘"], 2)] == [h.key for h in later.top(["扬尘"], 2)] == [3]


def test_the_most_similar_decided_case_comes_first_with_the_terms_that_match(officer_a, matters):
    decided(officer_a, matters["licence"], LICENCE_FACTS, "60000")
    expired = decided(officer_a, matters["expired"], "当事人销售超过保质期的牛奶，货值金额200元", "50000")
    rows = selectors.similar_cases(officer_a, EXPIRED_FACTS)
    assert rows[0].decision == expired
    assert "超过保质期" in rows[0].matched
    assert rows[0].penalty.startswith("罚款")
    assert rows[0].outcome == "决定生效，未被变更或撤销"


def test_a_decision_made_after_the_searcher_was_built_is_found(officer_a, matters):
    old = decided(officer_a, matters["licence"], LICENCE_FACTS, "60000")
    assert [r.decision for r in selectors.similar_cases(officer_a, EXPIRED_FACTS)] == [old]
    new = decided(officer_a, matters["expired"], EXPIRED_FACTS, "50000")
    assert [r.decision for r in selectors.similar_cases(officer_a, EXPIRED_FACTS)] == [new, old]


def test_agency_b_never_sees_agency_a_unpublished_decisions_but_sees_the_published_ones(
    officer_a, officer_b, matters, disclosure_officer_a
):
    unpublished = decided(officer_a, matters["expired"], EXPIRED_FACTS, "50000")
    published = decided(officer_a, matters["expired"], EXPIRED_FACTS + "，另有过期面包", "60000")
    publish_decision(published, disclosure_officer_a)
    mine = {r.decision for r in selectors.similar_cases(officer_a, EXPIRED_FACTS)}
    theirs = {r.decision for r in selectors.similar_cases(officer_b, EXPIRED_FACTS)}
    assert mine == {unpublished, published}
    assert theirs == {published}
    assert [r.public for r in selectors.similar_cases(officer_b, EXPIRED_FACTS)] == [True]


def test_a_published_decision_of_another_city_is_not_offered(
    officer_a, matters, disclosure_officer_a, agency_elsewhere
):
    from sanxiang.testing.factories import UserFactory

    far = UserFactory(agency=agency_elsewhere, roles=["officer"])
    agency_elsewhere.region_code = "220800"  # 白城市: another city
    agency_elsewhere.save(update_fields=["region_code"])
    d = decided(officer_a, matters["expired"], EXPIRED_FACTS, "50000")
    publish_decision(d, disclosure_officer_a)
    far.refresh_from_db()
    assert selectors.similar_cases(far, EXPIRED_FACTS) == []


def test_an_anonymous_visitor_gets_nothing(anonymous, officer_a, matters):
    decided(officer_a, matters["expired"], EXPIRED_FACTS, "50000")
    assert selectors.similar_cases(anonymous, EXPIRED_FACTS) == []


def test_the_api_returns_similar_cases_and_logs_the_offer(client, officer_a, officer_b, matters):
    from sanxiang.assist.models import Suggestion

    decided(officer_a, matters["expired"], EXPIRED_FACTS, "50000")
    client.force_login(officer_a)
    body = client.post(
        "/api/assist/similar-cases", {"facts": EXPIRED_FACTS}, content_type="application/json"
    ).json()
    assert body["results"][0]["matched_terms"] and body["suggestion_id"]
    assert Suggestion.objects.get(public_id=body["suggestion_id"]).kind == "similar"
    client.force_login(officer_b)
    body = client.post(
        "/api/assist/similar-cases", {"facts": EXPIRED_FACTS}, content_type="application/json"
    ).json()
    assert body["results"] == []
