"""Case test helpers: officers with valid credentials linked to the personas, parties, cases."""

from __future__ import annotations

import io
from typing import Any

from sanxiang.cases import services
from sanxiang.ledger.blobs import blob_ingest
from sanxiang.testing.factories import OfficerFactory, make_credit_code, make_id_number

ORGANISATION = {
    "kind": "organisation",
    "name": "松原市某某食品有限公司",
    "credit_code": make_credit_code(8123, department="9", kind="1"),
    "legal_representative": "赵六",
}
PERSON = {"kind": "person", "name": "钱七", "id_type": "resident_id", "id_number": make_id_number(17)}


def officer_for(user, **kw):
    """Give ``user`` an officer profile with a valid credential in their agency."""
    officer = OfficerFactory(agency=user.agency, **kw)
    user.officer = officer
    user.save(update_fields=["officer"])
    return officer


def open_case(actor, *, partner=None, procedure="penalty_general", party=None, **kw) -> Any:
    """A case opened by ``actor`` (who must have an officer profile) with a second officer."""
    partner = partner or OfficerFactory(agency=actor.agency)
    defaults: dict[str, Any] = {
        "title": "销售过期食品案",
        "source": "inspection",
        "source_detail": "日常监督检查发现",
    }
    defaults.update(kw)
    return services.case_open(
        actor=actor,
        procedure=procedure,
        officers=[actor.officer, partner],
        parties=[party or ORGANISATION],
        **defaults,
    )


def video(content: bytes = b"\x00\x00\x00\x18ftypmp42 demo video") -> str:
    return blob_ingest(stream=io.BytesIO(content), media_type="video/mp4").sm3


def document(content: bytes = b"%PDF-1.4 demo scan") -> str:
    return blob_ingest(stream=io.BytesIO(content), media_type="application/pdf").sm3


def present(case, shown: bool = True) -> list[dict[str, Any]]:
    return [{"officer": str(o.officer.public_id), "shown": shown} for o in case.case_officers.all()]


def approve(case, kind, *, handler, reviewer, head):
    approval = services.approval_submit(
        actor=handler, case=case, kind=kind, reason="事实清楚", opinion="建议批准"
    )
    services.approval_review(actor=reviewer, approval=approval, agree=True, opinion="同意")
    return services.approval_decide(actor=head, approval=approval, agree=True, opinion="批准")


def penalty(kinds=("fine",), fine="5000", **extra) -> dict[str, Any]:
    return {"penalty_kinds": list(kinds), "fine_amount": fine, **extra}


def filed_case(handler, reviewer, head, **kw):
    case = open_case(handler, **kw)
    approve(case, "filing_approval", handler=handler, reviewer=reviewer, head=head)
    services.case_transition(actor=handler, case=case, transition="file")
    return case


def investigate(case, handler, *, report=None):
    services.record_add(
        actor=handler,
        case=case,
        kind="inquiry_record",
        payload={"content": "询问笔录"},
        officers=present(case),
    )
    services.record_add(
        actor=handler,
        case=case,
        kind="investigation_report",
        payload={"facts": "事实", "evidence": "证据", "basis": "依据", **(report or penalty())},
    )
    services.case_transition(actor=handler, case=case, transition="notify")


def notify(case, handler, *, proposal=None, hearing_rights=False, made_at=None):
    return services.record_add(
        actor=handler,
        case=case,
        kind="penalty_notice",
        made_at=made_at,
        payload={
            "document_number": "告〔2026〕1号",
            "content": "告知",
            "hearing_rights": hearing_rights,
            **(proposal or penalty()),
        },
    )


def a_case(agency, officer, *, title: str):
    """A case of ``agency`` handled by ``officer`` (for other apps' sweeps, e.g. the API scoping test)."""
    from sanxiang.accounts.roles import Role
    from sanxiang.testing.factories import UserFactory

    user = UserFactory(agency=agency, roles=[Role.OFFICER], officer=officer)
    return services.case_open(
        actor=user,
        procedure="penalty_general",
        title=title,
        source="inspection",
        officers=[officer, OfficerFactory(agency=agency)],
        parties=[ORGANISATION],
    )
