"""``sanxiang revoke-token TOKEN_OR_PREFIX`` or ``sanxiang revoke-token --user USERNAME``: revoke API tokens.

A token is named by its raw value or by the prefix the admin lists (``sx_…``, 8 characters); a
prefix that names more than one token is refused. ``--user`` revokes every token of the account.
Revocation takes effect at the next request; the row stays (revoked_at is set), nothing is deleted.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.accounts.models import ApiToken, _hash_token


class Command(BaseCommand):
    help = "Revoke an API token (by value or prefix), or every token of a user (--user)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", nargs="?", help="the token, or its 8-character prefix")
        parser.add_argument("--user", help="revoke every token of this username")

    def handle(self, *args, token: str | None, user: str | None, **options) -> None:
        if bool(token) == bool(user):
            raise CommandError("请给出一个令牌（或其前缀），或用 --user 指定账号")
        if user:
            tokens = ApiToken.objects.filter(user__username=user)
            if not tokens.exists():
                raise CommandError(f"--user: 账号 {user} 没有接口令牌")
        else:
            assert token is not None
            tokens = ApiToken.objects.filter(digest=_hash_token(token))
            if not tokens.exists():
                tokens = ApiToken.objects.filter(prefix=token[:8]) if len(token) == 8 else tokens
            if tokens.count() > 1:
                raise CommandError(f"前缀 {token} 对应多个令牌：请给出完整令牌，或用 --user")
            if not tokens.exists():
                raise CommandError("token: 未找到该令牌")
        count = ApiToken.revoke(tokens)
        self.stdout.write(f"已撤销 {count} 个令牌")
