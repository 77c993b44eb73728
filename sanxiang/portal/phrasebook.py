"""行政执法规范用语: the platform's default text, and the agency's own versions.

松政办发〔2019〕25号 责任分工方案 asks every agency to 制定执法规范用语 (一、（二）1 文字记录) and
to publish it as one of the five texts of the 12345+ system (二、（三）). The platform
ships the default below, built on the duties the statutes give the officer at each step; an agency
publishes its own version (``phrasebook_publish``), and until it does the portal shows the default,
marked as the platform's default. A period in a phrase is a ``{rule.key}`` placeholder filled from the
rules registry for the agency's region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

PLAN = "《松原市全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度责任分工方案》"
PENALTY_LAW = "《中华人民共和国行政处罚法》"

DEFAULT_VERSION = "平台默认文本（2026年12月）"
DEFAULT_UPDATED_ON = dt.date(2026, 12, 2)
DEFAULT_SOURCE = f"{PLAN}一、（一）2“事中公示”，一、（二）1“文字记录”，二、（三）"

DEFAULT_SECTIONS: list[dict[str, Any]] = [
    {
        "scene": "表明身份",
        "source": f"{PENALTY_LAW}第四十二条、第五十五条；{PLAN}一、（一）2",
        "civil": [
            "您好！我们是{agency}的行政执法人员，这是我们的行政执法证件（出示证件），证件号码分别是××、××，"
            "您可以在行政执法公示平台核对。",
            "今天我们依法对您（单位）进行检查，请您配合。",
        ],
        "forbidden": ["不出示证件：“你不用管我们是谁。”", "“少废话，让你配合就配合。”"],
    },
    {
        "scene": "告知事由与回避",
        "source": f"{PENALTY_LAW}第四十三条、第四十四条",
        "civil": [
            "我们这次检查（调查）的事由是××，依据是《××法》第××条。",
            "如果您认为我们与本案有直接利害关系或者有其他关系可能影响公正执法，有权申请我们回避。",
        ],
        "forbidden": ["“你自己干了什么你不知道？”", "“问那么多干什么。”"],
    },
    {
        "scene": "调查询问",
        "source": f"{PENALTY_LAW}第五十四条、第五十五条",
        "civil": [
            "现在对您进行询问，请您如实回答；询问笔录记完后请您核对，如有遗漏或差错，可以补正或更正。",
            "您有权进行陈述和申辩，我们会如实记录。",
            "核对无误后，请在每页签名并注明日期；如您拒绝签名，我们将注明情况。",
        ],
        "forbidden": ["“你不说也没用，我们都知道了。”", "诱导性提问：“你是不是早就知道这是违法的？”"],
    },
    {
        "scene": "告知权利",
        "source": f"{PENALTY_LAW}第四十四条、第四十五条、第六十三条、第六十四条",
        "civil": [
            "我们拟对您作出××的行政处罚，事实、理由和依据是××。您有陈述、申辩的权利。",
            "依法您有要求听证的权利，请在收到告知书后{penalty.hearing.request}内提出。",
            "我们不会因为您申辩而加重处罚。",
        ],
        "forbidden": ["“申辩也没用。”", "“你要是不服，就罚得更重。”"],
    },
    {
        "scene": "送达",
        "source": f"{PENALTY_LAW}第六十一条；《松原市行政执法全过程记录实施办法》第二十四条",
        "civil": [
            "这是××决定书，请您签收，并在送达回证上签名、注明收到日期。",
            "如不服本决定，可以依法申请行政复议或者提起行政诉讼，具体途径和期限写在决定书中。",
        ],
        "forbidden": ["把文书丢下就走：“放这儿了，爱签不签。”", "“不签也一样生效，不用跟你解释。”"],
    },
    {
        "scene": "窗口受理",
        "source": "《松原市行政执法公示办法》第十五条",
        "civil": [
            "您好，请问您办理什么事项？",
            "您的材料还需要补正以下几项，我们一次性告诉您，这是补正材料通知书。",
            "您的申请已受理，这是受理通知书，可以凭申请编号和核验码在行政执法公示平台查询办理进度。",
        ],
        "forbidden": [
            "“不知道，去问别人。”",
            "“材料不全，回去再看看。”（不一次性告知）",
            "“下班了，明天再来。”",
        ],
    },
]


@dataclass(frozen=True)
class Phrasebook:
    """The text in force for an agency: its own version, or the platform's default."""

    sections: list[dict[str, Any]]
    source: str
    version_label: str
    updated_on: dt.date
    is_default: bool
    reason: str = ""


def default() -> Phrasebook:
    return Phrasebook(DEFAULT_SECTIONS, DEFAULT_SOURCE, DEFAULT_VERSION, DEFAULT_UPDATED_ON, True)


def in_force(agency, on: dt.date) -> Phrasebook:
    """The agency's latest version effective on ``on``, else the platform's default, with every
    ``{rule.key}`` filled for the agency's region and ``{agency}`` by its name."""
    from sanxiang.portal.models import PhrasebookVersion
    from sanxiang.rules.selectors import fill

    own = (
        PhrasebookVersion.objects.filter(agency=agency, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    book = (
        Phrasebook(own.sections, own.source, f"第{own.version}版", own.effective_from, False, own.reason)
        if own is not None
        else default()
    )

    def text(line: str) -> str:
        return fill(line, region=agency.region_code, on=on).replace("{agency}", agency.name)

    sections = [
        {**s, "civil": [text(x) for x in s["civil"]], "forbidden": [text(x) for x in s["forbidden"]]}
        for s in book.sections
    ]
    return Phrasebook(
        sections, book.source, book.version_label, book.updated_on, book.is_default, book.reason
    )
