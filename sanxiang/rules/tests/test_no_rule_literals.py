"""No period, threshold or ratio is written into code or templates: a sentence a person reads that
states one is built from the rules registry's value (``rule_for(...).display_value``,
``{rule.key}`` placeholders filled by ``rules.selectors.fill``).

The scan reads every string constant of the application code (not docstrings or comments, which
explain the law to programmers) and every template line outside ``{{ }}`` and ``{% %}``. Tests,
migrations, the demo data and the rules catalogue itself (where the values live) are not scanned.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sanxiang

ROOT = Path(sanxiang.__file__).resolve().parent

# A number (digits or Chinese numerals) followed by a unit of time, money or head count.
NUMBER = r"(?:\d+|[一二三四五六七八九十百千两]+)"
RULE_LITERAL = re.compile(
    NUMBER + r"\s*(?:个工作日|工作日|日内|日前|日以内|小时|个月内|年内|元以下|元以上|名以上|人以上)"
    r"|不少于两|少于两"
)
PERCENT = re.compile(r"\d+\s*[%％]")

# Known literals, each with the reason it is not a rule of the registry.
ALLOWED = {
    # The review app's own check of a collective-discussion record: no source document sets a
    # number (《松原市重大行政执法决定法制审核办法》第十三条 says only 负责人集体讨论决定).
    ("review/services/discussion.py", "二人以上"),
}


def _skipped(path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    return (
        "/tests/" in f"/{rel}"
        or "/migrations/" in f"/{rel}"
        or rel.startswith("demo/")
        or rel.endswith("demo.py")
        or rel == "rules/catalogue.py"
        # The assistance evaluation set: the wording of the facts in generated case files
        # ("近三年内无违法记录" is what a party's file says, not a period the platform applies).
        or rel == "assist/evalset.py"
        or "/testing/" in f"/{rel}"
    )


def _string_constants(tree: ast.AST):
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def _python_hits() -> list[str]:
    hits = []
    for path in sorted(ROOT.rglob("*.py")):
        if _skipped(path):
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line, text in _string_constants(ast.parse(path.read_text(encoding="utf-8"))):
            for found in [*RULE_LITERAL.findall(text), *PERCENT.findall(text)]:
                if (rel, found) not in ALLOWED:
                    hits.append(f"{rel}:{line}: {found!r} in {text[:60]!r}")
    return hits


TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _template_hits() -> list[str]:
    hits = []
    for path in sorted(ROOT.rglob("*.html")):
        if _skipped(path):
            continue
        rel = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for found in RULE_LITERAL.findall(TEMPLATE_CODE.sub("", line)):
                hits.append(f"{rel}:{number}: {found!r}")
    return hits


def test_no_string_in_the_application_code_states_a_period_or_threshold_of_its_own():
    # 国办发〔2018〕118号 and every profile's document: the value comes from the rules registry
    assert _python_hits() == []


def test_no_template_states_a_period_or_threshold_outside_a_variable():
    assert _template_hits() == []


def test_the_scan_finds_a_literal_where_there_is_one():
    assert RULE_LITERAL.findall("应当在七个工作日内送达") == ["七个工作日"]
    assert RULE_LITERAL.findall("超过24小时录入") == ["24小时"]
    assert RULE_LITERAL.findall("对公民处二百元以下罚款") == ["二百元以下"]
    assert RULE_LITERAL.findall("第二十七条") == []
    assert TEMPLATE_CODE.sub("", "超过{{ rule.display_value }}录入") == "超过录入"
