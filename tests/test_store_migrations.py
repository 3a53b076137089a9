"""Each migration, applied to a store at the previous version, keeps its data."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from store import batches, db
from store.errors import StoreTooNew
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document

KEY = b"m" * 32


def _at_version(tmp_path: Path, version: int) -> db.Connection:
    conn = db.connect(tmp_path / "m.db", KEY)
    db.migrate(conn, target=version)
    assert db.user_version(conn) == version
    return conn


def test_migration_numbers_have_no_gaps() -> None:
    numbers = [n for n, _, _ in db.migrations()]
    assert numbers == list(range(1, db.latest_version() + 1))


def test_0001_creates_the_model(tmp_path: Path) -> None:
    conn = _at_version(tmp_path, 1)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"user", "batch", "dossier", "document", "page", "blob", "audit",
            "doc_search"} <= tables


def test_0002_from_0001_keeps_rows_and_adds_site_settings(tmp_path: Path) -> None:
    conn = _at_version(tmp_path, 1)
    conn.execute("INSERT INTO user (name, role, created_at) VALUES ('a', 'admin', 't')")
    assert db.migrate(conn) == list(range(2, db.latest_version() + 1))
    assert conn.execute("SELECT name FROM user").fetchall() == [("a",)]
    settings = dict(conn.execute("SELECT key, value FROM site_setting").fetchall())
    assert settings["idle_lock_minutes"] == "10"


def test_failed_migration_leaves_previous_schema(tmp_path: Path, monkeypatch) -> None:
    conn = _at_version(tmp_path, 1)
    broken = [(1, "0001_initial.sql", ""), (2, "0002_broken.sql", "CREATE TABLE x(a);\nBOGUS;")]
    monkeypatch.setattr(db, "migrations", lambda: broken)
    with pytest.raises(sqlcipher3.Error):
        db.migrate(conn)
    assert db.user_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0


def test_login_upgrades_an_old_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store written by the first release (schema 1) opens, migrated, with its data."""
    from store import users
    from store.roles import Role
    from store.session import init_store
    from store.settings import StoreSettings
    from tests.conftest import FAST_KDF

    first_release = db.migrations()[:1]
    monkeypatch.setattr(db, "migrations", lambda: first_release)
    settings = StoreSettings(data_dir=tmp_path / "old", kdf=FAST_KDF)
    init_store(settings, "admin", PASSWORDS["admin"])
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        users.add_user(admin, "lan", Role.CLERK, PASSWORDS["lan"])
    with open_session(settings, "lan", PASSWORDS["lan"]) as clerk:
        batches.create_batch(clerk, "lô cũ")  # the API of today writes pages 0001 lacks
        assert db.user_version(clerk.conn) == 1
    monkeypatch.undo()
    with open_session(settings, "lan", PASSWORDS["lan"]) as upgraded:
        assert db.user_version(upgraded.conn) == db.latest_version()
        assert [b.name for b in batches.list_batches(upgraded)] == ["lô cũ"]
        add_sample_document(upgraded, batch_name="lô cũ")


def test_store_from_a_newer_sohoa_is_refused(store: StoreFixture) -> None:
    session = store.login("admin")
    session.conn.execute(f"PRAGMA user_version = {db.latest_version() + 1}")
    session.close()
    with pytest.raises(StoreTooNew):
        open_session(store.settings, "admin", PASSWORDS["admin"])


def test_0005_from_0004_keeps_the_index_and_adds_the_queue(tmp_path: Path) -> None:
    conn = _at_version(tmp_path, 4)
    conn.execute("INSERT INTO doc_search (rowid, meta, body) VALUES (7, 'quyet dinh', 'ben nghe')")
    assert db.migrate(conn) == list(range(5, db.latest_version() + 1))
    assert conn.execute("SELECT rowid FROM doc_search WHERE doc_search MATCH 'nghe'"
                        ).fetchall() == [(7,)]
    conn.execute("INSERT INTO search_pending (document_id) VALUES (8)")
    assert conn.execute("SELECT document_id FROM search_pending").fetchall() == [(8,)]
