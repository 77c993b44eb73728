"""``sanxiang import-entities FILE``: import the 市场主体名录库 from CSV or XLSX.

Exit status: 0 when the import was committed (bad rows skipped with --skip-bad-rows are listed),
1 when errors blocked it (nothing was written), 2 for a usage error (unknown user).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from sanxiang.exports import safe_row
from sanxiang.registry.importing import ExistingPolicy, ImportReport, market_entities_import

EXIT_BLOCKED = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = "从 CSV 或 XLSX 导入市场主体名录库（统一社会信用代码、名称、主体类型、法定代表人、行政区划代码……）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV（UTF-8 或 GB18030）或 XLSX 文件")
        parser.add_argument(
            "--encoding",
            help="CSV 编码，如 utf-8、gb18030；默认自动识别（UTF-8，带或不带 BOM，否则 GB18030）",
        )
        parser.add_argument(
            "--existing",
            choices=[p.value for p in ExistingPolicy],
            default=ExistingPolicy.UPDATE.value,
            help="名录库中已有的统一社会信用代码：update 更新（默认），refuse 报错",
        )
        parser.add_argument(
            "--skip-bad-rows",
            action="store_true",
            help="跳过有错误的行，导入其余各行（默认：有任何错误则全部不导入）",
        )
        parser.add_argument(
            "--errors-file", help="把全部错误写入此 CSV 文件（UTF-8 带 BOM，可用 Excel 打开）"
        )
        parser.add_argument("--show-errors", type=int, default=20, help="屏幕上最多显示的错误条数（默认 20）")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批写入的行数（默认 2000）")
        parser.add_argument("--actor", help="执行导入的用户名（默认：控制台操作员）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options) -> None:
        actor = None
        if options["actor"]:
            try:
                actor = get_user_model().objects.get(username=options["actor"])
            except get_user_model().DoesNotExist:
                raise CommandError(
                    f"--actor: 用户「{options['actor']}」不存在", returncode=EXIT_USAGE
                ) from None

        bar: tqdm | None = None

        def on_start(total: int | None) -> None:
            nonlocal bar
            bar = tqdm(
                total=total,
                unit="行",
                desc="导入市场主体",
                disable=True if options["no_progress"] else None,  # None: only on a terminal
                file=self.stderr._out,
            )

        def on_progress(done: int) -> None:
            if bar is not None:
                bar.update(done)

        try:
            report = market_entities_import(
                actor=actor,
                path=options["file"],
                encoding=options["encoding"],
                existing=options["existing"],
                skip_bad_rows=options["skip_bad_rows"],
                batch_size=options["batch_size"],
                on_start=on_start,
                on_progress=on_progress,
            )
        finally:
            if bar is not None:
                bar.close()

        self._print_errors(report, limit=options["show_errors"])
        if options["errors_file"] and report.errors:
            try:
                write_errors_csv(report, Path(options["errors_file"]))
            except OSError as exc:
                raise CommandError(f"--errors-file: 无法写入 ({exc})", returncode=EXIT_USAGE) from None
            self.stderr.write(f"全部 {len(report.errors)} 条错误已写入 {options['errors_file']}")

        summary = (
            f"读取 {report.rows_read} 行：新增 {report.imported}，更新 {report.updated}，"
            f"未变化 {report.unchanged}，跳过 {report.skipped}"
        )
        if report.ignored_columns:
            self.stderr.write(f"未识别的列已忽略: {'、'.join(report.ignored_columns)}")
        if report.blocked:
            raise CommandError(
                f"导入未执行，名录库未作任何改动：共 {len(report.errors)} 处错误。"
                "改正后重新导入，或使用 --skip-bad-rows 跳过错误行。",
                returncode=EXIT_BLOCKED,
            )
        self.stdout.write(self.style.SUCCESS(f"导入完成。{summary}"))

    def _print_errors(self, report: ImportReport, *, limit: int) -> None:
        for error in report.errors[:limit]:
            self.stderr.write(str(error))
        hidden = len(report.errors) - limit
        if hidden > 0:
            self.stderr.write(f"……另有 {hidden} 条错误未显示（用 --errors-file 导出全部）")


ERRORS_HEADER = ["行号", "字段", "值", "规则", "说明"]


def write_errors_csv(report: ImportReport, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ERRORS_HEADER)
        for error in report.errors:
            writer.writerow(safe_row([error.line, error.label, error.value, error.rule, error.message]))
