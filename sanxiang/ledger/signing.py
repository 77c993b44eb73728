"""SM2 signing of checkpoints (GB/T 32918.2, SM3 digest, signer ID 1234567812345678).

The curve arithmetic is gmssl's; this module supplies what gmssl gets wrong or leaves out
(docs/decisions/0003-ledger-hash-merkle-signing.md): the nonce k comes from ``secrets`` (gmssl's
default uses ``random``, which is predictable and would leak the private key), private keys are drawn
in [1, n-2], the public key is validated on the curve, and a rare failed attempt is retried with a
fresh nonce. Verification is :func:`sanxiang.ledger.verifier.sm2_verify`.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from gmssl import sm2 as gm

from sanxiang.ledger.verifier import SM2_N, key_id, sm2_public_key_xy, sm2_verify, sm2_z, sm3

# DER prefix of a SubjectPublicKeyInfo for an uncompressed SM2 point:
# SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 (1.2.156.10197.1.301) }, BIT STRING 04||x||y }
_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a811ccf5501822d034200")
_SM2_OID = bytes.fromhex("06082a811ccf5501822d")


class KeyFileError(RuntimeError):
    """The configured signing key file cannot be read as an SM2 private key."""


@dataclass(frozen=True)
class SigningKey:
    private: int
    public_hex: str  # 04 || x || y

    @property
    def key_id(self) -> str:
        return key_id(self.public_hex)

    def sign(self, message: bytes) -> str:
        """Return the signature r||s (hex) of ``message``."""
        e = sm3(sm2_z(self.public_hex) + message)
        signer = gm.CryptSM2(private_key=f"{self.private:064x}", public_key="")
        signer.public_key = self.public_hex[2:]
        while True:
            k = secrets.randbelow(SM2_N - 1) + 1
            signature = signer.sign(e, f"{k:064x}")
            if signature is not None:
                sm2_verify(self.public_hex, message, signature)  # never hand out a signature that fails
                return signature


def _public_from_private(private: int) -> str:
    point = gm.CryptSM2(private_key=None, public_key="")._kg(private, gm.default_ecc_table["g"])
    public_hex = "04" + point
    sm2_public_key_xy(public_hex)
    return public_hex


def key_from_private(private: int) -> SigningKey:
    if not 1 <= private <= SM2_N - 2:
        raise KeyFileError("SM2 private key out of range [1, n-2]")
    return SigningKey(private=private, public_hex=_public_from_private(private))


def generate_key() -> SigningKey:
    return key_from_private(secrets.randbelow(SM2_N - 2) + 1)


def _private_from_pem(text: str) -> int:
    """The private scalar of a PKCS#8 or SEC1 PEM key, as ``openssl genpkey -algorithm EC
    -pkeyopt ec_paramgen_curve:SM2`` writes it."""
    from Cryptodome.Util.asn1 import DerObjectId, DerOctetString, DerSequence  # gmssl's own dependency

    def elements(der: bytes) -> list[int | bytes]:
        # A decoded SEQUENCE holds ints and still-encoded bytes; pycryptodome's stub types
        # DerSequence.__getitem__ as returning None, hence the cast.
        seq = DerSequence().decode(der)
        return cast("list[int | bytes]", [seq[i] for i in range(len(seq))])

    def encoded(element: int | bytes) -> bytes:
        if not isinstance(element, bytes):
            raise TypeError("expected an encoded DER element, found an integer")
        return element

    body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
    der = base64.b64decode(body)
    outer = elements(der)
    if len(outer) >= 3 and outer[0] == 0 and isinstance(outer[1], bytes):  # PKCS#8
        algorithm = elements(outer[1])
        if DerObjectId().decode(encoded(algorithm[1])).encode() != _SM2_OID:
            raise KeyFileError("the PEM key is not on the SM2 curve")
        der = DerOctetString().decode(encoded(outer[2])).payload
        outer = elements(der)
    if outer[0] != 1:  # SEC1 ECPrivateKey version
        raise KeyFileError("not an EC private key")
    return int.from_bytes(DerOctetString().decode(encoded(outer[1])).payload, "big")


def load_key(path: Path) -> SigningKey:
    text = path.read_text().strip()
    try:
        private = _private_from_pem(text) if text.startswith("-----BEGIN") else int(text, 16)
    except (ValueError, IndexError, TypeError) as exc:
        raise KeyFileError(f"{path}: not an SM2 private key (hex, or PKCS#8/SEC1 PEM)") from exc
    return key_from_private(private)


def load_or_create_key(path: Path) -> SigningKey:
    """The key at ``path``; the embedded default generates it there once (mode 0600)."""
    if path.exists():
        return load_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process generated it first
        return load_key(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{key.private:064x}\n")
    return key


def install_key_file(path: Path, new: SigningKey, *, retired: SigningKey | None) -> None:
    """Put ``new`` at ``path`` (mode 0600, written to a temporary file and renamed, so the path never
    holds half a key); the file it replaces is kept beside it as ``<name>.retired-<key id>``, for the
    operator to archive offline."""
    if path.exists() and retired is not None:
        os.replace(path, path.with_name(f"{path.name}.retired-{retired.key_id[:16]}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{new.private:064x}\n")
    os.replace(temporary, path)


def public_key_pem(public_hex: str) -> str:
    """The public key as SubjectPublicKeyInfo PEM, for ``openssl dgst -sm3 -verify``."""
    x, y = sm2_public_key_xy(public_hex)
    der = _SPKI_PREFIX + b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")
    b64 = base64.b64encode(der).decode()
    lines = [b64[i : i + 64] for i in range(0, len(b64), 64)]
    return "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) + "\n-----END PUBLIC KEY-----\n"


def signature_der(signature_hex: str) -> bytes:
    """The signature r||s as a DER SEQUENCE of two INTEGERs (what OpenSSL reads)."""
    from Cryptodome.Util.asn1 import DerSequence

    return DerSequence([int(signature_hex[:64], 16), int(signature_hex[64:], 16)]).encode()
