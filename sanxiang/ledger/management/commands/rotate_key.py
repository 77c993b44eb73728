"""``sanxiang rotate-key NEW_KEY_FILE``: hand checkpoint signing to a new SM2 key, as a logged event.

The previous key signs a checkpoint over everything so far, then a ``ledger.key_rotated`` entry
signed by both keys, then the new key replaces the configured key file (the old file is kept beside
it as ``…retired-<key id>``: archive it offline) and signs a checkpoint covering the rotation.
Publish the new key's fingerprint where verifiers look for it."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.ledger import services, signing


class Command(BaseCommand):
    help = "更换签名密钥：由旧密钥和新密钥共同签署的更换记录写入存证，此后由新密钥签发签名树头。"

    def add_arguments(self, parser):
        parser.add_argument("new_key", type=Path, help="the new SM2 private key (hex or PKCS#8/SEC1 PEM)")

    def handle(self, *args, new_key: Path, **options):
        try:
            key = signing.load_key(new_key)
            entry = services.rotate_key(key)
        except (OSError, signing.KeyFileError, services.KeyNotInChain) as exc:
            raise CommandError(str(exc)) from exc
        statement = entry.fields["payload"]["statement"]
        self.stdout.write(
            f"key rotated at entry #{entry.seq}: {statement['previous_key_id']} → {statement['key_id']}\n"
            f"publish the new fingerprint: {statement['key_id']}"
        )
