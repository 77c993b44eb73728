"""Statute texts as data: parsed from Markdown, imported as versions, articles addressable."""

import datetime as dt

import pytest

from sanxiang.assist import laws, selectors, services
from sanxiang.assist.models import Article, StatuteVersion
from sanxiang.assist.tests.conftest import LAWS
from sanxiang.errors import InvalidInput
from sanxiang.ledger.models import Entry


def test_chinese_article_numbers_read_both_ways():
    assert laws.article_number("第一百二十二条") == 122
    assert laws.article_number("第十条") == 10
    assert laws.article_number("第一百零五条") == 105
    assert [laws.article_label(n) for n in (1, 10, 15, 20, 105, 110, 122)] == [
        "第一条",
        "第十条",
        "第十五条",
        "第二十条",
        "第一百零五条",
        "第一百一十条",
        "第一百二十二条",
    ]
    assert laws.referenced_articles("违反本法第三十五条第一款、第三十九条规定的") == [35, 39]


def test_both_markdown_layouts_are_read_with_chapters_and_paragraphs():
    current = laws.parse((LAWS / "中华人民共和国食品安全法.md").read_text(encoding="utf-8"))
    older = laws.parse((LAWS / "中华人民共和国食品安全法_2021修正_已被修改.md").read_text(encoding="utf-8"))
    assert current.title == older.title == "中华人民共和国食品安全法"
    assert len(current.articles) == len(older.articles) == 154
    a124 = next(a for a in current.articles if a.number == 124)
    assert a124.chapter == "第九章 法律责任"
    assert "（二）用超过保质期的食品原料" in a124.text  # the items (项) stay with their article
    assert current.effective_from == dt.date(2025, 12, 1)
    assert older.effective_from == dt.date(2021, 4, 29)


def test_a_text_without_articles_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as exc:
        services.statute_import(actor=None, text="# 某某条例\n\n总则而已。")
    assert exc.value.errors[0].field == "text"
    assert "条文" in exc.value.errors[0].message


@pytest.mark.django_db
def test_a_new_text_is_a_new_version_and_the_one_in_force_is_chosen_by_date():
    old = services.statute_import(
        actor=None, text=(LAWS / "中华人民共和国食品安全法_2021修正_已被修改.md").read_text(encoding="utf-8")
    )
    new = services.statute_import(
        actor=None, text=(LAWS / "中华人民共和国食品安全法.md").read_text(encoding="utf-8")
    )
    again = services.statute_import(
        actor=None, text=(LAWS / "中华人民共和国食品安全法.md").read_text(encoding="utf-8")
    )
    assert again.pk == new.pk and StatuteVersion.objects.count() == 2
    statute = new.statute
    assert selectors.version_in_force(statute, dt.date(2025, 6, 1)) == old
    assert selectors.version_in_force(statute, dt.date(2026, 1, 1)) == new
    art = selectors.article("食品安全法", "第一百二十二条", dt.date(2026, 1, 1))
    assert art is not None and art.version == new and "未取得食品生产经营许可" in art.text
    assert Entry.objects.filter(kind="assist.statute.imported").count() == 2


@pytest.mark.django_db
def test_imported_articles_are_never_changed():
    from django.db import IntegrityError, transaction

    services.statute_import(
        actor=None, text=(LAWS / "中华人民共和国行政处罚法.md").read_text(encoding="utf-8")
    )
    a = Article.objects.get(number=34)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=a.pk).update(text="改过的")


@pytest.mark.django_db
def test_the_public_pages_show_a_statute_and_an_article(client, food_law):
    page = client.get("/laws/")
    assert "《中华人民共和国食品安全法》" in page.content.decode()
    page = client.get("/laws/中华人民共和国食品安全法/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="a122"' in html and "第九章 法律责任" in html
    page = client.get("/laws/中华人民共和国食品安全法/122/")
    assert page.status_code == 200 and "未取得食品生产经营许可" in page.content.decode()
    assert client.get("/laws/中华人民共和国食品安全法/999/").status_code == 404
    api = client.get("/api/assist/laws/中华人民共和国食品安全法/articles/122")
    assert api.status_code == 200 and api.json()["citation"] == "《中华人民共和国食品安全法》第一百二十二条"
