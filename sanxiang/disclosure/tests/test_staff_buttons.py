"""Buttons only for actions the user may take (issue 12 §7): the supervisor watches a duty's page
without the publish, exempt and withdraw forms that would refuse them."""

import pytest

from sanxiang.disclosure.services import may_handle

pytestmark = pytest.mark.django_db


def test_only_the_agencys_disclosure_staff_may_handle_its_disclosures(
    agency_a, head_a, supervisor, officer_a
):
    # 《松原市行政执法公示办法》第三十条: published after the agency's own internal review
    from sanxiang.accounts.roles import Role
    from sanxiang.testing import factories

    publisher = factories.UserFactory(agency=agency_a, roles=[Role.DISCLOSURE_OFFICER], username="pub")
    assert may_handle(publisher, agency_a) and may_handle(head_a, agency_a)
    assert not may_handle(supervisor, agency_a) and not may_handle(officer_a, agency_a)
