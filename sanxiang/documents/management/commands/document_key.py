"""``sanxiang document-key list AGENCY`` and ``sanxiang document-key rotate AGENCY --reason …
[--key FILE]``: an agency's SM2 document-signing keys (decision 0028).

``AGENCY`` is the agency's 统一社会信用代码 or its public id. ``rotate`` hands the agency's signing to
a new key — the key in ``FILE`` (hex, or a PKCS#8/SEC1 PEM such as an SM2 电子签章 key from a CA) or
one generated here — as one ledger entry signed by the old and the new key; the old key file is kept
beside the new one as ``…retired-<key id>``: archive it offline. Documents already issued keep
verifying against the key that signed them."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sanxiang.documents import selectors, services
from sanxiang.errors import SanxiangError
from sanxiang.ledger import signing
from sanxiang.registry.models import Agency


class Command(BaseCommand):
    help = "执法文书签名密钥：列出某执法主体的公钥（list），或更换其签名密钥（rotate）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "rotate"], help="list 列出公钥；rotate 更换密钥")
        parser.add_argument("agency", help="执法主体的统一社会信用代码或公开编号")
        parser.add_argument("--reason", default="", help="更换理由（rotate 必填）")
        parser.add_argument("--key", type=Path, help="启用的新私钥文件（十六进制或 PEM）；不给则新生成")

    def handle(self, *args, action: str, agency: str, reason: str, key: Path | None, **options) -> None:
        found = _agency(agency)
        if action == "rotate":
            try:
                new = signing.load_key(key) if key else None
                row = services.agency_key_rotate(agency=found, reason=reason, new=new, actor="operator:cli")
            except (OSError, signing.KeyFileError) as exc:
                raise CommandError(f"--key: {exc}") from exc
            except SanxiangError as exc:
                raise CommandError("；".join(e.message for e in exc.errors) or exc.title) from exc
            self.stdout.write(f"{found.name} 的文书签名密钥已更换为 {row.key_id}（存证 #{row.ledger_seq}）")
        for k in selectors.agency_public_keys(found):
            created = timezone.localtime(k.created_at)
            self.stdout.write(
                f"{k.key_id}  启用于 {created:%Y-%m-%d %H:%M}  存证 #{k.ledger_seq}  公钥 {k.public_key}"
            )


def _agency(text: str) -> Agency:
    import contextlib
    import uuid

    query = Agency.objects.filter(credit_code=text)
    with contextlib.suppress(ValueError):  # not a public id: the credit code alone
        query = query | Agency.objects.filter(public_id=uuid.UUID(text))
    found = query.first()
    if found is None:
        raise CommandError(f"agency: 未找到执法主体 {text}")
    return found
