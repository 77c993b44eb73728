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


def test_the_full_demo_builds_every_review_with_its_recordings(demo_db, calendar):
    # The agency's 音像记录事项清单 lists 询问 (seed 002 记录办法 第十三条): the demo's inquiries carry
    # their recordings, so every one of the nine reviews is built (none fails on 须同步音像记录).
    from sanxiang.cases.models import CaseRecord

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


def test_the_demo_food_cases_carry_matters_with_discretion_rows_for_the_assistance(demo_db, calendar):
    # 行政处罚法 第三十四条 (裁量基准): the market agency's food cases are handled under matters of its
    # 行政执法事项清单 that have 裁量基准 rows (食品安全法 第一百二十四条、第一百二十五条、第一百二十六条), so
    # the 裁量基准 check, the matter suggestions, the similar cases and the 类案同罚 warning show
    # something on a fresh demo.
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.assist import selectors
    from sanxiang.assist.consistency import limits
    from sanxiang.assist.models import ConsistencyCheck, IndexDoc
    from sanxiang.cases import discretion
    from sanxiang.cases.models import Case
    from sanxiang.catalog.models import DiscretionRule

    ruled = DiscretionRule.objects.values("item__public_id")
    officer = User.objects.get(username="officer")
    food = Case.objects.filter(agency=officer.agency, procedure="penalty_general")
    with_rows = food.filter(matter_ref__in=ruled)
    assert with_rows.values("matter_code").distinct().count() >= 3
    assert with_rows.filter(stage="archived").exists() and with_rows.exclude(stage="archived").exists()
    # every decided food case with a fine of a ruled matter lies inside one of its 裁量阶次
    for doc in IndexDoc.objects.filter(decision__case__in=with_rows, fine__isnull=False):
        assert doc.level, doc.decision.case.number
    # 类案同罚: enough decided cases of one matter and 阶次, and the demo's proposal far above them flagged
    check = ConsistencyCheck.objects.get()
    assert check.count >= limits(region=officer.agency.region_code, on=timezone.localdate()).min_cases
    assert check.flagged
    assert check.proposed == discretion.compare_case(check.case).fine
    facts = "经查，当事人某某超市销售过期食品，有现场检查笔录、询问笔录及录像为证"
    assert selectors.similar_cases(officer, facts, exclude_case=check.case)
    assert selectors.matter_suggestions(officer, facts)[0].code == check.matter_code
