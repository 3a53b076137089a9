"""Issue 12 item 5: two captures of the same files at once store each file once per batch."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from store import batches, db, documents
from store.errors import Conflict
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture


def _page(n: int) -> documents.PageInput:
    return documents.PageInput(image=b"\x89PNG page " + bytes([n]), mime="image/png",
                               ocr_status="done", ocr_text="trang")


def _dossier(store: StoreFixture, batch: str = "lô-1") -> int:
    lan = store.login("lan")
    ref = batches.get_or_create_batch(lan, batch)
    return documents.add_dossier(lan, ref, f"H29.2024.{batch[-1]}", title="Hồ sơ")


def test_the_same_file_twice_in_a_batch_is_a_conflict(store: StoreFixture) -> None:
    dossier = _dossier(store)
    lan = store.login("lan")
    first = documents.add_document(lan, dossier, [_page(1)], source="a.pdf",
                                   source_sha256="ab" * 32)
    with pytest.raises(Conflict, match=f"document {first}"):
        documents.add_document(lan, dossier, [_page(2)], source="a.pdf",
                               source_sha256="ab" * 32)
    assert lan.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 1
    other = _dossier(store, "lô-2")  # another batch may hold the same file
    documents.add_document(lan, other, [_page(3)], source="a.pdf", source_sha256="ab" * 32)


def test_the_parts_of_a_split_file_are_each_claimed_once(store: StoreFixture) -> None:
    """A stack split at blank or cover sheets: each document claims its own part."""
    dossier = _dossier(store)
    lan = store.login("lan")
    for first_page in (0, 3):
        documents.add_document(lan, dossier, [_page(first_page)], source="xap.tiff",
                               source_sha256="cd" * 32, source_part=first_page)
    with pytest.raises(Conflict):
        documents.add_document(lan, dossier, [_page(9)], source="xap.tiff",
                               source_sha256="cd" * 32, source_part=3)
    assert lan.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 2


def test_two_captures_at_once_store_each_file_once(store: StoreFixture) -> None:
    dossier = _dossier(store)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def capture() -> None:
        with open_session(store.settings, "lan", PASSWORDS["lan"]) as session:
            barrier.wait()
            for n in range(10):
                try:
                    documents.add_document(session, dossier, [_page(n)], source=f"{n}.png",
                                           source_sha256=f"{n:02d}" * 32)
                    outcomes.append("stored")
                except Conflict:
                    outcomes.append("conflict")

    threads = [threading.Thread(target=capture) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == 10 and outcomes.count("conflict") == 10
    lan = store.login("lan")
    assert lan.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 10


def test_0006_from_0005_keeps_the_first_of_each_duplicate(tmp_path: Path) -> None:
    from tests.test_store_migrations import _at_version

    conn = _at_version(tmp_path, 5)
    ts = "2024-01-01"
    conn.execute("INSERT INTO user (id, name, role, created_at) VALUES (1, 'lan', 'clerk', ?)",
                 (ts,))
    conn.execute("INSERT INTO batch (id, name, owner_id, created_at, created_by, updated_at,"
                 " updated_by) VALUES (1, 'b', 1, ?, 1, ?, 1)", (ts, ts))
    conn.execute("INSERT INTO dossier (id, batch_id, file_code, created_at, created_by,"
                 " updated_at, updated_by) VALUES (1, 1, 'f', ?, 1, ?, 1)", (ts, ts))
    for doc_id in (1, 2):
        conn.execute("INSERT INTO document (id, dossier_id, ordinal, source_sha256, created_at,"
                     " created_by, updated_at, updated_by) VALUES (?, 1, ?, 'x', ?, 1, ?, 1)",
                     (doc_id, doc_id, ts, ts))
    db.migrate(conn, 6)
    assert conn.execute("SELECT batch_id, source_sha256, document_id FROM source_claim"
                        ).fetchall() == [(1, "x", 1)]


def test_two_ingests_of_the_same_files_at_once_report_duplicates(
    store: StoreFixture, tmp_path: Path
) -> None:
    """The real pipeline twice at once: each file stored once, the loser told 'already'."""
    from PIL import Image, ImageDraw

    from capture.pipeline import CaptureSettings, IngestRequest, ingest
    from ocr.settings import OcrSettings

    paths = []
    for n in range(3):
        image = Image.new("L", (600, 300), 255)
        ImageDraw.Draw(image).rectangle((40, 40 + 30 * n, 400, 60 + 30 * n), fill=0)
        path = tmp_path / f"trang-{n}.png"
        image.save(path, dpi=(150, 150))
        paths.append(str(path))
    barrier = threading.Barrier(2)
    outcomes: list[tuple[int | None, int | None, list[str]]] = []

    failures: list[BaseException] = []

    def capture() -> None:
        try:
            with open_session(store.settings, "lan", PASSWORDS["lan"]) as session:
                barrier.wait()
                report = ingest(session, IngestRequest(paths, batch="lô-đôi"),
                                CaptureSettings(ocr=OcrSettings(workers=1)))
                outcomes.extend((o.id, o.duplicate_of, o.errors) for o in report.outcomes)
        except BaseException as exc:  # a thread's exception would otherwise be lost
            failures.append(exc)

    threads = [threading.Thread(target=capture) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(outcomes) == 6 and all(not errors for _, _, errors in outcomes)
    stored = {i for i, _, _ in outcomes if i is not None}
    assert len(stored) == 3 and {d for _, d, _ in outcomes if d is not None} <= stored
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as session:
        assert session.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 3
        # the loser's dossiers go with its refused documents (it left 12 for 6 before)
        assert session.conn.execute("SELECT count(*) FROM dossier").fetchone()[0] == 3
