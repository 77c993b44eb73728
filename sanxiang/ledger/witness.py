"""``sanxiang witness``: an outside party that co-signs the log's checkpoints — no Django, no database.

A witness (the supervising 司法局, an archive, a court) keeps a small state directory: its own SM2 key,
the log's name and public key(s) it trusts, and every checkpoint it has accepted. Each round it

1. fetches the log's latest checkpoint note (``<url>/checkpoint``, C2SP tlog-checkpoint) and checks
   the log's signature with the pinned key;
2. compares it with everything it saw before: the same size with another root is a **split view**;
   a larger size must be consistent with the last checkpoint it accepted — the consistency proof is
   computed from the log's tiles (``<url>/tile/…``, C2SP tlog-tiles), each tile authenticated against
   the new signed root; a smaller size must be consistent with it too (computed from the tiles of the
   size it accepted);
3. if all is well, co-signs (C2SP tlog-cosignature ``cosignature/v1`` message, SM2) and sends the note
   with its cosignature to ``<url>/cosignatures``; otherwise refuses, writes the evidence (both signed
   notes) under ``alerts/`` and exits with status 2.

Usage::

    sanxiang witness init STATE_DIR --name sfj.songyuan.example/witness \\
        --log-name sanxiang.local/ledger --log-key LOG_PUBLIC_KEY_HEX_OR_FILE
    sanxiang witness run STATE_DIR --url https://sanxiang.example/ledger [--every 60]
    sanxiang witness show STATE_DIR          # the witness's name and public key, to register with the log

Every ``--url`` given is asked (the log's own address and, say, a mirror or another vantage point):
two different checkpoints of the same size from any of them is a split view.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sanxiang.ledger import notes, tiles
from sanxiang.ledger.verifier import ProofError, sm3, verify_consistency

Fetch = Callable[[str], bytes | None]
Post = Callable[[str, bytes], tuple[int, bytes]]


def http_fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - the log's URL
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def http_post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310
        url, data=body, method="POST", headers={"Content-Type": "text/plain; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Refused(Exception):
    """The log showed something a witness must not co-sign; ``evidence`` are the notes that prove it."""

    def __init__(self, kind: str, message: str, evidence: Iterable[str] = ()):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.evidence = list(evidence)


@dataclass
class Outcome:
    url: str
    size: int
    action: str  # "cosigned", "unchanged", "refused"
    message: str = ""


@dataclass
class Witness:
    state: Path
    fetch: Fetch = http_fetch
    post: Post = http_post
    config: dict = field(default_factory=dict)

    # -- state

    @classmethod
    def init(cls, state: Path, *, name: str, log_name: str, log_keys: list[str]) -> Witness:
        from sanxiang.ledger import signing

        notes.check_name(name)
        notes.check_name(log_name)
        keys = [_read_key(k) for k in log_keys]
        state.mkdir(parents=True, exist_ok=True)
        key_file = state / "key"
        if not key_file.exists():
            signing.load_or_create_key(key_file)
        (state / "witness.json").write_text(
            json.dumps({"name": name, "log_name": log_name, "log_keys": keys}, indent=2) + "\n"
        )
        (state / "seen").mkdir(exist_ok=True)
        return cls(state)

    def __post_init__(self) -> None:
        if not self.config and (self.state / "witness.json").exists():
            self.config = json.loads((self.state / "witness.json").read_text())

    @property
    def name(self) -> str:
        return self.config["name"]

    def key(self):
        from sanxiang.ledger import signing

        return signing.load_key(self.state / "key")

    def seen(self) -> dict[int, str]:
        """Every checkpoint accepted so far: size → the note text (without signatures)."""
        directory = self.state / "seen"
        return {int(p.name): p.read_text() for p in directory.iterdir() if p.name.isdigit()}

    def latest(self) -> tuple[int, str] | None:
        seen = self.seen()
        if not seen:
            return None
        size = max(seen)
        return size, seen[size]

    def _remember(self, size: int, text: str) -> None:
        path = self.state / "seen" / str(size)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(text)
        os.replace(temporary, path)

    def _alert(self, refused: Refused, url: str) -> Path:
        directory = self.state / "alerts"
        directory.mkdir(exist_ok=True)
        path = directory / f"{int(time.time())}-{refused.kind}.txt"
        path.write_text(
            f"{refused}\nsource: {url}\n\n"
            + "\n".join(f"--- note {i + 1}\n{n}" for i, n in enumerate(refused.evidence))
        )
        return path

    # -- one round

    def _verified(self, raw: bytes) -> tuple[notes.Note, notes.CheckpointNote]:
        note = notes.parse(raw.decode("utf-8"))
        errors = []
        for key in self.config["log_keys"]:
            try:
                head = notes.verify_log_signature(note, self.config["log_name"], key)
            except ProofError as exc:
                errors.append(str(exc))
                continue
            if head.origin != self.config["log_name"]:
                raise ProofError(f"checkpoint of another log ({head.origin})")
            return note, head
        raise ProofError("the checkpoint is not signed by the log's key: " + "; ".join(errors))

    def check(self, url: str) -> tuple[notes.Note, notes.CheckpointNote]:
        """Fetch and check the log's latest checkpoint against everything seen; raise Refused."""
        base = url.rstrip("/")
        raw = self.fetch(f"{base}/checkpoint")
        if raw is None:
            raise ProofError(f"{base}/checkpoint: no checkpoint")
        note, head = self._verified(raw)
        seen = self.seen()
        if head.size in seen and seen[head.size] != note.text:
            raise Refused(
                "split-view",
                f"two different checkpoints of size {head.size}: the log shows different histories",
                [seen[head.size], str(note)],
            )
        latest = self.latest()

        def read(path: str) -> bytes | None:
            return self.fetch(f"{base}/{path}")

        if latest is not None and latest[0] != head.size:
            old_size, old_text = latest
            old = notes.parse_checkpoint(old_text)
            small, large = (old, head) if old.size < head.size else (head, old)
            try:
                tree = tiles.TiledTree(read, large.size, large.root, sm3)
                proof = tree.consistency_proof(small.size) if small.size else []
                if small.size:
                    verify_consistency(sm3, small.size, large.size, proof, small.root, large.root)
            except ProofError as exc:
                raise Refused(
                    "inconsistent",
                    f"checkpoint {head.size} is not consistent with checkpoint {old_size} seen before ({exc}): "
                    "the log rewrote its history",
                    [old_text, str(note)],
                ) from exc
        return note, head

    def round(self, url: str) -> Outcome:
        try:
            note, head = self.check(url)
        except Refused as refused:
            path = self._alert(refused, url)
            return Outcome(url, -1, "refused", f"{refused} (evidence: {path})")
        latest = self.latest()
        if latest is not None and head.size < latest[0]:
            return Outcome(url, head.size, "unchanged", f"older than {latest[0]}, consistent; not co-signed")
        if latest is not None and head.size == latest[0] and (self.state / "checkpoint").exists():
            # already co-signed: send it again, in case the log did not keep it
            self.post(f"{url.rstrip('/')}/cosignatures", (self.state / "checkpoint").read_bytes())
            return Outcome(url, head.size, "unchanged", "already co-signed")
        line = notes.cosign(note.text, self.name, self.key(), int(time.time()))
        self._remember(head.size, note.text)
        body = str(notes.Note(note.text, (*note.signatures, line))).encode()
        status, answer = self.post(f"{url.rstrip('/')}/cosignatures", body)
        (self.state / "checkpoint").write_text(str(notes.Note(note.text, (*note.signatures, line))))
        if status != 201:
            return Outcome(
                url,
                head.size,
                "cosigned",
                f"the log did not take the cosignature ({status}: {answer[:200]!r})",
            )
        return Outcome(url, head.size, "cosigned", answer.decode("utf-8", "replace").strip())


def _read_key(value: str) -> str:
    if Path(value).is_file():
        value = Path(value).read_text().strip()
    if value.startswith("-----BEGIN"):
        body = "".join(line for line in value.splitlines() if line and not line.startswith("-----"))
        value = base64.b64decode(body)[-65:].hex()
    from sanxiang.ledger.verifier import sm2_public_key_xy

    x, y = sm2_public_key_xy(value)
    return f"04{x:064x}{y:064x}"


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sanxiang witness", description="Witness and co-sign a Sanxiang ledger."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create the state directory and the witness's SM2 key")
    init.add_argument("state", type=Path)
    init.add_argument("--name", required=True, help="the witness's key name (a schema-less URL)")
    init.add_argument("--log-name", required=True, help="the log's origin, e.g. sanxiang.local/ledger")
    init.add_argument(
        "--log-key", action="append", required=True, help="the log's SM2 public key (hex/PEM/file)"
    )
    run = commands.add_parser("run", help="check and co-sign the log's latest checkpoint")
    run.add_argument("state", type=Path)
    run.add_argument("--url", action="append", required=True, help="the log's /ledger URL (repeatable)")
    run.add_argument("--every", type=int, default=0, help="repeat every N seconds")
    show = commands.add_parser("show", help="print the witness's name and public key")
    show.add_argument("state", type=Path)
    args = parser.parse_args(list(argv) if argv is not None else None)

    if args.command == "init":
        witness = Witness.init(args.state, name=args.name, log_name=args.log_name, log_keys=args.log_key)
        print(f"witness {witness.name}\npublic key {witness.key().public_hex}")
        return 0
    witness = Witness(args.state)
    if args.command == "show":
        print(f"{witness.name} {witness.key().public_hex}")
        return 0
    status = 0
    while True:
        for url in args.url:
            try:
                outcome = witness.round(url)
            except (ProofError, OSError, ValueError) as exc:
                print(f"FAIL {url}: {exc}", file=sys.stderr)
                status = max(status, 1)
                continue
            if outcome.action == "refused":
                print(f"REFUSED {url}: {outcome.message}", file=sys.stderr)
                status = 2
            else:
                print(f"{outcome.action.upper()} {url} size {outcome.size}: {outcome.message}")
        if not args.every:
            return status
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
