"""drand rounds as the public randomness of a draw, verified offline with the network's public key.

The test data are two real rounds of the League of Entropy networks as they publish them
(``/{chain hash}/public/{round}``: round, signature, previous_signature, randomness), quoted with the
same values in the README of the drand-verify Python bindings (github.com/mcdcam/python-drand-verify):

- quicknet (chain 52db9ba7…, scheme bls-unchained-g1-rfc9380) round 657413, produced 2023-09-15
  11:00:03 UTC;
- the default chained network (chain 8990e7a9…, scheme pedersen-bls-chained) round 3311596, produced
  2023-09-15 11:55:00 UTC.

Each published randomness equals SHA-256 of the published signature, and the signature verifies with
the network's public key: neither is computed here from anything but the published values.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
import time_machine

from sanxiang.catalog import services as catalog
from sanxiang.catalog.models import ListKind
from sanxiang.errors import InvalidInput, TransitionRefused
from sanxiang.inspections import drand, drawalgo, selectors, services
from sanxiang.inspections.models import DrawOutcome
from sanxiang.inspections.tests.conftest import ITEM, TZ
from sanxiang.testing.factories import OfficerFactory

QUICKNET_ROUND = 657413
QUICKNET_SIGNATURE = (
    "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b"
)
QUICKNET_RANDOMNESS = "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587"
MAINNET_ROUND = 3311596
MAINNET_SIGNATURE = (
    "a696b9409ababce45749c3a4ec369074453dd4a79967734e1390d969c8ad8d98897d217b9121e92c8ddebbddda8d92f9"
    "00e3bd6bf9deb166863b1a19390d743f82774001487594c5c09e581db7365f02b70a2c8cc41ce32446ef08e4890c4754"
)
MAINNET_PREVIOUS = (
    "8ed588f2a7716fb1349e2d9803da5db0005e98a83783c353d4a08f183236a9ad91d70ddb01266f4b7c576983db464b43"
    "0e65680b9e0098552758afd6c1e6afcb77e3f62fe1b93d42d1cb63abbb2205512fe12fbf74ea9c5ac3b8f5c1e283a1d8"
)
MAINNET_RANDOMNESS = "647c07b2abbf7ff2afb4d670214f565e5cd9f9c91bfdcecb59a21f3c78d73920"


def _flip(hex_text: str, at: int = 20) -> str:
    raw = bytearray(bytes.fromhex(hex_text))
    raw[at] ^= 0x01
    return raw.hex()


def test_published_rounds_verify_and_give_the_published_randomness():
    quicknet = drand.NETWORKS["quicknet"]
    text = drand.verify(quicknet, QUICKNET_ROUND, QUICKNET_SIGNATURE)
    assert text.endswith(f"round {QUICKNET_ROUND} randomness {QUICKNET_RANDOMNESS}")
    assert quicknet.round_time(QUICKNET_ROUND) == dt.datetime(2023, 9, 15, 11, 0, 3, tzinfo=dt.UTC)
    mainnet = drand.NETWORKS["default"]
    text = drand.verify(mainnet, MAINNET_ROUND, MAINNET_SIGNATURE, MAINNET_PREVIOUS)
    assert text.endswith(f"round {MAINNET_ROUND} randomness {MAINNET_RANDOMNESS}")
    assert mainnet.round_time(MAINNET_ROUND) == dt.datetime(2023, 9, 15, 11, 55, tzinfo=dt.UTC)
    assert quicknet.round_at(quicknet.round_time(QUICKNET_ROUND)) == QUICKNET_ROUND


@pytest.mark.parametrize(
    ("network", "round_number", "signature", "previous"),
    [
        ("quicknet", QUICKNET_ROUND + 1, QUICKNET_SIGNATURE, ""),  # another round's message
        ("quicknet", QUICKNET_ROUND, _flip(QUICKNET_SIGNATURE), ""),  # one bit of the signature
        ("default", MAINNET_ROUND, MAINNET_SIGNATURE, _flip(MAINNET_PREVIOUS)),  # the chain link
        ("default", MAINNET_ROUND, _flip(MAINNET_SIGNATURE, 50), MAINNET_PREVIOUS),
        ("quicknet", QUICKNET_ROUND, QUICKNET_SIGNATURE[:-2], ""),  # too short
    ],
)
def test_a_signature_that_is_not_the_rounds_is_refused(network, round_number, signature, previous):
    with pytest.raises(drand.BeaconError) as refused:
        drand.verify(drand.NETWORKS[network], round_number, signature, previous)
    assert "drand" in refused.value.message and refused.value.code in {"signature", "signature_format"}


@pytest.fixture
def plan_2023(head_a, agency_a, classified):
    """A plan of 2023, announced on 2023-09-14 (before quicknet round 657413 existed)."""
    with time_machine.travel(dt.datetime(2023, 9, 14, 9, 0, tzinfo=TZ), tick=False):
        item = catalog.entry_publish(
            actor=head_a,
            kind=ListKind.SPOT_CHECKS,
            agency=agency_a,
            data=dict(ITEM),
            effective_from=dt.date(2023, 1, 1),
            reason="首次公布",
        ).entry
        services.profile_set(
            actor=head_a,
            item=item,
            level="general",
            object_kinds=["enterprise", "individual_business"],
            category="market",
        )
        for i in range(4):
            OfficerFactory(agency=agency_a, name=f"检查员{i}", valid_from=dt.date(2023, 1, 1))
        plan = services.plan_create(
            actor=head_a,
            year=2023,
            title="2023年度食品经营随机抽查计划",
            scope="辖区内食品经营者",
            batches=[
                services.BatchInput(
                    name="第一批",
                    item=item,
                    starts_on=dt.date(2023, 9, 1),
                    ends_on=dt.date(2023, 12, 31),
                    ratios={"N": "10"},
                )
            ],
        )
        services.plan_file(actor=head_a, plan=plan)
    return plan


@pytest.mark.django_db
def test_a_draw_committed_to_a_drand_round_takes_only_that_rounds_signature(head_a, plan_2023, tmp_path):
    batch = plan_2023.batches.get()
    with time_machine.travel(dt.datetime(2023, 9, 14, 10, 0, tzinfo=TZ), tick=False):
        with pytest.raises(InvalidInput) as past:
            services.draw_announce(
                actor=head_a,
                batch=batch,
                inspection_date=dt.date(2023, 9, 20),
                randomness_source="",
                randomness_expected_on=dt.date(2023, 9, 14),
                beacon_network="quicknet",
                beacon_round=QUICKNET_ROUND - 60_000,  # produced on 2023-09-13
            )
        assert past.value.errors[0].field == "beacon_round"
        draw = services.draw_announce(
            actor=head_a,
            batch=batch,
            inspection_date=dt.date(2023, 9, 20),
            randomness_source="",
            randomness_expected_on=dt.date(2023, 9, 15),
            beacon_network="quicknet",
            beacon_round=QUICKNET_ROUND,
        )
    # the round is committed in the hashed parameters; the date is the round's (Beijing time)
    assert draw.parameters["beacon"] == {
        "network": "quicknet",
        "chain_hash": drand.NETWORKS["quicknet"].chain_hash,
        "round": QUICKNET_ROUND,
    }
    assert draw.randomness_expected_on == dt.date(2023, 9, 15)
    assert "第657413轮" in draw.randomness_source and "19:00:03" in draw.randomness_source

    three_seconds_early = time_machine.travel(dt.datetime(2023, 9, 15, 19, 0, 0, tzinfo=TZ), tick=False)
    with three_seconds_early, pytest.raises(TransitionRefused):
        services.draw_perform(actor=head_a, draw=draw, beacon_signature=QUICKNET_SIGNATURE)
    with time_machine.travel(dt.datetime(2023, 9, 15, 20, 0, tzinfo=TZ), tick=False):
        with pytest.raises(InvalidInput) as wrong:
            services.draw_perform(actor=head_a, draw=draw, beacon_signature=_flip(QUICKNET_SIGNATURE))
        assert wrong.value.errors[0].field == "beacon_signature"
        assert not DrawOutcome.objects.filter(draw=draw).exists()  # nothing half-written
        # typed randomness is ignored: the randomness is the one derived from the verified signature
        outcome = services.draw_perform(
            actor=head_a, draw=draw, randomness="随便写的", beacon_signature=QUICKNET_SIGNATURE
        )
    assert outcome.randomness.endswith(f"randomness {QUICKNET_RANDOMNESS}")
    assert outcome.beacon["signature"] == QUICKNET_SIGNATURE

    document = selectors.draw_document(draw)
    verdict = drawalgo.verify_document(document)
    assert verdict.agrees, verdict.checks
    assert any("第657413轮签名经公钥验证通过" in text for ok, text in verdict.checks if ok)

    # a document whose signature or randomness was swapped is refused by the verifier
    forged = json.loads(json.dumps(document))
    forged["beacon"]["signature"] = _flip(QUICKNET_SIGNATURE)
    assert not drawalgo.verify_document(forged).agrees
    forged = json.loads(json.dumps(document))
    forged["randomness"] = forged["randomness"][:-1] + ("0" if forged["randomness"][-1] != "0" else "1")
    assert not drawalgo.verify_document(forged).agrees

    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False))
    proc = subprocess.run(
        [sys.executable, "-m", "sanxiang.inspections.drawalgo", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "第657413轮签名经公钥验证通过" in proc.stdout
