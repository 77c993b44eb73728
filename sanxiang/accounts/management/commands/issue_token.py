"""``sanxiang issue-token USERNAME --name PURPOSE [--days N]``: issue an API token for an integrator account."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue a bearer token for the REST API. The token is printed once and stored only as a hash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for (用途)")
        parser.add_argument("--days", type=int, default=None, help="valid for this many days (default 365)")

    def handle(self, *args, username: str, name: str, days: int | None, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"username: 用户 {username} 不存在或已停用")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days: 有效期应为 1 至 3660 天")
        token, raw = ApiToken.issue(user=user, name=name, days=days)
        self.stderr.write(f"令牌 {token.prefix}… 有效期至 {token.expires_at:%Y-%m-%d %H:%M}（UTC）")
        self.stdout.write(raw)
