"""Supervision demo data (``sanxiang demo``): a year of decided cases in every agency for the
statistics and the dashboard, an evaluation campaign with one file scored and its 整改 items, last
year's annual report of the market agency published, and the alerts swept. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.demo import register_step

MARK = "演示统计：日常监督检查发现"
# Penalty payloads cycled over the months (行政处罚法 第九条 kinds): joint kinds show the
# heaviest-penalty counting rule. None is one the party may ask a hearing on (第六十三条): the demo
# runs the plain 告知 → 陈述申辩 → 决定 path.
PENALTIES = (
    {"penalty_kinds": ["fine"], "fine_amount": "3000"},
    {"penalty_kinds": ["warning"]},
    {"penalty_kinds": ["fine"], "fine_amount": "12000"},
    {"penalty_kinds": ["fine"], "fine_amount": "800"},
    {"penalty_kinds": ["criticism"]},
    {"penalty_kinds": ["warning", "fine"], "fine_amount": "5000"},
)
MONTHS = 14  # back from today: the whole of last year (its annual report) and this year so far


def _contexts():
    """(demo staff, [(title, basis)]) of every agency with demo staff: the market agency's own
    accounts and the other agencies' staff the cases demo made."""
    from sanxiang.accounts.models import User
    from sanxiang.cases import demo as cases_demo

    users = {
        u.username: u for u in User.objects.filter(username__in=["officer", "officer2", "chief", "head"])
    }
    out = []
    if len(users) == 4 and users["officer"].officer and users["officer2"].officer:
        market = cases_demo.Ctx(
            handler=users["officer"],
            reviewer=users["chief"],
            head=users["head"],
            partner=users["officer2"].officer,
        )
        out.append(
            (market, [(t, cases_demo.BASIS.get(t, cases_demo.FOOD_BASIS)) for t, _, _ in cases_demo.FOOD])
        )
    for key, (title, basis, _field) in cases_demo.OTHER_AGENCIES.items():
        ctx = cases_demo._agency_ctx(key)
        if ctx is not None:
            out.append((ctx, [(title, basis)]))
    return out


def _year_of_decisions(today: dt.date, out) -> None:
    """A case a month in every agency for the last 14 months, each run through its procedure by the
    same services an officer uses (立案 → 调查 → 告知 → 决定 → 送达 → 执行 → 结案 → 归档) at its own
    dates, with an inspection a quarter and a 查封扣押 twice a year."""
    from sanxiang.cases import demo as cases_demo
    from sanxiang.cases.models import Case
    from sanxiang.errors import SanxiangError
    from sanxiang.procedures.fields import Penalty

    if Case.objects.filter(source_detail=MARK).exists():
        out("  统计演示案件已存在，跳过")
        return
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    made, n = 0, 0
    for j, (ctx, matters) in enumerate(_contexts()):
        # a case only while both of its officers hold valid credentials (行政处罚法 第四十二条)
        since = max(ctx.handler.officer.valid_from, ctx.partner.valid_from)
        for month in range(1, MONTHS + 1):
            start = base - dt.timedelta(days=30 * month + 3 * j)
            if start.date() < since:
                continue
            title, basis = matters[month % len(matters)]
            penalty = PENALTIES[(month + j) % len(PENALTIES)]
            plans = [
                (
                    "penalty_general",
                    title,
                    cases_demo.general_steps(
                        title, "", "", penalty=penalty, content=Penalty.of(penalty).describe(), basis=basis
                    ),
                    dt.timedelta(hours=20),
                )
            ]
            if month % 3 == 0:
                plans.append(("inspection", "日常监督检查", cases_demo.INSPECTION, dt.timedelta(days=1)))
            if j == 0 and month % 6 == 1:
                plans.append(
                    ("coercive_measure", "查封涉嫌假冒商品", cases_demo.COERCIVE, dt.timedelta(days=1))
                )
            for procedure, case_title, steps, gap in plans:
                n += 1
                try:
                    cases_demo._run(
                        ctx,
                        start=start,
                        procedure=procedure,
                        title=case_title,
                        source="inspection" if procedure != "inspection" else "spot_check",
                        steps=steps,
                        stop=len(steps),
                        party=cases_demo._organisation(500 + n),
                        gap=gap,
                        source_detail=MARK,
                    )
                    made += 1
                except SanxiangError as exc:
                    out(f"  {case_title}: {exc}")
    out(f"  过去{MONTHS}个月的执法案件 {made} 件（各执法主体，已归档）")


def _campaign(today: dt.date, out) -> None:
    from sanxiang.accounts.models import User
    from sanxiang.supervision import evaluations
    from sanxiang.supervision.models import Campaign

    title = f"{today.year}年度行政处罚案卷评查（演示）"
    if Campaign.objects.filter(title=title).exists():
        out("  案卷评查活动已存在，跳过")
        return
    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None:
        return
    campaign = evaluations.campaign_start(
        actor=supervisor,
        title=title,
        archived_from=today - dt.timedelta(days=400),
        archived_to=today,
        size=4,
        evaluators=[supervisor],
        rectify_due=today + dt.timedelta(days=30),
        seed="demo-2026-evaluation",
    )
    first = campaign.cases.order_by("position").first()
    evaluations.evaluation_submit(
        actor=supervisor,
        campaign_case=first,
        marks={
            "F2": {"deduction": "2", "note": "询问笔录未载明询问起止时间"},
            "C4": {"deduction": "5", "note": "告知书未载明听证权利的行使期限"},
        },
        comments="案卷总体规范，个别文书填写不完整。",
    )
    out(f"  案卷评查：{campaign.title}，抽取{campaign.size}件，已评查1件")


def _annual_report(today: dt.date, out) -> None:
    from sanxiang.accounts.models import User
    from sanxiang.supervision import reports
    from sanxiang.supervision.models import AnnualReport

    head = User.objects.filter(username="head").first()
    officer = User.objects.filter(username="officer").first()
    if head is None or officer is None or head.agency is None:
        return
    year = today.year - 1
    if AnnualReport.objects.filter(agency=head.agency, year=year).exists():
        out("  年度报告已存在，跳过")
        return
    report = reports.report_generate(actor=officer, agency=head.agency, year=year)
    reports.report_edit(
        actor=officer,
        report=report,
        narrative=report.narrative.replace(
            "（请执法主体根据本单位情况补充）",
            "部分案件音像记录存储不及时，下一步将加强执法记录仪管理和案卷评查整改。",
        ),
    )
    reports.report_approve(actor=head, report=report)
    reports.report_submit(actor=officer, report=report)
    reports.report_publish(actor=head, report=report)
    out(f"  {year}年度行政执法总体情况报告已公开（{head.agency.name}）")


@register_step("supervision")
def build_supervision(*, today: dt.date, out=print) -> None:
    from sanxiang.supervision.alerts import alert_sweep
    from sanxiang.supervision.tallies import tally_sweep

    _year_of_decisions(today, out)
    _campaign(today, out)
    _annual_report(today, out)
    report = alert_sweep()
    out(f"  监督预警：新增 {report.opened}，解除 {report.closed}")
    tallies = tally_sweep()
    out(f"  执法决定汇总：{tallies.rows} 行")
