"""A drafted 行政处罚决定书 (or 行政处罚告知书) from the case and the officer's choices, rendered through the
documents app's template in force, with the origin of every sentence: the record it comes from, the
catalogue version and 裁量 row, the statute version, or the rules-registry rule with its citation.

The draft is not stored and not issued: the officer edits the decision record on the case (the record
form) and the documents app issues the document from that record. Nothing here is presented without
its origin; a sentence without one is not put in the draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sanxiang.assist.models import Suggestion, SuggestionAnswer
from sanxiang.cases.prefill import Offer, Origin, Provider

KINDS = {"penalty_decision": "decision_document", "penalty_notice": "penalty_notice"}


@dataclass(frozen=True)
class Sentence:
    key: str
    label: str
    text: str
    origin: str
    url: str = ""


@dataclass
class Draft:
    kind: str
    title: str
    sentences: list[Sentence]
    context: dict[str, Any]
    template_name: str
    # the record form's starting values (field -> (value, origin)): the officer edits and saves them
    fields: dict[str, tuple[Any, Origin]] = field(default_factory=dict)


def _chosen(case: Any) -> SuggestionAnswer | None:
    return (
        SuggestionAnswer.objects.filter(
            suggestion__case=case, suggestion__kind="matter", outcome=SuggestionAnswer.Outcome.ACCEPTED
        )
        .select_related("suggestion")
        .order_by("-at", "-pk")
        .first()
    )


def _rule_origin(key: str, case: Any, on: Any) -> str:
    from sanxiang.cases.display import cite_text
    from sanxiang.rules.selectors import rule_for

    rule = rule_for(key, region=case.region_code, on=on)
    since = f"，{rule.effective_from:%Y年%-m月%-d日}起适用" if rule.effective_from else ""
    return f"规则库“{rule.label}”（{cite_text(rule.citation)}；{rule.profile_name}{since}）"


def draft(user: Any, case: Any, *, kind: str, facts: str = "", fine: Decimal | None = None) -> Draft:
    """The draft of ``kind`` for ``case`` from the accepted matter and 裁量 row (``SuggestionAnswer``)."""
    from sanxiang.assist import selectors, text
    from sanxiang.cases import context as case_context
    from sanxiang.cases.models import CaseRecord
    from sanxiang.catalog.models import EnforcementItem
    from sanxiang.documents import kinds
    from sanxiang.documents.context import Source, context_for
    from sanxiang.documents.services import template_in_force

    dtype = kinds.get(kind)
    view = case_context.load(case)
    report = view.latest("investigation_report", "simple_facts_record")
    answer = _chosen(case)
    chosen = answer.chosen if answer else {}
    item = (
        EnforcementItem.objects.filter(agency=case.agency, code=chosen.get("matter_code", ""))
        .order_by("-version")
        .first()
    )
    row = item.discretion.filter(level=chosen.get("level", "")).first() if item else None
    basis = ""
    basis_origin = ""
    if item is not None:
        violation, penalty = selectors.basis_for(
            item, text.terms(facts or (report.payload.get("facts", "") if report else ""))
        )
        parts = []
        if violation:
            parts.append(f"违反了{'、'.join(a.citation for a in violation[:1])}的规定")
        if penalty is not None:
            parts.append(f"依据{penalty.citation}")
        basis = "，".join(parts)
        statute = selectors.statute_by_title(item.basis_law)
        version = selectors.version_in_force(statute) if statute is not None else None
        basis_origin = (
            f"采纳的执法事项“{item.name}”（行政执法事项清单 {item.code} 第{item.version}版）；法条取自"
            f"《{item.basis_law}》{version.label if version else ''}文本"
        )
    amount = fine
    if amount is None and row is not None and row.fine_min is not None:
        amount = row.fine_min
    payload = {
        "penalty_kinds": (row.penalty_kinds if row is not None else []) or ["fine"],
        "fine_amount": str(amount) if amount is not None else "",
        "basis": basis,
    }
    record = CaseRecord(
        case=case, kind=KINDS[kind], stage=case.stage, payload=payload, made_at=timezone.now()
    )
    source = Source(record=record)
    context, _ = context_for(case, dtype, view=view, source=source)
    on = source.made_on
    report_origin = (
        f"{(report.kind == 'investigation_report' and '案件调查终结报告') or '简易程序事实记录'}（{timezone.localtime(report.made_at):%Y-%m-%d %H:%M}）"
        if report
        else ""
    )
    record_url = reverse("cases:detail", args=[case.public_id])
    sentences: list[Sentence] = [
        Sentence(
            "party_lines",
            "当事人",
            "；".join(context.get("party_lines", [])),
            "案件登记的当事人信息",
            record_url,
        ),
    ]
    if kind == "penalty_decision":
        if report is not None and report.payload.get("facts"):
            sentences.append(Sentence("facts", "违法事实", context["facts"], report_origin, record_url))
        elif facts:
            context["facts"] = facts if facts.startswith("经查") else f"经查，{facts}"
            sentences.append(
                Sentence(
                    "facts",
                    "违法事实",
                    context["facts"],
                    "智能辅助页面填写的违法事实（尚无调查终结报告，须经调查核实）",
                )
            )
        if report is not None and report.payload.get("evidence"):
            sentences.append(Sentence("evidence", "证据", context["evidence"], report_origin, record_url))
        if basis:
            context["basis"] = basis
            sentences.append(Sentence("basis", "法律依据", basis, basis_origin))
        if row is not None and item is not None:
            from sanxiang.cases.discretion import Level

            range_label = Level("", "", "", row.fine_min, row.fine_max).range_label
            context["discretion_text"] = (
                f"根据本机关行政处罚裁量基准，当事人的违法行为属于“{row.level}”情形（{row.circumstances}），罚款幅度为{range_label}。"
            )
            sentences.append(
                Sentence(
                    "discretion_text",
                    "裁量",
                    context["discretion_text"],
                    f"裁量基准第{row.position}行（行政执法事项清单 {item.code} 第{item.version}版；《中华人民共和国行政处罚法》第三十四条）",
                )
            )
        if context.get("penalty_text"):
            sentences.append(
                Sentence(
                    "penalty_text",
                    "处罚内容",
                    context["penalty_text"],
                    "承办人拟定的罚款数额"
                    if fine is not None
                    else "所选裁量阶次的罚款下限（承办人应按案情确定）",
                )
            )
        sentences.append(
            Sentence(
                "payment_text",
                "履行方式和期限",
                context["payment_text"],
                _rule_origin("penalty.payment", case, on),
            )
        )
        sentences.append(
            Sentence(
                "remedy_text",
                "救济途径",
                context["remedy_text"],
                _rule_origin("remedy.reconsideration", case, on)
                + "、"
                + _rule_origin("remedy.litigation", case, on),
            )
        )
    else:
        sentences.append(
            Sentence(
                "notice_text",
                "告知内容",
                context["notice_text"],
                f"{report_origin or '案件记录'}；{basis_origin}",
            )
        )
        sentences.append(
            Sentence(
                "rights_text",
                "陈述申辩和听证权利",
                context["rights_text"],
                "《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条",
            )
        )
    template = template_in_force(kind=kind, agency=case.agency, on=on)
    context["code"] = "（草稿，未生成）"
    context["verify_url"] = ""
    by_key = {s.key: s for s in sentences}
    fields: dict[str, tuple[Any, Origin]] = {}
    if item is not None:
        act = item.name.removeprefix("对").removesuffix("的行政处罚")
        fields["violation"] = (
            act,
            Origin(f"采纳的执法事项“{item.name}”（行政执法事项清单 {item.code} 第{item.version}版）", "rule"),
        )
    if "penalty_text" in by_key:
        origin = Origin(by_key["penalty_text"].origin, "officer" if fine is not None else "rule")
        fields["penalty_kinds"] = (list(payload["penalty_kinds"]), origin)
        if payload["fine_amount"]:
            fields["fine_amount"] = (payload["fine_amount"], origin)
        parties = context.get("party_names") or "、".join(p.name for p in view.parties)
        fields["content"] = (f"对{parties}作出{by_key['penalty_text'].text}的行政处罚", origin)
    if "discretion_text" in by_key:
        fields["discretion_reason"] = (
            by_key["discretion_text"].text,
            Origin(by_key["discretion_text"].origin, "rule"),
        )
    if "notice_text" in by_key:
        fields["content"] = (by_key["notice_text"].text, Origin(by_key["notice_text"].origin, "record"))
    return Draft(
        kind=kind,
        title=dtype.title,
        sentences=sentences,
        context=context,
        template_name=template.name,
        fields=fields,
    )


def parse_fine(raw: str) -> Decimal | None:
    raw = (raw or "").replace(",", "").strip()
    if not raw:
        return None
    try:
        return Decimal(raw)
    except ArithmeticError:
        return None


def _offer_of(suggestion: Suggestion) -> Offer:
    o = suggestion.offered
    return Offer(
        provider=PROVIDER,
        ref=str(suggestion.public_id),
        record_kind=o["record_kind"],
        fields={name: (f["value"], Origin(f["origin"], f["origin_kind"])) for name, f in o["fields"].items()},
    )


def prefill_offer(view: Any, record_kind: str, params: Mapping[str, str], user: Any) -> Offer | None:
    """The drafted document's values for the case's record form of ``record_kind`` (the cases app's
    prefill provider ``assist-draft``): ``params`` are the draft page's own (facts, fine, and the
    logged draft it was opened from). The offer is logged; the saved record answers it."""
    from sanxiang.assist import services

    kinds = {record: draft_kind for draft_kind, record in KINDS.items()}
    if record_kind not in kinds or user is None or not getattr(user, "agency_id", None):
        return None
    case = view.case
    d = draft(
        user,
        case,
        kind=kinds[record_kind],
        facts=params.get("facts") or "",
        fine=parse_fine(params.get("fine", "")),
    )
    if not d.fields:
        return None
    shown = Suggestion.objects.filter(
        public_id__in=[params.get("draft")] if _is_uuid(params.get("draft", "")) else [],
        case=case,
        kind=Suggestion.Kind.DRAFT,
    ).first()
    suggestion = services.suggestion_offer(
        actor=user,
        kind=Suggestion.Kind.PREFILL,
        case=case,
        query=params.get("facts") or "",
        offered={
            "record_kind": record_kind,
            "draft": str(shown.public_id) if shown else "",
            "fields": offered_fields(d.fields),
        },
    )
    return _offer_of(suggestion)


def offered_fields(fields: Mapping[str, tuple[Any, Origin]]) -> dict[str, dict[str, Any]]:
    """A draft's field values with their origins, as the offer is logged and the API shows them."""
    return {
        name: {"value": value, "origin": origin.text, "origin_kind": origin.kind}
        for name, (value, origin) in fields.items()
    }


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def prefill_recall(view: Any, ref: str, user: Any) -> Offer | None:
    """The logged offer ``ref`` — only the officer's own, on this case."""
    if not _is_uuid(ref) or user is None:
        return None
    suggestion = Suggestion.objects.filter(
        public_id=ref, case=view.case, kind=Suggestion.Kind.PREFILL, user_id=user.pk
    ).first()
    return _offer_of(suggestion) if suggestion is not None else None


def prefill_taken(record: Any, offer: Offer, actor: Any) -> None:
    """The record saved from the draft answers the logged offer: which values the officer kept and
    which they changed (and the shown draft, when the form was opened from it, is marked taken)."""
    from sanxiang.assist import services

    suggestion = Suggestion.objects.get(public_id=offer.ref)
    fields = record.origins.get("fields", [])
    kept = [f["field"] for f in fields if not f["changed"]]
    changed = {f["field"]: record.payload.get(f["field"]) for f in fields if f["changed"]}
    services.suggestion_answer(
        actor=actor,
        suggestion=suggestion,
        outcome=SuggestionAnswer.Outcome.ACCEPTED if kept else SuggestionAnswer.Outcome.REJECTED,
        chosen={"record": str(record.public_id), "kept": kept, "changed": changed},
    )
    shown = suggestion.offered.get("draft")
    if shown:
        draft_suggestion = Suggestion.objects.filter(public_id=shown, case=record.case).first()
        if draft_suggestion is not None:
            services.suggestion_answer(
                actor=actor,
                suggestion=draft_suggestion,
                outcome=SuggestionAnswer.Outcome.ACCEPTED,
                chosen={"record": str(record.public_id), "prefill": offer.ref},
            )


PROVIDER = "assist-draft"
PREFILL = Provider(offer=prefill_offer, recall=prefill_recall, taken=prefill_taken)


def draft_docx(user: Any, case: Any, *, kind: str, facts: str = "", fine: Decimal | None = None) -> bytes:
    from sanxiang.documents import render
    from sanxiang.documents.services import template_in_force

    d = draft(user, case, kind=kind, facts=facts, fine=fine)
    template = template_in_force(kind=kind, agency=case.agency, on=timezone.localdate())
    return render.render_docx(bytes(template.content), d.context, qr_text="DRAFT")
