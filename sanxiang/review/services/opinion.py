"""The checklist and the opinion (审核办法 第八条、第十条)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from sanxiang.cases import clock
from sanxiang.cases import services as case_services
from sanxiang.cases.models import Case
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.ledger import services as ledger
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.ledger.models import Blob
from sanxiang.review import flow
from sanxiang.review.models import (
    AMEND_POINTS,
    CHECKLIST,
    CHECKLIST_KEYS,
    CHECKLIST_LABELS,
    OUTCOME_GROUNDS,
    OUTCOME_SOURCES,
    SB,
    TRANSFER_TO,
    ChecklistMark,
    Opinion,
    Outcome,
    ReviewRound,
)
from sanxiang.review.services.common import (
    _iso,
    _lock_round,
    _refused,
    _require_reviewer,
    _review_stage,
    _subject,
)

# ---------------------------------------------------------------- checklist (第八条)


def checklist_mark(*, actor, round: ReviewRound, item: str, passed: bool, note: str) -> ChecklistMark:
    _require_reviewer(actor, round)
    errors = []
    if item not in CHECKLIST_KEYS:
        errors.append(FieldError("item", "checklist_item", f"审核事项: 应为第八条所列事项之一（{SB}第八条）"))
    if not isinstance(passed, bool):
        errors.append(FieldError("passed", "bool", "是否通过: 应为是或否"))
    note = (note or "").strip()
    if not note:
        errors.append(FieldError("note", "required", f"审核说明: 每一审核事项均须写明说明（{SB}第八条）"))
    if errors:
        raise InvalidInput(errors)
    now = clock.now()
    with transaction.atomic():
        round_ = _lock_round(round)
        if round_.status != ReviewRound.Status.REVIEWING:
            raise _refused("round", "not_reviewing", "本轮不在审核中")
        last = round_.marks.filter(item=item).order_by("-at", "-pk").first()
        if last and last.passed == passed and last.note == note:
            return last
        entry = ledger.record(
            kind="review.checklist_marked",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "item": item,
                "label": CHECKLIST_LABELS[item],
                "passed": passed,
                "note": note,
                "at": _iso(now),
            },
        )
        return ChecklistMark.objects.create(
            round=round_, item=item, passed=passed, note=note, by=actor, at=now, ledger_seq=entry.seq
        )


def checklist_mark_all(
    *, actor, round: ReviewRound, marks: dict[str, tuple[bool | None, str]]
) -> list[ChecklistMark]:
    """The whole checklist (第八条) as one form: each item marked passed or failed with its note, in
    one transaction — every item's error is named and nothing is written unless all are right. An
    item left unmarked with no note is skipped (it may be marked later); an unchanged mark is kept."""
    _require_reviewer(actor, round)
    errors: list[FieldError] = []
    wanted: list[tuple[str, bool, str]] = []
    for key in marks:
        if key not in CHECKLIST_KEYS:
            errors.append(
                FieldError(
                    f"checklist.{key}", "checklist_item", f"审核事项: 应为第八条所列事项之一（{SB}第八条）"
                )
            )
    for key in CHECKLIST_KEYS:
        if key not in marks:
            continue
        passed, note = marks[key]
        note = (note or "").strip()
        if passed is None and not note:
            continue
        if passed is None:
            errors.append(
                FieldError(
                    f"checklist.{key}.passed",
                    "required",
                    f"{CHECKLIST_LABELS[key]}: 请选择通过或未通过（{SB}第八条）",
                )
            )
            continue
        if not note:
            errors.append(
                FieldError(
                    f"checklist.{key}.note",
                    "required",
                    f"{CHECKLIST_LABELS[key]}: 审核说明必须填写（{SB}第八条）",
                )
            )
            continue
        wanted.append((key, passed, note))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return [checklist_mark(actor=actor, round=round, item=k, passed=p, note=n) for k, p, n in wanted]


def checklist_and_opinion(
    *,
    actor,
    round: ReviewRound,
    marks: dict[str, tuple[bool | None, str]],
    outcome: str,
    reasons: str,
    amend_points: Iterable[str] = (),
    transfer_to: str = "",
) -> Opinion:
    """The checklist form sent with the opinion: the marks and the opinion (第八条、第十条) commit
    together or not at all."""
    with transaction.atomic():
        checklist_mark_all(actor=actor, round=round, marks=marks)
        return opinion_issue(
            actor=actor,
            round=round,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
        )


def checklist_state(round_: ReviewRound) -> dict[str, ChecklistMark]:
    state: dict[str, ChecklistMark] = {}
    for m in round_.marks.order_by("at", "pk"):
        state[m.item] = m
    return state


# ---------------------------------------------------------------- opinion (第十条)


def _document(
    round_: ReviewRound, *, outcome, reasons, amend_points, transfer_to, checklist, actor, now
) -> Blob:
    case = round_.review.case
    html = render_to_string(
        "review/opinion_document.html",
        {
            "case": case,
            "round": round_,
            "review": round_.review,
            "outcome_label": str(Outcome(outcome).label),
            "outcome_source": OUTCOME_SOURCES[outcome],
            "reasons": reasons,
            "amend_points": [AMEND_POINTS[p] for p in amend_points],
            "transfer_to": TRANSFER_TO.get(transfer_to, ""),
            "checklist": [
                {"label": label, "source": source, **checklist[key]} for key, label, source in CHECKLIST
            ],
            "reviewer": str(actor),
            "issued_on": timezone.localdate(now),
        },
    )
    return blob_ingest(stream=io.BytesIO(html.encode("utf-8")), media_type="text/html")


def opinion_issue(
    *,
    actor,
    round: ReviewRound,
    outcome: str,
    reasons: str,
    amend_points: Iterable[str] = (),
    transfer_to: str = "",
) -> Opinion:
    """The written opinion (第十条) on a completed checklist (第八条); the 法制审核意见书 is rendered,
    stored as a blob and recorded in the ledger, and — when the case is in its 法制审核 stage — put
    on the case record as its 法制审核意见书."""
    _require_reviewer(actor, round)
    now = clock.now()
    amend_points = list(dict.fromkeys(amend_points or ()))
    with transaction.atomic():
        round_ = _lock_round(round)
        existing = Opinion.objects.filter(round=round_).first()
        if existing is not None:
            if existing.outcome == outcome:
                return existing
            raise _refused("outcome", "opinion_issued", "本轮已出具审核意见", "opinion_issued")
        if round_.status != ReviewRound.Status.REVIEWING:
            raise _refused("round", "not_reviewing", "本轮不在审核中（待补充材料的，材料齐全后再审核）")
        errors: list[FieldError] = []
        if outcome not in Outcome.values:
            raise InvalidInput(
                [FieldError("outcome", "choice", f"审核意见: 应为第十条所列意见之一（{SB}第十条）")]
            )
        reasons = (reasons or "").strip()
        if not reasons:
            errors.append(FieldError("reasons", "required", f"理由: 书面意见应写明理由（{SB}第十条）"))
        state = checklist_state(round_)
        unmarked = [k for k in CHECKLIST_KEYS if k not in state]
        for k in unmarked:
            errors.append(
                FieldError(
                    f"checklist.{k}", "checklist_complete", f"{CHECKLIST_LABELS[k]}: 尚未审核（{SB}第八条）"
                )
            )
        failed = {k for k, m in state.items() if not m.passed}
        choice = Outcome(outcome)
        source = OUTCOME_SOURCES[choice]
        if outcome == Outcome.APPROVE and failed:
            for k in sorted(failed):
                errors.append(
                    FieldError(
                        "outcome",
                        "approve_needs_all_passed",
                        f"同意: {CHECKLIST_LABELS[k]}未通过，不能提出同意的意见（{source}）",
                    )
                )
        grounds = OUTCOME_GROUNDS.get(choice, ())
        if outcome != Outcome.APPROVE and not unmarked and not failed.intersection(grounds):
            names = "或".join(CHECKLIST_LABELS[g] for g in grounds)
            errors.append(
                FieldError(
                    "outcome",
                    "outcome_ground",
                    f"{Outcome(outcome).label!s}: 须有“{names}”未通过（{source}）",
                )
            )
        if outcome == Outcome.AMEND:
            bad = [p for p in amend_points if p not in AMEND_POINTS]
            if not amend_points or bad:
                errors.append(
                    FieldError(
                        "amend_points",
                        "choice",
                        f"变更事项: 应为定性、适用法律、裁量基准中的一项或几项（{source}）",
                    )
                )
        elif amend_points:
            errors.append(FieldError("amend_points", "only_amend", "变更事项: 仅变更意见填写"))
        if outcome == Outcome.TRANSFER:
            if transfer_to not in TRANSFER_TO:
                errors.append(
                    FieldError("transfer_to", "choice", f"移送去向: 应为有管辖权的机关或司法机关（{source}）")
                )
            elif transfer_to == "judicial" and "crime" not in failed:
                errors.append(
                    FieldError(
                        "transfer_to",
                        "crime_ground",
                        f"移送司法机关: 须审核认定涉嫌犯罪（{SB}第八条第七项、第十条第五项）",
                    )
                )
            elif transfer_to == "competent_authority" and "competence" not in failed:
                errors.append(
                    FieldError(
                        "transfer_to",
                        "competence_ground",
                        f"移送有管辖权的机关: 须审核认定超出本机关管辖范围（{source}）",
                    )
                )
        elif transfer_to:
            errors.append(FieldError("transfer_to", "only_transfer", "移送去向: 仅移送意见填写"))
        if errors:
            raise InvalidInput(errors)
        checklist = {k: {"passed": m.passed, "note": m.note} for k, m in state.items()}
        overdue = timezone.localdate(now) > round_.due_date
        blob = _document(
            round_,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
            checklist=checklist,
            actor=actor,
            now=now,
        )
        entry = ledger.record(
            kind="review.opinion_issued",
            subject=_subject(round_.review),
            actor=actor,
            payload={
                "round": round_.number,
                "outcome": outcome,
                "outcome_label": str(Outcome(outcome).label),
                "source": source,
                "reasons": reasons,
                "amend_points": amend_points,
                "transfer_to": transfer_to,
                "checklist": checklist,
                "proposal_fingerprint": round_.proposal_fingerprint,
                "document": {"sm3": blob.sm3, "sha256": blob.sha256, "media_type": blob.media_type},
                "overdue": overdue,
                "at": _iso(now),
            },
            blobs=[blob],
        )
        opinion = Opinion.objects.create(
            round=round_,
            outcome=outcome,
            reasons=reasons,
            amend_points=amend_points,
            transfer_to=transfer_to,
            checklist=checklist,
            document_sm3=blob.sm3,
            by=actor,
            at=now,
            overdue=overdue,
            ledger_seq=entry.seq,
        )
        case = Case.objects.select_for_update().get(pk=round_.review.case_id)
        if case.stage and case.stage == _review_stage(case) and not case.sealed:
            # The reviewer is not one of the case's officers: the opinion goes on the case record
            # through the cases app's public service for records another app writes (APP_RECORDS).
            case_services.record_add_from_app(
                actor=actor,
                case=case,
                kind="review_opinion",
                payload={"content": f"{Outcome(outcome).label!s}：{reasons}"},
                source_app="review",
                blobs=[blob.sm3],
                reference={
                    "review": str(round_.review.public_id),
                    "round": round_.number,
                    "outcome": outcome,
                },
            )
        flow.move(
            round_, ReviewRound.Status.PASSED if outcome == Outcome.APPROVE else ReviewRound.Status.SENT_BACK
        )
        round_.concluded_at = now
        round_.save(update_fields=["status", "concluded_at"])
        return opinion
