"""Roles are enforced in the core, whatever face calls it."""

from __future__ import annotations

import pytest

from store import batches, documents, search, users
from store.errors import Conflict, NotFound, PermissionDenied, WrongPassword
from store.roles import Role
from tests.conftest import StoreFixture, add_sample_document


def test_clerk_cannot_approve_and_supervisor_cannot_manage_users(store: StoreFixture) -> None:
    clerk = store.login("lan")
    add_sample_document(clerk)
    batches.submit(clerk, "lô-1")
    with pytest.raises(PermissionDenied):
        batches.approve(clerk, "lô-1")
    supervisor = store.login("minh")
    with pytest.raises(PermissionDenied):
        users.add_user(supervisor, "eve", Role.ADMIN, "password-123")
    with pytest.raises(PermissionDenied):
        users.list_users(supervisor)
    assert batches.approve(supervisor, "lô-1").state == "approved"


def test_admin_cannot_read_documents(store: StoreFixture) -> None:
    doc_id = add_sample_document(store.login("lan"))
    admin = store.login("admin")
    with pytest.raises(PermissionDenied):
        documents.get_document(admin, doc_id)
    with pytest.raises(PermissionDenied):
        search.search(admin, "quyết định")


def test_clerks_see_only_their_own_batches(store: StoreFixture) -> None:
    doc_id = add_sample_document(store.login("lan"))
    other = store.login("hoa")
    assert batches.list_batches(other) == []
    assert search.search(other, "quyet dinh") == []
    with pytest.raises(NotFound):
        documents.get_document(other, doc_id)
    supervisor = store.login("minh")
    assert [b.name for b in batches.list_batches(supervisor)] == ["lô-1"]
    assert documents.get_document(supervisor, doc_id).id == doc_id


def test_lifecycle_submit_reject_resubmit_approve(store: StoreFixture) -> None:
    clerk = store.login("lan")
    doc_id = add_sample_document(clerk)
    batches.submit(clerk, "lô-1")
    with pytest.raises(Conflict):
        documents.update_document(clerk, doc_id, {"subject": "changed after submit"})
    supervisor = store.login("minh")
    with pytest.raises(PermissionDenied):
        documents.update_document(supervisor, doc_id, {"subject": "supervisor edit"})
    rejected = batches.reject(supervisor, "lô-1", "Thiếu trang 2")
    assert rejected.state == "rejected" and rejected.reject_reason == "Thiếu trang 2"
    documents.update_document(clerk, doc_id, {"subject": "Về việc cấp phép xây dựng"})
    batches.submit(clerk, "lô-1")
    assert batches.approve(supervisor, "lô-1").state == "approved"
    with pytest.raises(Conflict):
        batches.approve(supervisor, "lô-1")


def test_empty_batch_cannot_be_submitted(store: StoreFixture) -> None:
    clerk = store.login("lan")
    batches.create_batch(clerk, "empty")
    with pytest.raises(Conflict):
        batches.submit(clerk, "empty")


def test_disabled_user_cannot_log_in(store: StoreFixture) -> None:
    users.set_active(store.login("admin"), "hoa", False)
    with pytest.raises(WrongPassword):  # her key slot is gone
        store.login("hoa")
