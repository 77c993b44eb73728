"""The demo leaves the dashboard, an evaluation campaign and last year's annual report in place."""

import pytest
from django.utils import timezone

from sanxiang.cases.demo import build_cases
from sanxiang.demo.registry import build_registry
from sanxiang.supervision.demo import build_supervision
from sanxiang.supervision.models import AnnualReport, Campaign, Evaluation

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_decisions_a_campaign_and_last_years_report(client_for):
    from sanxiang.accounts.models import User

    today = timezone.localdate()
    build_registry(today=today, entities=10, out=lambda *a: None)
    build_cases(today=today, out=lambda *a: None)
    said: list[str] = []
    build_supervision(today=today, out=said.append)
    build_supervision(today=today, out=said.append)  # idempotent
    assert Campaign.objects.count() == 1 and Evaluation.objects.count() == 1
    report = AnnualReport.objects.get()
    assert report.status == "published" and report.year == today.year - 1
    page = client_for(User.objects.get(username="supervisor")).get(
        f"/staff/supervision/?year={today.year - 1}"
    )
    assert page.status_code == 200 and "<svg" in page.content.decode()
