"""Demo cases for 松原市宁江区市场监督管理局: a few dozen cases of every procedure, stopped at every
stage, some overdue, each built through the services (so every step is in the ledger) with small
generated files as evidence. Histories are built in the past with ``clock.at``."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases import clock, services
from sanxiang.cases.models import Case
from sanxiang.catalog import demo as _catalog_demo  # noqa: F401 - the food cases' matters exist first
from sanxiang.demo import register_step
from sanxiang.errors import SanxiangError
from sanxiang.registry.validators import compose_credit_code, id_number_check_digit

FOOD = [
    ("宁江区某某超市销售过期食品案", "fine", "65000"),
    ("某某餐饮店未按规定公示许可证案", "warning", ""),
    ("某某药房销售劣药案", "fine", "30000"),
    ("某某商贸公司虚假宣传案", "fine", "50000"),
    ("某某饭店使用不合格餐具案", "fine", "5000"),
    ("某某便利店销售无标签食品案", "fine", "8000"),
]
# The 行政执法事项清单 matter of the food cases (sanxiang/catalog/demo.py, each with its 裁量基准 rows):
# the 裁量基准 check, the matter suggestions and 类案同罚 have something to compare with.
MATTERS = {
    "宁江区某某超市销售过期食品案": "CF-SP-002",
    "某某饭店使用不合格餐具案": "CF-SP-004",
    "某某便利店销售无标签食品案": "CF-SP-003",
}
# 类案: more archived 过期食品 cases in the matter's “一般” 阶次, and one at 告知 proposing a fine of
# the same 阶次 well above theirs (the 类案同罚 check of assist/demo.py flags it).
SIMILAR_FINES = ("62000", "63000", "65000", "66000", "68000")
FAR_FINE = "79000"
# The law each demo matter rests on (the decision's 处罚依据, disclosed with it).
BASIS = {
    "某某药房销售劣药案": "《中华人民共和国药品管理法》",
    "某某商贸公司虚假宣传案": "《中华人民共和国反不正当竞争法》",
}
FOOD_BASIS = "《中华人民共和国食品安全法》"


def _today(years: int = 0):
    def day(ctx) -> str:
        today = timezone.localdate(clock.now())
        return today.replace(year=today.year + years).isoformat()

    return day


@dataclass
class Ctx:
    handler: User
    reviewer: User
    head: User
    partner: object = None
    case: Case | None = None
    n: int = 0


def _blob(ctx: Ctx, kind: str, video: bool) -> str:
    from sanxiang.ledger.blobs import blob_ingest

    ctx.n += 1
    body = f"SANXIANG DEMO {ctx.case.number if ctx.case else ''} {kind} {ctx.n}".encode()
    # the handler supplies the bytes, so that their records may name them (the clip is one blob that
    # every agency's demo officer uploads in turn)
    if video:
        return recording(actor=ctx.handler)
    return blob_ingest(
        stream=io.BytesIO(b"%PDF-1.4\n" + body), media_type="application/pdf", actor=ctx.handler
    ).sm3


CLIP = Path(__file__).resolve().parent / "demo_media" / "bodycam.webm"  # 3 s test pattern, VP8 + Vorbis


def recording(case: Case | None = None, kind: str = "", actor: User | None = None) -> str:
    """The demo body-camera clip (a real, playable WebM) as a stored file (its SM3), supplied by
    ``actor``."""
    from sanxiang.ledger.blobs import blob_ingest

    with CLIP.open("rb") as clip:
        return blob_ingest(stream=clip, media_type="video/webm", actor=actor).sm3


def _present(case: Case) -> list[dict]:
    return [{"officer": str(o.officer.public_id), "shown": True} for o in case.case_officers.all()]


def rec(kind: str, video: bool = False, officers: bool = False, **payload):
    def step(ctx: Ctx):
        services.record_add(
            actor=ctx.handler,
            case=ctx.case,
            kind=kind,
            payload={k: v(ctx) if callable(v) else v for k, v in payload.items()} or {"content": "演示记录"},
            blobs=[_blob(ctx, kind, video)],
            officers=_present(ctx.case) if officers else None,
        )

    return step


def go(transition: str):
    def step(ctx: Ctx):
        services.case_transition(actor=ctx.handler, case=ctx.case, transition=transition)

    return step


def appr(kind: str):
    def step(ctx: Ctx):
        a = services.approval_submit(
            actor=ctx.handler, case=ctx.case, kind=kind, reason="事实清楚", opinion="建议批准"
        )
        services.approval_review(actor=ctx.reviewer, approval=a, agree=True, opinion="经审核，同意")
        services.approval_decide(actor=ctx.head, approval=a, agree=True, opinion="同意")

    return step


def _content(kind: str, fine: str) -> str:
    return f"罚款{fine}元" if fine else "警告"


def _penalty(kind: str, fine: str) -> dict:
    return {"penalty_kinds": [kind], "fine_amount": fine} if fine else {"penalty_kinds": [kind]}


def general_steps(
    title: str, kind: str, fine: str, *, penalty: dict | None = None, content: str = "", basis: str = ""
) -> list:
    """The 行政处罚一般程序 from 立案审批 to 归档 for one penalty: ``kind`` with ``fine``, or a whole
    ``penalty`` payload (several kinds, 没收数额) described by ``content``."""
    p = penalty or _penalty(kind, fine)
    facts = (
        f"经查，当事人{title.removeprefix('宁江区').removesuffix('案')}，有现场检查笔录、询问笔录及录像为证"
    )
    return [
        appr("filing_approval"),
        go("file"),
        rec("inquiry_record", video=True, officers=True),
        rec("onsite_inspection_record", video=True, officers=True),
        rec(
            "investigation_report",
            facts=facts,
            evidence="询问笔录、现场检查笔录及录像",
            basis=basis or BASIS.get(title, FOOD_BASIS),
            **p,
        ),
        go("notify"),
        rec("penalty_notice", content="拟作出行政处罚", **p),
        rec("statement_defence", content="当事人无异议"),
        go("decide"),
        appr("decision_approval"),
        rec("decision_document", content=content or _content(kind, fine), **p),
        go("serve"),
        rec(
            "service_direct",
            recipient="当事人",
            document="行政处罚决定书",
            handed_on_spot=True,
            content="直接送达",
        ),
        go("execute"),
        rec("performance_record", performed=True, amount_paid=fine or "0", content="已履行"),
        go("close"),
        rec("closing_report", summary="执行完毕，结案"),
        go("archive"),
        rec("archive_record", volumes="1", location="局档案室"),
    ]


SIMPLE = [
    rec(
        "simple_facts_record",
        officers=True,
        facts="占道经营",
        basis="城市市容和环境卫生管理条例",
        facts_certain=True,
        penalty_kinds=["fine"],
        fine_amount="100",
    ),
    rec(
        "on_spot_decision",
        video=True,
        content="当场罚款100元",
        penalty_kinds=["fine"],
        fine_amount="100",
    ),
    go("decide_on_spot"),
    rec("agency_filing", content="报所属机关备案"),
    go("file_with_agency"),
    rec("performance_record", performed=True, amount_paid="100", content="已缴纳"),
    go("close"),
    rec("closing_report", summary="结案"),
    go("archive"),
    rec("archive_record", volumes="1", location="局档案室"),
]
INSPECTION = [
    appr("inspection_approval"),
    go("inspect"),
    rec("onsite_inspection_record", video=True, officers=True),
    go("conclude"),
    rec(
        "inspection_result",
        problems_found=False,
        content="索证索票、进货查验记录齐全",
    ),
    go("publish"),
    rec("result_publication", content="已在门户公示"),
    go("archive"),
    rec("archive_record", volumes="1", location="局档案室"),
]
COERCIVE = [
    appr("measure_approval"),
    go("implement"),
    rec("onsite_record", video=True, officers=True, party_present=True, content="现场笔录"),
    rec("seizure_decision", video=True, content="查封涉嫌假冒商品一批"),
    rec("rights_notice"),
    go("take_into_custody"),
    rec("handling_decision"),
    go("archive"),
    rec("archive_record", volumes="1", location="局档案室"),
]
LICENSING = [
    rec("application_register"),
    rec("acceptance_receipt"),
    go("accept"),
    appr("review_opinion"),
    go("decide"),
    appr("decision_approval"),
    rec(
        "licence_decision",
        granted=True,
        license_category="普通",
        license_name="食品经营许可证",
        license_number=lambda ctx: f"JY2220702{ctx.case.year}{ctx.case.serial:04d}",
        valid_from=_today(),
        valid_until=_today(5),
        content="预包装食品销售、热食类食品制售",
    ),
    go("issue"),
    rec("licence_issued"),
    go("archive"),
    rec("archive_record", volumes="1", location="局档案室"),
]

PERSON = {
    "kind": "person",
    "name": "王演示",
    "id_type": "resident_id",
    "id_number": (lambda body: body + id_number_check_digit(body))("22070219800101901"),
}


def _organisation(i: int) -> dict:
    return {
        "kind": "organisation",
        "name": f"松原市宁江区演示商贸有限公司{i}",
        "credit_code": compose_credit_code(department="9", kind="1", region="220702", serial=9000 + i),
        "legal_representative": "演示法人",
    }


# Cases of the other agencies of the district: each has a case past its 90 days in investigation
# (行政处罚法 第六十条), one decided and archived, and a 简易程序 case — so the supervisor sees
# overdue duties of several agencies.
OTHER_AGENCIES = {
    "transport": ("超限运输案", "《中华人民共和国公路法》", "交通运输"),
    "ecology": ("超标排放废水案", "《中华人民共和国水污染防治法》", "生态环境"),
    "urban": ("违规设置户外广告案", "《吉林省城市管理综合行政执法条例》", "城市管理"),
    "culture": ("未经许可擅自从事营业性演出案", "《营业性演出管理条例》", "文化市场"),
}


def _agency_ctx(key: str) -> Ctx | None:
    """The demo staff of the agency of enforcement category ``key`` (created on first use)."""
    from sanxiang.accounts.roles import Role
    from sanxiang.demo.registry import _user
    from sanxiang.registry.models import Agency

    agency = next((a for a in Agency.objects.all() if key in (a.categories or [])), None)
    if agency is None:
        return None
    officers = list(agency.officers.order_by("credential_number"))
    if len(officers) < 4:
        return None

    def staff(name, officer):
        return User.objects.filter(officer=officer).first() or _user(
            name, officer.name, agency, [Role.OFFICER], officer
        )

    handler = staff(f"{key}_officer", officers[2])
    chief = staff(f"{key}_chief", officers[0])
    head = _user(f"{key}_head", agency.head_name, agency, [Role.HEAD])
    return Ctx(handler=handler, reviewer=chief, head=head, partner=officers[3])


def _with_year(value):
    """A demo payload string may name the case's year as ``{year}`` (文书编号 宁交费〔{year}〕1号)."""
    if isinstance(value, str) and "{year}" in value:
        return lambda ctx: value.format(year=ctx.case.year)
    return value


def _procedure_demos(market: Ctx) -> list:
    """(ctx, plan) for the demo cases each procedure module declares (``ProcedureDefinition.demo``):
    a procedure added to the library brings its own demo without touching this module."""
    from sanxiang.procedures import registry

    jobs = []
    for defn in registry.definitions():
        specs = defn.records()
        for demo in defn.demo:
            ctx = market if demo.category == "market" else _agency_ctx(demo.category)
            if ctx is None:
                continue
            steps = []
            for action, name, *rest in demo.steps:
                if action == "transition":
                    steps.append(go(name))
                elif action == "approval":
                    steps.append(appr(name))
                else:
                    payload = {k: _with_year(v) for k, v in (rest[0] if rest else {}).items()}
                    steps.append(
                        rec(
                            name,
                            video=specs[name].av_required or "video" in rest[1:],
                            officers="officers" in rest[1:],
                            **payload,
                        )
                    )
            stop = len(steps) if demo.stop is None else demo.stop
            plan = (defn.key, demo.title, demo.source, steps, stop, 30, dt.timedelta(days=1), {})
            jobs.append((ctx, plan, demo.party))
    return jobs


def _other_agencies(today: dt.date) -> list:
    """(ctx, plan) for the cases of every agency other than the market agency, with its own staff."""

    jobs = []
    for key, (title, basis, field) in OTHER_AGENCIES.items():
        ctx = _agency_ctx(key)
        if ctx is None:
            continue
        steps = general_steps(title, "fine", "20000")
        steps[4] = rec(
            "investigation_report",
            facts=f"经查，当事人{title.removesuffix('案')}，有现场检查笔录、询问笔录及录像为证",
            evidence="询问笔录、现场检查笔录及录像",
            basis=basis,
            penalty_kinds=["fine"],
            fine_amount="20000",
        )
        jobs.append(
            (ctx, ("penalty_general", title, "inspection", steps, 5, 120, dt.timedelta(hours=20), {}))
        )
        jobs.append(
            (ctx, ("penalty_general", title, "inspection", steps, 19, 40, dt.timedelta(hours=20), {}))
        )
        jobs.append(
            (
                ctx,
                ("penalty_general", f"{field}投诉核查", "complaint", steps, 0, 10, dt.timedelta(hours=2), {}),
            )
        )
    return jobs


def _run(
    ctx: Ctx,
    *,
    start: dt.datetime,
    procedure: str,
    title: str,
    source: str,
    steps: list,
    stop: int,
    party: dict,
    gap: dt.timedelta,
    source_detail: str = "演示数据",
    **open_kw,
) -> Case:
    with clock.at(start):
        ctx.case = services.case_open(
            actor=ctx.handler,
            procedure=procedure,
            title=title,
            source=source,
            source_detail=source_detail,
            officers=[ctx.handler.officer, ctx.partner],
            parties=[party],
            **open_kw,
        )
    moment = start
    for step in steps[:stop]:
        moment += gap
        with clock.at(moment):
            step(ctx)
    return ctx.case


@register_step("cases")
def build_cases(*, today: dt.date, out=print) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "officer2", "chief", "reviewer", "head"])
    }
    if len(users) < 5 or users["officer"].officer is None or users["officer2"].officer is None:
        out("  （跳过：缺少演示账号）")
        return
    handler = users["officer"]
    if Case.objects.filter(agency=handler.agency).exists():
        out("  案件已存在，跳过")
        return
    ctx = Ctx(handler=handler, reviewer=users["chief"], head=users["head"], partner=users["officer2"].officer)
    now = timezone.localtime()
    base = now.replace(hour=9, minute=0, second=0, microsecond=0)
    made = 0
    plans = []
    # 行政处罚一般程序 stopped at every stage; the oldest in investigation are past 90 days (第六十条)
    general_stops = [0, 1, 2, 5, 6, 8, 9, 10, 12, 14, 16, 17, 19, 19, 19]
    for i, stop in enumerate(general_stops):
        title, kind, fine = FOOD[i % len(FOOD)]
        days_ago = 130 - i * 8 if stop < 6 else 60 - i * 2
        plans.append(
            (
                "penalty_general",
                title,
                "inspection",
                general_steps(title, kind, fine),
                stop,
                days_ago,
                dt.timedelta(hours=20),
                {"matter_code": MATTERS[title]} if title in MATTERS else {},
            )
        )
    for stop in (0, 3, 5, 10, 10):
        plans.append(
            ("penalty_simple", "占道经营案", "inspection", SIMPLE, stop, 20, dt.timedelta(hours=1), {})
        )
    for stop in (0, 2, 4, 9):
        plans.append(
            (
                "inspection",
                "食品经营者双随机抽查",
                "spot_check",
                INSPECTION,
                stop,
                40,
                dt.timedelta(days=1),
                {},
            )
        )
    for stop in (0, 2, 6, 9):
        plans.append(
            (
                "coercive_measure",
                "查封涉嫌假冒商品",
                "inspection",
                COERCIVE,
                stop,
                45,
                dt.timedelta(days=1),
                {},
            )
        )
    for stop in (0, 3, 7, 11):
        plans.append(
            ("licensing", "食品经营许可申请", "application", LICENSING, stop, 25, dt.timedelta(days=1), {})
        )
    # an emergency start never approved (24 hours overdue, 记录办法 第八条)
    plans.append(
        (
            "penalty_general",
            "紧急查处销售有毒食品案",
            "report",
            [],
            0,
            3,
            dt.timedelta(hours=1),
            {"is_emergency": True, "emergency_reason": "证据可能灭失，先行启动"},
        )
    )
    jobs = [(ctx, plan, "") for plan in plans] + [(c, p, "") for c, p in _other_agencies(today)]
    jobs += _procedure_demos(ctx)
    similar = FOOD[0][0]
    for n, fine in enumerate((*SIMILAR_FINES, FAR_FINE)):
        stop = 19 if fine != FAR_FINE else 7
        steps = general_steps(similar, "fine", fine)
        plan = ("penalty_general", similar, "inspection", steps, stop, 110 - n * 15, dt.timedelta(hours=20))
        jobs.append((ctx, (*plan, {"matter_code": MATTERS[similar]}), ""))
    for i, (ctx, (procedure, title, source, steps, stop, days_ago, gap, kw), kind) in enumerate(jobs):
        person = kind == "person" or (not kind and procedure == "penalty_simple")
        party = PERSON if person else _organisation(i)
        try:
            _run(
                ctx,
                start=base - dt.timedelta(days=max(days_ago, 1)),
                procedure=procedure,
                title=title,
                source=source,
                steps=steps,
                stop=stop,
                party=party,
                gap=gap,
                **kw,
            )
            made += 1
        except SanxiangError as exc:
            out(f"  {title}: {exc}")
    out(f"  案件 {made} 件")
