"""Sources are written in code as the project cites them ("seed 002 记录办法 第八条"); the portal
shows the document's own title instead."""

from __future__ import annotations

SEED_TITLES = {
    "seed 002 公示办法": "《松原市行政执法公示办法》",
    "seed 002 记录办法": "《松原市行政执法全过程记录实施办法》",
    "seed 002 审核办法": "《松原市重大行政执法决定法制审核办法》",
}
LAW_TITLES = {
    "行政处罚法": "《中华人民共和国行政处罚法》",
    "行政许可法": "《中华人民共和国行政许可法》",
    "行政强制法": "《中华人民共和国行政强制法》",
}


def public_source(source: str) -> str:
    text = str(source or "")
    for short, title in SEED_TITLES.items():
        text = text.replace(short, title)
    for short, title in LAW_TITLES.items():
        text = text.replace(f"{short} ", f"{title}").replace(f"{short}、", f"{title}、")
    return text.replace("; ", "；")
