"""The case page verifies each timeline entry against the latest signed tree head (签名树头): the
entry's hash, its content against the case row, and an RFC 9162 inclusion proof — so an entry edited
behind the application's back shows as failing (DESIGN.md: nothing recorded is ever changed)."""

import json
from contextlib import contextmanager

import pytest
from django.db import connection

from sanxiang.cases import selectors
from sanxiang.cases.tests.factories import open_case
from sanxiang.ledger import immutability as ledger_triggers
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import canonical, checkpoint_create, inclusion_proof
from sanxiang.ledger.verifier import leaf_hash, sm3

pytestmark = pytest.mark.django_db


@contextmanager
def triggers_dropped():
    """Drop the append-only triggers for the block, inside the test's transaction (as ledger tests do)."""
    ledger_triggers.drop(connection)  # every app's append-only tables
    try:
        yield connection.cursor()
    finally:
        ledger_triggers.install(connection)


def states(client, case) -> dict[int, str]:
    page = client.get(f"/staff/cases/{case.public_id}/").content.decode()
    found = {}
    for chunk in page.split('class="verification" data-seq="')[1:]:
        seq, _, rest = chunk.partition('" data-state="')
        found[int(seq)] = rest.partition('"')[0]
    return found


@pytest.fixture
def signed_case(handler, traveller):
    case = open_case(handler)
    return case, checkpoint_create()


def test_every_entry_is_shown_as_included_in_the_signed_tree_head(client_for, handler, signed_case):
    case, checkpoint = signed_case
    client = client_for(handler)
    shown = states(client, case)
    assert shown and set(shown.values()) == {"verified"}
    page = client.get(f"/staff/cases/{case.public_id}/").content.decode()
    assert f'已纳入签名树头 <a href="/ledger/checkpoints/{checkpoint.size}/">#{checkpoint.size}</a>' in page

    later = open_case(handler, title="签名之后登记的案件")  # not yet covered by a tree head
    assert set(states(client, later).values()) == {"pending"}
    assert "待纳入签名树头" in client.get(f"/staff/cases/{later.public_id}/").content.decode()


def test_an_entry_edited_with_a_recomputed_hash_fails_its_inclusion_proof(client_for, handler, signed_case):
    case, checkpoint = signed_case
    record = case.records.get(kind="case_source")
    entry = Entry.objects.get(seq=record.ledger_seq)
    body = json.loads(entry.body)
    body["payload"]["made_at"] = "2026-03-01T09:00:00+08:00"  # backdated: not a field the row shows
    forged = canonical(body).decode()
    with triggers_dropped() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET body = %s, leaf_hash = %s WHERE seq = %s",
            [forged, leaf_hash(sm3, forged.encode()), entry.seq],
        )
    shown = states(client_for(handler), case)
    assert shown[record.ledger_seq] == "not_included"
    # (entries whose audit path passes through the forged leaf fail too: their proofs use its hash)
    page = client_for(handler).get(f"/staff/cases/{case.public_id}/").content.decode()
    assert f"核验失败：不能证明已纳入签名树头 #{checkpoint.size}" in page


def test_an_entry_edited_without_its_hash_and_a_case_row_edited_show_as_mismatches(
    client_for, handler, signed_case
):
    case, _ = signed_case
    record = case.records.get(kind="case_source")
    opened = case.events.get(kind="opened")
    with triggers_dropped() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET body = replace(body, %s, %s) WHERE seq = %s",
            [case.number, case.number + "X", opened.ledger_seq],
        )
        cursor.execute(
            "UPDATE cases_caserecord SET payload = %s WHERE id = %s",
            [json.dumps({"summary": "改写后的来源"}), record.pk],
        )
    shown = states(client_for(handler), case)
    assert shown[opened.ledger_seq] == "mismatch" and shown[record.ledger_seq] == "mismatch"


def test_the_proofs_are_the_ledgers_own_and_fetched_in_one_batch(
    handler, traveller, django_assert_max_num_queries
):
    for i in range(5):
        open_case(handler, title=f"案件{i}")
    checkpoint = checkpoint_create()
    seqs = list(range(checkpoint.size))
    with django_assert_max_num_queries(2):  # the leaves and the inner nodes, whatever the number of entries
        proofs = selectors.inclusion_proofs(seqs, checkpoint.size)
    assert proofs == {seq: inclusion_proof(seq, checkpoint.size) for seq in seqs}
