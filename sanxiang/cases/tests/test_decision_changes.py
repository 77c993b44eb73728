"""What happens to a decision's 公示 after the decision: several parties (one duty each), a corrected
decision document, a decision changed, revoked or found unlawful, and the 失信程度 that sets its
公示截止期. The cases app reaches the disclosure app only through the hooks it installs."""

import datetime as dt

import pytest

from sanxiang.cases import services
from sanxiang.cases.tests.factories import ORGANISATION, PERSON, penalty, present
from sanxiang.disclosure import rules
from sanxiang.disclosure.models import Duty, Exemption
from sanxiang.testing.factories import OfficerFactory, make_id_number

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 3, 2)  # the traveller's Monday
MINOR = {
    "kind": "person",
    "name": "李小明",
    "id_type": "resident_id",
    "id_number": make_id_number(18, born=dt.date(2010, 1, 1)),
}


def on_spot_decided(handler, *, parties, **decision):
    """A simple-procedure (当场处罚) case against ``parties``, decided on the spot."""
    case = services.case_open(
        actor=handler,
        procedure="penalty_simple",
        officers=[handler.officer, OfficerFactory(agency=handler.agency)],
        parties=parties,
        title="占道经营案",
        source="inspection",
        source_detail="日常巡查发现",
    )
    facts = {"facts": "共同占道经营", "basis": "市容条例", "facts_certain": True}
    services.record_add(
        actor=handler,
        case=case,
        kind="simple_facts_record",
        officers=present(case),
        payload={**facts, **penalty(("warning",), fine="")},
    )
    services.record_add(
        actor=handler,
        case=case,
        kind="on_spot_decision",
        payload={
            "document_number": "简罚〔2026〕3号",
            "content": "警告",
            **penalty(("warning",), fine=""),
            **decision,
        },
    )
    services.case_transition(actor=handler, case=case, transition="decide_on_spot")
    return case


def test_a_decision_against_several_parties_creates_one_duty_per_party_and_withholds_only_the_minor(
    handler, traveller
):
    # 《松原市行政执法公示办法》第十六条 (每一项行政处罚决定结果予以公开) per party; 第十八条第一项
    # (行政相对人是未成年人的，不予公开) withholds the minor alone
    case = on_spot_decided(handler, parties=[ORGANISATION, PERSON, MINOR])
    duties = {d.party.name: d for d in Duty.objects.select_related("party")}
    assert set(duties) == {ORGANISATION["name"], PERSON["name"], MINOR["name"]}
    assert {(d.source_kind, d.source_ref) for d in duties.values()} == {("penalty", case.number)}
    assert duties[MINOR["name"]].status == Duty.Status.EXEMPT
    assert duties[MINOR["name"]].exemption.ground == Exemption.Ground.MINOR
    for name in (ORGANISATION["name"], PERSON["name"]):
        duty = duties[name]
        assert duty.status == Duty.Status.PENDING and not hasattr(duty, "exemption")
        # each party's own items: the 行政相对人 of its draft is that party (redacted for a person)
        assert duty.drafts.count() == 1
    assert not duties[MINOR["name"]].drafts.exists()
    assert duties[ORGANISATION["name"]].drafts.get().public["party_name"] == ORGANISATION["name"]
    assert duties[PERSON["name"]].drafts.get().public["party_name"] == "钱某某"  # issue 7: 张某某


def test_the_duties_of_several_parties_are_created_once_when_the_hook_is_retried(handler, traveller):
    # the natural key of a duty is (agency, kind, ref, party): a retried hook creates nothing new
    from sanxiang.cases import decisions
    from sanxiang.disclosure.decisions import duties_from_decision

    case = on_spot_decided(handler, parties=[ORGANISATION, PERSON])
    before = sorted(Duty.objects.values_list("pk", flat=True))
    decision = decisions.current(case)  # the stored decision row
    assert sorted(d.pk for d in duties_from_decision(decision)) == before
    assert Duty.objects.count() == 2


@pytest.mark.parametrize(
    ("stated", "months"),
    [({}, 12), ({"severity": "ordinary"}, 12), ({"severity": "serious"}, 36), ({"severity": "minor"}, 0)],
)
def test_the_publication_end_follows_the_severity_the_officer_states_on_the_decision(
    handler, traveller, stated, months
):
    # DESIGN.md rules table; 信用修复管理办法 (2026, in force 2026-04-01): 轻微原则上不公示，一般3个月至1年，
    # 严重1年至3年 — the decision document states the 失信程度 (cases.specs.SEVERITY), default 一般
    traveller.move_to(dt.datetime(2026, 4, 7, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    on_spot_decided(handler, parties=[ORGANISATION], **stated)
    duty = Duty.objects.get()
    assert duty.decided_on == dt.date(2026, 4, 7)
    assert duty.fields.get("severity") == stated.get("severity")  # nothing stated: nothing stored
    severity = stated.get("severity", "ordinary")
    rule = rules.credit_rule(severity, region=duty.agency.region_code, on=duty.decided_on)
    assert rule.effective_from == dt.date(2026, 4, 1) and rule.value == months
    assert rule.citation == "《信用修复管理办法》"
    until = duty.drafts.get().public["publication_until"]
    assert until == rules.add_months(dt.date(2026, 4, 7), months).isoformat()


@pytest.fixture
def discloser(handler):
    from sanxiang.accounts.roles import Role
    from sanxiang.testing.factories import UserFactory

    return UserFactory(agency=handler.agency, roles=[Role.DISCLOSURE_OFFICER], username="discloser")


def publish(duty, discloser):
    from sanxiang.disclosure.services import disclosure_draft_review

    draft = duty.drafts.order_by("-number").first()
    disclosure_draft_review(actor=discloser, draft=draft, approve=True, note="同意公示")
    duty.refresh_from_db()
    return duty


def correct_decision(handler, case, *, document_number):
    old = case.records.get(kind="on_spot_decision", corrections__isnull=True)
    return services.record_add(
        actor=handler,
        case=case,
        kind="on_spot_decision",
        corrects=old.public_id,
        correction_reason="文号笔误",
        payload={"document_number": document_number, "content": "警告", **penalty(("warning",), fine="")},
    )


def test_a_corrected_decision_document_gives_an_unpublished_duty_the_new_items(handler, traveller):
    # 《松原市行政执法公示办法》第三十一条 (不准确的应当及时更正) and 第二十一条 (办案系统向公示平台自动推送)
    case = on_spot_decided(handler, parties=[ORGANISATION])
    correct_decision(handler, case, document_number="简罚〔2026〕4号")
    duty = Duty.objects.get()
    assert duty.status == Duty.Status.PENDING
    assert duty.fields["document_number"] == "简罚〔2026〕4号"
    latest = duty.drafts.order_by("-number").first()
    assert latest.number == 2 and latest.public["document_number"] == "简罚〔2026〕4号"


def test_a_corrected_published_decision_gets_a_new_version_through_internal_review(
    handler, discloser, traveller, client
):
    # 《松原市行政执法公示办法》第三十条 (未经审查不得发布): the published version stays until the new one is
    # reviewed; nothing published is edited in place
    from sanxiang.disclosure.models import Draft, Publication

    case = on_spot_decided(handler, parties=[ORGANISATION])
    duty = publish(Duty.objects.get(), discloser)
    correct_decision(handler, case, document_number="简罚〔2026〕4号")
    draft = duty.drafts.order_by("-number").first()
    assert draft.purpose == Draft.Purpose.UPDATE and "文号笔误" in draft.reason
    assert list(Publication.objects.filter(duty=duty).values_list("public__document_number", flat=True)) == [
        "简罚〔2026〕3号"
    ]
    assert "简罚〔2026〕4号" not in client.get(f"/decisions/{duty.public_id}/").content.decode()
    publish(duty, discloser)
    assert Publication.objects.filter(duty=duty).count() == 2
    assert "简罚〔2026〕4号" in client.get(f"/decisions/{duty.public_id}/").content.decode()


def test_a_change_record_is_refused_before_the_decision_is_final(handler, traveller):
    from sanxiang.errors import TransitionRefused

    case = services.case_open(
        actor=handler,
        procedure="penalty_simple",
        officers=[handler.officer, OfficerFactory(agency=handler.agency)],
        parties=[ORGANISATION],
        title="占道经营案",
        source="inspection",
        source_detail="日常巡查发现",
    )
    with pytest.raises(TransitionRefused) as refused:
        services.record_add(actor=handler, case=case, kind="decision_change_record", payload=CHANGE)
    assert refused.value.errors[0].rule == "decision_not_final"  # 行政处罚法 第四十八条: after the decision


CHANGE = {
    "ground": "revoked",
    "by": "reconsideration",
    "occurred_on": "2026-03-09",
    "document_number": "宁政复决〔2026〕1号",
    "explanation": "经行政复议，原处罚决定被撤销",
}


def test_a_revoked_decision_is_withdrawn_within_3_working_days_and_leaves_every_public_path(
    handler, discloser, traveller, client
):
    # 行政处罚法 第四十八条 (被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回); 第八十五条
    # (三日 = working days); 《松原市行政执法公示办法》第二十八条 (公开说明); DESIGN.md rules table
    from sanxiang.disclosure.models import PublicLogEntry, WithdrawalOrder
    from sanxiang.disclosure.services import disclosure_sweep
    from sanxiang.workdays.services import add_working_days

    case = on_spot_decided(handler, parties=[ORGANISATION, PERSON])
    for duty in Duty.objects.all():
        publish(duty, discloser)
    paths = ["/decisions/", "/decisions/feed.atom", "/api/disclosure/decisions", "/disclosure-log/"]
    paths += [f"/decisions/{d.public_id}/" for d in Duty.objects.all()]
    paths += ["/decisions/?q=占道经营", "/decisions/export.csv?kind=penalty&from=2020-01-01&to=2030-12-31"]
    assert "简罚〔2026〕3号" in client.get("/decisions/").content.decode()

    traveller.move_to(dt.datetime(2026, 3, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    services.record_add(actor=handler, case=case, kind="decision_change_record", payload=CHANGE)
    orders = list(WithdrawalOrder.objects.select_related("duty"))
    assert len(orders) == 2
    due = add_working_days(dt.date(2026, 3, 9), 3).due
    assert all(o.due_date == due and o.ground == "revoked" for o in orders)
    assert (due - dt.date(2026, 3, 9)).days == 3  # Monday + 3 working days = Thursday
    assert disclosure_sweep(today=due - dt.timedelta(days=1)).withdrawn_orders == []
    assert Duty.objects.filter(status=Duty.Status.PUBLISHED).count() == 2  # not yet due

    report = disclosure_sweep(today=due)
    assert sorted(report.withdrawn_orders) == sorted(str(o.duty.public_id) for o in orders)
    assert set(Duty.objects.values_list("status", flat=True)) == {Duty.Status.WITHDRAWN}
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        if path == "/disclosure-log/":
            assert CHANGE["explanation"] in text  # the public reason
        else:
            assert "共同占道经营" not in text, path
            assert ORGANISATION["name"] not in text, path
    assert PublicLogEntry.objects.filter(kind=PublicLogEntry.Kind.WITHDRAWN).count() == 2
