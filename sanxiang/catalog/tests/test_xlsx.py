"""XLSX import and export: every row validated (line, field, reason), all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from sanxiang.catalog import selectors, services, xlsx
from sanxiang.catalog.models import EnforcementItem, ListKind, SpotCheckItem
from sanxiang.catalog.specs import DISCRETION_COLUMNS, DISCRETION_TITLE, SPECS
from sanxiang.catalog.tests.conftest import DAY, DISCRETION, item_data
from sanxiang.errors import InvalidInput

pytestmark = pytest.mark.django_db

ITEM_HEADERS = [c.header for c in SPECS[ListKind.ITEMS].columns]


def workbook(rows, discretion=(), headers=ITEM_HEADERS, title="行政执法事项清单", extra_header=()):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers) + list(extra_header))
    for r in rows:
        ws.append(r)
    if discretion:
        ds = wb.create_sheet(DISCRETION_TITLE)
        ds.append([c.header for c in DISCRETION_COLUMNS])
        for r in discretion:
            ds.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(code="CF-001", category="行政处罚", name="对未取得许可经营的处罚", unit="工作日", days=20):
    return [code, category, name, "中华人民共和国食品安全法", "第一百二十二条", "稽查科", days, unit, ""]


def do_import(head_a, agency_a, content, kind=ListKind.ITEMS, on=DAY):
    return xlsx.catalog_import(
        actor=head_a, kind=kind, agency=agency_a, content=content, effective_from=on, reason="批量导入"
    )


def test_an_import_creates_entries_with_their_discretion_rows(head_a, agency_a):
    content = workbook(
        [row("CF-001"), row("XK-001", category="许可", name="食品经营许可")],
        discretion=[["CF-001", 1, "一般", "首次违法", "罚款", 5000, 10000, None]],
    )
    result = do_import(head_a, agency_a, content)
    assert sorted(result.created) == ["CF-001", "XK-001"]
    item = EnforcementItem.objects.get(code="CF-001")
    assert item.category == "penalty" and item.time_limit_unit == "working"
    assert [(r.level, r.penalty_kinds, int(r.fine_max)) for r in item.discretion.all()] == [
        ("一般", ["fine"], 10000)
    ]


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_is_written(head_a, agency_a):
    content = workbook(
        [
            row("CF-001"),
            row("CF-002", category="处分"),  # line 3: unknown category
            row("CF-003", name=""),  # line 4: name missing
            row("CF-001"),  # line 5: duplicate code
            row("CF-004", days="二十"),  # line 6: not a number
        ],
        discretion=[["CF-999", 1, "一般", "情形", "罚款", 1, 2, None]],  # unknown item
    )
    with pytest.raises(InvalidInput) as info:
        do_import(head_a, agency_a, content)
    fields = {e.field for e in info.value.errors}
    assert {
        "行政执法事项清单:3:事项类别",
        "行政执法事项清单:4:事项名称",
        "行政执法事项清单:5:事项编码",
        "行政执法事项清单:6:办理时限",
        "裁量基准:2:事项编码",
    } <= fields
    assert all("第" in e.message and "行" in e.message for e in info.value.errors)
    assert EnforcementItem.objects.count() == 0


def test_service_rules_are_checked_for_every_row_before_writing(head_a, agency_a):
    # 行政处罚法 第三十四条: 裁量基准 only for penalty items; a bad range in the discretion sheet
    content = workbook(
        [row("CF-001"), row("XK-001", category="许可")],
        discretion=[
            ["CF-001", 1, "一般", "情形", "罚款", 9000, 8000, None],
            ["XK-001", 1, "一般", "情形", "", None, None, None],
        ],
    )
    with pytest.raises(InvalidInput) as info:
        do_import(head_a, agency_a, content)
    by_field = {e.field: e.rule for e in info.value.errors}
    assert by_field.get("裁量基准:2:discretion[0].fine_max") == "fine_range"
    assert by_field.get("行政执法事项清单:3:discretion") == "discretion_penalty_only"
    assert EnforcementItem.objects.count() == 0


def test_a_missing_column_and_an_unknown_column_are_reported(head_a, agency_a):
    headers = [h for h in ITEM_HEADERS if h != "承办机构"]
    content = workbook([], headers=headers, extra_header=["备用"])
    with pytest.raises(InvalidInput) as info:
        do_import(head_a, agency_a, content)
    rules = {(e.field, e.rule) for e in info.value.errors}
    assert ("行政执法事项清单:1:承办机构", "column_missing") in rules
    assert ("行政执法事项清单:1:备用", "column_unknown") in rules


def test_a_file_that_is_not_a_workbook_is_refused(head_a, agency_a):
    with pytest.raises(InvalidInput) as info:
        do_import(head_a, agency_a, b"not a workbook")
    assert info.value.errors[0].field == "file"


def test_export_then_import_changes_nothing(publish, head_a, agency_a):
    publish(discretion=DISCRETION)
    publish(data=item_data(code="XK-001", category="licensing", name="食品经营许可"))
    content = xlsx.catalog_export(kind=ListKind.ITEMS, agency=agency_a, on=DAY)
    result = do_import(head_a, agency_a, content, on=DAY + dt.timedelta(days=3))
    assert sorted(result.unchanged) == ["CF-001", "XK-001"]
    assert result.created == result.revised == []
    assert EnforcementItem.objects.count() == 2


def test_the_export_lists_the_entries_in_force_with_their_discretion(publish, agency_a):
    publish(discretion=DISCRETION)
    wb = load_workbook(io.BytesIO(xlsx.catalog_export(kind=ListKind.ITEMS, agency=agency_a, on=DAY)))
    main = list(wb["行政执法事项清单"].iter_rows(values_only=True))
    assert main[0][: len(ITEM_HEADERS)] == tuple(ITEM_HEADERS)
    assert main[1][0] == "CF-001" and main[1][1] == "行政处罚"
    rules = list(wb[DISCRETION_TITLE].iter_rows(values_only=True))
    assert [r[2] for r in rules[1:]] == ["从轻", "从重"]


def test_an_import_revises_changed_entries_and_withdraws_those_marked(publish, head_a, agency_a):
    publish()
    publish(data=item_data(code="CF-002", name="另一事项"))
    content = workbook(
        [[*row("CF-001", name="改名后的事项"), "有效"], [*row("CF-002", name="另一事项"), "废止"]],
        extra_header=["状态"],
    )
    result = do_import(head_a, agency_a, content, on=DAY + dt.timedelta(days=1))
    assert (result.revised, result.withdrawn) == (["CF-001"], ["CF-002"])
    current = list(selectors.in_force(EnforcementItem, agency=agency_a, on=DAY + dt.timedelta(days=1)))
    assert [(e.code, e.name) for e in current] == [("CF-001", "改名后的事项")]


def test_other_lists_import_by_their_own_columns(head_a, agency_a):
    headers = [c.header for c in SPECS[ListKind.SPOT_CHECKS].columns]
    content = workbook(
        [
            [
                "CC-1",
                "食品经营者检查",
                "稽查科",
                "食品安全法",
                "第一百一十条",
                "食品经营者",
                "许可、进货查验",
                "双随机",
                5,
                "每年一次",
            ]
        ],
        headers=headers,
        title="随机抽查事项清单",
    )
    assert do_import(head_a, agency_a, content, kind=ListKind.SPOT_CHECKS).created == ["CC-1"]
    assert SpotCheckItem.objects.get().ratio == 5


def test_only_editors_may_import(officer_a, agency_a):
    with pytest.raises(services.Forbidden):
        do_import(officer_a, agency_a, workbook([row()]))
