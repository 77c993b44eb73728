"""accounts is a lower app: the staff home gathers every app's "my work" through registered
providers and imports no domain app (STYLE.md: where things belong; issue 11 item 7)."""

import re
from pathlib import Path

HIGHER = ("cases", "review", "disclosure", "inspections", "supervision", "documents", "assist", "portal")


def test_accounts_imports_no_higher_app():
    root = Path(__file__).resolve().parents[1]
    pattern = re.compile(rf"(?:from|import)\s+sanxiang\.({'|'.join(HIGHER)})\b")
    offenders = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_domain_app_registers_its_work_provider():
    from sanxiang.accounts.selectors import _providers

    assert {"cases", "review", "disclosure"} <= set(_providers)
