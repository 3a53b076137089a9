"""The core the desktop app reads and calls: views, a second session, review, records, health."""

from __future__ import annotations

import io
import json
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from capture.pipeline import CaptureSettings, IngestRequest
from capture.scan_ingest import ScanRequest, scan_and_ingest
from extract import records
from ocr.health import check_health
from ocr.settings import OcrSettings
from scanning.settings import ScanSettings
from store import audit, batches, documents, outbox, review, sibling, users, views
from store.errors import BadInput, NotFound, PermissionDenied, WrongPassword
from store.session import Session
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document

CCCD = "079303001270"


def _two_dossiers(lan: Session) -> list[int]:
    ids = [add_sample_document(lan, file_code="H29.V.01"),
           add_sample_document(lan, file_code="H29.V.01", subject="Về việc thứ hai"),
           add_sample_document(lan, file_code="H29.V.02", type_name="Thông báo")]
    return ids


# -- the tree --------------------------------------------------------------------------------

def test_tree_rows_and_visibility(store: StoreFixture) -> None:
    lan = store.login("lan")
    a, b, c = _two_dossiers(lan)
    documents.set_checked(lan, a)
    batch = batches.get_batch(lan, "lô-1")
    rows = views.dossiers(lan, batch.id)
    assert [(r.file_code, r.documents, r.unchecked) for r in rows] == [
        ("H29.V.01", 2, 1), ("H29.V.02", 1, 1)]
    docs = views.documents_of(lan, rows[0].id)
    assert [(d.id, d.ordinal, d.code, d.checked) for d in docs] == [
        (a, 1, "12/QĐ-UBND", True), (b, 2, "12/QĐ-UBND", False)]
    dossier = views.get_dossier(lan, rows[0].id)
    assert dossier.values["title"] == "Hồ sơ cấp phép" and dossier.owner == "lan"
    assert views.place_of(lan, c).dossier_id == rows[1].id
    hoa = store.login("hoa")
    assert views.dossiers(hoa, batch.id) == []
    with pytest.raises(NotFound):
        views.get_dossier(hoa, rows[0].id)
    minh = store.login("minh")
    assert len(views.documents_of(minh, rows[0].id)) == 2
    admin = store.login("admin")
    with pytest.raises(PermissionDenied):
        views.dossiers(admin, batch.id)


def test_next_unchecked_goes_forward_then_wraps(store: StoreFixture) -> None:
    lan = store.login("lan")
    a, b, c = _two_dossiers(lan)
    assert views.next_unchecked(lan, a) == b
    assert views.next_unchecked(lan, b) == c
    assert views.next_unchecked(lan, c) == a
    for doc in (a, b):
        documents.set_checked(lan, doc)
    assert views.next_unchecked(lan, c) is None


def test_locate_hit_ignores_diacritics(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = add_sample_document(lan)
    lan.conn.execute("UPDATE page SET words = ? WHERE document_id = ?", (json.dumps(
        [["Số:", 1, 1, 5, 5, 90, 1], ["Quyết", 1, 9, 5, 5, 90, 2], ["định", 7, 9, 5, 5, 50, 2]]),
        doc))
    place = views.locate_hit(lan, doc, "quyet dinh")
    assert place.ordinal == 1 and place.words == (1, 2)
    assert views.locate_hit(lan, doc, "zzz").words == ()


# -- statistics, audit, sync -------------------------------------------------------------------

def test_clerk_days_counts_from_the_audit_log(store: StoreFixture) -> None:
    lan = store.login("lan")
    a, b, _ = _two_dossiers(lan)
    documents.update_document(lan, a, {"signer_name": "Lê Văn Tám", "subject": "Khác"})
    documents.set_checked(lan, b)
    minh = store.login("minh")
    (row,) = views.clerk_days(minh, offset=timedelta(hours=7))
    assert (row.user, row.documents, row.pages, row.checked, row.fields_corrected) == (
        "lan", 3, 3, 1, 2)
    with pytest.raises(PermissionDenied):
        views.clerk_days(lan)


def test_audit_log_filters(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = add_sample_document(lan)
    documents.update_document(lan, doc, {"signer_name": "Phan Thị Yến"})
    minh = store.login("minh")
    found = views.audit_log(minh, views.AuditFilter(user="lan", action="document.update"))
    assert [e.new_value for e in found] == ["Phan Thị Yến"]
    assert views.audit_log(minh, views.AuditFilter(text="nguyễn")) == []
    assert len(views.audit_log(minh, views.AuditFilter(text="PHAN thị"))) == 1
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert views.audit_log(minh, views.AuditFilter(since=tomorrow)) == []
    assert views.audit_log(minh, views.AuditFilter(until=date.today().isoformat()))
    choices = views.audit_choices(minh)
    assert "lan" in choices.users and "document.update" in choices.actions
    with pytest.raises(PermissionDenied):
        views.audit_log(lan, views.AuditFilter())


def test_approve_queues_and_dashboard_follows_the_outbox(store: StoreFixture) -> None:
    lan = store.login("lan")
    add_sample_document(lan)
    batches.submit(lan, "lô-1")
    minh = store.login("minh")
    assert [b.name for b in review.submitted(minh)] == ["lô-1"]
    review.approve_and_queue(minh, "lô-1")
    (row,) = views.sync_rows(minh)
    assert (row.state, row.outbox_state) == ("approved", "waiting")
    item = outbox.list_items(minh)[0]
    item = outbox.set_package(minh, item, "ab" * 32, 1000)
    item = outbox.start_upload(minh, item, "https://kho.example/up/1")
    item = outbox.record_offset(minh, item, 250)
    (row,) = views.sync_rows(minh)
    assert row.outbox_state == "uploading" and row.progress == pytest.approx(0.25)
    outbox.fail(minh, item, "connection refused", next_try="2030-01-01T00:00:00+00:00")
    (row,) = views.sync_rows(minh)
    assert (row.outbox_state, row.last_error, row.next_retry) == (
        "failed", "connection refused", "2030-01-01T00:00:00+00:00")
    status = views.sync_status(minh)
    assert not status.enrolled and status.counts["failed"] == 1
    assert views.outbox_states(lan) == {}


# -- a second session, the lock screen ---------------------------------------------------------

def test_sibling_session_in_another_thread(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = add_sample_document(lan)
    ticket = sibling.ticket(lan)
    assert repr(ticket.data_key) not in repr(ticket)  # the key never shows in a log line
    seen: list[object] = []

    def work() -> None:
        with sibling.open_sibling(ticket) as other:
            seen.append(documents.get_document(other, doc, audit_open=False).id)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [doc]
    admin = store.login("admin")
    users.set_active(admin, "lan", False)
    with pytest.raises(PermissionDenied):
        sibling.open_sibling(ticket)


def test_unlock_checks_the_password_and_journals_failures(store: StoreFixture) -> None:
    lan = store.login("lan")
    sibling.record_lock(lan, "idle")
    with pytest.raises(WrongPassword):
        sibling.verify_password(lan, "not-the-password")
    sibling.verify_password(lan, PASSWORDS["lan"])
    actions = [e.action for e in audit.entries(lan.conn, user_name="lan", limit=5)]
    assert actions[:2] == ["unlock", "lock"]
    store.login("minh")  # the next login imports the journal
    minh = store.login("minh")
    assert audit.entries(minh.conn, action="login.failed")


# -- records: validation, citizen IDs, masked exports ------------------------------------------

def test_field_problems() -> None:
    today = date(2024, 6, 1)
    assert records.field_problem("issued_date", "2024-02-30", today=today).code == "date_invalid"
    assert records.field_problem("issued_date", "05/03/2024", today=today).code == "date_format"
    assert records.field_problem("issued_date", "2024-07-01", today=today).code == "date_future"
    assert records.field_problem("issued_date", "2024-03-05", today=today) is None
    assert records.field_problem("subject", "  ").code == "required"
    assert records.field_problem("signer_name", "") is None
    assert records.field_problem("maintenance", "08").code == "maintenance"
    unknown = records.field_problem("type_name", "Đơn xin")
    assert unknown is not None and not unknown.blocking
    assert records.field_problem("type_name", "Quyết định") is None
    found = records.record_problems({"start_date": "2024-05-01", "end_date": "2024-01-01",
                                     "file_code": "x", "title": "t", "maintenance": "01"},
                                    ("start_date", "end_date"), today=today)
    assert found == {"end_date": records.Problem("date_order")}
    assert records.citizen_id_problem("079 303 001 270") is None
    assert records.citizen_id_problem("999303001270").code == "id_invalid"


def test_citizen_ids_are_checked_and_audited(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = add_sample_document(lan)
    with pytest.raises(BadInput, match=r"999\*+270"):
        records.set_citizen_ids(lan, doc, ["999303001270"])
    assert records.set_citizen_ids(lan, doc, ["079.303.001.270", "079203001271"]) == [
        CCCD, "079203001271"]
    entry = audit.entries(lan.conn, action="document.update")[0]
    assert entry.field == "citizen_ids"


def test_exports_mask_every_citizen_id(store: StoreFixture) -> None:
    lan = store.login("lan")
    add_sample_document(lan, subject=f"Cấp phép cho CCCD {CCCD[:3]} {CCCD[3:6]} {CCCD[6:]}")
    out = io.StringIO()
    assert records.export_documents(lan, out, file_name="ds.csv") == 1
    text = out.getvalue()
    assert "079******270" in text and "001270" not in text and "303 001" not in text
    minh = store.login("minh")
    doc = views.documents_of(minh, views.dossiers(minh, 1)[0].id)[0].id
    documents_text = io.StringIO()
    records.export_audit(minh, documents_text, views.AuditFilter())
    assert str(doc) in documents_text.getvalue() and CCCD not in documents_text.getvalue()
    assert [e.action for e in audit.entries(minh.conn, limit=1)] == ["export.audit"]
    with pytest.raises(BadInput):
        records.export_documents(lan, io.StringIO(), headers=("a",))


# -- health, scanning --------------------------------------------------------------------------

def _sane_env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n")
    (folder / "test.conf").write_text('test-picture "Color pattern"\n')
    return {"SANE_CONFIG_DIR": str(folder)}


def test_health_checks(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    found = {c.key: c for c in check_health(admin, ocr=OcrSettings(), scan=ScanSettings(),
                                            env=_sane_env(tmp_path))}
    assert found["tesseract"].ok and found["tesseract"].value.startswith(("4.", "5."))
    assert found["languages"].ok and "vie" in found["languages"].value
    assert found["scanners"].ok and "frontend-tester" in found["scanners"].value
    assert found["store"].ok and int(found["store"].value) > 0
    assert not found["backup"].ok and found["audit"].ok
    broken = check_health(admin, ocr=OcrSettings(languages="xyz"),
                          scan=ScanSettings(scanimage_cmd="/nonexistent"))
    by_key = {c.key: c for c in broken}
    assert not by_key["languages"].ok and not by_key["scanners"].ok
    with pytest.raises(PermissionDenied):
        check_health(store.login("lan"), ocr=OcrSettings(), scan=ScanSettings())


def test_scan_and_ingest_from_the_test_scanner(store: StoreFixture, tmp_path: Path) -> None:
    lan = store.login("lan")
    sheets: list[int] = []
    report = scan_and_ingest(
        lan, ScanRequest("test:0", dpi=75, mode="Gray"), IngestRequest([], batch="Lô quét"),
        CaptureSettings(ocr=OcrSettings(workers=1), serial=True), on_sheet=sheets.append,
        env=_sane_env(tmp_path))
    assert sheets == [1] and len(report.stored) == 1
    assert not any(lan.temp_dir.iterdir())  # the scanned sheets are gone
