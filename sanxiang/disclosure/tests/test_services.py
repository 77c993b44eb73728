"""Disclosure duties, review, redaction, exemptions, withdrawal and corrections (the services)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from sanxiang.disclosure import services
from sanxiang.disclosure.models import (
    Draft,
    Duty,
    Exemption,
    PublicDecision,
    PublicLogEntry,
    WithdrawalGround,
)
from sanxiang.disclosure.redaction import (
    ADDRESS_MARK,
    BANK_MARK,
    ID_MARK,
    OFFICER_MARK,
    PHONE_MARK,
    mask_name,
)
from sanxiang.disclosure.tests.conftest import DECIDED, penalty_fields
from sanxiang.errors import InvalidInput, NotFound, SanxiangError, TransitionRefused
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db


def licensing_fields(**kw):
    fields = {
        "document_name": "食品经营许可决定书",
        "document_number": "宁市监许〔2026〕8号",
        "license_category": "普通",
        "license_name": "食品经营许可证",
        "license_number": "JY12207020001234",
        "license_content": "预包装食品销售",
        "valid_from": "2026-03-02",
        "valid_until": "2031-03-01",
    }
    fields.update(kw)
    return fields


def generic_fields(**kw):
    fields = {
        "document_number": "宁市监检〔2026〕3号",
        "action_type": "行政检查",
        "content": "食品安全双随机抽查",
        "result": "未发现问题",
    }
    fields.update(kw)
    return fields


class TestDeadlines:
    def test_a_penalty_is_due_seven_working_days_after_the_decision(self, make_duty, company):
        # 《松原市行政执法公示办法》第二十七条 (国办发〔2018〕118号 二、（六）: 许可、处罚 7个工作日)
        duty = make_duty(party=company)
        assert (duty.days, duty.unit) == (7, "working")
        assert duty.due_date == dt.date(2026, 3, 11)  # Mon 2 March, not counted; 7 working days
        assert duty.rule_source == "《松原市行政执法公示办法》第二十七条"
        assert duty.rule_version == "disclosure.period.penalty@songyuan/2020-01-01"

    def test_a_licence_is_due_seven_working_days_after_the_decision(self, make_duty, company):
        # 《松原市行政执法公示办法》第二十七条
        duty = make_duty(party=company, kind="licensing", fields=licensing_fields())
        assert duty.due_date == dt.date(2026, 3, 11)

    def test_songyuan_discloses_other_decisions_in_seven_and_spot_checks_in_twenty(self, make_duty, company):
        # 《松原市行政执法公示办法》第二十七条: 各类行政执法决定结果 7个工作日; 抽查结果 20个工作日
        other = make_duty(party=company, kind="other", fields=generic_fields())
        check = make_duty(party=company, kind="inspection", fields=generic_fields(document_number="检2"))
        assert (other.days, other.due_date) == (7, dt.date(2026, 3, 11))
        assert (check.days, check.due_date) == (20, dt.date(2026, 3, 30))

    def test_elsewhere_other_decisions_are_due_in_twenty_working_days(self, officer_elsewhere, company):
        # 国办发〔2018〕118号 二、（六）: 执法决定作出之日起20个工作日内 (national default, 北京市东城区)
        duty = services.disclosure_duty_create(
            actor=officer_elsewhere,
            agency=officer_elsewhere.agency,
            source_kind="other",
            source_ref="X-1",
            decided_on=DECIDED,
            party=company,
            fields=generic_fields(),
        )
        assert (duty.days, duty.due_date) == (20, dt.date(2026, 3, 30))
        assert duty.rule_source.startswith("《国务院办公厅关于全面推行行政执法公示制度")

    def test_an_overdue_duty_is_in_the_overdue_queue(self, make_duty, company, discloser_a):
        from sanxiang.disclosure.selectors import duty_queue

        duty = make_duty(party=company)
        assert list(duty_queue(discloser_a, overdue=True, today=dt.date(2026, 3, 11))) == []
        assert list(duty_queue(discloser_a, overdue=True, today=dt.date(2026, 3, 12))) == [duty]

    def test_the_same_call_twice_returns_the_same_duty(self, officer_a, agency_a, company):
        kw = dict(
            actor=officer_a,
            agency=agency_a,
            source_kind="penalty",
            source_ref="C-1",
            decided_on=DECIDED,
            party=company,
        )
        first = services.disclosure_duty_create(fields=penalty_fields(), **kw)
        again = services.disclosure_duty_create(fields=penalty_fields(), **kw)
        assert first.pk == again.pk
        with pytest.raises(TransitionRefused) as exc:
            services.disclosure_duty_create(fields=penalty_fields(fine_amount="6000"), **kw)
        assert exc.value.errors[0].rule == "duplicate"

    def test_missing_national_items_are_refused_naming_each_field(self, officer_a, agency_a, company):
        with pytest.raises(InvalidInput) as exc:
            services.disclosure_duty_create(
                actor=officer_a,
                agency=agency_a,
                source_kind="penalty",
                source_ref="C-2",
                decided_on=DECIDED,
                party=company,
                fields={"document_number": "x", "fine_amount": 12.5, "typo": "y"},
            )
        fields = {e.field: e.rule for e in exc.value.errors}
        assert fields["fields.violation_facts"] == "required"
        assert fields["fields.fine_amount"] == "money"  # a float cannot carry money exactly
        assert fields["fields.typo"] == "unknown_item"
        assert not Duty.objects.exists()  # nothing half-written


class TestReview:
    def test_nothing_is_public_before_internal_review(self, make_duty, company):
        # 《松原市行政执法公示办法》第三十条: 未经审查不得发布
        duty = make_duty(party=company)
        assert duty.status == Duty.Status.PENDING
        assert not PublicDecision.objects.exists()

    def test_the_author_of_a_draft_may_not_approve_it(self, make_duty, company, discloser_a, discloser_a2):
        # 《松原市行政执法公示办法》第三十条: 内部审核 — a second person reviews
        duty = make_duty(party=company)
        draft = services.disclosure_draft_create(actor=discloser_a, duty=duty, marks=["好味"])
        with pytest.raises(TransitionRefused) as exc:
            services.disclosure_draft_review(actor=discloser_a, draft=draft, approve=True)
        assert exc.value.errors[0].rule == services.RULE_FOUR_EYES
        services.disclosure_draft_review(actor=discloser_a2, draft=draft, approve=True)
        row = PublicDecision.objects.get()
        assert row.party_name == f"松原市{OFFICER_MARK}食品有限公司"

    def test_an_officer_without_the_disclosure_role_cannot_approve(self, make_duty, company, officer_a):
        duty = make_duty(party=company)
        with pytest.raises(SanxiangError) as exc:
            services.disclosure_draft_review(actor=officer_a, draft=duty.drafts.get(), approve=True)
        assert exc.value.status == 403

    def test_agency_b_cannot_see_or_review_agency_as_duty(self, make_duty, company, discloser_b):
        duty = make_duty(party=company)
        with pytest.raises(NotFound):
            services.disclosure_draft_review(actor=discloser_b, draft=duty.drafts.get(), approve=True)
        with pytest.raises(NotFound):
            services.duty_for(discloser_b, duty.public_id)

    def test_approval_publishes_a_version_recorded_in_the_ledger(self, make_duty, company, publish):
        duty = publish(make_duty(party=company))
        assert duty.status == Duty.Status.PUBLISHED
        publication = duty.publications.get()
        entry = Entry.objects.get(seq=publication.ledger_seq)
        assert entry.kind == "disclosure.published"
        assert entry.fields["payload"]["public_sm3"] == publication.public_sm3

    def test_a_rejected_draft_is_not_published(self, make_duty, company, discloser_a):
        duty = make_duty(party=company)
        services.disclosure_draft_review(
            actor=discloser_a, draft=duty.drafts.get(), approve=False, note="事实表述不准确"
        )
        assert not PublicDecision.objects.exists()


class TestExemptions:
    def test_a_minor_party_is_withheld_automatically(self, make_duty, minor):
        # 《松原市行政执法公示办法》第十八条第一项: 行政相对人是未成年人的，不予公开
        duty = make_duty(party=minor)
        assert duty.status == Duty.Status.EXEMPT
        assert duty.exemption.ground == Exemption.Ground.MINOR and duty.exemption.automatic
        assert not duty.drafts.exists()

    def test_an_exemption_needs_a_recorded_ground(self, make_duty, company, discloser_a):
        # 《松原市行政执法公示办法》第十八条: each exemption records its ground
        duty = make_duty(party=company)
        with pytest.raises(InvalidInput) as exc:
            services.disclosure_exempt(actor=discloser_a, duty=duty, ground="", explanation="")
        assert {e.field for e in exc.value.errors} == {"ground", "explanation"}
        services.disclosure_exempt(
            actor=discloser_a, duty=duty, ground=Exemption.Ground.SECRET, explanation="涉及商业秘密的配方"
        )
        duty.refresh_from_db()
        assert duty.status == Duty.Status.EXEMPT
        with pytest.raises(TransitionRefused):
            services.disclosure_draft_review(actor=discloser_a, draft=duty.drafts.get(), approve=True)

    def test_a_person_whose_age_cannot_be_known_is_not_published(self, make_duty, discloser_a):
        # 《松原市行政执法公示办法》第十八条第一项: a minor must never be published, so unknown age blocks publication
        from sanxiang.registry.models import IdType, Party

        foreigner = Party.objects.create(
            kind="person", name="约翰", id_type=IdType.PASSPORT, id_number="E1234567"
        )
        duty = make_duty(party=foreigner)
        with pytest.raises(TransitionRefused) as exc:
            services.disclosure_draft_review(actor=discloser_a, draft=duty.drafts.get(), approve=True)
        assert exc.value.errors[0].rule == services.RULE_MINOR_UNKNOWN


class TestRedaction:
    def test_a_natural_persons_name_id_phone_account_and_address_are_hidden(
        self, make_duty, person, discloser_a
    ):
        # DESIGN.md rules (铁西区司法局、松原市的方案): names, ID numbers, phones, bank accounts, home addresses
        facts = (
            f"当事人张三丰（身份证号{person.id_number}，电话13912345678）家住{person.address}，"
            "通过银行账户6222021234567890123收取货款，联系电话0438-6123456"
        )
        duty = make_duty(
            party=person, fields=penalty_fields(violation_facts=facts, attachments=["张三丰询问笔录.pdf"])
        )
        public = duty.drafts.get().public
        assert public["party_name"] == "张某某" == mask_name("张三丰")
        assert public["party_id_number"] == ID_MARK
        text = public["violation_facts"]
        for original in (
            "张三丰",
            person.id_number,
            "13912345678",
            "6222021234567890123",
            "幸福小区",
            "6123456",
        ):
            assert original not in text
        for mark in (ID_MARK, PHONE_MARK, BANK_MARK, ADDRESS_MARK):
            assert mark in text
        assert public["attachments"] == ["张某某询问笔录.pdf"]

    def test_compound_surnames_keep_both_characters(self):
        assert mask_name("欧阳娜娜") == "欧阳某某"
        assert mask_name("王五") == "王某某"

    def test_an_organisation_keeps_its_name_credit_code_and_legal_representative(self, make_duty, company):
        # national 双公示 items: 行政相对人名称, 统一社会信用代码, 法定代表人 are published for organisations
        public = make_duty(party=company).drafts.get().public
        assert (public["party_name"], public["party_credit_code"], public["legal_representative"]) == (
            company.name,
            company.credit_code,
            "王大力",
        )


class TestWithdrawal:
    def test_a_persons_decision_comes_down_after_two_years_an_organisations_after_five(
        self, make_duty, person, company, publish
    ):
        # 《松原市行政执法公示办法》第二十八条: 公开满5年的可以撤下；自然人公开满2年的可以撤下
        p = publish(make_duty(party=person))
        c = publish(make_duty(party=company))
        published = p.first_published_at.date()
        assert (
            services.disclosure_sweep(
                today=published.replace(year=2028) - dt.timedelta(days=1)
            ).withdrawn_retention
            == []
        )
        with time_machine.travel(dt.datetime(2028, 3, 6, 9, tzinfo=dt.UTC)):
            report = services.disclosure_sweep(today=dt.date(2028, 3, 5))
        assert report.withdrawn_retention == [str(p.public_id)]
        assert list(PublicDecision.objects.values_list("duty_id", flat=True)) == [c.pk]
        assert services.disclosure_sweep(today=dt.date(2031, 3, 4)).withdrawn_retention == []
        report = services.disclosure_sweep(today=dt.date(2031, 3, 5))
        assert report.withdrawn_retention == [str(c.public_id)]
        log = PublicLogEntry.objects.filter(kind="withdrawn").order_by("id")
        assert [e.duty_id for e in log] == [p.pk, c.pk]
        assert "第二十八条" in log[0].reason

    def test_a_revoked_decision_must_come_down_within_three_working_days(
        self, make_duty, company, publish, officer_a, agency_a, discloser_a
    ):
        # 行政处罚法 第四十八条: 被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回 (三日 = working days, 第八十五条)
        duty = publish(make_duty(party=company, ref="C-REV"))
        order = services.disclosure_withdrawal_order(
            actor=officer_a,
            agency=agency_a,
            source_kind="penalty",
            source_ref="C-REV",
            ground=WithdrawalGround.REVOKED,
            occurred_on=dt.date(2026, 3, 6),
            explanation="经行政复议撤销原处罚决定",
        )
        assert order.due_date == dt.date(2026, 3, 11)  # Fri 6 March → Mon, Tue, Wed
        assert services.disclosure_sweep(today=dt.date(2026, 3, 10)).withdrawn_orders == []
        assert PublicDecision.objects.filter(duty=duty).exists()
        assert services.disclosure_sweep(today=dt.date(2026, 3, 11)).withdrawn_orders == [str(duty.public_id)]
        entry = PublicLogEntry.objects.get(duty=duty)
        assert "撤销" in entry.reason and "经行政复议撤销原处罚决定" in entry.reason

    def test_a_withdrawal_needs_a_public_explanation(self, make_duty, company, publish, discloser_a):
        # 《松原市行政执法公示办法》第二十八条: 及时撤下…并作出必要的说明
        duty = publish(make_duty(party=company))
        with pytest.raises(InvalidInput) as exc:
            services.disclosure_withdraw(
                actor=discloser_a, duty=duty, ground=WithdrawalGround.UNLAWFUL, explanation=" "
            )
        assert exc.value.errors[0].field == "explanation"


class TestCorrections:
    def test_anyone_may_ask_for_a_correction_and_gets_a_number_and_a_due_date(
        self, make_duty, company, publish
    ):
        # 《松原市行政执法公示办法》第三十一条: 有证据证明…不准确的，有权要求…更正
        duty = publish(make_duty(party=company))
        request = services.correction_request_submit(
            public_id=duty.public_id,
            requester_name="松原市好味食品有限公司",
            contact="0438-1111111",
            description="罚款金额应为3000元",
            evidence="决定书第2页载明罚款3000元",
            client_key="k1",
        )
        assert request.tracking_number.startswith("GZ")
        assert request.due_date > dt.date(2026, 3, 5)

    def test_requests_are_rate_limited_per_client(self, make_duty, company, publish, settings):
        settings.SANXIANG_CORRECTION_RATE_PER_HOUR = 2
        duty = publish(make_duty(party=company))
        kw = dict(public_id=duty.public_id, requester_name="甲", contact="1", description="d", evidence="e")
        services.correction_request_submit(client_key="same", **kw)
        services.correction_request_submit(client_key="same", **kw)
        with pytest.raises(SanxiangError) as exc:
            services.correction_request_submit(client_key="same", **kw)
        assert exc.value.status == 429
        services.correction_request_submit(client_key="other", **kw)

    def test_an_accepted_correction_is_reviewed_published_and_logged(
        self, make_duty, company, publish, discloser_a, discloser_a2
    ):
        # 《松原市行政执法公示办法》第三十一条 (更正) and 第三十条 (未经审查不得发布)
        duty = publish(make_duty(party=company))
        request = services.correction_request_submit(
            public_id=duty.public_id,
            requester_name="甲",
            contact="1",
            description="罚款应为3000元",
            evidence="决定书",
            client_key="k",
        )
        draft = services.correction_request_decide(
            actor=discloser_a,
            request=request,
            accept=True,
            outcome="经核实罚款金额录入有误，已更正为3000元",
            fields=penalty_fields(
                fine_amount="3000",
                penalty_content="给予警告，并处罚款3000元",
                document_number=duty.fields["document_number"],
            ),
        )
        assert draft.purpose == Draft.Purpose.CORRECTION
        assert PublicDecision.objects.get().public["fine_amount"] == "5000.00"  # not before review
        services.disclosure_draft_review(actor=discloser_a2, draft=draft, approve=True)
        row = PublicDecision.objects.get()
        assert (row.version, row.public["fine_amount"]) == (2, "3000.00")
        request.refresh_from_db()
        assert request.status == "corrected"
        log = PublicLogEntry.objects.get()
        assert (log.kind, log.tracking_number) == ("corrected", request.tracking_number)


class TestCreditPeriods:
    def test_the_publication_end_follows_the_credit_rules_in_force_on_the_decision_date(self):
        # 信用修复管理办法 (2026): since 2026-04-01 minor in principle unpublished, ordinary up to 1 year,
        # serious up to 3 years; before it 市场监督管理行政处罚信息公示规定 (2021): three years
        from sanxiang.disclosure.rules import publication_until

        assert publication_until("penalty", dt.date(2026, 3, 31), "ordinary") == dt.date(2029, 3, 31)
        assert publication_until("penalty", dt.date(2026, 4, 1), "ordinary") == dt.date(2027, 4, 1)
        assert publication_until("penalty", dt.date(2026, 4, 1), "serious") == dt.date(2029, 4, 1)
        assert publication_until("penalty", dt.date(2026, 4, 1), "minor") == dt.date(2026, 4, 1)
        assert publication_until("licensing", dt.date(2026, 4, 1), None) is None

    def test_the_export_carries_the_publication_end(self, make_duty, company):
        public = make_duty(party=company).drafts.get().public
        assert public["publication_until"] == "2029-03-02"
        assert "severity" not in public
