"""Reads of cases, scoped like the registry: officers, heads and reviewers see their own agency's
cases, supervisors their region's, administrators all; anyone else nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from sanxiang.cases.context import CaseView, context_of, load
from sanxiang.cases.display import cite_text
from sanxiang.cases.models import Approval, Case, CaseOfficer, CaseRecord
from sanxiang.cases.rules import late_payment_surcharge
from sanxiang.cases.services import can_act
from sanxiang.cases.specs import fields_for, is_approval_record
from sanxiang.errors import NotFound
from sanxiang.procedures import registry
from sanxiang.procedures.engine import DeadlineStatus, Unmet, deadlines_for, transition_options
from sanxiang.registry.models import Agency
from sanxiang.registry.selectors import agency_scope
from sanxiang.rules.selectors import rule_for


def visible_cases(user) -> QuerySet[Case]:
    qs = Case.objects.select_related("agency")
    scope = agency_scope(user)
    if scope is None:
        return qs
    return qs.filter(agency__in=Agency.objects.filter(scope).values("pk"))


def case_for(user, public_id) -> Case:
    case = visible_cases(user).filter(public_id=public_id).first()
    if case is None:
        raise NotFound("case")
    return case


def my_open_cases(user) -> QuerySet[Case]:
    """Unsealed cases the user handles (as one of the case's officers), or, for a head, the agency's."""
    qs = visible_cases(user).filter(sealed_at__isnull=True)
    if getattr(user, "officer_id", None):
        # a semi-join, not a join with DISTINCT over every column (7 s on 100,000 cases)
        mine = CaseOfficer.objects.filter(officer_id=user.officer_id).values("case_id")
        return qs.filter(pk__in=mine)
    from sanxiang.accounts.roles import Role

    if getattr(user, "is_authenticated", False) and user.has_role(Role.HEAD):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


SORTS = {
    "opened": ("-opened_at", "-pk"),
    "opened_asc": ("opened_at", "pk"),
    "number": ("number", "pk"),
    "due": ("next_due", "-opened_at"),
}
DEADLINE_FILTERS = {"overdue": "已逾期", "near": "即将届满", "none": "无逾期"}


@dataclass
class CaseFilter:
    q: str = ""  # 案号、案由或当事人
    stage: str = ""  # "<procedure>:<stage>"
    officer: str = ""  # officer public id
    deadline: str = ""  # overdue | near | none
    agency: str = ""  # agency public id (supervisors)
    scope: str = "all"  # mine | all
    sort: str = "opened"


def case_search(user, f: CaseFilter) -> QuerySet[Case]:
    """The case list's query: scoped like ``visible_cases``, filtered and sorted by ``f``; each case
    carries ``next_due`` (its earliest open deadline, kept with its ``CaseDeadline`` rows)."""
    import datetime as _dt

    from django.db.models import Q
    from django.utils import timezone

    from sanxiang.cases.models import CaseDeadline

    qs = my_open_cases(user) if f.scope == "mine" else visible_cases(user)
    q = (f.q or "").strip()
    if q:
        # a term without letters that have a case (Chinese, digits, 〔〕) is matched as typed: folding
        # the case of every row (UPPER(...) LIKE) costs three times the plain LIKE on PostgreSQL
        lookup = "contains" if q.upper() == q.lower() else "icontains"
        # the parties' names are on the case row (``Case.party_names``): no scan of every party
        qs = qs.filter(
            Q(**{f"number__{lookup}": q}) | Q(**{f"title__{lookup}": q}) | Q(**{f"party_names__{lookup}": q})
        )
    if f.stage and ":" in f.stage:
        procedure, stage = f.stage.split(":", 1)
        qs = qs.filter(procedure=procedure, stage=stage)
    if f.officer:
        try:
            qs = qs.filter(case_officers__officer__public_id=uuid.UUID(f.officer))
        except ValueError:
            qs = qs.none()
    if f.agency:
        try:
            qs = qs.filter(agency__public_id=uuid.UUID(f.agency))
        except ValueError:
            qs = qs.none()
    today = timezone.localdate()
    # overdue: a running deadline before today, i.e. the earliest one (``next_due``) is before today
    if f.deadline == "overdue":
        qs = qs.filter(next_due__lt=today)
    elif f.deadline == "near":
        soon = today + _dt.timedelta(days=NEAR_DUE_DAYS)
        qs = qs.filter(
            pk__in=CaseDeadline.objects.filter(due_date__gte=today, due_date__lte=soon).values("case_id")
        )
    elif f.deadline == "none":
        qs = qs.filter(Q(next_due__isnull=True) | Q(next_due__gte=today))
    # the earliest deadline is stored on the case (``Case.next_due``, written with the CaseDeadline
    # rows): sorting by it reads an index, not the earliest deadline of every matching case
    order = SORTS.get(f.sort, SORTS["opened"])
    if f.deadline == "near":
        # the few cases due in the next days: found through the deadline rows and sorted, not by
        # walking the sorted index through every case of the agency until thirty of them turn up
        # (PostgreSQL's choice for the plain order: a second for 100,000 cases)
        order = tuple(_sorted_without_index(key) for key in order)
    return qs.order_by(*order)


def _sorted_without_index(key: str):
    """The same order as ``key`` (``"-opened_at"``…), as an expression no index of the table answers."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    name = key.lstrip("-")
    if name == "pk":
        return key
    expression = Coalesce(F(name), F(name))
    return expression.desc() if key.startswith("-") else expression.asc()


def stage_choices() -> list[tuple[str, str]]:
    return [(f"{d.key}:{st.key}", f"{d.name} · {st.name}") for d in registry.definitions() for st in d.stages]


def approval_for(user, case: Case, public_id) -> Approval:
    approval = case.approvals.filter(public_id=public_id).first()
    if approval is None:
        raise NotFound("approval")
    return approval


def record_for(case: Case, public_id) -> CaseRecord:
    record = case.records.select_related("made_by").filter(public_id=public_id).first()
    if record is None:
        raise NotFound("record")
    return record


def case_decisions(case: Case) -> list:
    """Every decision row of ``case`` (the original first, then its corrections), with parties,
    lines and changes loaded; the caller got ``case`` through ``case_for`` (scoped)."""
    from django.db.models import Prefetch

    from sanxiang.cases.models import Decision, DecisionLine, DecisionParty

    return list(
        Decision.objects.filter(case=case)
        .select_related("record", "corrects")
        .prefetch_related(
            Prefetch("decision_parties", queryset=DecisionParty.objects.select_related("party")),
            Prefetch("lines", queryset=DecisionLine.objects.order_by("pk")),
            "changes",
        )
        .order_by("made_at", "pk")
    )


def procedure_name(key: str) -> str:
    try:
        return registry.get(key).name
    except KeyError:
        return key


def stage_name(procedure: str, stage: str) -> str:
    try:
        return registry.get(procedure).stage(stage).name
    except KeyError:
        return stage


# ---------------------------------------------------------------- verification


# Verification states of a timeline entry.
VERIFIED = "verified"  # hash, content and inclusion in the latest signed tree head all check out
PENDING = "pending"  # hash and content check out; not yet covered by a signed tree head
MISMATCH = "mismatch"  # the entry's hash or content differs from what the case row says
NOT_INCLUDED = "not_included"  # the entry does not prove into the signed tree head
MISSING = "missing"  # no ledger entry at that number
BAD_CHECKPOINT = "bad_checkpoint"  # the latest tree head's signature does not verify

VERIFICATION_LABELS = {
    VERIFIED: "已纳入签名树头 #{n}",
    PENDING: "哈希已核验，待纳入签名树头",
    MISMATCH: "核验失败：存证内容或哈希与案件记录不符",
    NOT_INCLUDED: "核验失败：不能证明已纳入签名树头 #{n}",
    MISSING: "核验失败：存证记录缺失",
    BAD_CHECKPOINT: "核验失败：签名树头 #{n} 的签名无效",
}

_checkpoint_checked: dict[tuple[int, str], bool] = {}


@dataclass
class Verification:
    """The verification of a set of ledger entries against the latest signed tree head."""

    states: dict[int, str]
    checkpoint_size: int | None  # "签名树头 #N": N is the tree size the head signs

    def get(self, seq: int, default: str = MISSING) -> str:
        return self.states.get(seq, default)


def _checkpoint_valid(checkpoint) -> bool:
    """The tree head's SM2 signature verifies and its body names its root (checked once per process)."""
    from sanxiang.ledger.verifier import ProofError, verify_checkpoint

    key = (checkpoint.size, checkpoint.signature)
    if key not in _checkpoint_checked:
        try:
            fields = verify_checkpoint(
                checkpoint.body.encode("utf-8"), checkpoint.signature, checkpoint.key.public_key
            )
            ok = fields.get("size") == checkpoint.size and fields.get("root") == checkpoint.root
        except ProofError:
            ok = False
        _checkpoint_checked[key] = ok
    return _checkpoint_checked[key]


def inclusion_proofs(seqs, size: int) -> dict[int, list[bytes]]:
    """The audit path of each entry in ``seqs`` in the tree of ``size`` entries, the nodes of all of
    them fetched in one batch (the same paths as ``ledger.services.inclusion_proof``, one at a time)."""
    from sanxiang.ledger import merkle
    from sanxiang.ledger.services import fetch_nodes
    from sanxiang.ledger.verifier import sm3

    ranges = {seq: merkle.inclusion_ranges(seq, size) for seq in seqs if 0 <= seq < size}
    nodes = fetch_nodes(set().union(*(merkle.keys_for(r) for r in ranges.values()))) if ranges else {}
    return {seq: merkle.hashes_for(sm3, r, nodes) for seq, r in ranges.items()}


def verify_rows(pairs: list[tuple[int, dict[str, Any]]]) -> Verification:
    """For (ledger seq, expected payload subset) pairs: the entry's leaf hash must be the hash of its
    body, the body must say what the row says, and the entry must prove (RFC 9162 inclusion proof,
    the leaf recomputed from the body) into the latest signed tree head."""
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.services import LedgerCorrupt, latest_checkpoint
    from sanxiang.ledger.verifier import ProofError, leaf_hash, sm3, verify_inclusion

    entries = Entry.objects.in_bulk([seq for seq, _ in pairs])
    out: dict[int, str] = {}
    leaves: dict[int, bytes] = {}
    for seq, expected in pairs:
        entry = entries.get(seq)
        if entry is None:
            out[seq] = MISSING
            continue
        leaf = leaf_hash(sm3, entry.body.encode("utf-8"))
        if leaf != bytes(entry.leaf_hash):
            out[seq] = MISMATCH
            continue
        body = json.loads(entry.body)
        payload = body.get("payload", {})
        ok = all(payload.get(k) == v for k, v in expected.items() if k != "blobs")
        if "blobs" in expected:
            ok = ok and [b["sm3"] for b in body.get("blobs", [])] == expected["blobs"]
        if out.get(seq) != MISMATCH:
            out[seq] = PENDING if ok else MISMATCH
            leaves[seq] = leaf
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        return Verification(out, None)
    covered = [seq for seq in leaves if out[seq] == PENDING and seq < checkpoint.size]
    if covered and not _checkpoint_valid(checkpoint):
        out.update({seq: BAD_CHECKPOINT for seq in covered})
        return Verification(out, checkpoint.size)
    try:
        proofs = inclusion_proofs(covered, checkpoint.size)
    except LedgerCorrupt:
        proofs = {}
    root = bytes.fromhex(checkpoint.root)
    for seq in covered:
        try:
            verify_inclusion(sm3, seq, checkpoint.size, leaves[seq], proofs.get(seq), root)
            out[seq] = VERIFIED
        except ProofError:
            out[seq] = NOT_INCLUDED
    return Verification(out, checkpoint.size)


def _event_expectation(case: Case, e) -> dict[str, Any]:
    if e.kind == "transition":
        return {"transition": e.transition, "to": e.to_stage}
    if e.kind == "opened":
        return {"number": case.number, "procedure": case.procedure, "title": case.title}
    if e.kind == "extension":
        return {"limit": e.payload.get("limit"), "days": e.payload.get("days"), "reason": e.note}
    return {"officer": e.payload.get("name")}


def _record_expectation(r: CaseRecord) -> dict[str, Any]:
    return {
        "record": str(r.public_id),
        "kind": r.kind,
        "payload": r.payload,
        "officers": r.officers,
        "blobs": list(r.blob_hashes),
    }


# ---------------------------------------------------------------- detail


@dataclass
class TimelineItem:
    at: dt.datetime
    type: str  # record | event | approval
    title: str
    actor: str
    ledger_seq: int
    verification: str
    detail: dict[str, Any] = field(default_factory=dict)
    record: CaseRecord | None = None
    checkpoint_size: int | None = None

    @property
    def verified(self) -> bool:
        return self.verification == VERIFIED

    @property
    def failed(self) -> bool:
        return self.verification not in (VERIFIED, PENDING)

    @property
    def verification_label(self) -> str:
        return VERIFICATION_LABELS.get(self.verification, self.verification).format(n=self.checkpoint_size)


@dataclass
class Option:
    key: str
    name: str
    target: str
    target_name: str
    unmet: list[Unmet]

    @property
    def allowed(self) -> bool:
        return not self.unmet

    @property
    def label(self) -> str:
        """The button: the transition and the stage it leads to, unless its name already ends with it
        (不予处罚，结案; 立卷归档)."""
        if self.name.endswith(self.target_name):
            return self.name
        return f"{self.name} → {self.target_name}"


@dataclass
class CaseDetail:
    case: Case
    view: CaseView
    timeline: list[TimelineItem]
    options: list[Option]
    deadlines: list[DeadlineStatus]
    major: list
    surcharge: Decimal | None
    approvals: list[Approval]
    record_kinds: list[dict[str, Any]]
    can_act: bool

    @property
    def procedure_name(self) -> str:
        return self.view.defn.name

    @property
    def stage_name(self) -> str:
        return self.view.defn.stage(self.case.stage).name


def timeline(view: CaseView, approvals: list[Approval]) -> list[TimelineItem]:
    specs = view.defn.records()
    stage_names = {s.key: s.name for s in view.defn.stages}
    items: list[TimelineItem] = []
    expectations: list[tuple[int, dict[str, Any]]] = []
    for r in view.all_records:
        expectations.append((r.ledger_seq, _record_expectation(r)))
    for e in view.events_rows:
        expectations.append((e.ledger_seq, _event_expectation(view.case, e)))
    steps = [s for a in approvals for s in a.steps.all()]
    for s in steps:
        expectations.append((s.ledger_seq, {"role": s.role, "agree": s.agree, "opinion": s.opinion}))
    status = verify_rows(expectations)
    for r in view.all_records:
        spec = specs.get(r.kind)
        items.append(
            TimelineItem(
                at=r.made_at,
                type="record",
                title=(spec.name if spec else r.kind) + ("（更正）" if r.corrects_id else ""),
                actor=str(r.made_by),
                ledger_seq=r.ledger_seq,
                verification=status.get(r.ledger_seq, "missing"),
                detail={"kind": r.kind, "superseded": r not in view.records},
                record=r,
            )
        )
    for e in view.events_rows:
        if e.kind == "transition":
            title = (
                f"{stage_names.get(e.from_stage, e.from_stage)} → {stage_names.get(e.to_stage, e.to_stage)}"
            )
            verification = status.get(e.ledger_seq, "missing")
        elif e.kind == "extension":
            limits = {t.key: t.name for t in view.defn.time_limits}
            title = f"延长期限：{limits.get(e.payload.get('limit'), '办案期限')} {e.payload.get('days')}日"
        elif e.kind == "opened":
            title = "案件登记"
        else:
            title = f"指派办案人员 {e.payload.get('name', '')}"
        if e.kind != "transition":
            verification = status.get(e.ledger_seq, "missing")
        items.append(
            TimelineItem(
                at=e.at,
                type="event",
                title=title,
                actor=str(e.actor),
                ledger_seq=e.ledger_seq,
                verification=verification,
                detail={"kind": e.kind, "note": e.note, "transition": e.transition},
            )
        )
    for a in approvals:
        name = specs[a.kind].name if a.kind in specs else a.kind
        for s in a.steps.all():
            items.append(
                TimelineItem(
                    at=s.at,
                    type="approval",
                    title=f"{name} · {s.get_role_display()}{'同意' if s.agree else '不同意'}",
                    actor=s.name,
                    ledger_seq=s.ledger_seq,
                    verification=status.get(s.ledger_seq, "missing"),
                    detail={"opinion": s.opinion, "approval": str(a.public_id)},
                )
            )
    for item in items:
        item.checkpoint_size = status.checkpoint_size
    items.sort(key=lambda i: (i.at, i.ledger_seq))
    return items


def record_kinds(view: CaseView) -> list[dict[str, Any]]:
    """The records the current stage takes, with their form fields (generated from the RecordSpec)."""
    stage = view.defn.stage(view.case.stage)
    out = []
    for spec in stage.records:
        out.append(
            {
                "key": spec.key,
                "name": spec.name,
                "source": spec.source,
                "av_required": spec.av_required,
                "av_source": spec.av_source,
                "approval": is_approval_record(view.case.procedure, spec.key),
                "officers_required": spec.key in _officer_records(),
                "fields": fields_for(spec.key),
                "count": len(view.by_kind.get(spec.key, ())),
            }
        )
    return out


def _officer_records():
    from sanxiang.cases.specs import OFFICER_RECORDS

    return OFFICER_RECORDS


def surcharge(view: CaseView, deadlines: list[DeadlineStatus]) -> Decimal | None:
    """加处罚款 owed today on an unpaid fine past its period (行政处罚法 第七十二条)."""
    decision = view.latest("decision_document", "on_spot_decision")
    if decision is None:
        return None
    fine = Decimal(decision.payload.get("fine_amount") or 0)
    payment = next((d for d in deadlines if d.key == "payment"), None)
    if not fine or payment is None or payment.due is None or payment.done is not None:
        return None
    return late_payment_surcharge(fine=fine, due=payment.due, on=view.today, region=view.case.region_code)


def case_detail(user, case: Case) -> CaseDetail:
    view = load(case)
    ctx = context_of(view)
    approvals = list(case.approvals.prefetch_related("steps"))
    options = [
        Option(t.key, t.name, t.target, view.defn.stage(t.target).name, unmet)
        for t, unmet in transition_options(view.defn, case.stage, ctx)
        if not (t.only_when_allowed and unmet)
    ]
    deadlines = deadlines_for(view.defn, ctx)
    return CaseDetail(
        case=case,
        view=view,
        timeline=timeline(view, approvals),
        options=options if not case.sealed else [],
        deadlines=deadlines,
        major=view.major,
        surcharge=surcharge(view, deadlines),
        approvals=approvals,
        record_kinds=record_kinds(view) if not case.sealed else [],
        can_act=can_act(user, case),
    )


def case_deadlines(case: Case) -> list[DeadlineStatus]:
    view = load(case)
    return deadlines_for(view.defn, context_of(view))


def overdue(deadlines: list[DeadlineStatus]) -> list[DeadlineStatus]:
    return [d for d in deadlines if d.state == "overdue"]


# ---------------------------------------------------------------- staff home ("my work")

MY_WORK_CASES = 20


def work_items(user) -> list:
    """Open duties for the staff home page: the user's open cases with their next or overdue
    deadline (overdue first), and approvals waiting for the user's role."""
    from sanxiang.accounts.roles import Role
    from sanxiang.accounts.selectors import WorkItem

    if not getattr(user, "is_authenticated", False):
        return []
    overdue_items, open_items = [], []
    for case in my_open_cases(user).order_by("-opened_at")[:MY_WORK_CASES]:
        statuses = case_deadlines(case)
        late = [d for d in statuses if d.state == "overdue"]
        running = sorted((d for d in statuses if d.state == "running" and d.due), key=lambda d: str(d.due))
        url = f"/staff/cases/{case.public_id}/"
        stage = stage_name(case.procedure, case.stage)
        for d in late:
            overdue_items.append(
                WorkItem(
                    "逾期",
                    f"{case.number} {d.limit.name}（{cite_text(d.source)}）",
                    _due(d.due),
                    url,
                    d.state,
                )
            )
        nxt = running[0] if running else None
        open_items.append(
            WorkItem(
                "在办案件",
                f"{case.number} {case.title}（{stage}）",
                f"{nxt.limit.name} {_due(nxt.due)}" if nxt else "—",
                url,
                nxt.state if nxt else "",
            )
        )
    waiting = Approval.objects.none()
    if user.has_role(Role.HEAD):
        waiting = Approval.objects.filter(case__agency_id=user.agency_id, status=Approval.Status.APPROVING)
    elif user.agency_id:
        waiting = Approval.objects.filter(
            case__agency_id=user.agency_id, status=Approval.Status.REVIEWING
        ).exclude(steps__user=user)
    approvals = [
        WorkItem(
            "待审批",
            f"{a.case.number} {selectors_record_name(a)}",
            a.get_status_display(),
            f"/staff/cases/{a.case.public_id}/",
        )
        for a in waiting.select_related("case")[:MY_WORK_CASES]
    ]
    return overdue_items + approvals + open_items + watched_items(user)


# How far ahead the supervisor's and the head's home looks for deadlines coming due (a display
# choice of the work list, not a legal period).
NEAR_DUE_DAYS = 3
WATCHED_ITEMS = 50


def watched_items(user) -> list:
    """For supervisors (every agency of their region) and heads (their agency): every case deadline
    overdue or due within ``NEAR_DUE_DAYS`` (办案期限, 归档, 送达 …, from ``CaseDeadline``) and the
    recordings stored more than 24 hours after they were made (记录办法 第三十二条), worst first."""
    import datetime as _dt

    from django.utils import timezone

    from sanxiang.accounts.roles import Role
    from sanxiang.accounts.selectors import WorkItem
    from sanxiang.cases.models import CaseDeadline

    if not (user.has_role(Role.SUPERVISOR) or user.has_role(Role.HEAD)):
        return []
    today = timezone.localdate()
    scope = agency_scope(user)
    rows = CaseDeadline.objects.filter(due_date__lte=today + _dt.timedelta(days=NEAR_DUE_DAYS))
    late = CaseRecord.objects.filter(late_upload=True, corrects__isnull=True)
    if not user.has_role(Role.SUPERVISOR):
        rows = rows.filter(agency_id=user.agency_id)
        late = late.filter(case__agency_id=user.agency_id)
    elif scope is not None:
        agencies = Agency.objects.filter(scope).values("pk")
        rows = rows.filter(agency__in=agencies)
        late = late.filter(case__agency__in=agencies)
    items = []
    # only the columns the list shows: no case, agency and deadline objects built for every row
    shown = ("due_date", "name", "source", "case__number", "case__public_id", "agency__name")
    for d in rows.order_by("due_date", "pk").values(*shown)[:WATCHED_ITEMS]:
        overdue = d["due_date"] < today
        items.append(
            WorkItem(
                "办案期限逾期" if overdue else "办案期限将届满",
                f"{d['case__number']} {d['name']}（{d['agency__name']}；{cite_text(d['source'])}）",
                d["due_date"].isoformat(),
                f"/staff/cases/{d['case__public_id']}/",
                "overdue" if overdue else "running",
            )
        )
    if user.has_role(Role.SUPERVISOR):
        for r in late.select_related("case__agency").order_by("-uploaded_at")[:WATCHED_ITEMS]:
            spec = registry.get(r.case.procedure).records().get(r.kind)
            upload = rule_for("record.upload", region=r.case.region_code, on=timezone.localdate(r.made_at))
            items.append(
                WorkItem(
                    "音像记录逾期录入",
                    f"{r.case.number} {spec.name if spec else '案件记录'}"
                    f"（{r.case.agency.name}；超过{upload.display_value}录入）",
                    timezone.localtime(r.uploaded_at).strftime("%Y-%m-%d"),
                    f"/staff/cases/{r.case.public_id}/record/{r.public_id}/",
                    "late",
                )
            )
    return items


def selectors_record_name(approval: Approval) -> str:
    spec = registry.get(approval.case.procedure).records().get(approval.kind)
    return spec.name if spec else approval.kind


def _due(value) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value else "—"


# ---------------------------------------------------------------- opening a case (staff form)

# Which 行政执法事项清单 category each procedure's law handles (for the matter picker).
MATTER_CATEGORY_OF_LAW = {
    "penalty": "penalty",
    "licensing": "licensing",
    "coercion": "coercion",
    "inspection": "inspection",
}
ENTITY_RESULTS = 10


@dataclass
class OfficerChoice:
    """An officer of the agency with the status of the credential for the case being opened."""

    officer: Any
    reasons: list  # FieldError: why the credential does not cover the case (empty when valid)

    @property
    def valid(self) -> bool:
        return not self.reasons


def opening_procedures() -> list:
    return registry.definitions()


def opening_matters(user, *, procedure: str, on: dt.date) -> list:
    """The agency's 行政执法事项清单 entries in force on ``on`` of the category ``procedure`` handles."""
    from sanxiang.catalog.models import MODELS, ListKind
    from sanxiang.catalog.selectors import in_force

    if not getattr(user, "agency_id", None):
        return []
    qs = in_force(MODELS[ListKind.ITEMS], agency=user.agency, on=on)
    try:
        category = MATTER_CATEGORY_OF_LAW.get(registry.get(procedure).law)
    except KeyError:
        category = None
    if category:
        qs = qs.filter(category=category)
    return list(qs)


def opening_officers(user, *, category: str, region_code: str, on: dt.date) -> list[OfficerChoice]:
    """The officers of the user's agency, each with what (if anything) keeps the credential from
    covering ``category`` in ``region_code`` on ``on`` (行政处罚法 第四十二条); valid ones first."""
    from sanxiang.registry.models import Officer
    from sanxiang.registry.selectors import visible_officers
    from sanxiang.registry.services import officer_eligibility

    if not getattr(user, "agency_id", None):
        return []
    officers = visible_officers(user).filter(agency_id=user.agency_id).exclude(status=Officer.Status.REVOKED)
    choices = [
        OfficerChoice(
            o, officer_eligibility(officer=o, category=category, region_code=region_code, on=on).reasons
        )
        for o in officers.order_by("name", "pk")
    ]
    own = getattr(user, "officer_id", None)
    return sorted(choices, key=lambda c: (c.officer.pk != own, not c.valid))


def market_entities(user, query: str, *, limit: int = ENTITY_RESULTS) -> list:
    """市场主体名录库 search by name (contains) or 统一社会信用代码 (prefix), for staff of an agency."""
    from django.db.models import Q

    from sanxiang.registry.models import MarketEntity

    query = (query or "").strip()
    if not query or not getattr(user, "agency_id", None):
        return []
    return list(
        MarketEntity.objects.filter(Q(name__icontains=query) | Q(credit_code__istartswith=query)).order_by(
            "name", "pk"
        )[:limit]
    )


def market_entity(user, credit_code: str):
    from sanxiang.registry.models import MarketEntity

    if not getattr(user, "agency_id", None):
        return None
    return MarketEntity.objects.filter(credit_code=(credit_code or "").strip().upper()).first()


def opening_officers_by_id(user, public_ids) -> list:
    """The officers among ``public_ids`` that ``user`` may see (ids that are not UUIDs are skipped)."""
    import uuid

    from sanxiang.registry.selectors import visible_officers

    ids = []
    for value in public_ids:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return list(visible_officers(user).filter(public_id__in=ids))


# Record fields that name a person who is not a party (a witness, the person served).
PERSON_FIELDS = ("witness", "recipient")


@dataclass(frozen=True)
class CasePeople:
    """The persons a case knows by name: its parties, the complainant and the persons its records name.
    The disclosure app redacts each of them wherever a published decision mentions them."""

    parties: list[Any]  # registry.Party
    others: list[tuple[str, str]]  # (name, role label)
    contacts: list[str]  # phone numbers, e-mail addresses … of the others


def case_people(*, agency_id: int, number: str) -> CasePeople:
    """Everyone case ``number`` of agency ``agency_id`` names (empty when there is no such case)."""
    case = Case.objects.filter(agency_id=agency_id, number=number).first()
    if case is None:
        return CasePeople(parties=[], others=[], contacts=[])
    parties = [link.party for link in case.case_parties.select_related("party")]
    others: list[tuple[str, str]] = []
    contacts: list[str] = []
    if case.reporter_name:
        others.append((case.reporter_name, "投诉举报人"))
    if case.reporter_contact:
        contacts.append(case.reporter_contact)
    labels = {"witness": "见证人", "recipient": "受送达人"}
    for payload in case.records.values_list("payload", flat=True):
        for name in PERSON_FIELDS:
            value = payload.get(name) if isinstance(payload, dict) else None
            if isinstance(value, str) and value.strip():
                others.append((value.strip(), labels[name]))
    return CasePeople(parties=parties, others=others, contacts=contacts)
