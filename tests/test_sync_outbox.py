"""The outbox tables (migration 0003) and their state machine, roles and audit rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import audit, db, outbox
from store.errors import BadInput, Conflict, NotFound, PermissionDenied
from store.outbox import Credential
from tests.conftest import StoreFixture
from tests.test_sync_support import approve, make_dossier

KEY = b"o" * 32


def test_0003_from_0002_keeps_rows_and_adds_the_outbox(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "m.db", KEY)
    db.migrate(conn, target=2)
    conn.execute("INSERT INTO user (name, role, created_at) VALUES ('a', 'admin', 't')")
    conn.execute("INSERT INTO site_setting (key, value, updated_at) VALUES"
                 " ('warehouse_url', 'https://kho.example', 't')")
    assert 3 in db.migrate(conn)
    assert conn.execute("SELECT name FROM user").fetchall() == [("a",)]
    assert conn.execute("SELECT value FROM site_setting WHERE key = 'warehouse_url'"
                        ).fetchone() == ("https://kho.example",)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"outbox", "sync_credential", "sync_setting"} <= tables
    assert outbox.load_controls(conn) == outbox.Controls(paused=False, parallel=2,
                                                          bandwidth_kbps=0)
    with pytest.raises(Exception, match="CHECK"):
        conn.execute("INSERT INTO outbox (dossier_id, state, queued_at, updated_at)"
                     " VALUES (1, 'lost', 't', 't')")


def _approved(store: StoreFixture, dossiers: int = 2) -> tuple[object, object]:
    lan, minh = store.login("lan"), store.login("minh")
    for n in range(dossiers):
        make_dossier(lan, "lô-1", f"H29.2024.{n + 1:02d}", 1, seed=n)
    make_dossier(lan, "lô-2", "H29.2024.99", 1, seed=9)  # never approved
    approve(lan, minh, "lô-1")
    return lan, minh


def test_only_approved_dossiers_are_queued_once(store: StoreFixture) -> None:
    _lan, minh = _approved(store)
    assert outbox.queue_approved(minh) == 2
    assert outbox.queue_approved(minh) == 0
    items = outbox.list_items(minh)
    assert [i.file_code for i in items] == ["H29.2024.01", "H29.2024.02"]
    assert {i.state for i in items} == {"waiting"}
    assert outbox.summary(minh)["waiting"] == 2
    queued = audit.entries(minh.conn, action="sync.queue")
    assert {e.object_id for e in queued} == {"H29.2024.01", "H29.2024.02"}


def test_the_state_machine_and_its_audit_trail(store: StoreFixture) -> None:
    _lan, minh = _approved(store, 1)
    outbox.queue_approved(minh)
    item = outbox.list_items(minh)[0]
    item = outbox.set_package(minh, item, "ab" * 32, 1000)
    assert item.package_sha256 == "AB" * 32
    with pytest.raises(Conflict):
        outbox.mark_committed(minh, item)  # not uploading yet
    item = outbox.start_upload(minh, item, "https://kho/v1/uploads/1")
    item = outbox.record_offset(minh, item, 400)
    with pytest.raises(BadInput):
        outbox.record_offset(minh, item, 5000)
    item = outbox.fail(minh, item, "timeout", next_try="2000-01-01T00:00:00.000+00:00")
    assert (item.state, item.step, item.attempts) == ("failed", "uploading", 1)
    assert [i.id for i in outbox.due_items(minh)] == [item.id]
    item = outbox.resume(minh, item)
    assert (item.state, item.upload_url, item.upload_offset) == (
        "uploading", "https://kho/v1/uploads/1", 400)
    item = outbox.mark_committed(minh, item)
    assert (item.state, item.upload_offset) == ("committed", 1000)
    with pytest.raises(Conflict, match="another package"):
        outbox.acknowledge(minh, item, {"receipt_id": "R-1", "sha256": "CD" * 32})
    item = outbox.acknowledge(minh, item, {"receipt_id": "R-1", "sha256": "AB" * 32,
                                           "received_at": "2026-01-01"})
    assert (item.state, item.receipt_id) == ("acknowledged", "R-1")
    assert outbox.receipt_of(minh, item.id)["receipt_id"] == "R-1"
    assert outbox.due_items(minh) == []
    actions = [e.action for e in audit.entries(minh.conn, limit=20)
               if e.action.startswith("sync.")]
    assert actions[:4] == ["sync.receipt", "sync.commit", "sync.fail", "sync.upload"]
    assert audit.verify(minh.conn).ok


def test_a_changed_package_restarts_the_upload(store: StoreFixture) -> None:
    _lan, minh = _approved(store, 1)
    outbox.queue_approved(minh)
    item = outbox.set_package(minh, outbox.list_items(minh)[0], "ab" * 32, 10)
    item = outbox.start_upload(minh, item, "https://kho/u/1")
    item = outbox.set_package(minh, item, "cd" * 32, 12)
    assert (item.state, item.upload_url, item.package_size) == ("waiting", None, 12)
    assert audit.entries(minh.conn, action="sync.package.changed")


def test_supervisor_retries_failed_rows_and_pauses(store: StoreFixture) -> None:
    _lan, minh = _approved(store)
    outbox.queue_approved(minh)
    first, second = outbox.list_items(minh)
    outbox.fail(minh, first, "422 invalid", next_try=None)
    outbox.fail(minh, second, "offline", next_try="2999-01-01T00:00:00.000+00:00")
    assert outbox.due_items(minh) == []
    assert outbox.next_wakeup(minh) == "2999-01-01T00:00:00.000+00:00"
    with pytest.raises(NotFound):
        outbox.retry(minh, ["H29.2024.77"])
    assert outbox.retry(minh, ["H29.2024.01"]) == 1
    assert [i.file_code for i in outbox.due_items(minh)] == ["H29.2024.01"]
    assert outbox.get_item(minh, first.id).attempts == 0
    assert outbox.set_control(minh, "paused", "1").paused
    assert outbox.set_control(minh, "parallel", "4").parallel == 4
    with pytest.raises(BadInput):
        outbox.set_control(minh, "parallel", "99")
    with pytest.raises(BadInput):
        outbox.set_control(minh, "colour", "1")
    assert [e.field for e in audit.entries(minh.conn, action="sync.setting")] == [
        "parallel", "paused"]


def test_roles(store: StoreFixture) -> None:
    lan, minh = _approved(store, 1)
    admin = store.login("admin")
    for session in (lan, admin):
        with pytest.raises(PermissionDenied):
            outbox.queue_approved(session)
        with pytest.raises(PermissionDenied):
            outbox.set_control(session, "paused", "1")
    cred = Credential("https://kho.example", "st-1", "st-1.s3cr3t-value", "a2V5")
    with pytest.raises(PermissionDenied):
        outbox.save_credential(minh, cred)
    outbox.save_credential(admin, cred)
    assert outbox.load_credential(minh) == Credential(
        "https://kho.example", "st-1", "st-1.s3cr3t-value", "a2V5",
        outbox.load_credential(admin).enrolled_at)
    with pytest.raises(PermissionDenied):
        outbox.load_credential(lan)
    assert "s3cr3t" not in repr(outbox.load_credential(minh))


def test_the_credential_is_not_on_disk_in_clear(store: StoreFixture) -> None:
    admin = store.login("admin")
    secret = "st-9.very-secret-station-credential-42"
    outbox.save_credential(admin, Credential("https://kho.example", "st-9", secret, "a2V5"))
    admin.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in store.settings.data_dir.rglob("*"):
        if path.is_file():
            assert b"very-secret-station" not in path.read_bytes(), path
