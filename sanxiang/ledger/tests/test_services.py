"""record(), the log's structure, checkpoints and proofs."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from sanxiang.errors import InvalidInput
from sanxiang.ledger import merkle, services
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.verifier import sm2_verify


def test_record_appends_canonical_json_with_every_field_and_an_sm3_leaf(officer_a, store_bytes):
    blob = store_bytes(b"scan of the notice", media_type="application/pdf")
    entry = services.record(
        kind="cases.opened",
        subject=("cases.case", "A-1"),
        actor=officer_a,
        payload={"title": "某某商贸有限公司 无照经营", "amount": "200.00"},
        blobs=[blob],
    )
    fields = json.loads(entry.body)
    assert entry.seq == 0
    assert fields["kind"] == "cases.opened"
    assert fields["subject"] == {"type": "cases.case", "id": "A-1"}
    assert fields["actor"] == {"id": str(officer_a.pk), "name": str(officer_a)}
    assert fields["agency"] == str(officer_a.agency.public_id)
    assert fields["time"].endswith("+08:00")  # Asia/Shanghai, ISO 8601 with offset
    assert fields["blobs"] == [blob.reference()]
    assert fields["corrects"] is None
    assert list(fields) == sorted(fields)  # RFC 8785 orders keys
    assert bytes(entry.leaf_hash) == merkle.sm3(b"\x00" + entry.body.encode())


def test_sequence_numbers_follow_each_other_and_a_correction_points_at_what_it_corrects(make_entries):
    first, second = make_entries(2)
    correction = services.record(
        kind="test.corrected",
        subject=("test.case", "C0"),
        actor=None,
        payload={"why": "typo"},
        corrects=first,
    )
    assert [first.seq, second.seq, correction.seq] == [0, 1, 2]
    assert correction.fields["corrects"] == 0
    assert Entry.objects.get(seq=0).body == first.body  # the corrected entry is untouched


def test_a_record_commits_or_rolls_back_with_the_callers_change(make_entries, officer_a):
    make_entries(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record(kind="cases.opened", subject=("cases.case", "X"), actor=officer_a, payload={})
        raise RuntimeError("the caller's change failed")
    assert Entry.objects.count() == 1
    assert services.record(kind="k", subject=("t", "1"), actor=None, payload={}).seq == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"payload": ["not", "an", "object"]}, "payload"),
        ({"payload": {"x": float("nan")}}, "payload"),
        ({"payload": {"x": 2**60}}, "payload"),
        ({"corrects": 5}, "corrects"),
        ({"blobs": ["0" * 64]}, "blobs"),
        ({"subject": "just a string"}, "subject"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(db, kwargs, field):
    args = {"kind": "k", "subject": ("t", "1"), "actor": None, "payload": {}} | kwargs
    with pytest.raises(InvalidInput) as caught:
        services.record(**args)
    assert caught.value.errors[0].field == field
    assert Entry.objects.count() == 0


def test_record_many_appends_a_batch_whose_root_equals_the_tree_of_its_leaves(db):
    entries = services.record_many(
        [{"kind": "k", "subject": ("t", str(i)), "actor": None, "payload": {"i": i}} for i in range(37)]
    )
    leaves = [e.body.encode() for e in entries]
    assert services.root_at(37) == merkle.MemoryTree(merkle.sm3, leaves).root()
    assert services.root_at(20) == merkle.MemoryTree(merkle.sm3, leaves[:20]).root()


def test_a_checkpoint_is_signed_with_sm2_and_is_idempotent(make_entries):
    assert services.checkpoint_create() is None  # nothing to sign yet
    make_entries(5)
    checkpoint = services.checkpoint_create()
    assert services.checkpoint_create() == checkpoint
    fields = json.loads(checkpoint.body)
    assert fields["size"] == 5 and fields["root"] == services.root_at(5).hex()
    assert fields["time"].endswith("+08:00")
    sm2_verify(checkpoint.key.public_key, checkpoint.body.encode(), checkpoint.signature)
    make_entries(1)
    assert services.checkpoint_create().size == 6
    assert Checkpoint.objects.count() == 2


def test_inclusion_of_every_entry_against_every_checkpoint_and_consistency_between_all_of_them(db):
    sizes = [1, 2, 3, 7, 8, 13]
    checkpoints = []
    for size in sizes:
        while services.log_size() < size:
            services.record(kind="k", subject=("t", "s"), actor=None, payload={"n": services.log_size()})
        checkpoints.append(services.checkpoint_create())
    for checkpoint in checkpoints:
        root = bytes.fromhex(checkpoint.root)
        for entry in Entry.objects.filter(seq__lt=checkpoint.size):
            proof = services.inclusion_proof(entry.seq, checkpoint.size)
            merkle.verify_inclusion(
                merkle.sm3, entry.seq, checkpoint.size, bytes(entry.leaf_hash), proof, root
            )
        for earlier in checkpoints:
            if earlier.size <= checkpoint.size:
                proof = services.consistency_proof(earlier.size, checkpoint.size)
                merkle.verify_consistency(
                    merkle.sm3, earlier.size, checkpoint.size, proof, bytes.fromhex(earlier.root), root
                )


def test_a_proof_is_built_from_a_bounded_number_of_queries(make_entries, django_assert_max_num_queries):
    make_entries(100)
    with django_assert_max_num_queries(2):
        services.inclusion_proof(37, 100)
    with django_assert_max_num_queries(2):
        services.consistency_proof(37, 100)


def test_checkpoints_are_scheduled_at_least_once_a_minute_while_entries_arrive(
    make_entries, settings, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2026-03-02T10:00:00+08:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_entries(1)
    assert Checkpoint.objects.count() == 1  # no checkpoint yet: sign at once
    services._pending_until = None
    time_machine.move_to("2026-03-02T10:00:30+08:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_entries(1)
    assert Checkpoint.objects.count() == 1  # within the minute (a deferring backend would schedule it)
    time_machine.move_to("2026-03-02T10:01:01+08:00", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        make_entries(1)
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [3, 1]


def test_the_fast_canonical_form_is_byte_for_byte_rfc_8785():
    # canonical() takes json.dumps for plain JSON; it must give exactly what rfc8785 gives.
    import random

    import rfc8785

    rng = random.Random(20261201)
    alphabet = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "字", "\u2028",
                "\ue000", "\uffff", "：", "€"]  # fmt: skip

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8)))

    def value(depth=0):
        kind = rng.randrange(7 if depth < 3 else 4)
        if kind == 0:
            return text()
        if kind == 1:
            return rng.choice([0, -1, 1, 2**53 - 1, -(2**53 - 1), rng.randrange(-(10**12), 10**12)])
        if kind == 2:
            return rng.choice([True, False, None])
        if kind == 3:
            return text()
        if kind in (4, 5):
            return {text(): value(depth + 1) for _ in range(rng.randrange(0, 5))}
        return [value(depth + 1) for _ in range(rng.randrange(0, 5))]

    from sanxiang.ledger import audit

    for _ in range(3000):
        item = {"payload": value(), text(): value()}
        assert services.canonical(item) == rfc8785.dumps(item)
        # verify's fast check (orjson) accepts exactly this form and reads the same fields
        assert audit._fast_canonical(rfc8785.dumps(item)) == item
    for unusual in ({"f": 1.5}, {"😀": 1, "\ue000": 2}, {"s": "😀"}):
        assert services.canonical(unusual) == rfc8785.dumps(unusual)
    with pytest.raises(InvalidInput):  # beyond 2^53: refused as before
        services.canonical({"big": 2**60})


@pytest.mark.parametrize(
    "body",
    [
        '{"a":1.0}',  # RFC 8785 writes 1
        '{"a":1.5}',  # canonical, but a fraction: the exact path decides
        '{"a":1e21}',
        '{"a":9007199254740993}',  # beyond 2^53
        '{"b":1,"a":2}',  # keys out of order
        '{"a": 1}',  # a space
        '{"a":"\\u00e9"}',  # an escape RFC 8785 does not use
        '{"a":1,"a":1}',  # a duplicate key
        '{"\ue000":1,"😀":2}',  # outside the BMP: UTF-16 order
        '{"a":NaN}',
        "[1]",
        '{"a":-0}',
    ],
)
def test_verify_fast_canonical_check_leaves_every_unusual_body_to_the_exact_one(body):
    # RFC 8785 §3.2: numbers as ECMAScript writes them, keys in UTF-16 order, no whitespace; the fast
    # check must never call canonical what the exact check (rfc8785) would not.
    from sanxiang.ledger import audit

    assert audit._fast_canonical(body.encode()) is None
