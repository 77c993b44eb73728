"""``sanxiang verify``: recompute the log, its blobs and checkpoints against what is held outside the
database; exit 1 at the first discrepancy."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sanxiang.ledger.audit import verify_log


class Command(BaseCommand):
    help = (
        "重新计算全部记录、存证文件和签名树头，并与数据库之外保存的可信公钥、签名树头核对；"
        "发现第一处不一致即报告其记录序号并以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--skip-blobs", action="store_true", help="do not re-hash blob files")
        parser.add_argument(
            "--trusted-key",
            action="append",
            default=[],
            metavar="HEX|FILE",
            help="an SM2 public key you trust (04||x||y hex, PEM, or a file holding either); repeatable",
        )
        parser.add_argument(
            "--trusted-fingerprint",
            action="append",
            default=[],
            metavar="KEY_ID",
            help="the published fingerprint (SM3 of 04||x||y, hex) of a key you trust; repeatable",
        )
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE|URL",
            help="a checkpoint you (or a witness) kept outside the database; repeatable",
        )
        parser.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="NAME=PUBLIC_KEY",
            help="a witness whose cosignatures you count (its key name and SM2 public key); repeatable",
        )
        parser.add_argument(
            "--min-cosignatures",
            type=int,
            default=0,
            metavar="N",
            help="require a checkpoint co-signed by N of the --witness keys, and hold it like --checkpoint",
        )
        parser.add_argument(
            "--tiles", metavar="DIR|URL", help="tiles to compare with (default: the server's)"
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="processes that check entries (default: one per core)"
        )
        parser.add_argument(
            "--no-key-file", action="store_true", help="do not trust the configured key file's public key"
        )

    def handle(self, *args, skip_blobs=False, **options):
        witnesses = {}
        for spec in options["witness"]:
            name, _, public_key = spec.partition("=")
            if not name or not public_key:
                raise CommandError(f"--witness {spec!r}: expected NAME=PUBLIC_KEY")
            witnesses[name] = public_key
        if options["min_cosignatures"] > len(witnesses):
            raise CommandError("--min-cosignatures is larger than the number of --witness keys given")
        report = verify_log(
            witnesses=witnesses,
            min_cosignatures=options["min_cosignatures"],
            check_blobs=not skip_blobs,
            trusted_keys=options["trusted_key"],
            trusted_fingerprints=options["trusted_fingerprint"],
            checkpoints=options["checkpoint"],
            tile_source=options["tiles"],
            key_file=not options["no_key_file"],
            workers=options["workers"],
        )
        rate = report.entries / report.seconds if report.seconds else 0
        summary = (
            f"{report.entries} entries, {report.checkpoints} checkpoints, {report.blobs_hashed} blobs "
            f"({report.blob_bytes} bytes) in {report.seconds:.2f}s ({rate:.0f} entries/s, {report.processes} processes)"
        )
        trust = (
            f"keys {', '.join(k[:16] + '…' for k in report.keys) or 'none'} "
            f"(trusted: {', '.join(k[:16] + '…' for k in report.trusted_keys) or 'none'}); "
            f"checkpoints held outside: {', '.join(map(str, report.external)) or 'none'}; "
            + (f"co-signed by the witnesses up to {report.witnessed}; " if report.witnessed else "")
            + f"{report.uncovered} entries not yet covered by any checkpoint"
        )
        if not report.ok:
            problems = "\n".join(f"VERIFY FAILED — {p}" for p in report.problems)
            raise CommandError(f"{problems}\nchecked before it: {summary}\n{trust}", returncode=1)
        self.stdout.write(f"verified: {summary}")
        self.stdout.write(trust)
        for note in report.notes:
            self.stdout.write(f"note: {note}")
