"""Issue 12 item 1: a clerk holding the data key cannot forge roles, settings or the audit log.

Each attack is the one the attack audit ran: the clerk unwraps the data key with
her own password through the product's key code and edits ``store.db`` with
sqlcipher3 directly.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from store import anchor, audit, crypto, db, site, trust, users, views
from store.errors import BadInput, ExitCode, Tampered
from store.keyring import Keyring
from store.roles import Role
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document, sohoa


@contextmanager
def as_hostile_clerk(store: StoreFixture, name: str = "lan") -> Iterator[db.Connection]:
    """The clerk's own password unwraps the data key; she opens the database herself."""
    key = Keyring.load(store.settings.paths.keyring).unlock(name, PASSWORDS[name])
    conn = db.connect(store.settings.paths.db, key)
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        yield conn
    finally:
        conn.close()


def test_a_role_edited_in_the_database_is_refused_at_login(store: StoreFixture) -> None:
    with as_hostile_clerk(store) as conn:
        conn.execute("UPDATE user SET role = 'admin' WHERE name = 'lan'")
    with pytest.raises(Tampered) as refused:
        open_session(store.settings, "lan", PASSWORDS["lan"])
    assert refused.value.exit_code == ExitCode.TAMPERED
    minh = store.login("minh")  # others still log in; the attempt is in the log
    assert audit.entries(minh.conn, action="tamper.detected")
    assert any("lan" in p for p in views.verify_audit(minh).problems)


def test_a_forged_account_is_refused(store: StoreFixture) -> None:
    with as_hostile_clerk(store) as conn:
        conn.execute("INSERT INTO user (name, role, created_at) VALUES ('boss', 'admin', 'x')")
        data_key = Keyring.load(store.settings.paths.keyring).unlock("lan", PASSWORDS["lan"])
    keyring = Keyring.load(store.settings.paths.keyring)
    keyring.set_password("boss", "boss-pass-77", data_key, store.settings.kdf)
    keyring.save(store.settings.paths.keyring)
    with pytest.raises(Tampered):
        open_session(store.settings, "boss", "boss-pass-77")


def test_a_re_signed_roster_without_the_admin_key_is_refused(store: StoreFixture) -> None:
    with as_hostile_clerk(store) as conn:
        raw = json.loads(conn.execute(
            "SELECT value FROM meta WHERE key = 'trust.roster'").fetchone()[0])
        raw["users"]["lan"]["role"] = "admin"
        conn.execute("UPDATE meta SET value = ? WHERE key = 'trust.roster'", (json.dumps(raw),))
        conn.execute("UPDATE user SET role = 'admin' WHERE name = 'lan'")
    with pytest.raises(Tampered):
        open_session(store.settings, "lan", PASSWORDS["lan"])


def test_a_privileged_action_rechecks_the_signed_role(store: StoreFixture) -> None:
    admin = store.login("admin")
    with as_hostile_clerk(store) as conn:  # the admin's own row, edited under her session
        conn.execute("UPDATE user SET role = 'clerk' WHERE name = 'admin'")
    with pytest.raises(Tampered):
        users.list_users(admin)


def test_replaced_signing_keys_are_found_at_the_next_admin_login(store: StoreFixture) -> None:
    """The clerk swaps in keys of her own and re-signs: the admin's sealed key betrays it."""
    own_private, own_public = crypto.new_signing_keypair()
    with as_hostile_clerk(store) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = ?",
                     (crypto.b64e(own_public), f"trust.{trust.ADMIN_KEY}_public"))
        conn.execute("UPDATE user SET role = 'admin' WHERE name = 'lan'")
        with db.transaction(conn):
            trust.sign_roster(conn, Keyring.load(store.settings.paths.keyring).store_id,
                              own_private)
    keyring = Keyring.load(store.settings.paths.keyring)
    keyring.trust[trust.ADMIN_KEY] = crypto.b64e(own_public)
    keyring.save(store.settings.paths.keyring)
    with pytest.raises(Tampered):
        open_session(store.settings, "admin", PASSWORDS["admin"])


def test_idle_lock_is_bounded_and_signed(store: StoreFixture) -> None:
    admin = store.login("admin")
    with pytest.raises(BadInput):
        site.set_value(admin, "idle_lock_minutes", "61")
    site.set_value(admin, "idle_lock_minutes", "30")
    assert site.load(admin.conn).idle_lock_minutes == 30
    with as_hostile_clerk(store) as conn:
        conn.execute("UPDATE site_setting SET value = '100000' WHERE key = 'idle_lock_minutes'")
    with pytest.raises(Tampered):
        site.load(store.login("lan").conn)
    with as_hostile_clerk(store) as conn:
        conn.execute("INSERT OR REPLACE INTO site_setting (key, value, updated_at, updated_by)"
                     " VALUES ('warehouse_url', 'https://evil.example.net', 'x', 1)")
        conn.execute("UPDATE site_setting SET value = '30' WHERE key = 'idle_lock_minutes'")
    with pytest.raises(Tampered):
        site.load(store.login("lan").conn)
    site.set_value(admin, "warehouse_url", "https://kho.example.org")  # the admin re-signs
    assert site.load(store.login("lan").conn).warehouse_url == "https://kho.example.org"


# -- the audit log, anchored outside the database ---------------------------------------

def _rewrite_chain(conn: db.Connection, keep_below: int) -> None:
    """What the attack did: delete rows, recompute every hash, re-point the head."""
    conn.execute("DELETE FROM audit WHERE id >= ?", (keep_below,))
    prev = audit.GENESIS
    for row in conn.execute("SELECT id, ts, user_name, action, object_type, object_id, field,"
                            " old_value, new_value, detail FROM audit ORDER BY id").fetchall():
        digest = audit.row_hash(tuple(row), prev)
        conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, row[0]))
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'",
                 (f"{keep_below - 1}:{prev}",))


def test_an_intact_log_says_up_to_which_row_it_is_anchored(store: StoreFixture) -> None:
    minh = store.login("minh")
    result = views.verify_audit(minh)
    assert result.ok and result.anchored_to is not None and result.anchored_to <= result.rows
    newest = anchor.newest(store.settings.paths)
    assert newest is not None and newest["audit_id"] == result.anchored_to
    public = crypto.b64d(Keyring.load(store.settings.paths.keyring).trust[trust.AUDIT_KEY])
    assert crypto.signature_ok(public, anchor.Anchor(**newest).body(),
                               crypto.b64d(newest["sig"]))


def test_a_rewritten_and_recomputed_chain_is_caught_by_the_anchor(store: StoreFixture) -> None:
    lan = store.login("lan")
    add_sample_document(lan)
    lan.close()
    store.login("minh").close()  # a supervisor's session anchors the head
    with as_hostile_clerk(store) as conn:
        assert audit.verify(conn).ok
        _rewrite_chain(conn, keep_below=5)
        assert audit.verify(conn).ok  # the chain alone is fooled
    result = views.verify_audit(store.login("minh"))
    assert not result.ok
    assert "cut off" in result.reason or "rewritten" in result.reason


def test_an_older_store_file_copied_back_is_caught(store: StoreFixture, tmp_path: Path) -> None:
    paths = store.settings.paths
    store.login("admin").close()
    old = tmp_path / "old.db"
    shutil.copy(paths.db, old)  # closed, checkpointed: a whole older store.db
    lan = store.login("lan")
    add_sample_document(lan)
    lan.close()
    store.login("minh").close()  # anchored after the document was added
    for suffix in ("-wal", "-shm"):
        (paths.db.parent / f"store.db{suffix}").unlink(missing_ok=True)
    shutil.copy(old, paths.db)
    result = views.verify_audit(store.login("minh"))
    assert not result.ok and "older store file" in result.reason


def test_a_deleted_anchor_file_is_reported(store: StoreFixture) -> None:
    store.login("minh").close()
    store.settings.paths.anchors.unlink()
    result = views.verify_audit(store.login("minh"))
    assert not result.ok and "anchors are missing" in result.reason
    admin = store.login("admin")
    views.re_anchor(admin, "anchor file lost when the disk was replaced")
    assert views.verify_audit(admin).ok
    assert audit.entries(admin.conn, action="audit.re_anchor")


def test_audit_verify_cli_names_the_anchor_and_fails_with_19(store: StoreFixture) -> None:
    env = {"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]}
    done = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert done.returncode == 0 and "anchored up to row" in done.stdout, done.stderr
    with as_hostile_clerk(store) as conn:
        _rewrite_chain(conn, keep_below=3)
    done = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert done.returncode == ExitCode.AUDIT_BROKEN, done.stderr


def test_a_deleted_head_is_exit_19_not_a_traceback(store: StoreFixture) -> None:
    with as_hostile_clerk(store) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'audit_head'")
    done = sohoa("info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]})
    assert done.returncode == ExitCode.AUDIT_BROKEN, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# -- the failed-login journal ---------------------------------------------------------------

def _journal_problems(store: StoreFixture) -> list[str]:
    minh = store.login("minh")
    return [str(e.detail) for e in audit.entries(minh.conn, action="login.journal")]


def test_a_deleted_journal_is_detected(store: StoreFixture) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        open_session(store.settings, "admin", "guessing-123")
    store.settings.paths.failures.unlink()
    assert any("deleted" in p for p in _journal_problems(store))


def test_a_line_cut_from_the_journal_is_detected(store: StoreFixture) -> None:
    for guess in ("guess-one-1", "guess-two-2"):
        with pytest.raises(Exception):  # noqa: B017
            open_session(store.settings, "admin", guess)
    journal = store.settings.paths.failures
    journal.write_text(journal.read_text().splitlines()[0] + "\n")
    assert any("lost lines" in p for p in _journal_problems(store))


def test_a_forged_journal_line_is_flagged(store: StoreFixture) -> None:
    keyring = Keyring.load(store.settings.paths.keyring)
    event = {"ts": audit.now(), "user": "hoa", "reason": "WrongPassword", "station": "x"}
    box = crypto.b64e(crypto.seal(keyring.sealing_public, json.dumps(event).encode()))
    with open(store.settings.paths.failures, "a") as fh:
        fh.write(json.dumps({"i": 0, "box": box, "mac": "0" * 64}) + "\n")
    assert any("forged" in p for p in _journal_problems(store))
    minh = store.login("minh")
    row = audit.entries(minh.conn, action="login.failed", user_name="hoa")[0]
    assert '"authentic": false' in (row.detail or "")


def test_an_honest_journal_raises_no_alarm(store: StoreFixture) -> None:
    with pytest.raises(Exception):  # noqa: B017
        open_session(store.settings, "hoa", "not-her-password")
    assert _journal_problems(store) == []


def test_audit_list_escapes_control_characters(store: StoreFixture) -> None:
    evil = "x\x1b[2J\x1b[31mroot\u202e"
    sohoa("info", data=store.settings.data_dir,
          env={"SOHOA_USER": evil, "SOHOA_PASSWORD": "whatever-123"})
    done = sohoa("audit", "list", data=store.settings.data_dir,
                 env={"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]})
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "\\x1b[2J" in done.stdout


def test_admins_see_citizen_ids_masked_in_the_audit_log(store: StoreFixture) -> None:
    from store import documents

    lan = store.login("lan")
    doc_id = add_sample_document(lan)
    documents.update_document(lan, doc_id, {"subject": "Cấp phép cho CCCD 079303001270"})
    admin_rows = views.audit_log(store.login("admin"), views.AuditFilter(limit=500))
    shown = json.dumps([r.as_dict() for r in admin_rows], ensure_ascii=False)
    assert "079303001270" not in shown and "079******270" in shown
    minh_rows = views.audit_log(store.login("minh"), views.AuditFilter(limit=500))
    assert "079303001270" in json.dumps([r.as_dict() for r in minh_rows])


def test_the_role_check_survives_an_admin_made_before_signing(store: StoreFixture) -> None:
    """Roles given by the admin API are signed: a new supervisor logs in normally."""
    admin = store.login("admin")
    users.add_user(admin, "thu", Role.SUPERVISOR, "super-pass-9")
    thu = open_session(store.settings, "thu", "super-pass-9")
    assert thu.user.role is Role.SUPERVISOR and trust.AUDIT_KEY in thu.keys
    thu.close()


def test_approve_and_a_capture_thread_recheck_the_signed_roster(store: StoreFixture) -> None:
    from store import batches, sibling

    lan = store.login("lan")
    add_sample_document(lan)
    batches.submit(lan, "lô-1")
    minh = store.login("minh")
    ticket = sibling.ticket(lan)
    with as_hostile_clerk(store) as conn:
        conn.execute("UPDATE user SET role = 'supervisor' WHERE name = 'lan'")
        conn.execute("UPDATE user SET active = 0 WHERE name = 'minh'")
    with pytest.raises(Tampered):
        batches.approve(minh, "lô-1")
    with pytest.raises(Tampered):
        sibling.open_sibling(ticket)


def test_a_forged_anchor_line_is_reported(store: StoreFixture) -> None:
    store.login("minh").close()
    lines = store.settings.paths.anchors.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged.update(seq=forged["seq"] + 1, audit_id=1)  # re-pointed, signature kept
    with open(store.settings.paths.anchors, "a") as fh:
        fh.write(json.dumps(forged) + "\n")
    result = views.verify_audit(store.login("minh"))
    assert not result.ok and any("not signed" in p for p in result.problems)


def test_a_kill_before_the_journal_is_emptied_imports_nothing_twice(
        store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    from store import journal

    with pytest.raises(Exception):  # noqa: B017
        open_session(store.settings, "admin", "guessing-123")
    kept = store.settings.paths.failures.read_bytes()
    store.login("minh").close()  # imports it and empties the journal
    store.settings.paths.failures.write_bytes(kept)  # as if killed before emptying
    with pytest.raises(Exception):  # noqa: B017
        open_session(store.settings, "admin", "guessing-456")
    minh = store.login("minh")
    assert _journal_problems(store) == []
    assert len([e for e in audit.entries(minh.conn, action="login.failed", user_name="admin")
                if '"authentic": true' in (e.detail or "")]) == 2
    assert journal.MAX_JOURNAL_BYTES  # the module under test


def test_the_journal_state_removed_from_the_database_is_reported(store: StoreFixture) -> None:
    with pytest.raises(Exception):  # noqa: B017
        open_session(store.settings, "admin", "guessing-789")
    with as_hostile_clerk(store) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'journal.expected'")
    assert any("state was removed" in p for p in _journal_problems(store))
