"""``sanxiang export-proof SEQ DIR``: write a bundle that the standalone verifier checks offline."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.accounts.models import User
from sanxiang.errors import SanxiangError
from sanxiang.ledger.bundle import export_bundle


class Command(BaseCommand):
    help = "导出一条记录的证明包（记录、存证文件、包含证明、签名树头、公钥），供离线核验。"

    def add_arguments(self, parser):
        parser.add_argument("seq", type=int)
        parser.add_argument("directory", type=Path)
        parser.add_argument("--checkpoint", type=int, help="tree size of the checkpoint (default: latest)")
        parser.add_argument("--actor", required=True, help="username of who exports (recorded in 调阅记录)")
        parser.add_argument("--purpose", required=True, help="why (recorded in 调阅记录)")
        parser.add_argument("--no-blobs", action="store_true", help="leave the blob files out")

    def handle(self, *args, seq, directory, checkpoint=None, actor, purpose, no_blobs=False, **options):
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {actor!r}")
        try:
            written = export_bundle(
                actor=user, seq=seq, directory=directory, size=checkpoint, purpose=purpose, blobs=not no_blobs
            )
        except SanxiangError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"bundle written to {directory}: {', '.join(written)}")
        self.stdout.write(f"check it with: python -m sanxiang.ledger.verifier {directory}")
