"""A case of each procedure that gives documents, built through the services with the demo's steps
(the same records an officer makes), plus the party with a CJK Extension B character in its name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sanxiang.cases import clock, demo
from sanxiang.cases.tests.case_fixtures import _no_review_check, calendar  # noqa: F401 - autouse fixtures
from sanxiang.cases.tests.factories import officer_for
from sanxiang.testing.factories import OfficerFactory

TZ = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
# 𠀾 (U+2003E) is in CJK Unified Ideographs Extension B: a name with it must render, not vanish.
EXT_B_NAME = "松原市宁江区𠀾记超市有限公司"
PARTY = {
    "kind": "organisation",
    "name": EXT_B_NAME,
    "legal_representative": "张𡈽",
    "address": "吉林省松原市宁江区民主路88号",
}


@pytest.fixture
def handler(officer_a):
    officer_for(officer_a, name="甲执法员")
    return officer_a


def _build(handler, reviewer, head, procedure, steps, stop, title, party=None):
    from sanxiang.registry.validators import compose_credit_code

    party = dict(party or PARTY)
    if party.get("kind") == "organisation":
        party["credit_code"] = compose_credit_code(department="9", kind="1", region="220702", serial=17)
    ctx = demo.Ctx(
        handler=handler, reviewer=reviewer, head=head, partner=OfficerFactory(agency=handler.agency)
    )
    return demo._run(
        ctx,
        start=START,
        procedure=procedure,
        title=title,
        source="inspection",
        steps=steps,
        stop=stop,
        party=party,
        gap=dt.timedelta(hours=20),
    )


@pytest.fixture
def general_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 through 直接送达 (告知书, 决定书 and 送达回证 records)."""
    title = "宁江区某某超市销售过期食品案"
    steps = demo.general_steps(title, "fine", "8000")
    with clock.at(START):
        return _build(handler, reviewer_a, head_a, "penalty_general", steps, 13, title)


@pytest.fixture
def simple_case(handler, reviewer_a, head_a):
    """行政处罚简易程序 with its 当场处罚决定."""
    person = dict(demo.PERSON, name="王𠀾")
    return _build(handler, reviewer_a, head_a, "penalty_simple", demo.SIMPLE, 3, "占道经营案", party=person)


@pytest.fixture
def licence_case(handler, reviewer_a, head_a):
    """行政许可 accepted (申请登记, 受理通知书)."""
    person = dict(demo.PERSON, name="李申请")
    return _build(
        handler, reviewer_a, head_a, "licensing", demo.LICENSING, 3, "食品经营许可申请", party=person
    )


@pytest.fixture
def archived_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 to 归档, with a 催告书 before the fine was paid (立案审批表, 询问笔录, 现场检查笔录,
    催告书 and 结案审批表 records)."""
    title = "宁江区某某超市销售过期食品案"
    steps = demo.general_steps(title, "fine", "8000")
    steps.insert(
        14, demo.rec("enforcement_reminder", content="当事人逾期未缴纳罚款，书面催告")
    )  # after go("execute")
    with clock.at(START):
        return _build(handler, reviewer_a, head_a, "penalty_general", steps, len(steps), title)


@pytest.fixture
def hearing_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 with the hearing right told, requested and the hearing held (听证告知书, 听证通知书,
    听证笔录), and the 集体讨论 the report asked for (集体讨论记录)."""
    title = "某某商贸公司虚假宣传案"
    p = {"penalty_kinds": ["fine"], "fine_amount": "50000"}
    steps = [
        *demo.general_steps(title, "fine", "50000")[:4],
        demo.rec(
            "investigation_report",
            facts="经查，当事人在其网店发布虚假宣传内容，有现场检查笔录、询问笔录及录像为证",
            evidence="询问笔录、现场检查笔录及录像",
            basis="《中华人民共和国反不正当竞争法》第二十条",
            collective_discussion_required=True,
            **p,
        ),
        demo.go("notify"),
        demo.rec("penalty_notice", content="拟作出行政处罚", hearing_rights=True, **p),
        demo.rec("hearing_request", content="当事人书面申请听证"),
        demo.go("hold_hearing"),
        demo.rec(
            "hearing_notice",
            document_number="宁市监听〔2026〕1号",
            hearing_at=lambda ctx: (START + dt.timedelta(days=30)).isoformat(),
            place="本局三楼听证室",
        ),
        demo.rec(
            "hearing_record",
            video=True,
            officers=True,
            content="当事人陈述、申辩，调查人员出示证据，双方质证",
        ),
    ]
    with clock.at(START):
        return _build(handler, reviewer_a, head_a, "penalty_general", steps, len(steps), title)


@pytest.fixture
def declined_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 not filed (不予立案审批表)."""
    steps = [
        demo.rec("case_source", summary="群众反映某商店销售过期食品，经核查无违法事实"),
        demo.rec("not_filing_record", reason="经核查，未发现违法事实", reporter_informed=False),
        demo.go("decline"),
    ]
    return _build(handler, reviewer_a, head_a, "penalty_general", steps, len(steps), "某商店销售过期食品线索")


@pytest.fixture
def coercive_case(handler, reviewer_a, head_a):
    """行政强制措施 carried out (现场笔录, 查封（扣押）决定书)."""
    return _build(
        handler,
        reviewer_a,
        head_a,
        "coercive_measure",
        demo.COERCIVE,
        len(demo.COERCIVE),
        "涉嫌销售假冒商品查封案",
    )


@pytest.fixture
def licensed_case(handler, reviewer_a, head_a):
    """行政许可 granted and issued (准予行政许可决定书)."""
    person = dict(demo.PERSON, name="李申请")
    return _build(
        handler,
        reviewer_a,
        head_a,
        "licensing",
        demo.LICENSING,
        len(demo.LICENSING),
        "食品经营许可申请",
        party=person,
    )


@pytest.fixture
def refused_licence_case(handler, reviewer_a, head_a):
    """行政许可 refused (不予行政许可决定书)."""
    person = dict(demo.PERSON, name="赵申请")
    steps = [
        *demo.LICENSING[:6],  # to the approved decision
        demo.rec(
            "licence_decision", granted=False, content="经营场所与有毒、有害场所的距离不符合食品安全要求"
        ),
    ]
    return _build(
        handler, reviewer_a, head_a, "licensing", steps, len(steps), "食品经营许可申请", party=person
    )


NO_PENALTY_REASON = "当事人系初次违法，危害后果轻微，并已及时下架、销毁全部过期食品"


@pytest.fixture
def no_penalty_case(handler, reviewer_a, head_a):
    """行政处罚一般程序 decided 不予处罚 (行政处罚法 第三十三条) with its 理由, served (直接送达)."""
    title = "宁江区某某超市销售过期食品案"
    steps = demo.general_steps(title, "fine", "8000")
    steps[10] = demo.rec(
        "decision_document",
        content="不予行政处罚",
        discretion_ground="exempt",
        discretion_reason=NO_PENALTY_REASON,
    )
    with clock.at(START):
        return _build(handler, reviewer_a, head_a, "penalty_general", steps, 13, title)
