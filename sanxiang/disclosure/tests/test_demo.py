"""The demo portal shows real disclosures produced from the demo's decided cases (issue 7, done-when),
and exempt, redacted, withdrawn and corrected examples; loading it twice changes nothing."""

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.cases.demo import build_cases
from sanxiang.cases.models import Case
from sanxiang.disclosure import demo
from sanxiang.disclosure.models import Duty, Exemption, PublicDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    """The demo is built for the real today (as `make demo` builds it), not the app's fixed test clock:
    the same build the other demo tests read (``demo_db``)."""
    yield


def test_the_demo_publishes_the_decided_demo_cases_and_is_idempotent(demo_db):
    today = timezone.localdate()

    numbers = set(Case.objects.values_list("number", flat=True))
    from_cases = Duty.objects.filter(source_ref__in=numbers)
    # every kind of decision the cases demo reaches created its duty through the decision hooks
    assert set(from_cases.values_list("source_kind", flat=True)) == {
        "penalty",
        "licensing",
        "inspection",
        "other",
    }
    published = from_cases.filter(status=Duty.Status.PUBLISHED)
    assert set(published.values_list("source_kind", flat=True)) == {
        "penalty",
        "licensing",
        "inspection",
        "other",
    }
    for duty in published:
        row = PublicDecision.objects.get(duty=duty)
        assert row.document_number == duty.fields["document_number"]
    assert from_cases.filter(status=Duty.Status.EXEMPT, exemption__ground=Exemption.Ground.SECRET).exists()
    assert from_cases.filter(status=Duty.Status.WITHDRAWN, withdrawal__isnull=False).exists()
    assert from_cases.filter(publications__version=2).exists()  # corrected at the public's request
    assert from_cases.filter(status=Duty.Status.PENDING).exists()  # overdue, in the queue
    # the extras the cases demo has no example of: a minor withheld automatically, a redacted person
    assert Duty.objects.get(source_ref="宁市监罚〔2025〕9003号").exemption.automatic

    # a natural person's on-the-spot decision is published with the name redacted
    person = published.get(party__kind="person", source_ref__startswith="简罚")
    page = Client().get(f"/decisions/{PublicDecision.objects.get(duty=person).public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert person.fields["document_number"] in html and "王某某" in html and "王演示" not in html

    counts = (Duty.objects.count(), PublicDecision.objects.count())
    build_cases(today=today, out=lambda *a: None)
    demo.load(today=today, out=lambda *a: None)
    assert (Duty.objects.count(), PublicDecision.objects.count()) == counts
