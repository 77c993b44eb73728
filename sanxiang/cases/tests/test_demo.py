import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases import selectors
from sanxiang.cases.demo import build_cases
from sanxiang.cases.models import Case
from sanxiang.demo.registry import build_registry
from sanxiang.procedures import registry

pytestmark = pytest.mark.django_db


def test_the_demo_spreads_cases_over_every_procedure_and_stage_with_some_overdue():
    today = timezone.localdate()
    build_registry(today=today, entities=10, out=lambda *a: None)
    said: list[str] = []
    build_cases(today=today, out=said.append)
    titles = [demo.title for d in registry.definitions() for demo in d.demo]
    assert [line for line in said if any(t in line for t in titles)] == []  # none of them was refused
    cases = list(Case.objects.all())
    assert len(cases) >= 30
    # every procedure of the library, the newer ones from the demo their own module declares
    assert {c.procedure for c in cases} == {d.key for d in registry.definitions()}
    for defn in registry.definitions():
        for demo in defn.demo:
            case = Case.objects.get(procedure=defn.key, title=demo.title)
            assert case.agency.categories == [demo.category]
    stages = {c.procedure: c.stage for c in cases if c.procedure in {"fee", "levy", "confirmation"}}
    assert stages == {"fee": "archived", "levy": "collection", "confirmation": "archived"}
    levy = Case.objects.get(procedure="levy")
    # 行政强制法 第五十四条: the court may be asked only once the 催告书 has waited its 10 working days
    wait = next(d for d in selectors.case_deadlines(levy) if d.key == "court_application")
    assert wait.state == "running"
    assert len({(c.procedure, c.stage) for c in cases}) >= 20
    assert any(c.sealed for c in cases) and any(c.is_emergency for c in cases)
    overdue = [c for c in cases if selectors.overdue(selectors.case_deadlines(c))]
    assert len(overdue) >= 3
    build_cases(today=today, out=lambda *a: None)  # idempotent
    assert Case.objects.count() == len(cases)
    call_command("verify", "--skip-blobs")
