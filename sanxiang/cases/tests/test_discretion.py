"""裁量基准 (行政处罚法 第三十四条): the proposed fine is compared with the matter's discretion rows
at report, defence review, draft and decision; below the range needs a stated ground (从轻、减轻、不予处罚,
行政处罚法 第三十二条、第三十三条), above it is refused; the reviewer's item shows the comparison."""

import datetime as dt

import pytest

from sanxiang.cases import discretion, services
from sanxiang.cases.tests.factories import approve, open_case, present
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.errors import InvalidInput

pytestmark = pytest.mark.django_db

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
        effective_from=dt.date(2026, 1, 1),
        reason="首次公布",
    )


def _case(handler, reviewer_a, head_a, matter_code="CF-SP-001"):
    case = open_case(handler, matter_code=matter_code)
    approve(case, "filing_approval", handler=handler, reviewer=reviewer_a, head=head_a)
    services.case_transition(actor=handler, case=case, transition="file")
    services.record_add(
        actor=handler, case=case, kind="inquiry_record", payload={"content": "询问"}, officers=present(case)
    )
    return case


def _report(case, handler, fine, **extra):
    return services.record_add(
        actor=handler,
        case=case,
        kind="investigation_report",
        payload={
            "facts": "无证经营",
            "evidence": "笔录",
            "basis": "食品安全法 第一百二十二条",
            "penalty_kinds": ["fine"],
            "fine_amount": fine,
            **extra,
        },
    )


def test_a_fine_within_a_level_names_the_level(matter, handler, reviewer_a, head_a, traveller):
    # 行政处罚法 第三十四条
    case = _case(handler, reviewer_a, head_a)
    _report(case, handler, "90000")
    check = discretion.compare_case(case)
    assert check is not None and not check.outside and check.applied.level == "一般"
    assert "在“一般”阶次" in check.verdict


def test_a_fine_below_the_range_needs_a_ground_and_reasons_and_then_is_shown_with_them(
    matter, handler, reviewer_a, head_a, traveller
):
    # 行政处罚法 第三十二条 (从轻、减轻), 第三十三条 (不予处罚), 第三十四条 (裁量基准)
    case = _case(handler, reviewer_a, head_a)
    with pytest.raises(InvalidInput) as caught:
        _report(case, handler, "20000")
    fields = {e.field: e for e in caught.value.errors}
    assert set(fields) == {"payload.discretion_ground", "payload.discretion_reason"}
    assert "50,000" in fields["payload.discretion_ground"].message
    assert "第三十二条、第三十三条" in fields["payload.discretion_ground"].message
    assert not case.records.filter(kind="investigation_report").exists()
    _report(case, handler, "20000", discretion_ground="mitigated", discretion_reason="主动消除违法后果")
    check = discretion.compare_case(case)
    assert check.below and "减轻处罚" in check.verdict and "主动消除违法后果" in check.verdict


def test_a_fine_above_the_range_is_refused(matter, handler, reviewer_a, head_a, traveller):
    # 行政处罚法 第三十四条: the published 裁量基准 binds the agency
    case = _case(handler, reviewer_a, head_a)
    with pytest.raises(InvalidInput) as caught:
        _report(case, handler, "200000", discretion_ground="lighter", discretion_reason="—")
    assert caught.value.errors[0].rule == "discretion_above"


def test_a_case_without_a_matter_is_not_checked(handler, reviewer_a, head_a, traveller):
    case = _case(handler, reviewer_a, head_a, matter_code="")
    _report(case, handler, "20000")
    assert discretion.compare_case(case) is None
