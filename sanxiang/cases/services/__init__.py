"""Every write to a case: open, add a record, move the stage, approve, extend, assign officers.

Each runs in one ``transaction.atomic()``, locks the case row (two officers may act at once), checks
every rule before writing anything, and writes its ledger entry in the same transaction — a refused
request leaves no row and no entry. Stage moves are decided by the procedure definition through
the engine (``check_transition``); nothing here knows the stages by name.

The services are split by aggregate into the modules of this package; every public name is
imported here, so ``from sanxiang.cases.services import x`` keeps working."""

from sanxiang.cases.services.approvals import (
    _approval_locked,
    _opinion_errors,
    _require_member,
    _step,
    approval_decide,
    approval_review,
    approval_submit,
)
from sanxiang.cases.services.common import (
    FUTURE_SKEW,
    JL,
    WRITE_ROLES,
    _iso,
    _lock,
    _require_actor,
    _subject,
    can_act,
    can_open_case,
    sealed_error,
)
from sanxiang.cases.services.opening import (
    _matter,
    _officers_checked,
    _parties_checked,
    case_assign_officer,
    case_open,
)
from sanxiang.cases.services.records import (
    _blob_rows,
    _numbered,
    _officers_minimum,
    _officers_present,
    _owed_records,
    _record_checked,
    _write_record,
    record_add,
    record_add_from_app,
)
from sanxiang.cases.services.transitions import (
    _move,
    case_extend,
    case_transition,
)

# The permission error callers have long caught as ``services.Forbidden`` (its one owner is errors.py).
from sanxiang.errors import Forbidden

__all__ = [
    "FUTURE_SKEW",
    "JL",
    "WRITE_ROLES",
    "Forbidden",
    "_approval_locked",
    "_blob_rows",
    "_iso",
    "_lock",
    "_matter",
    "_move",
    "_numbered",
    "_officers_checked",
    "_officers_minimum",
    "_officers_present",
    "_opinion_errors",
    "_owed_records",
    "_parties_checked",
    "_record_checked",
    "_require_actor",
    "_require_member",
    "_step",
    "_subject",
    "_write_record",
    "approval_decide",
    "approval_review",
    "approval_submit",
    "can_act",
    "can_open_case",
    "case_assign_officer",
    "case_extend",
    "case_open",
    "case_transition",
    "record_add",
    "record_add_from_app",
    "sealed_error",
]
