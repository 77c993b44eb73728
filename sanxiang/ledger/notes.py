"""Checkpoints as C2SP signed notes (tlog-checkpoint, signed-note) and SM2 cosignatures (tlog-cosignature).

A checkpoint note is the text::

    <origin>
    <tree size, decimal>
    <root hash, base64>

followed by a blank line and signature lines ``— <key name> base64(key ID || signature)``. The log signs
with SM2 (GB/T 32918.2, SM3, ID 1234567812345678) over the note text; signed-note has no identifier
byte for SM2, so we use its ``0xff`` escape followed by a longer identifier, as it recommends:

    key ID = SHA-256(name || 0x0A || 0xff || "sanxiang-sm2-sm3" || 04‖x‖y)[:4]   signature = r‖s

A witness cosignature follows tlog-cosignature's ``cosignature/v1`` message (header line, ``time
<POSIX seconds>`` line, then the note text) and its ``timestamped_signature`` (u64 big-endian time,
then the signature), with SM2 instead of Ed25519 and identifier ``sanxiang-sm2-cosignature/v1``.

No Django: the witness and the standalone verifier use this module.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass
from typing import Protocol

try:
    from sanxiang.ledger.verifier import ProofError, sm2_public_key_xy, sm2_verify
except ImportError:  # copied into a proof bundle beside verifier.py, without the package
    from verifier import ProofError, sm2_public_key_xy, sm2_verify  # type: ignore[no-redef]

EM_DASH = "\u2014"
LOG_SIGNATURE_ID = b"\xffsanxiang-sm2-sm3"
COSIGNATURE_ID = b"\xffsanxiang-sm2-cosignature/v1"
MAX_SIGNATURES = 64


class Signer(Protocol):
    public_hex: str

    def sign(self, message: bytes) -> str: ...


def _public_bytes(public_hex: str) -> bytes:
    x, y = sm2_public_key_xy(public_hex)
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def key_id(name: str, public_hex: str, kind: bytes = LOG_SIGNATURE_ID) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + kind + _public_bytes(public_hex)).digest()[:4]


def check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise ProofError(f"key name {name!r}: must be non-empty, without spaces or '+'")
    return name


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    """The note text of a checkpoint (tlog-checkpoint), ending in a newline."""
    if not origin or "\n" in origin:
        raise ProofError("checkpoint origin: one non-empty line")
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


@dataclass(frozen=True)
class SignatureLine:
    name: str
    key_hash: bytes  # the 4-byte key ID
    signature: bytes

    def __str__(self) -> str:
        return f"{EM_DASH} {self.name} {base64.b64encode(self.key_hash + self.signature).decode()}"


@dataclass(frozen=True)
class Note:
    text: str  # the signed text, with its final newline
    signatures: tuple[SignatureLine, ...]

    def __str__(self) -> str:
        return self.text + "\n" + "".join(f"{line}\n" for line in self.signatures)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")[:-1]


@dataclass(frozen=True)
class CheckpointNote:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def parse(note: str) -> Note:
    """Split a signed note into its text and its signature lines (signed-note §Format)."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise ProofError("signed note: control characters")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise ProofError("signed note: no blank line before the signatures")
    text, block = note[: cut + 1], note[cut + 2 :]
    signatures = []
    for line in block.split("\n")[:-1]:
        prefix = f"{EM_DASH} "
        if not line.startswith(prefix):
            raise ProofError(f"signed note: not a signature line: {line[:40]!r}")
        parts = line[len(prefix) :].split(" ")
        if len(parts) != 2:
            raise ProofError("signed note: a signature line is '— name base64'")
        try:
            raw = base64.b64decode(parts[1], validate=True)
        except ValueError as exc:
            raise ProofError("signed note: signature is not base64") from exc
        if len(raw) < 5:
            raise ProofError("signed note: signature too short")
        signatures.append(SignatureLine(check_name(parts[0]), raw[:4], raw[4:]))
    if not signatures:
        raise ProofError("signed note: no signature")
    if len(signatures) > MAX_SIGNATURES:
        raise ProofError("signed note: too many signatures")
    return Note(text, tuple(signatures))


def parse_checkpoint(text: str) -> CheckpointNote:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise ProofError("checkpoint: origin, size and root lines, each ending in a newline")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise ProofError("checkpoint: size is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError as exc:
        raise ProofError("checkpoint: root is not base64") from exc
    if len(root) != 32:
        raise ProofError("checkpoint: root is not a 32-byte hash")
    return CheckpointNote(origin, int(size_text), root, tuple(lines[3:-1]))


def sign_checkpoint(text: str, name: str, key: Signer) -> SignatureLine:
    return SignatureLine(
        check_name(name), key_id(name, key.public_hex), bytes.fromhex(key.sign(text.encode()))
    )


def verify_log_signature(note: Note, name: str, public_hex: str) -> CheckpointNote:
    """The checkpoint of ``note``, once the log's signature (name, key) on it is verified."""
    expected = key_id(name, public_hex)
    found = [s for s in note.signatures if s.name == name and s.key_hash == expected]
    if not found:
        raise ProofError(f"checkpoint: no signature by the log key {name} {expected.hex()}")
    for line in found:
        sm2_verify(public_hex, note.text.encode(), line.signature.hex())
    return parse_checkpoint(note.text)


def cosigned_message(text: str, timestamp: int) -> bytes:
    if not 0 <= timestamp < 1 << 63:
        raise ProofError("cosignature: timestamp out of range")
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, name: str, key: Signer, timestamp: int) -> SignatureLine:
    signature = bytes.fromhex(key.sign(cosigned_message(text, timestamp)))
    return SignatureLine(
        check_name(name),
        key_id(name, key.public_hex, COSIGNATURE_ID),
        struct.pack(">Q", timestamp) + signature,
    )


def verify_cosignature(text: str, line: SignatureLine, name: str, public_hex: str) -> int:
    """Verify one cosignature line by the witness (name, key); return its timestamp."""
    if line.name != name or line.key_hash != key_id(name, public_hex, COSIGNATURE_ID):
        raise ProofError(f"cosignature: not by witness {name}")
    if len(line.signature) != 8 + 64:
        raise ProofError("cosignature: a timestamped SM2 signature is 72 bytes")
    (timestamp,) = struct.unpack(">Q", line.signature[:8])
    sm2_verify(public_hex, cosigned_message(text, timestamp), line.signature[8:].hex())
    return timestamp


def count_cosignatures(note: Note, witnesses: dict[str, str]) -> list[str]:
    """The names of the witnesses (name → public key) whose cosignature on ``note`` verifies; a
    cosignature by a known witness that fails to verify rejects the whole note (signed-note)."""
    good = []
    for name, public_hex in witnesses.items():
        wanted = key_id(name, public_hex, COSIGNATURE_ID)
        for line in note.signatures:
            if line.name == name and line.key_hash == wanted:
                verify_cosignature(note.text, line, name, public_hex)
                if name not in good:
                    good.append(name)
    return good
