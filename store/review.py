"""Review as the desktop app offers it: approving a batch also queues it for sync.

Why a separate step from ``batches.approve``: the outbox (store/outbox.py)
holds one row per dossier and is filled by ``queue_approved``; the supervisor
who approves expects the batch to be on its way at once, not at the next sync
run, and sees it in the sync dashboard as *waiting*.
"""

from __future__ import annotations

from store import batches, outbox
from store.batches import BatchInfo
from store.roles import Perm
from store.session import Session


def approve_and_queue(session: Session, name: str) -> BatchInfo:
    """Approve a submitted batch and put its dossiers in the sync outbox."""
    approved = batches.approve(session, name)
    if session.user.can(Perm.SYNC):
        outbox.queue_approved(session)
    return approved


def submitted(session: Session) -> list[BatchInfo]:
    """The review queue: batches clerks have submitted, oldest first."""
    found = batches.list_batches(session, state="submitted")
    return sorted(found, key=lambda b: b.submitted_at or "")
