"""``sanxiang rules [--region CODE] [--on DATE]``: every rule in force, with its value and source.

``sanxiang rules recompute --reason TEXT [--key KEY] [--region CODE]``: recompute the stored
deadlines whose rule version is no longer the one in force (explicit and audited; see
:func:`sanxiang.rules.services.recompute_rule_deadlines`).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.errors import SanxiangError
from sanxiang.rules import selectors, services


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期: 应为 YYYY-MM-DD，收到 {text!r}") from None


class Command(BaseCommand):
    help = "列出在施行的执法规则及其依据；recompute 按现行规则重算已保存的期限"

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["list", "recompute"], default="list")
        parser.add_argument("--region", default="", help="行政区划代码，如 220702")
        parser.add_argument("--on", default="", help="日期 YYYY-MM-DD（默认今日）")
        parser.add_argument("--key", default="", help="recompute: 只重算这一条规则的期限")
        parser.add_argument("--reason", default="", help="recompute: 记录在案的原因（必填）")

    def handle(self, *args, action="list", region="", on="", key="", reason="", **options):
        try:
            if action == "recompute":
                self._recompute(region=region, key=key, reason=reason)
            else:
                self._list(region=region, day=_date(on) if on else timezone.localdate())
        except SanxiangError as exc:
            raise CommandError(str(exc)) from None

    def _list(self, *, region: str, day: dt.date) -> None:
        in_force = selectors.profile_for(region=region, on=day)
        where = f"行政区划 {region}" if region else "全国默认"
        self.stdout.write(f"{where} {day.isoformat()} 适用规则配置：{in_force.profile.name}")
        group = None
        for rule in selectors.rules_in_force(region=region, on=day):
            if rule.group != group:
                group = rule.group
                self.stdout.write(f"\n【{group}】")
            value = rule.display_value
            self.stdout.write(f"{rule.key}\t{rule.title}\t{value}\t{rule.citation}\t[{rule.profile_name}]")
            self.stdout.write(f"\t{rule.label}" + (f"（{rule.note}）" if rule.note else ""))

    def _recompute(self, *, region: str, key: str, reason: str) -> None:
        report = services.recompute_rule_deadlines(
            actor="system:sanxiang-rules-recompute", reason=reason, key=key, region=region
        )
        self.stdout.write(
            f"检查已保存期限 {report.examined} 个：重算 {report.changed} 个，届满日变动 {report.moved} 个，"
            f"新规则未规定期限而保留 {report.skipped} 个（重算记录 {report.run.pk if report.run else '-'}）"
        )
