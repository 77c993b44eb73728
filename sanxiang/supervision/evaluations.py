"""案卷评查: campaigns drawn at random from archived cases, evaluators who did not handle the case, the
platform's own checks pre-filled, results with 整改 items returned to the agency and tracked.

The draw is seeded and recorded in the ledger (``supervision.campaign_drawn``: the seed, the SHA-256
of the sorted pool of archived case ids, and the selection), so anyone with the entry can recompute
it: each candidate is ranked by ``SM3("sanxiang-evaluation/1" 0x00 seed 0x00 case id)`` and the
lowest ``size`` are taken (the same keyed-hash ranking as the inspections draw, drawalgo's sm3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.roles import Role
from sanxiang.errors import FieldError, Forbidden, InvalidInput, NotFound
from sanxiang.inspections.drawalgo import sm3_hex
from sanxiang.ledger.services import record
from sanxiang.supervision.models import (
    Campaign,
    CampaignCase,
    Evaluation,
    EvaluationStandard,
    Rectification,
    StandardItem,
)
from sanxiang.supervision.standards import score

DRAW_FORMAT = "sanxiang-evaluation/1"
TITLE_MAX = 200
NOTE_MAX = 400


def rank(seed: str, case_id: str) -> str:
    return sm3_hex(f"{DRAW_FORMAT}\x00{seed}\x00{case_id}".encode())


def draw(pool: list[str], *, seed: str, size: int) -> list[str]:
    """The drawn case ids, in draw order (pure; recomputable from the ledger entry)."""
    return sorted(pool, key=lambda case_id: rank(seed, case_id))[:size]


def pool_digest(pool: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(pool)).encode()).hexdigest()


def handlers_of(case_ids) -> dict[int, set[int]]:
    """Everyone who handled each case: its officers, who opened it, made a record, moved it or approved."""
    from sanxiang.cases.models import ApprovalStep, Case, CaseEvent, CaseOfficer, CaseRecord

    out: dict[int, set[int]] = {cid: set() for cid in case_ids}
    for cid, uid in Case.objects.filter(pk__in=case_ids).values_list("pk", "opened_by_id"):
        out[cid].add(uid)
    for cid, uid in CaseOfficer.objects.filter(case_id__in=case_ids, officer__user__isnull=False).values_list(
        "case_id", "officer__user__id"
    ):
        out[cid].add(uid)
    for model, user_field in ((CaseRecord, "made_by_id"), (CaseEvent, "actor_id")):
        for cid, uid in (
            model.objects.filter(case_id__in=case_ids).values_list("case_id", user_field).distinct()
        ):
            out[cid].add(uid)
    for cid, uid in (
        ApprovalStep.objects.filter(approval__case_id__in=case_ids)
        .values_list("approval__case_id", "user_id")
        .distinct()
    ):
        out[cid].add(uid)
    return out


def _may_organise(actor) -> bool:
    return actor.has_role(Role.SUPERVISOR) or actor.has_role(Role.ADMINISTRATOR)


def current_standard() -> EvaluationStandard:
    from sanxiang.supervision.standards import install

    standard = EvaluationStandard.objects.order_by("-effective_from", "-version").first()
    return standard or install()  # type: ignore[return-value]


def campaign_start(
    *,
    actor,
    title: str,
    archived_from: dt.date,
    archived_to: dt.date,
    size: int,
    evaluators: list,
    rectify_due: dt.date,
    seed: str | None = None,
) -> Campaign:
    """Draw ``size`` archived cases of the actor's region and assign each to an evaluator who did not handle it."""
    from sanxiang.cases.models import Case
    from sanxiang.registry.models import Agency
    from sanxiang.registry.selectors import agency_scope

    if not _may_organise(actor):
        raise Forbidden("只有监督人员可以组织案卷评查")
    errors = []
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        errors.append(FieldError("title", "required", f"评查活动名称：必填，不超过{TITLE_MAX}字"))
    if archived_from > archived_to:
        errors.append(FieldError("archived_to", "order", "归档日期至：不能早于归档日期自"))
    if size < 1:
        errors.append(FieldError("size", "min", "抽取案卷数：至少1件"))
    if not evaluators:
        errors.append(FieldError("evaluators", "required", "评查人员：至少选择1名"))
    if rectify_due <= timezone.localdate():
        errors.append(FieldError("rectify_due", "future", "整改期限：应晚于今天"))
    if errors:
        raise InvalidInput(errors)
    scope = agency_scope(actor)
    cases = Case.objects.filter(
        sealed_at__isnull=False,
        sealed_at__date__gte=archived_from,
        sealed_at__date__lte=archived_to,
    )
    if scope is not None:
        cases = cases.filter(agency__in=Agency.objects.filter(scope).values("pk"))
    by_public = {str(p): (pk, number) for pk, p, number in cases.values_list("pk", "public_id", "number")}
    pool = sorted(by_public)
    if len(pool) < size:
        raise InvalidInput(
            [FieldError("size", "pool", f"抽取案卷数：期间内已归档案卷只有{len(pool)}件，少于{size}件")]
        )
    seed = seed or secrets.token_hex(16)
    chosen = draw(pool, seed=seed, size=size)
    handlers = handlers_of([by_public[c][0] for c in chosen])
    assignments: list[tuple[str, object]] = []
    load = {e.pk: 0 for e in evaluators}
    for case_id in chosen:
        pk, number = by_public[case_id]
        eligible = [e for e in evaluators if e.pk not in handlers[pk]]
        if not eligible:
            raise InvalidInput(
                [
                    FieldError(
                        "evaluators",
                        "not_handler",
                        f"评查人员：案卷{number}的办案人员不得评查本案，请增加其他评查人员",
                    )
                ]
            )
        evaluator = min(eligible, key=lambda e: (load[e.pk], e.pk))
        load[evaluator.pk] += 1
        assignments.append((case_id, evaluator))
    standard = current_standard()
    with transaction.atomic():
        entry = record(
            kind="supervision.campaign_drawn",
            subject=("supervision.campaign", title[:100]),
            actor=actor,
            payload={
                "format": DRAW_FORMAT,
                "title": title,
                "standard": f"{standard.code}/{standard.version}",
                "archived_from": archived_from.isoformat(),
                "archived_to": archived_to.isoformat(),
                "seed": seed,
                "pool_sha256": pool_digest(pool),
                "pool_size": len(pool),
                "selection": [{"case": c, "evaluator": e.username} for c, e in assignments],
            },
        )
        campaign = Campaign.objects.create(
            title=title,
            organiser=actor.agency,
            standard=standard,
            archived_from=archived_from,
            archived_to=archived_to,
            size=size,
            seed=seed,
            pool_sha256=pool_digest(pool),
            pool_size=len(pool),
            rectify_due=rectify_due,
            created_by=actor,
            created_at=timezone.now(),
            ledger_seq=entry.seq,
        )
        CampaignCase.objects.bulk_create(
            [
                CampaignCase(campaign=campaign, case_id=by_public[c][0], position=i, evaluator=e)
                for i, (c, e) in enumerate(assignments, start=1)
            ]
        )
    return campaign


# ---------------------------------------------------------------- the platform's own checks


def auto_checks(case) -> dict[str, dict]:
    """What the platform can check by itself, as suggested marks with the reason (the evaluator decides)."""
    from sanxiang.cases.models import CaseOfficer, CaseRecord
    from sanxiang.disclosure.models import Duty
    from sanxiang.review.models import ReviewRound
    from sanxiang.rules.selectors import rule_for
    from sanxiang.supervision.models import Alert

    marks: dict[str, dict] = {}
    opened_on = timezone.localdate(case.opened_at)
    officers = list(CaseOfficer.objects.filter(case=case).select_related("officer"))
    minimum = rule_for("penalty.officers_minimum", region=case.region_code, on=opened_on)
    if len(officers) < int(minimum.value or 2):
        marks["J9"] = {"veto": True, "note": f"登记的执法人员{len(officers)}人（{minimum.text}）"}
    else:
        marks["J9"] = {"veto": False, "note": f"执法人员{len(officers)}人"}
    invalid = [o.name for o in officers if not (o.officer.valid_from <= opened_on <= o.officer.valid_until)]
    marks["J2"] = (
        {"veto": True, "note": f"立案时证件不在有效期内：{'、'.join(invalid)}"}
        if invalid
        else {"veto": False, "note": "立案时执法证件均在有效期内"}
    )
    red = list(
        Alert.objects.filter(key__startswith=f"case:{case.pk}:", red_at__isnull=False).values_list(
            "key", "title"
        )
    )
    archive = [t for k, t in red if k.endswith(":archive")]
    emergency = [t for k, t in red if k.endswith(":emergency_approval")]
    periods = [t for k, t in red if not k.endswith((":archive", ":emergency_approval"))]
    marks["F9"] = {"deduction": 3 if archive else 0, "note": "；".join(archive) or "未发现逾期归档"}
    marks["C1"] = {"deduction": 6 if emergency else 0, "note": "；".join(emergency) or "未发现逾期补报"}
    marks["C7"] = {"deduction": min(4 * len(periods), 8), "note": "；".join(periods) or "未发现超过办案期限"}
    late = CaseRecord.objects.filter(case=case, late_upload=True, corrects__isnull=True).count()
    marks["C3"] = {
        "deduction": min(2 * late, 6),
        "note": f"{late}项音像记录超过规定时间存储" if late else "音像记录均按时存储",
    }
    rounds = list(
        ReviewRound.objects.filter(review__case=case).order_by("number").values_list("status", flat=True)
    )
    if rounds:
        passed = rounds[-1] == ReviewRound.Status.PASSED
        marks["C5"] = {
            "deduction": 0 if passed else 10,
            "note": "法制审核已通过" if passed else "法制审核未通过",
        }
    else:
        marks["C5"] = {"deduction": 0, "note": "未经法制审核；属于重大执法决定的，请评查人员扣分"}
    duties = list(Duty.objects.filter(agency_id=case.agency_id, source_ref=case.number))
    late_duties = [
        d
        for d in duties
        if d.status != Duty.Status.EXEMPT
        and (d.first_published_at is None or timezone.localdate(d.first_published_at) > d.due_date)
        and d.due_date < timezone.localdate()
    ]
    marks["C9"] = {
        "deduction": 4 if late_duties else 0,
        "note": "决定信息未按期公示"
        if late_duties
        else ("决定信息已按期公示" if duties else "无公示义务记录"),
    }
    for m in marks.values():
        m["auto"] = True
    return marks


def case_file_viewed(*, actor, campaign_case: CampaignCase) -> None:
    """The evaluator reads the whole case file: the reading is in the access log."""
    from sanxiang.ledger.access import access_record
    from sanxiang.ledger.models import Entry

    entry = Entry.objects.filter(seq=campaign_case.case.ledger_seq).first()
    if entry is not None:
        access_record(actor=actor, material=entry, purpose=f"案卷评查：{campaign_case.campaign.title}"[:500])


def _parse_marks(items: list[StandardItem], raw: dict[str, dict]) -> dict[str, dict]:
    marks, errors = {}, []
    for item in items:
        given = raw.get(item.code, {})
        note = str(given.get("note", "") or "").strip()[:NOTE_MAX]
        if item.section == "veto":
            marks[item.code] = {"veto": bool(given.get("veto")), "note": note}
            continue
        text = str(given.get("deduction", "") or "0").strip()
        try:
            deduction = Decimal(text)
        except InvalidOperation:
            errors.append(
                FieldError(f"deduction_{item.code}", "number", f"{item.code} {item.text}：扣分应为数字")
            )
            continue
        if deduction < 0 or deduction > item.points:
            errors.append(
                FieldError(
                    f"deduction_{item.code}",
                    "range",
                    f"{item.code} {item.text}：扣分应在0至{item.points}分之间（该项分值{item.points}分，扣完为止，不计负分）",
                )
            )
            continue
        marks[item.code] = {"deduction": str(deduction), "note": note}
    if errors:
        raise InvalidInput(errors)
    return marks


def evaluation_submit(
    *, actor, campaign_case: CampaignCase, marks: dict[str, dict], comments: str = ""
) -> Evaluation:
    """Score the case file by the campaign's standard; each veto and each deduction becomes a 整改 item."""
    if campaign_case.evaluator_id != actor.pk:
        raise Forbidden("只有指派的评查人员可以评查本案卷")
    if Evaluation.objects.filter(campaign_case=campaign_case).exists():
        raise InvalidInput([FieldError("campaign_case", "once", "本案卷已提交评查结果，不能重复提交")])
    campaign = campaign_case.campaign
    items = list(StandardItem.objects.filter(standard=campaign.standard).order_by("section", "position"))
    parsed = _parse_marks(items, marks)
    result = score(standard=campaign.standard, items=items, marks=parsed)
    now = timezone.now()
    with transaction.atomic():
        entry = record(
            kind="supervision.evaluation_submitted",
            subject=campaign_case,
            actor=actor,
            payload={
                "campaign": str(campaign.public_id),
                "case": str(campaign_case.case.public_id),
                "marks": parsed,
                "vetoed": list(result.vetoed),
                "form": str(result.form),
                "content": str(result.content),
                "score": str(result.total),
                "grade": result.grade,
                "comments": comments[:2000],
            },
        )
        evaluation = Evaluation.objects.create(
            campaign_case=campaign_case,
            case=campaign_case.case,
            evaluator=actor,
            marks=parsed,
            vetoed=list(result.vetoed),
            form_score=result.form,
            content_score=result.content,
            score=result.total,
            grade=result.grade,
            comments=comments[:2000],
            submitted_at=now,
            ledger_seq=entry.seq,
        )
        rows = []
        for item in items:
            mark = parsed.get(item.code, {})
            found = mark.get("veto") if item.section == "veto" else Decimal(mark.get("deduction", "0")) > 0
            if found:
                rows.append(
                    Rectification(
                        evaluation=evaluation,
                        agency_id=campaign_case.case.agency_id,
                        item_code=item.code,
                        text=f"{item.text}：{mark.get('note') or item.rule}"[:400],
                        due_date=campaign.rectify_due,
                    )
                )
        Rectification.objects.bulk_create(rows)
    return evaluation


def rectification_done(*, actor, rectification: Rectification, note: str) -> Rectification:
    """The agency reports the 整改 done (its head or an officer of the agency)."""
    if actor.agency_id != rectification.agency_id:
        raise NotFound("rectification")
    note = (note or "").strip()
    if not note:
        raise InvalidInput([FieldError("note", "required", "整改情况：请写明整改措施和结果")])
    with transaction.atomic():
        locked = Rectification.objects.select_for_update().get(pk=rectification.pk)
        if locked.done_at is not None:
            return locked
        locked.done_at, locked.done_by, locked.done_note = timezone.now(), actor, note[:400]
        locked.save(update_fields=["done_at", "done_by", "done_note"])
        record(
            kind="supervision.rectification_done",
            subject=locked,
            actor=actor,
            payload={"item": locked.item_code, "note": locked.done_note, "due": locked.due_date.isoformat()},
        )
    return locked
