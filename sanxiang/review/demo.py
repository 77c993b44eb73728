"""Demo legal reviews for 松原市宁江区市场监督管理局: reviews in every state — under review, waiting
for materials, sent back and resubmitted, passed and decided, disputed and ruled by the head,
collective discussion, one overdue and one extended — each built through the services in the past."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.cases import clock
from sanxiang.cases import demo as _cases_demo  # noqa: F401 - the cases step runs first
from sanxiang.cases import services as cases
from sanxiang.cases.demo import _organisation, recording
from sanxiang.demo import register_step
from sanxiang.registry.models import ReviewerRegistration
from sanxiang.review import services
from sanxiang.review.models import CHECKLIST_KEYS, Review
from sanxiang.workdays.services import add_working_days

EXPLANATION = {
    "basic_facts": "当事人经营的食品中检出超过保质期产品，货值金额较大",
    "law_and_discretion": "《中华人民共和国食品安全法》第一百二十四条；执行本局裁量基准“较重”档",
    "officer_qualifications": "承办人员均持有有效行政执法证件",
    "investigation_and_hearing": "现场检查、询问当事人；告知后当事人陈述申辩，未申请听证",
}


def _case(handler, partner, checker, head, title, fine, i, **flags):
    case = cases.case_open(
        actor=handler,
        procedure="penalty_general",
        title=title,
        source="inspection",
        source_detail="演示数据（法制审核）",
        officers=[handler.officer, partner],
        parties=[_organisation(500 + i)],
    )
    a = cases.approval_submit(
        actor=handler, case=case, kind="filing_approval", reason="涉嫌违法", opinion="建议立案"
    )
    cases.approval_review(actor=checker, approval=a, agree=True, opinion="同意")
    cases.approval_decide(actor=head, approval=a, agree=True, opinion="同意立案")
    cases.case_transition(actor=handler, case=case, transition="file")
    present = [{"officer": str(o.officer.public_id), "shown": True} for o in case.case_officers.all()]
    # The agency's 音像记录事项清单 lists 询问 (《松原市行政执法全过程记录实施办法》第十三条): the inquiry carries its recording.
    cases.record_add(
        actor=handler,
        case=case,
        kind="inquiry_record",
        payload={"content": "询问当事人"},
        officers=present,
        blobs=[recording(case, "inquiry_record", actor=handler)],
    )
    report = {"facts": "销售过期食品", "evidence": "询问笔录", "basis": "食品安全法 第一百二十四条"}
    penalty = {"penalty_kinds": ["fine"], "fine_amount": fine}
    cases.record_add(
        actor=handler,
        case=case,
        kind="investigation_report",
        payload={**report, **penalty, "complex": True, **flags},
    )
    cases.case_transition(actor=handler, case=case, transition="notify")
    cases.record_add(
        actor=handler,
        case=case,
        kind="penalty_notice",
        payload={"document_number": f"宁市监罚告〔2026〕{900 + i}号", "content": "告知", **penalty},
    )
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "请求从轻处罚"})
    return case


def _marks(r, reviewer, failed=()):
    for key in CHECKLIST_KEYS:
        services.checklist_mark(
            actor=reviewer,
            round=r,
            item=key,
            passed=key not in failed,
            note="未通过：见意见" if key in failed else "符合规定",
        )


@register_step("review 法制审核")
def build_reviews(*, today: dt.date, out=print) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "officer2", "chief", "reviewer", "head"])
    }
    if len(users) < 5 or users["reviewer"].officer is None:
        out("  （跳过：缺少演示账号）")
        return
    handler, reviewer, head = users["officer"], users["reviewer"], users["head"]
    if Review.objects.filter(agency=handler.agency).exists():
        out("  法制审核已存在，跳过")
        return
    ReviewerRegistration.objects.get_or_create(
        agency=handler.agency.legal_office or handler.agency,
        officer=reviewer.officer,
        defaults={"name": reviewer.officer.name, "filed_on": today - dt.timedelta(days=300)},
    )
    partner = users["officer2"].officer
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)

    def ago(working_days: int) -> dt.datetime:
        day = today
        while working_days > 0:
            day -= dt.timedelta(days=1)
            if add_working_days(day, 1).due <= today and day.weekday() < 5:
                working_days -= 1
        return now.replace(year=day.year, month=day.month, day=day.day)

    plans = [
        ("reviewing", "某某超市销售过期食品案（审核中）", 2),
        ("materials", "某某药房销售劣药案（待补充材料）", 3),
        ("overdue", "某某商贸公司虚假宣传案（超期未审结）", 12),
        ("extended", "某某饭店使用不合格餐具案（经批准延长）", 8),
        ("resubmitted_passed", "某某便利店销售无标签食品案（退回后再送审通过并决定）", 15),
        ("disputed", "某某食品厂超范围生产案（异议待负责人处理）", 6),
        ("ruled", "某某酒店违规使用添加剂案（负责人采纳承办机构意见）", 9),
        ("transfer", "某某作坊生产有毒有害食品案（移送司法机关）", 5),
        ("discussion", "某某连锁超市销售不合格肉品案（集体讨论）", 10),
    ]
    made = 0
    for i, (state, title, age) in enumerate(plans):
        start = ago(age + 1)
        step = dt.timedelta(hours=1)
        try:
            with clock.at(start):
                flags = {"collective_discussion_required": True} if state == "discussion" else {}
                case = _case(handler, partner, users["chief"], head, title, "60000", i, **flags)
            with clock.at(start + step):
                r = services.review_submit(
                    actor=handler,
                    case=case,
                    explanation=EXPLANATION,
                    draft_decision="行政处罚决定书（代拟稿）",
                )
            later = start + dt.timedelta(days=1)
            with clock.at(later):
                services.materials_read(actor=reviewer, round=r)
                if state == "materials":
                    services.materials_request(
                        actor=reviewer, round=r, items=["销售记录原件"], due_on=today + dt.timedelta(days=5)
                    )
                elif state == "extended":
                    ext = services.extension_request(
                        actor=reviewer, round=r, days=5, reason="涉及多个法律关系，案件复杂"
                    )
                    services.extension_rule(
                        actor=head, extension=ext, approved=True, note="同意延长五个工作日"
                    )
                    _marks(r, reviewer)
                elif state == "reviewing":
                    services.checklist_mark(
                        actor=reviewer, round=r, item="subject_and_officers", passed=True, note="主体合法"
                    )
                elif state in ("resubmitted_passed", "disputed", "ruled"):
                    _marks(r, reviewer, failed=("law_and_discretion",))
                    services.opinion_issue(
                        actor=reviewer,
                        round=r,
                        outcome="amend",
                        reasons="罚款数额高于裁量基准",
                        amend_points=["discretion"],
                    )
                elif state == "transfer":
                    _marks(r, reviewer, failed=("crime",))
                    services.opinion_issue(
                        actor=reviewer,
                        round=r,
                        outcome="transfer",
                        reasons="涉嫌生产有毒有害食品罪",
                        transfer_to="judicial",
                    )
                elif state == "discussion":
                    _marks(r, reviewer)
                    services.opinion_issue(
                        actor=reviewer, round=r, outcome="approve", reasons="事实清楚，证据确凿，程序合法"
                    )
            with clock.at(later + step):
                if state == "resubmitted_passed":
                    cases.case_transition(actor=handler, case=case, transition="reinvestigate")
                    cases.record_add(
                        actor=handler,
                        case=case,
                        kind="investigation_report",
                        payload={
                            "facts": "销售无标签食品",
                            "evidence": "询问笔录",
                            "basis": "食品安全法 第一百二十五条",
                            "penalty_kinds": ["fine"],
                            "fine_amount": "30000",
                            "complex": True,
                        },
                    )
                    cases.case_transition(actor=handler, case=case, transition="notify")
                    r2 = services.review_submit(
                        actor=handler, case=case, explanation=EXPLANATION, draft_decision="代拟稿（第二稿）"
                    )
                    _marks(r2, reviewer)
                    services.opinion_issue(
                        actor=reviewer, round=r2, outcome="approve", reasons="已按意见调整裁量"
                    )
                    cases.case_transition(actor=handler, case=case, transition="review_to_decision")
                elif state in ("disputed", "ruled"):
                    d = services.disagreement_raise(
                        actor=handler,
                        round=r,
                        handler_opinion="当事人违法情节较重，裁量适当",
                        consultation="与法制科协商，未达成一致",
                    )
                    if state == "ruled":
                        services.disagreement_rule(
                            actor=head, disagreement=d, side="handler", note="采纳承办机构意见"
                        )
                elif state == "discussion":
                    cases.case_transition(actor=handler, case=case, transition="review_to_discussion")
                    services.discussion_record(
                        actor=head,
                        round=r,
                        held_on=timezone.localdate(later),
                        presided_by="局长",
                        participants=["局长", "副局长", "纪检组长"],
                        minutes="听取承办机构和法制机构汇报，讨论处罚幅度",
                        conclusion="同意按审核意见作出处罚决定",
                    )
            made += 1
        except Exception as exc:
            out(f"  {title}: {exc}")
    services.overdue_sweep()
    out(
        f"  法制审核 {made} 件（审核中、待补充材料、超期、延期、退回再送审、异议、负责人裁决、移送、集体讨论）"
    )
