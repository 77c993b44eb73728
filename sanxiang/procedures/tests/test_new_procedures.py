"""The procedures the source documents name beyond 处罚、许可、强制、检查 — 行政收费 and 行政征收
(《松原市行政执法公示办法》第十六条第二款; 《松原市行政执法全过程记录实施办法》第二条), 行政确认、行政裁决、
行政给付 (昆明市 工作方案; 陵川县交通运输局 陵交字〔2019〕36号) — each run from start to archive through the
cases services: the decision is stored as its row and its 公示 duty is created."""

from decimal import Decimal

import pytest

from sanxiang.cases import services
from sanxiang.cases.models import Decision
from sanxiang.cases.tests.factories import ORGANISATION, open_case
from sanxiang.disclosure.models import Duty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calendar(calendar):  # the working-day calendar of the years the cases run in
    yield


def add(actor, case, kind, officers=None, **payload):
    return services.record_add(actor=actor, case=case, kind=kind, payload=payload, officers=officers)


def move(actor, case, *transitions):
    for t in transitions:
        services.case_transition(actor=actor, case=case, transition=t)
    case.refresh_from_db()
    return case


def serve(actor, case):
    add(actor, case, "service_direct", recipient=ORGANISATION["name"], document="通知书", content="直接送达")


def test_a_fee_runs_from_assessment_to_archive_and_stores_its_amount(handler, second_officer, traveller):
    # 《松原市行政执法公示办法》第十六条第二款 (行政收费决定结果公开); 记录办法 第二条、第二十八条、第三十二条
    case = open_case(handler, procedure="fee", title="收取占道费")
    assert case.number.startswith("费〔2026〕")
    add(
        handler,
        case,
        "fee_assessment",
        item="城市道路占用费",
        basis="收费标准文件",
        amount="360",
        content="核定",
    )
    add(
        handler,
        case,
        "fee_notice",
        document_number="费通〔2026〕1号",
        item="城市道路占用费",
        amount="360",
        content="缴纳城市道路占用费360元",
    )
    move(handler, case, "serve")
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.document_number) == ("fee", "费通〔2026〕1号")
    assert [(line.category, line.kind, line.amount) for line in decision.lines.all()] == [
        ("fee", "城市道路占用费", Decimal("360.00"))
    ]
    assert Duty.objects.get().source_kind == "other"
    serve(handler, case)
    move(handler, case, "collect")
    add(handler, case, "performance_record", amount_paid="360", performed=True, content="票据号 0001")
    case = move(handler, case, "archive")
    assert case.stage == "archived"
    add(handler, case, "archive_record", volumes="1", location="档案室")
