"""What a document says, taken from the case (nothing typed twice): the agency, the parties, the
officers with their credential numbers, the facts, evidence and basis of the investigation report,
the 裁量 ground, the penalty and the number of the decision record, the rights and their periods from
the rules registry, and the dates. One function per document type; every name a template uses is
a key here (the tests check that no placeholder renders empty)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sanxiang.cases import context as case_context
from sanxiang.cases.display import cite_text, penalty_text
from sanxiang.cases.models import Case, CaseRecord
from sanxiang.cases.specs import Penalty
from sanxiang.documents.kinds import DocumentType
from sanxiang.errors import FieldError, InvalidInput
from sanxiang.registry.models import Party
from sanxiang.rules.selectors import rule_for


class MissingSource(InvalidInput):
    """The case has no record to render the document from."""


@dataclass
class Source:
    """What a document is rendered from: the record (or the review opinion) and its date."""

    record: CaseRecord | None
    opinion: Any = None
    on: dt.date | None = None  # a page of the 案卷 export: the day it is made

    @property
    def made_on(self) -> dt.date:
        if self.on is not None:
            return self.on
        at = self.record.made_at if self.record is not None else self.opinion.at
        return timezone.localdate(at)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _party_lines(party: Party) -> list[str]:
    lines = [f"当事人：{party.name}"]
    if party.kind == Party.Kind.ORGANISATION:
        if party.credit_code:
            lines.append(f"统一社会信用代码：{party.credit_code}")
        if party.legal_representative:
            lines.append(f"法定代表人（负责人）：{party.legal_representative}")
    else:
        if party.id_number:
            lines.append(f"{party.get_id_type_display() or '身份证件'}号码：{party.id_number}")
    if party.address:
        lines.append(f"住所（住址）：{party.address}")
    return lines


def _rule_text(key: str, case: Case, on: dt.date) -> tuple[str, str]:
    """(value with unit, citation) of a registry rule: ("六十日", "《中华人民共和国行政复议法》第二十条")."""
    rule = rule_for(key, region=case.region_code, on=on)
    unit = {"natural_days": "日", "working_days": "个工作日", "months": "个月", "percent": "%"}.get(
        rule.unit, ""
    )
    return f"{rule.value}{unit}", cite_text(rule.citation)


def remedy_text(case: Case, on: dt.date) -> str:
    reconsideration, r_source = _rule_text("remedy.reconsideration", case, on)
    litigation, l_source = _rule_text("remedy.litigation", case, on)
    return (
        f"如不服本决定，可以在收到本决定书之日起{reconsideration}内依法申请行政复议（{r_source}），"
        f"或者在{litigation}内依法向人民法院提起行政诉讼（{l_source}）。申请行政复议或者提起行政诉讼的，"
        "本决定不停止执行，法律另有规定的除外。"
    )


def payment_text(case: Case, penalty: Penalty | None, on: dt.date) -> str:
    if penalty is None or not penalty.fine:
        return "本决定自送达之日起生效。"
    period, p_source = _rule_text("penalty.payment", case, on)
    rate, _ = _rule_text("penalty.surcharge.daily_rate", case, on)
    return (
        f"当事人应当自收到本决定书之日起{period}内缴纳罚款（{p_source}）。到期不缴纳罚款的，本机关可以每日按"
        f"罚款数额的{rate}加处罚款，加处罚款的数额不得超出罚款的数额（《中华人民共和国行政处罚法》第七十二条）。"
    )


def _base(case: Case, view, dtype: DocumentType, source: Source, number: str) -> dict[str, Any]:
    agency = case.agency
    parties = list(view.parties)
    officers = view.officers
    return {
        "agency_name": agency.name,
        "agency_phone": agency.phone,
        "agency_address": agency.address,
        "title": dtype.title,
        "number": number,
        "case_number": case.number,
        "case_title": case.title,
        "party_names": "、".join(p.name for p in parties),
        "party_lines": [line for p in parties for line in _party_lines(p)],
        "officers_text": "、".join(f"{o.name}（执法证号 {o.credential_number}）" for o in officers),
        "date_text": chinese_date(source.made_on),
    }


def _report(view) -> dict[str, Any]:
    report = view.latest("investigation_report", "simple_facts_record")
    return dict(report.payload) if report is not None else {}


def _discretion(payload: dict[str, Any], report: dict[str, Any]) -> str:
    ground = payload.get("discretion_ground") or report.get("discretion_ground")
    reason = payload.get("discretion_reason") or report.get("discretion_reason")
    if ground or reason:
        return f"根据本机关行政处罚裁量基准，当事人{ground or ''}{'，' if ground and reason else ''}{reason or ''}。"
    return "本机关综合考量当事人违法行为的事实、性质、情节以及社会危害程度，依照行政处罚裁量基准作出本决定。"


def penalty_decision(case: Case, view, source: Source) -> dict[str, Any]:
    payload = dict(source.record.payload) if source.record else {}
    report = _report(view)
    penalty = Penalty.of(payload)
    filed = view.events.get("filed")
    filed_on = (
        chinese_date(timezone.localdate(filed)) if filed else chinese_date(timezone.localdate(case.opened_at))
    )
    facts = str(report.get("facts") or payload.get("violation") or case.title).rstrip("。；;.")
    return {
        "intro": f"本机关于{filed_on}对{case.title}立案调查，现已调查终结。",
        "facts": (facts if facts.startswith("经查") else f"经查，{facts}") + "。",
        "evidence": str(report.get("evidence") or "现场检查笔录、询问笔录及音像记录").rstrip("。"),
        "discretion_text": _discretion(payload, report),
        "basis": str(report.get("basis") or payload.get("basis") or "有关法律、法规、规章"),
        "penalty_text": penalty_text(penalty) or str(payload.get("content") or ""),
        "payment_text": payment_text(case, penalty, source.made_on),
        "remedy_text": "当事人" + remedy_text(case, source.made_on),
    }


NO_PENALTY_LAW = "《中华人民共和国行政处罚法》第三十三条"


def no_penalty_decision(case: Case, view, source: Source) -> dict[str, Any]:
    """不予行政处罚决定书 (行政处罚法 第五十七条第一款第二项): the facts and evidence as in the
    decision, the 理由 (the decision's 裁量理由) and the 依据 (the provision violated, the draft's
    决定依据, and 行政处罚法 第三十三条)."""
    out = penalty_decision(case, view, source)
    payload = dict(source.record.payload) if source.record else {}
    report = _report(view)
    draft = view.latest("decision_draft")
    reason = str(payload.get("discretion_reason") or report.get("discretion_reason") or "").strip()
    reason = reason.rstrip("。；;.") or "当事人违法行为轻微并及时改正，没有造成危害后果"
    basis = str((draft.payload.get("basis") if draft else "") or out["basis"]).rstrip("。")
    if NO_PENALTY_LAW not in basis:
        basis = f"{basis}和{NO_PENALTY_LAW}" if basis else NO_PENALTY_LAW
    return {
        "intro": out["intro"],
        "facts": out["facts"],
        "evidence": out["evidence"],
        "reason_text": reason,
        "basis": basis,
        "remedy_text": "当事人"
        + remedy_text(case, source.made_on).replace(
            "申请行政复议或者提起行政诉讼的，本决定不停止执行，法律另有规定的除外。", ""
        ),
    }


def on_spot_decision(case: Case, view, source: Source) -> dict[str, Any]:
    out = penalty_decision(case, view, source)
    out["facts"] = f"经查，当事人{out['facts'].removeprefix('经查，').rstrip('。')}，违法事实确凿。"
    return out


def penalty_notice(case: Case, view, source: Source) -> dict[str, Any]:
    payload = dict(source.record.payload) if source.record else {}
    report = _report(view)
    penalty = Penalty.of(payload) or Penalty.of(report)
    basis = str(report.get("basis") or "有关法律、法规、规章")
    facts = str(report.get("facts") or case.title).removeprefix("经查，")
    notice = f"经查，{facts}。依据{basis}的规定，本机关拟对你（单位）作出如下行政处罚：{penalty_text(penalty) or payload.get('content', '')}。"
    statement = "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利"
    if payload.get("hearing_rights"):
        period, p_source = _rule_text("penalty.hearing.request", case, source.made_on)
        rights = (
            f"{statement}；依据第六十三条、第六十四条，你（单位）有权要求听证，要求听证的，应当在收到本告知书之日起"
            f"{period}内提出（{p_source}），逾期视为放弃。"
        )
    else:
        rights = f"{statement}。你（单位）可以在收到本告知书后向本机关提出陈述、申辩意见，逾期视为放弃。"
    return {"notice_text": notice, "rights_text": rights}


SERVICE_METHODS = {
    "service_direct": "直接送达",
    "service_mail": "邮寄送达",
    "service_left": "留置送达",
    "service_entrusted": "委托、转交送达",
}


def service_receipt(case: Case, view, source: Source) -> dict[str, Any]:
    record = source.record
    payload = dict(record.payload) if record else {}
    decision = view.latest("decision_document", "licence_decision", "seizure_decision", "penalty_notice")
    served = str(payload.get("document") or "")
    if decision is not None and decision.payload.get("document_number"):
        spec = view.defn.records().get(decision.kind)
        name = spec.name if spec else served
        if decision.kind == "decision_document" and decision.payload.get("discretion_ground") == "exempt":
            name = "不予行政处罚决定书"
        served = f"{name} {decision.payload['document_number']}".strip()
    parties = list(view.parties)
    place = payload.get("place") or (
        parties[0].address if parties and parties[0].address else case.agency.address
    )
    return {
        "served_document": served or case.title,
        "service_place": place,
        "service_method": SERVICE_METHODS.get(record.kind if record else "", "直接送达"),
        "witness": str(payload.get("witness") or "无"),
        "remark": str(payload.get("content") or "无"),
    }


def review_opinion(case: Case, view, source: Source) -> dict[str, Any]:
    opinion = source.opinion
    round_ = opinion.round
    review = round_.review
    marks = [f"{m.item}：{'通过' if m.passed else '未通过'}" for m in round_.marks.all()]
    reviewers = [a.name for a in round_.assignments.all()]
    return {
        "office_name": case.agency.name,
        "review_intro": (
            f"你单位于{chinese_date(timezone.localdate(round_.submitted_at))}送审的{case.title}（案号 {case.number}）"
            f"第{round_.number}轮法制审核材料已收悉，经审核，提出如下意见。"
        ),
        "outcome_text": opinion.get_outcome_display(),
        "reasons": opinion.reasons,
        "checklist_text": "审核事项：" + ("；".join(marks) if marks else "合法性、适当性逐项审核") + "。",
        "reviewers_text": "、".join(reviewers) or str(opinion.by),
        "agency_name": getattr(review.legal_office, "name", "") or case.agency.name,
    }


BUILDERS: dict[str, Callable[[Case, Any, Source], dict[str, Any]]] = {
    "penalty_decision": penalty_decision,
    "no_penalty_decision": no_penalty_decision,
    "on_spot_decision": on_spot_decision,
    "penalty_notice": penalty_notice,
    "service_receipt": service_receipt,
    "review_opinion": review_opinion,
}


def acceptance_notice(case: Case, view, source: Source) -> dict[str, Any]:
    period, p_source = _rule_text("licensing.decision.period", case, source.made_on)
    from django.conf import settings
    from django.urls import reverse

    return {
        "acceptance_text": (
            f"你（单位）提出的{case.matter_name or case.title}申请，本机关经审查，申请材料齐全、符合法定形式，"
            f"决定予以受理（《中华人民共和国行政许可法》第三十二条）。申请编号：{case.number}。"
        ),
        "limit_text": f"本机关将自受理之日起{period}内作出行政许可决定（{p_source}），依法需要听证、检验、检测、鉴定和专家评审的时间不计算在内。",
        "progress_text": (
            f"你（单位）可凭申请编号和本通知书的核验码，在{settings.SANXIANG_PUBLIC_URL}{reverse('documents:progress')}"
            "查询办理进度（《松原市行政执法公示办法》第十五条）。"
        ),
    }


def case_cover(case: Case, view, source: Source) -> dict[str, Any]:
    closed = view.events.get("closed")
    return {
        "procedure_name": view.defn.name,
        "opened_text": chinese_date(timezone.localdate(view.events.get("filed") or case.opened_at)),
        "closed_text": chinese_date(timezone.localdate(closed)) if closed else "未结案",
        "item_count": 0,  # filled in by the export
        "page_count": 0,
    }


def case_index(case: Case, view, source: Source) -> dict[str, Any]:
    return {"items": []}  # filled in by the export


BUILDERS.update({"case_cover": case_cover, "case_index": case_index, "acceptance_notice": acceptance_notice})


def find_source(case: Case, view, dtype: DocumentType) -> Source:
    if dtype.case_file:
        return Source(record=None, on=timezone.localdate())
    if dtype.from_review:
        from sanxiang.review.models import Opinion

        opinion = (
            Opinion.objects.filter(round__review__case=case)
            .select_related("round__review__legal_office", "by")
            .order_by("-at")
            .first()
        )
        if opinion is None:
            raise MissingSource(
                [FieldError("kind", "no_source", f"{dtype.title}: 本案尚无法制审核意见，不能生成")]
            )
        return Source(record=None, opinion=opinion)
    found = [r for k in dtype.records for r in view.by_kind.get(k, ()) if dtype.applies_to(r.payload)]
    record = max(found, key=lambda r: (r.made_at, r.pk)) if found else None
    if record is None:
        raise MissingSource(
            [FieldError("kind", "no_source", f"{dtype.title}: 本案尚无可据以生成的记录（{dtype.source}）")]
        )
    return Source(record=record)


def available(case: Case, view, dtype: DocumentType) -> bool:
    try:
        find_source(case, view, dtype)
    except MissingSource:
        return False
    return True


def context_for(
    case: Case, dtype: DocumentType, *, view=None, source: Source | None = None
) -> tuple[dict, Source]:
    view = view or case_context.load(case)
    source = source or find_source(case, view, dtype)
    number = str(source.record.payload.get("document_number") or "") if source.record else ""
    out = _base(case, view, dtype, source, number)
    out.update(_builder(dtype.key)(case, view, source))
    return out, source


def _builder(key: str) -> Callable[[Case, Any, Source], dict[str, Any]]:
    if key in BUILDERS:
        return BUILDERS[key]
    from sanxiang.documents.record_context import RECORD_BUILDERS  # it builds on this module's helpers

    return RECORD_BUILDERS[key]
