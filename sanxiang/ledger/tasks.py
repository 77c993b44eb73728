"""Background work of the ledger: signing checkpoints while entries arrive."""

from __future__ import annotations

import logging

from django_tasks import task

from sanxiang.ledger import services

logger = logging.getLogger(__name__)


@task()
def make_checkpoint() -> int | None:
    """Sign the current tree head if entries arrived since the last one (idempotent)."""
    try:
        checkpoint = services.checkpoint_create()
    except services.KeyNotInChain:
        # a key rotation is under way (or the key file was swapped): refuse to sign, loudly
        logger.exception("checkpoint not signed")
        return None
    return checkpoint.size if checkpoint else None


@task()
def sweep_blobs() -> dict[str, int]:
    """Remove crash leftovers and never-used blobs past the grace period (see ``ledger.sweep``)."""
    from sanxiang.ledger.sweep import blob_sweep

    return blob_sweep().as_dict()
