"""Writes of the assistance: importing statute texts, logging suggestions and the person's answers,
and recording consistency checks (类案同罚). Each runs in one transaction; the import and every answer
write their ledger entry in it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from sanxiang.assist import laws, selectors
from sanxiang.assist.models import (
    Article,
    ConsistencyCheck,
    Statute,
    StatuteVersion,
    Suggestion,
    SuggestionAnswer,
)
from sanxiang.errors import FieldError, InvalidInput, NotFound
from sanxiang.ledger import services as ledger

SHIPPED = Path(__file__).with_name("laws")


def statute_import(*, actor: Any, text: str) -> StatuteVersion:
    """Import one statute text as a version (the same text again changes nothing)."""
    try:
        parsed = laws.parse(text)
    except laws.StatuteFormatError as exc:
        what = "名称" if str(exc) == "title" else "条文（第X条）"
        raise InvalidInput([FieldError("text", "statute_format", f"法律法规文本: 未识别出{what}")]) from exc
    if parsed.effective_from is None:
        raise InvalidInput([FieldError("text", "effective_from", "法律法规文本: 未识别出施行或修正日期")])
    with transaction.atomic():
        statute, _ = Statute.objects.get_or_create(title=parsed.title)
        existing = StatuteVersion.objects.filter(statute=statute, digest=parsed.digest).first()
        if existing is not None:
            return existing
        entry = ledger.record(
            kind="assist.statute.imported",
            subject=("assist.statute", str(statute.public_id)),
            actor=actor,
            payload={
                "title": parsed.title,
                "version": parsed.version_label,
                "effective_from": parsed.effective_from.isoformat(),
                "source": parsed.source,
                "sha256": parsed.digest,
                "articles": len(parsed.articles),
            },
        )
        version = StatuteVersion.objects.create(
            statute=statute,
            label=parsed.version_label or parsed.effective_from.isoformat(),
            effective_from=parsed.effective_from,
            source=parsed.source or "—",
            digest=parsed.digest,
            imported_by=actor if getattr(actor, "pk", None) else None,
            ledger_seq=entry.seq,
        )
        Article.objects.bulk_create(
            [
                Article(version=version, number=a.number, label=a.label, chapter=a.chapter[:100], text=a.text)
                for a in parsed.articles
            ]
        )
    return version


def statutes_import_shipped(*, actor: Any = None) -> list[StatuteVersion]:
    """The statutes shipped with the platform (``sanxiang/assist/laws``), oldest text first."""
    out = [
        statute_import(actor=actor, text=p.read_text(encoding="utf-8"))
        for p in sorted(SHIPPED.glob("*.md"))
        if p.name != "README.md"
    ]
    return sorted(out, key=lambda v: v.effective_from)


# ---------------------------------------------------------------------- suggestions


def suggestion_offer(*, actor: Any, kind: str, offered: Any, case: Any = None, query: str = "") -> Suggestion:
    """Log what was offered (no ledger entry: an offer changes nothing; the answer does)."""
    if kind not in Suggestion.Kind.values:
        raise InvalidInput([FieldError("kind", "choice", "建议类型: 不是可用的类型")])
    agency = case.agency if case is not None else actor.agency
    return Suggestion.objects.create(
        kind=kind, case=case, agency=agency, user=actor, query=query[:5000], offered=offered
    )


def draft_offer(*, actor: Any, case: Any, draft: Any, facts: str = "") -> Suggestion | None:
    """Log a drafted document as shown: each sentence with its origin (none for a user of no agency)."""
    if not getattr(actor, "agency_id", None):
        return None
    return suggestion_offer(
        actor=actor,
        kind=Suggestion.Kind.DRAFT,
        case=case,
        query=facts,
        offered={
            "kind": draft.kind,
            "title": draft.title,
            "template": draft.template_name,
            "sentences": [
                {"key": s.key, "label": s.label, "text": s.text, "origin": s.origin} for s in draft.sentences
            ],
        },
    )


def suggestion_answer(
    *, actor: Any, suggestion: Suggestion, outcome: str, chosen: dict | None = None, reason: str = ""
) -> SuggestionAnswer:
    """The person accepted or rejected a suggestion (with what they chose and why)."""
    if outcome not in SuggestionAnswer.Outcome.values:
        raise InvalidInput([FieldError("outcome", "choice", "处理结果: 应为采纳或不采纳")])
    if suggestion.user_id != actor.pk and suggestion.agency_id != getattr(actor, "agency_id", None):
        raise NotFound("suggestion")
    reason = (reason or "").strip()
    with transaction.atomic():
        case = suggestion.case
        subject = (
            ("cases.case", str(case.public_id))
            if case is not None
            else ("assist.suggestion", str(suggestion.public_id))
        )
        entry = ledger.record(
            kind="assist.suggestion.answered",
            subject=subject,
            actor=actor,
            payload={
                "suggestion": str(suggestion.public_id),
                "kind": suggestion.kind,
                "outcome": outcome,
                "chosen": chosen or {},
                "reason": reason,
            },
        )
        return SuggestionAnswer.objects.create(
            suggestion=suggestion,
            outcome=outcome,
            chosen=chosen or {},
            reason=reason,
            user=actor,
            ledger_seq=entry.seq,
        )


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput([FieldError(field, "decimal", "拟罚款数额: 应为以元为单位的数额")]) from exc
    if amount < 0:
        raise InvalidInput([FieldError(field, "decimal", "拟罚款数额: 不能为负数")])
    return amount


def consistency_check(
    *, actor: Any, case: Any, matter_code: str, level: str, proposed: Any, facts: str = ""
) -> ConsistencyCheck:
    """Compare a proposed fine with similar decided cases (same matter and 裁量阶次) and record the
    result, flagged or not. The flag never blocks anything."""
    amount = _amount(proposed, "proposed")
    if not matter_code:
        raise InvalidInput([FieldError("matter_code", "required", "执法事项: 请先选择执法事项")])
    cmp = selectors.comparison(actor, case=case, matter_code=matter_code, level=level, proposed=amount)
    a = cmp.assessment
    compared = [
        {"decision": str(d.decision.public_id), "case_number": d.case_number, "fine": str(d.fine)}
        for d in cmp.compared
    ]
    with transaction.atomic():
        suggestion = suggestion_offer(
            actor=actor,
            kind=Suggestion.Kind.CONSISTENCY,
            case=case,
            query=facts,
            offered={
                "matter_code": matter_code,
                "level": level,
                "proposed": str(amount),
                "flagged": a.flagged,
                "direction": a.direction,
                "count": a.count,
            },
        )
        return ConsistencyCheck.objects.create(
            suggestion=suggestion,
            case=case,
            matter_code=matter_code,
            level=level,
            proposed=amount,
            compared=compared,
            count=a.count,
            q1=a.q1,
            median=a.median,
            q3=a.q3,
            low=a.low,
            high=a.high,
            flagged=a.flagged,
            rule=cmp.rule,
        )


def consistency_explain(*, actor: Any, check: ConsistencyCheck, reason: str) -> SuggestionAnswer:
    """The officer keeps a flagged proposal and says why (recorded; nothing is blocked)."""
    if not (reason or "").strip():
        raise InvalidInput(
            [
                FieldError(
                    "reason",
                    "required",
                    "理由: 拟罚款明显偏离类案的，须说明理由（行政处罚法 第五条第二款：过罚相当）",
                )
            ]
        )
    return suggestion_answer(
        actor=actor,
        suggestion=check.suggestion,
        outcome=SuggestionAnswer.Outcome.REJECTED,
        chosen={"proposed": str(check.proposed)},
        reason=reason,
    )
