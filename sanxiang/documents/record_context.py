"""What the 审批表, 笔录 and the other 决定书 and 通知书 say, each from the one case record it is rendered from
(``DocumentType.records``) and the rest of the case: the 立案（不予立案）审批表 and 结案审批表 with the
承办人, 审核人 and 批准人 opinions of the approval, the 询问笔录, 现场检查（勘验）笔录 and 听证笔录 with their
time, place and the officers present, the 查封（扣押）决定书, 听证告知书, 听证通知书, 催告书, 集体讨论记录 and the
准予 / 不予行政许可决定书. Formats after 《市场监督管理行政处罚文书格式范本（2021年修订版）》(国市监法发〔2021〕42号)
where they apply; every period comes from the rules registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sanxiang.cases.display import penalty_text
from sanxiang.cases.models import Case
from sanxiang.cases.specs import Penalty
from sanxiang.documents.context import Source, _rule_text, chinese_date, remedy_text

ROLE_LABELS = (("handler", "承办人意见"), ("reviewer", "审核人意见"), ("approver", "批准人意见"))
NOTHING = "无"


def _payload(source: Source) -> dict[str, Any]:
    return dict(source.record.payload) if source.record is not None else {}


def _moment(at: dt.datetime) -> str:
    local = timezone.localtime(at)
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def _day(value: Any) -> str:
    day = parse_date(str(value or ""))
    return chinese_date(day) if day else ""


def _text(payload: dict[str, Any], *names: str, default: str = NOTHING) -> str:
    for name in names:
        value = str(payload.get(name) or "").strip()
        if value:
            return value
    return default


def _place(case: Case, view, payload: dict[str, Any]) -> str:
    parties = list(view.parties)
    return _text(
        payload,
        "place",
        default=(parties[0].address if parties and parties[0].address else "")
        or case.agency.address
        or NOTHING,
    )


def _opinion(step: Any) -> str:
    if not isinstance(step, dict) or not step.get("opinion"):
        return "（未经此环节）"
    at = parse_datetime(str(step.get("at") or ""))
    when = f"　{chinese_date(timezone.localdate(at))}" if at else ""
    return f"{step['opinion']}　{step.get('name', '')}{when}".strip()


def _approval_rows(payload: dict[str, Any], *, fallback: str) -> list[dict[str, str]]:
    """The 承办人, 审核人 and 批准人 rows of an approval record (an approval's payload names each step)."""
    if not any(isinstance(payload.get(role), dict) for role, _ in ROLE_LABELS):
        return [{"label": "承办人意见", "text": fallback}]
    return [{"label": label, "text": _opinion(payload.get(role))} for role, label in ROLE_LABELS]


def filing_approval(case: Case, view, source: Source) -> dict[str, Any]:
    """立案（不予立案）审批表: 立案 from the approval record, 不予立案 from the 不予立案记录."""
    payload = _payload(source)
    declined = source.record is not None and source.record.kind == "not_filing_record"
    origin = view.latest("case_source")
    summary = _text(dict(origin.payload) if origin else {}, "summary", default=case.title)
    if declined:
        informed = "已告知投诉人、举报人" if payload.get("reporter_informed") else "无实名投诉、举报人需告知"
        how = str(payload.get("informed_how") or "").strip()
        opinion = (
            f"不予立案。理由：{_text(payload, 'reason')}；{informed}{'（' + how + '）' if how else ''}。"
        )
    else:
        opinion = f"建议立案调查。{_text(payload, 'reason', default='')}".strip()
    return {
        "title": "不予立案审批表" if declined else "立案审批表",
        "source_text": case.get_source_display(),
        "summary_text": summary,
        "approval_rows": _approval_rows(payload, fallback=opinion),
        "conclusion_text": opinion,
    }


def _interview(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    made = source.record.made_at if source.record is not None else timezone.now()
    return {
        "time_text": _moment(made),
        "place_text": _place(case, view, payload),
        "record_text": _text(payload, "content", "summary"),
        "credentials_text": (
            "执法人员已向被询问（检查）人出示执法证件，告知了申请回避的权利和如实陈述的义务"
            "（《中华人民共和国行政处罚法》第五十五条）。"
        ),
    }


def inquiry_record(case: Case, view, source: Source) -> dict[str, Any]:
    return _interview(case, view, source)


def onsite_inspection_record(case: Case, view, source: Source) -> dict[str, Any]:
    out = _interview(case, view, source)
    payload = _payload(source)
    if payload.get("party_present") is False and payload.get("witness"):
        out["present_text"] = f"当事人未到场，见证人：{payload['witness']}"
    else:
        out["present_text"] = (
            f"当事人（或其委托代理人）到场：{'、'.join(p.name for p in view.parties) or NOTHING}"
        )
    return out


def hearing_record(case: Case, view, source: Source) -> dict[str, Any]:
    out = _interview(case, view, source)
    notice = view.latest("hearing_notice")
    if notice is not None:
        out["place_text"] = _text(dict(notice.payload), "place", default=out["place_text"])
    return out


def seizure_decision(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    period, p_source = _rule_text("coercion.seizure.period", case, source.made_on)
    extension, e_source = _rule_text("coercion.seizure.extension", case, source.made_on)
    return {
        "measure_text": _text(payload, "content"),
        "basis_text": "《中华人民共和国行政强制法》第九条、第二十二条、第二十三条",
        "period_text": (
            f"查封、扣押的期限为{period}（{p_source}）；情况复杂的，经本机关负责人批准，可以延长，但延长期限不得超过"
            f"{extension}（{e_source}）。"
        ),
        "remedy_text": "你（单位）" + remedy_text(case, source.made_on),
    }


def hearing_rights_notice(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    report = view.latest("investigation_report")
    report_payload = dict(report.payload) if report is not None else {}
    penalty = Penalty.of(payload) or Penalty.of(report_payload)
    period, p_source = _rule_text("penalty.hearing.request", case, source.made_on)
    return {
        "proposal_text": (
            f"本机关拟对你（单位）作出{penalty_text(penalty) or _text(payload, 'content')}的行政处罚。"
            f"依据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有要求举行听证的权利。"
        ),
        "request_text": (
            f"如你（单位）要求听证，应当在收到本告知书之日起{period}内向本机关提出（{p_source}），逾期视为放弃此权利。"
            "听证不收取费用（第六十三条第二款）。"
        ),
    }


def hearing_notice(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    at = parse_datetime(str(payload.get("hearing_at") or ""))
    return {
        "hearing_time_text": _moment(at) if at else NOTHING,
        "hearing_place_text": _text(payload, "place"),
        "hearing_rights_text": (
            "你（单位）可以亲自参加听证，也可以委托一至二人代理（《中华人民共和国行政处罚法》第六十四条第五项）；"
            "认为主持人与本案有直接利害关系的，有权申请回避（第六十四条第四项）。无正当理由拒不出席听证或者"
            "未经许可中途退出听证的，视为放弃听证权利（第六十四条第六项）。"
        ),
    }


def collective_discussion(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    made = source.record.made_at if source.record is not None else timezone.now()
    report = view.latest("investigation_report")
    report_payload = dict(report.payload) if report is not None else {}
    return {
        "time_text": _moment(made),
        "place_text": _text(payload, "place", default=case.agency.address or NOTHING),
        "participants_text": _text(
            payload, "participants", "attendees", default=view.case.agency.head_name or NOTHING
        ),
        "matter_text": (
            f"{case.title}（案号 {case.number}）：{_text(report_payload, 'facts', default=case.title)}；"
            f"拟处罚：{penalty_text(Penalty.of(report_payload)) or NOTHING}。"
        ),
        "discussion_text": _text(payload, "content", "summary", "conclusion"),
    }


def _decision_of(view) -> tuple[str, str]:
    decision = view.latest("decision_document", "on_spot_decision", "licence_decision", "seizure_decision")
    if decision is None:
        return "", ""
    spec = view.defn.records().get(decision.kind)
    return (spec.name if spec else "", str(decision.payload.get("document_number") or ""))


def enforcement_reminder(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    name, number = _decision_of(view)
    decision = view.latest("decision_document", "on_spot_decision")
    penalty = Penalty.of(dict(decision.payload)) if decision is not None else None
    wait, w_source = _rule_text("coercion.court.reminder_wait", case, source.made_on)
    duty = penalty_text(penalty) if penalty else _text(payload, "content")
    return {
        "decision_text": f"本机关作出的{name or '行政决定'}{('（' + number + '）') if number else ''}",
        "duty_text": f"{duty}。{_text(payload, 'content', default='')}".rstrip("。") + "。",
        "deadline_text": (
            f"请你（单位）自收到本催告书之日起{wait}内履行上述义务（《中华人民共和国行政强制法》第三十五条）。"
            f"逾期仍不履行的，本机关将依法申请人民法院强制执行（{w_source}）。"
        ),
        "statement_text": (
            "你（单位）有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）；本机关将充分听取你（单位）的意见，"
            "对提出的事实、理由和证据进行记录、复核。"
        ),
    }


def closing_approval(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    decision = view.latest("decision_document", "on_spot_decision")
    decision_payload = dict(decision.payload) if decision is not None else {}
    performance = view.latest("performance_record")
    performance_payload = dict(performance.payload) if performance is not None else {}
    name, number = _decision_of(view)
    paid = str(performance_payload.get("amount_paid") or "").strip()
    filed = view.events.get("filed")
    return {
        "filed_text": chinese_date(timezone.localdate(filed or case.opened_at)),
        "decision_text": (
            f"{name or '行政处罚决定书'}{' ' + number if number else ''}："
            f"{penalty_text(Penalty.of(decision_payload)) or _text(decision_payload, 'content')}"
        ),
        "performance_text": (
            ("已全部履行" if performance_payload.get("performed") else "未全部履行")
            + (f"，已缴纳{paid}元" if paid and paid != "0" else "")
            if performance is not None
            else "无履行记录"
        ),
        "closing_text": _text(payload, "summary", "content"),
        "approval_rows": _approval_rows(payload, fallback=_text(payload, "summary", "content")),
    }


def _licence(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    application = view.latest("application_register")
    applied = (
        timezone.localdate(application.made_at)
        if application is not None
        else timezone.localdate(case.opened_at)
    )
    return {
        "application_text": (
            f"你（单位）于{chinese_date(applied)}提出的{case.matter_name or case.title}申请（申请编号 {case.number}），"
            "本机关已依法受理并审查。"
        ),
        "content_text": _text(payload, "content"),
    }


def licence_decision(case: Case, view, source: Source) -> dict[str, Any]:
    payload = _payload(source)
    out = _licence(case, view, source)
    valid = f"{_day(payload.get('valid_from'))}至{_day(payload.get('valid_until'))}"
    out["grant_text"] = (
        "经审查，你（单位）的申请符合法定条件、标准，依据《中华人民共和国行政许可法》第三十八条第一款的规定，"
        f"本机关决定准予行政许可，许可事项：{out['content_text']}。"
    )
    out["licence_text"] = (
        f"许可证件：{_text(payload, 'license_name')}，编号 {_text(payload, 'license_number')}，"
        f"许可类别：{_text(payload, 'license_category')}，有效期 {valid if payload.get('valid_from') else NOTHING}。"
    )
    issuance, i_source = _rule_text("licensing.issuance", case, source.made_on)
    out["issuance_text"] = (
        f"本机关将自作出本决定之日起{issuance}内向你（单位）颁发、送达许可证件（{i_source}）。"
    )
    return out


def licence_refusal(case: Case, view, source: Source) -> dict[str, Any]:
    out = _licence(case, view, source)
    out["refusal_text"] = (
        f"经审查，你（单位）的申请不符合法定条件、标准，理由如下：{out['content_text']}。依据《中华人民共和国行政许可法》"
        "第三十八条第二款的规定，本机关决定不予行政许可。"
    )
    out["remedy_text"] = "你（单位）" + remedy_text(case, source.made_on)
    return out


RECORD_BUILDERS: dict[str, Callable[[Case, Any, Source], dict[str, Any]]] = {
    "filing_approval": filing_approval,
    "inquiry_record": inquiry_record,
    "onsite_inspection_record": onsite_inspection_record,
    "hearing_record": hearing_record,
    "seizure_decision": seizure_decision,
    "hearing_rights_notice": hearing_rights_notice,
    "hearing_notice": hearing_notice,
    "collective_discussion": collective_discussion,
    "enforcement_reminder": enforcement_reminder,
    "closing_approval": closing_approval,
    "licence_decision": licence_decision,
    "licence_refusal": licence_refusal,
}

# the names each type supplies beyond the common ones (what its template may use)
RECORD_NAMES: dict[str, tuple[str, ...]] = {
    "filing_approval": ("source_text", "summary_text", "approval_rows", "conclusion_text"),
    "inquiry_record": ("time_text", "place_text", "record_text", "credentials_text"),
    "onsite_inspection_record": (
        "time_text",
        "place_text",
        "record_text",
        "credentials_text",
        "present_text",
    ),
    "hearing_record": ("time_text", "place_text", "record_text", "credentials_text"),
    "seizure_decision": ("measure_text", "basis_text", "period_text", "remedy_text"),
    "hearing_rights_notice": ("proposal_text", "request_text"),
    "hearing_notice": ("hearing_time_text", "hearing_place_text", "hearing_rights_text"),
    "collective_discussion": (
        "time_text",
        "place_text",
        "participants_text",
        "matter_text",
        "discussion_text",
    ),
    "enforcement_reminder": ("decision_text", "duty_text", "deadline_text", "statement_text"),
    "closing_approval": ("filed_text", "decision_text", "performance_text", "closing_text", "approval_rows"),
    "licence_decision": ("application_text", "content_text", "grant_text", "licence_text", "issuance_text"),
    "licence_refusal": ("application_text", "content_text", "refusal_text", "remedy_text"),
}
