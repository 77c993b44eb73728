"""``sanxiang import-laws [FILE …]``: import statute texts (Markdown or plain text) as versions; with
no file, the statutes shipped with the platform. The same text again changes nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.assist import services
from sanxiang.errors import SanxiangError


class Command(BaseCommand):
    help = "导入法律法规文本（Markdown 或纯文本），按版本保存"

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*")

    def handle(self, *args, **options):
        try:
            if options["files"]:
                versions = [
                    services.statute_import(actor=None, text=Path(f).read_text(encoding="utf-8"))
                    for f in options["files"]
                ]
            else:
                versions = services.statutes_import_shipped(actor=None)
        except SanxiangError as exc:
            raise CommandError(str(exc)) from exc
        for v in versions:
            self.stdout.write(f"《{v.statute.title}》{v.label}：{v.articles.count()}条")
