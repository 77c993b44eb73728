import pytest

from sanxiang.cases import services as cases
from sanxiang.review.tests.helpers import approve, major_case, submit

pytestmark = pytest.mark.django_db


def test_smoke(handler, reviewer, head_a, traveller):
    case = major_case(handler, reviewer, head_a)
    r = submit(case, handler)
    case.refresh_from_db()
    assert case.stage == "legal_review"
    approve(r, reviewer)
    cases.case_transition(actor=handler, case=case, transition="review_to_decision")
