"""Demo 双随机一公开: a year's plans for 宁江区市场监督管理局 and 宁江区交通运输局 (one a 部门联合抽查 with
the market regulator), credit-risk classes for the market-entity directory, a declared 回避 relation,
two completed draws with published results, one re-draw with its reason (the first draw stays
public), and one draw waiting for its public randomness. Everything goes through the services; the
step is skipped when plans exist already."""

from __future__ import annotations

import datetime as dt
import io
import random

from django.contrib.auth.models import Group
from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.accounts.roles import Role
from sanxiang.cases import demo as _cases_demo  # noqa: F401 - the cases step runs first
from sanxiang.cases import services as cases
from sanxiang.catalog import demo as _catalog_demo  # noqa: F401 - the market regulator's lists exist
from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind, SpotCheckItem
from sanxiang.demo import DEMO_PASSWORD, register_step
from sanxiang.inspections import services
from sanxiang.inspections.models import Inspection, Outcome, Plan, Recusal
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.registry.models import MarketEntity

TRANSPORT_ITEM = {
    "code": "JT-SP-001",
    "name": "道路运输经营者经营行为检查",
    "subject": "松原市宁江区交通运输局",
    "basis_law": "中华人民共和国道路运输条例",
    "basis_article": "第五十八条",
    "target": "辖区内道路运输经营者",
    "content": "经营许可、车辆技术状况、从业人员资格",
    "method": "双随机抽查、现场检查",
    "ratio": "5",
    "frequency": "每年不少于一次",
}
LOTTERY = "中国福利彩票双色球第{year}{n:03d}期开奖号码"


def _user(username: str, display: str, agency, role: Role) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display, "agency": agency}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=str(role))[0]])
    return user


def _item(head: User, today: dt.date) -> SpotCheckItem | None:
    found = SpotCheckItem.objects.filter(agency=head.agency).order_by("code", "-version").first()
    return found


def _on_site(inspection: Inspection, officer: User, n: int) -> None:
    case = inspection.case
    cases.case_transition(actor=officer, case=case, transition="inspect")
    clip = blob_ingest(
        stream=io.BytesIO(b"\x00\x00\x00\x18ftypmp42 spot check %d" % n),
        media_type="video/mp4",
        actor=officer,
    )
    cases.record_add(
        actor=officer,
        case=case,
        kind="onsite_inspection_record",
        payload={"content": "出示执法证件，现场检查经营场所、许可证照和进货查验记录"},
        blobs=[clip.sm3],
        officers=[{"officer": str(o.officer.public_id), "shown": True} for o in case.case_officers.all()],
    )
    cases.case_transition(actor=officer, case=case, transition="conclude")


def _results(draw, *, actor: User, reviewer: User, today: dt.date, outcomes: list[tuple[str, str]]) -> int:
    done = 0
    for n, target in enumerate(draw.targets.order_by("position")[: len(outcomes)]):
        inspection = services.inspection_open(actor=actor, target=target)
        _on_site(inspection, actor, n)
        outcome, text = outcomes[n]
        entry = services.result_enter(
            actor=actor, inspection=inspection, outcome=outcome, description=text, checked_on=today
        )
        if n == 0 and len(outcomes) > 2:  # one result returned once, then corrected
            services.result_review(actor=reviewer, entry=entry, approve=False, note="请写明检查的具体内容")
            entry = services.result_enter(
                actor=actor,
                inspection=inspection,
                outcome=outcome,
                description=text + "（已补充检查内容）",
                checked_on=today,
            )
        services.result_review(actor=reviewer, entry=entry, approve=True, note="审核通过")
        done += 1
    # one more inspection opened, result not yet entered
    spare = draw.targets.order_by("position")[len(outcomes) : len(outcomes) + 1]
    for target in spare:
        services.inspection_open(actor=actor, target=target)
    return done


@register_step("双随机一公开")
def load(*, today: dt.date, out) -> None:
    head = User.objects.filter(username="head").select_related("agency").first()
    officer = User.objects.filter(username="officer").select_related("agency").first()
    discloser = User.objects.filter(username="disclosure").first()
    transport_officer = User.objects.filter(username="transport").select_related("agency").first()
    if not (head and officer and discloser and transport_officer) or head.agency is None:
        out("  （跳过：缺少演示账号）")
        return
    if Plan.objects.exists():
        out("  抽查计划已存在，跳过")
        return
    with transaction.atomic():
        _load(today=today, out=out, head=head, officer=officer, transport_officer=transport_officer)


def _load(*, today: dt.date, out, head: User, officer: User, transport_officer: User) -> None:
    market = head.agency
    transport = transport_officer.agency
    assert market is not None and transport is not None
    t_head = _user("transport_head", transport.head_name, transport, Role.HEAD)
    year = today.year
    item = _item(head, today)
    if item is None:
        out("  （跳过：市场监管局没有随机抽查事项）")
        return
    services.profile_set(
        actor=head,
        item=item,
        level="general",
        object_kinds=["enterprise", "individual_business"],
        category="market",
    )
    t_item = catalog.entry_publish(
        actor=t_head,
        kind=ListKind.SPOT_CHECKS,
        agency=transport,
        data=dict(TRANSPORT_ITEM),
        effective_from=dt.date(year, 1, 1),
        reason="首次公布",
    ).entry
    assert isinstance(t_item, SpotCheckItem)
    services.profile_set(
        actor=t_head, item=t_item, level="key", object_kinds=["enterprise"], category="transport"
    )

    # 信用风险分类 (internal): most entities A/B, a few C/D
    rng = random.Random(20190919)  # 国市监信〔2019〕38号
    entities = list(MarketEntity.objects.order_by("credit_code"))
    classes = [(e, rng.choices("ABCD", weights=[30, 50, 15, 5])[0]) for e in entities]
    services.credit_classes_record(
        actor=head,
        classes=classes,
        classified_on=today - dt.timedelta(days=30),
        basis="市场主体信用风险分类（月度）",
    )
    # a declared 回避 relation: the market officer's relative runs one of the shops
    kin = entities[0]
    assert officer.officer is not None
    services.recusal_declare(
        actor=head,
        officer=officer.officer,
        entity=kin,
        kind=Recusal.Kind.KIN,
        note="近亲属经营",
        declared_on=today,
    )

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    plan = services.plan_create(
        actor=head,
        year=year,
        title=f"{year}年度食品经营者双随机抽查计划",
        scope="宁江区内食品经营企业和个体工商户",
        batches=[
            services.BatchInput("上半年批次", item, start, end, {"A": "1", "B": "2", "C": "5", "D": "10"}),
            services.BatchInput("下半年批次", item, start, end, {"A": "1", "B": "2", "C": "5", "D": "10"}),
        ],
    )
    services.plan_file(actor=head, plan=plan)
    first_batch, second_batch = plan.batches.order_by("position")
    draw = services.draw_announce(
        actor=head,
        batch=first_batch,
        inspection_date=today,
        randomness_source=LOTTERY.format(year=year, n=1),
        randomness_expected_on=today,
    )
    services.draw_perform(actor=head, draw=draw, randomness="02 09 14 21 27 33 + 06")
    redraw = services.draw_announce(
        actor=head,
        batch=first_batch,
        inspection_date=today,
        randomness_source=LOTTERY.format(year=year, n=2),
        randomness_expected_on=today,
        redraw_of=draw,
        reason="检查对象名录库导入时遗漏一批新登记的个体工商户，补录后重新抽取；原抽取保留公开",
    )
    services.draw_perform(actor=head, draw=redraw, randomness="05 11 16 22 28 31 + 12")
    published = _results(
        redraw,
        actor=officer,
        reviewer=head,
        today=today,
        outcomes=[
            (Outcome.NO_PROBLEM, "许可证照齐全，进货查验记录完整"),
            (Outcome.CORRECTED, "部分食品未按要求分区贮存，已当场责令改正"),
            (Outcome.NOT_FOUND, "登记住所无经营场所，联系电话无法接通"),
        ],
    )
    waiting = services.draw_announce(
        actor=head,
        batch=second_batch,
        inspection_date=today + dt.timedelta(days=10),
        randomness_source="",  # named from the round: drand quicknet, the first round after 12:00 that day
        randomness_expected_on=today + dt.timedelta(days=3),
        beacon_network="quicknet",
    )

    joint = services.plan_create(
        actor=t_head,
        year=year,
        title=f"{year}年度道路运输经营者部门联合抽查计划",
        scope="宁江区内道路运输经营企业（交通运输、市场监管联合检查）",
        batches=[
            services.BatchInput("全年批次", t_item, start, end, {"A": "1", "B": "1", "C": "3", "D": "5"})
        ],
        partners=[(market, "market")],
    )
    services.plan_file(actor=t_head, plan=joint)
    j_draw = services.draw_announce(
        actor=t_head,
        batch=joint.batches.get(),
        inspection_date=today,
        randomness_source=LOTTERY.format(year=year, n=3),
        randomness_expected_on=today,
        repeat_cap=2,
    )
    services.draw_perform(actor=t_head, draw=j_draw, randomness="01 08 13 20 26 32 + 04")
    published += _results(
        j_draw,
        actor=transport_officer,
        reviewer=t_head,
        today=today,
        outcomes=[(Outcome.NO_PROBLEM, "道路运输经营许可证、车辆营运证有效")],
    )
    out(
        f"  抽查计划 {Plan.objects.count()} 个（联合 1 个），抽取：{draw.number}（已重抽）、{redraw.number}、"
        f"{j_draw.number}（联合）已完成，{waiting.number} 待公共随机数；已公示结果 {published} 条；交通运输局负责人账号 transport_head"
    )
