"""The page of every 案卷评查标准 version: each version keeps its items, and each campaign is listed
under the version it was scored by."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.supervision import evaluations
from sanxiang.supervision.models import EvaluationStandard, StandardItem
from sanxiang.supervision.standards import install
from sanxiang.supervision.tests.helpers import a_case
from sanxiang.supervision.tests.test_evaluation import _archived
from sanxiang.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _second_version(first: EvaluationStandard) -> EvaluationStandard:
    """A revision: a new version row with its own items (the first version is never edited)."""
    second = EvaluationStandard.objects.create(
        code=first.code,
        version=2,
        name=first.name,
        basis=first.basis,
        effective_from=dt.date(2026, 7, 1),
        form_points=first.form_points,
        content_points=first.content_points,
        excellent_min=first.excellent_min,
        pass_min=first.pass_min,
        created_at=timezone.now(),
    )
    items = []
    for item in StandardItem.objects.filter(standard=first):
        item.pk, item.standard = None, second
        if item.code == "J4":
            item.text = "违法事实不清、证据不足（第二版措辞）"
        items.append(item)
    StandardItem.objects.bulk_create(items)
    return second


def _campaign(supervisor, evaluator, title: str):
    return evaluations.campaign_start(
        actor=supervisor,
        title=title,
        archived_from=dt.date(2026, 1, 1),
        archived_to=dt.date(2026, 12, 31),
        size=1,
        evaluators=[evaluator],
        rectify_due=timezone.localdate() + dt.timedelta(days=30),
    )


def test_every_version_is_listed_with_its_items_and_the_campaigns_that_used_it(
    officer_a, supervisor, head_a, head_b, client_for
):
    first = install()
    _archived(a_case(officer_a, title="甲案"))
    evaluator = UserFactory(agency=supervisor.agency, roles=["supervisor"])
    early = _campaign(supervisor, evaluator, "上半年案卷评查")
    second = _second_version(first)
    late = _campaign(supervisor, evaluator, "下半年案卷评查")
    assert (early.standard, late.standard) == (first, second)

    page = client_for(supervisor).get(reverse("supervision:standards")).content.decode()
    one, two = page.index(f'id="standard-{first.pk}"'), page.index(f'id="standard-{second.pk}"')
    assert two < one  # newest version first
    assert "第二版措辞" in page[two:one] and "第二版措辞" not in page[one:]
    assert "下半年案卷评查" in page[two:one] and "上半年案卷评查" in page[one:]
    assert page.count("否决") >= 18  # nine vetoes in each version

    # the agency whose case was drawn sees both campaigns; another agency sees the versions only
    assert "上半年案卷评查" in client_for(head_a).get(reverse("supervision:standards")).content.decode()
    other = client_for(head_b).get(reverse("supervision:standards")).content.decode()
    assert "第二版措辞" in other and "上半年案卷评查" not in other
