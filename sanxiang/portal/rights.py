"""救济途径 — the rights a party has against an enforcement act, with their statutory periods.

Published on the portal (《松原市行政执法公示办法》第十二条: 公开听证权、陈述权、申辩权和申请行政复议或者
提起行政诉讼等法定权利和救济途径). The periods are rules in the rules registry (national profile),
written into the text from their values; ``UPDATED_ON`` tells the public when the text last changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

UPDATED_ON = dt.date(2026, 11, 24)


@dataclass(frozen=True)
class Right:
    key: str
    name: str
    period: str
    how: str
    source: str


def rights(on: dt.date | None = None) -> list[Right]:
    """The rights with their periods as in force on ``on`` (today by default)."""
    from django.utils import timezone

    from sanxiang.rules.selectors import rule_for

    day = on or timezone.localdate()

    def shown(key: str) -> str:
        return rule_for(key, region="", on=day).display_value

    periods = {
        "hearing": f"在行政机关告知后{shown('penalty.hearing.request')}内提出；行政机关应当在举行听证的"
        f"{shown('penalty.hearing.notice')}前通知当事人听证的时间、地点",
        "reconsideration": f"自知道或者应当知道该行政行为之日起{shown('remedy.reconsideration')}内提出",
        "litigation": f"直接起诉的，自知道或者应当知道作出行政行为之日起{shown('remedy.litigation')}内提出；"
        f"经复议的，自收到复议决定书之日起{shown('remedy.litigation_after_reconsideration')}内提出",
    }
    return [Right(r.key, r.name, periods.get(r.key, r.period), r.how, r.source) for r in _RIGHTS]


_RIGHTS = [
    Right(
        "statement",
        "陈述、申辩",
        "在行政处罚告知书载明的期限内提出",
        "行政机关作出行政处罚决定前，应当告知拟作出的处罚内容及事实、理由、依据和当事人依法享有的陈述、申辩权利；"
        "行政机关必须充分听取当事人的意见，不得因当事人陈述、申辩而给予更重的处罚。",
        "《中华人民共和国行政处罚法》第七条、第四十四条、第四十五条",
    ),
    Right(
        "hearing",
        "听证",
        "",
        "拟作出较大数额罚款、没收较大数额违法所得或非法财物、降低资质等级、吊销许可证件、责令停产停业、责令关闭、"
        "限制从业等处罚的，当事人有权要求听证；当事人不承担听证的费用。",
        "《中华人民共和国行政处罚法》第六十三条、第六十四条、第八十五条",
    ),
    Right(
        "reconsideration",
        "行政复议",
        "",
        "认为行政行为侵犯其合法权益的，可以向行政复议机关申请行政复议。",
        "《中华人民共和国行政复议法》第二十条",
    ),
    Right(
        "litigation",
        "行政诉讼",
        "",
        "对行政行为不服的，可以依法向人民法院提起行政诉讼。",
        "《中华人民共和国行政诉讼法》第四十五条、第四十六条",
    ),
    Right(
        "records",
        "查阅、复制执法记录",
        "执法过程中及结案后均可申请",
        "当事人可以申请查阅、复制执法全过程记录，经本机关负责人批准后提供；涉及国家秘密、商业秘密、个人隐私的除外。",
        "《松原市行政执法全过程记录实施办法》第三十四条、第三十五条",
    ),
    Right(
        "correction",
        "申请更正公示信息",
        "随时可以提出",
        "公民、法人或者其他组织认为公示的行政执法信息不准确的，可以要求行政执法机关予以更正。",
        "《松原市行政执法公示办法》第三十一条",
    ),
]
