"""Blobs: chunked, deduplicated, and orphans of a crashed capture collected."""

from __future__ import annotations

import os

from store import blobs
from tests.conftest import StoreFixture, add_sample_document


def test_chunked_roundtrip_and_dedup(store: StoreFixture) -> None:
    session = store.login("lan")
    data = os.urandom(2_500_000)
    first = blobs.put_blob_now(session.conn, data, "image/png", chunk=1 << 20)
    again = blobs.put_blob_now(session.conn, data, "image/png", chunk=1 << 20)
    assert first == again and blobs.read_blob(session.conn, first) == data
    assert session.conn.execute("SELECT count(*) FROM blob_chunk WHERE sha256 = ?",
                                (first,)).fetchone()[0] == 3


def test_only_old_unreferenced_blobs_are_collected(store: StoreFixture) -> None:
    session = store.login("lan")
    add_sample_document(session)
    orphan_old = blobs.put_blob_now(session.conn, b"crashed capture page", "image/jpeg")
    orphan_new = blobs.put_blob_now(session.conn, b"capture still running", "image/jpeg")
    session.conn.execute("UPDATE blob SET created_at = '2000-01-01' WHERE sha256 != ?",
                         (orphan_new,))
    assert blobs.collect_garbage(session.conn, older_than="2001-01-01") == 1
    left = {r[0] for r in session.conn.execute("SELECT sha256 FROM blob")}
    assert orphan_old not in left and orphan_new in left and len(left) == 2
