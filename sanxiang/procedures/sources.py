"""Statutes are written in code by their short names ("行政处罚法 第六十条"); the portal shows the
law's full title instead. Local documents are written by their full titles already."""

from __future__ import annotations

LAW_TITLES = {
    "行政处罚法": "《中华人民共和国行政处罚法》",
    "行政许可法": "《中华人民共和国行政许可法》",
    "行政强制法": "《中华人民共和国行政强制法》",
}


def public_source(source: str) -> str:
    text = str(source or "")
    for short, title in LAW_TITLES.items():
        text = text.replace(f"{short} ", f"{title}").replace(f"{short}、", f"{title}、")
    return text.replace("; ", "；")
