"""Demo disclosures for 宁江区市场监督管理局: published, redacted, exempt, withdrawn, corrected and overdue.

The decisions are the cases demo's decided cases (sanxiang/cases/demo.py): serving a penalty,
filing an on-the-spot decision, issuing a licence, completing a seizure or publishing a spot-check
result created each duty through the decision hooks. Here the disclosure officer works them:
publishes some, withholds one on a recorded ground, withdraws one whose decision was revoked,
corrects one at the public's request, and leaves the rest pending (overdue: the demo decisions are
weeks old). Synthetic decisions (made through the same service) remain only where the cases demo
has no such example: a natural person whose facts name an ID number, phone, address, bank account
and a third person (redaction), a minor (withheld automatically), and a decision still within its
deadline. Idempotent: nothing is done twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sanxiang.accounts.models import User
from sanxiang.cases import demo as _cases_demo  # noqa: F401 - the cases step runs first
from sanxiang.demo import register_step
from sanxiang.disclosure import services
from sanxiang.disclosure.models import Duty, Exemption, WithdrawalGround
from sanxiang.ledger.services import checkpoint_create
from sanxiang.registry.models import IdType, Party
from sanxiang.registry.validators import id_number_check_digit
from sanxiang.workdays.services import add_working_days


def _id_number(serial: int, born: dt.date) -> str:
    body = f"220702{born:%Y%m%d}{serial:03d}"
    return body + id_number_check_digit(body)


def _party(name: str, **kw) -> Party:
    party = Party.objects.filter(name=name).first()
    return party or Party.objects.create(name=name, **kw)


def _working_days_before(today: dt.date, days: int) -> dt.date:
    day = today
    while add_working_days(day, days).due > today:
        day -= dt.timedelta(days=1)
    return day


@register_step("公示 事后公开")
def load(*, today, out) -> None:
    with transaction.atomic():  # all or nothing, so that a rerun never acts twice
        _load(today=today, out=out)


def _load(*, today, out) -> None:
    officer = User.objects.filter(username="officer").first()
    discloser = User.objects.filter(username="disclosure").first()
    head = User.objects.filter(username="head").first()
    if officer is None or discloser is None or head is None or officer.agency is None:
        return
    agency = officer.agency
    if Duty.objects.filter(agency=agency, source_ref="宁市监罚〔2025〕9002号").exists():
        return
    from_cases = Duty.objects.filter(agency=agency, created_by=officer).exclude(
        source_ref__startswith="宁市监罚〔2025〕9"
    )

    def pending(kind: str) -> list[Duty]:
        return list(
            from_cases.filter(source_kind=kind, status=Duty.Status.PENDING).order_by("decided_on", "pk")
        )

    def approve(duty, reviewer=discloser):
        draft = duty.drafts.order_by("-number").first()
        services.disclosure_draft_review(actor=reviewer, draft=draft, approve=True, note="经审核，同意公示")

    def organisation(duty) -> bool:
        return duty.party is not None and duty.party.kind == Party.Kind.ORGANISATION

    penalties = [d for d in pending("penalty") if organisation(d)]
    people = [d for d in pending("penalty") if not organisation(d)]
    # 1. decided cases published after internal review (公示办法 第三十条): penalties of organisations,
    #    a natural person's on-the-spot decision (name redacted), the licence, the spot-check result,
    #    a seizure
    for duty in (
        penalties[:3] + people[:1] + pending("licensing") + pending("inspection") + pending("other")[:1]
    ):
        approve(duty)
    # 2. withheld with a recorded ground (公示办法 第十八条第二项)
    if len(penalties) > 3:
        services.disclosure_exempt(
            actor=discloser,
            duty=penalties[3],
            ground=Exemption.Ground.SECRET,
            explanation="案件主要事实涉及权利人的商业秘密（配方及供货渠道）",
        )
    # 3. published, then revoked on 行政复议 and withdrawn within 3 working days with a public
    #    explanation (行政处罚法 第四十八条)
    if len(penalties) > 4:
        revoked = penalties[4]
        approve(revoked)
        services.disclosure_withdrawal_order(
            actor=officer, agency=agency, source_kind="penalty", source_ref=revoked.source_ref,
            ground=WithdrawalGround.REVOKED, occurred_on=today, explanation="经行政复议，原处罚决定被撤销",
        )  # fmt: skip
        revoked.refresh_from_db()
        services.disclosure_withdraw(
            actor=discloser,
            duty=revoked,
            ground=WithdrawalGround.REVOKED,
            explanation="经行政复议，原处罚决定被撤销",
        )
    # 4. a correction asked for by the public, accepted, reviewed and published as version 2
    #    (公示办法 第三十一条)
    if len(penalties) > 5:
        corrected = penalties[5]
        approve(corrected)
        wrong = corrected.fields["penalty_content"]
        request = services.correction_request_submit(
            public_id=corrected.public_id, requester_name=corrected.party.name, contact="0438-6000000",
            description=f"处罚内容应为“{wrong}，责令改正”", evidence="行政处罚决定书第2页", client_key="demo",
        )  # fmt: skip
        draft = services.correction_request_decide(
            actor=discloser, request=request, accept=True, outcome="经核实，处罚内容录入不完整，已更正",
            fields={**corrected.fields, "penalty_content": f"{wrong}，责令改正"},
        )  # fmt: skip
        services.disclosure_draft_review(actor=head, draft=draft, approve=True, note="同意更正")
    # the other decided cases stay pending — overdue, shown in the queue and to the supervisor

    # Synthetic extras: what the cases demo has no example of.
    person = _party(
        "张三丰",
        kind=Party.Kind.NATURAL_PERSON,
        id_type=IdType.RESIDENT_ID,
        id_number=_id_number(17, dt.date(1979, 5, 1)),
        phone="13912345678",
        address="宁江区建设街道幸福小区3栋2单元501室",
    )
    minor = _party(
        "李小明",
        kind=Party.Kind.NATURAL_PERSON,
        id_type=IdType.RESIDENT_ID,
        id_number=_id_number(18, today.replace(year=today.year - 16)),
    )
    shop = (
        Party.objects.filter(kind=Party.Kind.ORGANISATION, case_links__case__agency=agency).first() or person
    )
    recent = _working_days_before(today, 3)

    def penalty(number, **kw):
        fields = {
            "document_number": f"宁市监处罚〔{today.year}〕{number}号",
            "violation_type": "销售超过保质期的食品",
            "violation_facts": "当事人在其经营场所销售超过保质期的预包装食品，货值金额800元",
            "legal_basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
            "penalty_categories": "警告;罚款;没收违法所得",
            "penalty_content": "给予警告，没收违法所得800元，并处罚款5000元",
            "fine_amount": "5000.00",
            "confiscation_amount": "800.00",
            "severity": "ordinary",
        }
        fields.update(kw)
        return fields

    def create(ref, party, fields, decided_on=recent):
        return services.disclosure_duty_create(
            actor=officer, agency=agency, source_kind="penalty", source_ref=ref, decided_on=decided_on,
            party=party, fields=fields,
        )  # fmt: skip

    # 5. a natural person's penalty: name, ID number, phone, address, a third person marked — redacted
    p = create(
        "宁市监罚〔2025〕9002号",
        person,
        penalty(
            22,
            violation_type="无证经营食品",
            violation_facts=(
                f"当事人张三丰（公民身份号码{person.id_number}，联系电话13912345678），家住{person.address}，"
                "未取得食品经营许可在宁江区夜市销售自制熟食，由其亲属赵铁柱协助经营，违法所得通过银行账户6222021234567890123收取"
            ),
            legal_basis="《中华人民共和国食品安全法》第一百二十二条第一款",
            penalty_categories="没收违法所得;罚款",
            penalty_content="没收违法所得1200元，并处罚款10000元",
            fine_amount="10000.00",
            confiscation_amount="1200.00",
            attachments=["张三丰询问笔录.pdf", "现场照片.jpg"],
        ),
    )
    marked = services.disclosure_draft_create(actor=discloser, duty=p, marks=["赵铁柱"])
    services.disclosure_draft_review(actor=head, draft=marked, approve=True, note="同意")
    # 6. a minor: withheld automatically (公示办法 第十八条第一项)
    create("宁市监罚〔2025〕9003号", minor, penalty(23, violation_facts="当事人李小明在网吧饮酒滋事"))
    # 7. pending within its deadline
    create("宁市监罚〔2025〕9008号", shop, penalty(28, violation_type="未按规定进行食品安全自查"))
    # 8. published: a penalty for 销售超过保质期的食品 — what the portal's search example (过期食品) finds
    approve(create("宁市监罚〔2025〕9009号", shop, penalty(29)))
    checkpoint_create()
    out(
        f"公示: 来自演示案件的决定 {from_cases.count()} 件；"
        f"{Duty.objects.filter(agency=agency, status='published').count()} 件已公示，"
        f"{Duty.objects.filter(agency=agency, status='exempt').count()} 件不予公开，"
        f"{Duty.objects.filter(agency=agency, status='withdrawn').count()} 件已撤下，"
        f"{Duty.objects.filter(agency=agency, status='pending').count()} 件待公示"
    )
