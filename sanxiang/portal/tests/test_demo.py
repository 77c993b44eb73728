"""The demo jurisdiction is complete, valid and idempotent."""

import pytest
from django.core.management import call_command

from sanxiang.accounts.models import User
from sanxiang.accounts.roles import Role
from sanxiang.registry.models import Agency, MarketEntity, Officer, ReviewerRegistration
from sanxiang.registry.validators import validate_credit_code

pytestmark = pytest.mark.django_db


def test_the_demo_jurisdiction_is_a_district_justice_bureau_with_its_agencies_officers_and_entities():
    # the registry part of the demo at the size `make demo` asks for (load_demo builds it first)
    from django.utils import timezone

    from sanxiang.demo.registry import build_registry

    said: list[str] = []
    build_registry(today=timezone.localdate(), entities=1000, out=said.append)
    justice = Agency.objects.get(is_supervisory=True)
    assert justice.name.endswith("司法局")
    supervised = set(Agency.objects.filter(supervisor=justice).values_list("name", flat=True))
    for word in ("市场监督管理局", "交通运输局", "生态环境局", "城市管理综合执法局"):
        assert any(word in name for name in supervised), word
    assert Officer.objects.count() >= 40
    assert Officer.objects.filter(status=Officer.Status.SUSPENDED).exists()
    assert Officer.objects.filter(valid_until__lt=justice.created_at.date()).exists()
    assert ReviewerRegistration.objects.exists()
    assert MarketEntity.objects.count() >= 1000
    for code in MarketEntity.objects.values_list("credit_code", flat=True)[:1000]:
        validate_credit_code(code)
    for agency in Agency.objects.all():
        validate_credit_code(agency.credit_code)
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "1000 个市场主体" in said[-1]


def test_the_demo_prints_its_logins_and_loading_it_twice_changes_nothing(demo_db):
    from sanxiang.cases.models import Case, CaseRecord
    from sanxiang.disclosure.models import Duty
    from sanxiang.ledger.models import Entry
    from sanxiang.review.models import ReviewRound

    assert "sanxiang-demo" in demo_db and "supervisor" in demo_db

    def counts():
        return [
            m.objects.count()
            for m in (Agency, Officer, MarketEntity, User, Case, CaseRecord, ReviewRound, Duty, Entry)
        ]

    before = counts()
    call_command("load_demo", "--entities", "20")
    assert counts() == before, demo_db
