"""Catalogue entries are versioned with effective dates; nothing is edited in place."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.catalog import selectors, services
from sanxiang.catalog.models import DiscretionRule, EnforcementItem, ListKind
from sanxiang.catalog.tests.conftest import DAY, DISCRETION, item_data
from sanxiang.errors import InvalidInput

pytestmark = pytest.mark.django_db


def in_force(agency, on):
    return list(selectors.in_force(EnforcementItem, agency=agency, on=on))


def test_a_revision_is_a_new_row_and_the_old_version_stays(publish, agency_a):
    first = publish().entry
    second = publish(data=item_data(name="新名称"), on=DAY + dt.timedelta(days=10), reason="法规修改").entry
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.name == item_data()["name"]  # untouched
    assert EnforcementItem.objects.filter(agency=agency_a, code="CF-001").count() == 2


def test_the_version_in_force_depends_on_the_day(publish, agency_a):
    publish()
    publish(data=item_data(name="修订后名称"), on=DAY + dt.timedelta(days=10), reason="法规修改")
    assert in_force(agency_a, DAY - dt.timedelta(days=1)) == []
    assert [e.name for e in in_force(agency_a, DAY)] == [item_data()["name"]]
    assert [e.name for e in in_force(agency_a, DAY + dt.timedelta(days=10))] == ["修订后名称"]


def test_on_the_same_day_the_higher_version_wins(publish, agency_a):
    publish()
    publish(data=item_data(name="更正后名称"), reason="更正错误")
    assert [e.version for e in in_force(agency_a, DAY)] == [2]


def test_a_withdrawn_entry_leaves_the_list_but_not_its_history(publish, head_a, agency_a):
    publish()
    services.entry_withdraw(
        actor=head_a,
        kind=ListKind.ITEMS,
        agency=agency_a,
        code="CF-001",
        effective_from=DAY + dt.timedelta(days=5),
        reason="法规废止",
    )
    assert in_force(agency_a, DAY + dt.timedelta(days=4)) != []
    assert in_force(agency_a, DAY + dt.timedelta(days=5)) == []
    versions = list(selectors.history(EnforcementItem, agency=agency_a, code="CF-001"))
    assert [(v.version, v.withdrawn) for v in versions] == [(2, True), (1, False)]
    assert versions[0].name == versions[1].name  # the withdrawal shows what was withdrawn


def test_withdrawing_an_unknown_entry_is_refused(head_a, agency_a):
    with pytest.raises(InvalidInput) as info:
        services.entry_withdraw(
            actor=head_a, kind=ListKind.ITEMS, agency=agency_a, code="NOPE", effective_from=DAY, reason="x"
        )
    assert info.value.errors[0].rule == "entry_unknown"


def test_a_version_effective_before_the_previous_one_is_refused(publish):
    publish()
    with pytest.raises(InvalidInput) as info:
        publish(data=item_data(name="x"), on=DAY - dt.timedelta(days=1))
    assert [e.rule for e in info.value.errors] == ["effective_from_order"]
    assert info.value.errors[0].field == "effective_from"


def test_publishing_the_same_version_again_is_idempotent(publish, agency_a):
    first = publish(discretion=DISCRETION)
    again = publish(discretion=DISCRETION)
    assert first.created and not again.created
    assert again.entry.pk == first.entry.pk
    assert EnforcementItem.objects.filter(agency=agency_a).count() == 1


def test_missing_fields_are_named_and_nothing_is_written(publish, agency_a):
    with pytest.raises(InvalidInput) as info:
        publish(data=item_data(name="", basis_law=""), reason="")
    fields = {e.field for e in info.value.errors}
    assert {"name", "basis_law", "reason"} <= fields
    assert EnforcementItem.objects.count() == 0


def test_an_unknown_category_is_refused(publish):
    with pytest.raises(InvalidInput) as info:
        publish(data=item_data(category="magic"))
    assert [e.field for e in info.value.errors] == ["category"]


def test_discretion_rows_are_stored_with_the_version(publish):
    entry = publish(discretion=DISCRETION).entry
    rows = list(entry.discretion.all())
    assert [(r.position, r.level) for r in rows] == [(1, "从轻"), (2, "从重")]
    assert rows[1].penalty_kinds == ["fine", "confiscate_gains"]


def test_a_discretion_range_upside_down_is_refused(publish):
    # 行政处罚法 第三十四条: the published 裁量基准 must be coherent
    bad = [{**DISCRETION[0], "fine_min": "90000", "fine_max": "80000"}]
    with pytest.raises(InvalidInput) as info:
        publish(discretion=bad)
    assert [(e.field, e.rule) for e in info.value.errors] == [("discretion[0].fine_max", "fine_range")]
    assert DiscretionRule.objects.count() == 0


def test_discretion_rows_only_for_penalty_items(publish):
    # 行政处罚法 第三十四条: 行政处罚裁量基准
    with pytest.raises(InvalidInput) as info:
        publish(data=item_data(category="licensing"), discretion=DISCRETION)
    assert [e.rule for e in info.value.errors] == ["discretion_penalty_only"]
    assert "第三十四条" in info.value.errors[0].message


def test_an_unknown_penalty_kind_in_a_discretion_row_is_refused(publish):
    # 行政处罚法 第九条: the kinds of penalty
    with pytest.raises(InvalidInput) as info:
        publish(discretion=[{**DISCRETION[0], "penalty_kinds": ["flogging"]}])
    assert info.value.errors[0].rule == "penalty_kind"


def test_a_changed_discretion_table_is_a_new_version(publish):
    publish(discretion=DISCRETION)
    second = publish(discretion=DISCRETION[:1], on=DAY + dt.timedelta(days=1))
    assert second.created and second.entry.version == 2
    assert second.entry.discretion.count() == 1


def test_only_administrators_and_heads_of_the_agency_may_edit(
    publish, officer_a, head_b, administrator, agency_a
):
    for outsider in (officer_a, head_b):
        with pytest.raises(services.Forbidden):
            publish(actor=outsider)
    assert publish(actor=administrator).created


def test_a_spot_check_ratio_must_be_a_percentage(publish):
    data = {
        "code": "CC-1",
        "name": "食品经营者检查",
        "subject": "执法稽查科",
        "basis_law": "食品安全法",
        "basis_article": "第一百一十条",
        "target": "食品经营者",
        "content": "经营许可、进货查验",
        "method": "双随机",
        "ratio": "120",
        "frequency": "每年一次",
    }
    with pytest.raises(InvalidInput) as info:
        publish(kind=ListKind.SPOT_CHECKS, data=data)
    assert [e.rule for e in info.value.errors] == ["ratio_range"]
    assert publish(kind=ListKind.SPOT_CHECKS, data={**data, "ratio": "5"}).created


def test_every_published_version_is_written_to_the_ledger(publish, head_a):
    # DESIGN.md: every change the law cares about is a ledger entry in the same transaction
    from sanxiang.ledger.models import Entry

    entry = publish(discretion=DISCRETION).entry
    logged = Entry.objects.filter(kind="catalog.entry_published", subject_id=str(entry.public_id))
    assert logged.count() == 1
    assert '"fine_max":"80000"' in logged.get().body.replace(" ", "")
    publish(discretion=DISCRETION)  # an idempotent retry writes nothing
    assert Entry.objects.filter(kind="catalog.entry_published").count() == 1
