"""Background work of the ledger: signing checkpoints while entries arrive."""

from __future__ import annotations

from django_tasks import task

from sanxiang.ledger import services


@task()
def make_checkpoint() -> int | None:
    """Sign the current tree head if entries arrived since the last one (idempotent)."""
    checkpoint = services.checkpoint_create()
    return checkpoint.size if checkpoint else None


@task()
def sweep_blobs() -> dict[str, int]:
    """Remove crash leftovers and never-used blobs past the grace period (see ``ledger.sweep``)."""
    from sanxiang.ledger.sweep import blob_sweep

    return blob_sweep().as_dict()
