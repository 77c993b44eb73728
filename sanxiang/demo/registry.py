"""Demo agencies, officers, reviewers, staff accounts and market entities."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.accounts.roles import Role
from sanxiang.demo import DEMO_PASSWORD
from sanxiang.registry.models import Agency, MarketEntity, Officer, ReviewerRegistration
from sanxiang.registry.validators import compose_credit_code

REGION = "220702"  # 吉林省松原市宁江区
CITY = "220700"
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红春梅海燕鹏飞宇晨欣怡子涵浩然思远嘉欣俊杰"


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    serial: int
    categories: list[str]
    head: str
    officers: int
    reviewers: int
    basis: str
    address: str


SUPERVISOR = AgencySpec(
    "justice",
    "松原市宁江区司法局",
    1,
    ["justice", "supervision"],
    "辛凤伟",
    4,
    1,
    "《中华人民共和国行政处罚法》；《吉林省行政执法监督条例》",
    "松原市宁江区民主街1号",
)
AGENCIES = [
    AgencySpec(
        "market",
        "松原市宁江区市场监督管理局",
        2,
        ["market"],
        "马晓辉",
        14,
        1,  # 14 officers → 1 reviewer required
        "《中华人民共和国行政处罚法》第十七条；《市场监督管理行政处罚程序规定》",
        "松原市宁江区建设街120号",
    ),
    AgencySpec(
        "transport",
        "松原市宁江区交通运输局",
        3,
        ["transport"],
        "孙志伟",
        12,
        1,
        "《中华人民共和国道路运输条例》；《交通运输行政执法程序规定》",
        "松原市宁江区沿江路88号",
    ),
    AgencySpec(
        "ecology",
        "松原市生态环境局宁江区分局",
        4,
        ["ecology"],
        "赵海鹏",
        8,
        0,  # deliberately none: the compliance report shows the gap
        "《中华人民共和国环境保护法》；《生态环境行政处罚办法》",
        "松原市宁江区锦江大街45号",
    ),
    AgencySpec(
        "urban",
        "松原市宁江区城市管理综合执法局",
        5,
        ["urban"],
        "张静",
        10,
        1,
        "《吉林省城市管理综合行政执法条例》；《城市管理执法办法》",
        "松原市宁江区文化路16号",
    ),
    AgencySpec(
        "culture",
        "松原市宁江区文化市场综合行政执法大队",
        6,
        ["culture"],
        "刘建国",
        6,
        1,
        "《中华人民共和国行政处罚法》第二十条（受委托组织）",
        "松原市宁江区团结街9号",
    ),
]
POSTS = ["执法科科长", "执法科副科长", "执法队员", "执法队员", "执法队员", "稽查员"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _credential_validity(rng: random.Random, index: int, today: dt.date) -> tuple[dt.date, dt.date, str]:
    """Most credentials valid; every 9th expired, every 13th suspended, one revoked per agency."""
    valid_from = today - dt.timedelta(days=rng.randint(100, 1500))
    valid_until = valid_from + dt.timedelta(days=5 * 365)
    status = Officer.Status.ACTIVE
    if index % 9 == 8:
        valid_until = today - dt.timedelta(days=rng.randint(1, 200))
        valid_from = valid_until - dt.timedelta(days=5 * 365)
    elif index % 13 == 7:
        status = Officer.Status.SUSPENDED
    elif index == 5:
        status = Officer.Status.REVOKED
    return valid_from, valid_until, status


def _group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=str(role))
    return group


def _user(
    username: str, display: str, agency: Agency | None, roles: list[Role], officer: Officer | None = None
):
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display, "agency": agency, "officer": officer}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        if Role.ADMINISTRATOR in roles:
            user.is_staff = user.is_superuser = True
        user.save()
        user.groups.set([_group(r) for r in roles])
    return user


WUZHONG_PLAN = (
    "吴忠市市场监督管理局全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度工作方案"
)
SHORT_OF_DEVICES = "urban"  # the indicator shows one agency below the ratio


def _recording_devices(agencies: dict[str, Agency], admin, today: dt.date) -> None:
    """执法记录设备台账 of every agency: one device per two officers and one more (the 城管 bureau
    deliberately short), a camera and a recorder beside the 执法记录仪; the district adopts the
    ratio of 吴忠's plan 二、（二）3 as its local rule, so the statistics compare with it."""
    from sanxiang.registry.models import RecordingDevice
    from sanxiang.rules.models import RuleOverride
    from sanxiang.rules.services import override_rule

    if not RuleOverride.objects.filter(region_prefix=REGION, key="record.officers_per_device").exists():
        override_rule(
            actor=admin,
            region=REGION,
            key="record.officers_per_device",
            value="2",
            effective_from=dt.date(today.year - 1, 1, 1),
            source_title=WUZHONG_PLAN,
            source_article="二、（二）3",
            reason="本区参照执行“不少于执法人数与记录装备2:1的比例”配备全过程记录音像装备",
        )
    for spec in AGENCIES:
        agency = agencies[spec.key]
        officers = list(agency.officers.order_by("credential_number"))
        count = 2 if spec.key == SHORT_OF_DEVICES else (len(officers) + 1) // 2 + 1
        kinds = [RecordingDevice.Kind.BODY_CAMERA] * max(count - 2, 1) + [
            RecordingDevice.Kind.CAMERA,
            RecordingDevice.Kind.AUDIO_RECORDER,
        ]
        for i, kind in enumerate(kinds[:count]):
            RecordingDevice.objects.get_or_create(
                agency=agency,
                serial_number=f"ZFJLY-{REGION}-{spec.serial:02d}-{i + 1:03d}",
                defaults={
                    "kind": kind,
                    "model_name": "DSJ-V9 执法记录仪" if kind == RecordingDevice.Kind.BODY_CAMERA else "",
                    "keeper": officers[i % len(officers)]
                    if kind == RecordingDevice.Kind.BODY_CAMERA
                    else None,
                    "in_service_from": today - dt.timedelta(days=400),
                },
            )
        if spec.key == "market":  # one device taken out of service: it stays in the register
            RecordingDevice.objects.get_or_create(
                agency=agency,
                serial_number=f"ZFJLY-{REGION}-{spec.serial:02d}-900",
                defaults={
                    "kind": RecordingDevice.Kind.BODY_CAMERA,
                    "model_name": "DSJ-V5 执法记录仪",
                    "in_service_from": today - dt.timedelta(days=1500),
                    "retired_on": today - dt.timedelta(days=30),
                    "note": "电池老化停用",
                },
            )


@transaction.atomic
def build_registry(*, today: dt.date, entities: int = 1200, out=print) -> dict[str, Agency]:
    rng = random.Random(20191231)  # 松政办发〔2019〕25号 成文日期
    agencies: dict[str, Agency] = {}
    supervisor = None
    for spec in [SUPERVISOR, *AGENCIES]:
        agency, _ = Agency.objects.get_or_create(
            credit_code=compose_credit_code(department="1", kind="1", region=REGION, serial=spec.serial),
            defaults={
                "name": spec.name,
                "head_name": spec.head,
                "address": spec.address,
                "phone": f"0438-62{spec.serial:02d}001",
                "supervision_phone": f"0438-62{spec.serial:02d}110",
                "categories": spec.categories,
                "region_code": REGION,
                "qualification_basis": spec.basis,
                "supervisor": supervisor,
                "legal_office_name": "法制审核科"
                if spec.key != "culture"
                else "宁江区文化广电和旅游局法规科",
                "is_supervisory": spec is SUPERVISOR,
                "kind": Agency.Kind.ENTRUSTED if spec.key == "culture" else Agency.Kind.ADMINISTRATIVE_ORGAN,
            },
        )
        if spec is SUPERVISOR:
            supervisor = agency
        agencies[spec.key] = agency
        officers = []
        for i in range(spec.officers):
            valid_from, valid_until, status = _credential_validity(rng, i, today)
            officer, _ = Officer.objects.get_or_create(
                credential_number=f"{REGION}{spec.serial:02d}{i + 1:04d}",
                defaults={
                    "agency": agency,
                    "name": _name(rng),
                    "post": POSTS[i % len(POSTS)],
                    "credential_categories": spec.categories,
                    "credential_region": CITY if i == 0 else REGION,
                    "issuing_authority": "松原市人民政府",
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "status": status,
                },
            )
            officers.append(officer)
        for r in range(spec.reviewers):
            ReviewerRegistration.objects.get_or_create(
                agency=agency,
                name=_name(rng) if r else f"{officers[1].name}",
                defaults={
                    "officer": officers[1] if r == 0 else None,
                    "filed_on": today - dt.timedelta(days=300),
                    "has_legal_qualification": True,
                },
            )
        if spec.key == "market":
            ReviewerRegistration.objects.get_or_create(
                agency=agency,
                name="吉林某某律师事务所 王律师",
                defaults={
                    "role": ReviewerRegistration.Role.LEGAL_ADVISER,
                    "filed_on": today - dt.timedelta(days=200),
                },
            )

    market, transport = agencies["market"], agencies["transport"]
    m_officers = list(market.officers.order_by("credential_number"))
    t_officers = list(transport.officers.order_by("credential_number"))
    _user("officer", m_officers[2].name, market, [Role.OFFICER], m_officers[2])
    # 执法科科长: the 审核人 of internal approvals (记录办法 第三十八条), not the legal reviewer
    _user("chief", m_officers[0].name, market, [Role.OFFICER], m_officers[0])
    _user("officer2", m_officers[3].name, market, [Role.OFFICER], m_officers[3])
    _user("transport", t_officers[2].name, transport, [Role.OFFICER], t_officers[2])
    _user("reviewer", m_officers[1].name, market, [Role.REVIEWER], m_officers[1])
    _user("head", market.head_name, market, [Role.HEAD])
    _user("disclosure", "公示管理员", market, [Role.DISCLOSURE_OFFICER])
    _user("supervisor", "执法监督科", agencies["justice"], [Role.SUPERVISOR])
    # 司法局负责人: approves and publishes the region's annual report
    _user("justice_head", SUPERVISOR.head, agencies["justice"], [Role.HEAD])
    admin = _user("admin", "系统管理员", agencies["justice"], [Role.ADMINISTRATOR])
    _recording_devices(agencies, admin, today)

    if not MarketEntity.objects.exists():
        from sanxiang.registry.demo_entities import generate_entities

        batch = [MarketEntity(**row) for row in generate_entities(entities, region_codes=[REGION])]
        MarketEntity.objects.bulk_create(batch, batch_size=500)
    out(
        f"名录库: {Agency.objects.count()} 个执法主体, {Officer.objects.count()} 名执法人员, "
        f"{ReviewerRegistration.objects.count()} 名法制审核人员, {MarketEntity.objects.count()} 个市场主体"
    )
    return agencies


DEMO_LOGINS = [
    ("officer", "执法人员（市场监管）"),
    ("officer2", "执法人员（市场监管）"),
    ("chief", "执法科科长（内部审批审核人）"),
    ("transport", "执法人员（交通运输）"),
    ("reviewer", "法制审核人员"),
    ("head", "负责人（市场监管局）"),
    ("disclosure", "公示管理员"),
    ("supervisor", "监督人员（司法局）"),
    ("justice_head", "负责人（司法局，全区年度报告）"),
    ("admin", "系统管理员"),
]
