import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases import selectors
from sanxiang.cases.demo import build_cases
from sanxiang.cases.models import Case
from sanxiang.demo.registry import build_registry

pytestmark = pytest.mark.django_db


def test_the_demo_spreads_cases_over_every_procedure_and_stage_with_some_overdue():
    today = timezone.localdate()
    build_registry(today=today, entities=10, out=lambda *a: None)
    build_cases(today=today, out=lambda *a: None)
    cases = list(Case.objects.all())
    assert len(cases) >= 30
    assert {c.procedure for c in cases} == {
        "penalty_general",
        "penalty_simple",
        "licensing",
        "coercive_measure",
        "inspection",
    }
    assert len({(c.procedure, c.stage) for c in cases}) >= 20
    assert any(c.sealed for c in cases) and any(c.is_emergency for c in cases)
    overdue = [c for c in cases if selectors.overdue(selectors.case_deadlines(c))]
    assert len(overdue) >= 3
    build_cases(today=today, out=lambda *a: None)  # idempotent
    assert Case.objects.count() == len(cases)
    call_command("verify", "--skip-blobs")
