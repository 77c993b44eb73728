from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.db import DatabaseError, transaction

from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.inspections import drawalgo, selectors, services
from sanxiang.inspections.models import Draw, DrawOutcome, Recusal, Target
from sanxiang.inspections.tests.conftest import TZ, announce
from sanxiang.ledger.models import Entry
from sanxiang.testing.factories import OfficerFactory

pytestmark = pytest.mark.django_db

LOTTERY = "03 07 12 19 25 31 + 09"


def drawn(head, plan, traveller, **kw):
    draw = announce(head, plan, **kw)
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    services.draw_perform(actor=head, draw=draw, randomness=LOTTERY)
    return Draw.objects.get(pk=draw.pk)


def test_announcing_freezes_both_directories_and_records_their_sm3_in_the_ledger(head_a, plan, traveller):
    draw = announce(head_a, plan)
    entry = Entry.objects.get(seq=draw.ledger_seq)
    assert entry.kind == "inspections.draw.announced"
    doc = selectors.draw_document(draw)
    assert (
        drawalgo.sm3_hex(drawalgo.lines_bytes(doc["objects"]))
        == draw.objects_sm3
        == entry.fields["payload"]["objects_sm3"]
    )
    assert drawalgo.sm3_hex(drawalgo.lines_bytes(doc["officers"])) == draw.officers_sm3
    assert len(doc["objects"]) == 40 and draw.commitment == entry.fields["payload"]["commitment"]
    # before the draw nothing reveals the agency's value
    assert "seed" not in doc and "result" not in doc
    assert draw.secret not in entry.body


def test_the_credit_class_is_never_in_the_published_document(head_a, plan, traveller):
    # 国市监信〔2019〕38号: 信用风险分类结果 internal; the draw publishes opaque strata only
    draw = drawn(head_a, plan, traveller)
    text = json.dumps(selectors.draw_document(draw), ensure_ascii=False)
    for entity_code in list(Target.objects.values_list("code", flat=True))[:3]:
        assert entity_code in text  # drawn objects are named
    assert "A类" not in text and '"class"' not in text
    assert {s["stratum"] for s in draw.parameters["strata"]} == {"1", "2", "3", "4"}


def test_the_draw_cannot_be_made_before_the_public_randomness_exists(head_a, plan, traveller):
    draw = announce(head_a, plan)
    with pytest.raises(TransitionRefused) as refused:
        services.draw_perform(actor=head_a, draw=draw, randomness=LOTTERY)
    assert refused.value.errors[0].rule == "not_yet"


def test_a_draw_is_stratified_by_credit_class_with_the_plan_ratios(head_a, plan, traveller):
    draw = drawn(head_a, plan, traveller)
    ratios = selectors.realised_ratios(draw)
    # ten objects per class; ceil(10 × ratio ÷ 100)
    assert [(r["class"], r["drawn"]) for r in ratios] == [("A", 1), ("B", 2), ("C", 3), ("D", 5)]
    internal = services.read_internal(draw)
    drawn_classes = sorted(internal[t.token][2] for t in draw.targets.all())
    assert drawn_classes == ["A", "B", "B", "C", "C", "C", "D", "D", "D", "D", "D"]


def test_the_same_inputs_always_give_the_same_draw(head_a, plan, traveller):
    draw = drawn(head_a, plan, traveller)
    doc = selectors.draw_document(draw)
    first = drawalgo.run_draw(doc).as_json()
    second = drawalgo.run_draw(json.loads(json.dumps(doc))).as_json()
    assert first == second == doc["result"]
    assert drawalgo.verify_document(doc).agrees


@pytest.mark.parametrize("what", ["objects", "officers", "seed", "randomness"])
def test_one_byte_changed_gives_another_draw_and_the_published_one_is_refused(head_a, plan, traveller, what):
    doc = selectors.draw_document(drawn(head_a, plan, traveller))
    changed = json.loads(json.dumps(doc))
    if what == "objects":
        line = changed["objects"][5]
        changed["objects"][5] = line[:-1] + str((int(line[-1]) + 1) % 10)
        changed["objects_sm3"] = drawalgo.sm3_hex(drawalgo.lines_bytes(changed["objects"]))
    elif what == "officers":
        line = changed["officers"][0]
        changed["officers"][0] = line.replace("2029-12-31", "2029-12-30")
        changed["officers_sm3"] = drawalgo.sm3_hex(drawalgo.lines_bytes(changed["officers"]))
    elif what == "seed":
        seed = bytearray(bytes.fromhex(changed["seed"]))
        seed[0] ^= 1
        changed["seed"] = seed.hex()
        changed["commitment"] = drawalgo.sm3_hex(bytes(seed))
    else:
        changed["randomness"] = changed["randomness"][:-1] + "8"
    # even with every hash and the commitment made consistent, the selection differs
    key_inputs = drawalgo.run_draw(changed).as_json()
    assert key_inputs != doc["result"]
    outcome = drawalgo.verify_document(changed)
    assert not outcome.agrees
    # and without recomputing the commitments the verifier refuses at the commitment
    if what in ("objects", "officers", "seed"):
        tampered = json.loads(json.dumps(doc))
        tampered[what if what != "seed" else "seed"] = changed[what]
        assert not drawalgo.verify_document(tampered).agrees


def test_a_redraw_keeps_the_old_draw_visible_with_its_reason(head_a, plan, traveller):
    old = drawn(head_a, plan, traveller)
    with pytest.raises(InvalidInput) as refused:
        announce(head_a, plan, randomness_expected_on=dt.date(2026, 3, 5))
    assert refused.value.errors[0].field == "redraw_of"
    new = announce(
        head_a,
        plan,
        randomness_expected_on=dt.date(2026, 3, 5),
        redraw_of=old,
        reason="检查对象名录库导入有误，重新抽取",
    )
    assert new.redraw_of == old and Draw.objects.count() == 2
    assert old.targets.count() == 11  # nothing deleted
    assert selectors.draw_document(new)["draw"]["redraw_of"] == old.number
    assert drawalgo.verify_document(selectors.draw_document(old)).agrees
    # the database itself refuses to delete or change a draw
    for statement in (
        lambda: Draw.objects.filter(pk=old.pk).delete(),
        lambda: Draw.objects.filter(pk=old.pk).update(redraw_reason="x"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()


def test_an_inspector_with_a_recusal_or_an_invalid_credential_is_never_drawn(
    head_a, agency_a, plan, inspectors, entities, traveller
):
    # 《中华人民共和国行政处罚法》第四十二条 (valid credential), 第四十三条 (回避)
    expired = OfficerFactory(agency=agency_a, name="过期", valid_until=dt.date(2026, 3, 1))
    suspended = OfficerFactory(agency=agency_a, name="暂扣", status="suspended")
    other_category = OfficerFactory(agency=agency_a, name="交通", credential_categories=["transport"])
    for e in entities:
        services.recusal_declare(actor=head_a, officer=inspectors[0], entity=e, kind=Recusal.Kind.KIN)
    draw = drawn(head_a, plan, traveller)
    drawn_credentials = {c for t in draw.targets.all() for team in t.inspectors for c in team}
    assert drawn_credentials
    for never in (inspectors[0], expired, suspended, other_category):
        assert never.credential_number not in drawn_credentials
    for t in draw.targets.all():
        assert len(t.inspectors[0]) == 2 and len(set(t.inspectors[0])) == 2


def test_fewer_than_two_eligible_inspectors_fails_the_draw_with_the_reason(
    head_a, plan, inspectors, entities, traveller
):
    # 《中华人民共和国行政处罚法》第四十二条: 执法人员不得少于两人
    for officer in inspectors[1:]:
        for e in entities:
            services.recusal_declare(
                actor=head_a, officer=officer, entity=e, kind=Recusal.Kind.FORMER_EMPLOYER
            )
    draw = announce(head_a, plan)
    traveller.move_to(dt.datetime(2026, 3, 3, 22, 0, tzinfo=TZ))
    with pytest.raises(TransitionRefused) as refused:
        services.draw_perform(actor=head_a, draw=draw, randomness=LOTTERY)
    message = refused.value.errors[0].message
    assert "只有1名" in message and "第四十二条" in message
    outcome = DrawOutcome.objects.get(draw=draw)
    assert outcome.status == "failed" and outcome.failure_reason == message
    assert not Target.objects.exists()


def test_fewer_than_two_inspectors_per_object_is_refused_at_announcement(head_a, plan, traveller):
    # 《中华人民共和国行政处罚法》第四十二条
    with pytest.raises(InvalidInput) as refused:
        announce(head_a, plan, per_object=1)
    assert refused.value.errors[0].field == "per_object"


def test_the_cli_verifier_agrees_with_the_portal_and_refuses_a_changed_file(
    head_a, plan, traveller, tmp_path
):
    draw = drawn(head_a, plan, traveller)
    assert selectors.verify_draw(draw).agrees
    path = tmp_path / "draw.json"
    doc = selectors.draw_document(draw)
    path.write_text(json.dumps(doc, ensure_ascii=False))
    for module in ("sanxiang.inspections.drawalgo", "sanxiang.ledger.verifier"):
        args = (
            [sys.executable, "-m", module] + (["--draw"] if module.endswith("verifier") else []) + [str(path)]
        )
        run = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert "抽取结果经复核一致" in run.stdout
    doc["result"]["objects"][0]["inspectors"][0].reverse()
    path.write_text(json.dumps(doc, ensure_ascii=False))
    run = subprocess.run(
        [sys.executable, "-m", "sanxiang.inspections.drawalgo", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "不一致" in run.stderr


def test_a_plan_not_yet_filed_cannot_be_drawn(head_a, item, classified, inspectors, traveller):
    # 国市监信〔2019〕38号: 年度抽查计划报备案并公开; the commitment must be public before the draw
    unfiled = services.plan_create(
        actor=head_a,
        year=2026,
        title="未备案计划",
        scope="辖区",
        batches=[services.BatchInput("第一批", item, dt.date(2026, 3, 1), dt.date(2026, 6, 30), {})],
    )
    with pytest.raises(InvalidInput) as refused:
        announce(head_a, unfiled)
    assert (
        refused.value.errors[0].rule == "plan_filed"
        and "国市监信〔2019〕38号" in refused.value.errors[0].message
    )
