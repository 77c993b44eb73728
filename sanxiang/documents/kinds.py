"""The document types the platform generates: what each renders from and who signs it.

A type is code (which records feed it); its layout and wording are data (``DocumentTemplate``
rows, the default DOCX in ``docx/<key>.docx``). The 文书 formats follow 《市场监督管理行政处罚文书格式
范本（2021年修订版）》(国市监法发〔2021〕42号) where they apply."""

from __future__ import annotations

from dataclasses import dataclass

JL = "《松原市行政执法全过程记录实施办法》"
FORMATS = "《市场监督管理行政处罚文书格式范本（2021年修订版）》"
CFL = "《中华人民共和国行政处罚法》"


@dataclass(frozen=True)
class DocumentType:
    key: str
    title: str  # the title printed on the document
    records: tuple[str, ...]  # the case records it is rendered from (the latest one)
    source: str  # where its format comes from
    party_signs: bool = False  # printed, signed by the party (or refusal recorded): 第十二条
    from_review: bool = False  # rendered from the legal review's opinion, not a case record
    case_file: bool = False  # a page of the 案卷 export (卷宗封面, 卷内文件目录), not issued on its own


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
