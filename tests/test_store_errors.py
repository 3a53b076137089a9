"""Bad situations give one clear line, a distinct exit code, and lose nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from store import audit, batches, db, documents
from store.errors import DiskFull, ExitCode
from store.session import init_store, open_session
from store.settings import StoreSettings
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture, add_sample_document, sohoa

ADMIN = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}


def _clean_failure(result: subprocess.CompletedProcess[str], code: ExitCode) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sohoa: error: "), result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_password_unknown_user_and_role(store: StoreFixture) -> None:
    data = store.settings.data_dir
    _clean_failure(sohoa("info", data=data, env={**ADMIN, "SOHOA_PASSWORD": "nope-nope"}),
                   ExitCode.WRONG_PASSWORD)
    _clean_failure(sohoa("info", data=data, env={**ADMIN, "SOHOA_USER": "ghost"}),
                   ExitCode.WRONG_PASSWORD)  # the same answer: no list of names to be had
    clerk = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    _clean_failure(sohoa("user", "list", data=data, env=clerk), ExitCode.PERMISSION_DENIED)
    _clean_failure(sohoa("show", "999", data=data, env=clerk), ExitCode.NOT_FOUND)


def test_not_initialised_and_no_password(tmp_path: Path) -> None:
    _clean_failure(sohoa("info", data=tmp_path / "none", env=ADMIN), ExitCode.NOT_INITIALISED)
    _clean_failure(sohoa("init", "--admin", "a", data=tmp_path / "new"), ExitCode.USAGE)


def test_truncated_store_file(store: StoreFixture) -> None:
    path = store.settings.paths.db
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    _clean_failure(sohoa("info", data=store.settings.data_dir, env=ADMIN),
                   ExitCode.STORE_CORRUPT)


def test_page_aligned_truncation_and_foreign_file(store: StoreFixture, tmp_path: Path) -> None:
    path = store.settings.paths.db
    path.write_bytes(path.read_bytes()[: 4096 * 2])
    _clean_failure(sohoa("info", data=store.settings.data_dir, env=ADMIN),
                   ExitCode.STORE_CORRUPT)
    path.write_bytes(os.urandom(4096 * 8))
    _clean_failure(sohoa("info", data=store.settings.data_dir, env=ADMIN),
                   ExitCode.STORE_CORRUPT)


def test_plain_sqlite_file_in_place_of_the_store(store: StoreFixture) -> None:
    import sqlite3

    path = store.settings.paths.db
    path.unlink()
    plain = sqlite3.connect(path)
    plain.execute("CREATE TABLE t(x)")
    plain.commit()
    plain.close()
    _clean_failure(sohoa("info", data=store.settings.data_dir, env=ADMIN),
                   ExitCode.STORE_CORRUPT)


def test_second_process_restoring_while_store_is_open(store: StoreFixture,
                                                      tmp_path: Path) -> None:
    session = store.login("admin")
    from store import backup

    out = tmp_path / "b.sohoa"
    backup.backup(session, out)
    result = sohoa("restore", str(out), data=store.settings.data_dir, env=ADMIN)
    _clean_failure(result, ExitCode.STORE_IN_USE)
    assert "in use" in result.stderr


def test_second_process_writing_while_another_holds_the_write_lock(store: StoreFixture) -> None:
    session = store.login("admin")
    session.conn.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
    try:
        result = sohoa("info", data=store.settings.data_dir, env=ADMIN)
        _clean_failure(result, ExitCode.STORE_IN_USE)
    finally:
        session.conn.execute("ROLLBACK")
    assert sohoa("info", data=store.settings.data_dir, env=ADMIN).returncode == 0


def _state(session) -> tuple:
    return (session.conn.execute("SELECT count(*) FROM document").fetchone(),
            session.conn.execute("SELECT count(*) FROM blob").fetchone(),
            audit.head(session.conn))


def test_full_database_rolls_back_cleanly(store: StoreFixture) -> None:
    clerk = store.login("lan")
    add_sample_document(clerk)
    before = _state(clerk)
    pages = clerk.conn.execute("PRAGMA page_count").fetchone()[0]
    clerk.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = documents.PageInput(image=os.urandom(2_000_000), mime="image/png")
    dossier_id = clerk.conn.execute("SELECT id FROM dossier").fetchone()[0]
    with pytest.raises(DiskFull):
        documents.add_document(clerk, dossier_id, [big], {"subject": "too big"})
    assert _state(clerk) == before
    assert audit.verify(clerk.conn).ok


def test_real_full_disk(tiny_disk: Path) -> None:
    settings = StoreSettings(data_dir=tiny_disk / "data", kdf=FAST_KDF)
    init_store(settings, "admin", PASSWORDS["admin"])
    from store import users
    from store.roles import Role

    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        users.add_user(admin, "lan", Role.CLERK, PASSWORDS["lan"])
    session = open_session(settings, "lan", PASSWORDS["lan"])
    add_sample_document(session)
    before = _state(session)
    big = documents.PageInput(image=os.urandom(4_000_000), mime="image/jpeg")
    dossier_id = session.conn.execute("SELECT id FROM dossier").fetchone()[0]
    with pytest.raises(DiskFull):
        documents.add_document(session, dossier_id, [big], {"subject": "does not fit"})
    assert _state(session) == before
    session.close()
    filler = tiny_disk / "filler"
    with open(filler, "wb", buffering=0) as fh, pytest.raises(OSError):  # no flush at close
        while True:
            fh.write(b"\0" * 65536)
    env = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    result = sohoa("batch", "create", "b2", data=settings.data_dir, env=env)
    assert result.returncode in (ExitCode.DISK_FULL, ExitCode.OK), result.stderr
    if result.returncode:
        _clean_failure(result, ExitCode.DISK_FULL)
    filler.unlink()
    with open_session(settings, "lan", PASSWORDS["lan"]) as after:
        assert after.conn.execute("SELECT count(*) FROM document").fetchone()[0] == 1
        assert audit.verify(after.conn).ok
        assert next(b.name for b in batches.list_batches(after)) == "lô-1"


def test_cli_never_prints_a_traceback_for_bad_arguments(store: StoreFixture) -> None:
    result = sohoa("show", "not-a-number", data=store.settings.data_dir, env=ADMIN)
    assert result.returncode == ExitCode.USAGE and "Traceback" not in result.stderr
    result = sohoa("batch", "approve", data=store.settings.data_dir, env=ADMIN)
    assert result.returncode == ExitCode.USAGE


def test_db_module_maps_errors() -> None:
    import sqlcipher3

    from store.errors import StoreCorrupt, StoreInUse

    for message, kind in (("database or disk is full", DiskFull),
                          ("file is not a database", StoreCorrupt),
                          ("database is locked", StoreInUse)):
        with pytest.raises(kind), db.translate_errors():
            raise sqlcipher3.OperationalError(message)
