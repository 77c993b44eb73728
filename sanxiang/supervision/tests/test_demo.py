"""The demo leaves the dashboard, an evaluation campaign and last year's annual report in place."""

import pytest
from django.utils import timezone

from sanxiang.supervision.demo import build_supervision
from sanxiang.supervision.models import AnnualReport, Campaign, Evaluation

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_decisions_a_campaign_and_last_years_report(demo_db, client_for):
    from sanxiang.accounts.models import User
    from sanxiang.cases.models import Case

    today = timezone.localdate()
    assert "过去14个月的执法案件" in demo_db and "案卷评查" in demo_db
    cases = Case.objects.count()
    said: list[str] = []
    build_supervision(today=today, out=said.append)  # idempotent
    assert any("统计演示案件已存在" in line for line in said) and Case.objects.count() == cases
    assert Campaign.objects.count() == 1 and Evaluation.objects.count() == 1
    report = AnnualReport.objects.get()
    assert report.status == "published" and report.year == today.year - 1
    page = client_for(User.objects.get(username="supervisor")).get(
        f"/staff/supervision/?year={today.year - 1}"
    )
    assert page.status_code == 200 and "<svg" in page.content.decode()
