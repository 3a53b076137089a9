"""Search: diacritic- and case-insensitive, đ/d tolerant, ranked, with snippets."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from store import documents, search
from store.textfold import fold, fts_query, nfc, snippet
from tests.conftest import StoreFixture, add_sample_document

OTHER = (
    "ỦY BAN NHÂN DÂN PHƯỜNG ĐA KAO\nSố: 7/KH-UBND\nKẾ HOẠCH\n"
    "Tổ chức ngày hội đại đoàn kết toàn dân tộc tại khu phố 3 năm 2024"
)


def _fill(store: StoreFixture) -> tuple[int, int]:
    clerk = store.login("lan")
    first = add_sample_document(clerk)
    second = add_sample_document(clerk, file_code="H29.2024.02", text=OTHER,
                                 type_name="Kế hoạch", code_number="7", code_notation="KH-UBND",
                                 subject="Tổ chức ngày hội đại đoàn kết",
                                 signer_name="Lê Thị Mai")
    return first, second


def test_search_ignores_case_diacritics_and_d(store: StoreFixture) -> None:
    first, second = _fill(store)
    s = store.login("minh")
    assert [h.document_id for h in search.search(s, "ho chi minh")] == [first]
    assert [h.document_id for h in search.search(s, "QUYET DINH")] == [first]
    assert [h.document_id for h in search.search(s, "dai doan ket")] == [second]
    assert [h.document_id for h in search.search(s, "ĐẠI ĐOÀN KẾT")] == [second]
    assert [h.document_id for h in search.search(s, "Duc")] == [first]   # Đức
    assert search.search(s, "phố Hàng Bông") == []


def test_search_ranks_metadata_matches_first_and_snippets_keep_diacritics(
    store: StoreFixture,
) -> None:
    first, second = _fill(store)
    s = store.login("minh")
    hits = search.search(s, "ke hoach")
    assert hits[0].document_id == second
    hit = search.search(s, "nguyen thi hong nhung")[0]
    assert "[Nguyễn] [Thị] [Hồng] [Nhung]" in hit.snippet.marked()
    assert search.search(s, "12/QĐ-UBND")[0].document_id == first


def test_search_follows_corrections(store: StoreFixture) -> None:
    first, _ = _fill(store)
    clerk = store.login("lan")
    documents.update_document(clerk, first, {"subject": "Về việc thu hồi đất công"})
    assert [h.document_id for h in search.search(clerk, "thu hoi dat")] == [first]


def test_user_input_is_never_fts_syntax(store: StoreFixture) -> None:
    _fill(store)
    s = store.login("minh")
    for query in ('"', "AND OR NOT", "a*b", "(x", "NEAR(", "^", "-", "''", "*"):
        search.search(s, query)  # must not raise


def test_instant_search_matches_prefixes(store: StoreFixture) -> None:
    first, _ = _fill(store)
    s = store.login("minh")
    assert [h.document_id for h in search.search(s, "nguy", prefix=True)] == [first]


@given(st.text())
def test_fold_keeps_length_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(nfc(text))
    assert fold(folded) == folded


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíị"
               "òỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐĂÂÊÔƠƯ"))
def test_fold_equals_fold_of_stripped_text(text: str) -> None:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c)).replace("đ", "d").replace("Đ", "D")
    assert fold(text) == fold(stripped) == stripped.lower()


@given(st.text())
def test_fts_query_is_always_quoted(text: str) -> None:
    query = fts_query(text, prefix_last=True)
    for part in query.split('" "'):
        assert part.count('"') <= 2


def test_snippet_cuts_original_text() -> None:
    text = "Đây là một đoạn văn bản dài. " * 10 + "Quyết định về Đất đai. " + "x " * 200
    result = snippet(text, "dat dai")
    assert "[Đất] [đai]" in result.marked()
    assert result.text.startswith("…")


def test_very_common_words_rank_only_the_newest_matches(store: StoreFixture) -> None:
    import dataclasses

    clerk = store.login("lan")
    ids = [add_sample_document(clerk, file_code=f"H29.2024.{i:02d}") for i in range(4)]
    clerk.settings = dataclasses.replace(clerk.settings, search_window=2)
    found = {h.document_id for h in search.search(clerk, "quyet dinh")}
    assert found == set(ids[-2:])


@given(st.text(min_size=0, max_size=600))
def test_short_and_long_fold_paths_agree(text: str) -> None:
    from store.textfold import fold_char

    expected = "".join(f if len(f := fold_char(c)) == 1 else c for c in nfc(text))
    assert fold(text) == expected


def test_new_documents_are_indexed_in_groups_and_never_missed(store: StoreFixture) -> None:
    """Documents wait in search_pending for a group, yet every search finds them."""
    from store import search as search_module

    clerk = store.login("lan")
    first = add_sample_document(clerk, text="Giấy khai sinh của Trần Thị Bích Ngọc")
    pending = clerk.conn.execute("SELECT document_id FROM search_pending").fetchall()
    assert pending == [(first,)]
    assert clerk.conn.execute("SELECT count(*) FROM doc_search WHERE doc_search MATCH 'ngoc'"
                              ).fetchone()[0] == 0  # not indexed yet...
    assert [h.document_id for h in search.search(clerk, "bich ngoc")] == [first]  # ...found
    assert clerk.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0

    for n in range(search_module.INDEX_GROUP):
        add_sample_document(clerk, file_code=f"H29.2024.{n + 2:02d}")
    assert clerk.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0


def test_a_queued_document_corrected_is_indexed_once(store: StoreFixture) -> None:
    clerk = store.login("lan")
    doc = add_sample_document(clerk, text="Đơn xin cấp phép của Lý Thường Kiệt")
    documents.update_document(clerk, doc, {"subject": "Về việc sửa chữa nhà ở"})
    assert clerk.conn.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert [h.document_id for h in search.search(clerk, "sua chua nha")] == [doc]
    assert [h.document_id for h in search.search(clerk, "thuong kiet")] == [doc]


def test_each_clerk_window_holds_only_what_they_may_see(store: StoreFixture) -> None:
    """Both ways of filtering (a small and a large share of the batches) see the same."""
    import dataclasses

    lan, hoa = store.login("lan"), store.login("hoa")
    lan_ids = [add_sample_document(lan, batch_name="lô lan", file_code=f"H29.2024.L{i}")
               for i in range(2)]
    hoa_ids = [add_sample_document(hoa, batch_name=f"lô hoa {i}", file_code=f"H29.2024.H{i}")
               for i in range(3)]  # newer, and hoa owns 3 batches of 4
    for session, own in ((lan, lan_ids), (hoa, hoa_ids)):
        session.settings = dataclasses.replace(session.settings, search_window=2)
        found = {h.document_id for h in search.search(session, "quyet dinh")}
        assert found == set(own[-2:])  # the newest two *they* may see, never starved
    assert len(search.search(store.login("minh"), "quyet dinh")) == 5  # a supervisor: all
