"""A store made before signed roles (key file version 1) opens, and is signed by its first
admin login (issue 12: stores in the field must not be locked out by the upgrade)."""

from __future__ import annotations

import json
import os

import pytest

from store import crypto, db, trust
from store.errors import Tampered
from store.keyring import Keyring
from store.session import open_session
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture


def _make_legacy(store: StoreFixture) -> None:
    """Rewrite the key file as version 1 wrote it and drop the signatures from the database."""
    path = store.settings.paths.keyring
    keyring = Keyring.load(path)
    data_key = keyring.unlock("admin", PASSWORDS["admin"])
    entries = {}
    for name, password in PASSWORDS.items():
        key_id = keyring.key_id(name)
        salt = os.urandom(16)
        kek = crypto.password_kek(password, salt, FAST_KDF)
        nonce, wrapped = crypto.wrap(kek, data_key, f"sohoa user {key_id}".encode())
        entries[key_id] = {"kdf": {"alg": "argon2id", "salt": crypto.b64e(salt),
                                   "m": FAST_KDF.memory_kib, "t": FAST_KDF.iterations,
                                   "p": FAST_KDF.lanes},
                           "nonce": crypto.b64e(nonce), "wrapped": crypto.b64e(wrapped)}
    nonce, wrapped = crypto.wrap(crypto.recovery_kek(store.recovery_key), data_key,
                                 b"sohoa recovery")
    doc = json.loads(path.read_text())
    doc.update(version=1, entries=entries,
               recovery={"nonce": crypto.b64e(nonce), "wrapped": crypto.b64e(wrapped)})
    doc.pop("trust")
    path.write_text(json.dumps(doc))
    conn = db.connect(store.settings.paths.db, data_key)
    conn.execute("DELETE FROM meta WHERE key LIKE 'trust.%' OR key LIKE 'anchor.%'"
                 " OR key = 'journal.expected'")
    conn.close()
    store.settings.paths.anchors.unlink(missing_ok=True)


def test_a_version_1_store_opens_and_is_signed_by_its_first_admin(store: StoreFixture) -> None:
    _make_legacy(store)
    lan = open_session(store.settings, "lan", PASSWORDS["lan"])  # legacy: not signed yet
    assert not trust.enabled(lan.conn)
    lan.close()
    keyring = Keyring.load(store.settings.paths.keyring)
    assert "v" not in keyring.entries[keyring.key_id("lan")]  # kept until the store is signed
    admin = open_session(store.settings, "admin", PASSWORDS["admin"])
    assert trust.enabled(admin.conn) and trust.ADMIN_KEY in admin.keys
    admin.close()
    open_session(store.settings, "minh", PASSWORDS["minh"]).close()  # his slot upgraded
    open_session(store.settings, "lan", PASSWORDS["lan"]).close()
    keyring = Keyring.load(store.settings.paths.keyring)
    assert keyring.entries[keyring.key_id("lan")]["v"] == 2
    open_session(store.settings, "admin", PASSWORDS["admin"]).close()  # grants him the key
    minh = open_session(store.settings, "minh", PASSWORDS["minh"])
    assert trust.AUDIT_KEY in minh.keys
    minh.close()
    from store.session import recover
    recover(store.settings, "admin", store.recovery_key, "recovered-pass-8")  # a v1 recovery
    assert Keyring.load(store.settings.paths.keyring).recovery["v"] == "2"  # now sealed
    key = Keyring.load(store.settings.paths.keyring).unlock("lan", PASSWORDS["lan"])
    conn = db.connect(store.settings.paths.db, key)
    conn.execute("UPDATE user SET role = 'admin' WHERE name = 'lan'")
    conn.close()
    with pytest.raises(Tampered):
        open_session(store.settings, "lan", PASSWORDS["lan"])


def test_a_signed_store_stripped_of_its_keys_is_refused(store: StoreFixture) -> None:
    """The clerk deletes the keys from the database and the key file to make the table trusted."""
    key = Keyring.load(store.settings.paths.keyring).unlock("lan", PASSWORDS["lan"])
    conn = db.connect(store.settings.paths.db, key)
    conn.execute("DELETE FROM meta WHERE key LIKE 'trust.%'")
    conn.execute("UPDATE user SET role = 'admin' WHERE name = 'lan'")
    conn.close()
    doc = json.loads(store.settings.paths.keyring.read_text())
    doc["trust"] = {}
    doc["version"] = 1
    store.settings.paths.keyring.write_text(json.dumps(doc))
    with pytest.raises(Tampered):
        open_session(store.settings, "lan", PASSWORDS["lan"])
    with pytest.raises(Tampered):  # and the admin's login does not re-sign the forged table
        open_session(store.settings, "admin", PASSWORDS["admin"])
