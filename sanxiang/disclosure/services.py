"""Disclosure (公示) services: every write of the disclosure app.

Interface for the cases app — reached through its decision hooks (``sanxiang.disclosure.decisions``,
installed in ``DisclosureConfig.ready()``), in the transaction that makes the decision final::

    from sanxiang.disclosure.services import disclosure_duty_create

    duty = disclosure_duty_create(
        actor=user,                      # the user who made or recorded the decision
        agency=case.agency,              # registry.Agency
        source_kind="penalty",           # "penalty" | "licensing" | "other" | "inspection"
        source_ref=case_public_id,       # case public id or document number; (agency, kind, ref, party) is unique
        decided_on=dt.date(2026, 3, 2),  # 决定日期 (检查结束之日 for inspections)
        party=party,                     # registry.Party or None
        fields={...},                    # the 双公示 items of that kind, see sanxiang.disclosure.fields
        document_sm3="…",                # optional: SM3 of the signed decision document
    )
    duty.due_date                        # the registry's period for the agency's region (rule_version kept)

The call is idempotent: the same (agency, kind, ref, party) with the same items returns the existing
duty; different items are refused (use ``disclosure_duty_update``). A decision against several
parties has one duty per party (the natural key includes the party). A minor party is exempted at once
(公示办法 第十八条第一项). When a decision is later changed, revoked or found unlawful, call
``disclosure_withdrawal_order(...)`` (行政处罚法 第四十八条: withdrawn within 3 working days).

Then the disclosure officer works the queue: ``disclosure_draft_create`` (marks text to hide),
``disclosure_draft_review`` (internal review, 公示办法 第三十条: only an approved draft is
published, by someone other than its author), ``disclosure_exempt``, ``disclosure_withdraw``,
``correction_request_decide``; ``disclosure_sweep`` runs periodically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.api import throttle
from sanxiang.disclosure import fields as F
from sanxiang.disclosure import rules, search
from sanxiang.disclosure.models import (
    EVENT_GROUNDS,
    CorrectionRequest,
    Draft,
    DraftReview,
    Duty,
    Exemption,
    Publication,
    PublicDecision,
    PublicLogEntry,
    WebhookDelivery,
    WebhookReceiver,
    Withdrawal,
    WithdrawalGround,
    WithdrawalOrder,
)
from sanxiang.disclosure.redaction import public_record
from sanxiang.errors import FieldError, Forbidden, InvalidInput, NotFound, SanxiangError, TransitionRefused
from sanxiang.ledger.services import canonical, record
from sanxiang.ledger.verifier import sm3
from sanxiang.registry.models import Agency, Party
from sanxiang.registry.selectors import agency_scope
from sanxiang.rules.selectors import Rule
from sanxiang.workdays.services import add_working_days

SYSTEM = "system:disclosure"

# Error constants (tests reuse them).
RULE_REVIEW_REQUIRED = "internal_review"  # 公示办法 第三十条
RULE_FOUR_EYES = "reviewer_not_author"  # 公示办法 第三十条: 内部审核
RULE_MINOR = "minor_party"  # 公示办法 第十八条第一项
RULE_MINOR_UNKNOWN = "minor_unknown"
RULE_CORRECTION_RATE = "rate_limited"
RULE_CORRECTION_IDENTICAL = "correction_identical"  # 公示办法 第三十、三十一条
CORRECTION_IDENTICAL_MESSAGE = (
    "更正稿: 与已公示的版本完全相同，不能作为更正发布；请修改不准确的数据项"
    "（《松原市行政执法公示办法》第三十、三十一条）"
)


def may_handle(actor, agency: Agency) -> bool:
    """May ``actor`` draft, review, exempt or withdraw the agency's disclosures (the staff page offers
    those buttons only then)?"""
    try:
        _role_in(actor, agency, DISCLOSURE_ROLES)
    except (Forbidden, NotFound):
        return False
    return True


def _role_in(actor, agency: Agency, roles: tuple[Role, ...]) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden("需要登录")
    scope = agency_scope(actor)
    if scope is not None and not Agency.objects.filter(scope, pk=agency.pk).exists():
        raise NotFound("duty")
    if actor.is_superuser or actor.has_role(Role.ADMINISTRATOR):
        return
    if actor.agency_id != agency.pk or not any(actor.has_role(r) for r in roles):
        names = "、".join(str(r.label) for r in roles)
        raise Forbidden(f"办理人: 须为本机关的{names}")


DISCLOSURE_ROLES = (Role.DISCLOSURE_OFFICER, Role.HEAD)
DECISION_ROLES = (Role.OFFICER, Role.HEAD, Role.DISCLOSURE_OFFICER)


def _subject(duty: Duty) -> tuple[str, str]:
    return ("disclosure.duty", str(duty.public_id))


# ----------------------------------------------------------------------------- deadlines


def deadline_rule_for(*, agency: Agency, source_kind: str, decided_on: dt.date) -> Rule:
    """The rule (working days, with its source) for disclosing a decision of ``source_kind`` made
    on ``decided_on`` by ``agency``: the registry's rule for the agency's region on that date."""
    return rules.period_rule(source_kind, region=agency.region_code, on=decided_on)


# ----------------------------------------------------------------------------- duties


def _check_duty_input(*, agency, source_kind, source_ref, decided_on, party, fields) -> dict:
    errors: list[FieldError] = []
    if not isinstance(agency, Agency):
        errors.append(FieldError("agency", "required", "执法主体: 必须指定"))
    if source_kind not in F.SOURCE_KINDS:
        errors.append(FieldError("source_kind", "choice", f"决定类别: 应为 {'、'.join(F.SOURCE_KINDS)} 之一"))
    if not isinstance(source_ref, str) or not source_ref.strip() or len(source_ref) > 100:
        errors.append(FieldError("source_ref", "required", "来源编号: 必须填写，不超过100字符"))
    if type(decided_on) is not dt.date:
        errors.append(FieldError("decided_on", "local_date", "决定日期: 应为日期"))
    elif decided_on > timezone.localdate():
        errors.append(FieldError("decided_on", "not_future", "决定日期: 不得晚于今天"))
    if party is not None and not isinstance(party, Party):
        errors.append(FieldError("party", "party", "行政相对人: 应为名录库中的相对人"))
    if source_kind in (F.PENALTY, F.LICENSING) and party is None:
        errors.append(FieldError("party", "required", "行政相对人: 行政处罚和行政许可的双公示必须有相对人"))
    clean: dict = {}
    if source_kind in F.SOURCE_KINDS:
        clean, item_errors = F.clean_fields(source_kind, fields)
        errors += item_errors
    if errors:
        raise InvalidInput(errors)
    return clean


def disclosure_duty_create(
    *,
    actor,
    agency: Agency,
    source_kind: str,
    source_ref: str,
    decided_on: dt.date,
    party: Party | None,
    fields: dict,
    document_sm3: str = "",
) -> Duty:
    """Create the disclosure duty of a decision, with its deadline; see the module docstring."""
    clean = _check_duty_input(
        agency=agency,
        source_kind=source_kind,
        source_ref=source_ref,
        decided_on=decided_on,
        party=party,
        fields=fields,
    )
    if document_sm3 and (len(document_sm3) != 64 or any(c not in "0123456789abcdef" for c in document_sm3)):
        raise InvalidInput([FieldError("document_sm3", "hex64", "决定文书 SM3: 应为64位小写十六进制")])
    _role_in(actor, agency, DECISION_ROLES)
    source_ref = source_ref.strip()
    with transaction.atomic():
        existing = (
            Duty.objects.select_for_update()
            .filter(agency=agency, source_kind=source_kind, source_ref=source_ref)
            .filter(Q(party=party) if party is not None else Q(party__isnull=True))
            .first()
        )
        if existing is not None:
            if existing.fields == clean and existing.decided_on == decided_on:
                return existing  # a retry of the same call
            raise TransitionRefused(
                [FieldError("source_ref", "duplicate", "来源编号: 该决定已有公示义务；内容变化请用决定变更")]
            )
        rule = deadline_rule_for(agency=agency, source_kind=source_kind, decided_on=decided_on)
        duty = Duty(
            agency=agency,
            source_kind=source_kind,
            source_ref=source_ref,
            decided_on=decided_on,
            party=party,
            fields=clean,
            document_sm3=document_sm3,
            rule_source=rule.citation[:200],
            created_by=actor,
        )
        # 自该信息形成之日起 N 个工作日内 (the day it is formed is not counted); the duty keeps the
        # rule version: a later rule change moves it only through ``sanxiang rules recompute``
        duty.set_deadline(
            add_working_days(decided_on, rule.days, region=agency.region_code),
            region=agency.region_code,
            rule=rule,
        )
        duty.save()
        record(
            kind="disclosure.duty_created",
            subject=_subject(duty),
            actor=actor,
            payload={
                "source_kind": source_kind,
                "source_ref": source_ref,
                "decided_on": decided_on.isoformat(),
                "party": str(party.public_id) if party else None,
                "fields": clean,
                "document_sm3": document_sm3,
                "due_date": duty.due_date.isoformat(),
                "rule": rule.citation,
                "rule_version": rule.version_id,
            },
        )
        if party is not None and party.is_minor_on(decided_on):
            # 公示办法 第十八条第一项: 行政相对人是未成年人的，不予公开 — withheld automatically
            _exempt(
                actor=SYSTEM,
                duty=duty,
                ground=Exemption.Ground.MINOR,
                explanation="行政相对人作出决定时未满十八周岁，系统自动不予公开",
                automatic=True,
                user=None,
            )
        else:
            _draft(duty=duty, actor=actor, fields=clean, marks=[], purpose=Draft.Purpose.INITIAL, reason="")
    return duty


def _duty_by_source(*, agency, source_kind, source_ref, party, lock=False) -> Duty:
    """The duty of (agency, kind, ref) — of ``party`` when given; without a party, the only one."""
    duties = Duty.objects.filter(agency=agency, source_kind=source_kind, source_ref=source_ref)
    if lock:
        duties = duties.select_for_update()
    if party is not None:
        duties = duties.filter(party=party)
    found = list(duties.order_by("id")[:2])
    if not found:
        raise NotFound("duty")
    if len(found) > 1:
        raise InvalidInput(
            [FieldError("party", "required", "行政相对人: 该决定有多个相对人，须指明是哪一个相对人的公示")]
        )
    return found[0]


def duty_for(user, public_id) -> Duty:
    from sanxiang.disclosure.selectors import visible_duties

    duty = visible_duties(user).filter(public_id=public_id).first()
    if duty is None:
        raise NotFound("duty")
    return duty


# ----------------------------------------------------------------------------- drafts and review


def _public_for(duty: Duty, fields: dict, marks: list[str]) -> dict:
    until = rules.publication_until(
        duty.source_kind, duty.decided_on, fields.get("severity"), region=duty.agency.region_code
    )
    public, _found = public_record(
        kind=duty.source_kind,
        fields=fields,
        party=duty.party,
        agency=duty.agency,
        marks=marks,
        decided_on=duty.decided_on.isoformat(),
        publication_until=until.isoformat() if until else "",
        case_number=duty.source_ref,
    )
    public.pop("severity", None)
    return public


def _draft(*, duty, actor, fields, marks, purpose, reason, correction_request=None, public=None) -> Draft:
    number = (duty.drafts.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = Draft.objects.create(
        duty=duty,
        number=number,
        purpose=purpose,
        fields=fields,
        marks=marks,
        public=public if public is not None else _public_for(duty, fields, marks),
        reason=reason,
        correction_request=correction_request,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        kind="disclosure.draft_created",
        subject=_subject(duty),
        actor=actor,
        payload={"draft": number, "purpose": purpose, "marks": marks, "fields": fields, "reason": reason},
    )
    return draft


def _clean_marks(marks) -> list[str]:
    if not isinstance(marks, list | tuple) or not all(isinstance(m, str) for m in marks):
        raise InvalidInput([FieldError("marks", "list", "标记隐去的文字: 应为文字列表")])
    clean = []
    for mark in marks:
        mark = mark.strip()
        if mark and mark not in clean:
            if len(mark) < 2:
                raise InvalidInput([FieldError("marks", "min_length", f"标记隐去的文字: “{mark}”至少2个字")])
            clean.append(mark)
    return clean


def disclosure_draft_create(
    *,
    actor,
    duty: Duty,
    fields: dict | None = None,
    marks=(),
    purpose: str = Draft.Purpose.INITIAL,
    reason: str = "",
) -> Draft:
    """A new draft: changed items (``fields``) or extra text to hide (``marks``) — for internal review."""
    _role_in(actor, duty.agency, DISCLOSURE_ROLES)
    return _draft_create(actor=actor, duty=duty, fields=fields, marks=marks, purpose=purpose, reason=reason)


def _draft_create(*, actor, duty, fields, marks, purpose, reason, replace_items=False) -> Draft:
    marks = _clean_marks(list(marks))
    if purpose not in Draft.Purpose.values:
        raise InvalidInput([FieldError("purpose", "choice", "用途: 应为 首次公示、决定变更 或 更正")])
    with transaction.atomic():
        duty = Duty.objects.select_for_update(of=("self",)).select_related("agency", "party").get(pk=duty.pk)
        if duty.status in (Duty.Status.EXEMPT, Duty.Status.WITHDRAWN):
            raise TransitionRefused(
                [FieldError("duty", "status", f"公示义务: 已{duty.get_status_display()}，不能再拟稿")]
            )
        if purpose != Draft.Purpose.INITIAL and not (reason or "").strip():
            raise InvalidInput([FieldError("reason", "required", "理由: 更正或变更必须说明理由（公开）")])
        if purpose == Draft.Purpose.INITIAL and duty.status == Duty.Status.PUBLISHED:
            raise TransitionRefused([FieldError("purpose", "published", "用途: 已公示的决定只能更正或变更")])
        latest = duty.drafts.order_by("-number").first()
        if fields is None:
            clean = latest.fields if latest else duty.fields
        else:
            clean, errors = F.clean_fields(duty.source_kind, fields)
            if errors:
                raise InvalidInput(errors)
        if not marks and latest is not None and purpose != Draft.Purpose.INITIAL:
            marks = list(latest.marks)
        public = _public_for(duty, clean, marks)
        if purpose == Draft.Purpose.CORRECTION:
            _refuse_identical_correction(duty, public)
        if replace_items:
            Duty.objects.filter(pk=duty.pk).update(fields=clean)
            duty.fields = clean
        return _draft(
            duty=duty,
            actor=actor,
            fields=clean,
            marks=marks,
            purpose=purpose,
            reason=(reason or "").strip(),
            public=public,
        )


def _published_public(duty: Duty) -> dict | None:
    """The public form of the version the public sees now (None before the first publication)."""
    return duty.publications.order_by("-version").values_list("public", flat=True).first()


def _refuse_identical_correction(duty: Duty, public: dict) -> None:
    """A correction must correct (公示办法 第三十一条: 不准确的应当及时更正): a version identical to the
    published one is refused — it would be published as 已更正 with the wrong data unchanged."""
    if _published_public(duty) == public:
        raise TransitionRefused(
            [FieldError("fields", RULE_CORRECTION_IDENTICAL, CORRECTION_IDENTICAL_MESSAGE)]
        )


def public_changes(kind: str, before: dict | None, after: dict) -> list[dict]:
    """The public items that differ between two public forms, as (label, before, after) in the national
    order — both sides redacted (they are what the public saw and sees)."""
    if before is None:
        return []
    keys = [key for _name, key in F.COLUMNS[kind]] + ["attachments"]
    changes = []
    for key in keys:
        old, new = before.get(key, ""), after.get(key, "")
        if old in (None, "", []) and new in (None, "", []):
            continue
        if old != new:
            changes.append(
                {
                    "key": key,
                    "label": F.label_for(kind, key),
                    "before": "；".join(old) if isinstance(old, list) else str(old or ""),
                    "after": "；".join(new) if isinstance(new, list) else str(new or ""),
                }
            )
    return changes


def disclosure_duty_update(
    *,
    actor,
    agency: Agency,
    source_kind: str,
    source_ref: str,
    fields: dict,
    reason: str,
    party: Party | None = None,
) -> Draft:
    """The decision was changed (e.g. after 复议): its new items go through internal review as a new version.

    ``party`` names which party's duty when the decision has several (one duty per party)."""
    _role_in(actor, agency, DECISION_ROLES)
    duty = _duty_by_source(agency=agency, source_kind=source_kind, source_ref=source_ref, party=party)
    purpose = Draft.Purpose.UPDATE if duty.status == Duty.Status.PUBLISHED else Draft.Purpose.INITIAL
    return _draft_create(
        actor=actor, duty=duty, fields=fields, marks=(), purpose=purpose, reason=reason, replace_items=True
    )


def _minor_check(duty: Duty) -> None:
    party = duty.party
    if party is None:
        return
    minor = party.is_minor_on(duty.decided_on)
    if minor:
        raise TransitionRefused(
            [FieldError("party", RULE_MINOR, "行政相对人是未成年人，不予公开（公示办法 第十八条第一项）")]
        )
    if minor is None:
        raise TransitionRefused(
            [
                FieldError(
                    "party",
                    RULE_MINOR_UNKNOWN,
                    "无法确认行政相对人是否未成年：请补充出生日期（公示办法 第十八条第一项）",
                )
            ]
        )


def disclosure_draft_review(*, actor, draft: Draft, approve: bool, note: str = "") -> DraftReview:
    """内部审核 (公示办法 第三十条): approve publishes the draft; reject sends it back. Not by its author."""
    duty = draft.duty
    _role_in(actor, duty.agency, DISCLOSURE_ROLES)
    with transaction.atomic():
        duty = Duty.objects.select_for_update(of=("self",)).select_related("agency", "party").get(pk=duty.pk)
        draft = Draft.objects.select_related("correction_request").get(pk=draft.pk)
        errors: list[FieldError] = []
        if DraftReview.objects.filter(draft=draft).exists():
            errors.append(FieldError("draft", "reviewed", "公示稿: 已审核"))
        latest = duty.drafts.order_by("-number").values_list("number", flat=True).first()
        if draft.number != latest:
            errors.append(FieldError("draft", "superseded", "公示稿: 已有更新的稿次，请审核最新稿"))
        if draft.created_by_id is not None and draft.created_by_id == actor.pk:
            errors.append(
                FieldError(
                    "actor", RULE_FOUR_EYES, "审核人: 不得审核本人拟定的公示稿（公示办法 第三十条 内部审核）"
                )
            )
        if duty.status in (Duty.Status.EXEMPT, Duty.Status.WITHDRAWN):
            errors.append(FieldError("duty", "status", f"公示义务: 已{duty.get_status_display()}"))
        if errors:
            raise TransitionRefused(errors)
        if approve:
            _minor_check(duty)
            if draft.purpose == Draft.Purpose.CORRECTION:
                _refuse_identical_correction(duty, draft.public)
        review = DraftReview.objects.create(
            draft=draft,
            outcome=DraftReview.Outcome.APPROVED if approve else DraftReview.Outcome.REJECTED,
            note=note.strip()[:500],
            reviewer=actor,
        )
        record(
            kind="disclosure.draft_reviewed",
            subject=_subject(duty),
            actor=actor,
            payload={"draft": draft.number, "outcome": review.outcome, "note": review.note},
        )
        if approve:
            _publish(duty=duty, draft=draft, actor=actor)
    return review


def _search_text(duty: Duty, public: dict) -> str:
    parts = [public.get("party_name", ""), public.get("document_number", ""), public.get("agency_name", "")]
    parts.append(F.SOURCE_KIND_LABELS[duty.source_kind])
    for item in F.items_for(duty.source_kind):
        value = public.get(item.key)
        if isinstance(value, str) and item.type == F.TEXT:
            parts.append(value)
    return search.segment(" ".join(p for p in parts if p))


def _title(duty: Duty, public: dict) -> str:
    what = (
        public.get("violation_type")
        or public.get("license_content")
        or public.get("content")
        or F.SOURCE_KIND_LABELS[duty.source_kind]
    )
    return f"{public.get('party_name', '')} {what}".strip()[:300]


def _publish(*, duty: Duty, draft: Draft, actor) -> Publication:
    now = timezone.now()
    version = duty.publications.count() + 1
    public = draft.public
    changes = public_changes(duty.source_kind, _published_public(duty), public)
    public_sm3 = sm3(canonical(public)).hex()
    kinds: dict[str, str] = {
        Draft.Purpose.INITIAL: "disclosure.published",
        Draft.Purpose.UPDATE: "disclosure.updated",
        Draft.Purpose.CORRECTION: "disclosure.corrected",
    }
    kind = kinds[draft.purpose]
    entry = record(
        kind=kind,
        subject=_subject(duty),
        actor=actor,
        payload={
            "version": version,
            "document_number": public.get("document_number", ""),
            "public_sm3": public_sm3,
            "document_sm3": duty.document_sm3,
            "reason": draft.reason,
            "changed_items": [c["key"] for c in changes],
        },
    )
    publication = Publication.objects.create(
        duty=duty,
        version=version,
        draft=draft,
        purpose=draft.purpose,
        public=public,
        public_sm3=public_sm3,
        reason=draft.reason,
        ledger_seq=entry.seq,
        published_at=now,
        published_by=actor,
    )
    first = duty.first_published_at or now
    Duty.objects.filter(pk=duty.pk).update(status=Duty.Status.PUBLISHED, first_published_at=first)
    duty.status, duty.first_published_at = Duty.Status.PUBLISHED, first
    party_code = public.get("party_credit_code", "") or ""
    PublicDecision.objects.update_or_create(
        duty=duty,
        defaults={
            "public_id": duty.public_id,
            "publication": publication,
            "version": version,
            "agency": duty.agency,
            "agency_name": duty.agency.name,
            "source_kind": duty.source_kind,
            "document_number": public.get("document_number", ""),
            "number_key": search.number_key(public.get("document_number", "")),
            "party_name": public.get("party_name", ""),
            "party_code": party_code,
            "title": _title(duty, public),
            "decided_on": duty.decided_on,
            "published_at": first,
            "updated_at": now,
            "public": public,
            "search_text": _search_text(duty, public),
        },
    )
    if draft.purpose != Draft.Purpose.INITIAL:
        PublicLogEntry.objects.create(
            kind=PublicLogEntry.Kind.CORRECTED
            if draft.purpose == Draft.Purpose.CORRECTION
            else PublicLogEntry.Kind.UPDATED,
            duty=duty,
            agency_name=duty.agency.name,
            document_number=public.get("document_number", ""),
            reason=draft.reason,
            tracking_number=draft.correction_request.tracking_number if draft.correction_request else "",
            changes=changes,
            at=now,
        )
    request = draft.correction_request
    if request is not None:
        CorrectionRequest.objects.filter(pk=request.pk).update(
            status=CorrectionRequest.Status.CORRECTED, outcome=draft.reason, decided_at=now, decided_by=actor
        )
        record(
            kind="disclosure.correction_decided",
            subject=("disclosure.correction", request.tracking_number),
            actor=actor,
            payload={"status": CorrectionRequest.Status.CORRECTED, "outcome": draft.reason},
        )
    event = WebhookDelivery.Event.PUBLISHED if version == 1 else WebhookDelivery.Event.UPDATED
    _push(duty=duty, event=event, data=_event_data(duty, publication))
    return publication


# ----------------------------------------------------------------------------- exemptions


def _exempt(*, actor, duty, ground, explanation, automatic, user) -> Exemption:
    entry = record(
        kind="disclosure.exempted",
        subject=_subject(duty),
        actor=actor,
        payload={"ground": ground, "explanation": explanation, "automatic": automatic},
    )
    exemption = Exemption.objects.create(
        duty=duty,
        ground=ground,
        explanation=explanation,
        automatic=automatic,
        ledger_seq=entry.seq,
        created_by=user,
    )
    Duty.objects.filter(pk=duty.pk).update(status=Duty.Status.EXEMPT)
    duty.status = Duty.Status.EXEMPT
    return exemption


def disclosure_exempt(*, actor, duty: Duty, ground: str, explanation: str) -> Exemption:
    """不予公开 with a recorded ground (公示办法 第十八条); only before publication."""
    _role_in(actor, duty.agency, DISCLOSURE_ROLES)
    errors = []
    if ground not in Exemption.Ground.values:
        errors.append(FieldError("ground", "choice", "不予公开理由: 应为公示办法第十八条所列情形之一"))
    if not (explanation or "").strip():
        errors.append(
            FieldError("explanation", "required", "具体说明: 不予公开必须记录理由（公示办法 第十八条）")
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        duty = Duty.objects.select_for_update().get(pk=duty.pk)
        if duty.status != Duty.Status.PENDING:
            raise TransitionRefused(
                [FieldError("duty", "status", f"公示义务: 已{duty.get_status_display()}；已公示的请撤下")]
            )
        return _exempt(
            actor=actor,
            duty=duty,
            ground=ground,
            explanation=explanation.strip(),
            automatic=False,
            user=actor,
        )


# ----------------------------------------------------------------------------- withdrawal


def disclosure_withdrawal_order(
    *,
    actor,
    agency: Agency,
    source_kind: str,
    source_ref: str,
    ground: str,
    occurred_on: dt.date,
    explanation: str,
    party: Party | None = None,
) -> WithdrawalOrder:
    """The decision was changed, revoked, found unlawful or must be made again: withdraw within 3 working days.

    行政处罚法 第四十八条; 《松原市行政执法公示办法》第二十八条. The disclosure officer withdraws it with the
    public explanation; if nobody has by the due date, the sweep does. ``party`` names which party's
    duty when the decision has several.
    """
    errors = []
    if ground not in EVENT_GROUNDS:
        errors.append(
            FieldError("ground", "choice", "撤下理由: 应为决定被变更、撤销、确认违法或要求重新作出")
        )
    if type(occurred_on) is not dt.date:
        errors.append(FieldError("occurred_on", "local_date", "发生日期: 应为日期"))
    if not (explanation or "").strip():
        errors.append(
            FieldError("explanation", "required", "说明: 撤下必须作出公开说明（公示办法 第二十八条）")
        )
    if errors:
        raise InvalidInput(errors)
    _role_in(actor, agency, DECISION_ROLES)
    with transaction.atomic():
        duty = _duty_by_source(
            agency=agency, source_kind=source_kind, source_ref=source_ref, party=party, lock=True
        )
        existing = WithdrawalOrder.objects.filter(duty=duty).first()
        if existing is not None:
            return existing
        entry = record(
            kind="disclosure.withdrawal_ordered",
            subject=_subject(duty),
            actor=actor,
            payload={
                "ground": ground,
                "occurred_on": occurred_on.isoformat(),
                "explanation": explanation.strip(),
            },
        )
        order = WithdrawalOrder(
            duty=duty,
            ground=ground,
            occurred_on=occurred_on,
            explanation=explanation.strip(),
            ledger_seq=entry.seq,
            created_by=actor,
        )
        rule = rules.withdrawal_rule(region=agency.region_code, on=occurred_on)
        order.set_deadline(
            add_working_days(occurred_on, rule.days, region=agency.region_code),
            region=agency.region_code,
            rule=rule,
        )
        order.save()
        if duty.status == Duty.Status.PENDING:
            # never published: nothing to take down; the duty ends here with the same ground
            _withdraw(
                actor=actor, duty=duty, ground=ground, explanation=order.explanation, order=order, user=actor
            )
    return order


def public_document_number(duty: Duty) -> str:
    """The document number as the public saw it (the officer's marks may have hidden part of it)."""
    number = (
        Publication.objects.filter(duty=duty)
        .order_by("-version")
        .values_list("public__document_number", flat=True)
        .first()
    )
    return number or ""


def _withdraw(*, actor, duty, ground, explanation, order, user) -> Withdrawal:
    now = timezone.now()
    was_public = duty.status == Duty.Status.PUBLISHED
    entry = record(
        kind="disclosure.withdrawn",
        subject=_subject(duty),
        actor=actor,
        payload={"ground": ground, "explanation": explanation, "was_public": was_public},
    )
    withdrawal = Withdrawal.objects.create(
        duty=duty,
        ground=ground,
        explanation=explanation,
        order=order,
        ledger_seq=entry.seq,
        withdrawn_at=now,
        withdrawn_by=user,
    )
    Duty.objects.filter(pk=duty.pk).update(status=Duty.Status.WITHDRAWN)
    duty.status = Duty.Status.WITHDRAWN
    PublicDecision.objects.filter(duty=duty).delete()  # the derived index only; every record stays
    if was_public:
        PublicLogEntry.objects.create(
            kind=PublicLogEntry.Kind.WITHDRAWN,
            duty=duty,
            agency_name=duty.agency.name,
            document_number=public_document_number(duty),
            reason=f"{WithdrawalGround(ground).label}。{explanation}",
            at=now,
        )
        _push(
            duty=duty,
            event=WebhookDelivery.Event.WITHDRAWN,
            data={
                "id": str(duty.public_id),
                "document_number": public_document_number(duty),
                "agency": duty.agency.name,
                "ground": ground,
                "explanation": explanation,
                "withdrawn_at": now.isoformat(),
            },
        )
    return withdrawal


def disclosure_withdraw(*, actor, duty: Duty, ground: str, explanation: str) -> Withdrawal:
    """撤下 a published decision with a public explanation; it leaves every public path."""
    _role_in(actor, duty.agency, DISCLOSURE_ROLES)
    errors = []
    if ground not in WithdrawalGround.values:
        errors.append(FieldError("ground", "choice", "撤下理由: 应为所列理由之一"))
    if not (explanation or "").strip():
        errors.append(
            FieldError("explanation", "required", "说明: 撤下必须作出公开说明（公示办法 第二十八条）")
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        duty = Duty.objects.select_for_update(of=("self",)).select_related("agency", "party").get(pk=duty.pk)
        if duty.status != Duty.Status.PUBLISHED:
            raise TransitionRefused([FieldError("duty", "status", "公示义务: 只能撤下已公示的决定")])
        order = WithdrawalOrder.objects.filter(duty=duty).first()
        return _withdraw(
            actor=actor, duty=duty, ground=ground, explanation=explanation.strip(), order=order, user=actor
        )


@dataclass
class SweepReport:
    withdrawn_retention: list[str] = field(default_factory=list)
    withdrawn_orders: list[str] = field(default_factory=list)
    deliveries_due: int = 0


def disclosure_sweep(*, today: dt.date | None = None) -> SweepReport:
    """The periodic sweep: retention expiry (公示办法 第二十八条), overdue withdrawal orders, due deliveries."""
    from sanxiang.disclosure.webhooks import enqueue_due

    today = today or timezone.localdate()
    report = SweepReport()
    tz = timezone.get_current_timezone()
    horizon = dt.datetime.combine(
        rules.add_years(today, -rules.shortest_retention_years()) + dt.timedelta(days=1),
        dt.time.min,
        tzinfo=tz,
    )
    candidates = (
        Duty.objects.filter(status=Duty.Status.PUBLISHED, first_published_at__lt=horizon)
        .select_related("party", "agency")
        .order_by("id")
    )
    for duty in candidates.iterator(chunk_size=500):
        person = duty.party is not None and duty.party.kind == Party.Kind.NATURAL_PERSON
        published_on = timezone.localtime(duty.first_published_at).date()
        retention = rules.retention_rule(
            natural_person=person, region=duty.agency.region_code, on=published_on
        )
        if today < rules.add_years(published_on, int(retention.value or 0)) or retention.value is None:
            continue
        ground = WithdrawalGround.RETENTION_PERSON if person else WithdrawalGround.RETENTION
        with transaction.atomic():
            locked = (
                Duty.objects.select_for_update(of=("self",)).select_related("agency", "party").get(pk=duty.pk)
            )
            if locked.status != Duty.Status.PUBLISHED:
                continue
            _withdraw(
                actor=SYSTEM,
                duty=locked,
                ground=ground,
                explanation=f"公开已满{retention.display_value}，依{retention.citation}从公示平台撤下",
                order=None,
                user=None,
            )
        report.withdrawn_retention.append(str(duty.public_id))
    overdue = WithdrawalOrder.objects.filter(
        due_date__lte=today, duty__status=Duty.Status.PUBLISHED
    ).select_related("duty")
    for order in overdue:
        with transaction.atomic():
            locked = (
                Duty.objects.select_for_update(of=("self",))
                .select_related("agency", "party")
                .get(pk=order.duty_id)
            )
            if locked.status != Duty.Status.PUBLISHED:
                continue
            _withdraw(
                actor=SYSTEM,
                duty=locked,
                ground=order.ground,
                explanation=order.explanation,
                order=order,
                user=None,
            )
        report.withdrawn_orders.append(str(order.duty.public_id))
    report.deliveries_due = enqueue_due()
    return report


# ----------------------------------------------------------------------------- corrections


def _tracking_number() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return (
        "GZ" + timezone.localdate().strftime("%y%m%d") + "".join(secrets.choice(alphabet) for _ in range(6))
    )


def client_key_for(address: str) -> str:
    """A keyed hash of the requester's address: enough to rate-limit, not enough to identify."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def correction_request_submit(
    *, public_id, requester_name: str, contact: str, description: str, evidence: str, client_key: str
) -> CorrectionRequest:
    """Anyone may ask for a correction with evidence, no account (公示办法 第三十一条); rate-limited."""
    decision = PublicDecision.objects.select_related("duty__agency").filter(public_id=public_id).first()
    errors: list[FieldError] = []
    if decision is None:
        errors.append(FieldError("decision", "published", "决定: 未找到正在公示的该决定"))
    for name, value, label, limit in (
        ("requester_name", requester_name, "申请人", 100),
        ("contact", contact, "联系方式", 100),
        ("description", description, "不准确的内容及更正意见", 4000),
        ("evidence", evidence, "证据", 4000),
    ):
        if not (value or "").strip():
            errors.append(
                FieldError(name, "required", f"{label}: 必须填写（公示办法 第三十一条 有证据证明）")
            )
        elif len(value) > limit:
            errors.append(FieldError(name, "max_length", f"{label}: 不超过{limit}字"))
    if errors or decision is None:  # a missing decision is among the errors
        raise InvalidInput(errors)
    limit = getattr(settings, "SANXIANG_CORRECTION_RATE_PER_HOUR", 5)
    duty = decision.duty
    with transaction.atomic():
        # The client's lock row serialises its concurrent requests: count and insert cannot be raced.
        throttle.hold("correction", client_key)
        since = timezone.now() - dt.timedelta(hours=1)
        if CorrectionRequest.objects.filter(client_key=client_key, created_at__gte=since).count() >= limit:
            raise SanxiangError(
                errors=[
                    FieldError(
                        "client", RULE_CORRECTION_RATE, f"提交过于频繁: 每小时最多{limit}件，请稍后再试"
                    )
                ],
                code="rate_limited",
                title="提交过于频繁",
                status=429,
            )
        number = _tracking_number()
        entry = record(
            kind="disclosure.correction_requested",
            subject=("disclosure.correction", number),
            actor="system:portal",
            payload={
                "duty": str(duty.public_id),
                "requester_name": requester_name.strip(),
                "contact": contact.strip(),
                "description": description.strip(),
                "evidence": evidence.strip(),
            },
        )
        request = CorrectionRequest(
            tracking_number=number,
            duty=duty,
            requester_name=requester_name.strip(),
            contact=contact.strip(),
            description=description.strip(),
            evidence=evidence.strip(),
            client_key=client_key,
            ledger_seq=entry.seq,
        )
        region = duty.agency.region_code
        today = timezone.localdate()
        rule = rules.correction_rule(region=region, on=today)
        request.set_deadline(add_working_days(today, rule.days, region=region), region=region, rule=rule)
        request.save()
    return request


def correction_request_decide(
    *, actor, request: CorrectionRequest, accept: bool, outcome: str, fields: dict | None = None, marks=()
) -> CorrectionRequest | Draft:
    """Accept (a correction draft goes to internal review; the log shows it once published) or reject."""
    duty = request.duty
    _role_in(actor, duty.agency, DISCLOSURE_ROLES)
    if not (outcome or "").strip():
        raise InvalidInput([FieldError("outcome", "required", "处理结果: 必须说明（公开）")])
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != CorrectionRequest.Status.RECEIVED or request.drafts.exists():
            raise TransitionRefused([FieldError("request", "status", "更正申请: 已处理")])
        if accept:
            current = duty.drafts.order_by("-number").first()
            # Without a current draft (and no fields given), the validation names every required item.
            clean = fields if fields is not None else (current.fields if current else {})
            draft = disclosure_draft_create(
                actor=actor,
                duty=duty,
                fields=clean,
                marks=list(marks) or (current.marks if current else []),
                purpose=Draft.Purpose.CORRECTION,
                reason=outcome,
            )
            Draft.objects.filter(pk=draft.pk).update(correction_request=request)
            draft.correction_request = request
            return draft
        now = timezone.now()
        CorrectionRequest.objects.filter(pk=request.pk).update(
            status=CorrectionRequest.Status.REJECTED,
            outcome=outcome.strip(),
            decided_at=now,
            decided_by=actor,
        )
        record(
            kind="disclosure.correction_decided",
            subject=("disclosure.correction", request.tracking_number),
            actor=actor,
            payload={"status": CorrectionRequest.Status.REJECTED, "outcome": outcome.strip()},
        )
        PublicLogEntry.objects.create(
            kind=PublicLogEntry.Kind.CORRECTION_REJECTED,
            duty=duty,
            agency_name=duty.agency.name,
            document_number=public_document_number(duty),
            reason=outcome.strip(),
            tracking_number=request.tracking_number,
            at=now,
        )
        request.refresh_from_db()
        return request


# ----------------------------------------------------------------------------- push


def _event_data(duty: Duty, publication: Publication) -> dict:
    return {
        "id": str(duty.public_id),
        "kind": duty.source_kind,
        "version": publication.version,
        "published_at": publication.published_at.isoformat(),
        "reason": publication.reason,
        "public_sm3": publication.public_sm3,
        "record": publication.public,
    }


def _push(*, duty: Duty, event: str, data: dict) -> None:
    from sanxiang.disclosure.webhooks import body_for, enqueue_on_commit

    receivers = WebhookReceiver.objects.filter(active=True).filter(
        Q(agency__isnull=True) | Q(agency_id=duty.agency_id)
    )
    now = timezone.now()
    created = []
    for receiver in receivers:
        delivery = WebhookDelivery(receiver=receiver, event=event, next_attempt_at=now)
        delivery.body = body_for(delivery, data)
        created.append(delivery)
    if created:
        WebhookDelivery.objects.bulk_create(created)
        enqueue_on_commit([d.event_id for d in created])
