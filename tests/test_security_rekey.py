"""Issue 12 item 1/3: disabling a user or an admin's password reset re-keys the store.

The attack: a clerk keeps a copy of the key file (an old backup, a USB stick);
after she is disabled, or her password reset, her old password unwraps the old
data key from that copy. After a re-key that key opens nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from store import audit, blobs, db, documents, rekey, users
from store.errors import StoreCorrupt, WrongPassword
from store.keyring import Keyring
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document


def _old_key_opens_store(store: StoreFixture, old_keyring: Path, name: str) -> bool:
    key = Keyring.load(old_keyring).unlock(name, PASSWORDS[name])
    try:
        db.connect(store.settings.paths.db, key).close()
    except StoreCorrupt:
        return False
    return True


def test_disabling_a_user_rekeys_and_removes_her_slot(store: StoreFixture, tmp_path: Path) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan)
    lan.close()
    kept = tmp_path / "keyring-copy.json"
    shutil.copy(store.settings.paths.keyring, kept)
    assert _old_key_opens_store(store, kept, "hoa")
    admin = store.login("admin")
    assert users.set_active(admin, "hoa", False) is True
    assert not Keyring.load(store.settings.paths.keyring).has_user("hoa")
    assert not _old_key_opens_store(store, kept, "hoa")
    with pytest.raises(WrongPassword):
        open_session(store.settings, "hoa", PASSWORDS["hoa"])
    lan = store.login("lan")  # everyone else still opens it, blobs included
    row = lan.conn.execute("SELECT image_sha256 FROM page WHERE document_id = ?",
                           (doc_id,)).fetchone()
    assert blobs.read_blob(lan.conn, row[0]).startswith(b"\x89PNG")
    assert documents.get_document(lan, doc_id).pages
    assert audit.entries(admin.conn, action="store.rekey")
    from store.session import recover
    recover(store.settings, "admin", store.recovery_key, "recovered-pass-7")


def test_an_admin_reset_of_a_password_rekeys(store: StoreFixture, tmp_path: Path) -> None:
    kept = tmp_path / "keyring-copy.json"
    shutil.copy(store.settings.paths.keyring, kept)
    admin = store.login("admin")
    users.set_password(admin, "lan", "reset-by-admin-1")
    assert not _old_key_opens_store(store, kept, "lan")
    assert open_session(store.settings, "lan", "reset-by-admin-1").user.name == "lan"


def test_an_own_password_change_does_not_rekey(store: StoreFixture) -> None:
    lan = store.login("lan")
    users.set_password(lan, None, "my-own-new-pass")
    assert not audit.entries(lan.conn, action="store.rekey")


def test_rekey_waits_while_another_program_has_the_store(store: StoreFixture) -> None:
    other = store.login("lan")  # another sohoa program holds the store
    admin = store.login("admin")
    assert users.set_active(admin, "hoa", False) is False
    assert admin.conn.execute("SELECT value FROM meta WHERE key = 'rekey.pending'").fetchone()
    other.close()
    admin.close()
    minh = store.login("minh")  # the next login that finds the store free re-keys
    assert audit.entries(minh.conn, action="store.rekey")
    assert minh.conn.execute("SELECT value FROM meta WHERE key = 'rekey.pending'").fetchone() \
        is None


@pytest.mark.parametrize("crash_at", ["before rekey", "after rekey"])
def test_a_crash_mid_rekey_leaves_a_store_that_opens(
    store: StoreFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    kept = tmp_path / "keyring-copy.json"
    shutil.copy(store.settings.paths.keyring, kept)
    admin = store.login("admin")

    class Crash(BaseException):
        pass

    def crash(*args: object, **kwargs: object) -> None:
        raise Crash

    if crash_at == "before rekey":
        real = db.translate_errors
        monkeypatch.setattr(rekey.db, "translate_errors", lambda: (_ for _ in ()).throw(Crash))
    else:
        monkeypatch.setattr(rekey, "_promote", crash)
    with pytest.raises(Crash):
        rekey.rekey(admin, "test")
    monkeypatch.undo()
    if crash_at == "before rekey":
        assert db.translate_errors is real
    admin.conn.close()
    admin.lock.release()
    assert store.settings.paths.keyring_next.exists()
    lan = open_session(store.settings, "lan", PASSWORDS["lan"])
    assert not store.settings.paths.keyring_next.exists()
    lan.close()
    assert _old_key_opens_store(store, kept, "lan") is (crash_at == "before rekey")
    assert open_session(store.settings, "minh", PASSWORDS["minh"]).user.name == "minh"


@pytest.mark.parametrize("killed", ["before the commit", "after the commit"])
def test_a_kill_between_key_file_and_commit_never_leaves_an_unaudited_password(
        store: StoreFixture, monkeypatch: pytest.MonkeyPatch, killed: str) -> None:
    """Issue 12 item 8: the new password is active exactly when its user.passwd row is."""
    from store import session as session_module

    lan = store.login("lan")

    class Kill(BaseException):
        pass

    if killed == "before the commit":
        real_put = session_module._put_meta

        def put_then_kill(*args: object) -> None:
            real_put(*args)  # type: ignore[arg-type]
            raise Kill

        monkeypatch.setattr(session_module, "_put_meta", put_then_kill)
        # a real kill leaves the pending file: no clean-up runs
        monkeypatch.setattr(session_module, "_drop_pending", lambda paths: None)
        with pytest.raises(Kill):
            users.set_password(lan, None, "changed-pass-9")
        assert store.settings.paths.keyring_pending.exists()
    else:
        monkeypatch.setattr(session_module, "_promote_pending",
                            lambda paths: (_ for _ in ()).throw(Kill))
        with pytest.raises(Kill):
            users.set_password(lan, None, "changed-pass-9")
    monkeypatch.undo()
    lan.conn.close()
    lan.lock.release()
    store.opened.remove(lan)
    committed = killed == "after the commit"
    good, bad = (("changed-pass-9", PASSWORDS["lan"]) if committed
                 else (PASSWORDS["lan"], "changed-pass-9"))
    with pytest.raises(WrongPassword):
        open_session(store.settings, "lan", bad)
    again = open_session(store.settings, "lan", good)
    assert bool(audit.entries(again.conn, action="user.passwd")) is committed
    again.close()
    assert not store.settings.paths.keyring_pending.exists()
