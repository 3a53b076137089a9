"""Keys, logins and passwords against the real SQLCipher store."""

from __future__ import annotations

import json

import pytest
import sqlcipher3

from store import crypto, users
from store.errors import Conflict, UsageError, WrongPassword
from store.keyring import Keyring
from store.session import init_store, open_session, recover
from tests.conftest import PASSWORDS, StoreFixture


def test_database_is_unreadable_without_the_key(store: StoreFixture) -> None:
    raw = store.settings.paths.db.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    conn = sqlcipher3.connect(str(store.settings.paths.db))
    with pytest.raises(sqlcipher3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_wrong_password_and_unknown_user_look_the_same(store: StoreFixture) -> None:
    with pytest.raises(WrongPassword) as wrong:
        open_session(store.settings, "admin", "not-the-password")
    with pytest.raises(WrongPassword) as unknown:
        open_session(store.settings, "ghost", "whatever-123")
    assert str(wrong.value) == str(unknown.value)
    assert wrong.value.exit_code == unknown.value.exit_code


def test_a_password_wrong_only_in_its_last_character_is_refused(store: StoreFixture) -> None:
    right = PASSWORDS["lan"]
    with pytest.raises(WrongPassword):
        open_session(store.settings, "lan", right[:-1] + chr(ord(right[-1]) + 1))
    with pytest.raises(WrongPassword):
        open_session(store.settings, "lan", right[:-1])
    assert open_session(store.settings, "lan", right).user.name == "lan"


def test_failed_logins_reach_the_audit_log(store: StoreFixture) -> None:
    with pytest.raises(WrongPassword):
        open_session(store.settings, "lan", "bad-password-1")
    journal = store.settings.paths.failures
    assert journal.exists() and b"lan" not in journal.read_bytes()  # sealed, not plaintext
    session = store.login("minh")
    rows = session.conn.execute(
        "SELECT user_name, action FROM audit WHERE action = 'login.failed'").fetchall()
    assert ("lan", "login.failed") in rows
    assert not journal.exists()


def test_password_change_rewraps_only(store: StoreFixture) -> None:
    before = Keyring.load(store.settings.paths.keyring)
    key_before = before.unlock("lan", PASSWORDS["lan"])
    session = store.login("lan")
    users.set_password(session, None, "a-new-password")
    session.close()
    after = Keyring.load(store.settings.paths.keyring)
    assert after.unlock("lan", "a-new-password") == key_before
    with pytest.raises(WrongPassword):
        after.unlock("lan", PASSWORDS["lan"])
    lan_id = after.key_id("lan")
    others = {k: v for k, v in after.entries.items() if k != lan_id}
    assert others == {k: v for k, v in before.entries.items() if k != lan_id}


def test_clerk_cannot_change_another_users_password(store: StoreFixture) -> None:
    from store.errors import PermissionDenied

    session = store.login("lan")
    with pytest.raises(PermissionDenied):
        users.set_password(session, "hoa", "taken-over-1")


def test_keyring_holds_no_user_names_or_keys(store: StoreFixture) -> None:
    text = store.settings.paths.keyring.read_text()
    for name in PASSWORDS:
        assert f'"{name}"' not in text
    session = store.login("admin")
    assert session.data_key.hex() not in text
    assert crypto.b64e(session.data_key) not in text
    assert store.recovery_key not in text


def test_recovery_key_resets_admin_password(store: StoreFixture) -> None:
    recover(store.settings, "admin", store.recovery_key, "brand-new-pass")
    assert open_session(store.settings, "admin", "brand-new-pass").user.name == "admin"
    with pytest.raises(WrongPassword):
        recover(store.settings, "admin", crypto.new_recovery_key(), "another-pass-1")


def test_init_refuses_existing_store_and_short_password(store: StoreFixture, tmp_path) -> None:
    with pytest.raises(Conflict):
        init_store(store.settings, "admin", "whatever-123")
    from store.settings import StoreSettings

    with pytest.raises(UsageError):
        init_store(StoreSettings(data_dir=tmp_path / "other"), "admin", "short")


def test_keyring_format_is_checked(store: StoreFixture) -> None:
    from store.errors import StoreCorrupt

    path = store.settings.paths.keyring
    doc = json.loads(path.read_text())
    doc["format"] = "something-else"
    path.write_text(json.dumps(doc))
    with pytest.raises(StoreCorrupt):
        open_session(store.settings, "admin", PASSWORDS["admin"])
