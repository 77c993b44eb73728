"""Issue 10, finding 9: a staff POST on a case (or round, duty, list) the user cannot see is a 404 page.

Before, the scoped selectors' NotFound escaped the staff views as a 500. Now every such POST, by
agency B's officer on agency A's objects (and on identifiers that exist nowhere), answers the
Chinese 404 page, and nothing is written.
"""

import uuid

import pytest

from sanxiang.cases.models import CaseRecord
from sanxiang.cases.tests.factories import a_case
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_case_of_a(agency_a):
    return a_case(agency_a, OfficerFactory(agency=agency_a), title="甲方案件")


def _case_posts(case_id):
    base = f"/staff/cases/{case_id}"
    return [
        (f"{base}/transition/", {"transition": "file"}),
        (f"{base}/approvals/submit/", {"kind": "filing_approval", "reason": "拟立案"}),
        (f"{base}/approvals/review/", {"approval": str(uuid.uuid4()), "agree": "1"}),
        (f"{base}/approvals/decide/", {"approval": str(uuid.uuid4()), "agree": "1"}),
        (f"{base}/records/inquiry_record/", {"content": "询问"}),
    ]


def _other_posts():
    nowhere = uuid.uuid4()
    return [
        (f"/staff/reviews/{nowhere}/", {"action": "opinion"}),
        (f"/staff/disclosure/{nowhere}/draft/", {"marks": ""}),
        (f"/staff/disclosure/{nowhere}/review/", {"approve": "1"}),
        (f"/staff/disclosure/{nowhere}/exempt/", {"ground": "minor"}),
        (f"/staff/disclosure/{nowhere}/withdraw/", {"ground": "changed"}),
        ("/staff/disclosure/corrections/GZ-0000/decide/", {"outcome": "accept"}),
    ]


def test_10_9_every_staff_post_on_another_agencys_case_is_a_404_page(client_for, officer_b, a_case_of_a):
    from sanxiang.cases.tests.factories import officer_for

    officer_for(officer_b)
    client = client_for(officer_b)
    entries, records = Entry.objects.count(), CaseRecord.objects.count()
    for url, data in _case_posts(a_case_of_a.public_id) + _case_posts(uuid.uuid4()):
        response = client.post(url, data)
        assert response.status_code == 404, (url, response.status_code)
        assert "未找到" in response.content.decode(), url
    assert (Entry.objects.count(), CaseRecord.objects.count()) == (entries, records)


def test_10_9_staff_posts_on_rounds_duties_and_corrections_nobody_may_see_are_404(
    client_for, officer_b, head_a
):
    for user in (officer_b, head_a):
        client = client_for(user)
        for url, data in _other_posts():
            response = client.post(url, data)
            assert response.status_code == 404, (user.username, url, response.status_code)
