"""The review app puts its opinion on the case only through the cases app's public service for
records another app writes (DESIGN.md: apps call each other's services, never their internals),
and that service lets a reviewer write nothing else."""

import pytest

from sanxiang.cases import services as cases
from sanxiang.cases.services import Forbidden
from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.ledger.models import Entry
from sanxiang.review.tests.helpers import approve, major_case, submit

pytestmark = pytest.mark.django_db


def _nothing_written(case, before_records, before_entries):
    return case.records.count() == before_records and Entry.objects.count() == before_entries


def test_the_issued_opinion_is_on_the_case_record_with_its_document_and_names_the_review(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十条; 《松原市行政执法全过程记录实施办法》第十七条: the 法制审核意见书 is part of the case record
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    opinion = approve(r, reviewer)
    record = case.records.get(kind="review_opinion")
    assert record.made_by == reviewer
    assert record.blob_hashes == [opinion.document_sm3]
    payload = Entry.objects.get(seq=record.ledger_seq).fields["payload"]
    assert payload["source_app"] == "review"
    assert payload["review"] == str(r.review.public_id) and payload["round"] == r.number


def test_a_reviewer_cannot_use_the_app_service_to_write_any_other_case_record(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十条: the reviewer writes the review opinion, not the officers' records
    case = major_case(handler, reviewer, head_a)
    submit(case, handler)
    before = case.records.count(), Entry.objects.count()
    for kind in ("statement_defence", "decision_document", "archive_record", "no_such_record"):
        with pytest.raises(Forbidden) as exc:
            cases.record_add_from_app(
                actor=reviewer, case=case, kind=kind, payload={"content": "越权记录"}, source_app="review"
            )
        assert exc.value.errors[0].field == "kind"
    assert _nothing_written(case, *before)


def test_another_app_cannot_write_the_review_opinion(handler, reviewer, head_a, traveller):
    # 《松原市重大行政执法决定法制审核办法》第十条: only the legal review issues the 法制审核意见书
    case = major_case(handler, reviewer, head_a)
    submit(case, handler)
    before = case.records.count(), Entry.objects.count()
    with pytest.raises(Forbidden):
        cases.record_add_from_app(
            actor=reviewer,
            case=case,
            kind="review_opinion",
            payload={"content": "同意"},
            source_app="disclosure",
        )
    assert _nothing_written(case, *before)


def test_only_a_reviewer_writes_the_review_opinion_and_not_through_record_add(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第十条; 行政处罚法 第五十八条 (the handler cannot review his own proposal)
    case = major_case(handler, reviewer, head_a)
    submit(case, handler)
    before = case.records.count(), Entry.objects.count()
    with pytest.raises(Forbidden):
        cases.record_add_from_app(
            actor=handler, case=case, kind="review_opinion", payload={"content": "同意"}, source_app="review"
        )
    for actor in (handler, head_a, reviewer):
        with pytest.raises(Forbidden):
            cases.record_add(actor=actor, case=case, kind="review_opinion", payload={"content": "同意"})
    assert _nothing_written(case, *before)


def test_the_app_service_keeps_the_stage_rule(handler, reviewer, head_a, traveller):
    # 行政处罚法 第五十八条: the opinion belongs to the 法制审核 stage; before submission it is refused
    case = major_case(handler, reviewer, head_a)
    before = case.records.count(), Entry.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        cases.record_add_from_app(
            actor=reviewer, case=case, kind="review_opinion", payload={"content": "同意"}, source_app="review"
        )
    assert exc.value.errors[0].rule == "record_not_in_stage"
    assert _nothing_written(case, *before)


def test_the_app_service_checks_the_payload_like_record_add(handler, reviewer, head_a, traveller):
    # Bad input gets an error naming the field (DESIGN.md conventions); nothing is half-written
    case = major_case(handler, reviewer, head_a)
    submit(case, handler)
    before = case.records.count(), Entry.objects.count()
    with pytest.raises(InvalidInput) as exc:
        cases.record_add_from_app(
            actor=reviewer, case=case, kind="review_opinion", payload={"content": ""}, source_app="review"
        )
    assert [(e.field, e.rule) for e in exc.value.errors] == [("payload.content", "required")]
    assert _nothing_written(case, *before)
