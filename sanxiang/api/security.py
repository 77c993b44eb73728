"""API authentication: bearer tokens for integrators, the session for the staff site's own calls.

A token is valid until it is revoked (``sanxiang revoke-token``) or expires (``expires_at``). A client
address that presents ``SANXIANG_BAD_TOKEN_LIMIT`` bad tokens within the window is answered 429
problem+json, good token or not, until the window ends: tokens cannot be guessed at speed.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from sanxiang.accounts.models import ApiToken, User
from sanxiang.api import throttle

BAD_TOKEN_SCOPE = "bad_token"  # noqa: S105 (a throttle scope name, not a secret)


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _limits() -> dict:
    return {
        "limit": settings.SANXIANG_BAD_TOKEN_LIMIT,
        "window": timedelta(minutes=settings.SANXIANG_BAD_TOKEN_WINDOW_MINUTES),
    }


def _refused() -> throttle.Throttled:
    minutes = settings.SANXIANG_BAD_TOKEN_WINDOW_MINUTES
    return throttle.Throttled(
        f"Authorization: 无效的接口令牌过多，请 {minutes} 分钟后再试", field="Authorization"
    )


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        client = _client(request)
        if throttle.exceeded(BAD_TOKEN_SCOPE, client, **_limits()):
            raise _refused()
        found = ApiToken.find_active(token)
        if found is None:
            if not throttle.take(BAD_TOKEN_SCOPE, client, **_limits()):
                raise _refused()
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(NinjaSessionAuth):
    """Django session (CSRF-checked for unsafe methods)."""
