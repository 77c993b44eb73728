"""The text and ranking parts of the assistance (pure: no database): synonyms, the procedure's own
words, and the re-ranking of BM25 candidates by the suggested matter and 裁量阶次."""

from sanxiang.assist import suggest, text


def test_expand_adds_the_synonyms_an_officer_might_have_written_instead():
    query = text.expand(text.terms("某超市销售过期牛奶"))
    assert "超过保质期" in query and query.count("过期") == 1
    assert text.expand(["牛奶"]) == ["牛奶"]


def test_procedure_words_are_not_terms_of_the_facts():
    # 经查、执法人员现场检查发现 say how the facts were found; every decision has them
    assert text.terms("经查，执法人员现场检查发现，当事人销售超过保质期的牛奶") == text.terms(
        "当事人销售超过保质期的牛奶"
    )


def test_rerank_puts_the_suggested_matter_and_level_first():
    # 行政处罚法 第五条: a penalty fits the facts, nature, circumstances and harm — a case decided under
    # the same matter and 裁量阶次 is the comparable one, before one that only shares more words
    hits = [(1, 9.0), (2, 8.0), (3, 4.0)]
    docs = {1: ("SP-LIC", "从轻"), 2: ("SP-EXP", "一般"), 3: ("SP-EXP", "从轻")}
    matters = [suggest.Ranked("SP-EXP", 2.0), suggest.Ranked("SP-LIC", 1.0)]
    assert [key for key, _ in suggest.rerank(hits, docs, matters, "从轻")] == [3, 2, 1]
    assert [key for key, _ in suggest.rerank(hits, docs, [], "")] == [1, 2, 3]


ROWS = [
    ("light", "从轻", "首次违法，及时改正"),
    ("normal", "一般", "违法行为一般"),
    ("heavy", "从重", "造成危害后果"),
]


def _best(facts: str) -> str:
    return suggest.rank_levels(facts, text.terms(facts), ROWS)[0].key


def test_the_statutes_own_lighter_wordings_suggest_the_lighter_row_even_where_they_name_harm():
    # 行政处罚法 第三十三条 (初次违法且危害后果轻微并及时改正; 没有造成危害后果) and 第三十二条 (受他人胁迫;
    # 主动供述; 立功): "危害后果" here says there was little or none, not that harm was done
    assert _best("当事人初次违法且危害后果轻微并及时改正") == "light"
    assert _best("当事人没有造成危害后果，已整改") == "light"
    assert _best("当事人受他人胁迫实施违法行为") == "light"
    assert _best("当事人主动供述行政机关尚未掌握的违法行为") == "light"
    # harm that was done still weighs: the heavier row
    assert _best("当事人的违法行为造成危害后果，多名消费者就医") == "heavy"
    assert _best("当事人销售超过保质期的食品") == "normal"
