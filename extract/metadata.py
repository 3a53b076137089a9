"""Read the Nghị định 30/2020 metadata of an administrative document from OCR words.

A document laid out per NĐ 30/2020 (Phụ lục I) has a fixed skeleton: agency
block top-left, national motto top-right, "Số: n/KH-CQ" under the agency and
"<place>, ngày d tháng m năm y" under the motto, then the centred type line
and summary (trích yếu), the body, and at the bottom the recipients list
(Nơi nhận, left) beside the signature block (right). This module finds those
parts in Tesseract's words, using their boxes when the columns were read as
separate pieces and text patterns when Tesseract merged both columns into one
line, and tolerates the usual OCR damage (lost or wrong diacritics, "S6:" for
"Số:", "QD" for "QĐ", spaces around "/" and "-").

Field values and conventions (the keys of ``Extraction.fields``):

- ``organ_name``: the issuing agency in NĐ 30 capitalisation, its lines joined
  ("ỦY BAN NHÂN DÂN / PHƯỜNG BẾN NGHÉ" -> "Ủy ban nhân dân phường Bến Nghé";
  numbered units keep a capital: "Ủy ban nhân dân Quận 1"). When the block
  also names the parent agency (cơ quan chủ quản, e.g. "UBND QUẬN 1 / PHÒNG
  TƯ PHÁP"), ``organ_name`` is the issuing agency ("Phòng Tư pháp") and the
  extra field ``organ_parent`` holds the parent ("Ủy ban nhân dân Quận 1").
- ``code_number`` / ``code_notation``: NĐ 30 defines the number (số) as the
  registration sequence number in Arabic digits and the notation (ký hiệu) as
  the abbreviations of the type and the agency: "Số: 12/QĐ-UBND" -> "12",
  "QĐ-UBND". A legal normative document puts its year of issue between them
  (Luật Ban hành VBQPPL: số/năm/ký hiệu): "Số: 45/2024/QĐ-UBND" -> "45",
  "QĐ-UBND", and the year goes to the extra field ``code_year`` ("2024").
- ``issued_date``: ISO "YYYY-MM-DD" (years 1945-2099, real calendar dates only).
- ``type_name``: canonical name from :mod:`extract.doctypes` ("Quyết định");
  "Công văn" when there is no type line and the summary starts with "V/v".
- ``subject``: the trích yếu on one line, as printed under the type line
  ("Về việc ..." kept); for a công văn the text after "V/v".
- ``signer_position``: the signer's own title (chức vụ), cased as in NĐ 30:
  "Chủ tịch", "Phó Chủ tịch", "Chánh Văn phòng". The authority lines above
  it (thẩm quyền ký: TM., KT., TL., TUQ.) go to the extra field
  ``signer_authority``, joined by " / ": "TM. Ủy ban nhân dân / KT. Chủ tịch".
  For a biên bản signed by two people the right-hand signature (chủ trì /
  chủ tọa) is the signer.
- ``signer_name``: the name under the signature, title case, diacritics
  restored from a name lexicon when the scan lost them.

Every field's confidence is the mean OCR word confidence of its words (for the
free-text subject and signer name, the lowest: one wrong letter makes them wrong,
and no lexicon checks them) times a
pattern quality (1.0 for a clean match, less for each repair: a noisy "Số"
label or spacing, digits read as letters, a restored "Đ", restored
diacritics, a keyword damaged beyond one edit, an inferred "Công văn"); its
region is the union of those words' boxes. When OCR lost the "/" of the code
("87KH-UBND") the number is still read; when digits and letters are garbled
together ("4LUGM-UBND") only the notation is kept, anchored on the
abbreviation the type line confirms, at half confidence.

:func:`extract_from_text` (and :func:`page_from_text`) turn plain text into a
page with one fixed-width box per character, so text laid out in columns
keeps its geometry and merged text exercises the text-only fallbacks.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from extract import doctypes, seals, spelling
from extract.citizen_id import find_citizen_ids
from extract.vntext import (
    LEXICONS,
    ORGAN_HEADS,
    SURNAMES,
    cap_first,
    case_organ,
    case_position,
    edit_distance,
    find_phrase,
    fold,
    fuzzy_word_pattern,
    has_diacritics,
    is_acronym,
    key,
    letters_upper_ratio,
    normalize_ocr,
    repair_number,
    restore_name,
    tokenize,
)
from ocr.model import TINT, Extraction, Field, HandRead, PageText, Region, Word

# --- Pieces of text with their words -----------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of text on one page with the OCR words it came from.

    ``spans`` gives each word's character range in ``text`` (clipped when the
    piece was cut inside a word). ``col`` is "L", "C" or "R": left column,
    centred/full width, right column.
    """

    page: int
    text: str
    words: tuple[Word, ...]
    spans: tuple[tuple[int, int], ...]
    col: str = "C"
    motto: bool = False
    split: bool = False  # cut out of a merged line by text patterns

    def cut(self, start: int, end: int, col: str | None = None, motto: bool = False) -> Piece:
        """The part ``text[start:end]`` (trimmed), keeping the words it overlaps."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        kept = [
            (w, (max(s, start) - start, min(e, end) - start))
            for w, (s, e) in zip(self.words, self.spans, strict=True)
            if s < end and e > start
        ]
        return Piece(
            self.page,
            self.text[start:end],
            tuple(w for w, _ in kept),
            tuple(sp for _, sp in kept),
            col or self.col,
            motto,
            True,
        )

    @property
    def top(self) -> int:
        return min((w.top for w in self.words), default=0)

    @property
    def bottom(self) -> int:
        return max((w.top + w.height for w in self.words), default=0)

    @property
    def left(self) -> int:
        return min((w.left for w in self.words), default=0)

    @property
    def right(self) -> int:
        return max((w.left + w.width for w in self.words), default=0)

    @property
    def is_rule(self) -> bool:
        """A separator line ("-------", "____") or nothing readable."""
        return not any(ch.isalnum() for ch in self.text)


def _region(pieces: Sequence[Piece]) -> Region | None:
    words = [w for p in pieces for w in p.words]
    if not words:
        return None
    left = min(w.left for w in words)
    top = min(w.top for w in words)
    right = max(w.left + w.width for w in words)
    bottom = max(w.top + w.height for w in words)
    return Region(pieces[0].page, left, top, right - left, bottom - top)


def _ocr_conf(pieces: Sequence[Piece], *, worst: bool = False) -> float:
    confs = [min(max(w.conf, 0.0), 100.0) / 100.0 for p in pieces for w in p.words]
    if not confs:
        return 0.0
    return min(confs) if worst else statistics.fmean(confs)


_MAX_VALUE = 1000  # no real field is this long; the store refuses 2000


def _field(value: str, quality: float, pieces: Sequence[Piece], *, worst: bool = False) -> Field:
    """``worst``: rate free text (a subject, a name) by its least certain word, as one
    wrong letter makes the whole field wrong and no lexicon checks it."""
    if len(value) > _MAX_VALUE:  # garbage read as one endless line: keep it short and doubtful
        value, quality = value[:_MAX_VALUE].rsplit(" ", 1)[0], quality * 0.5
    conf = round(max(0.0, min(1.0, _ocr_conf(pieces, worst=worst) * quality)), 3)
    return Field(value, conf, _region(pieces))


# --- Page layout -----------------------------------------------------------------

_COLUMN_GAP = 2.5  # a gap wider than this many characters separates two columns
_BARE_LABEL = re.compile(r"\W{0,3}s\s?[o0-9]?\s*[:;]")
_MOTTO = (
    ("cong", "hoa", "xa", "hoi", "chu", "nghia", "viet", "nam"),
    ("doc", "lap", "tu", "do", "hanh", "phuc"),
)


def _ocr_lines(page: PageText, index: int) -> list[Piece]:
    """Tesseract's lines as pieces (words normalised, empty words dropped)."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for w in page.words:
        text = normalize_ocr(w.text).strip()
        if text:
            word = w if text == w.text else replace(w, text=text)
            groups.setdefault((w.block, w.par, w.line), []).append(word)
    lines = []
    for words in groups.values():
        spans, pos = [], 0
        for w in words:
            spans.append((pos, pos + len(w.text)))
            pos += len(w.text) + 1
        lines.append(Piece(index, " ".join(w.text for w in words), tuple(words), tuple(spans)))
    return lines


def _char_width(page: PageText) -> float:
    widths = [w.width / len(w.text) for w in page.words if w.text.strip() and w.width > 0]
    return statistics.median(widths) if widths else 1.0


def _split_gaps(line: Piece, char_w: float) -> list[Piece]:
    """Cut a line where the space between two words is a column gap."""
    cuts = [0]
    for i in range(1, len(line.words)):
        prev, cur = line.words[i - 1], line.words[i]
        if _BARE_LABEL.fullmatch(fold(line.text[cuts[-1] : line.spans[i - 1][1]])):
            continue  # "Số:      /QĐ-UBND": the number is left blank until signing
        if cur.left - (prev.left + prev.width) > _COLUMN_GAP * char_w:
            cuts.append(line.spans[i][0])
    cuts.append(len(line.text))
    if len(cuts) == 2:
        return [line]
    return [replace(line.cut(a, b), split=False) for a, b in itertools.pairwise(cuts)]


def _column(p: Piece, width: int) -> str:
    if not p.words or width <= 0:
        return "C"
    centre = (p.left + p.right) / 2 / width
    if centre < 0.4 and p.right < 0.62 * width:
        return "L"
    if centre > 0.6 and p.left > 0.38 * width:
        return "R"
    return "C"


_MOTTO_HINTS = ("cong", "hoa", "nghia", "viet", "doc", "lap", "hanh", "phuc")


def _motto_span(p: Piece) -> tuple[int, int] | None:
    folded = fold(p.text)
    if sum(hint in folded for hint in _MOTTO_HINTS) < 2:
        return None  # cheap test first: most lines are body text
    tokens = tokenize(p.text)
    for phrase in _MOTTO:
        hit = find_phrase(tokens, phrase, max_misses=2)
        if hit is None and len(phrase) > 6:  # "… CHỦ NGHĨA VIỆT" with "NAM" on its own
            hit = find_phrase(tokens[-(len(phrase) - 1):], phrase[:-1], max_misses=1)
            hit = None if hit is None else (hit[0] + max(len(tokens) - len(phrase) + 1, 0),
                                            hit[1] + max(len(tokens) - len(phrase) + 1, 0))
        if hit is not None:
            return tokens[hit[0]].start, tokens[hit[1] - 1].end
    return None


def _split_text(p: Piece) -> list[Piece]:
    """Separate left and right column text that OCR merged into one line."""
    span = _motto_span(p)
    if span is not None:
        before, after = p.text[: span[0]], p.text[span[1] :]
        parts = [p.cut(span[0], span[1], "R", motto=True)]
        if before.strip():
            parts.insert(0, p.cut(0, span[0], "L"))
        if any(ch.isalnum() for ch in after):
            parts.append(p.cut(span[1], len(p.text), "R" if before.strip() else "L"))
        return parts
    code = _CODE_RE.match(fold(p.text))
    if code is not None and any(ch.isalpha() for ch in p.text[code.end() :]):
        return [p.cut(0, code.end(), "L"), p.cut(code.end(), len(p.text), "R")]
    return [p]


def layout(page: PageText, index: int = 0) -> list[Piece]:
    """The page's text pieces, columns told apart, in reading order (top, left)."""
    char_w = _char_width(page)
    pieces: list[Piece] = []
    for line in _ocr_lines(page, index):
        for seg in _split_gaps(line, char_w):
            seg = replace(seg, col=_column(seg, page.width))
            pieces.extend(_split_text(seg))
    return _reading_order(pieces)


def _reading_order(pieces: Sequence[Piece]) -> list[Piece]:
    """Top to bottom by text line, left to right within a line.

    Sorting by each piece's own top is not enough: the two halves of one line
    ("BỆNH VIỆN" + "ĐA KHOA TỈNH", a subject line cut at a wide gap) sit a few
    pixels apart, and the lower-left half would come after the upper-right one.
    """
    lines: list[list[Piece]] = []
    for p in sorted(pieces, key=lambda q: (q.page, q.top, q.left)):
        line = lines[-1] if lines else None
        if line and p.words and line[0].words and p.page == line[0].page and _beside(line[0], p):
            line.append(p)
        else:
            lines.append([p])
    return [p for line in lines for p in sorted(line, key=lambda q: q.left)]


# --- Số và ký hiệu ---------------------------------------------------------------

_CODE_RE = re.compile(
    r"[^a-z0-9]{0,3}s\s?[o0-9a-z]?\s*(?P<colon>[:;.,„]?)\s*[.,'`]?\s*"
    r"(?:(?P<num>[0-9oil|]{0,6})\s*/\s*|(?P<glued>\d{1,6})(?=[a-z]))"
    r"(?:(?P<year>[12][0-9oil|]{3})\s*/\s*)?"
    r"(?P<nota>[a-z0-9]+(?:\s*[-/]\s*[a-z0-9]+)*)"
)
_CLEAN_CODE = re.compile(r"Số: \d+/(?:\d{4}/)?[A-ZĐa-z0-9]+(?:[-/][A-ZĐa-z0-9]+)*$")


@dataclass(frozen=True)
class _Code:
    index: int
    number: str | None
    notation: str
    quality: float
    number_piece: Piece | None
    notation_piece: Piece
    year: str | None = None
    year_piece: Piece | None = None


def _joined(a: Piece, b: Piece) -> Piece:
    """``a`` and ``b`` as one piece ("a b"), each word keeping its own span."""
    shift = len(a.text) + 1
    return Piece(a.page, f"{a.text} {b.text}", a.words + b.words,
                 a.spans + tuple((s + shift, e + shift) for s, e in b.spans), a.col, a.motto)


def _with_split_notation(pieces: Sequence[Piece], i: int) -> Piece:
    """A "Số: 243" piece joined with the "/KH-UBND" that OCR set apart on its line.

    A handwritten number is often wider or taller than the print, and the gap
    after it splits the line (real-extra E08); the notation is still the code's.
    """
    p = pieces[i]
    nxt = pieces[i + 1] if i + 1 < len(pieces) else None
    if (nxt is not None and nxt.col == p.col and _beside(p, nxt)
            and nxt.text.lstrip().startswith(("/", "|")) and "/" not in p.text):
        return _joined(p, nxt)
    return p


def _find_code(pieces: Sequence[Piece], doc_type: doctypes.DocType | None) -> _Code | None:
    for i, p in enumerate(pieces[:30]):
        p = _with_split_notation(pieces, i)
        m = _CODE_RE.match(fold(p.text))
        if m is None or not (m.group("colon") or m.group("num") or m.group("glued")):
            continue
        if not any(ch.isalpha() for ch in m.group("nota")):
            continue
        if m.group("glued") and not doctypes.is_known_abbreviation(re.split(r"\W", m["nota"])[0]):
            return None  # "4LUGM-UBND": digits and letters garbled together; salvage later
        return _read_code(i, p, m, doc_type)
    return None


# "Số:" with its colon, or "Sốz2//J6/TB-ĐHĐL" (real-dev R02): "so", ink, a slash
_LABEL_RE = re.compile(r"[^a-z0-9]{0,3}s\s?(?:[o0-9]?\s*[:;„]\s*\S|o\S{0,6}/)")


def _find_label(pieces: Sequence[Piece]) -> int | None:
    """Index of a "Số:" line whose number OCR garbled beyond parsing."""
    for i, p in enumerate(pieces[:30]):
        if p.col != "R" and _LABEL_RE.match(fold(p.text)):
            return i
    return None


# "$,„/(QĐ-KNCGTVPT Ninh Kiều, ngày..." (real-extra E10): the hand's number swallowed the
# "Số:" label, but the printed "/QĐ-..." is there
_BARE_NOTATION = re.compile(r"(?:^|[^a-z0-9])/\W{0,2}(?P<abbr>[a-z]{1,6})\s*-\s*[a-z0-9]")


def _find_bare_notation(pieces: Sequence[Piece]) -> int | None:
    """Index of a code line whose "Số:" label OCR lost, found by its printed notation.

    Only above the type line (a citation "số 12/QĐ-UBND" in the body is never the code)
    and only when the notation starts with a known type abbreviation; the code is then
    read like a garbled one (:func:`_salvage_code`, never trusted).
    """
    typed = _find_type(pieces, 0)
    for i, p in enumerate(pieces[: typed[0] if typed else 6]):
        text = fold(p.text)[: _code_part_end(p.text)]
        m = _BARE_NOTATION.search(text)
        abbr = p.text[m.start("abbr") : m.end("abbr")] if m else ""
        if p.col != "R" and m and doctypes.is_known_abbreviation(abbr):
            return i
    return None


def _salvage_code(i: int, p: Piece, doc_type: doctypes.DocType | None) -> _Code | None:
    """The notation of a garbled code line, when it ends in the type's abbreviation.

    "Số: 4LUGM-UBND" on a Giấy mời gives notation "GM-UBND" (and no number):
    the abbreviation confirmed by the type line anchors where the notation starts.
    """
    if doc_type is None or not doc_type.abbreviation:
        return _notation_after_slash(i, p, doc_type)
    abbr = fold(doc_type.abbreviation)
    pattern = rf"{re.escape(abbr)}(?:\s*-\s*[a-z0-9]+)+"
    m = re.search(pattern, fold(p.text)[: _code_part_end(p.text)])
    if m is None:
        return _notation_after_slash(i, p, doc_type)
    raw = re.sub(r"\s*-\s*", "-", p.text[m.start() : m.end()])
    notation = "-".join(doctypes.restore_abbreviation(x, doc_type) for x in raw.split("-"))
    return _Code(i, None, notation, 0.5, None, p.cut(m.start(), m.end()))


_AFTER_SLASH = re.compile(r"/\s*(?P<nota>[a-z]{1,6}(?:\s*-\s*[a-z0-9]+)+)\s*$")


def _notation_after_slash(i: int, p: Piece, doc_type: doctypes.DocType | None) -> _Code | None:
    """The printed notation after the last "/" of a code line whose number is garbled.

    "Số: 62]ƒ/CT-KTT3" (a công văn: no type abbreviation to anchor on) and
    "só£86/QB-VKSTC" (handwritten numbers, real-extra E04 and E03) still print
    their notation after the slash. Never trusted (0.5): the slash may be ink too.
    A first part one letter off the type line's abbreviation is that abbreviation
    ("QB" on a QUYẾT ĐỊNH is "QĐ").
    """
    end = _code_part_end(p.text)
    m = _AFTER_SLASH.search(fold(p.text)[:end].rstrip(" .,;"))
    if m is None:
        return None
    raw = re.sub(r"\s*-\s*", "-", p.text[m.start("nota") : m.end("nota")])
    parts = raw.split("-")
    own = doc_type.abbreviation if doc_type is not None else None
    if own and edit_distance(fold(parts[0]), fold(own), 1) <= 1 and len(parts[0]) == len(own):
        parts[0] = own
    else:
        parts[0] = doctypes.restore_abbreviation(parts[0], doc_type)
    parts[1:] = [doctypes.restore_abbreviation(x, None) for x in parts[1:]]
    return _Code(i, None, "-".join(parts), 0.5, None, p.cut(m.start("nota"), m.end("nota")))


def _code_part_end(text: str) -> int:
    """Where the code ends in a line that may go on with the place and date."""
    hit = _date_in(text)
    return hit[1] if hit is not None else len(text)


def _read_code(i: int, p: Piece, m: re.Match[str], doc_type: doctypes.DocType | None) -> _Code:
    quality = 1.0 if _CLEAN_CODE.match(p.text[: m.end()].strip()) else 0.85
    group = "glued" if m.group("glued") else "num"  # "87KH-UBND": OCR lost the "/"
    number = repair_number(p.text[m.start(group) : m.end(group)]) if m.group(group) else None
    if number is not None and number != p.text[m.start(group) : m.end(group)]:
        quality -= 0.15
    if group == "glued":
        quality -= 0.15
    raw = re.sub(r"\s*([-/])\s*", r"\1", p.text[m.start("nota") : m.end("nota")])
    parts = re.split(r"([-/])", raw)
    known = [i for i in range(0, len(parts), 2) if doctypes.is_known_abbreviation(parts[i])]
    if known and known[0] > 0 and parts[known[0] - 1] == "/":
        parts, quality = parts[known[0]:], quality - 0.3  # "24/J6/TB-ĐHĐL": ink before it
    first = parts[0]
    parts[0] = doctypes.restore_abbreviation(first, doc_type)
    parts[2::2] = [doctypes.restore_abbreviation(x, None) for x in parts[2::2]]
    notation = "".join(parts)
    if notation != raw:
        quality -= 0.1
    year, year_piece = None, None
    if m.group("year"):
        year = repair_number(p.text[m.start("year") : m.end("year")]) or m.group("year")
        year_piece = p.cut(m.start("year"), m.end("year"))
    number_piece = p.cut(m.start(group), m.end(group)) if number else None
    return _Code(i, number, notation, quality, number_piece,
                 p.cut(m.start("nota"), m.end("nota")), year, year_piece)


# --- Ngày tháng năm ---------------------------------------------------------------

_NGAY = fuzzy_word_pattern("ngay")
_THANG = fuzzy_word_pattern("thang")
_NAM = fuzzy_word_pattern("nam")
_ANY_WORD = r"[a-z]{2,6}"  # a keyword OCR damaged beyond one edit
_NUM = r"[0-9oil|]"


def _date_pattern(ngay: str, thang: str, nam: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![a-z]){ngay}\s*[.:,]?\s*(?P<d>{_NUM}{{1,2}})\s*[,.]?\s*"
        rf"{thang}\s*[.:,]?\s*(?P<m>{_NUM}{{1,2}})\s*[,.]?\s*"
        rf"{nam}\s*[.:,]?\s*(?P<y>{_NUM}{{4}})(?![0-9])"
    )


_DATE_RE = _date_pattern(_NGAY, _THANG, _NAM)
# Two keywords recognisable are enough when the numbers sit where they belong.
_DAMAGED_DATE_RES = (
    _date_pattern(_ANY_WORD, _THANG, _NAM),
    _date_pattern(_NGAY, _ANY_WORD, _NAM),
    _date_pattern(_NGAY, _THANG, _ANY_WORD),
)
_DATE_NUMERIC_RE = re.compile(
    rf"(?<![a-z]){_NGAY}\s*(?P<d>\d{{1,2}})\s*[/.-]\s*(?P<m>\d{{1,2}})\s*[/.-]\s*(?P<y>\d{{4}})"
)
_CLEAN_DATE = re.compile(r"ngày \d{1,2} tháng \d{1,2} năm \d{4}$")


def _valid_date(d: str, m: str, y: str) -> str | None:
    parts = [repair_number(x) for x in (d, m, y)]
    if any(x is None for x in parts):
        return None
    day, month, year = (int(x) for x in parts if x is not None)
    if not 1945 <= year <= 2099 or not 1 <= month <= 12:
        return None
    days = [31, 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28]
    days += [31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not 1 <= day <= days[month - 1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _date_match(text: str, numeric: bool = True) -> tuple[str, re.Match[str], float] | None:
    """(ISO date, match on the folded text, quality) of the first valid date in ``text``.

    ``numeric=False`` skips the "ngày 01/3/2022" form, which a summary may hold as
    content ("Về kế hoạch giảng dạy từ ngày 01/3/2022", real-dev R04).
    """
    folded = fold(text)
    patterns = [(_DATE_RE, 1.0)] + ([(_DATE_NUMERIC_RE, 0.85)] if numeric else [])
    patterns += [(p, 0.75) for p in _DAMAGED_DATE_RES]
    for pattern, base in patterns:
        for m in pattern.finditer(folded):
            iso = _valid_date(m.group("d"), m.group("m"), m.group("y"))
            if iso is None:
                continue
            clean = _CLEAN_DATE.match(text[m.start() : m.end()])
            return iso, m, base if clean else base - 0.15
    return None


def _date_in(text: str) -> tuple[str, int, int, float] | None:
    """(ISO date, start, end, quality) of the first valid date written in ``text``."""
    hit = _date_match(text)
    return None if hit is None else (hit[0], hit[1].start(), hit[1].end(), hit[2])


def _find_date(pieces: Sequence[Piece], stop: int) -> tuple[int, Field, bool] | None:
    """The issue date from its slot in the header (before ``stop``, never the body).

    The third value says whether the day or month was written by hand (see
    :func:`_handwritten_digits`); such a value is kept, but never trusted.
    """
    for i, p in enumerate(pieces[:stop]):
        hit = _date_match(p.text)
        if hit is not None:
            iso, m, quality = hit
            hand = _handwritten_digits(p, [m.span("d"), m.span("m")], m.span("y"))
            return i, _field(iso, quality, [p.cut(m.start(), m.end())]), hand
        nxt = _next_in_column(pieces, i, stop)
        if nxt is not None and not p.motto:  # a date wrapped over two lines
            joined = Piece(p.page, p.text + " " + nxt.text, (), ())
            wrapped = _date_in(joined.text)
            if wrapped is not None and wrapped[1] < len(p.text) < wrapped[2]:
                return i, _field(wrapped[0], wrapped[3] - 0.1, [p, nxt]), False
    return None


_DATE_SLOT = re.compile(rf"(?<![a-z])(?:{_NGAY}|{_THANG})\S*.*{_NAM}\s*[.:,]?\s*[12]\d{{3}}")


def _date_slot(pieces: Sequence[Piece], stop: int) -> tuple[int, Piece] | None:
    """A header line that holds the printed frame of a date ("ngày … tháng … năm 2025")
    whose day or month could not be read: the slot a clerk filled in by hand. The blank
    left for the hand may split the line in two pieces ("Hà Nội, ngày ( tháng" | "năm
    2019", real-extra E03): they are read as one."""
    for i in range(min(stop, len(pieces))):
        line = _with_row_rest(pieces, i)
        if _DATE_SLOT.search(fold(line.text)):
            return i, line
    return None


def _with_row_rest(pieces: Sequence[Piece], i: int) -> Piece:
    """``pieces[i]`` joined with the pieces after it in its column on the same text line."""
    line = pieces[i]
    for nxt in pieces[i + 1 : i + 4]:
        if nxt.col != line.col or not _beside(pieces[i], nxt):
            break
        line = _joined(line, nxt)
    return line


_HAND_HEIGHT = 1.25  # handwritten digits stand taller than the printed digits beside them
_PRINTED_CONF = 85.0  # Tesseract rates clean printed digits above this
_GARBLED_CONF = 40.0  # a whole code word rated below this holds ink that is not print


def _handwritten_digits(
    p: Piece, spans: Sequence[tuple[int, int]], printed: tuple[int, int] | None
) -> bool:
    """Whether the digits at ``spans`` of ``p.text`` were written by hand.

    Real headers leave the number and the day (often the month) blank at printing;
    they are written in after signing. Tesseract reads such digits with a low word
    confidence, glued to the printed keyword ("ngàu8"), or as digits taller than the
    printed ones on the same line (the year, the notation). Any one of these is
    enough: a handwritten value is never trusted, even when it reads cleanly.
    """
    words = [w for w, (a, b) in zip(p.words, p.spans, strict=True)
             if any(a < e and b > s for s, e in spans)]
    if not words:
        return True
    if any(w.conf < _PRINTED_CONF for w in words):
        return True
    if any(not re.fullmatch(r"[0-9oOlI|]{1,6}[.,]?", w.text) for w in words):
        return True  # glued to a keyword or to garbage: the digits are not a printed word
    if printed is None:
        return False
    ref = [w.height for w, (a, b) in zip(p.words, p.spans, strict=True)
           if a < printed[1] and b > printed[0] and w not in words]
    return bool(ref) and max(w.height for w in words) > _HAND_HEIGHT * statistics.median(ref)


def _next_in_column(pieces: Sequence[Piece], i: int, stop: int) -> Piece | None:
    """The piece under ``pieces[i]`` in its own column: in reading order the next
    piece may belong to the other column ("Số: …" beside a wrapped date)."""
    p = pieces[i]
    for q in pieces[i + 1 : min(stop, i + 4)]:
        below = q.top >= p.bottom - (p.bottom - p.top) // 2
        if q.page == p.page and below and q.left < p.right and q.right > p.left:
            return q
    return None


# --- Tên loại và trích yếu ----------------------------------------------------------

_VV_RE = re.compile(r"[^a-z0-9]{0,2}v\s*[/l|1]\s*[a-z]\b\s*[:.]?\s*")
_STOP_FIRST = ("can cu", "kinh gui", "thuc hien", "hom nay", "vao luc", "noi nhan")
_STOP_NEXT = (
    *_STOP_FIRST, "kinh moi", "theo ", "xet ", "vao hoi", "hoi ", "thoi gian", "dia diem",
    "thanh phan", "tran trong", "nham ", "dieu ", "phan ", "muc ", "ngay ", "uy ban nhan dan",
    "ubnd ", "quyet dinh", "chu tich", "de nghi", "sau khi", "tai ",
)
_HEADING_RE = re.compile(r"\s*(?:[ivx]+|\d+|[a-d])\s*[.)/]\s")
_MAX_SUBJECT_LINES = 4


def _find_type(pieces: Sequence[Piece], start: int) -> tuple[int, Field] | None:
    for i in range(start, min(start + 10, len(pieces))):
        p = pieces[i]
        if p.motto or p.is_rule or letters_upper_ratio(p.text) < 0.6:
            continue
        hit = doctypes.match_type_line(p.text)
        if hit is None:
            continue
        doc_type, edits = hit
        clean = p.text.strip(" :.") == doc_type.name.upper()
        quality = 1.0 if clean else (0.9 if edits == 0 else 0.75)
        return i, _field(doc_type.name, quality, [p])
    return None


def _first_letter_upper(text: str) -> bool:
    return next((ch.isupper() for ch in text if ch.isalpha()), False)


def _ends_subject(prev: Piece, p: Piece, first: bool) -> bool:
    """Whether ``p`` no longer belongs to the summary that ``prev`` belongs to."""
    if p.is_rule or p.motto:
        return True
    if p.col == "R" and not (_beside(prev, p) and p.left >= prev.right):
        return True  # the right column, unless it goes on the line being read
    folded = fold(p.text).lstrip(" -.:")
    if first:
        return folded.startswith(_STOP_FIRST)
    if not _first_letter_upper(p.text):
        return False
    height = max(prev.bottom - prev.top, 1)
    return (
        folded.startswith(_STOP_NEXT)
        or letters_upper_ratio(p.text) > 0.8
        or _HEADING_RE.match(folded) is not None
        or p.text.rstrip().endswith(":")
        or (bool(prev.words) and p.top - prev.bottom > height)
    )


def _cut_before_date(text: str) -> str:
    """Drop a merged "<Place>, ngày ... tháng ... năm ..." tail from a summary line."""
    hit = _date_match(text, numeric=False)
    if hit is None:
        return text
    head = text[: hit[1].start()].rstrip()
    words = head.split()
    if words and not head.endswith(",") and not words[-1][:1].isupper():
        return text  # "... giảng dạy từ ngày 01 tháng 3 năm 2022": the date is content
    if head.endswith(","):
        head = head[:-1]
    words = head.split()
    while words and (words[-1][:1].isupper() or words[-1][:1].isdigit()):
        words.pop()  # the capitalised place name before the comma
    return " ".join(words)


def _collect_subject(
    pieces: Sequence[Piece], start: int, first_text: Piece
) -> tuple[int, list[Piece]]:
    """Summary lines from ``first_text`` on; returns (index after them, pieces)."""
    taken = [first_text]
    i = start + 1
    while i < len(pieces) and len(taken) < _MAX_SUBJECT_LINES:
        if _is_noise(pieces[i]):
            i += 1  # a speck of dust or seal beside the line ("." at the right edge)
            continue
        if _ends_subject(taken[-1], pieces[i], first=False):
            break
        taken.append(pieces[i])
        i += 1
    return i, taken


def _is_noise(p: Piece) -> bool:
    """Nothing readable, or two letters at most that OCR could not read ("s." and "Ễ" at
    0 % beside a summary line): a speck, never a line of the summary."""
    letters = sum(ch.isalnum() for ch in p.text)
    return letters == 0 or (letters <= 2 and all(w.conf < _GARBLED_CONF for w in p.words))


_WRAPPED_RANGE = re.compile(r"(?<=\d)- (?=\d)")


def _subject_field(taken: Sequence[Piece], quality: float) -> Field | None:
    text = " ".join(_cut_before_date(p.text) for p in taken)
    text = _WRAPPED_RANGE.sub("-", text)  # "năm học 2025-" at a line end, "2026" below
    text = " ".join(text.split()).strip(" _-:;,.…\"'“”‘’`~")
    if not any(ch.isalpha() for ch in text):
        return None
    return _field(_curly_quotes(_fix_opening(text)), quality, taken, worst=True)


_OPEN_QUOTE = re.compile(r'(?:(?<=\s)|^)"(?=\S)')
_CLOSE_QUOTE = re.compile(r'(?<=\S)"(?=[\s,.;:)]|$)')


def _curly_quotes(text: str) -> str:
    """Put back the “ ” that ``normalize_ocr`` made straight, as the document prints them.

    Administrative documents are typed in Word, which prints “…”; the OCR
    normaliser folds quotes to '"' so that matching ignores them, but the value the
    clerk keeps must be the document's own ("CSR “Chung tay chia sẻ” 2025", R08).
    """
    return _CLOSE_QUOTE.sub("”", _OPEN_QUOTE.sub("“", text))


_YEAR_NAM = re.compile(r"\b(?:nắm|nằm|nẫm|nấm|nẵm)(?= (?:19|20)\d\d\b)")
_DECORATION = re.compile(r"\s*[-_=~.]{2,}\s*[oO0]{2,3}\s*[-_=~.]*\s*$")  # "---oOo---"


def _fix_opening(subject: str) -> str:
    """Respell the stock opening "Về việc" / "Về" / "V/v" when OCR damaged it, the "năm"
    before a year ("thiên tai nắm 2018"), and drop the "---oOo---" rule glued to the end."""
    subject = _YEAR_NAM.sub("năm", _DECORATION.sub("", subject))
    if subject.startswith("v/v "):
        subject = "V" + subject[1:]
    words = subject.split(" ")
    if len(words) > 2 and (key(words[0]), key(words[1])) == ("ve", "viec"):
        return " ".join(["Về", "việc", *words[2:]])
    if len(words) > 1 and key(words[0]) == "ve":
        return " ".join(["Về", *words[1:]])
    return subject


def _beside(a: Piece, b: Piece) -> bool:
    """``b`` lies on ``a``'s text line (their heights overlap by half or more)."""
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    return overlap * 2 >= min(a.bottom - a.top, b.bottom - b.top) > 0


def _typed_subject(pieces: Sequence[Piece], type_index: int) -> tuple[int, Field | None]:
    i = type_index + 1
    while i < len(pieces) and pieces[i].is_rule and (
            _beside(pieces[type_index], pieces[i]) or len(pieces[i].text.strip()) <= 2):
        i += 1  # ":" specks OCR made of bold marks, not a rule (NĐ 30 rules the summary)
    if i >= len(pieces) or _ends_subject(pieces[type_index], pieces[i], first=True):
        return i, None
    end, taken = _collect_subject(pieces, i, pieces[i])
    return end, _subject_field(taken, 0.9)


# "V/v" whose slash OCR lost ("ví đề nghị…"); trusted only right under the code line
_VV_LOST = re.compile(r"[^a-z0-9]{0,2}v[il1|]\s*[:.]?\s+(?=[a-z])")
_VV_LOST_QUALITY = 0.7


def _find_vv(pieces: Sequence[Piece], start: int) -> tuple[int, int, float] | None:
    """(index, offset of the text after "V/v", quality) of a công văn's summary line."""
    for i in range(start, min(start + 6, len(pieces))):
        p = pieces[i]
        if p.col == "R":
            continue
        m = _VV_RE.match(fold(p.text))
        if m is not None and m.end() < len(p.text):
            return i, m.end(), 1.0
        lost = _VV_LOST.match(fold(p.text)) if start > 0 and i <= start + 1 else None
        if lost is not None and p.text[:1] in "vV" and p.text[:2] != "Vì":
            return i, lost.end(), _VV_LOST_QUALITY
    return None


# --- Cơ quan ban hành -----------------------------------------------------------

_AGENCY_STARTS = frozenset(
    {
        "Ủy ban nhân dân", "Hội đồng nhân dân", "Công an", "Đảng ủy",
        "Ủy ban Mặt trận Tổ quốc Việt Nam", "Mặt trận Tổ quốc Việt Nam", "Ban Chỉ huy Quân sự",
        "Chi cục Thuế", "Cục Thuế",
        "Tòa án nhân dân", "Viện kiểm sát nhân dân", "Kho bạc Nhà nước", "Bảo hiểm xã hội",
        "Thanh tra", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Cựu chiến binh",
        "Hội Nông dân", "Liên đoàn Lao động", "Chi bộ", "Đảng bộ",
    }
)


def _starts_agency(text: str) -> bool:
    """Whether a line of the agency block begins a new agency ("PHÒNG TƯ PHÁP")."""
    keys = [t.key for t in tokenize(text)]
    hit = LEXICONS.organs.match(keys, 0) if keys else None
    if hit is None or LEXICONS.units.match(keys, 0, fuzzy=False) is not None:
        return False
    return hit[1] in ORGAN_HEADS or hit[1] in _AGENCY_STARTS


def _organ_pieces(pieces: Sequence[Piece], stop: int) -> list[Piece]:
    """The agency block: upper-case left/centre lines above the code line."""
    limit = pieces[stop].top if stop < len(pieces) else None
    motto = next((p for p in pieces[:stop] if p.motto and p.words), None)
    found = []
    for p in pieces[:stop]:
        if p.col == "R" or p.motto or p.is_rule or _date_in(p.text) is not None:
            continue
        if limit is not None and p.words and p.top > limit:
            continue
        if motto is not None and p.words and p.bottom < motto.top - 2 * (motto.bottom - motto.top):
            continue  # above the motto's line: a received stamp or a routing note, not the agency
        if _RECEIVED.match(fold(p.text)):
            break  # a received stamp ("ĐẾN", its number and date) under the agency's name
        if letters_upper_ratio(p.text) >= 0.6:
            found.append(p)
    return found[:4]


# the head of a received stamp; no agency's name is or ends with "đến"
_RECEIVED = re.compile(r"\W*(?:(?:cong van|van ban)\s+)?den\W*$")
_RECEIVED_TAIL = re.compile(r"\s+ĐẾN\W*$")


def _group_agencies(lines: Sequence[Piece]) -> list[list[Piece]]:
    groups: list[list[Piece]] = []
    for p in lines:
        if groups and not _starts_agency(p.text):
            groups[-1].append(p)
        else:
            groups.append([p])
    return groups


_RESTORED = 0.7  # diacritics put back from lexicons: likely right, never certain


_NOTATION_IN = re.compile(r"[/|]?\s*[A-ZĐ]{1,6}\s*-\s*(?:UBND|HĐND|[A-ZĐ]{2,})\b")


def _is_code_line(p: Piece) -> bool:
    """"-2..IGM-UBND": a code line whose "Số:" OCR lost, not a line of the agency's name."""
    m = _NOTATION_IN.search(p.text)
    return m is not None and any(ch.isdigit() or ch in "/." for ch in p.text[: m.start() + 1])


_MOTTO_HEAD = re.compile(r"\s*[_\-–]?\s*CỘNG(?:\s+H\S*)?\s*$")


def _without_motto_head(p: Piece) -> Piece | None:
    """"ỦY BAN NHÂN DÂN _ CỘNG": the motto's first word read into the agency's line
    (None: the piece is nothing but that, "CỘNG H" left of a stamp that hides the rest)."""
    m = _MOTTO_HEAD.search(p.text)
    if m is None:
        return p
    return p.cut(0, m.start()) if m.start() > 0 else None


def _organ_fields(
    pieces: Sequence[Piece], stop: int, review: dict[str, str]
) -> dict[str, Field]:
    lines = [_without_motto_head(p) for p in _organ_pieces(pieces, stop)]
    groups = _group_agencies([p for p in lines if p is not None and not _is_code_line(p)])
    fields: dict[str, Field] = {}
    for name, group in zip(("organ_name", "organ_parent"), reversed(groups), strict=False):
        raw = " ".join(p.text for p in group)
        stamped = _RECEIVED_TAIL.search(raw) is not None
        raw = _RECEIVED_TAIL.sub("", raw)  # the stamp's "ĐẾN" read onto the agency's line
        quality = 1.0 if has_diacritics(raw) else _RESTORED
        if stamped:
            quality = min(quality, _RESTORED)
            review.setdefault(name, "layout")
        if name == "organ_name" and not has_diacritics(raw):
            review[name] = "lexicon_repair"  # every mark put back from the lexicons
        quality -= 0.05 if any(p.split for p in group) else 0.0
        value, repeated = _without_repeat(case_organ(raw))
        value, mended = _mend_organ(value)
        if mended:
            quality = min(quality, _RESTORED)
            review.setdefault(name, "lexicon_repair")
        if _UNFINISHED.search(value) or value in _NOT_WHOLE:  # a line was lost
            quality = min(quality, _INCOMPLETE_CAP)
            review.setdefault(name, "incomplete")
        elif repeated or any(is_acronym(w) for w in value.split()):
            quality = min(quality, _RESTORED)  # "TP. HCM" as printed or expanded: unsure
            review.setdefault(name, "abbreviation" if not repeated else "layout")
        fixed, status = spelling.check(value)
        if status is not None:  # "Sở Văn hóa và thế thao": a known pair spelt otherwise
            value, quality = fixed, min(quality, _RESTORED)
            review.setdefault(name, status)
        if any(w.conf < _GARBLED_CONF for p in group for w in p.words):
            quality = min(quality, _RESTORED)  # "THƯƠNG BINH VÀ / TA, PHUN" (at 32 %, 21 %)
            review.setdefault(name, "spelling")
        fields[name] = _field(value, quality, group)
    return fields


_NOT_WHOLE = frozenset({"Ủy ban nhân dân", "Hội đồng nhân dân"})  # of which place?
_STRAY = re.compile(r"(?<=\s)[a-zđ](?=\s)")  # "Ủy ban nhân dân j phường …": a speck


def _mend_organ(value: str) -> tuple[str, bool]:
    """Damage OCR does to agency names that has one reading: a speck read as a letter,
    "ỦY" lost before "BAN NHÂN DÂN" (there is no agency called "Ban nhân dân")."""
    mended = " ".join(_STRAY.sub("", value).split())
    if re.match(r"Ban [Nn]hân dân\b", mended):
        mended = "Ủy ban nhân dân" + mended[len("Ban nhân dân"):]
    return mended, mended != value


def _without_repeat(value: str) -> tuple[str, bool]:
    """"Thủ tướng Chính phủ Chính phủ": a line read twice (a stamp, a wrapped header)."""
    words = value.split()
    for k in range(len(words) // 2, 0, -1):
        if [w.lower() for w in words[-k:]] == [w.lower() for w in words[-2 * k : -k]]:
            return " ".join(words[:-k]), True
    return value, False


_UNFINISHED = re.compile(r"(?:\s(?:và|của|về|-)|[-,&])\s*$", re.IGNORECASE)


# --- Header ----------------------------------------------------------------------


def _read_header(pieces: Sequence[Piece]) -> tuple[dict[str, Field], int, dict[str, str]]:
    """Header fields of the first page, the index where its body starts, and the
    fields that need a look (field -> reason)."""
    fields: dict[str, Field] = {}
    review: dict[str, str] = {}
    code = _find_code(pieces, None)
    code_at = code.index if code else _find_label(pieces)
    if code_at is None:
        code_at = _find_bare_notation(pieces)
    after_code = code_at + 1 if code_at is not None else 0
    typed = _find_type(pieces, after_code)
    vv = None if typed else _find_vv(pieces, after_code)
    body = _header_fields(pieces, code_at, typed, vv, fields, review)
    if code_at is not None:
        stop = code_at
    else:
        stop = typed[0] if typed else (vv[0] if vv else min(4, len(pieces)))
    fields.update(_organ_fields(pieces, stop, review))
    # the date sits beside the code, above the type line: a date under it is the body's
    date_stop = typed[0] if typed else (vv[0] if vv else min(len(pieces), after_code + 4))
    _date_field(pieces, max(date_stop, after_code), fields, review)
    anchored = code_at is not None or typed or vv or any(p.motto for p in pieces[:date_stop])
    if not anchored and "issued_date" in fields:
        # no code line, type line or motto: no header on this page (a later page scanned
        # first, a photo of the body), so the date is some sentence's, not the slot's
        fields["issued_date"] = _capped(fields["issued_date"], _OUTSIDE_CAP)
        review["issued_date"] = "outside_slot"
    return fields, body, review


_OUTSIDE_CAP = 0.4  # a value found where its slot should be, but with no slot around it


_HANDWRITTEN_CAP = 0.5  # a handwritten value read by OCR: shown, tinted, never trusted
_HAND_SURE = 0.5  # a handwritten number is offered only when each digit is this likely


def _offer_handwritten(
    hand: Sequence[HandRead], fields: dict[str, Field], review: dict[str, str]
) -> None:
    """Fill a handwritten number or date that OCR left empty with the worker's read of the
    slot's ink (ocr.handdigits), for the clerk to confirm: the review reason stays
    "handwritten" and the confidence stays at or under _HANDWRITTEN_CAP, below the tint
    threshold, however sure the reader was. Offered only when plausible: a number of 1-5
    digits not starting with 0, each digit more likely than not (_HAND_SURE); a day and
    month that make a real date in the printed year (a check of its own).
    """
    reads = {r.kind: r for r in hand}
    number = reads.get("number")
    if (review.get("code_number") == "handwritten" and "code_number" not in fields
            and "code_notation" in fields and number is not None
            and re.fullmatch(r"[1-9]\d{0,4}", number.digits)
            and min(number.confidence) >= _HAND_SURE):
        fields["code_number"] = Field(number.digits, _hand_conf(number))
    day, month, year = reads.get("day"), reads.get("month"), fields.get("issued_year")
    if (review.get("issued_date") == "handwritten" and "issued_date" not in fields
            and day is not None and month is not None and year is not None):
        iso = _valid_date(day.digits, month.digits, year.value)
        if iso is not None:
            fields["issued_date"] = Field(iso, min(_hand_conf(day), _hand_conf(month)),
                                          year.region)


def _hand_conf(read: HandRead) -> float:
    """A handwritten read's confidence: its least sure digit, scaled under the cap."""
    return round(_HANDWRITTEN_CAP * min(read.confidence, default=0.0), 3)


def _date_field(
    pieces: Sequence[Piece], stop: int, fields: dict[str, Field], review: dict[str, str]
) -> None:
    dated = _find_date(pieces, stop)
    if dated is not None:
        _, found, hand = dated
        if hand:
            found = replace(found, confidence=min(found.confidence, _HANDWRITTEN_CAP))
            review["issued_date"] = "handwritten"
        fields["issued_date"] = found
    elif (slot := _date_slot(pieces, stop)) is not None:
        review["issued_date"] = "handwritten"
        year = re.search(rf"{_NAM}\s*[.:,]?\s*([12]\d{{3}})", fold(slot[1].text))
        if year:  # the printed year of a handwritten date: enough for the dossier's code
            fields["issued_year"] = _field(year.group(1), 0.5, [slot[1]])


def _header_fields(
    pieces: Sequence[Piece],
    code_at: int | None,
    typed: tuple[int, Field] | None,
    vv: tuple[int, int, float] | None,
    fields: dict[str, Field],
    review: dict[str, str],
) -> int:
    """Fill type, summary and code; return the index where the body starts."""
    body = code_at + 1 if code_at is not None else 0
    doc_type: doctypes.DocType | None = None
    if typed is not None:
        fields["type_name"] = typed[1]
        doc_type = doctypes.by_name(typed[1].value)
        body, subject = _typed_subject(pieces, typed[0])
        if subject is not None:
            fields["subject"] = subject
    elif vv is not None:
        doc_type = doctypes.CONG_VAN
        p = pieces[vv[0]]
        first = p.cut(vv[1], len(p.text))
        body, taken = _collect_subject(pieces, vv[0], first)
        subject = _subject_field(taken, 0.9)
        if subject is not None:
            fields["subject"] = subject
            fields["type_name"] = _field(doctypes.CONG_VAN.name, 0.85 * vv[2],
                                         [p.cut(0, vv[1])])
    if code_at is not None:
        _code_fields(pieces, code_at, doc_type, fields, review)
    if "subject" in fields:
        _check_spelling(fields, review)
    return body


def _check_spelling(fields: dict[str, Field], review: dict[str, str]) -> None:
    """A subject with a misread tone mark is repaired where certain, and never trusted."""
    found = fields["subject"]
    fixed, moved = _respell_provinces(found.value)
    fixed, lowered = spelling.lower_capital_l(fixed)
    moved = moved or lowered
    fixed, status = spelling.check(fixed)
    if moved and status is None:
        status = "lexicon_repair"
    if status is None and (_CAPITAL_L.search(fixed) or _ROMAN_ONE.search(fixed)):
        status = "spelling"
    if _SUBJECT_UNFINISHED.search(fixed):
        fields["subject"] = replace(found, value=fixed,
                                    confidence=min(found.confidence, _INCOMPLETE_CAP))
        review["subject"] = "incomplete"
    elif status is not None:
        fields["subject"] = replace(found, value=fixed,
                                    confidence=min(found.confidence, _RESTORED))
        review["subject"] = status


# A summary never ends on a word that needs another after it: its last line was lost
# under a stamp or cut off ("… xác minh thông tin cư trú của").
_SUBJECT_UNFINISHED = re.compile(
    r"\s(?:của|cho|và|về|với|tại|theo|trong|các|những|để|từ|đến|là|được|thuộc|đối)\W*$",
    re.IGNORECASE)
# "phân Loại hồ sơ Lưu trữ": OCR reads a lower-case l as L in some typefaces; a
# capital L after a lower-case word may still be a name ("tỉnh Lâm Đồng"): doubt only
_CAPITAL_L = re.compile(r"(?<=[a-zà-ỹđ] )L[a-zà-ỹđ]")
# "quý I" read "quý 1": after the words that take Roman numerals, a lone 1, l, I or | is
# either; OCR cannot tell them apart, so the value is doubted (realistic r5150-0032)
_ROMAN_ONE = re.compile(r"(?i:quý|kỳ|khóa|khoá|chương|phần|đợt|giai đoạn)\s+[1lI|](?![\w/.])")


_PROVINCE_UNITS = (("tinh",), ("thanh", "pho"))


def _respell_provinces(text: str) -> tuple[str, bool]:
    """"tĩnh Tuyển Quang" -> "tỉnh Tuyên Quang": a province after its unit word, its
    marks put back from the gazetteer (the letters must match exactly; real-extra
    E08, E12). Returns the text and whether anything changed."""
    tokens = tokenize(text)
    keys = [t.key for t in tokens]
    out, last, changed = [], 0, False
    i = 0
    while i < len(tokens):
        unit = next((u for u in _PROVINCE_UNITS if tuple(keys[i : i + len(u)]) == u), None)
        hit = LEXICONS.places.match(keys, i + len(unit), fuzzy=False) if unit else None
        if unit is None or hit is None:
            i += 1
            continue
        end = tokens[i + len(unit) + hit[0] - 1].end
        spelt = ("tỉnh" if unit == ("tinh",) else "thành phố") + " " + hit[1]
        old = text[tokens[i].start : end]
        if fold(old) == fold(spelt) and old.lower() != spelt.lower():
            out.append(text[last : tokens[i].start] + (cap_first(spelt) if old[0].isupper()
                                                      else spelt))
            last, changed = end, True
        i += len(unit) + hit[0]
    return "".join(out) + text[last:], changed


def _code_fields(
    pieces: Sequence[Piece], at: int, doc_type: doctypes.DocType | None,
    fields: dict[str, Field], review: dict[str, str],
) -> None:
    code = (_find_code(pieces, doc_type)
            or _salvage_code(at, _with_split_notation(pieces, at), doc_type))
    if code is None:
        review["code_number"] = "handwritten"  # a "Số:" label whose code could not be read
        return
    if code.number and code.number_piece and not _number_handwritten(code):
        fields["code_number"] = _field(code.number, code.quality, [code.number_piece])
    else:
        review["code_number"] = "handwritten"  # blank at printing, written in after signing
        if code.number and code.number_piece and _clean_digits(code) and code.quality >= 0.7:
            # OCR read the hand's digits as digits: offered, like a handwritten day, but
            # never trusted (docs/benchmarks.md: right 6 of 7 times on real and
            # realistic scans; garbled reads such as "#44", "ÿ33" are never offered)
            fields["code_number"] = _field(code.number, _HANDWRITTEN_CAP, [code.number_piece])
    fields["code_notation"] = _field(code.notation, code.quality, [code.notation_piece])
    if code.year and code.year_piece:
        fields["code_year"] = _field(code.year, code.quality, [code.year_piece])


def _clean_digits(code: _Code) -> bool:
    """The number as OCR read it is two digits or more and nothing else."""
    raw = code.number_piece.text.strip() if code.number_piece else ""
    return len(raw) >= 2 and raw.isdigit() and raw == code.number


def _number_handwritten(code: _Code) -> bool:
    """Whether the number of "Số: n/KH-CQ" was written by hand (see _handwritten_digits)."""
    piece = code.number_piece
    if piece is None:
        return True
    line = code.notation_piece
    shared = {id(w) for w in piece.words} & {id(w) for w in line.words}
    if shared:  # "12/QĐ-UBND" in one word: ink added by hand is split off or garbles the
        # word; a printed word read cleanly by the pattern may still rate low for its "Đ"
        return any(w.conf < _GARBLED_CONF for w in piece.words)
    whole = Piece(piece.page, piece.text + " " + line.text, piece.words + line.words,
                  (*((0, len(piece.text)) for _ in piece.words),
                   *((len(piece.text) + 1, len(piece.text) + 1 + len(line.text))
                     for _ in line.words)))
    return _handwritten_digits(whole, [(0, len(piece.text))],
                               (len(piece.text) + 1, len(whole.text)))


# --- Signature -------------------------------------------------------------------

_AUTHORITY_RE = re.compile(  # "TM." "KT." "TL." "TUQ." "Q."; before 2000 also "K/T", "T/M"
    r"(?<![a-z])(?:(t\s?/?\s?m|k\s?/?\s?[til1]|t\s?/?\s?[li1|]|tuq|q)\s*[.,:/]{1,2}"
    r"|(t\s?/\s?m|k\s?/\s?t|t\s?/\s?l)\s)\s*(?=\w)")
_AUTHORITY_PART = re.compile(r"(?:TM|KT|TL|TUQ)\. ")  # as _authority() writes it; "Q." is a title
_SIGNED_MARK = re.compile(
    r"\(?\s*(?:đã ký|da ky|ký tên|ky ten|ký,|ky,|chữ ký|chu ky|signed)[^)]*\)?|\[[^\]]*\]",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[^\W\d_][^\W_]*")
_MAX_POSITION_TAIL = 3


def _authority(text: str) -> tuple[int, str] | None:
    """(offset, "TM. Ủy ban nhân dân") for an authority line such as "TM. ỦY BAN NHÂN DÂN"."""
    for m in _AUTHORITY_RE.finditer(fold(text)):
        rest = text[m.end() :].strip()
        if not rest or letters_upper_ratio(rest) < 0.7 or len(tokenize(rest)) > 8:
            continue
        letters = re.sub(r"[\s/]", "", m.group(1) or m.group(2))
        prefix = "KT." if letters[0] == "k" else letters.upper() + "."  # "kĩ." is KT. misread
        if letters[0] == "t" and letters[-1] in "i1|":
            prefix = "TL."  # "TI.." and "T1." are TL. misread (real-dev R02)
        return m.start(), f"{prefix} {case_position(rest) or case_organ(rest)}"
    return None


def _position(text: str) -> tuple[int, str, bool] | None:
    """(offset, title, exact) of a signer title ending the line ("- Như trên; CHỦ TỊCH")."""
    tokens = tokenize(text)
    if not tokens or letters_upper_ratio(tokens[-1].text) < 0.8:
        return None  # a title is written in capitals and ends its line
    keys = [t.key for t in tokens]
    for i in range(max(0, len(tokens) - 8), len(tokens)):
        hit = LEXICONS.positions.match(keys, i)
        if hit is None or letters_upper_ratio(text[tokens[i].start :]) < 0.8:
            continue
        tail = range(i + hit[0], len(tokens))
        if len(tail) > _MAX_POSITION_TAIL:
            continue
        if any(LEXICONS.positions.match(keys, j, fuzzy=False) for j in tail):
            continue
        title = case_position(text[tokens[i].start :])
        if title is not None:
            return tokens[i].start, title, hit[2]
    return None


def _name_in(text: str, listed: bool) -> tuple[int, int] | None:
    """Span of the person's name that ends ``text`` (after any recipients-list text)."""
    body = text.rstrip()
    if body.endswith((";", ":")):
        return None  # a recipients item ("- UBND phường Cầu Ông Lãnh;")
    words = list(re.finditer(r"\S+", body.rstrip(".,'`")))  # "An." or "An," ends a name too
    run: list[re.Match[str]] = []
    for w in reversed(words):
        if not _NAME_WORD.fullmatch(w.group()) or not w.group()[0].isupper():
            break
        run.insert(0, w)
    if any(not w.group().isupper() for w in run):
        while run and run[0].group().isupper():
            run.pop(0)  # "VT Nguyễn Văn An": an abbreviation, then the name
    elif run and not _is_surname(run[0].group()):
        return None  # an all-capitals run is a name only if it starts with a family name
    run = _trim_to_surname(run, listed)
    if not 2 <= len(run) <= 5:
        return None
    return run[0].start(), run[-1].end()


def _is_surname(word: str) -> bool:
    return LEXICONS.surnames.match([key(word)], 0, fuzzy=len(key(word)) >= 5) is not None


def _trim_to_surname(run: list[re.Match[str]], listed: bool) -> list[re.Match[str]]:
    """Cut text glued before a name ("Lê Văn Cường Nguyễn Văn An" -> the last name)."""
    if len(run) > 4:
        for i in range(len(run) - 3, 0, -1):
            if _is_surname(run[i].group()):
                return run[i:]
    if listed and run and not _is_surname(run[0].group()):
        for i in range(1, len(run) - 1):
            if _is_surname(run[i].group()):
                return run[i:]
        return []
    return run


def _signature_candidates(pieces: Sequence[Piece]) -> list[Piece]:
    """Pieces that can hold the signature block.

    Specks and rules go, and so does the left column (the recipients list)
    when the page has a right one.
    """
    has_right = any(p.col == "R" for p in pieces)
    return [p for p in pieces if not p.is_rule and not (has_right and p.col == "L")
            and not _ESIGN_LINE.match(fold(p.text))]


# An e-signature box ("Ký bởi: …", "Cơ quan: …", "Thời gian ký: …") names the signing
# agency, its city and a time: none of it is the signer's title or name.
_ESIGN_LINE = re.compile(r"\W{0,3}(?:k[yi] b[o0]i|c[o0] quan|th[o0]i gian k[yi]|email)\s*:")


def _find_anchor(cands: Sequence[Piece]) -> int | None:
    """The first authority or title line, in the right column where the page has one:
    a centred "GIÁM ĐỐC SỞ TƯ PHÁP" under a decision's type line is its issuer, not
    its signature."""
    found = [i for i, p in enumerate(cands) if _is_anchor(p)]
    right = [i for i in found if cands[i].col == "R"]
    pick = right or found
    return pick[0] if pick else None


def _is_anchor(p: Piece) -> bool:
    if _authority(p.text) is not None:
        return True
    hit = _position(p.text)
    return hit is not None and len(tokenize(p.text[hit[0] :])) <= 5


def _signer_chain(cands: Sequence[Piece], start: int) -> tuple[int, list[str], list[Piece], float]:
    """Authority lines then the title: (next index, parts, pieces, quality)."""
    parts: list[str] = []
    used: list[Piece] = []
    quality = 1.0
    i = start
    skips = 0
    while i < len(cands) and len(parts) < 4:
        p = cands[i]
        if parts and skips < 2 and _position(p.text) is None and (
                _is_listed(p.text) or _is_speck(p.text)):
            skips, i = skips + 1, i + 1  # a recipients line or a seal's speck between two
            continue                     # signature lines
        auth = _authority(p.text)
        if auth is not None:
            parts.append(auth[1])
            used.append(p.cut(auth[0], len(p.text)))
            i += 1
            continue
        pos = _position(p.text)
        if pos is not None:
            parts.append(pos[1])
            used.append(p.cut(pos[0], len(p.text)))
            quality = quality if pos[2] else 0.85
            if _damaged_before(p, pos[0]):
                quality = min(quality, _DAMAGED)
            i += 1
        break
    return i, parts, used, quality


_DAMAGED = 0.7  # the line above or before the title was unreadable: it may not be the signer's


def _damaged_before(p: Piece, start: int) -> bool:
    """"_t CHỦ TỊCH": ink OCR could not read before the title, where "KT." (and the
    deputy's "PHÓ …" line under it) stood; the title read may be the authority's."""
    return any(w.conf < 40 and a < start for w, (a, _) in zip(p.words, p.spans, strict=True))


def _is_speck(text: str) -> bool:
    """Two letters or fewer: a seal's or a signature's stroke read as text ("P k==")."""
    return sum(ch.isalnum() for ch in text) <= 2


def _is_listed(text: str) -> bool:
    """A line of the recipients list ("Nơi nhận:", "- Như trên;")."""
    return text.lstrip()[:1] in "-+•*~=_." or "noi nhan" in fold(text) or ":" in text


def _signer_name(cands: Sequence[Piece], start: int) -> tuple[Field, str | None] | None:
    """The name under the signature, and why to doubt it: "incomplete" when it lacks its
    family name, "lexicon_repair" when the family name's first letter was put back."""
    for p in cands[start : start + 8]:
        if _position(p.text) is not None or _authority(p.text) is not None:
            continue
        text = _SIGNED_MARK.sub(lambda m: " " * len(m.group()), p.text)
        listed = _is_listed(text)
        span = _name_in(text, listed)
        if span is None:
            continue
        raw = text[span[0] : span[1]]
        keys = [t.key for t in tokenize(raw)]
        place = LEXICONS.places.match(keys, 0, fuzzy=False)
        if place is not None and place[0] == len(keys):
            continue  # "Hồ Chí Minh" under a title is the city of a seal or a footer
        lost = _lost_initial(text, span[0])
        if lost is not None:
            span, raw = (lost[0], span[1]), lost[1] + text[lost[0] : span[1]]
        name = restore_name(raw)
        quality = 1.0 if name == raw else (0.8 if not has_diacritics(raw) else 0.85)
        found = _field(name, quality - (0.05 if listed else 0.0), [p.cut(*span)], worst=True)
        if not _is_surname(name.split()[0]) or _garbled_before(text, span[0]):
            return found, "incomplete"
        return found, "lexicon_repair" if lost is not None else None
    return None


@lru_cache(maxsize=1)
def _surname_tails() -> dict[str, str]:
    """Family names by their folded form without the first letter ("ruong" -> "T")."""
    tails: dict[str, str] = {}
    for surname in SURNAMES:
        k = key(surname)
        if len(k) >= 4:
            tails.setdefault(k[1:], surname[0].upper())
    return tails


def _lost_initial(text: str, start: int) -> tuple[int, str] | None:
    """A family name whose first letter a seal or the signature hid ("rương Huy Hoàng").

    OCR reads the rest in lower case, so it falls outside the capitalised name run;
    when it is a known family name less its first letter (4 letters or more, so
    that "an" or "hi" never qualify), the letter is put back and the value doubted.
    Returns (where the word starts, the letter to put before it).
    """
    m = re.search(r"(?:^|\s)([^\W\d_]+)\s*$", text[:start])
    if m is None or not m.group(1).islower():
        return None
    letter = _surname_tails().get(key(m.group(1)))
    return None if letter is None else (m.start(1), letter)


def _garbled_before(text: str, start: int) -> bool:
    """A damaged word glued before the name ("V#Thị Thu Nga", "Phững #ñj Xuân Bình"): the
    family name (and maybe more) was lost under the seal or the signature's strokes."""
    before = text[:start].rstrip()
    last = before.split()[-1] if before.split() else ""
    return bool(last) and any(ch.isalpha() for ch in last) and not _NAME_WORD.fullmatch(last)


_TEMPLATE_MARK = re.compile(r"k[yi]\W{0,3}(?:va\s*)?g\w{0,2}\s*r\w\s*h\w\s*t\w{1,2}n")
_SIGNATURE_LINES = 8  # title, seal and signature, name: about this many text lines
_SEAL_SPECKS = 2  # this many unreadable specks in the signature block: a seal or a signature


def _is_template(cands: Sequence[Piece], after: int) -> bool:
    """A blank form's signature slot ("NGƯỜI LẬP / (Ký và ghi rõ họ tên)"), not a signature."""
    return any(_TEMPLATE_MARK.search(fold(p.text)) for p in cands[after : after + 3])


def _under_seal(pieces: Sequence[Piece], top: int, bottom: int) -> bool:
    """Whether a seal (or the signature's strokes) crosses the signer block: OCR then leaves
    specks it cannot read (punctuation, one or two letters, near-zero confidence) beside
    and between the title and the name, and letters of both may be lost."""
    block = [p for p in pieces if p.col != "L" and p.words and top <= p.top <= bottom]
    specks = sum(1 for p in block
                 if p.is_rule or _is_speck(p.text) or all(w.conf < 40 for w in p.words))
    return specks >= _SEAL_SPECKS


def _complete_deputy(parts: list[str], quality: float) -> tuple[list[str], float]:
    """Fill the title line NĐ 30 makes certain when OCR garbled or dropped it.

    "KT." (ký thay) is always followed by the deputy's title, "Phó" + the head's;
    "TM. Ủy ban nhân dân" by its chair's, "Chủ tịch" (unless KT. follows). That
    short line sits under the red seal, where OCR often loses it ("NÓ CHỦ TỊCH").
    """
    if parts and parts[-1].startswith("KT. "):
        return [*parts, f"Phó {parts[-1][4:]}"], min(quality, 0.75)
    if len(parts) >= 2 and parts[-2].startswith("KT. ") and parts[-1] == parts[-2][4:]:
        return [*parts[:-1], f"Phó {parts[-1]}"], min(quality, 0.75)  # "PHÓ" lost
    if parts and parts[-1] in ("TM. Ủy ban nhân dân", "TM. Hội đồng nhân dân"):
        return [*parts, "Chủ tịch"], min(quality, 0.75)  # "TM." a council: its chair signs
    return parts, quality


_SEAL_CAP = 0.7  # read through a seal: shown, tinted
_INCOMPLETE_CAP = 0.5


def _read_signer(pieces: Sequence[Piece], review: dict[str, str]) -> dict[str, Field]:
    cands = _signature_candidates(_beside_recipients(pieces))
    anchor = _find_anchor(cands)
    while anchor is not None:
        after, parts, used, quality = _signer_chain(cands, anchor)
        if not _is_template(cands, after):
            break
        nxt = _find_anchor(cands[after:])
        anchor = None if nxt is None else after + nxt
    if anchor is None:
        return _name_without_title(pieces, review)
    parts, quality = _complete_deputy(parts, quality)
    fields: dict[str, Field] = {}
    title = parts[-1] if parts and not _AUTHORITY_PART.match(parts[-1]) else None
    authority = parts[:-1] if title else parts
    named = _signer_name(cands, after)
    head = cands[anchor]
    reach = head.top + _SIGNATURE_LINES * max(head.bottom - head.top, 1)  # title to name
    if named and named[0].region:
        reach = max(reach, named[0].region.top + named[0].region.height)
    seal = _under_seal(pieces, head.top, reach)
    if title:
        fields["signer_position"] = _field(title, quality, used)
        if quality <= _DAMAGED:
            review["signer_position"] = "layout"
    if authority:
        fields["signer_authority"] = _field(" / ".join(authority), quality, used)
    if named is not None:
        fields["signer_name"] = named[0]
        if named[1]:
            fields["signer_name"] = _capped(named[0], _INCOMPLETE_CAP)
            review["signer_name"] = named[1]
    if seal:
        for name in ("signer_position", "signer_name"):
            if name in fields and name not in review:
                fields[name] = _capped(fields[name], _SEAL_CAP)
                review[name] = "under_seal"
    return fields


def _beside_recipients(pieces: Sequence[Piece]) -> list[Piece]:
    """On a page with the recipients list, only what stands beside or below it.

    The signature block starts level with "Nơi nhận:"; a centred "GIÁM ĐỐC SỞ NỘI VỤ"
    above it is the decision's issuer line under its summary, and was taken for the
    signer's title when a seal ate the real title's first letter ("IÁM ĐỐC").
    """
    label = next((p for p in pieces if _is_recipients_label(p)), None)
    if label is None:
        return list(pieces)
    line = max(label.bottom - label.top, 1)
    return [p for p in pieces if p.page != label.page or p.bottom >= label.top - 3 * line]


def _name_without_title(pieces: Sequence[Piece], review: dict[str, str]) -> dict[str, Field]:
    """The signer's name when the seal hid the whole title (real-dev R07: "TRƯỜNG / ĐẠI
    HỌC" of the seal, then "rương Huy Hoàng"): only in the right column beside the
    recipients list, where nothing but the signature block stands. Never trusted."""
    label = next((p for p in pieces if _is_recipients_label(p)), None)
    if label is None:
        return {}
    line = max(label.bottom - label.top, 1)
    right = [p for p in pieces if p.col == "R" and p.page == label.page
             and p.top >= label.top - 2 * line]
    named = _signer_name(right, 0)
    if named is None or named[1] == "incomplete":
        return {}
    review["signer_name"] = "layout"
    return {"signer_name": _capped(named[0], _SEAL_CAP)}


def _capped(found: Field, cap: float) -> Field:
    return replace(found, confidence=min(found.confidence, cap))


# --- Entry points ----------------------------------------------------------------

def _is_recipients_label(p: Piece) -> bool:
    """The "Nơi nhận:" label itself, not "Nơi nhận hồ sơ: 126 phố Xốm" in the body."""
    text = fold(p.text).strip(" -.:;_")
    return text.startswith("noi nhan") and len(text) <= len("noi nhan") + 3


_COPY_MARK = re.compile(r"(?<![a-z])(?:sao\s?y|sao luc|trich sao)(?![a-z])")


def _signer_fields(
    laid: Sequence[Sequence[Piece]], body: int, review: dict[str, str]
) -> dict[str, Field]:
    """The signature beside the recipients list ("Nơi nhận") when a page has one: pages
    after it are appendices and forms, whose blank signature slots are not the signer.
    Otherwise the last page that has a signature."""
    def on(index: int) -> list[Piece]:
        pieces = list(laid[index][body:] if index == 0 else laid[index])
        copy = next((i for i, p in enumerate(pieces) if _COPY_MARK.search(fold(p.text))), None)
        return pieces[:copy]  # a copy's certification ("SAO Y", its own signer) comes last

    recipients = [i for i, page in enumerate(laid) if any(_is_recipients_label(p) for p in page)]
    if recipients:  # the signature sits beside the list, or spills onto the next page
        order = [i for i in (recipients[0], recipients[0] + 1) if i < len(laid)]
    else:
        order = list(range(len(laid) - 1, -1, -1))
    for index in order:
        found: dict[str, str] = {}
        signer = _read_signer(on(index), found)
        if signer:
            review.update(found)
            return signer
    return {}


def extract(pages: Sequence[PageText]) -> Extraction:
    """NĐ 30/2020 metadata of one document from the OCR of its pages.

    The header is read on the first page, the signature on the last page that
    has one, identity numbers on all pages. A field not found is absent from ``fields``
    and its review reason is "missing" unless a more precise one ("handwritten") is known.
    """
    if not pages:
        return Extraction()
    laid = [layout(p, i) for i, p in enumerate(pages)]
    fields, body, review = _read_header(laid[0])
    _offer_handwritten(pages[0].hand, fields, review)
    fields.update(_signer_fields(laid, body, review))
    _doubt_misspelt(fields, review)
    seals.doubt_sealed(pages, fields, review)  # values read through a seal: tinted
    for name in HEADER_FIELDS:  # ingest --json and the form say why a field is doubtful
        if name not in fields:
            review.setdefault(name, "missing")
        elif fields[name].confidence < TINT:
            review.setdefault(name, "low_confidence")
    ids = find_citizen_ids("\n".join(p.text for p in pages))
    return Extraction(fields=fields, citizen_ids=tuple(ids), review=review)


# The NĐ 30/2020 fields capture looks for on every document.
HEADER_FIELDS = ("type_name", "code_number", "code_notation", "issued_date", "organ_name",
                 "subject", "signer_position", "signer_name")


# subject and agency names already went through spelling.check, which tests the same
_WORDED = ("signer_position", "signer_name")


def _doubt_misspelt(fields: dict[str, Field], review: dict[str, str]) -> None:
    """A word no Vietnamese syllable spells ("Bếên Nghé") is a misread, however sure
    Tesseract was of it: the field is shown, tinted, and says why."""
    for name in _WORDED:
        found = fields.get(name)
        if found is not None and spelling.misspelt(found.value):
            fields[name] = _capped(found, _RESTORED)
            review.setdefault(name, "spelling")


_CHAR_W = 12
_LINE_H = 36
_MARGIN = 40
_TEXT_CONF = 96.0


def page_from_text(text: str, conf: float = _TEXT_CONF) -> PageText:
    """A synthetic page: one OCR line per text line, a fixed-width box per character.

    Runs of spaces keep their width, so text laid out in columns keeps its
    columns; blank lines leave vertical gaps like paragraph breaks do. The page
    is as wide as the widest line with a column gap (at least 90 characters):
    long paragraph lines, as from a text file, are not the page's width.
    """
    lines = text.splitlines()
    laid_out = [len(line.rstrip()) for line in lines if re.search(r"\S {3,}\S", line)]
    width = max([90, *laid_out]) * _CHAR_W + 2 * _MARGIN
    words: list[Word] = []
    for n, line in enumerate(lines):
        for m in re.finditer(r"\S+", line):
            words.append(
                Word(
                    m.group(), _MARGIN + m.start() * _CHAR_W, _MARGIN + n * _LINE_H,
                    len(m.group()) * _CHAR_W, _LINE_H - 8, conf, line=n,
                )
            )
    return PageText(tuple(words), width, 2 * _MARGIN + max(len(lines), 1) * _LINE_H, dpi=150)


def extract_from_text(text: str) -> Extraction:
    """:func:`extract` on plain text (one page); pages may be split with form feeds."""
    return extract([page_from_text(chunk) for chunk in text.split("\f")])
