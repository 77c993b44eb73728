"""Demo disclosures for 宁江区市场监督管理局: published, redacted, exempt, withdrawn, corrected and overdue.

Until the cases app calls ``disclosure_duty_create`` on its decided cases, the decisions are made
here through the same service. Idempotent: nothing is created twice.
"""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import User
from sanxiang.demo import register_step
from sanxiang.disclosure import services
from sanxiang.disclosure.models import Duty, Exemption, WithdrawalGround
from sanxiang.ledger.services import checkpoint_create
from sanxiang.registry.models import IdType, Party
from sanxiang.registry.validators import compose_credit_code, id_number_check_digit
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
    officer = User.objects.filter(username="officer").first()
    discloser = User.objects.filter(username="disclosure").first()
    head = User.objects.filter(username="head").first()
    if officer is None or discloser is None or head is None or officer.agency is None:
        return
    agency = officer.agency
    if Duty.objects.filter(agency=agency, source_ref="DEMO-CF-001").exists():
        return
    company = _party(
        "松原市宁江区好味食品有限公司",
        kind=Party.Kind.ORGANISATION,
        credit_code=compose_credit_code(department="9", kind="1", region="220702", serial=880001),
        legal_representative="王大力",
    )
    shop = _party(
        "宁江区老李烧烤店",
        kind=Party.Kind.INDIVIDUAL_BUSINESS,
        credit_code=compose_credit_code(department="9", kind="2", region="220702", serial=880002),
        legal_representative="李长顺",
        address="宁江区民主街88号",
    )
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
    recent = _working_days_before(today, 3)
    older = _working_days_before(today, 5)
    overdue_day = _working_days_before(today, 12)

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

    def create(ref, party, fields, kind="penalty", decided_on=older):
        return services.disclosure_duty_create(
            actor=officer, agency=agency, source_kind=kind, source_ref=ref, decided_on=decided_on, party=party,
            fields=fields,
        )  # fmt: skip

    def approve(duty, reviewer=discloser):
        draft = duty.drafts.order_by("-number").first()
        services.disclosure_draft_review(actor=reviewer, draft=draft, approve=True, note="经审核，同意公示")

    # 1. an organisation's penalty, published
    approve(create("DEMO-CF-001", company, penalty(21)))
    # 2. a natural person's penalty: name, ID number, phone, address, a third person marked — redacted
    p = create(
        "DEMO-CF-002",
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
        decided_on=recent,
    )
    marked = services.disclosure_draft_create(actor=discloser, duty=p, marks=["赵铁柱"])
    services.disclosure_draft_review(actor=head, draft=marked, approve=True, note="同意")
    # 3. a licence and 4. a spot-check result
    approve(
        create(
            "DEMO-XK-001",
            shop,
            {
                "document_name": "食品经营许可决定书",
                "document_number": f"宁市监许〔{today.year}〕31号",
                "license_category": "普通",
                "license_name": "食品经营许可证",
                "license_number": "JY22207020031001",
                "license_content": "热食类食品制售",
                "valid_from": older.isoformat(),
                "valid_until": older.replace(year=older.year + 5).isoformat(),
            },
            kind="licensing",
        )
    )
    approve(
        create(
            "DEMO-JC-001",
            company,
            {
                "document_number": f"宁市监检〔{today.year}〕7号",
                "action_type": "行政检查（双随机抽查）",
                "content": "食品经营场所卫生及索证索票情况抽查",
                "result": "未发现问题",
            },
            kind="inspection",
        )
    )
    # 5. a minor: withheld automatically (公示办法 第十八条第一项)
    create("DEMO-CF-003", minor, penalty(23, violation_facts="当事人李小明在网吧饮酒滋事"))
    # 6. withheld with a recorded ground
    secret = create("DEMO-CF-004", company, penalty(24, violation_type="侵犯商业秘密"))
    services.disclosure_exempt(
        actor=discloser,
        duty=secret,
        ground=Exemption.Ground.SECRET,
        explanation="案件主要事实涉及权利人的商业秘密",
    )
    # 7. published, then revoked on 行政复议 and withdrawn with a public explanation
    revoked = create("DEMO-CF-005", shop, penalty(25, violation_type="未按规定公示食品经营许可证"))
    approve(revoked)
    services.disclosure_withdrawal_order(
        actor=officer, agency=agency, source_kind="penalty", source_ref="DEMO-CF-005",
        ground=WithdrawalGround.REVOKED, occurred_on=today, explanation="经行政复议，原处罚决定被撤销",
    )  # fmt: skip
    revoked.refresh_from_db()
    services.disclosure_withdraw(
        actor=discloser,
        duty=revoked,
        ground=WithdrawalGround.REVOKED,
        explanation="经行政复议，原处罚决定被撤销",
    )
    # 8. a correction asked for by the public, accepted, reviewed and published as version 2
    corrected = create(
        "DEMO-CF-006", company, penalty(26, fine_amount="3000.00", penalty_content="给予警告，并处罚款3000元")
    )
    approve(corrected)
    request = services.correction_request_submit(
        public_id=corrected.public_id, requester_name="松原市宁江区好味食品有限公司", contact="0438-6000000",
        description="违法行为类型应为“销售标签不符合规定的食品”", evidence="行政处罚决定书第1页", client_key="demo",
    )  # fmt: skip
    draft = services.correction_request_decide(
        actor=discloser, request=request, accept=True, outcome="经核实，违法行为类型录入有误，已更正",
        fields=penalty(26, fine_amount="3000.00", penalty_content="给予警告，并处罚款3000元",
                       violation_type="销售标签不符合规定的食品"),
    )  # fmt: skip
    services.disclosure_draft_review(actor=head, draft=draft, approve=True, note="同意更正")
    # 9. pending and overdue; 10. pending within its deadline
    create("DEMO-CF-007", company, penalty(27, violation_type="虚假宣传"), decided_on=overdue_day)
    create("DEMO-CF-008", shop, penalty(28, violation_type="未按规定进行食品安全自查"), decided_on=recent)
    checkpoint_create()
    out(
        f"公示: {Duty.objects.filter(agency=agency, status='published').count()} 件已公示，"
        f"{Duty.objects.filter(agency=agency, status='exempt').count()} 件不予公开，"
        f"{Duty.objects.filter(agency=agency, status='withdrawn').count()} 件已撤下，"
        f"{Duty.objects.filter(agency=agency, status='pending').count()} 件待公示"
    )
