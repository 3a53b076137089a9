"""Renaming and deleting batches (store/batches.py): who may, in which state, and what goes."""

from __future__ import annotations

import json

import pytest

from store import audit, batches, search
from store.errors import Conflict, ExitCode, NotFound, PermissionDenied, UsageError
from tests.conftest import PASSWORDS, StoreFixture, add_sample_document, sohoa


def test_a_clerk_renames_her_open_or_sent_back_batch_audited(store: StoreFixture) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "/home/lan/scans/2024-03")  # a typed path became a batch name
    renamed = batches.rename_batch(lan, "/home/lan/scans/2024-03", "  Lô tháng 3  ")
    assert renamed.name == "Lô tháng 3" and renamed.documents == 1
    with pytest.raises(NotFound):
        batches.get_batch(lan, "/home/lan/scans/2024-03")
    entry = audit.entries(lan.conn, action="batch.rename")[0]
    assert (entry.old_value, entry.new_value, entry.user_name) == (
        "/home/lan/scans/2024-03", "Lô tháng 3", "lan")
    batches.create_batch(lan, "Lô khác")
    with pytest.raises(Conflict, match="already exists"):
        batches.rename_batch(lan, "Lô khác", "Lô tháng 3")
    with pytest.raises(UsageError):
        batches.rename_batch(lan, "Lô khác", "   ")
    batches.submit(lan, "Lô tháng 3")
    with pytest.raises(Conflict, match="can no longer be changed"):
        batches.rename_batch(lan, "Lô tháng 3", "Lô mới")
    batches.reject(store.login("minh"), "Lô tháng 3", "Thiếu trang")
    assert batches.rename_batch(lan, "Lô tháng 3", "Lô tháng 3 (sửa)").state == "rejected"


def test_only_the_owning_clerk_renames_or_deletes(store: StoreFixture) -> None:
    add_sample_document(store.login("lan"), "Lô của Lan")
    with pytest.raises(NotFound):  # another clerk does not even see it
        batches.rename_batch(store.login("hoa"), "Lô của Lan", "Của Hoa")
    with pytest.raises(PermissionDenied):
        batches.delete_batch(store.login("minh"), "Lô của Lan", with_documents=True)
    with pytest.raises(PermissionDenied):
        batches.rename_batch(store.login("minh"), "Lô của Lan", "Của Minh")
    assert batches.get_batch(store.login("lan"), "Lô của Lan").documents == 1


def test_an_empty_batch_is_deleted_one_with_documents_only_when_confirmed(
        store: StoreFixture) -> None:
    lan = store.login("lan")
    batches.create_batch(lan, "Lô trống")
    gone = batches.delete_batch(lan, "Lô trống")
    assert gone.name == "Lô trống"
    assert [b.name for b in batches.list_batches(lan)] == []
    doc_id = add_sample_document(lan, "Lô nhầm", "H29.2024.07")
    add_sample_document(lan, "Lô giữ", "H29.2024.08", text="Một trang khác")
    with pytest.raises(Conflict, match="holds 1 documents") as refused:
        batches.delete_batch(lan, "Lô nhầm")
    assert refused.value.exit_code == ExitCode.CONFLICT
    assert len(search.search(lan, "quyet dinh")) == 2
    batches.delete_batch(lan, "Lô nhầm", with_documents=True)
    assert [b.name for b in batches.list_batches(lan)] == ["Lô giữ"]
    conn = lan.conn
    assert conn.execute("SELECT count(*) FROM document WHERE id = ?", (doc_id,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM dossier WHERE file_code = 'H29.2024.07'"
                        ).fetchone()[0] == 0
    assert [h.document_id for h in search.search(lan, "quyet dinh")] != [doc_id]
    assert len(search.search(lan, "quyet dinh")) == 1
    # the deleted page's image left the store; the kept batch's did not
    assert conn.execute("SELECT count(*) FROM page p JOIN blob b ON b.sha256 = p.image_sha256"
                        ).fetchone()[0] == 1
    orphans = conn.execute("SELECT count(*) FROM blob WHERE sha256 NOT IN"
                           " (SELECT image_sha256 FROM page)").fetchone()[0]
    assert orphans == 0
    entry = audit.entries(conn, action="batch.delete")[0]
    assert entry.object_id == "Lô nhầm"
    assert json.loads(entry.detail or "{}") == {"dossiers": ["H29.2024.07"], "documents": 1,
                                                 "pages": 1}
    batches.create_batch(lan, "Lô nhầm")  # the name is free again
    add_sample_document(lan, "Lô nhầm", "H29.2024.07")  # and so is the dossier code


def test_a_submitted_approved_or_sent_back_batch_is_never_deleted(store: StoreFixture) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    add_sample_document(lan, "Lô nộp")
    batches.submit(lan, "Lô nộp")
    with pytest.raises(Conflict, match="can no longer be changed"):
        batches.delete_batch(lan, "Lô nộp", with_documents=True)
    batches.reject(minh, "Lô nộp", "Thiếu trang")
    with pytest.raises(Conflict, match="sent back"):
        batches.delete_batch(lan, "Lô nộp", with_documents=True)
    batches.submit(lan, "Lô nộp")
    batches.approve(minh, "Lô nộp")
    with pytest.raises(Conflict):
        batches.delete_batch(lan, "Lô nộp", with_documents=True)
    assert batches.get_batch(lan, "Lô nộp").documents == 1


def test_the_command_line_renames_and_deletes(store: StoreFixture) -> None:
    lan = store.login("lan")
    add_sample_document(lan, "Lô sai tên")
    env, data = {"SOHOA_PASSWORD": PASSWORDS["lan"]}, store.settings.data_dir
    done = sohoa("--user", "lan", "batch", "rename", "Lô sai tên", "Lô đúng tên",
                 env=env, data=data)
    assert done.returncode == 0, done.stderr
    refused = sohoa("--user", "lan", "batch", "delete", "Lô đúng tên", env=env, data=data)
    assert refused.returncode == ExitCode.CONFLICT and "--with-documents" in refused.stderr
    done = sohoa("--user", "lan", "batch", "delete", "Lô đúng tên", "--with-documents", "--json",
                 env=env, data=data)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"] == 1
    assert batches.list_batches(store.login("lan")) == []
