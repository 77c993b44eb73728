"""Document verification (文书核验): a document number (or the QR code's link) → is it authentic?

The answer shows the published version's SM3 and the decision document's SM3 (when the cases app
supplied it), the ledger entry that recorded the publication (its sequence number, leaf hash and
body — the body of a publication entry holds no personal data, only hashes and the document number)
and the inclusion proof of that entry in the tree of the latest signed checkpoint, checked here and
checkable offline with ``python -m sanxiang.ledger.verifier``. The QR code on a document links to
``/verify/?number=<文书号>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from sanxiang.disclosure.models import Duty, Publication, PublicDecision, Withdrawal
from sanxiang.disclosure.search import number_key
from sanxiang.ledger import services as ledger
from sanxiang.ledger.models import Checkpoint, Entry
from sanxiang.ledger.services import canonical
from sanxiang.ledger.verifier import ProofError, leaf_hash, sm3, verify_inclusion


@dataclass
class Verification:
    number: str
    status: str  # "authentic" | "withdrawn" | "not_found"
    decision: PublicDecision | None = None
    publication: Publication | None = None
    withdrawal: Withdrawal | None = None
    entry: Entry | None = None
    leaf_hash: str = ""
    checkpoint: Checkpoint | None = None
    proof: list[str] = field(default_factory=list)
    proof_ok: bool | None = None  # None: no checkpoint covers the entry yet
    document_sm3: str = ""  # SM3 of the decision document, when the cases app supplied it
    body_ok: bool = False  # the leaf hash is the hash of the entry body
    content_ok: bool = False  # the public record hashes to the SM3 the entry recorded
    matches: int = 0


def verify_document(number: str) -> Verification:
    number = (number or "").strip()
    if not number:
        return Verification(number=number, status="not_found")
    # typed with ASCII or full-width brackets, or with 【】 or （）: the same number (search.number_key)
    key = number_key(number)
    found = list(
        PublicDecision.objects.select_related("publication")
        .filter(number_key=key)
        .order_by("-decided_on")[:5]
    )
    if not found:
        withdrawal = (
            Withdrawal.objects.select_related("duty__agency")
            .filter(duty__first_published_at__isnull=False, duty__status=Duty.Status.WITHDRAWN)
            .filter(Q(duty__fields__document_number=number) | Q(duty__fields__document_number=key))
            .first()
        )
        if withdrawal is not None:
            return Verification(number=number, status="withdrawn", withdrawal=withdrawal)
        return Verification(number=number, status="not_found")
    decision = found[0]
    publication = decision.publication
    result = Verification(
        number=number, status="authentic", decision=decision, publication=publication, matches=len(found)
    )
    entry = Entry.objects.filter(seq=publication.ledger_seq).first()
    if entry is None:
        return result
    result.entry = entry
    result.leaf_hash = bytes(entry.leaf_hash).hex()
    result.body_ok = leaf_hash(sm3, entry.body.encode()) == bytes(entry.leaf_hash)
    payload = entry.fields.get("payload", {})
    result.document_sm3 = payload.get("document_sm3") or ""
    recorded = payload.get("public_sm3")
    result.content_ok = recorded == publication.public_sm3 == sm3(canonical(publication.public)).hex()
    checkpoint = ledger.latest_checkpoint()
    if checkpoint is None or checkpoint.size <= entry.seq:
        return result
    result.checkpoint = checkpoint
    proof = ledger.inclusion_proof(entry.seq, checkpoint.size)
    result.proof = [h.hex() for h in proof]
    try:
        verify_inclusion(
            sm3, entry.seq, checkpoint.size, bytes(entry.leaf_hash), proof, bytes.fromhex(checkpoint.root)
        )
        result.proof_ok = True
    except ProofError:
        result.proof_ok = False
    return result
