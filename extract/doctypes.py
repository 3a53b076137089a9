"""Kinds of administrative documents and their abbreviations (NĐ 30/2020/NĐ-CP).

Điều 7 of Nghị định 30/2020 lists 29 kinds of administrative document; its
Phụ lục III gives the abbreviation each kind uses in a document's notation
("Số: 12/QĐ-UBND"), plus the three kinds of copy. The legal normative kinds a
dossier holds as copies (Nghị định, Thông tư, Luật, ...) follow them. Công văn and Thư công have
no abbreviation: a công văn's notation is only the issuing agency and unit
("Số: 123/UBND-VP"), and it has no type line; its summary follows "V/v".

The type line of a scanned document is recognised by comparing its folded
letters with each name, allowing the OCR edits the name's length permits;
ties go to the more common kind (``rank``).
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.vntext import edit_distance, tokenize


@dataclass(frozen=True)
class DocType:
    """One kind of document: canonical name, abbreviation (None if it has none)."""

    name: str
    abbreviation: str | None
    rank: int  # lower = more common in a ward's archive; breaks ties in fuzzy matching
    copy: bool = False  # one of the three kinds of copy (bản sao)

    @property
    def folded(self) -> str:
        """Name as folded word keys joined by spaces ("quyet dinh")."""
        return " ".join(t.key for t in tokenize(self.name))


# Phụ lục III, I: abbreviations of the kinds of administrative document, in the
# order of the annex; then the two kinds without one; then Phụ lục III, II (copies).
DOC_TYPES: tuple[DocType, ...] = (
    DocType("Nghị quyết", "NQ", 9),
    DocType("Quyết định", "QĐ", 0),
    DocType("Chỉ thị", "CT", 12),
    DocType("Quy chế", "QC", 13),
    DocType("Quy định", "QyĐ", 14),
    DocType("Thông cáo", "TC", 25),
    DocType("Thông báo", "TB", 2),
    DocType("Hướng dẫn", "HD", 10),
    DocType("Chương trình", "CTr", 11),
    DocType("Kế hoạch", "KH", 3),
    DocType("Phương án", "PA", 15),
    DocType("Đề án", "ĐA", 16),
    DocType("Dự án", "DA", 17),
    DocType("Báo cáo", "BC", 4),
    DocType("Biên bản", "BB", 7),
    DocType("Tờ trình", "TTr", 5),
    DocType("Hợp đồng", "HĐ", 8),
    DocType("Công điện", "CĐ", 18),
    DocType("Bản ghi nhớ", "GN", 22),
    DocType("Bản thỏa thuận", "TTh", 23),
    DocType("Giấy ủy quyền", "GUQ", 19),
    DocType("Giấy mời", "GM", 6),
    DocType("Giấy giới thiệu", "GGT", 20),
    DocType("Giấy nghỉ phép", "NP", 21),
    DocType("Phiếu gửi", "PG", 24),
    DocType("Phiếu chuyển", "PC", 26),
    DocType("Phiếu báo", "PB", 27),
    DocType("Công văn", None, 1),
    DocType("Thư công", None, 28),
    # Legal normative documents (Luật Ban hành văn bản quy phạm pháp luật, Điều 4) that a
    # ward's dossiers hold as copies: NĐ 30 does not cover them, but they are typed with
    # the same header ("Số: 30/2020/NĐ-CP", type line "NGHỊ ĐỊNH"); without them a
    # Nghị định's type and summary were lost (real-extra E07).
    DocType("Nghị định", "NĐ", 32),
    DocType("Thông tư", "TT", 33),
    DocType("Thông tư liên tịch", "TTLT", 34),
    DocType("Nghị quyết liên tịch", "NQLT", 35),
    DocType("Luật", None, 36),
    DocType("Pháp lệnh", None, 37),
    DocType("Bản sao y", "BSY", 29, copy=True),
    DocType("Bản trích sao", "BTS", 30, copy=True),
    DocType("Bản sao lục", "BSL", 31, copy=True),
)

_TYPE_ABBREVIATIONS = tuple(t.abbreviation for t in DOC_TYPES if t.abbreviation)
CONG_VAN = next(t for t in DOC_TYPES if t.name == "Công văn")
# Names that can stand as a type line (not Công văn), with their folded form.
_FOLDED_NAMES = tuple((t, t.folded) for t in DOC_TYPES if t is not CONG_VAN)

# Agency abbreviations that contain Đ, which OCR often reads as D.
ORGAN_ABBREVIATIONS = ("HĐND", "ĐU", "UBND", "UBMTTQ", "HĐTĐKT", "HĐPH")


def _plain(abbreviation: str) -> str:
    return abbreviation.replace("Đ", "D").replace("đ", "d").upper()


def by_name(name: str) -> DocType | None:
    """The kind whose canonical name is ``name`` (exact)."""
    return next((t for t in DOC_TYPES if t.name == name), None)


def match_type_line(text: str) -> tuple[DocType, int] | None:
    """The kind named by a type line ("QUYÉT ĐỊNH" -> Quyết định), with its edit count.

    The whole line must be the name (a trailing ":" or stray mark is fine), or the
    name followed by "CỦA" and the issuing body, as type lines read before 2000;
    Công văn never has a type line and is not matched.
    """
    keys = [t.key for t in tokenize(text)]
    if "cua" in keys[1:5]:  # before 2000: "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH ..."
        keys = keys[: keys.index("cua", 1)]
    got = " ".join(keys)
    if not got or len(got) > 20:
        return None
    best: tuple[int, int, DocType] | None = None
    for doc_type, want in _FOLDED_NAMES:
        limit = 0 if len(want) <= 5 else (1 if len(want) <= 9 else 2)
        dist = edit_distance(got, want, limit)
        if dist <= limit and (best is None or (dist, doc_type.rank) < best[:2]):
            best = (dist, doc_type.rank, doc_type)
    return None if best is None else (best[2], best[0])


def restore_abbreviation(part: str, doc_type: DocType | None = None) -> str:
    """Canonical spelling of one notation part ("QD" -> "QĐ", "TTR" -> "TTr").

    "HD" is both Hướng dẫn (HD) and Hợp đồng (HĐ), "DA" both Dự án and Đề án:
    the document's own type decides; without it an ambiguous part is kept.
    Knowing the type also repairs one wrong letter in a three-letter
    abbreviation.
    """
    plain = _plain(part)
    own = doc_type.abbreviation if doc_type is not None else None
    if own and edit_distance(_plain(own), plain, 1) <= (1 if len(own) >= 3 else 0):
        return own  # the type line confirms it: "TTo" on a Tờ trình is "TTr"
    known = [a for a in _TYPE_ABBREVIATIONS if _plain(a) == plain]
    known += [a for a in ORGAN_ABBREVIATIONS if _plain(a) == plain]
    if part in known:
        return part
    return known[0] if len(set(known)) == 1 else part


def type_for_abbreviation(part: str) -> DocType | None:
    """The kind whose abbreviation is ``part`` (ignoring Đ/D and case), if unique."""
    plain = _plain(part)
    hits = [t for t in DOC_TYPES if t.abbreviation and _plain(t.abbreviation) == plain]
    return hits[0] if len(hits) == 1 else None


def is_known_abbreviation(part: str) -> bool:
    """Whether ``part`` spells a type or common agency abbreviation (ignoring Đ/D, case)."""
    plain = _plain(part)
    return any(_plain(a) == plain for a in (*_TYPE_ABBREVIATIONS, *ORGAN_ABBREVIATIONS))
