"""The document types the platform generates: what each renders from and who signs it.

A type is code (which records feed it); its layout and wording are data (``DocumentTemplate``
rows, the default DOCX in ``docx/<key>.docx``). The 文书 formats follow 《市场监督管理行政处罚文书格式
范本（2021年修订版）》(国市监法发〔2021〕42号) where they apply."""

from __future__ import annotations

from dataclasses import dataclass

JL = "《松原市行政执法全过程记录实施办法》"
FORMATS = "《市场监督管理行政处罚文书格式范本（2021年修订版）》"
CFL = "《中华人民共和国行政处罚法》"
CLL = "《中华人民共和国行政许可法》"
COL = "《中华人民共和国行政强制法》"
# the decision's 裁量理由类型 "不予处罚（行政处罚法 第三十三条）" (sanxiang.cases.discretion.GROUNDS)
NO_PENALTY = "exempt"


@dataclass(frozen=True)
class DocumentType:
    key: str
    title: str  # the title printed on the document
    records: tuple[str, ...]  # the case records it is rendered from (the latest one)
    source: str  # where its format comes from
    party_signs: bool = False  # printed, signed by the party (or refusal recorded): 第十二条
    from_review: bool = False  # rendered from the legal review's opinion, not a case record
    case_file: bool = False  # a page of the 案卷 export (卷宗封面, 卷内文件目录), not issued on its own
    # rendered only from a record whose payload has this flag with this value (听证告知书: the notice
    # told of the hearing right; 准予 / 不予行政许可决定书: the decision granted or refused; 不予行政处罚
    # 决定书: the decision's 裁量理由类型 is 不予处罚), or — ``unless`` — not from one that has it
    when: tuple[str, bool | str] | None = None
    unless: tuple[str, str] | None = None

    def applies_to(self, payload: dict) -> bool:
        if self.unless is not None and payload.get(self.unless[0]) == self.unless[1]:
            return False
        if self.when is None:
            return True
        name, value = self.when
        if isinstance(value, str):
            return payload.get(name) == value
        return bool(payload.get(name)) == value


SERVICE_RECORDS = ("service_direct", "service_mail", "service_left", "service_entrusted")

TYPES: dict[str, DocumentType] = {
    t.key: t
    for t in (
        DocumentType(
            "penalty_notice",
            "行政处罚告知书",
            ("penalty_notice",),
            f"{FORMATS} 行政处罚告知书；{CFL}第四十四条、第六十三条",
        ),
        DocumentType(
            "penalty_decision",
            "行政处罚决定书",
            ("decision_document",),
            f"{FORMATS} 行政处罚决定书；{CFL}第五十九条",
            unless=("discretion_ground", NO_PENALTY),
        ),
        DocumentType(
            "no_penalty_decision",
            "不予行政处罚决定书",
            ("decision_document",),
            f"{FORMATS} 不予行政处罚决定书；{CFL}第三十三条、第五十七条第一款第二项",
            when=("discretion_ground", NO_PENALTY),
        ),
        DocumentType(
            "on_spot_decision",
            "当场行政处罚决定书",
            ("on_spot_decision",),
            f"{FORMATS} 当场行政处罚决定书；{CFL}第五十二条",
            party_signs=True,
        ),
        DocumentType(
            "service_receipt",
            "送达回证",
            SERVICE_RECORDS,
            f"{FORMATS} 送达回证；{JL}第二十三条",
            party_signs=True,
        ),
        DocumentType(
            "acceptance_notice",
            "行政许可申请受理通知书",
            ("acceptance_receipt",),
            "《中华人民共和国行政许可法》第三十二条第二款；《松原市行政执法公示办法》第十五条（办理进度查询）",
        ),
        DocumentType(
            "review_opinion",
            "重大执法决定法制审核意见书",
            (),
            "《松原市重大行政执法决定法制审核办法》第十一条",
            from_review=True,
        ),
        DocumentType(
            "filing_approval",
            "立案审批表",
            ("filing_approval", "not_filing_record"),
            f"{FORMATS} 立案（不予立案）审批表；{JL}第八条、第九条、第三十八条",
        ),
        DocumentType(
            "inquiry_record",
            "询问笔录",
            ("inquiry_record",),
            f"{FORMATS} 询问笔录；{JL}第十二条第一项",
            party_signs=True,
        ),
        DocumentType(
            "onsite_inspection_record",
            "现场检查（勘验）笔录",
            ("onsite_inspection_record", "onsite_record"),
            f"{FORMATS} 现场笔录；{JL}第十二条第三项；{COL}第十八条",
            party_signs=True,
        ),
        DocumentType(
            "seizure_decision",
            "查封（扣押）决定书",
            ("seizure_decision", "seizure_record"),
            f"{FORMATS} 查封（扣押）决定书；{COL}第二十四条、第二十五条",
        ),
        DocumentType(
            "hearing_rights_notice",
            "行政处罚听证告知书",
            ("penalty_notice",),
            f"{FORMATS} 行政处罚听证告知书；{CFL}第六十三条、第六十四条",
            when=("hearing_rights", True),
        ),
        DocumentType(
            "hearing_notice",
            "听证通知书",
            ("hearing_notice",),
            f"{FORMATS} 听证通知书；{CFL}第六十四条第二项",
        ),
        DocumentType(
            "hearing_record",
            "听证笔录",
            ("hearing_record",),
            f"{FORMATS} 听证笔录；{CFL}第六十四条第八项；{JL}第十二条第六项",
            party_signs=True,
        ),
        DocumentType(
            "collective_discussion",
            "案件集体讨论记录",
            ("collective_discussion_minutes",),
            f"{FORMATS} 案件集体讨论记录；{CFL}第五十七条第二款；{JL}第十九条",
        ),
        DocumentType(
            "enforcement_reminder",
            "催告书",
            ("enforcement_reminder",),
            f"{FORMATS} 催告书；{COL}第三十五条、第五十四条；{JL}第二十九条",
        ),
        DocumentType(
            "closing_approval",
            "结案审批表",
            ("closing_report",),
            f"{FORMATS} 结案审批表；{CFL}第四十七条；{JL}第三十八条",
        ),
        DocumentType(
            "licence_decision",
            "准予行政许可决定书",
            ("licence_decision",),
            f"{CLL}第三十八条第一款、第三十九条",
            when=("granted", True),
        ),
        DocumentType(
            "licence_refusal",
            "不予行政许可决定书",
            ("licence_decision",),
            f"{CLL}第三十八条第二款",
            when=("granted", False),
        ),
        DocumentType(
            "case_cover",
            "卷宗封面",
            (),
            f"{FORMATS} 卷宗封面；{JL}第三十二条",
            case_file=True,
        ),
        DocumentType(
            "case_index",
            "卷内文件目录",
            (),
            f"{FORMATS} 卷内文件目录；{JL}第三十二条",
            case_file=True,
        ),
    )
}


def get(key: str) -> DocumentType:
    return TYPES[key]
