"""Encrypted online backup, and a restore that is verified against the original."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from store import backup, blobs, documents
from store.errors import BadInput, PermissionDenied, StoreInUse, WrongPassword
from store.session import open_session
from store.settings import StoreSettings
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture, add_sample_document

TABLES = ("user", "batch", "dossier", "document", "page", "blob", "blob_chunk", "audit",
          "site_setting")


def _dump(session) -> dict[str, list[tuple]]:
    return {t: session.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def test_backup_while_in_use_then_restore_and_compare(store: StoreFixture, tmp_path: Path) -> None:
    clerk = store.login("lan")  # stays open: the backup is online
    doc_id = add_sample_document(clerk)
    admin = store.login("admin")
    out = tmp_path / "backup.sohoa"
    info = backup.backup(admin, out)
    assert info.documents == 1 and out.exists()
    documents.update_document(clerk, doc_id, {"subject": "after the backup"})
    expected = _dump(admin)
    backup_row = _backup_row(admin)  # written after the snapshot, so not in it
    expected["audit"] = [r for r in expected["audit"] if r[0] < backup_row]

    target = StoreSettings(data_dir=tmp_path / "restored", kdf=FAST_KDF)
    backup.restore(target, out, "admin", PASSWORDS["admin"])
    restored = open_session(target, "admin", PASSWORDS["admin"])
    got = _dump(restored)
    for table in TABLES:
        if table == "audit":
            assert got["audit"][: len(expected["audit"])] == expected["audit"]
            assert got["audit"][len(expected["audit"])][3] == "store.restore"
            continue
        if table == "document":
            assert got[table][0][8] == "Về việc cấp giấy phép"  # the pre-backup subject
            continue
        assert got[table] == expected[table], table
    image = documents.get_document(open_session(target, "lan", PASSWORDS["lan"]), doc_id)
    assert blobs.read_blob(restored.conn, image.pages[0].image_sha256).startswith(b"\x89PNG")
    restored.close()


def _backup_row(session) -> int:
    return session.conn.execute(
        "SELECT id FROM audit WHERE action = 'store.backup'").fetchone()[0]


def test_backup_file_is_encrypted(store: StoreFixture, tmp_path: Path) -> None:
    add_sample_document(store.login("lan"))
    out = tmp_path / "b.sohoa"
    backup.backup(store.login("admin"), out)
    raw = out.read_bytes()
    assert b"079303001270" not in raw and "Nguyễn".encode() not in raw
    assert b"SQLite format 3" not in raw


def test_only_admin_backs_up_and_restores(store: StoreFixture, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        backup.backup(store.login("minh"), tmp_path / "x.sohoa")
    out = tmp_path / "y.sohoa"
    backup.backup(store.login("admin"), out)
    target = StoreSettings(data_dir=tmp_path / "r", kdf=FAST_KDF)
    with pytest.raises(PermissionDenied):
        backup.restore(target, out, "minh", PASSWORDS["minh"])
    with pytest.raises(WrongPassword):
        backup.restore(target, out, "admin", "wrong-password")
    assert not (target.data_dir / "store.db").exists()


def test_restore_refuses_damaged_backups_and_keeps_the_store(
    store: StoreFixture, tmp_path: Path
) -> None:
    out = tmp_path / "z.sohoa"
    backup.backup(store.login("admin"), out)
    for session in store.opened:
        session.close()
    store.opened.clear()
    before = store.settings.paths.db.read_bytes()
    truncated = tmp_path / "t.sohoa"
    truncated.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    with pytest.raises(BadInput):
        backup.restore(store.settings, truncated, "admin", PASSWORDS["admin"])
    foreign = tmp_path / "f.sohoa"
    with tarfile.open(foreign, "w") as tar:
        tar.add(__file__, arcname="manifest.json")
    with pytest.raises(BadInput):
        backup.restore(store.settings, foreign, "admin", PASSWORDS["admin"])
    assert store.settings.paths.db.read_bytes() == before


def test_restore_over_a_store_in_use_is_refused(store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "u.sohoa"
    backup.backup(store.login("admin"), out)  # that session keeps the store open
    with pytest.raises(StoreInUse):
        backup.restore(store.settings, out, "admin", PASSWORDS["admin"])


def test_restore_keeps_the_previous_store(store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "k.sohoa"
    backup.backup(store.login("admin"), out)
    for session in store.opened:
        session.close()
    store.opened.clear()
    backup.restore(store.settings, out, "admin", PASSWORDS["admin"])
    kept = [p.name for p in store.settings.data_dir.iterdir() if "pre-restore" in p.name]
    assert any(n.startswith("store.db.pre-restore-") for n in kept)
    assert any(n.startswith("keyring.json.pre-restore-") for n in kept)
