"""The public checkpoint pages: anyone can read and keep the signed tree heads and the key."""

from __future__ import annotations

from sanxiang.ledger import services


def test_anyone_can_read_the_checkpoints_and_the_public_key(make_entries, anonymous):
    make_entries(3)
    checkpoint = services.checkpoint_create()
    page = anonymous.get("/ledger/").content.decode()
    assert checkpoint.root in page and "BEGIN PUBLIC KEY" in page
    detail = anonymous.get(f"/ledger/checkpoints/{checkpoint.size}/").content.decode()
    assert checkpoint.signature in detail
    assert anonymous.get("/ledger/checkpoints/99/").status_code == 404


def test_the_demo_records_verify_and_fail_after_one_byte_of_a_blob_is_flipped(db, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from sanxiang.accounts.roles import Role
    from sanxiang.ledger import demo
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.storage import get_storage
    from sanxiang.testing import factories

    factories.UserFactory(username="officer", roles=[Role.OFFICER], agency=factories.AgencyFactory())
    demo.load(today=None, out=lambda line: None)
    demo.load(today=None, out=lambda line: None)  # idempotent
    call_command("verify")
    bundle = tmp_path / "bundle"
    call_command("export_proof", "1", str(bundle), actor="officer", purpose="演示")
    assert len(list((bundle / "blobs").iterdir())) == 2  # the written record and the recording
    from sanxiang.ledger import verifier

    assert verifier.main([str(bundle)]) == 0  # the standalone verifier accepts the demo's bundle
    video = next(b for b in Entry.objects.get(seq=1).fields["blobs"] if b["media_type"] == "video/mp4")
    path = get_storage().local_path(video["sm3"])
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    try:
        call_command("verify")
    except CommandError as exc:
        assert "entry #1" in str(exc) and video["sm3"] in str(exc)
    else:
        raise AssertionError("verify passed a flipped byte")
