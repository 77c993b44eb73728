"""The 执法文书 panel on the case page (registered with ``sanxiang.cases.panels``): each document the
case can give or has given, its number and whether the party's signature is still missing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sanxiang.cases.panels import CaseAction, CasePanel, PanelRow
from sanxiang.documents import selectors


def documents_panel(user: Any, case: Any, view: Any) -> CasePanel | None:
    rows = selectors.case_documents(case, view)
    if not rows:
        return None
    panel = CasePanel(title="执法文书", anchor="documents")
    for row in rows:
        doc = row.current
        if doc is None:
            panel.rows.append(PanelRow(row.dtype.title, "可生成"))
        else:
            state = selectors.signature_state(doc)
            panel.rows.append(
                PanelRow(row.dtype.title, "；".join(x for x in (doc.number or "已生成", state) if x))
            )
    panel.links.append(
        CaseAction("文书：预览、生成、下载、打印", reverse("documents:case", args=[case.public_id]))
    )
    return panel
