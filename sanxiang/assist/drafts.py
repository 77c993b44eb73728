"""A drafted 行政处罚决定书 (or 行政处罚告知书) from the case and the officer's choices, rendered through the
documents app's template in force, with the origin of every sentence: the record it comes from, the
catalogue version and 裁量 row, the statute version, or the rules-registry rule with its citation.

The draft is not stored and not issued: the officer edits the decision record on the case (the record
form) and the documents app issues the document from that record. Nothing here is presented without
its origin; a sentence without one is not put in the draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from sanxiang.assist.models import SuggestionAnswer

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
    return f"规则库“{rule.label}”（{cite_text(rule.citation)}；版本 {rule.version_id}）"


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
    return Draft(
        kind=kind, title=dtype.title, sentences=sentences, context=context, template_name=template.name
    )


def draft_docx(user: Any, case: Any, *, kind: str, facts: str = "", fine: Decimal | None = None) -> bytes:
    from sanxiang.documents import render
    from sanxiang.documents.services import template_in_force

    d = draft(user, case, kind=kind, facts=facts, fine=fine)
    template = template_in_force(kind=kind, agency=case.agency, on=timezone.localdate())
    return render.render_docx(bytes(template.content), d.context, qr_text="DRAFT")
