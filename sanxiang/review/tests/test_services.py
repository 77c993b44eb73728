"""The legal review, article by article (松政办发〔2019〕25号 附件3 重大行政执法决定法制审核办法)."""

import datetime as dt

import pytest

from sanxiang.cases import services as cases
from sanxiang.errors import Forbidden, InvalidInput, TransitionRefused
from sanxiang.ledger.models import Entry
from sanxiang.registry.models import ReviewerRegistration
from sanxiang.review import selectors, services
from sanxiang.review.models import Assignment, ChecklistMark, ReviewRound
from sanxiang.review.tests.helpers import approve, major_case, mark_all, minor_case, submit
from sanxiang.testing import factories
from sanxiang.workdays.services import add_working_days

pytestmark = pytest.mark.django_db


def _rules(exc) -> set[str]:
    return {e.rule for e in exc.value.errors}


# ---------------------------------------------------------------- 第四、五条 submission


def test_a_major_case_is_submitted_by_its_handler_and_moves_into_legal_review(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第五条; 行政处罚法 第五十八条
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    case.refresh_from_db()
    assert case.stage == "legal_review"
    assert r.criteria and not r.voluntary
    assert case.records.filter(kind="review_submission").exists()


def test_a_case_that_is_not_major_is_sent_only_with_the_reason_the_handler_or_head_chose_to(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第四条: 行政执法机关认为需要审核的，也应当进行法制审核
    case = minor_case(handler, reviewer, head_a)
    with pytest.raises(InvalidInput) as exc:
        submit(case, handler)
    assert "voluntary_reason" in {e.field for e in exc.value.errors}
    assert "第四条" in str(exc.value)
    r = submit(case, head_a, voluntary_reason="涉及多个法律关系，负责人决定送审")
    assert r.voluntary and r.submitted_by == head_a


def test_only_the_cases_handlers_or_head_may_submit(handler, reviewer, head_a, officer_b, traveller):
    # 《松原市重大行政执法决定法制审核办法》第五条: 承办机构送审
    case = major_case(handler, reviewer, head_a)
    with pytest.raises(Forbidden):
        submit(case, reviewer)


# ---------------------------------------------------------------- 第六、七条 materials


def test_a_submission_missing_materials_is_refused_naming_each_and_writes_nothing(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第六条 (materials), 第七条 (what the explanation states)
    case = major_case(handler, reviewer, head_a)
    before = Entry.objects.count()
    with pytest.raises(InvalidInput) as exc:
        submit(
            case,
            handler,
            explanation={"basic_facts": "事实"},
            draft_decision="",
            evidence=[],
            assessment_held=True,
        )
    fields = {e.field for e in exc.value.errors}
    assert {
        "explanation.law_and_discretion",
        "explanation.officer_qualifications",
        "explanation.investigation_and_hearing",
        "draft_decision",
        "evidence",
        "assessment_report_blob",
    } <= fields
    messages = " ".join(e.message for e in exc.value.errors)
    assert "第六条第三项" in messages and "第七条第二项" in messages and "决定书代拟稿" in messages
    assert Entry.objects.count() == before
    case.refresh_from_db()
    assert case.stage == "notice" and not ReviewRound.objects.exists()


def test_the_reviewer_asks_for_materials_by_a_date_and_the_clock_restarts_when_they_arrive(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第六条第二款; 第十一条 (seven working days from the complete submission)
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    with pytest.raises(InvalidInput) as exc:
        services.materials_request(actor=reviewer, round=r, items=["评估报告"], due_on=dt.date(2026, 1, 1))
    assert "due_on" in {e.field for e in exc.value.errors}
    req = services.materials_request(
        actor=reviewer, round=r, items=["现场照片原件"], due_on=dt.date(2026, 3, 10)
    )
    r.refresh_from_db()
    assert r.status == ReviewRound.Status.MATERIALS_REQUESTED and req.items == ["现场照片原件"]
    with pytest.raises(TransitionRefused):
        mark_all(r, reviewer)
    traveller.shift(dt.timedelta(days=3))  # Thursday
    from sanxiang.cases.tests.factories import document

    services.materials_supply(actor=handler, round=r, note="补交照片", blobs=[document(b"%PDF photo")])
    r.refresh_from_db()
    assert r.status == ReviewRound.Status.REVIEWING
    assert r.due_date == add_working_days(dt.date(2026, 3, 5), 7).due


# ---------------------------------------------------------------- assignment (第二条; 名录库)


def test_assignment_is_never_to_the_handler_or_approver_and_balances_workload(
    handler, reviewer, reviewer_two, head_a, second_officer, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第二条 (the legal office reviews); 《松原市行政执法全过程记录实施办法》第三十八条 (distinct people)
    # the handler is filed as a reviewer too, but never reviews their own case
    factories.ReviewerFactory(agency=handler.agency, name="甲执法员", officer=handler.officer)
    from django.contrib.auth.models import Group

    from sanxiang.accounts.roles import Role

    handler.groups.add(Group.objects.get_or_create(name=str(Role.REVIEWER))[0])
    first = submit(major_case(handler, reviewer, head_a), handler)
    second = submit(major_case(handler, reviewer, head_a), handler)
    names = {services.current_reviewer(first).name, services.current_reviewer(second).name}
    assert names == {"法制审核员甲", "法制审核员乙"}  # one each: balanced by workload
    assert "甲执法员" not in names


def test_every_reassignment_is_recorded_and_a_legal_adviser_may_be_added(
    handler, reviewer, reviewer_two, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第二条; 铁西区司法局、昆明市的方案 (法律顾问、公职律师 take part in the review)
    r = submit(major_case(handler, reviewer, head_a), handler)
    first = services.current_reviewer(r)
    with pytest.raises(Forbidden):
        services.review_reassign(actor=handler, round=r, registration=None, reason="回避")
    services.review_reassign(actor=head_a, round=r, registration=None, reason="工作调整")
    assert services.current_reviewer(r).user_id != first.user_id
    assert r.assignments.filter(role=Assignment.Role.REVIEWER).count() == 2  # both kept
    lawyer = factories.ReviewerFactory(
        agency=handler.agency, name="公职律师丙", role=ReviewerRegistration.Role.PUBLIC_LAWYER
    )
    new_reviewer = services.current_reviewer(r).user
    a = services.adviser_add(actor=new_reviewer, round=r, registration=lawyer, reason="疑难复杂")
    assert a.role == Assignment.Role.ADVISER and a.name == "公职律师丙"
    plain = factories.ReviewerFactory(agency=handler.agency, name="审核员丁")
    with pytest.raises(InvalidInput) as exc:
        services.adviser_add(actor=new_reviewer, round=r, registration=plain)
    assert "adviser_role" in _rules(exc)


def test_no_registered_reviewer_means_the_submission_is_refused(handler, reviewer_a, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第二条: only the legal office's registered reviewers review
    case = major_case(handler, reviewer_a, head_a)
    with pytest.raises(TransitionRefused) as exc:
        submit(case, handler)
    assert "no_reviewer" in _rules(exc)


# ---------------------------------------------------------------- 第八、九条 checklist and reading


def test_each_checklist_item_is_marked_passed_or_failed_with_a_note_and_marks_are_kept(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第八条
    r = submit(major_case(handler, reviewer, head_a), handler)
    with pytest.raises(InvalidInput) as exc:
        services.checklist_mark(actor=reviewer, round=r, item="procedure", passed=True, note="")
    assert "note" in {e.field for e in exc.value.errors} and "第八条" in str(exc.value)
    with pytest.raises(InvalidInput):
        services.checklist_mark(actor=reviewer, round=r, item="weather", passed=True, note="x")
    services.checklist_mark(actor=reviewer, round=r, item="procedure", passed=False, note="未告知听证权利")
    services.checklist_mark(actor=reviewer, round=r, item="procedure", passed=True, note="已补正")
    assert ChecklistMark.objects.filter(round=r, item="procedure").count() == 2
    assert services.checklist_state(r)["procedure"].passed is True
    with pytest.raises(InvalidInput) as exc:  # an opinion needs every item examined
        services.opinion_issue(actor=reviewer, round=r, outcome="approve", reasons="同意")
    assert "checklist_complete" in _rules(exc)


def test_every_read_of_the_case_record_by_the_reviewer_goes_to_the_access_log(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第九条; 《松原市行政执法全过程记录实施办法》第三十五条 (access log)
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    before = Entry.objects.filter(kind="ledger.accessed").count()
    records = services.materials_read(actor=reviewer, round=r)
    assert len(records) == case.records.count()
    logged = Entry.objects.filter(kind="ledger.accessed").order_by("seq")
    assert logged.count() - before == len(records)
    assert "第九条" in logged.last().fields["payload"]["purpose"]


# ---------------------------------------------------------------- 第十条 opinions


@pytest.mark.parametrize(
    ("outcome", "failed", "extra"),
    [
        ("investigate", ("facts_and_evidence",), {}),
        ("not_decide", ("facts_and_evidence",), {}),
        ("amend", ("law_and_discretion",), {"amend_points": ["classification", "law", "discretion"]}),
        ("correct_procedure", ("procedure",), {}),
        ("transfer", ("competence",), {"transfer_to": "competent_authority"}),
        ("transfer", ("crime",), {"transfer_to": "judicial"}),
    ],
)
def test_each_opinion_of_article_ten_sends_the_case_back_and_is_recorded_with_its_document(
    handler, reviewer, head_a, traveller, outcome, failed, extra
):
    # 《松原市重大行政执法决定法制审核办法》第十条第二至五项 (移送司法机关: 第八条第七项)
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    mark_all(r, reviewer, failed=failed)
    o = services.opinion_issue(actor=reviewer, round=r, outcome=outcome, reasons="理由", **extra)
    r.refresh_from_db()
    assert r.status == ReviewRound.Status.SENT_BACK
    entry = Entry.objects.get(seq=o.ledger_seq)
    assert entry.fields["payload"]["document"]["sm3"] == o.document_sm3
    assert o.document_sm3 in [b["sm3"] for b in entry.fields["blobs"]] or entry.fields["blobs"]
    assert case.records.filter(kind="review_opinion").exists()
    with pytest.raises(TransitionRefused):
        cases.case_transition(actor=handler, case=case, transition="review_to_decision")


def test_an_opinion_must_rest_on_the_checklist(handler, reviewer, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第十条第一项 (同意 only when all is in order), 第十条第五项 (移送司法机关 needs a crime)
    r = submit(major_case(handler, reviewer, head_a), handler)
    mark_all(r, reviewer, failed=("procedure",))
    with pytest.raises(InvalidInput) as exc:
        services.opinion_issue(actor=reviewer, round=r, outcome="approve", reasons="同意")
    assert "approve_needs_all_passed" in _rules(exc) and "第十条第一项" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        services.opinion_issue(
            actor=reviewer, round=r, outcome="transfer", reasons="x", transfer_to="judicial"
        )
    assert "outcome_ground" in _rules(exc)
    with pytest.raises(InvalidInput) as exc:
        services.opinion_issue(actor=reviewer, round=r, outcome="amend", reasons="x")
    assert "amend_points" in {e.field for e in exc.value.errors}


def test_only_the_assigned_reviewer_gives_the_opinion(handler, reviewer, reviewer_two, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第二条
    r = submit(major_case(handler, reviewer, head_a), handler)
    other = reviewer_two if services.current_reviewer(r).user_id == reviewer.pk else reviewer
    with pytest.raises(Forbidden):
        services.checklist_mark(actor=other, round=r, item="other", passed=True, note="x")


# ---------------------------------------------------------------- 第十一条 time limit


def test_the_review_is_due_seven_working_days_after_the_complete_submission(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十一条
    r = submit(major_case(handler, reviewer, head_a), handler)
    assert r.due_date == dt.date(2026, 3, 11)  # Mon 2 March + 7 working days
    assert r.days == 7 and r.unit == "working"


def test_the_head_may_extend_once_by_up_to_five_working_days_and_overdue_reviews_show(
    handler, reviewer, head_a, supervisor, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十一条: 经行政执法机关负责人批准可以延长五个工作日
    r = submit(major_case(handler, reviewer, head_a), handler)
    with pytest.raises(InvalidInput) as exc:
        services.extension_request(actor=reviewer, round=r, days=6, reason="案件复杂")
    assert "extension_cap" in _rules(exc) and "第十一条" in str(exc.value)
    ext = services.extension_request(actor=reviewer, round=r, days=5, reason="案件复杂")
    with pytest.raises(Forbidden):
        services.extension_rule(actor=reviewer, extension=ext, approved=True)
    assert list(selectors.pending_extensions(head_a)) == [ext]
    services.extension_rule(actor=head_a, extension=ext, approved=True, note="同意延长")
    r.refresh_from_db()
    assert r.due_date == dt.date(2026, 3, 18) and r.days == 12
    with pytest.raises(TransitionRefused) as exc:
        services.extension_request(actor=reviewer, round=r, days=2, reason="仍复杂")
    assert "extend_once" in _rules(exc)
    traveller.move_to(dt.datetime(2026, 3, 19, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    assert list(selectors.overdue_rounds(head_a)) == [r]
    assert list(selectors.overdue_rounds(supervisor)) == [r]
    [stats] = selectors.statistics(supervisor)
    assert stats.overdue == 1 and stats.open == 1


# ---------------------------------------------------------------- rounds


def test_every_round_is_kept_and_compared_side_by_side(handler, reviewer, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第十条、第十二条 (the handling unit studies the opinion and changes the proposal)
    from sanxiang.cases.tests.factories import penalty

    case = major_case(handler, reviewer, head_a)
    r1 = submit(case, handler)
    mark_all(r1, reviewer, failed=("law_and_discretion",))
    services.opinion_issue(
        actor=reviewer, round=r1, outcome="amend", reasons="裁量过重", amend_points=["discretion"]
    )
    cases.case_transition(actor=handler, case=case, transition="reinvestigate")
    cases.record_add(
        actor=handler,
        case=case,
        kind="investigation_report",
        payload={"facts": "f", "evidence": "e", "basis": "b", **penalty(fine="30000", complex=True)},
    )
    cases.case_transition(actor=handler, case=case, transition="notify")
    r2 = submit(case, handler)
    assert r2.number == 2 and r1.proposal != r2.proposal
    rows = selectors.compare([r1, r2])
    assert next(x for x in rows if x["label"] == "处理建议")["differs"]
    assert ReviewRound.objects.filter(review=r1.review).count() == 2


def test_a_passed_review_no_longer_opens_the_gate_once_the_proposal_changes(
    handler, reviewer, head_a, traveller
):
    # 行政处罚法 第五十八条; 《松原市重大行政执法决定法制审核办法》第十三条: the decision must be the one reviewed
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    approve(r, reviewer)
    assert services.passed_for(case)
    from sanxiang.cases.tests.factories import penalty

    case.refresh_from_db()
    cases.case_transition(actor=handler, case=case, transition="review_to_decision")
    cases.record_add(
        actor=handler,
        case=case,
        kind="decision_draft",
        payload={"drafter": "甲执法员", "basis": "食品安全法", **penalty(fine="20000")},
    )
    assert not services.passed_for(case)


# ---------------------------------------------------------------- 第十二条 disagreement


@pytest.mark.parametrize(("side", "status"), [("handler", "passed"), ("review", "sent_back")])
def test_a_disagreement_goes_to_the_head_with_both_opinions_and_the_ruling_is_recorded(
    handler, reviewer, head_a, traveller, side, status
):
    # 《松原市重大行政执法决定法制审核办法》第十二条
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    mark_all(r, reviewer, failed=("law_and_discretion",))
    services.opinion_issue(
        actor=reviewer, round=r, outcome="amend", reasons="裁量过重", amend_points=["discretion"]
    )
    with pytest.raises(InvalidInput) as exc:
        services.disagreement_raise(actor=handler, round=r, handler_opinion="裁量适当", consultation="")
    assert "第十二条" in str(exc.value)
    d = services.disagreement_raise(
        actor=handler, round=r, handler_opinion="裁量适当", consultation="3月3日与法制科沟通，未达成一致"
    )
    [pending] = selectors.pending_disagreements(head_a)
    assert pending.handler_opinion == "裁量适当" and pending.round.opinion.reasons == "裁量过重"
    with pytest.raises(Forbidden):
        services.disagreement_rule(actor=reviewer, disagreement=d, side=side, note="x")
    ruling = services.disagreement_rule(actor=head_a, disagreement=d, side=side, note="负责人意见")
    r.refresh_from_db()
    assert r.status == status
    payload = Entry.objects.get(seq=ruling.ledger_seq).fields["payload"]
    assert payload["review_opinion"]["reasons"] == "裁量过重" and payload["handler_opinion"] == "裁量适当"
    assert services.passed_for(case) is (side == "handler")


# ---------------------------------------------------------------- 第十三条 collective discussion


def test_collective_discussion_follows_a_passed_review_and_is_recorded(
    handler, reviewer, head_a, head_two, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十三条: 审核后提交负责人集体讨论决定；审核未通过的，不得作出决定
    case = major_case(handler, reviewer, head_a, collective_discussion_required=True)
    r = submit(case, handler)
    args = dict(
        held_on=dt.date(2026, 3, 2),
        presided_by="局长",
        participants=["局长", "副局长"],
        minutes="讨论",
        conclusion="同意",
    )
    with pytest.raises(TransitionRefused) as exc:
        services.discussion_record(actor=head_a, round=r, **args)
    assert "第十三条" in str(exc.value)
    with pytest.raises(InvalidInput) as exc:
        services.discussion_record(actor=head_a, round=r, **{**args, "participants": ["局长"]})
    assert "participants" in {e.field for e in exc.value.errors}
    approve(r, reviewer)
    cases.case_transition(actor=handler, case=case, transition="review_to_discussion")
    d = services.discussion_record(actor=head_a, round=r, **args)
    assert d.participants == ["局长", "副局长"]
    assert case.records.filter(kind="collective_discussion_minutes").exists()
    cases.case_transition(actor=handler, case=case, transition="discussion_to_decision")


# ---------------------------------------------------------------- nothing recorded changes


def test_review_records_are_append_only(handler, reviewer, head_a, traveller):
    # DESIGN.md: nothing recorded is ever changed or deleted
    from django.db import IntegrityError, transaction
    from django.db.utils import DatabaseError

    r = submit(major_case(handler, reviewer, head_a), handler)
    a = r.assignments.first()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Assignment.objects.filter(pk=a.pk).update(name="篡改")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        Assignment.objects.filter(pk=a.pk).delete()
