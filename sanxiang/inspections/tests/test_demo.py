import json
import subprocess
import sys

import pytest
from django.utils import timezone

from sanxiang.catalog.demo import load as load_catalog
from sanxiang.demo.registry import build_registry
from sanxiang.inspections import selectors
from sanxiang.inspections.demo import load
from sanxiang.inspections.models import Draw, Plan, ResultState

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_joint_plan_a_redraw_a_waiting_draw_and_published_results(tmp_path):
    today = timezone.localdate()
    build_registry(today=today, entities=300, out=lambda *a: None)
    load_catalog(today=today, out=lambda *a: None)
    load(today=today, out=lambda *a: None)
    assert Plan.objects.count() == 2 and Plan.objects.filter(joint=True).count() == 1
    assert all(hasattr(p, "filing") for p in Plan.objects.all())
    redraw = Draw.objects.get(redraw_of__isnull=False)
    assert redraw.redraw_reason and selectors.outcome_of(redraw.redraw_of) is not None  # the old one stays
    waiting = [d for d in Draw.objects.all() if selectors.outcome_of(d) is None]
    assert len(waiting) == 1 and selectors.draw_state(waiting[0]) == "等待公共随机数"
    assert waiting[0].parameters["beacon"]["network"] == "quicknet"  # a future drand round
    published = [
        i
        for d in Draw.objects.all()
        for i in selectors.inspections_of_draw(d)
        if selectors.result_state(i) == ResultState.PUBLISHED
    ]
    assert {i.target.draw_id for i in published} == {redraw.pk, Draw.objects.get(batch__plan__joint=True).pk}
    # the portal's verification and the offline verifier agree on a demo draw
    assert selectors.verify_draw(redraw).agrees
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(selectors.draw_document(redraw), ensure_ascii=False))
    run = subprocess.run(
        [sys.executable, "-m", "sanxiang.inspections.drawalgo", str(path)], capture_output=True, text=True
    )
    assert run.returncode == 0 and "抽取结果经复核一致" in run.stdout
    load(today=today, out=lambda *a: None)  # idempotent
    assert Plan.objects.count() == 2
