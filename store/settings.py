"""Typed, versioned settings for the store, passed in by the caller.

Nothing in the store reads environment variables or global configuration: the
CLI and the GUI build a ``StoreSettings`` and hand it over, so tests can run
many stores side by side and a setting's origin is always visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost for password-derived keys (OWASP 2023 minimum is 19 MiB, t=2).

    64 MiB and 3 passes take about 0.2 s on a modest office PC: slow enough to
    make guessing expensive, fast enough for a clerk who logs in many times a day.
    """

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 1


@dataclass(frozen=True)
class StorePaths:
    """Where each part of a store lives inside its data folder."""

    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / "store.db"

    @property
    def keyring(self) -> Path:
        return self.data_dir / "keyring.json"

    @property
    def failures(self) -> Path:
        """Sealed journal of failed logins, imported into the audit log at next login."""
        return self.data_dir / "login-failures.jsonl"

    @property
    def journal_key(self) -> Path:
        """The failed-login journal's ratcheting MAC key (store/journal.py)."""
        return self.data_dir / "login-failures.key"

    @property
    def throttle(self) -> Path:
        """Failed attempts per (hashed) user name, for the login slowdown."""
        return self.data_dir / "login-throttle.json"

    @property
    def anchors(self) -> Path:
        """Signed checkpoints of the audit head (store/anchor.py), outside the database."""
        return self.data_dir / "audit-anchors.jsonl"

    @property
    def keyring_pending(self) -> Path:
        """A key file change written before its database commit (store.session.keyring_update)."""
        return self.data_dir / "keyring.json.pending"

    @property
    def keyring_next(self) -> Path:
        """The key file of a re-key in progress (store/rekey.py)."""
        return self.data_dir / "keyring.json.next"

    @property
    def restore_marker(self) -> Path:
        """Written before a restore swaps files, removed once it is done (store/backup.py)."""
        return self.data_dir / "restore-in-progress.json"

    @property
    def lock(self) -> Path:
        return self.data_dir / "store.lock"

    @property
    def temp(self) -> Path:
        return self.data_dir / "tmp"


@dataclass(frozen=True)
class StoreSettings:
    data_dir: Path
    version: int = SETTINGS_VERSION
    busy_timeout_ms: int = 5000
    kdf: KdfParams = field(default_factory=KdfParams)
    blob_chunk_size: int = 1024 * 1024
    station: str = ""  # a name for this desk PC, recorded in provenance
    search_window: int = 2000  # rank only the newest N matches of a very common word

    @property
    def paths(self) -> StorePaths:
        return StorePaths(self.data_dir)
