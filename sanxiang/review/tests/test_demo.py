import pytest

from sanxiang.review.models import ReviewRound

pytestmark = pytest.mark.django_db


def test_the_demo_has_reviews_in_every_state_including_overdue_and_extended(calendar):
    from django.utils import timezone

    from sanxiang.demo.registry import build_registry
    from sanxiang.review.demo import build_reviews

    today = timezone.localdate()
    build_registry(today=today, entities=5, out=lambda *a: None)
    lines = []
    build_reviews(today=today, out=lines.append)
    statuses = set(ReviewRound.objects.values_list("status", flat=True))
    assert statuses == set(ReviewRound.Status.values), lines
    assert ReviewRound.objects.filter(status="reviewing", due_date__lt=today).exists()
    assert ReviewRound.objects.filter(days=12).exists()


def test_the_full_demo_builds_every_review_with_its_recordings(calendar):
    # The agency's 音像记录事项清单 lists 询问 (seed 002 记录办法 第十三条): the demo's inquiries carry
    # their recordings, so every one of the nine reviews is built (none fails on 须同步音像记录).
    from django.core.management import call_command

    from sanxiang.cases.models import CaseRecord

    call_command("load_demo", "--entities", "20")
    assert set(ReviewRound.objects.values_list("status", flat=True)) == set(ReviewRound.Status.values)
    assert ReviewRound.objects.values("review").distinct().count() == 9
    assert not CaseRecord.objects.filter(kind="inquiry_record", has_av=False).exists()
    # every agency has cases, and the supervisor (司法局) sees overdue duties of at least three
    from sanxiang.accounts.models import User
    from sanxiang.accounts.selectors import my_work
    from sanxiang.cases.models import Case
    from sanxiang.registry.models import Agency

    enforcing = Agency.objects.filter(is_supervisory=False)
    assert all(Case.objects.filter(agency=a).exists() for a in enforcing)
    assert set(Case.objects.values_list("procedure", flat=True)) >= {
        "penalty_general",
        "penalty_simple",
        "licensing",
        "coercive_measure",
        "inspection",
    }
    overdue = [w for w in my_work(User.objects.get(username="supervisor")) if w.kind == "办案期限逾期"]
    agencies = {a.name for a in enforcing if any(a.name in w.title for w in overdue)}
    assert len(agencies) >= 3, agencies
