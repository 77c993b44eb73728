"""drand beacons as the public randomness of a draw — verified offline, no Django, no network.

A drand network (League of Entropy) publishes, every ``period`` seconds, a round: a BLS12-381
signature by the network's threshold key over a message fixed by the round number. Nobody, the
agency included, can know it before the round's time, and anyone can check it with the network's
public key — so a draw committed to "drand <network>, round N" gets randomness that is both public and
verifiable, without trusting whoever typed it in. The round's randomness is SHA-256 of the signature.

Two networks, both of the League of Entropy (parameters as published by the network at ``/info``):

- ``quicknet`` (scheme ``bls-unchained-g1-rfc9380``): 3 s rounds; the signature (48 bytes) is on G1,
  the public key on G2; the message is SHA-256 of the round number as 8 bytes big-endian, hashed to
  G1 by RFC 9380 with DST ``BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_``.
- ``default`` (scheme ``pedersen-bls-chained``): 30 s rounds; the signature (96 bytes) is on G2, the
  public key on G1; the message is SHA-256 of the previous round's signature followed by the round
  number (8 bytes big-endian), with DST ``BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_`` (the
  IETF BLS draft's basic scheme, ``G2Basic`` in py_ecc).

The pairing arithmetic is py_ecc's (the Ethereum Foundation's BLS12-381 implementation, also used to
verify Ethereum consensus signatures); verifying one round takes well under a second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

DST_G1 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"


class BeaconError(ValueError):
    """The round or its signature is malformed or does not verify (the message is for people)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Network:
    name: str
    label: str
    chain_hash: str
    public_key: str
    genesis: int  # unix seconds of round 1
    period: int  # seconds between rounds
    chained: bool  # the message includes the previous round's signature
    signature_bytes: int

    def round_time(self, round_number: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.genesis + (round_number - 1) * self.period, dt.UTC)

    def round_at(self, when: dt.datetime) -> int:
        """The first round produced at or after ``when``."""
        seconds = int(when.timestamp()) - self.genesis
        return 1 if seconds <= 0 else -(-seconds // self.period) + 1


NETWORKS = {
    n.name: n
    for n in (
        Network(
            name="quicknet",
            label="drand 公共随机信标快速网络（每3秒一轮）",
            chain_hash="52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
            public_key=(
                "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d"
                "1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
            ),
            genesis=1692803367,
            period=3,
            chained=False,
            signature_bytes=48,
        ),
        Network(
            name="default",
            label="drand 公共随机信标主网络（每30秒一轮）",
            chain_hash="8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce",
            public_key=(
                "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31"
            ),
            genesis=1595431050,
            period=30,
            chained=True,
            signature_bytes=96,
        ),
    )
}


def network(name: str) -> Network:
    found = NETWORKS.get(name)
    if found is None:
        raise BeaconError("network", f"drand 网络: 应为 {'、'.join(NETWORKS)} 之一")
    return found


def _hex(value: str, size: int, what: str) -> bytes:
    try:
        raw = bytes.fromhex((value or "").strip())
    except ValueError:
        raw = b""
    if len(raw) != size:
        raise BeaconError("signature_format", f"{what}: 应为 {size} 字节的十六进制（{size * 2} 位）")
    return raw


def randomness_of(signature: bytes) -> str:
    """A round's randomness: SHA-256 of its signature (drand's definition)."""
    return hashlib.sha256(signature).hexdigest()


def randomness_text(net: Network, round_number: int, signature: bytes) -> str:
    """The public randomness a draw's key is made from (``drawalgo.draw_key``): names the chain, the
    round and the round's randomness, so the text itself says where it comes from."""
    return f"drand {net.chain_hash} round {round_number} randomness {randomness_of(signature)}"


def verify(net: Network, round_number: int, signature_hex: str, previous_signature_hex: str = "") -> str:
    """Check the round's BLS signature with the network's public key; return its randomness text.

    Raises :class:`BeaconError` (in Chinese) when the signature is malformed or does not verify."""
    if not isinstance(round_number, int) or isinstance(round_number, bool) or round_number < 1:
        raise BeaconError("round", "drand 轮次: 应为正整数")
    signature = _hex(signature_hex, net.signature_bytes, f"drand 第{round_number}轮签名")
    try:
        if net.chained:
            previous = _hex(previous_signature_hex, net.signature_bytes, f"drand 第{round_number - 1}轮签名")
            ok = _verify_g2(net, round_number, previous, signature)
        else:
            ok = _verify_g1(net, round_number, signature)
    except (ValueError, AssertionError, TypeError):  # py_ecc: not a point, not in the subgroup
        ok = False
    if not ok:
        raise BeaconError(
            "signature",
            f"drand 第{round_number}轮签名: 不能用{net.label}的公钥验证通过（BLS12-381），不是该轮的公开随机数",
        )
    return randomness_text(net, round_number, signature)


def _verify_g2(net: Network, round_number: int, previous: bytes, signature: bytes) -> bool:
    from eth_typing import BLSPubkey, BLSSignature
    from py_ecc.bls import G2Basic

    message = hashlib.sha256(previous + round_number.to_bytes(8, "big")).digest()
    return bool(G2Basic.Verify(BLSPubkey(bytes.fromhex(net.public_key)), message, BLSSignature(signature)))


def _verify_g1(net: Network, round_number: int, signature: bytes) -> bool:
    from py_ecc.bls.hash_to_curve import hash_to_G1
    from py_ecc.bls.point_compression import decompress_G1, decompress_G2
    from py_ecc.bls.typing import G1Compressed, G2Compressed
    from py_ecc.optimized_bls12_381 import (
        FQ12,
        G2,
        curve_order,
        final_exponentiate,
        is_inf,
        multiply,
        neg,
        pairing,
    )

    point = decompress_G1(G1Compressed(int.from_bytes(signature, "big")))  # checks the point is on the curve
    if is_inf(point) or not is_inf(multiply(point, curve_order)):
        return False
    key = bytes.fromhex(net.public_key)
    public = decompress_G2(G2Compressed((int.from_bytes(key[:48], "big"), int.from_bytes(key[48:], "big"))))
    message = hashlib.sha256(round_number.to_bytes(8, "big")).digest()
    hashed = hash_to_G1(message, DST_G1, hashlib.sha256)  # type: ignore[arg-type]  # a constructor, as py_ecc's own calls pass
    # e(signature, g2) == e(H(message), public key)
    product = pairing(G2, point, final_exponentiate=False) * pairing(
        neg(public), hashed, final_exponentiate=False
    )
    return bool(final_exponentiate(product) == FQ12.one())
