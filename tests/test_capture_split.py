"""A document split off another starts with its fields read from its pages' stored text
(capture/pages.py split_document), as capture would have read them: no OCR again."""

from __future__ import annotations

import json

from capture import pages
from store import audit, documents, search
from tests.conftest import StoreFixture
from tests.test_store_pages import make_pdf_document

LETTER = [  # the second page: a decision of its own, one OCR line per row
    "ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN NGHÉ", "Số: 45/QĐ-UBND",
    "Phường Bến Nghé, ngày 12 tháng 4 năm 2024", "QUYẾT ĐỊNH",
    "Về việc cấp phép sửa chữa nhà ở", "CHỦ TỊCH", "Lê Thị Mai"]


def _words(lines: list[str]) -> list[list[object]]:
    words: list[list[object]] = []
    for n, line in enumerate(lines):
        x = 20
        for word in line.split():
            words.append([word, x, 20 + 30 * n, 12 * len(word), 20, 93.0, n + 1])
            x += 12 * len(word) + 8
    return words


def test_a_split_off_document_starts_with_its_fields_and_is_found(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    ids = [p.page_id for p in pages.page_images(lan, doc)]
    lan.conn.execute("UPDATE page SET words = ?, ocr_text = ? WHERE id = ?",
                     (json.dumps(_words(LETTER), ensure_ascii=False), "\n".join(LETTER), ids[1]))
    lan.conn.commit()
    new = pages.split_document(lan, ids[1])
    meta = documents.get_document(lan, new, audit_open=False).metadata
    assert meta["code_number"] == "45" and meta["code_notation"] == "QĐ-UBND"
    assert meta["issued_date"] == "2024-04-12"
    assert "sửa chữa nhà ở" in (meta["subject"] or "")
    extraction = documents.get_document(lan, new, audit_open=False).extraction
    assert extraction["confidence"]["code_number"] > 0
    assert extraction["regions"]["code_number"][0] == 1  # read on the new document's page 1
    assert [h.document_id for h in search.search(lan, "sua chua nha")] == [new]
    filled = [e for e in audit.entries(lan.conn, action="document.update")
              if e.object_id == str(new)]
    assert {e.field for e in filled} >= {"code_number", "issued_date"}
    assert json.loads(filled[0].detail or "{}") == {"split_from": doc}
    old = documents.get_document(lan, doc, audit_open=False).metadata
    assert old["type_name"] == "Quyết định" and old["code_number"] is None  # left alone


def test_undoing_a_split_leaves_the_first_document_as_it_was(store: StoreFixture) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan)
    ids = [p.page_id for p in pages.page_images(lan, doc)]
    lan.conn.execute("UPDATE page SET words = ? WHERE id = ?",
                     (json.dumps(_words(LETTER), ensure_ascii=False), ids[1]))
    lan.conn.commit()
    before = documents.get_document(lan, doc, audit_open=False)
    new = pages.split_document(lan, ids[1])
    pages.merge_documents(lan, doc, new, absorb=False)  # what the app's undo does
    after = documents.get_document(lan, doc, audit_open=False)
    assert after.metadata == before.metadata and after.citizen_ids == before.citizen_ids
    assert [p.id for p in after.pages] == ids
