"""Share of the privacy stress set caught by the redactor, before and after issue 10 §15.

The stress set (``sanxiang/disclosure/tests/stress_privacy.py``: invented people, ≥ 5 written forms of
each of 13 kinds of personal data) is redacted form by form, each in the context of the decision it
belongs to (the party's structured data, and what the case knows). A form is *caught* when its secret
no longer appears in the redacted text. In the same run:

- ``before``: the redactor as it was before issue 10 §15 (``sanxiang/disclosure/redaction.py`` at
  commit 305d2e8, read with ``git show``), which knew only the party's own name and address;
- ``after``: the current redactor with what the case knows (party, complainant), the patterns and the
  person-name recogniser.

The test ``test_10_15_privacy_stress.py`` publishes the same forms through the real pipeline and
asserts that none reaches any public surface; this bench only measures the share per kind.
Run: ``.venv/bin/python -m benches.run privacy_stress``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BEFORE_COMMIT = "305d2e8"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()


def _before_module():
    try:
        source = subprocess.run(
            ["git", "show", f"{BEFORE_COMMIT}:sanxiang/disclosure/redaction.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    path = Path(tempfile.mkdtemp()) / "redaction_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("redaction_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["redaction_before"] = module
    spec.loader.exec_module(module)
    return module


def _contexts():
    """The decision each kind of form belongs to, as (party name, address) and as the case knows it."""
    from sanxiang.disclosure.redaction.people import Known
    from sanxiang.disclosure.tests import stress_privacy as S

    person = Known()
    person.add_person(S.PERSON_NAME, "当事人")
    person.add_identifier(S.PERSON_ID, "id_number")
    person.add_identifier(S.PERSON_PHONE, "phone")
    person.add_address(S.PERSON_ADDRESS)
    person.add_person(S.REPORTER_NAME, "投诉举报人")
    person.add_contact(f"{S.REPORTER_PHONE}，{S.REPORTER_EMAIL}")
    shop = Known()
    shop.add_person(S.OPERATOR_NAME, "经营者")
    shop.add_address(S.SHOP_ADDRESS)
    return {
        "person": (S.PERSON_NAME, S.PERSON_ADDRESS, person, False),
        "shop": ("", S.SHOP_ADDRESS, shop, True),
    }


def run(args: Any = None) -> dict:
    _setup()
    from sanxiang.disclosure.redaction import Redactor
    from sanxiang.disclosure.redaction.text import mask_name
    from sanxiang.disclosure.tests import stress_privacy as S

    before = _before_module()
    contexts = _contexts()
    per_kind: dict[str, dict[str, int]] = {}
    started = time.perf_counter()
    for form in S.FORMS:
        context = "shop" if form.kind in ("minority_name", "premises") else "person"
        party_name, address, known, premises = contexts[context]
        row = per_kind.setdefault(form.kind, {"forms": 0, "caught_before": 0, "caught_after": 0})
        row["forms"] += 1
        after = Redactor(known=known, premises=premises).text("violation_facts", form.text)[0]
        row["caught_after"] += form.secret not in after
        if before is not None:
            old = before.Redactor(
                person_names=[(party_name, mask_name(party_name))] if party_name else [],
                addresses=[address],
                marks=[],
            )
            row["caught_before"] += form.secret not in old.text("violation_facts", form.text)[0]
    held_out = {"forms": len(S.HELD_OUT), "caught_before": 0, "caught_after": 0, "missed_after": []}
    party_name, address, known, premises = contexts["person"]
    for form in S.HELD_OUT:
        after = Redactor(known=known, premises=premises).text("violation_facts", form.text)[0]
        held_out["caught_after"] += form.secret not in after
        if form.secret in after:
            held_out["missed_after"].append(form.text)
        if before is not None:
            old = before.Redactor(
                person_names=[(party_name, mask_name(party_name))], addresses=[address], marks=[]
            )
            held_out["caught_before"] += form.secret not in old.text("violation_facts", form.text)[0]
    # precision: a clean sentence the redactor changes is a false positive
    changed = [
        text
        for text in S.CLEAN
        if Redactor(known=known, premises=premises).text("violation_facts", text)[0] != text
    ]
    elapsed = time.perf_counter() - started
    total = len(S.FORMS)
    caught_after = sum(r["caught_after"] for r in per_kind.values())
    caught_before = sum(r["caught_before"] for r in per_kind.values())
    return {
        "forms": total,
        "kinds": len(per_kind),
        "before_commit": BEFORE_COMMIT if before is not None else None,
        "caught_before": caught_before if before is not None else None,
        "share_before": round(caught_before / total, 3) if before is not None else None,
        "caught_after": caught_after,
        "share_after": round(caught_after / total, 3),
        "per_kind": per_kind,
        "held_out": held_out,
        "clean_sentences": len(S.CLEAN),
        "clean_changed": changed,
        # caught forms (stress set and held-out) against every redaction that hit a clean sentence
        "recall": round((caught_after + held_out["caught_after"]) / (total + len(S.HELD_OUT)), 3),
        "precision": round(
            (caught_after + held_out["caught_after"])
            / (caught_after + held_out["caught_after"] + len(changed)),
            3,
        ),
        "seconds_for_both": round(elapsed, 3),
    }
