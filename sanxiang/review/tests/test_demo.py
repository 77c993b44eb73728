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
