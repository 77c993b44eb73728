"""Who may act on a case, the case lock and the ledger subject of a case."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.cases.models import (
    Case,
)
from sanxiang.errors import FieldError, Forbidden, TransitionRefused

JL = "《松原市行政执法全过程记录实施办法》"
FUTURE_SKEW = dt.timedelta(minutes=5)
WRITE_ROLES = (Role.OFFICER, Role.HEAD)


def sealed_error() -> TransitionRefused:
    return TransitionRefused(
        [FieldError("case", "sealed", f"案卷已归档封存，不能再增加记录或变更环节（{JL}第三十二条）")],
        code="case_sealed",
        title="案卷已封存",
    )


def can_act(user, case: Case) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id == case.agency_id
        and any(user.has_role(r) for r in WRITE_ROLES)
    )


def can_open_case(user) -> bool:
    """May ``user`` register cases at all (an officer or head of an agency)? ``case_open`` decides."""
    return (
        getattr(user, "is_authenticated", False)
        and user.agency_id is not None
        and any(user.has_role(r) for r in WRITE_ROLES)
    )


def _require_actor(actor, case: Case) -> None:
    if not can_act(actor, case):
        raise Forbidden("只有本机关的执法人员或负责人可以办理本案")


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency").get(pk=case.pk)


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def _subject(case: Case) -> tuple[str, str]:
    return ("cases.case", str(case.public_id))
