"""Every write of the legal review (《松原市重大行政执法决定法制审核办法》).

Each service is keyword-only, takes the acting user, runs in one ``transaction.atomic()``, locks the
round (or the case) where two people can act at once, checks every rule before writing, and writes
its ledger entry in the same transaction: a refused request writes nothing.

The services are split by aggregate into the modules of this package; every public name is
imported here, so ``from sanxiang.review.services import x`` keeps working."""

from sanxiang.review.services.common import (
    CF,
    EVIDENCE_EXCLUDED,
    INDEPENDENCE_SOURCE,
    REVIEW_GUARD,
    _assign,
    _iso,
    _legal_office,
    _lock_round,
    _refused,
    _registration_user,
    _require_head,
    _require_reviewer,
    _review_stage,
    _subject,
    _to_review,
    _workload,
    current_reviewer,
    eligible_reviewers,
    excluded_users,
    has_review,
    is_handler,
    may_submit_from,
    passed_for,
    proposal_of,
    requested_for,
    review_transition,
)
from sanxiang.review.services.discussion import (
    disagreement_raise,
    disagreement_rule,
    discussion_record,
)
from sanxiang.review.services.opinion import (
    _document,
    checklist_and_opinion,
    checklist_mark,
    checklist_mark_all,
    checklist_state,
    opinion_issue,
)
from sanxiang.review.services.rounds import (
    adviser_add,
    materials_read,
    materials_request,
    materials_supply,
    review_reassign,
)
from sanxiang.review.services.submission import (
    DEADLINE_FIELDS,
    _blobs_checked,
    _deadline,
    _materials,
    _record_ref,
    _region,
    review_extension_rule,
    review_period_rule,
    review_submit,
)
from sanxiang.review.services.sweep import (
    overdue_sweep,
)
from sanxiang.review.services.time_limit import (
    _granted_days,
    extension_request,
    extension_rule,
)

__all__ = [
    "CF",
    "DEADLINE_FIELDS",
    "EVIDENCE_EXCLUDED",
    "INDEPENDENCE_SOURCE",
    "REVIEW_GUARD",
    "_assign",
    "_blobs_checked",
    "_deadline",
    "_document",
    "_granted_days",
    "_iso",
    "_legal_office",
    "_lock_round",
    "_materials",
    "_record_ref",
    "_refused",
    "_region",
    "_registration_user",
    "_require_head",
    "_require_reviewer",
    "_review_stage",
    "_subject",
    "_to_review",
    "_workload",
    "adviser_add",
    "checklist_and_opinion",
    "checklist_mark",
    "checklist_mark_all",
    "checklist_state",
    "current_reviewer",
    "disagreement_raise",
    "disagreement_rule",
    "discussion_record",
    "eligible_reviewers",
    "excluded_users",
    "extension_request",
    "extension_rule",
    "has_review",
    "is_handler",
    "materials_read",
    "materials_request",
    "materials_supply",
    "may_submit_from",
    "opinion_issue",
    "overdue_sweep",
    "passed_for",
    "proposal_of",
    "requested_for",
    "review_extension_rule",
    "review_period_rule",
    "review_reassign",
    "review_submit",
    "review_transition",
]
