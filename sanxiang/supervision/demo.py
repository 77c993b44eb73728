"""Supervision demo data (``sanxiang demo``): a year of decided cases in every agency for the
statistics and the dashboard, an evaluation campaign with one file scored and its 整改 items, last
year's annual report of the market agency published, and the alerts swept. Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sanxiang.demo import register_step

MARK = "演示统计"
# (penalty kinds with amounts) cycled over the months: joint kinds show the heaviest-penalty rule
PENALTIES = (
    (("fine", "3000"),),
    (("warning", None),),
    (("fine", "12000"), ("confiscate_gains", "2150.50")),
    (("fine", "800"),),
    (("fine", "50000"), ("suspend_business", None)),
    (("criticism", None),),
)


_serial = [0]


def _decided_case(user, officer, *, title: str, procedure: str = "penalty_general"):
    from sanxiang.cases import services
    from sanxiang.registry.validators import compose_credit_code

    _serial[0] += 1

    return services.case_open(
        actor=user,
        procedure=procedure,
        officers=[user.officer, officer],
        parties=[
            {
                "kind": "organisation",
                "name": f"松原市宁江区演示经营部{_serial[0]}",
                "credit_code": compose_credit_code(
                    department="9", kind="2", region="220702", serial=7000 + _serial[0]
                ),
                "legal_representative": "演示经营者",
            }
        ],
        title=title,
        source="inspection",
        source_detail=MARK,
    )


def _decision(case, *, kind: str, on: dt.date, lines, granted=None, number: str):
    from sanxiang.cases.models import CaseRecord, Decision, DecisionLine, DecisionParty

    now = timezone.now()
    record = CaseRecord.objects.create(
        case=case,
        kind="decision_document",
        stage=case.stage,
        payload={"source": MARK},
        made_at=now,
        uploaded_at=now,
        made_by=case.opened_by,
        ledger_seq=case.ledger_seq,
    )
    decision = Decision.objects.create(
        case=case,
        agency=case.agency,
        procedure=case.procedure,
        kind=kind,
        record=record,
        transition="decide",
        decided_on=on,
        document_number=number,
        granted=granted,
        made_by=case.opened_by,
        made_at=now,
        ledger_seq=case.ledger_seq,
    )
    party = case.case_parties.first().party
    DecisionParty.objects.create(decision=decision, party=party)
    for category, line_kind, amount in lines:
        DecisionLine.objects.create(
            decision=decision,
            party=party,
            category=category,
            kind=line_kind,
            amount=Decimal(amount) if amount else None,
        )
    return decision


def _year_of_decisions(today: dt.date, out) -> None:
    from sanxiang.accounts.models import User
    from sanxiang.cases.models import Case
    from sanxiang.registry.models import Agency

    if Case.objects.filter(source_detail=MARK).exists():
        out("  统计演示案件已存在，跳过")
        return
    made = 0
    for agency in Agency.objects.filter(is_supervisory=False, status=Agency.Status.ACTIVE).order_by("pk"):
        user = User.objects.filter(agency=agency, officer__isnull=False).order_by("pk").first()
        partner = agency.officers.exclude(pk=getattr(user, "officer_id", None)).order_by("pk").first()
        if user is None or partner is None:
            continue
        prefix = (agency.name[:2] or "执") + "罚"
        for month in range(12):
            on = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
            for _ in range(month):
                on = (on.replace(day=1) - dt.timedelta(days=1)).replace(day=10)
            lines = [("penalty", k, a) for k, a in PENALTIES[(month + agency.pk) % len(PENALTIES)]]
            case = _decided_case(user, partner, title=f"{on.month}月日常检查发现的违法经营案")
            _decision(
                case, kind="penalty", on=on, lines=lines, number=f"{prefix}〔{on.year}〕{100 + month}号"
            )
            made += 1
            if month % 4 == 0:
                case = _decided_case(user, partner, title=f"{on.month}月行政检查", procedure="inspection")
                _decision(
                    case, kind="inspection", on=on, lines=[], number=f"{prefix}检〔{on.year}〕{month}号"
                )
                made += 1
            if month == 3:
                case = _decided_case(user, partner, title="违法物品查封扣押")
                _decision(
                    case,
                    kind="measure",
                    on=on,
                    lines=[("measure", "seize", None), ("measure", "seal", None)],
                    number=f"{prefix}强〔{on.year}〕1号",
                )
                made += 1
            # the older ones are archived, for the 案卷评查 draw
            if month >= 2:
                Case.objects.filter(pk=case.pk).update(
                    sealed_at=timezone.make_aware(dt.datetime(on.year, on.month, on.day, 17))
                    + dt.timedelta(days=20)
                )
    out(f"  过去一年的执法决定 {made} 件（各执法主体）")


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

    _year_of_decisions(today, out)
    _campaign(today, out)
    _annual_report(today, out)
    report = alert_sweep()
    out(f"  监督预警：新增 {report.opened}，解除 {report.closed}")
