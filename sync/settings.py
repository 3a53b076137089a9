"""Settings of a sync run, frozen and passed in (nothing is read from the environment)."""

from __future__ import annotations

from dataclasses import dataclass

from store.errors import UsageError
from store.messages import say

KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class SyncSettings:
    """How a sync run talks to the warehouse.

    A tus PATCH carries one chunk with its own checksum: an upload cut mid-chunk
    resends at most that chunk. Chunks start at ``chunk_size`` and grow (up to
    ``max_chunk_size``) while PATCHes take less than ``chunk_seconds``: on a LAN a
    request's fixed cost then stays small next to its body, on a 4G link a cut
    still loses only a couple of seconds of sending. After a failure they shrink
    back. ``max_chunk_size == chunk_size`` gives fixed chunks.
    ``parallel`` and ``bandwidth_kbps`` of 0 mean "take the supervisor's setting
    stored in the outbox controls".
    """

    version: int = 1
    chunk_size: int = MIB            # first (and smallest) PATCH body
    max_chunk_size: int = 16 * MIB   # chunks grow up to this on a fast link
    chunk_seconds: float = 2.0       # ... aiming at this long per PATCH
    parallel: int = 0
    bandwidth_kbps: int = 0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retries_per_request: int = 8     # transient errors retried inside one run
    backoff_base: float = 0.5        # seconds; doubled each attempt, with full jitter
    backoff_cap: float = 30.0
    retry_after_cap: float = 300.0   # never wait longer than this for a Retry-After
    max_attempts: int = 12           # failed runs before a row waits for a supervisor
    failed_retry_base: float = 30.0  # seconds before a failed row is tried again by itself
    failed_retry_cap: float = 3600.0
    ca_bundle: str = ""              # site setting; empty = the system's trust store
    user_agent: str = "sohoa-sync/1"

    def __post_init__(self) -> None:
        if self.chunk_size < 4 * KIB:
            raise UsageError(say("sync.chunk_too_small",
                                 "The upload chunk must be at least 4 KiB."))
        if self.max_chunk_size < self.chunk_size:
            raise UsageError(say("sync.chunk_max_below_first",
                                 "The largest upload chunk cannot be smaller than the first."))
        if self.parallel < 0 or self.bandwidth_kbps < 0:
            raise UsageError(say("sync.negative_limits",
                                 "Parallel uploads and the bandwidth limit cannot be negative."))
