"""Small helpers every router shares: local ISO 8601 times and the Idempotency-Key header."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from sanxiang.errors import FieldError, InvalidInput

IDEMPOTENCY_KEY_MAX = 100


def local_iso(moment: dt.date | dt.datetime | None) -> str | None:
    """A datetime as ISO 8601 with the Asia/Shanghai offset; a date as YYYY-MM-DD (DESIGN.md, API conventions)."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat()


def idempotency_key(request: HttpRequest) -> str:
    """The caller's idempotency key, or "" when none was sent; too long a key is refused, never cut.

    The one reader of every idempotency key: the API's ``Idempotency-Key`` header, or a staff form's
    hidden ``idempotency_key`` field (sent once per rendered form, so a double submit is one action).
    """
    key = (request.headers.get("Idempotency-Key") or "").strip()
    if not key and request.method == "POST":
        key = (request.POST.get("idempotency_key") or "").strip()
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise InvalidInput(
            [FieldError("Idempotency-Key", "max_length", f"幂等键: 不超过{IDEMPOTENCY_KEY_MAX}字符")]
        )
    return key
