"""Export a proof bundle and check it offline with the standalone verifier (a separate process that
never imports Django); every kind of forgery of the bundle is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from sanxiang.ledger import access, services, signing
from sanxiang.ledger.models import Entry


def _run_verifier(bundle, *extra):
    """Run the bundle's own verifier.py in an isolated interpreter and prove it never imports Django."""
    code = (
        f"import runpy, sys; g = runpy.run_path({str(bundle / 'verifier.py')!r}, run_name='bundle_verifier'); "
        "rc = g['main'](sys.argv[1:]); assert 'django' not in sys.modules, 'imported Django'; sys.exit(rc)"
    )
    return subprocess.run(
        [sys.executable, "-I", "-c", code, str(bundle), *extra], capture_output=True, text=True
    )


@pytest.fixture
def bundle(make_entries, store_bytes, officer_a, tmp_path):
    make_entries(6, actor=officer_a)
    blob = store_bytes(b"\x00\x01 recording " * 500, media_type="application/octet-stream")
    entry = services.record(
        kind="cases.evidence",
        subject=("cases.case", "A-7"),
        actor=officer_a,
        payload={"what": "现场检查录像"},
        blobs=[blob],
    )
    make_entries(4, actor=officer_a)
    directory = tmp_path / "bundle"
    call_command(
        "export_proof", str(entry.seq), str(directory), actor=officer_a.username, purpose="行政复议答复"
    )
    return directory


def test_the_exported_bundle_verifies_offline_without_django(bundle):
    result = _run_verifier(bundle)
    assert result.returncode == 0, result.stderr
    assert "VERIFIED" in result.stdout and "entry #6" in result.stdout
    assert sorted(p.name for p in bundle.iterdir()) == [
        "README.txt",
        "blobs",
        "checkpoint.json",
        "checkpoint.note",
        "checkpoint.sig",
        "checkpoint.sig.der",
        "entry.json",
        "inclusion.json",
        "manifest.json",
        "notes.py",
        "public_key.hex",
        "public_key.pem",
        "verifier.py",
    ]


def test_the_export_is_recorded_in_the_access_log(bundle, officer_a):
    export = Entry.objects.filter(kind=access.ACCESSED).get()
    assert export.fields["payload"] == {"action": "export", "purpose": "行政复议答复"}
    assert export.actor == officer_a and (export.subject_type, export.subject_id) == (access.ENTRY, "6")


def test_the_verifier_checks_the_key_you_trust(bundle):
    trusted = (bundle / "public_key.hex").read_text()
    assert _run_verifier(bundle, "--trusted-key", trusted).returncode == 0
    other = signing.generate_key().public_hex
    result = _run_verifier(bundle, "--trusted-key", other)
    assert result.returncode != 0 and "not the key you trust" in result.stderr


def _flip(path: Path, at: int = 10):
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "forgery",
    ["entry", "blob", "proof", "checkpoint", "signature", "key", "index"],
)
def test_a_forged_bundle_is_refused(bundle, forgery):
    if forgery == "entry":
        entry = bundle / "entry.json"
        entry.write_text(entry.read_text().replace("现场检查录像", "现场检查笔录"))
    elif forgery == "blob":
        _flip(next((bundle / "blobs").iterdir()))
    elif forgery == "proof":
        inclusion = json.loads((bundle / "inclusion.json").read_text())
        inclusion["proof"][0] = "00" * 32
        (bundle / "inclusion.json").write_text(json.dumps(inclusion))
    elif forgery == "checkpoint":
        checkpoint = bundle / "checkpoint.json"
        checkpoint.write_text(checkpoint.read_text().replace('"size":11', '"size":12'))
    elif forgery == "signature":
        sig = bundle / "checkpoint.sig"
        sig.write_text(("1" if sig.read_text()[0] != "1" else "2") + sig.read_text()[1:])
    elif forgery == "key":
        other = signing.generate_key()
        (bundle / "public_key.hex").write_text(other.public_hex)
    elif forgery == "index":
        inclusion = json.loads((bundle / "inclusion.json").read_text())
        inclusion["index"] = 5
        (bundle / "inclusion.json").write_text(json.dumps(inclusion))
    result = _run_verifier(bundle)
    assert result.returncode != 0
    assert result.stderr.startswith("FAIL")


def test_openssl_verifies_the_checkpoint_signature_too(bundle):
    result = subprocess.run(
        [
            "openssl",
            "dgst",
            "-sm3",
            "-verify",
            "public_key.pem",
            "-sigopt",
            "distid:1234567812345678",
            "-signature",
            "checkpoint.sig.der",
            "checkpoint.json",
        ],
        cwd=bundle,
        capture_output=True,
        text=True,
    )
    assert "Verified OK" in result.stdout, result.stderr


def test_the_module_form_runs_too(bundle):
    result = subprocess.run(
        [sys.executable, "-m", "sanxiang.ledger.verifier", str(bundle)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode == 0, result.stderr


def test_a_secret_blob_is_withheld_from_the_bundle(make_entries, store_bytes, officer_a, tmp_path):
    blob = store_bytes(b"trade secret formula", media_type="text/plain")
    entry = services.record(
        kind="cases.evidence", subject=("cases.case", "S"), actor=officer_a, payload={}, blobs=[blob]
    )
    access.secrecy_mark(actor=officer_a, material=blob, ground="trade_secret")
    directory = tmp_path / "b"
    call_command("export_proof", str(entry.seq), str(directory), actor=officer_a.username, purpose="复制")
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["blobs"] == [] and manifest["withheld"][0]["ground"] == "trade_secret"
    result = _run_verifier(directory)
    assert result.returncode == 0 and "withheld" in result.stdout


def test_the_verifier_requires_the_cosignatures_you_ask_for(make_entries, officer_a, tmp_path):
    # Issue 17: a witness co-signs a checkpoint (C2SP tlog-cosignature); a bundle verified with
    # --min-cosignatures N passes only with N valid cosignatures of the witnesses named.
    from sanxiang.ledger import notes

    make_entries(3, actor=officer_a)
    checkpoint = services.checkpoint_create()
    text = services.note_text(checkpoint.size, checkpoint.root)
    keys = {f"w{i}.example/witness": signing.generate_key() for i in range(3)}
    for name, key in keys.items():
        services.witness_add(name=name, public_key=key.public_hex)
    lines = [str(notes.cosign(text, name, keys[name], 1_800_000_000)) for name in list(keys)[:2]]
    services.cosignature_add(text + "\n" + "\n".join(lines) + "\n")
    directory = tmp_path / "bundle"
    call_command("export_proof", "1", str(directory), actor=officer_a.username, purpose="行政复议答复")
    named = [arg for name, key in keys.items() for arg in ("--witness", f"{name}={key.public_hex}")]
    two = named[:4]
    result = _run_verifier(directory, *two, "--min-cosignatures", "2")
    assert result.returncode == 0, result.stderr
    assert "co-signed by 2 witnesses" in result.stdout
    result = _run_verifier(directory, *named, "--min-cosignatures", "3")
    assert result.returncode == 1 and "co-signed by 2 of the witnesses you named" in result.stderr
    result = _run_verifier(directory, *named[:2], "--min-cosignatures", "2")
    assert result.returncode == 1 and "only 1 witnesses named" in result.stderr
    # a cosignature changed after the fact refuses the bundle; a bundle without the note cannot pass
    note = (directory / "checkpoint.note").read_text()
    tampered = note.replace(lines[1].split()[-1], lines[0].split()[-1])
    (directory / "checkpoint.note").write_text(tampered)
    assert _run_verifier(directory, *two, "--min-cosignatures", "2").returncode == 1
    (directory / "checkpoint.note").unlink()
    result = _run_verifier(directory, *two, "--min-cosignatures", "1")
    assert result.returncode == 1 and "checkpoint.note: missing" in result.stderr
    assert _run_verifier(directory).returncode == 0  # no cosignatures asked for: as before
