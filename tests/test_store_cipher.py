"""Page MAC formats: new stores use HMAC-SHA256, stores made with HMAC-SHA512 keep working."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import backup, db, documents
from store.errors import StoreCorrupt
from store.roles import Role
from store.session import init_store, open_session
from store.settings import StoreSettings
from store.users import add_user
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture, add_sample_document


def test_new_store_uses_hmac_sha256(store: StoreFixture) -> None:
    admin = store.login("admin")
    assert db.hmac_algorithm(admin.conn) == "HMAC_SHA256"


def test_a_sha512_store_opens_backs_up_and_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = StoreSettings(data_dir=tmp_path / "old", kdf=FAST_KDF)
    with monkeypatch.context() as m:  # the format of stores made before HMAC-SHA256
        m.setattr(db, "HMAC_ALGORITHMS", ("HMAC_SHA512",))
        init_store(settings, "admin", PASSWORDS["admin"])
    admin = open_session(settings, "admin", PASSWORDS["admin"])
    assert db.hmac_algorithm(admin.conn) == "HMAC_SHA512"
    add_user(admin, "lan", Role.CLERK, PASSWORDS["lan"])
    with open_session(settings, "lan", PASSWORDS["lan"]) as clerk:
        doc_id = add_sample_document(clerk)
    out = tmp_path / "old.sohoa"
    backup.backup(admin, out)
    admin.close()

    target = StoreSettings(data_dir=tmp_path / "restored", kdf=FAST_KDF)
    backup.restore(target, out, "admin", PASSWORDS["admin"])
    restored = open_session(target, "admin", PASSWORDS["admin"])
    assert db.hmac_algorithm(restored.conn) == "HMAC_SHA512"
    with open_session(target, "lan", PASSWORDS["lan"]) as clerk:
        assert documents.get_document(clerk, doc_id).metadata["subject"] == "Về việc cấp giấy phép"


def test_forcing_the_wrong_mac_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    conn = db.connect(path, b"k" * 32)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(StoreCorrupt):
        db.connect(path, b"k" * 32, hmac="HMAC_SHA512")
    with pytest.raises(ValueError, match="unknown page MAC"):
        db.connect(tmp_path / "n.db", b"k" * 32, hmac="HMAC_MD5")
