"""The audit log: every change recorded, append-only, tamper-evident."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import audit, db, documents
from store.settings import StoreSettings
from tests.conftest import StoreFixture, add_sample_document


def _fresh_db(tmp_path):  # a bare migrated database, no users
    tmp_path.mkdir(exist_ok=True)
    conn = db.connect(tmp_path / "a.db", b"k" * 32)
    db.migrate(conn)
    return conn


def _drop_guards(conn) -> None:
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")


def test_metadata_changes_are_logged_with_old_and_new(store: StoreFixture) -> None:
    clerk = store.login("lan")
    doc_id = add_sample_document(clerk)
    documents.update_document(clerk, doc_id, {"code_number": "13", "subject": "Về việc khác"})
    rows = clerk.conn.execute(
        "SELECT field, old_value, new_value FROM audit WHERE action = 'document.update'"
        " ORDER BY id").fetchall()
    assert rows == [("code_number", "12", "13"), ("subject", "Về việc cấp giấy phép",
                                                   "Về việc khác")]
    documents.get_document(clerk, doc_id)
    assert clerk.conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'document.open'").fetchone()[0] == 1
    assert audit.verify(clerk.conn).ok


def test_audit_rows_cannot_be_updated_or_deleted(store: StoreFixture) -> None:
    session = store.login("admin")
    with pytest.raises(Exception, match="append-only"):
        session.conn.execute("UPDATE audit SET action = 'x' WHERE id = 1")
    with pytest.raises(Exception, match="append-only"):
        session.conn.execute("DELETE FROM audit WHERE id = 1")


def test_verify_names_changed_deleted_and_truncated_rows(tmp_path) -> None:
    conn = _fresh_db(tmp_path)
    for i in range(6):
        audit.append(conn, "lan", "document.update", object_id=i, field="subject", new=str(i))
    _drop_guards(conn)
    conn.execute("UPDATE audit SET new_value = 'forged' WHERE id = 3")
    assert audit.verify(conn).first_bad == 3
    conn.execute("UPDATE audit SET new_value = '2' WHERE id = 3")
    assert audit.verify(conn).ok
    conn.execute("DELETE FROM audit WHERE id = 4")
    result = audit.verify(conn)
    assert not result.ok and result.first_bad == 4
    conn2 = _fresh_db(tmp_path / "b")
    for i in range(4):
        audit.append(conn2, "lan", "x", object_id=i)
    _drop_guards(conn2)
    conn2.execute("DELETE FROM audit WHERE id >= 3")
    result = audit.verify(conn2)
    assert not result.ok and result.first_bad == 3 and "deleted" in result.reason


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.text(max_size=30), min_size=1, max_size=12),
    data=st.data(),
)
def test_any_single_change_is_found_at_its_row(values, data) -> None:
    from pathlib import Path

    conn = db.connect(Path(":memory:"), b"p" * 32)
    try:
        db.migrate(conn)
        for value in values:
            audit.append(conn, "lan", "document.update", field="subject", new=value)
        assert audit.verify(conn).ok
        target = data.draw(st.integers(min_value=1, max_value=len(values)))
        column = data.draw(st.sampled_from(["user_name", "action", "new_value", "ts"]))
        _drop_guards(conn)
        conn.execute(f"UPDATE audit SET {column} = coalesce({column}, '') || '!' WHERE id = ?",
                     (target,))
        result = audit.verify(conn)
        assert not result.ok and result.first_bad == target
    finally:
        conn.close()


def test_cli_audit_verify_exit_code(store: StoreFixture) -> None:
    from tests.conftest import PASSWORDS, sohoa

    env = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}
    ok = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert ok.returncode == 0, ok.stderr
    session = store.login("admin")
    _drop_guards(session.conn)
    session.conn.execute("UPDATE audit SET user_name = 'mallory' WHERE id = 2")
    session.close()
    bad = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert bad.returncode == 19
    assert "row 2" in bad.stderr and "Traceback" not in bad.stderr


def test_settings_are_versioned() -> None:
    assert StoreSettings(data_dir=__import__("pathlib").Path("/x")).version == 1
