"""The store lock under two programs at once (issue 12: a crash and an insider).

Linux's flock drops a shared lock before a conversion to exclusive that it then
refuses. The login's purge of the temp folder tries that conversion; when it
failed, the program was left with no lock at all, so the next program to log in
got the exclusive lock and deleted the first one's live temp folder (seen in the
audit: two ingests at once, pages lost to FileNotFoundError).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import StoreInUse
from store.lock import StoreLock


def test_a_refused_upgrade_keeps_the_shared_lock(tmp_path: Path) -> None:
    path = tmp_path / "store.lock"
    first, second = StoreLock(path), StoreLock(path)
    first.acquire(exclusive=False)
    second.acquire(exclusive=False)
    with pytest.raises(StoreInUse):
        first.acquire(exclusive=True)
    with pytest.raises(StoreInUse):  # first still holds its shared lock
        second.acquire(exclusive=True)
    first.release()
    second.acquire(exclusive=True)
    second.release()
