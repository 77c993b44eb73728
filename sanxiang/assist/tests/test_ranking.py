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
