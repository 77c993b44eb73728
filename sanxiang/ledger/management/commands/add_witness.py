"""``sanxiang add-witness NAME PUBLIC_KEY``: accept the cosignatures of a witness from now on."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sanxiang.errors import SanxiangError
from sanxiang.ledger import services


class Command(BaseCommand):
    help = "登记见证方（名称与 SM2 公钥），此后接受其对签名树头的见证签名。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="the witness's key name, as `sanxiang witness show` prints it")
        parser.add_argument("public_key", help="its SM2 public key, 04||x||y hex")
        parser.add_argument("--description", default="", help="who it is (shown on the public ledger page)")

    def handle(self, *args, name: str, public_key: str, description: str = "", **options):
        try:
            witness = services.witness_add(name=name, public_key=public_key, description=description)
        except SanxiangError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"witness {witness.name} registered")
