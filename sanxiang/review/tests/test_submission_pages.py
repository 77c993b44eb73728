"""送审 from the case page (seed 002 审核办法 第四至七条): the materials checklist names what is
missing with its article before the officer sends; sending creates the review, moves a major case
into its 法制审核 stage and puts the round in a reviewer's queue. And the reviewer is independent of
the case (审核办法 第五条、第十五条; 记录办法 第三十八条)."""

import pytest

from sanxiang.cases import services as cases
from sanxiang.cases.tests.factories import filed_case, investigate, notify, penalty
from sanxiang.review import services
from sanxiang.review.models import ReviewRound
from sanxiang.review.tests.helpers import internal_checker, major_case

pytestmark = pytest.mark.django_db


def test_the_case_page_links_the_review_transition_to_the_submission_form_not_a_bare_stage_change(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第六条: sending for review is a submission with materials
    case = major_case(handler, reviewer, head_a)
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    submit_url = f"/staff/reviews/cases/{case.public_id}/submit/"
    assert f'href="{submit_url}"' in page
    assert 'name="transition" value="to_review"' not in page


def test_the_submission_form_is_prefilled_and_sending_creates_the_review_in_the_reviewers_queue(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第五条、第六条、第七条、第十一条
    case = major_case(handler, reviewer, head_a)
    c = client_for(handler)
    url = f"/staff/reviews/cases/{case.public_id}/submit/"
    form = c.get(url).content.decode()
    assert "行政处罚决定书（代拟稿）" in form and "事实" in form  # draft and facts from the report
    assert "《松原市重大行政执法决定法制审核办法》第六条" in form and "seed" not in form
    evidence = [str(r.public_id) for r in case.records.filter(kind="inquiry_record")]
    response = c.post(
        url,
        {
            "explanation.basic_facts": "当事人销售过期食品",
            "explanation.law_and_discretion": "食品安全法 第一百二十四条",
            "explanation.officer_qualifications": "两名执法人员证件有效",
            "explanation.investigation_and_hearing": "询问；已陈述申辩",
            "draft_decision": "行政处罚决定书（代拟稿）……",
            "evidence": evidence,
            "idempotency_key": "k1",
        },
    )
    assert response.status_code == 302
    r = ReviewRound.objects.get(review__case=case)
    case.refresh_from_db()
    assert case.stage == "legal_review" and r.status == "reviewing"
    queue = client_for(reviewer).get("/staff/reviews/").content.decode()
    assert case.number in queue
    case_page = client_for(reviewer).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert f"/staff/reviews/{r.public_id}/" in case_page  # the reviewer finds the round from the case


def test_a_missing_material_is_named_with_its_article_before_and_after_sending(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第七条: the explanation states the basic facts
    case = major_case(handler, reviewer, head_a)
    c = client_for(handler)
    url = f"/staff/reviews/cases/{case.public_id}/submit/"
    refused = c.post(url, {"explanation.basic_facts": "", "draft_decision": "代拟稿"})
    page = refused.content.decode()
    assert refused.status_code == 422
    assert "情况说明应当载明基本事实（《松原市重大行政执法决定法制审核办法》第七条第一项）" in page
    assert not ReviewRound.objects.filter(review__case=case).exists()
    case.refresh_from_db()
    assert case.stage == "notice"


def test_the_materials_checklist_names_missing_evidence_before_sending(
    handler, reviewer, head_a, client_for, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第六条第四项: 相关证据资料
    from sanxiang.review.selectors import submission_form

    case = major_case(handler, reviewer, head_a)
    form = submission_form(handler, case, data={"evidence": []})
    rows = {r.key: r for r in form["rows"]}
    assert rows["investigation_report"].ok and rows["proposal"].ok
    assert not rows["evidence"].ok
    assert "《松原市重大行政执法决定法制审核办法》第六条第四项" in rows["evidence"].messages[0]


def test_someone_who_signed_the_cases_internal_approval_as_reviewer_is_not_assigned_as_its_legal_reviewer(
    handler, reviewer, reviewer_two, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第五条、第十五条; 《松原市行政执法全过程记录实施办法》第三十八条:
    # the legal office reviews what the handling unit proposes; whoever signed the case's 立案审批 as
    # 审核人 took part in it and is not its legal reviewer.
    case = filed_case(handler, reviewer, head_a)  # the reviewer signs the 立案审批表 as 审核人
    investigate(case, handler, report=penalty(fine="50000", complex=True))
    notify(case, handler, proposal=penalty(fine="50000"))
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "陈述申辩"})
    assert services.eligible_reviewers(case, case.agency, traveller_date()) == [
        p for p in services.eligible_reviewers(case, case.agency, traveller_date()) if p[1] == reviewer_two
    ]
    from sanxiang.review.tests.helpers import submit

    r = submit(case, handler)
    assert services.current_reviewer(r).user == reviewer_two
    assert reviewer.pk in services.excluded_users(case)


def test_with_only_the_internal_reviewer_registered_the_submission_is_refused_naming_the_rule(
    handler, reviewer, head_a, traveller
):
    # 《松原市重大行政执法决定法制审核办法》第五条、第十五条
    from sanxiang.errors import TransitionRefused
    from sanxiang.review.tests.helpers import submit

    case = filed_case(handler, reviewer, head_a)
    investigate(case, handler, report=penalty(fine="50000", complex=True))
    notify(case, handler, proposal=penalty(fine="50000"))
    cases.record_add(actor=handler, case=case, kind="statement_defence", payload={"content": "陈述申辩"})
    with pytest.raises(TransitionRefused) as caught:
        submit(case, handler)
    assert "审核人" in caught.value.errors[0].message and "第十五条" in caught.value.errors[0].message
    assert not ReviewRound.objects.filter(review__case=case).exists()


def test_the_checker_helper_is_not_the_legal_reviewer(handler, reviewer):
    assert internal_checker(handler) != reviewer


def traveller_date():
    from django.utils import timezone

    return timezone.localdate()
