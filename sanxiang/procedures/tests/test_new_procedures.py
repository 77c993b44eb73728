"""The procedures the source documents name beyond 处罚、许可、强制、检查 — 行政收费 and 行政征收
(《松原市行政执法公示办法》第十六条第二款; 《松原市行政执法全过程记录实施办法》第二条), 行政确认、行政裁决、
行政给付 (昆明市 工作方案; 陵川县交通运输局 陵交字〔2019〕36号) — each run from start to archive through the
cases services: the decision is stored as its row and its 公示 duty is created."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanxiang.cases import clock, services
from sanxiang.cases.models import Decision
from sanxiang.cases.selectors import case_deadlines
from sanxiang.cases.tests.factories import ORGANISATION, approve, open_case, present
from sanxiang.disclosure.models import Duty
from sanxiang.errors import InvalidInput, TransitionRefused

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


@pytest.fixture
def people(handler, second_officer, reviewer_a, head_a):
    return {"handler": handler, "reviewer": reviewer_a, "head": head_a}


def approved(people, case, kind="decision_approval"):
    approve(case, kind, handler=people["handler"], reviewer=people["reviewer"], head=people["head"])


def test_a_levy_runs_from_investigation_to_court_enforcement_and_archive(people, traveller):
    # 《松原市行政执法全过程记录实施办法》第二条 (行政征收); 公示办法 第十六条第二款; 行政强制法 第三十五条、第五十四条
    h = people["handler"]
    case = open_case(h, procedure="levy", title="征收污水处理费")
    assert case.number.startswith("征〔2026〕")
    add(h, case, "levy_investigation", item="污水处理费", basis="收费标准", amount="1200", content="核定")
    move(h, case, "decide")
    with pytest.raises(InvalidInput):  # the head's approval first (记录办法 第三十八条)
        add(
            h,
            case,
            "levy_decision",
            document_number="征决〔2026〕1号",
            item="污水处理费",
            amount="1200",
            basis="依据",
            content="征收",
        )
    approved(people, case)
    add(
        h,
        case,
        "levy_decision",
        document_number="征决〔2026〕1号",
        item="污水处理费",
        amount="1200",
        basis="依据",
        content="征收污水处理费1200元",
    )
    move(h, case, "serve")
    decision = Decision.objects.get(case=case)
    assert decision.kind == "levy"
    assert [(line.kind, line.amount) for line in decision.lines.all()] == [("污水处理费", Decimal("1200.00"))]
    serve(h, case)
    move(h, case, "collect")
    add(h, case, "enforcement_reminder", content="催告")
    # 行政强制法 第五十四条、第六十九条: 催告书送达十个工作日后仍未履行的，才可以申请人民法院强制执行
    with pytest.raises(InvalidInput) as early:
        add(h, case, "court_application", court="宁江区人民法院", completed=True, content="申请强制执行")
    assert "reminder_wait" in {e.rule for e in early.value.errors}
    assert "10个工作日" in early.value.errors[0].message
    later = timezone.now() + dt.timedelta(days=20)
    with clock.at(later):
        add(h, case, "court_application", court="宁江区人民法院", completed=True, content="申请强制执行")
        assert move(h, case, "archive").stage == "archived"
    court = next(d for d in case_deadlines(case) if d.key == "court_application")
    assert court.state == "met"


def test_a_court_application_needs_the_reminder_first(people, traveller):
    # 行政强制法 第五十四条: 行政机关申请人民法院强制执行前，应当催告当事人履行义务
    h = people["handler"]
    case = open_case(h, procedure="fee", title="收取工本费")
    add(h, case, "fee_assessment", item="工本费", basis="标准", amount="10", content="核定")
    add(
        h,
        case,
        "fee_notice",
        document_number="费通〔2026〕2号",
        item="工本费",
        amount="10",
        content="缴纳工本费10元",
    )
    move(h, case, "serve")
    serve(h, case)
    move(h, case, "collect")
    with pytest.raises(InvalidInput) as refused:
        add(h, case, "court_application", court="宁江区人民法院", content="申请强制执行")
    assert "reminder_first" in {e.rule for e in refused.value.errors}


def test_a_confirmation_runs_from_application_to_archive(people, traveller):
    # 昆明市 工作方案 二、（一）1 and 陵川 实施方案 二、（二）1 (行政确认)
    h = people["handler"]
    case = open_case(h, procedure="confirmation", title="确认道路运输从业资格", source="application")
    add(h, case, "application_register", content="申请")
    with pytest.raises(TransitionRefused):
        move(h, case, "accept")  # 受理通知书 first
    add(h, case, "acceptance_receipt", content="受理")
    move(h, case, "accept")
    approved(people, case)
    add(
        h,
        case,
        "confirmation_decision",
        confirmed=True,
        document_number="确〔2026〕1号",
        reason="符合条件",
        content="予以确认",
    )
    move(h, case, "serve")
    decision = Decision.objects.get(case=case)
    assert (decision.kind, decision.document_number) == ("confirmation", "确〔2026〕1号")
    assert Duty.objects.get().source_kind == "other"
    serve(h, case)
    assert move(h, case, "archive").stage == "archived"


def test_a_confirmation_is_decided_within_the_registration_period_and_extends_once(people, traveller):
    # 《中华人民共和国市场主体登记管理条例》第十九条第一款: 不能当场登记的，应当在3个工作日内予以登记；
    # 情形复杂的，经登记机关负责人批准，可以再延长3个工作日
    from sanxiang.cases.services import case_extend
    from sanxiang.workdays.services import add_working_days

    h = people["handler"]
    case = open_case(h, procedure="confirmation", title="个体工商户设立登记", source="application")
    add(h, case, "application_register", content="申请")
    add(h, case, "acceptance_receipt", content="受理")
    move(h, case, "accept")
    decision = next(d for d in case_deadlines(case) if d.key == "decision")
    accepted = timezone.localdate()
    assert (decision.days, decision.period_label) == (3, "3个工作日")
    assert decision.due == add_working_days(accepted, 3).due
    assert "市场主体登记管理条例" in decision.limit.source
    with pytest.raises(InvalidInput) as too_long:
        case_extend(actor=people["head"], case=case, limit="decision", days=4, reason="情形复杂")
    assert "extension_cap" in {e.rule for e in too_long.value.errors}
    case_extend(actor=people["head"], case=case, limit="decision", days=3, reason="情形复杂")
    extended = next(d for d in case_deadlines(case) if d.key == "decision")
    assert extended.due == add_working_days(accepted, 6).due


def test_an_adjudication_hears_the_other_party_before_deciding(people, traveller):
    # 昆明市 工作方案 二、（一）1 and 陵川 实施方案 二、（二）1 (行政裁决)
    h = people["handler"]
    case = open_case(h, procedure="adjudication", title="林木权属争议裁决", source="application")
    add(h, case, "application_register", content="申请")
    add(h, case, "acceptance_receipt", content="受理")
    move(h, case, "accept")
    with pytest.raises(TransitionRefused) as refused:
        move(h, case, "decide")  # no 答辩通知 yet
    assert "records.reply_notice" in {e.field for e in refused.value.errors}
    add(h, case, "reply_notice", content="通知答辩")
    add(h, case, "reply_statement", content="答辩")
    add(h, case, "inquiry_record", officers=present(case), content="质证")
    move(h, case, "decide")
    approved(people, case)
    add(
        h,
        case,
        "adjudication_decision",
        document_number="裁〔2026〕1号",
        facts="争议",
        basis="森林法",
        result="林木归申请人所有",
        content="裁决",
    )
    move(h, case, "serve")
    assert Decision.objects.get(case=case).kind == "adjudication"
    serve(h, case)
    assert move(h, case, "archive").stage == "archived"


def test_an_adjudication_goes_to_court_only_after_the_partys_time_to_sue(people, traveller):
    # 《中华人民共和国专利法》第六十五条: 当事人不服的，可以自收到处理通知之日起十五日内起诉；
    # 侵权人期满不起诉又不停止侵权行为的，管理专利工作的部门可以申请人民法院强制执行
    from sanxiang.workdays.services import add_natural_days

    h = people["handler"]
    case = open_case(h, procedure="adjudication", title="专利侵权纠纷处理", source="application")
    add(h, case, "application_register", content="申请")
    add(h, case, "acceptance_receipt", content="受理")
    move(h, case, "accept")
    add(h, case, "reply_notice", content="通知答辩")
    add(h, case, "inquiry_record", officers=present(case), content="质证")
    move(h, case, "decide")
    approved(people, case)
    add(
        h,
        case,
        "adjudication_decision",
        document_number="裁〔2026〕2号",
        facts="侵权",
        basis="专利法 第六十五条",
        result="责令停止侵权",
        content="处理决定",
    )
    move(h, case, "serve")
    with pytest.raises(InvalidInput) as unserved:
        add(h, case, "court_application", court="宁江区人民法院", content="申请强制执行")
    assert "service_first" in {e.rule for e in unserved.value.errors}
    serve(h, case)
    served = timezone.localdate()
    with pytest.raises(InvalidInput) as early:
        add(h, case, "court_application", court="宁江区人民法院", content="申请强制执行")
    assert "court_wait" in {e.rule for e in early.value.errors}
    assert "15日" in early.value.errors[0].message
    move(h, case, "archive")
    earliest = add_natural_days(served, 15).due
    assert next(d for d in case_deadlines(case) if d.key == "court_application").due == earliest
    with clock.at(timezone.make_aware(dt.datetime.combine(earliest, dt.time(10)))):
        add(h, case, "court_application", court="宁江区人民法院", content="申请强制执行")
    court = next(d for d in case_deadlines(case) if d.key == "court_application")
    assert court.state == "met"


def test_a_benefit_is_decided_paid_out_and_archived_with_its_amount(people, traveller):
    # 昆明市 工作方案 二、（一）1 (行政给付)
    h = people["handler"]
    case = open_case(h, procedure="benefit", title="发放道路运输补贴", source="application")
    add(h, case, "application_register", content="申请")
    add(h, case, "acceptance_receipt", content="受理")
    move(h, case, "accept")
    add(h, case, "benefit_review", eligible=True, reasons="符合条件")
    approved(people, case)
    add(
        h,
        case,
        "benefit_decision",
        granted=True,
        document_number="给〔2026〕1号",
        item="运输补贴",
        amount="800",
        content="准予给付",
    )
    move(h, case, "pay")
    decision = Decision.objects.get(case=case)
    assert [(line.category, line.kind, line.amount) for line in decision.lines.all()] == [
        ("benefit", "运输补贴", Decimal("800.00"))
    ]
    add(h, case, "performance_record", amount_paid="800", performed=True, content="已发放")
    assert move(h, case, "archive").stage == "archived"


def test_every_fact_a_guard_reads_is_produced_by_the_case_context():
    # The contract between the engine and the cases app (guards.FACTS ↔ cases.context.FACT_BUILDERS):
    # a guard that reads a fact nobody builds would always be false, silently.
    import ast
    import inspect

    from sanxiang.cases.context import FACT_BUILDERS
    from sanxiang.procedures import guards, registry

    tree = ast.parse(inspect.getsource(guards))
    read: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        fn = node.func
        if isinstance(fn, ast.Name) and fn.id == "_flag" and len(node.args) == 2:
            read.add(node.args[1].value)  # type: ignore[attr-defined]
        if (
            isinstance(fn, ast.Attribute)
            and fn.attr == "get"
            and isinstance(fn.value, ast.Attribute)
            and fn.value.attr == "facts"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            read.add(node.args[0].value)
    assert read, "the guards read facts"
    assert read <= set(guards.FACTS), read - set(guards.FACTS)  # every fact read is declared
    assert set(guards.FACTS) <= set(FACT_BUILDERS), set(guards.FACTS) - set(FACT_BUILDERS)
    used = {g for d in registry.definitions() for t in d.transitions for g in t.guards}
    used |= {r.when for d in registry.definitions() for s in d.stages for r in s.requires if r.when}
    assert used <= set(guards.GUARDS)


def test_every_time_limit_reads_its_period_from_the_rules_registry():
    # Rules are data (issue 11): no period is a literal in a procedure definition
    from sanxiang.procedures import registry
    from sanxiang.rules import catalogue

    for defn in registry.definitions():
        for limit in defn.time_limits:
            assert limit.days is None and limit.rule in catalogue.KEYS, (defn.key, limit.key)


def test_a_local_rule_changes_the_period_of_a_case_in_that_region(administrator, people, traveller):
    # a region's cited override of 行政处罚法 第六十条's 90 days applies to its agencies' cases
    import datetime as dt

    from sanxiang.cases.selectors import case_deadlines
    from sanxiang.rules.services import override_rule
    from sanxiang.workdays.services import add_natural_days

    h = people["handler"]
    override_rule(
        actor=administrator,
        region=h.agency.region_code,
        key="penalty.decision.period",
        value="60",
        effective_from=dt.date(2026, 1, 1),
        source_title="某市行政处罚办案期限规定",
        source_article="第三条",
    )
    case = open_case(h)
    add(h, case, "case_source", summary="日常检查发现")
    approved(people, case, "filing_approval")
    move(h, case, "file")
    decision = next(d for d in case_deadlines(case) if d.key == "decision")
    assert (decision.days, decision.period_label) == (60, "60日")
    assert decision.due == add_natural_days(dt.date(2026, 3, 2), 60).due
