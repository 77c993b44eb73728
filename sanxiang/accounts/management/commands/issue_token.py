"""``sanxiang issue-token USERNAME --name PURPOSE``: issue an API token for an integrator account."""

from django.core.management.base import BaseCommand, CommandError

from sanxiang.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue a bearer token for the REST API. The token is printed once and stored only as a hash."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for (用途)")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"username: 用户 {username} 不存在或已停用")
        _, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
