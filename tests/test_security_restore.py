"""Issue 12 item 6 (restore): another store's backup, a restore cut short, honest messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import audit, backup, batches, views
from store.errors import Conflict, ExitCode, WrongPassword
from store.session import init_store, open_session
from store.settings import StoreSettings
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture, add_sample_document, sohoa


def _foreign_backup(tmp_path: Path, admin: str, password: str) -> Path:
    """What the clerk did: her own store, where she is the admin, backed up."""
    settings = StoreSettings(data_dir=tmp_path / "her-store", kdf=FAST_KDF)
    init_store(settings, admin, password)
    out = tmp_path / "her.sohoa"
    with open_session(settings, admin, password) as s:
        backup.backup(s, out)
    return out


def _ward_batches(store: StoreFixture) -> list[str]:
    return [b.name for b in batches.list_batches(store.login("minh"))]


def test_a_backup_of_another_store_is_refused(store: StoreFixture, tmp_path: Path) -> None:
    add_sample_document(store.login("lan"))
    before = _ward_batches(store)
    foreign = _foreign_backup(tmp_path, "lan", "her-own-pass-1")
    with pytest.raises(Conflict):
        backup.restore(store.settings, foreign, "lan", "her-own-pass-1")
    with pytest.raises(WrongPassword):  # --replace-store needs this store's admin
        backup.restore(store.settings, foreign, "lan", "her-own-pass-1", replace_store=True)
    assert _ward_batches(store) == before
    done = sohoa("restore", str(foreign), data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan", "SOHOA_PASSWORD": "her-own-pass-1"})
    assert done.returncode == ExitCode.CONFLICT and "another store" in done.stderr


def test_the_admin_may_replace_the_store_audited_in_both(
        store: StoreFixture, tmp_path: Path) -> None:
    foreign = _foreign_backup(tmp_path, "admin", PASSWORDS["admin"])
    result = backup.restore(store.settings, foreign, "admin", PASSWORDS["admin"],
                            replace_store=True)
    assert result.kept_previous
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as s:
        row = audit.entries(s.conn, action="store.restore")[0]
        assert "replaced_store" in (row.detail or "") and "null" not in (row.detail or "")
    kept = next(store.settings.data_dir.glob("store.db.pre-restore-*"))
    assert kept.exists()  # the ward's store, with its store.replace row (checked by id below)


def test_restoring_an_older_backup_of_the_same_store_verifies(
        store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "b.sohoa"
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as s:
        backup.backup(s, out)
    add_sample_document(store.login("lan"))
    store.login("minh").close()  # anchored past the backup
    for session in store.opened:
        session.close()
    store.opened.clear()
    backup.restore(store.settings, out, "admin", PASSWORDS["admin"])
    result = views.verify_audit(store.login("minh"))
    assert result.ok, result.reason  # a signed restore anchor, not a copy-back


@pytest.mark.parametrize("crash", ["while staging", "while swapping"])
def test_a_restore_cut_short_is_settled_at_the_next_start(
        store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash: str) -> None:
    out = tmp_path / "b.sohoa"
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as s:
        backup.backup(s, out)
    add_sample_document(store.login("lan"), batch_name="after-backup")

    class Crash(BaseException):
        pass

    def boom(*args: object, **kwargs: object) -> None:
        raise Crash

    if crash == "while staging":
        monkeypatch.setattr(backup, "atomic_write", boom)  # the marker is never written
    else:
        real = backup.os.replace
        live = store.settings.paths.db

        def replace_then_crash(a: object, b: object) -> None:
            if Path(str(a)) == live:  # the marker is written; the live store moves aside
                raise Crash
            real(a, b)  # type: ignore[arg-type]

        monkeypatch.setattr(backup.os, "replace", replace_then_crash)
    for session in store.opened:
        session.close()
    store.opened.clear()
    with pytest.raises(Crash):
        backup.restore(store.settings, out, "admin", PASSWORDS["admin"])
    monkeypatch.undo()
    done = sohoa("batch", "list", data=store.settings.data_dir,
                 env={"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]})
    assert done.returncode == 0, done.stderr
    assert "init" not in done.stderr
    assert ("after-backup" in done.stdout) is (crash == "while staging")
    assert not store.settings.paths.restore_marker.exists()
    assert not list(store.settings.data_dir.glob("*.restoring"))


def test_a_missing_key_file_never_advises_init(store: StoreFixture) -> None:
    store.settings.paths.keyring.unlink()
    done = sohoa("info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]})
    assert done.returncode == ExitCode.STORE_CORRUPT
    assert "sohoa init" not in done.stderr and "restore" in done.stderr


def test_restore_into_an_empty_folder_does_not_claim_a_kept_store(
        store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "b.sohoa"
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as s:
        backup.backup(s, out)
    done = sohoa("restore", str(out), data=tmp_path / "fresh",
                 env={"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]})
    assert done.returncode == 0, done.stderr
    assert "kept beside" not in done.stdout
    done = sohoa("restore", str(out), data=store.settings.data_dir,
                 env={"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]})
    assert done.returncode == 0 and "kept beside" in done.stdout, done.stderr
