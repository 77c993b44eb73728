"""SM2 (GB/T 32918.2) with SM3 and the default signer ID, checked against OpenSSL both ways."""

from __future__ import annotations

import subprocess

import pytest

from sanxiang.ledger import signing
from sanxiang.ledger.verifier import SM2_N, ProofError, sm2_verify


def _openssl(*args, cwd):
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)


def test_our_signature_verifies_in_openssl_and_openssls_in_ours(tmp_path):
    assert (
        _openssl(
            "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", "k.pem", cwd=tmp_path
        ).returncode
        == 0
    )
    key = signing.load_key(tmp_path / "k.pem")  # a PEM key as operators generate it
    (tmp_path / "msg").write_bytes(b"checkpoint body")
    (tmp_path / "pub.pem").write_text(signing.public_key_pem(key.public_hex))
    (tmp_path / "ours.der").write_bytes(signing.signature_der(key.sign(b"checkpoint body")))
    ours = _openssl(
        "dgst",
        "-sm3",
        "-verify",
        "pub.pem",
        "-sigopt",
        "distid:1234567812345678",
        "-signature",
        "ours.der",
        "msg",
        cwd=tmp_path,
    )
    assert "Verified OK" in ours.stdout, ours.stderr

    assert (
        _openssl(
            "dgst",
            "-sm3",
            "-sign",
            "k.pem",
            "-sigopt",
            "distid:1234567812345678",
            "-out",
            "theirs.der",
            "msg",
            cwd=tmp_path,
        ).returncode
        == 0
    )
    from Cryptodome.Util.asn1 import DerSequence

    r, s = DerSequence().decode((tmp_path / "theirs.der").read_bytes())
    sm2_verify(key.public_hex, b"checkpoint body", f"{r:064x}{s:064x}")


def test_signatures_use_a_fresh_nonce_and_reject_out_of_range_values():
    key = signing.generate_key()
    first, second = key.sign(b"m"), key.sign(b"m")
    assert first != second  # a repeated nonce would reveal the private key
    r, s = int(first[:64], 16), int(first[64:], 16)
    for bad in (f"{0:064x}{s:064x}", f"{r:064x}{0:064x}", f"{r:064x}{SM2_N:064x}"):
        with pytest.raises(ProofError):
            sm2_verify(key.public_hex, b"m", bad)
    with pytest.raises(ProofError):
        sm2_verify(key.public_hex, b"other message", first)


def test_a_point_off_the_curve_is_not_a_public_key():
    with pytest.raises(ProofError):
        sm2_verify("04" + "11" * 64, b"m", "22" * 64)


def test_the_embedded_default_generates_its_key_once(tmp_path):
    path = tmp_path / "ledger" / "sm2_key"
    key = signing.load_or_create_key(path)
    assert signing.load_or_create_key(path) == key
    assert path.stat().st_mode & 0o777 == 0o600
