"""A batch's gaps (store/quality.py) on a real store: what the gates and the review queue see."""

from __future__ import annotations

import json

import pytest

from capture import pages
from extract import records
from store import batches, db, documents, quality
from store.errors import NotFound
from store.session import Session
from tests.conftest import StoreFixture, add_sample_document

SURE = 0.75


def _doc(session: Session, batch: str, code: str, confidence: dict[str, float],
         **metadata: str) -> int:
    doc_id = add_sample_document(session, batch, code, **metadata)
    session.conn.execute("UPDATE document SET extraction = ? WHERE id = ?",
                         (json.dumps({"confidence": confidence}), doc_id))
    session.conn.commit()
    return doc_id


def test_a_batch_lists_unchecked_documents_empty_required_and_invalid_values(
        store: StoreFixture) -> None:
    lan = store.login("lan")
    first = _doc(lan, "Lô A", "H29.2024.01", {"signer_name": 0.4, "subject": 0.5})
    second = _doc(lan, "Lô A", "H29.2024.01", {}, subject="")
    documents.set_checked(lan, first, True)
    dossier = documents.get_document(lan, first, audit_open=False).dossier_id
    lan.conn.execute("UPDATE document SET issued_date = '2999-01-01' WHERE id = ?", (first,))
    lan.conn.commit()  # a date in the future, as a misread could leave

    found = quality.batch_quality(lan, "Lô A", records.record_problems, doubtful_below=SURE)
    kinds = {(g.kind, g.document_id, g.field) for g in found.gaps}
    assert ("unchecked", second, None) in kinds and ("unchecked", first, None) not in kinds
    assert ("required", second, "subject") in kinds
    assert ("invalid", first, "issued_date") in kinds
    assert ("required", None, "maintenance") in kinds and dossier
    assert (found.documents, found.checked, found.with_gaps) == (2, 1, 2)
    # the first document is checked (its fields confirmed); the dossier title still
    # inherits its summary's 50 % (no one corrected the title)
    assert found.tinted_left == 1
    assert not found.clean


def test_corrections_by_a_person_clear_the_tint_but_fills_do_not(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc_id = _doc(lan, "Lô B", "H29.2024.02", {"signer_name": 0.4, "organ_name": 0.3,
                                               "subject": 0.2}, code_notation="")
    assert quality.batch_quality(lan, "Lô B", records.record_problems,
                                 doubtful_below=SURE).tinted_left == 4  # 3 + dossier title
    documents.update_document(lan, doc_id, {"signer_name": "Lê Văn Tám"})
    dossier = documents.get_document(lan, doc_id, audit_open=False).dossier_id
    documents.update_dossier(lan, dossier, {"file_code": "H29.2024.09"})
    documents.update_dossier(lan, dossier, {"title": "Hồ sơ đã sửa"})
    documents.update_document(lan, doc_id, {"code_number": None})  # a person: corrected
    with db.transaction(lan.conn):  # a re-read filling it again is no correction
        pages.fill_empty_fields(lan, doc_id, {"code_notation": "TB-UBND", "code_number": "7"},
                                [], detail={"reread": 1})
    assert quality.corrected_fields(lan, doc_id) == {"signer_name", "code_number"}
    filled = documents.get_document(lan, doc_id, audit_open=False).metadata
    assert filled["code_number"] == "7" and filled["code_notation"] == "TB-UBND"
    assert quality.dossier_corrected(lan, dossier) == {"file_code", "title"}
    assert quality.dossier_confidence(lan, dossier) == {"title": 0.2}
    assert quality.batch_quality(lan, "Lô B", records.record_problems,
                                 doubtful_below=SURE).tinted_left == 2  # organ_name, subject
    documents.set_checked(lan, doc_id, True)
    assert quality.batch_quality(lan, "Lô B", records.record_problems,
                                 doubtful_below=SURE).tinted_left == 0


def test_a_clean_batch_has_no_gaps_and_others_cannot_see_it(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc_id = add_sample_document(lan, "Lô C", "H29.2024.03")
    dossier = documents.get_document(lan, doc_id, audit_open=False).dossier_id
    documents.update_dossier(lan, dossier, {"maintenance": "01"})
    documents.set_checked(lan, doc_id, True)
    found = quality.batch_quality(lan, "Lô C", records.record_problems, doubtful_below=SURE)
    assert found.clean and found.tinted_left == 0
    batches.submit(lan, "Lô C")
    assert quality.batch_quality(store.login("minh"), "Lô C", records.record_problems,
                                 doubtful_below=SURE).clean
    hoa = store.login("hoa")
    with pytest.raises(NotFound):
        quality.batch_quality(hoa, "Lô C", records.record_problems, doubtful_below=SURE)


def test_a_document_cut_short_by_a_cancel_stays_a_gap_even_when_checked(
        store: StoreFixture) -> None:
    """A document a cancelled import left incomplete is listed before submit and approve
    with its pages read, so it never passes for whole; checking it does not clear it."""
    lan = store.login("lan")
    doc_id = _doc(lan, "Lô C", "H29.2024.03", {})
    whole = _doc(lan, "Lô C", "H29.2024.03", {})
    lan.conn.execute(
        "UPDATE document SET source_sha256 = ?, extraction = ? WHERE id = ?",
        (quality.INCOMPLETE + "ab" * 32,
         json.dumps({"incomplete": {"read": 7, "total": 9, "pages": list(range(1, 8))}}),
         doc_id))
    lan.conn.commit()
    for checked in (doc_id, whole):
        documents.set_checked(lan, checked, True)
    found = quality.batch_quality(lan, "Lô C", records.record_problems, doubtful_below=SURE)
    cut = [g for g in found.gaps if g.kind == "incomplete"]
    assert [(g.document_id, g.code, g.pages_read, g.pages_total) for g in cut] == [
        (doc_id, "incomplete_import", 7, 9)]
    assert not found.clean and found.with_gaps >= 1


def test_both_parts_of_a_split_incomplete_document_stay_gaps(store: StoreFixture) -> None:
    """Splitting a document a cancel cut short does not make a whole one of its second part."""
    from tests.test_store_pages import make_pdf_document

    lan = store.login("lan")
    doc_id = make_pdf_document(lan, batch="Lô D")
    lan.conn.execute(
        "UPDATE document SET source_sha256 = ?, extraction = ? WHERE id = ?",
        (quality.INCOMPLETE + "cd" * 32,
         json.dumps({"incomplete": {"read": 3, "total": 5, "pages": [1, 2, 3]}}), doc_id))
    lan.conn.commit()
    first_pages = [int(r[0]) for r in lan.conn.execute(
        "SELECT id FROM page WHERE document_id = ? ORDER BY ordinal", (doc_id,))]
    new = pages.split_document(lan, first_pages[1])
    found = quality.batch_quality(lan, "Lô D", records.record_problems, doubtful_below=SURE)
    assert sorted((g.document_id, g.pages_read, g.pages_total) for g in found.gaps
                  if g.kind == "incomplete") == [(doc_id, 3, 5), (new, 3, 5)]
