"""Vietnamese text helpers for reading noisy OCR output.

Tesseract's Vietnamese model gets most letters right but often gets the tone
mark wrong ("QUYÉT" for "QUYẾT", "ngảy" for "ngày"), drops it, reads "ố" as
"6" or "rn" for "m". Everything that *recognises* a keyword therefore works on
a folded key (no diacritics, lower case, common digit-for-letter confusions
undone) and tolerates one or two edits, while everything that *outputs* text
goes through a lexicon of canonical spellings so that a value comes out with
proper diacritics even when the scan lost them.

All folding here is length-preserving (one output character per input
character) so that a match found in folded text maps back to the same slice
of the original, and from there to the OCR words and their boxes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from store import textfold
from store.textfold import fold_char

_COMBINING = re.compile(r"[\u0300-\u036f]")
_OCR_LOOKALIKES = str.maketrans(
    {
        "Ð": "Đ",  # Icelandic eth, a frequent OCR stand-in for Đ
        "ð": "đ",
        "Ɖ": "Đ",
        "ɖ": "đ",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "⁄": "/",  # fraction slash, as in "V⁄v"
        "∕": "/",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
    }
)
_TOKEN = re.compile(r"[^\W_]+")


def normalize_ocr(text: str) -> str:
    """NFC, look-alike letters and dashes unified, orphan combining marks removed."""
    composed = unicodedata.normalize("NFC", text).translate(_OCR_LOOKALIKES)
    return _COMBINING.sub("", composed)


def _table(convert: Callable[[str], str]) -> Mapping[int, str]:
    """A str.translate table for Latin letters (where Vietnamese lives)."""
    chars = (chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)))
    return MappingProxyType({ord(ch): convert(ch) for ch in chars if convert(ch) != ch})


_STRIP = _table(lambda ch: fold_char(ch).upper() if ch.isupper() else fold_char(ch))


def fold(text: str) -> str:
    """Lower case without diacritics; same length as ``normalize_ocr(text)``.

    The search index's fold (store.textfold), after the OCR look-alike clean-up.
    """
    return textfold.fold(normalize_ocr(text))


def strip_diacritics(text: str) -> str:
    """Remove tone and vowel marks but keep the case ("Đà Nẵng" -> "Da Nang")."""
    return normalize_ocr(text).translate(_STRIP)


def has_diacritics(text: str) -> bool:
    """True when any letter carries a Vietnamese mark (or is đ)."""
    return strip_diacritics(text) != normalize_ocr(text)


def key(text: str) -> str:
    """Folded alphanumerics of a word, with OCR digit-for-letter confusions undone.

    "S6" -> "so", "QUYÉT" -> "quyet", "nărn" -> "nam". Pure numbers stay numbers.
    """
    k = "".join(ch for ch in fold(text) if ch.isalnum())
    if any(ch.isalpha() for ch in k):
        k = k.replace("0", "o").replace("6", "o").replace("rn", "m")
    return k


def cap_first(text: str) -> str:
    """Upper-case the first letter only ("ủy ban" -> "Ủy ban")."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


def title_word(word: str) -> str:
    """One syllable in title case ("NGUYỄN" -> "Nguyễn")."""
    return cap_first(word.lower())


def letters_upper_ratio(text: str) -> float:
    """Share of upper-case letters among letters (1.0 for "QUYẾT ĐỊNH")."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(ch.isupper() for ch in letters) / len(letters)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) beyond ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return min(prev[-1], limit + 1)


def allowed_edits(word: str) -> int:
    """How many OCR edits a keyword of this length may carry and still be itself."""
    n = len(word)
    if n <= 3:
        return 0
    return 1 if n <= 8 else 2


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, falling towards 0 with edit distance."""
    if not a and not b:
        return 1.0
    longest = max(len(a), len(b))
    return 1.0 - edit_distance(a, b, longest) / longest


@dataclass(frozen=True)
class Token:
    """A run of letters/digits with its place in the source string."""

    text: str
    start: int
    end: int
    key: str


def tokenize(text: str) -> list[Token]:
    """Letter/digit runs ("V/v" gives "V" and "v"); punctuation is dropped."""
    return [Token(m.group(), m.start(), m.end(), key(m.group())) for m in _TOKEN.finditer(text)]


def close(got: str, want: str) -> bool:
    """True when the key ``got`` is ``want`` up to the OCR edits its length allows."""
    if got == want:
        return True
    limit = allowed_edits(want)
    return limit > 0 and edit_distance(got, want, limit) <= limit


def find_phrase(
    tokens: Sequence[Token], phrase: Sequence[str], max_misses: int = 1
) -> tuple[int, int] | None:
    """First window of ``tokens`` that spells ``phrase`` (keys) with few misses.

    Returns the index range of the tokens. A miss is a token that is not
    :func:`close` to the expected word (OCR read it too badly to recognise).
    """
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        misses = 0
        for k in range(n):
            if not close(tokens[i + k].key, phrase[k]):
                misses += 1
                if misses > max_misses:
                    break
        else:
            return i, i + n
    return None


def fuzzy_word_pattern(word: str) -> str:
    """Regex (on folded text) for ``word`` with at most one substituted or lost letter.

    An "m" may also appear as "rn", Tesseract's favourite confusion.
    """
    alts = {word}
    for i in range(len(word)):
        alts.add(word[:i] + "\0" + word[i + 1 :])
        if len(word) > 3:
            alts.add(word[:i] + word[i + 1 :])
    alts |= {a.replace("m", "rn") for a in list(alts)}
    escaped = [re.escape(a).replace("\\\0", "[a-z0-9]").replace("\0", "[a-z0-9]") for a in alts]
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


@dataclass(frozen=True)
class Lexicon:
    """Canonical spellings of phrases, looked up by their folded word keys.

    ``near`` indexes every entry under each of its words blanked out, so that
    the entries one word away from a window are found with a few dictionary
    look-ups instead of a scan.
    """

    entries: Mapping[tuple[str, ...], str] = field(repr=False)
    longest: int
    near: Mapping[tuple[str, ...], tuple[tuple[str, ...], ...]] = field(repr=False)
    # every spelling of a key that has more than one ("Thanh Hóa", "Thạnh Hóa")
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, phrases: Iterable[str], aliases: Mapping[str, str] | None = None) -> Lexicon:
        """Index ``phrases``; ``aliases`` maps extra spellings (e.g. "UBND") to a phrase."""
        entries: dict[tuple[str, ...], str] = {}
        forms: dict[str, list[str]] = {}
        for phrase in phrases:
            entries.setdefault(tuple(t.key for t in tokenize(phrase)), phrase)
            first = entries[tuple(t.key for t in tokenize(phrase))]
            if phrase not in forms.setdefault(first, [first]):
                forms[first].append(phrase)
        for alias, phrase in (aliases or {}).items():
            entries.setdefault(tuple(t.key for t in tokenize(alias)), phrase)
        longest = max((len(k) for k in entries), default=0)
        near: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for k in entries:
            for j in range(len(k)):
                near.setdefault((*k[:j], "\0", *k[j + 1 :]), []).append(k)
        frozen_near = MappingProxyType({b: tuple(ks) for b, ks in near.items()})
        spellings = MappingProxyType({p: tuple(f) for p, f in forms.items() if len(f) > 1})
        return cls(MappingProxyType(entries), longest, frozen_near, spellings)

    def match(
        self, keys: Sequence[str], start: int, fuzzy: bool = True
    ) -> tuple[int, str, bool] | None:
        """Longest entry starting at ``keys[start]``: (length, canonical, exact).

        A fuzzy match allows one OCR edit in the whole phrase, only in a word
        of four letters or more, and only when the word OCR gave cannot be a
        Vietnamese syllable ("phuonq"): "Tân Thạnh" is a real name, not a
        misreading of "Tân Khánh".
        """
        top = min(self.longest, len(keys) - start)
        for n in range(top, 0, -1):
            window = tuple(keys[start : start + n])
            hit = self.entries.get(window)
            if hit is not None:
                return n, hit, True
            if fuzzy:
                near = self._near(window)
                if near is not None:
                    return n, near, False
        return None

    def _near(self, window: tuple[str, ...]) -> str | None:
        found: str | None = None
        for j, got in enumerate(window):
            if is_syllable(got):
                continue  # a real word read as such ("Thạnh") is not someone's typo
            for k in self.near.get((*window[:j], "\0", *window[j + 1 :]), ()):
                want = k[j]
                if len(want) < 4 or edit_distance(got, want, 1) > 1:
                    continue
                if found is not None and found != self.entries[k]:
                    return None  # ambiguous: better no correction than a wrong one
                found = self.entries[k]
        return found


# --- Canonical spellings ----------------------------------------------------
# Used to put diacritics back on words that OCR read without them, and to
# correct a wrong tone mark on a word we know. When one folded form has
# several spellings, the first listed is the most common and wins.

SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lương", "Trương", "Đinh", "Đoàn",
    "Lâm", "Tô", "Trịnh", "Cao", "Tạ", "Châu", "Quách", "Kiều", "Thái", "Hà",
    "Tăng", "Từ", "Lưu", "Diệp", "Vương", "Triệu", "Âu", "Mạc", "Kha", "Tôn",
    "Thân", "Khương", "Lạc", "Phùng", "Đào", "Chu", "Lại", "Nghiêm", "Hứa", "Hầu",
    "Đàm", "Tiêu", "Lục", "Mã", "Doãn", "Bạch", "Mai", "Giang",
    "Trà", "Thạch", "Lò", "Tống", "Khổng", "Cù",
)

NAME_SYLLABLES = (
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Hoàng", "Thành",
    "Công", "Xuân", "Thu", "Kim", "Anh", "Tuấn", "Hùng", "Hưng", "Dũng", "Bình",
    "An", "Lan", "Hương", "Hoa", "Hòa", "Hà", "Phương", "Trang", "Linh", "Nam",
    "Hải", "Sơn", "Long", "Tâm", "Thảo", "Hạnh", "Hằng", "Hiền", "Hiếu", "Khoa",
    "Khánh", "Lâm", "Mai", "Nga", "Nhung", "Oanh", "Phúc", "Quang", "Tài", "Thắng",
    "Thủy", "Thùy", "Tùng", "Vinh", "Yến", "Cường", "Bảo", "Châu", "Chi", "Diễm",
    "Giang", "Hạ", "Huy", "Huệ", "Hiệp", "Hậu", "Khải", "Kiên", "Lộc", "Lợi",
    "Luân", "Mạnh", "Mỹ", "My", "Nhân", "Nhật", "Như", "Phát", "Phong", "Phú",
    "Quân", "Quyên", "Quý", "Sang", "Tân", "Thái", "Thiện", "Thịnh", "Thơ", "Thư",
    "Tiến", "Toàn", "Trí", "Trinh", "Trung", "Trường", "Tú", "Tuyết", "Uyên", "Vân",
    "Việt", "Vy", "Xuyên", "Ánh", "Ân", "Bích", "Cẩm", "Chính", "Cúc", "Dung",
    "Duy", "Dương", "Đạt", "Điệp", "Định", "Đông", "Gấm", "Hạnh", "Hào", "Hiển",
    "Hòa", "Hồng", "Huyền", "Kiệt", "Lệ", "Liên", "Liễu", "Loan", "Lực", "Ly",
    "Mến", "Minh", "Nghĩa", "Ngân", "Nguyên", "Nhàn", "Nhi", "Nhiên", "Ninh", "Nương",
    "Phượng", "Quế", "Quỳnh", "Sáu", "Tấn", "Thạch", "Thắm", "Thanh", "Thêm", "Thoa",
    "Thuận", "Thương", "Tín", "Tình", "Trâm", "Triều", "Trọng", "Tuệ", "Tường", "Vĩnh",
    "Võ", "Vũ", "Vương", "Xuân", "Yên", "Bá", "Đình", "Gia", "Khắc", "Mộng",
    "Nhựt", "Tố", "Tiểu", "Diệu", "Bảy", "Tám", "Hai", "Ba", "Tư", "Năm",
    "Cương", "Đăng", "Đạo", "Hiếu", "Hoài", "Khôi", "Lành", "Lương", "Mãi", "Nhã",
    "Sĩ", "Tuyền", "Đào", "Ngà", "Hân", "Hậu", "Khang", "Khoa", "Kha", "Thông",
)

PLACES = (
    "Hồ Chí Minh", "Hà Nội", "Sài Gòn", "Thủ Đức", "Bình Thạnh", "Gò Vấp", "Phú Nhuận",
    "Tân Bình", "Tân Phú", "Bình Tân", "Bình Chánh", "Hóc Môn", "Củ Chi", "Nhà Bè",
    "Cần Giờ", "Bến Nghé", "Bến Thành", "Cầu Kho", "Cầu Ông Lãnh", "Cô Giang", "Đa Kao",
    "Nguyễn Cư Trinh", "Nguyễn Thái Bình", "Phạm Ngũ Lão", "Tân Định", "Võ Thị Sáu",
    "Thảo Điền", "An Phú", "An Khánh", "Thủ Thiêm", "Linh Trung", "Linh Xuân",
    "Linh Chiểu", "Hiệp Bình Chánh", "Hiệp Phú", "Tăng Nhơn Phú A", "Long Thạnh Mỹ",
    "Tân Nhựt", "Tân Kiên", "Vĩnh Lộc A", "Bình Hưng", "Tân Thới Hiệp", "An Nhơn",
    "Tân Thuận Đông", "Tân Hưng", "Tân Phong", "Phú Mỹ", "Bàn Cờ", "Xuân Hòa",
    "Nhiêu Lộc", "Diên Hồng", "Hòa Hưng", "Chợ Lớn", "Chợ Quán", "An Đông", "Bình Tây",
    "Bình Tiên", "Bình Phú", "Phú Lâm", "Gia Định", "Thạnh Mỹ Tây", "Bình Lợi Trung",
    "Cầu Kiệu", "Đức Nhuận", "Tân Sơn Nhất", "Tân Sơn Hòa", "Bảy Hiền", "Tân Sơn Nhì",
    "Phú Thọ Hòa", "Tây Thạnh", "Sơn Kỳ", "An Lạc", "Bình Trị Đông", "Tân Tạo",
    "Hạnh Thông", "An Nhơn Tây", "Thới An", "Đông Hưng Thuận", "Trung Mỹ Tây",
    "Tân Thới Nhất", "Bà Điểm", "Xuân Thới Sơn", "Nhà Bè", "Hiệp Phước", "Cần Thạnh",
    "Thạnh An", "Bình Khánh", "An Thới Đông", "Đồng Nai", "Bình Dương", "Long An",
    "Bà Rịa - Vũng Tàu", "Thủ Dầu Một", "Vũng Tàu", "Bà Rịa", "Côn Đảo",
)

# Provinces and centrally-run cities: the 63 before the 2025 merger and the 34 after it
# (Nghị quyết 202/2025/QH15 keeps 34 names, all among the 63 but for "Huế").
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ",
    "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai",
    "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang",
    "Hòa Bình", "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)

# Words that name an administrative unit; what follows them is a place name.
ADMIN_UNITS = (
    "phường", "xã", "thị trấn", "quận", "huyện", "thị xã", "thành phố", "tỉnh",
    "thủ đô", "đặc khu", "khu phố", "ấp",
)

# Parts of agency names with their capitalisation per Phụ lục II NĐ 30/2020
# (first letter of the agency kind and of each word naming its function).
ORGAN_PHRASES = (
    "Ủy ban nhân dân", "Hội đồng nhân dân", "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc Việt Nam", "Đảng ủy", "Đảng bộ", "Chi bộ", "Văn phòng", "Phòng",
    "Sở", "Ban", "Cục", "Chi cục", "Tổng cục", "Bộ", "Trung tâm", "Trường", "Đội", "Tổ",
    "Công an", "Ban Chỉ huy Quân sự", "Bộ Chỉ huy Quân sự", "Tòa án nhân dân",
    "Viện kiểm sát nhân dân", "Thanh tra", "Chi cục Thuế", "Cục Thuế", "Kho bạc Nhà nước",
    "Bảo hiểm xã hội", "Bệnh viện", "Trạm Y tế", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên",
    "Hội Cựu chiến binh", "Hội Nông dân", "Liên đoàn Lao động", "Ban Quản lý",
    "Ban điều hành", "Tư pháp", "Tư pháp - Hộ tịch", "Tài nguyên và Môi trường",
    "Quản lý đô thị", "Kinh tế", "Tài chính - Kế hoạch", "Tài chính", "Kế hoạch và Đầu tư",
    "Lao động - Thương binh và Xã hội", "Văn hóa và Thông tin", "Văn hóa - Thông tin",
    "Văn hóa, Thể thao và Du lịch", "Giáo dục và Đào tạo", "Y tế", "Nội vụ", "Xây dựng",
    "Giao thông vận tải", "Công Thương", "Thông tin và Truyền thông", "Địa chính",
    "Văn hóa - Xã hội", "Kinh tế - Hạ tầng", "Hành chính công", "Dịch vụ công",
    "Phát triển quỹ đất", "Quân sự", "Ủy ban", "Hội đồng", "Hội đồng Thi đua - Khen thưởng",
    "Cảnh sát", "Hợp tác xã", "Đại học", "Học viện", "Cao đẳng", "Viện",
    "Chính phủ", "Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Bệnh viện đa khoa",
    "Văn hóa và Thể thao", "Văn hóa - Thể thao",
    # central bodies whose names end in a word the parts above do not give ("tối cao")
    "Viện kiểm sát nhân dân tối cao", "Tòa án nhân dân tối cao", "Kiểm toán nhà nước",
    "Thanh tra Chính phủ", "Ngân hàng Nhà nước Việt Nam", "Quốc hội",
    "Ủy ban Thường vụ Quốc hội", "Văn phòng Quốc hội", "Văn phòng Chủ tịch nước",
    "Bảo hiểm xã hội Việt Nam", "Tổng cục Thuế",
)

# Agency kinds after which the next unknown word starts the function name and
# is capitalised ("Trung tâm Văn hóa...").
ORGAN_HEADS = frozenset(
    {"Văn phòng", "Phòng", "Sở", "Ban", "Cục", "Chi cục", "Tổng cục", "Bộ", "Trung tâm",
     "Trường", "Đội", "Tổ", "Ban Quản lý", "Trạm Y tế", "Bệnh viện", "Ủy ban", "Hội đồng",
     "Đại học", "Học viện", "Cao đẳng", "Viện"}
)


# Signer titles as NĐ 30/2020 writes them ("Phó Chủ tịch", "Chánh Văn phòng").
POSITIONS = (
    "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Tổng Giám đốc",
    "Trưởng phòng", "Phó Trưởng phòng", "Chánh Văn phòng", "Phó Chánh Văn phòng",
    "Trưởng ban", "Phó Trưởng ban", "Trưởng Công an", "Phó Trưởng Công an", "Bí thư",
    "Phó Bí thư", "Thư ký", "Chủ trì", "Chủ tọa", "Người lập biên bản", "Người ghi biên bản",
    "Người lập", "Hiệu trưởng", "Phó Hiệu trưởng", "Chánh Thanh tra", "Phó Chánh Thanh tra",
    "Đội trưởng", "Phó Đội trưởng", "Tổ trưởng", "Trưởng khu phố", "Trưởng trạm",
    "Chỉ huy trưởng", "Cục trưởng", "Chi cục trưởng", "Thủ trưởng cơ quan",
    "Thủ trưởng đơn vị", "Kế toán trưởng", "Công chức Tư pháp - Hộ tịch", "Ủy viên",
    "Chủ nhiệm", "Phó Chủ nhiệm", "Giám đốc Trung tâm", "Trưởng đoàn", "Người đại diện",
    "Viện trưởng", "Phó Viện trưởng", "Chánh án", "Phó Chánh án", "Bộ trưởng", "Thứ trưởng",
    "Thủ tướng", "Phó Thủ tướng", "Tổng cục trưởng", "Phó Tổng cục trưởng", "Phó Cục trưởng",
    "Phó Chi cục trưởng", "Trưởng khoa", "Phó Trưởng khoa", "Tổng Kiểm toán",
)


GAZETTEER = Path(__file__).with_name("places_vn.txt")


def _gazetteer() -> list[str]:
    """Ward, commune and district names (bench/make_gazetteer.py): HCMC's units before
    and after the 2025 merger and the country's districts, after the lists above."""
    return [line for line in GAZETTEER.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]


@dataclass(frozen=True)
class Lexicons:
    """The lexicons above, indexed once; build with :func:`lexicons`."""

    surnames: Lexicon
    syllables: Mapping[str, tuple[str, ...]] = field(repr=False)
    places: Lexicon
    units: Lexicon
    organs: Lexicon
    positions: Lexicon


def _syllable_index(words: Iterable[str]) -> Mapping[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for w in words:
        forms = index.setdefault(key(w), [])
        if w not in forms:
            forms.append(w)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def lexicons() -> Lexicons:
    """Index the built-in lexicons (cheap; callers keep the result)."""
    return Lexicons(
        surnames=Lexicon.of(SURNAMES),
        syllables=_syllable_index((*SURNAMES, *NAME_SYLLABLES)),
        places=Lexicon.of((*PLACES, *PROVINCES, *_gazetteer())),
        organs=Lexicon.of(ORGAN_PHRASES, {"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân"}),
        units=Lexicon.of(ADMIN_UNITS, {"TP": "thành phố", "Tp": "thành phố"}),
        positions=Lexicon.of(POSITIONS),
    )


LEXICONS = lexicons()  # immutable after import: Lexicon and Lexicons are frozen
_PROVINCE_NAMES = Lexicon.of(p for p in PROVINCES if " " in p)  # "Huế" alone is a word too
_SURNAME_FORMS: Mapping[str, tuple[str, ...]] = _syllable_index(SURNAMES)


# --- Casing and restoration ---------------------------------------------------

_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "|": "1", "i": "1"})


def repair_number(text: str) -> str | None:
    """Digits with OCR look-alikes fixed ("l2" -> "12", "2O24" -> "2024"), else None.

    At least one real digit is required so that a word is never turned into a number.
    """
    if not text or not any(ch.isdigit() for ch in text):
        return None
    fixed = text.translate(_DIGIT_LOOKALIKES)
    return fixed if fixed.isdigit() else None


_NUCLEI = (
    "oai|oao|oay|oeo|ieu|uoi|uou|uya|uye|uyu|yeu|uay|"
    "ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y"
)
_SYLLABLE = re.compile(
    rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?"
)


def is_syllable(folded: str) -> bool:
    """Whether a folded word can be one Vietnamese syllable ("thanh" yes, "thayh" no)."""
    return _SYLLABLE.fullmatch(folded) is not None


def restore_syllable(word: str, first: bool, lex: Lexicons = LEXICONS) -> str:
    """One name syllable in title case, with its diacritics put back when lost.

    A syllable keeps its OCR spelling when that is a known spelling of its
    folded form. Otherwise: without marks it gets the most common spelling
    ("Binh" -> "Bình"); with wrong marks the known spelling nearest in marks
    ("Vãn" -> "Văn"); and a word that cannot be a Vietnamese syllable at all
    ("Minq", "Hùtg") the nearest known syllable one edit away. An unknown but
    possible syllable is left alone. The family name may also be corrected by
    one edit ("Nguyẽn", "Nguy6n").
    """
    plain = title_word(word)
    k = key(word)
    if first:
        hit = lex.surnames.match([k], 0, fuzzy=len(k) >= 4)
        if hit is not None:  # "Định Thùy Oanh": Định is a given name, the family is Đinh
            return plain if plain in _SURNAME_FORMS.get(key(hit[1]), ()) else hit[1]
    forms = lex.syllables.get(k)
    if forms is None:
        if is_syllable(k):
            return plain  # a real syllable we do not know: trust the OCR
        forms = tuple(
            f for kk, fs in lex.syllables.items() if edit_distance(k, kk, 1) <= 1 for f in fs
        )
        return _closest_marks(plain, forms) if forms else plain
    if plain in forms:
        return plain
    return forms[0] if not has_diacritics(word) else _closest_marks(plain, forms)


def _closest_marks(word: str, forms: Sequence[str]) -> str:
    """The form whose letters and marks are nearest to ``word`` (first on a tie)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return min(
        forms, key=lambda f: edit_distance(decomposed, unicodedata.normalize("NFD", f.lower()), 9)
    )


def restore_name(text: str, lex: Lexicons = LEXICONS) -> str:
    """A person's name in title case with diacritics restored where evident."""
    words = [t.text for t in tokenize(text)]
    return " ".join(restore_syllable(w, i == 0, lex) for i, w in enumerate(words))


def _separator(text: str, prev: Token | None, tok: Token) -> str:
    between = text[prev.end if prev else 0 : tok.start]
    return "-" if "-" in between and prev is not None else ""


def _place(tokens: Sequence[Token], lex: Lexicons) -> str:
    """A place name: lexicon spelling where known, else title-cased OCR words."""
    keys = [t.key for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        hit = lex.places.match(keys, i)
        if hit is None:
            word = tokens[i].text
            out.append(word if is_acronym(word) else title_word(word))  # "TP. HCM"
            i += 1
        else:
            read = " ".join(title_word(t.text) for t in tokens[i : i + hit[0]])
            forms = lex.places.spellings.get(hit[1], ())
            # two places spelt alike but for their marks: the one OCR read, or nearest to it
            out.append(_closest_marks(read, forms) if forms else hit[1])
            i += hit[0]
    return " ".join(out)


def _unit_phrase(unit: str, place: Sequence[Token], lex: Lexicons) -> str:
    """Administrative unit + name, capitalised per Phụ lục II NĐ 30/2020.

    "phường Bến Nghé", but "Quận 1" / "Phường 15" (unit + numeral) and the
    special forms "Thành phố Hồ Chí Minh", "Thủ đô Hà Nội".
    """
    if not place:
        return unit.lower()
    number = repair_number(place[0].text) if len(place) == 1 else None
    if number is None and len(place) == 1 and place[0].text in ("l", "I"):
        number = "1"
    if number is not None:
        return cap_first(unit) + " " + number
    name = _place(place, lex)
    if unit.lower() in ("thành phố", "thủ đô") and name in ("Hồ Chí Minh", "Hà Nội"):
        return cap_first(unit.lower()) + " " + name
    return unit.lower() + " " + name


def _starts_part(toks: Sequence[Token], keys: Sequence[str], i: int, lex: Lexicons,
                 marked: bool) -> bool:
    """Whether an agency word or a unit word starts at ``toks[i]``, ending a place name.

    In a text OCR read with its marks, the word must be spelt as the agency word is:
    "PHƯỜNG TÂN PHONG" is the ward Tân Phong, not "Tân" + "Phòng"; "BÀN CỜ" is not "Ban".
    """
    for hit in (lex.units.match(keys, i, fuzzy=False), lex.organs.match(keys, i, fuzzy=False)):
        if hit is None:
            continue
        read = " ".join(t.text for t in toks[i : i + hit[0]])
        if not marked or read.lower() == hit[1].lower():
            return True
    return False


def _rank(hit: tuple[int, str, bool]) -> tuple[bool, int]:
    """Exact beats fuzzy, then longer beats shorter ("Phòng" is not "phường")."""
    return hit[2], hit[0]


_SPACED_HEADS = ("Ủy ban nhân dân", "Hội đồng nhân dân")


def respace_head(text: str) -> str:
    """Put back a council's name where OCR moved a space inside it or misread one
    letter of it: "ỦY BANN HÂN DÂN QUẬN 1", "ỦV BAN NHÂN DÂN QUẬN 1" -> "ỦY BAN NHÂN
    DÂN QUẬN 1" (both names are long enough that one letter cannot make another)."""
    text = textfold.nfc(text)
    folded = textfold.fold(text)
    letters = [i for i, ch in enumerate(folded) if not ch.isspace()]
    squeezed = "".join(folded[i] for i in letters)
    for head in _SPACED_HEADS:
        want = textfold.fold(head)
        bare = want.replace(" ", "")
        if folded.lstrip().startswith(want) or len(squeezed) < len(bare):
            continue
        if sum(a != b for a, b in zip(squeezed, bare, strict=False)) > 1:
            continue
        end = letters[len(bare) - 1] + 1
        if end == len(text) or text[end].isspace():
            return head.upper() + text[end:]
    return text


def case_organ(text: str, lex: Lexicons = LEXICONS) -> str:
    """Agency name in NĐ 30 capitalisation with known words' diacritics restored.

    "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ" -> "Ủy ban nhân dân phường Bến Nghé";
    "UBND QUẬN 1" -> "Ủy ban nhân dân Quận 1";
    "PHONG TAI NGUYEN VA MOI TRUONG" -> "Phòng Tài nguyên và Môi trường";
    "ỦY BANN HÂN DÂN QUẬN 1" -> "Ủy ban nhân dân Quận 1".
    """
    text = respace_head(text)
    toks = tokenize(text)
    keys = [t.key for t in toks]
    marked = has_diacritics(text)
    parts: list[str] = []
    after_head = named = False
    i = 0
    while i < len(toks):
        sep = _separator(text, toks[i - 1] if i else None, toks[i])
        if sep:
            parts.append(sep)
        unit = lex.units.match(keys, i)
        organ = lex.organs.match(keys, i)
        if unit is not None and (organ is None or _rank(unit) >= _rank(organ)):
            j = i + unit[0]
            place = lex.places.match(keys, j, fuzzy=False)  # a known place is read whole
            j += place[0] if place is not None else 0
            while j < len(toks) and not _starts_part(toks, keys, j, lex, marked):
                j += 1
            parts.append(_unit_phrase(unit[1], toks[i + unit[0] : j], lex))
            after_head, named, i = False, False, j
        elif organ is not None:
            parts.append(organ[1])
            after_head, named, i = organ[1] in ORGAN_HEADS, False, i + organ[0]
        elif (place := _PROVINCE_NAMES.match(keys, i, fuzzy=False)) is not None:
            # a province named without its unit word ("SỞ Y TẾ BẮC NINH"); only provinces:
            # ward names include everyday words ("Nhân Dân" would take "ủy ban nhân dân")
            parts.append(_place(toks[i : i + place[0]], lex))
            after_head, i = False, i + place[0]
        else:
            word = toks[i].text if is_acronym(toks[i].text) else toks[i].text.lower()
            if (after_head and lex.surnames.match([keys[i]], 0, fuzzy=False) is not None
                    and i + 1 < len(keys) and keys[i + 1] in lex.syllables):
                named = True  # "TRƯỜNG THCS NGUYỄN DU": a person's name, every word capitalised
            parts.append(cap_first(word) if after_head or named else word)
            # "TRƯỜNG THCS …", "PHÒNG QL ĐÀO TẠO": the name proper starts after the acronym
            after_head, i = after_head and is_acronym(word), i + 1
    return cap_first(" ".join(parts))


_VOWELS = frozenset("aeiouy")


def is_acronym(word: str) -> bool:
    """An abbreviation written in capitals ("CTSV", "QL", "ĐHĐL"): no Vietnamese syllable
    is spelt without a vowel, so a capitalised run of consonants keeps its capitals."""
    return len(word) >= 2 and word.isupper() and not _VOWELS & set(key(word))


def case_position(text: str, lex: Lexicons = LEXICONS) -> str | None:
    """Signer title ("PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"), or None if not a known title.

    Words after the title are cased as an agency name:
    "TRƯỞNG CÔNG AN PHƯỜNG" -> "Trưởng Công an phường".
    """
    toks = tokenize(text)
    hit = lex.positions.match([t.key for t in toks], 0)
    if hit is None:
        return None
    rest = toks[hit[0] :]
    if not rest:
        return hit[1]
    tail = case_organ(text[rest[0].start :], lex)
    if tail and tail[0].isupper() and not tail[:1].isdigit():
        first = tokenize(tail)[0].text
        if lex.units.match([key(first)], 0, fuzzy=False) is not None:
            tail = tail[0].lower() + tail[1:]
    return hit[1] + " " + tail
