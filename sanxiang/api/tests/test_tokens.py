"""Issue 10, finding 18 (tokens): API tokens expire, can be revoked from the command line, and a client
that keeps presenting bad tokens is throttled with 429 problem+json."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from sanxiang.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _bearer(raw: str, address: str = "198.51.100.9") -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"}, REMOTE_ADDR=address)


def test_10_18_an_issued_token_expires(officer_a, settings):
    settings.SANXIANG_API_TOKEN_DAYS = 30
    token, raw = ApiToken.issue(user=officer_a, name="对接")
    assert _bearer(raw).get("/api/cases/").status_code == 200
    with time_machine.travel(token.expires_at + dt.timedelta(seconds=1)):
        response = _bearer(raw).get("/api/cases/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_10_18_issue_token_takes_a_validity_in_days(officer_a):
    out = StringIO()
    call_command("issue_token", "officer_a", name="对接", days=7, stdout=out, stderr=StringIO())
    token = ApiToken.objects.get()
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 7
    assert _bearer(out.getvalue().strip()).get("/api/cases/").status_code == 200


def test_10_18_revoke_token_by_value_prefix_or_user(officer_a):
    _, first = ApiToken.issue(user=officer_a, name="甲")
    second_token, second = ApiToken.issue(user=officer_a, name="乙")
    _, third = ApiToken.issue(user=officer_a, name="丙")
    call_command("revoke_token", first, stdout=StringIO())
    assert _bearer(first).get("/api/cases/").status_code == 401
    assert _bearer(second).get("/api/cases/").status_code == 200
    call_command("revoke_token", second_token.prefix, stdout=StringIO())
    assert _bearer(second).get("/api/cases/").status_code == 401
    out = StringIO()
    call_command("revoke_token", user="officer_a", stdout=out)
    assert "已撤销 1 个令牌" in out.getvalue()
    assert _bearer(third).get("/api/cases/").status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 3  # revoked, never deleted
    with pytest.raises(CommandError):
        call_command("revoke_token", "sx_nosuch-token", stdout=StringIO())


def test_10_18_repeated_bad_tokens_are_throttled_with_429(officer_a, settings):
    settings.SANXIANG_BAD_TOKEN_LIMIT = 5
    _, good = ApiToken.issue(user=officer_a, name="对接")
    for n in range(5):
        assert _bearer(f"sx_guess-{n}").get("/api/cases/").status_code == 401
    refused = _bearer("sx_guess-6").get("/api/cases/")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["errors"][0]["field"] == "Authorization"
    # the throttled address is refused even with a good token until the window ends …
    assert _bearer(good).get("/api/cases/").status_code == 429
    # … while another address is not affected
    assert _bearer(good, address="198.51.100.10").get("/api/cases/").status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert _bearer(good).get("/api/cases/").status_code == 200
