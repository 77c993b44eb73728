"""The demo jurisdiction is complete, valid and idempotent."""

import pytest
from django.core.management import call_command

from sanxiang.accounts.models import User
from sanxiang.accounts.roles import Role
from sanxiang.registry.models import Agency, MarketEntity, Officer, ReviewerRegistration
from sanxiang.registry.validators import validate_credit_code

pytestmark = pytest.mark.django_db


def test_the_demo_jurisdiction_is_a_district_justice_bureau_with_its_agencies_officers_and_entities(capsys):
    call_command("load_demo", "--entities", "1000")
    out = capsys.readouterr().out
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
    assert "sanxiang-demo" in out and "supervisor" in out


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", "--entities", "50")
    counts = (
        Agency.objects.count(),
        Officer.objects.count(),
        MarketEntity.objects.count(),
        User.objects.count(),
    )
    call_command("load_demo", "--entities", "50")
    assert counts == (
        Agency.objects.count(),
        Officer.objects.count(),
        MarketEntity.objects.count(),
        User.objects.count(),
    )
