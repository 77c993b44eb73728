"""Demo catalogues for the market-supervision agency (idempotent: publishing again changes nothing)."""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import User
from sanxiang.catalog import services
from sanxiang.catalog.models import LawChange, ListKind
from sanxiang.demo import register_step

START = dt.date(2025, 1, 1)

ITEMS = [
    (
        {
            "code": "CF-SP-001",
            "category": "penalty",
            "name": "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十二条",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
        },
        [
            {
                "level": "从轻",
                "circumstances": "货值金额不足一万元且首次违法、及时改正",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "50000",
                "fine_max": "80000",
            },
            {
                "level": "一般",
                "circumstances": "货值金额不足一万元，不属于从轻、从重情形",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "80000",
                "fine_max": "120000",
            },
            {
                "level": "从重",
                "circumstances": "货值金额一万元以上或造成危害后果",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "120000",
                "fine_max": "150000",
            },
        ],
    ),
    # The matters of the demo's food cases (sanxiang/cases/demo.py), with the fines of
    # 《中华人民共和国食品安全法》第一百二十四条、第一百二十五条、第一百二十六条 split into 裁量阶次.
    (
        {
            "code": "CF-SP-002",
            "category": "penalty",
            "name": "对经营超过保质期的食品的行政处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十四条第一款第（五）项",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
        },
        [
            {
                "level": "从轻",
                "circumstances": "货值金额不足一万元且首次违法、主动下架召回",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "50000",
                "fine_max": "60000",
            },
            {
                "level": "一般",
                "circumstances": "货值金额不足一万元，不属于从轻、从重情形",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "60000",
                "fine_max": "80000",
            },
            {
                "level": "从重",
                "circumstances": "货值金额不足一万元，但经营婴幼儿食品或一年内再次违法",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "80000",
                "fine_max": "100000",
            },
        ],
    ),
    (
        {
            "code": "CF-SP-003",
            "category": "penalty",
            "name": "对经营无标签的预包装食品的行政处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十五条第一款第（二）项",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
        },
        [
            {
                "level": "从轻",
                "circumstances": "货值金额不足一万元且首次违法、及时改正",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "5000",
                "fine_max": "10000",
            },
            {
                "level": "一般",
                "circumstances": "货值金额不足一万元，不属于从轻、从重情形",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "10000",
                "fine_max": "30000",
            },
            {
                "level": "从重",
                "circumstances": "货值金额不足一万元，但数量较大或一年内再次违法",
                "penalty_kinds": ["confiscate_gains", "fine"],
                "fine_min": "30000",
                "fine_max": "50000",
            },
        ],
    ),
    (
        {
            "code": "CF-SP-004",
            "category": "penalty",
            "name": "对餐具、饮具使用前未经洗净、消毒的行政处罚",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百二十六条第一款第（五）项",
            "handling_unit": "执法稽查科",
            "time_limit_days": 90,
            "time_limit_unit": "natural",
        },
        [
            {
                "level": "一般",
                "circumstances": "首次发现，责令改正并给予警告",
                "penalty_kinds": ["warning"],
            },
            {
                "level": "从重",
                "circumstances": "责令改正后拒不改正",
                "penalty_kinds": ["fine"],
                "fine_min": "5000",
                "fine_max": "50000",
            },
        ],
    ),
    (
        {
            "code": "XK-SP-001",
            "category": "licensing",
            "name": "食品经营许可",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第三十五条",
            "handling_unit": "行政审批科",
            "time_limit_days": 10,
            "time_limit_unit": "working",
        },
        [],
    ),
    (
        {
            "code": "JC-SP-001",
            "category": "inspection",
            "name": "食品经营者日常监督检查",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百一十条",
            "handling_unit": "食品安全监管科",
        },
        [],
    ),
    (
        {
            "code": "QZ-SP-001",
            "category": "coercion",
            "name": "查封、扣押不符合食品安全标准的食品",
            "basis_law": "中华人民共和国食品安全法",
            "basis_article": "第一百一十条第四项",
            "handling_unit": "执法稽查科",
        },
        [],
    ),
]

SPOT_CHECKS = [
    {
        "code": "CC-SP-001",
        "name": "食品经营者监督检查",
        "subject": "宁江区市场监督管理局",
        "basis_law": "中华人民共和国食品安全法",
        "basis_article": "第一百一十条",
        "target": "辖区内食品经营者",
        "content": "经营许可、进货查验记录、贮存条件",
        "method": "双随机抽查、现场检查",
        "ratio": "5",
        "frequency": "每年不少于一次",
    },
]

RECORDING = [
    {
        "code": "YX-001",
        "procedure": "penalty_general",
        "record": "inquiry_record",
        "description": "对当事人的询问全程同步录音录像",
        "basis_law": "宁江区市场监督管理局音像记录事项清单",
        "basis_article": "第三项",
    },
    {
        "code": "YX-002",
        "procedure": "penalty_simple",
        "record": "on_spot_decision",
        "description": "当场作出处罚决定的过程进行音像记录",
        "basis_law": "《松原市行政执法全过程记录实施办法》",
        "basis_article": "第二十二条第二款",
    },
]

MAJOR = [
    {
        "code": "ZD-01",
        "kind": "penalty_kind",
        "penalty_kind": "revoke_permit",
        "description": "吊销许可证件",
        "basis_law": "宁江区市场监督管理局重大执法决定法制审核目录清单",
        "basis_article": "第一项",
    },
    {
        "code": "ZD-02",
        "kind": "penalty_kind",
        "penalty_kind": "suspend_business",
        "description": "责令停产停业",
        "basis_law": "宁江区市场监督管理局重大执法决定法制审核目录清单",
        "basis_article": "第二项",
    },
    {
        "code": "ZD-03",
        "kind": "fine",
        "party_scope": "person",
        "threshold": "10000",
        "description": "对公民处以一万元以上罚款",
        "basis_law": "宁江区市场监督管理局重大执法决定法制审核目录清单",
        "basis_article": "第三项",
    },
    {
        "code": "ZD-04",
        "kind": "fine",
        "party_scope": "organisation",
        "threshold": "100000",
        "description": "对法人或者其他组织处以十万元以上罚款",
        "basis_law": "宁江区市场监督管理局重大执法决定法制审核目录清单",
        "basis_article": "第四项",
    },
    {
        "code": "ZD-05",
        "kind": "confiscation",
        "threshold": "50000",
        "description": "没收违法所得或非法财物价值五万元以上",
        "basis_law": "宁江区市场监督管理局重大执法决定法制审核目录清单",
        "basis_article": "第五项",
    },
]


@register_step("执法清单")
def load(*, today: dt.date, out) -> None:
    head = User.objects.filter(username="head").select_related("agency").first()
    if head is None or head.agency is None:
        return
    agency = head.agency
    for data, rows in ITEMS:
        services.entry_publish(
            actor=head,
            kind=ListKind.ITEMS,
            agency=agency,
            data=data,
            discretion=rows,
            effective_from=START,
            reason="首次公布",
        )
    for kind, entries in (
        (ListKind.SPOT_CHECKS, SPOT_CHECKS),
        (ListKind.RECORDING, RECORDING),
        (ListKind.MAJOR, MAJOR),
    ):
        for data in entries:
            services.entry_publish(
                actor=head, kind=kind, agency=agency, data=data, effective_from=START, reason="首次公布"
            )
    if not LawChange.objects.filter(agency=agency).exists():
        overdue = services.law_change_record(
            actor=head,
            agency=agency,
            kind="amended",
            title="吉林省食品小作坊小餐饮店小食杂店和食品摊贩管理条例（修正）",
            trigger_date=today - dt.timedelta(days=60),
            lists=[ListKind.ITEMS, ListKind.MAJOR],
        )
        done = services.law_change_record(
            actor=head,
            agency=agency,
            kind="reorganised",
            title="执法稽查科与食品安全监管科职能调整",
            trigger_date=today - dt.timedelta(days=20),
            lists=[ListKind.ITEMS],
        )
        services.law_change_complete(actor=head, law_change=done, completed_on=today - dt.timedelta(days=5))
        services.law_change_record(
            actor=head,
            agency=agency,
            kind="enacted",
            title="市场监督管理行政处罚信息公示规定（修订）",
            trigger_date=today - dt.timedelta(days=3),
            lists=[ListKind.ITEMS],
        )
        out(f"  清单更新逾期示例：{overdue.title}（应于 {overdue.due_date} 前更新）")


@register_step("行政执法服务指南")
def load_guides(*, today: dt.date, out) -> None:
    """The 依申请 matters of the licensing agencies and their 服务指南 (guides_demo)."""
    from sanxiang.catalog.guides import service_guide_publish
    from sanxiang.catalog.guides_demo import GUIDES
    from sanxiang.demo.registry import AGENCIES
    from sanxiang.registry.models import Agency

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    names = {spec.key: spec.name for spec in AGENCIES}
    published = 0
    for entry in GUIDES:
        agency = Agency.objects.filter(name=names[entry["agency"]]).first()
        if agency is None:
            continue
        services.entry_publish(
            actor=admin,
            kind=ListKind.ITEMS,
            agency=agency,
            data=entry["matter"],
            effective_from=START,
            reason="首次公布",
        )
        result = service_guide_publish(
            actor=admin,
            agency=agency,
            code=entry["matter"]["code"],
            data=entry["guide"],
            effective_from=START,
            reason="首次公布",
        )
        published += result.created
    out(f"  服务指南：{len(GUIDES)} 个依申请事项（新发布 {published} 个）")
