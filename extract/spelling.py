"""Tone marks OCR got wrong in free text (a subject), found and, where certain, put back.

Tesseract's Vietnamese model reads "tổ chức" as "tô chức" at 93 % word confidence,
so a subject rated by its words looked certain while one mark was wrong. Two
checks that need no model:

- **Impossible syllables.** A syllable closed by p, t, c or ch carries only the sắc
  or nặng tone; "quyềt", "cầp", "bảc" cannot be Vietnamese, so the word was misread.
- **Known pairs.** Word pairs as administrative text spells them (``vi_bigrams.txt``,
  built by ``bench/make_lexicon.py`` from the project's own text). Two words whose
  marks-free form is a known pair but whose marks differ were misread; when the
  pair has one known spelling it is put back.

A subject that fails either check is never trusted: its caller caps its
confidence below the tint threshold and says why ("lexicon_repair" when a
spelling was put back, "spelling" when a misread was found but not repaired).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from extract.vntext import is_acronym, key

_WORD = re.compile(r"[^\W\d_]+")
_STOP_ENDINGS = ("p", "t", "c", "ch")
_ALLOWED_ON_STOPS = {"\u0301", "\u0323"}  # sắc, nặng
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
BIGRAMS = Path(__file__).with_name("vi_bigrams.txt")


def _tone(word: str) -> str | None:
    marks = [c for c in unicodedata.normalize("NFD", word) if c in _TONES]
    return marks[0] if marks else None


def impossible(word: str) -> bool:
    """A syllable closed by a stop consonant with a tone other than sắc or nặng."""
    lower = word.lower()
    tone = _tone(lower)
    return tone is not None and tone not in _ALLOWED_ON_STOPS and lower.endswith(_STOP_ENDINGS)


# Vietnamese spelling: onset, rime (vowel cluster with its glide), final consonant. Tone
# marks are taken off first; the vowel letters ă â ê ô ơ ư and đ stay.
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
_RIMES = " ".join((
    "a ă â e ê i y o ô ơ u ư",
    "ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu",
    "yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu",
)).split(" ")
_FINAL = "(?:ng|nh|ch|[cmnptk])?"  # k: place names of the Central Highlands (Đắk Lắk)
_SYLLABLE = re.compile(
    f"{_ONSET}(?:{'|'.join(sorted(_RIMES, key=len, reverse=True))}){_FINAL}")
_VIETNAMESE = re.compile("[ăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def _toneless(word: str) -> str:
    marks = {ord(c): None for c in _TONES}
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", word).translate(marks))


def not_vietnamese(word: str) -> bool:
    """A word with Vietnamese letters or marks that no Vietnamese syllable spells
    ("Bếên", "quyềt"): OCR misread it, whatever confidence Tesseract gave it."""
    lower = word.lower()
    if len(word) < 2 or is_acronym(word) or not _VIETNAMESE.search(lower):
        return False  # an abbreviation, a foreign word, a number: not ours to judge
    return impossible(lower) or _SYLLABLE.fullmatch(_toneless(lower)) is None


def misspelt(text: str) -> bool:
    return any(not_vietnamese(w) for w in _WORD.findall(text))


@lru_cache(maxsize=1)
def _counts() -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for line in BIGRAMS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            pair, count = line.split("\t")
            counts[pair] = int(count)
    return counts


def _count(pair: str) -> int:
    return _counts().get(pair, 0)


@lru_cache(maxsize=1)
def _pairs() -> Mapping[tuple[str, str], tuple[str, ...]]:
    """Marks-free pair -> its spellings in the lexicon, most frequent first."""
    index: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for pair, count in _counts().items():
        a, b = pair.split(" ")
        index.setdefault((key(a), key(b)), []).append((count, pair))
    return {k: tuple(p for _, p in sorted(v, reverse=True)) for k, v in index.items()}


def _respell(word: str, spelt: str) -> str:
    return spelt[:1].upper() + spelt[1:] if word[:1].isupper() else spelt


_SURE = 3  # a pair seen this often in one spelling only is taken as the right spelling


def check(text: str) -> tuple[str, str | None]:
    """(text with certain repairs, None | "lexicon_repair" | "spelling").

    A word that forms a known pair, as spelt, with either neighbour is right and is
    never changed ("gia đình chính sách": "gia đình" vouches for "đình").
    """
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    lower = [w.lower() for w in words]
    pairs = _pairs()
    spelt = [f"{a} {b}" in pairs.get((key(a), key(b)), ())
             for a, b in itertools.pairwise(lower)]
    vouched = [(i > 0 and spelt[i - 1]) or (i < len(spelt) and spelt[i])
               for i in range(len(words))]
    fixed = list(words)
    status: str | None = None
    for i in range(len(words) - 1):
        known = pairs.get((key(lower[i]), key(lower[i + 1])))
        if not known or spelt[i] or (vouched[i] and vouched[i + 1]):
            continue
        good = known[0].split(" ")
        if len(known) == 1 and _count(known[0]) >= _SURE:
            for j, right in ((i, good[0]), (i + 1, good[1])):
                if not vouched[j] and lower[j] != right:
                    fixed[j] = _respell(words[j], right)
                    status = "lexicon_repair"
        if status is None:
            status = "spelling"
    if status is None and any(not_vietnamese(w) for w in fixed):
        status = "spelling"
    out, last = [], 0
    for m, word in zip(matches, fixed, strict=True):
        out.append(text[last : m.start()] + word)
        last = m.end()
    out.append(text[last:])
    return "".join(out), status


_CAPITAL_L = re.compile(r"(?<=\b)([^\W\d_]+) (L[^\W\d_]+)")


def lower_capital_l(text: str) -> tuple[str, bool]:
    """"thành Lập" -> "thành lập": OCR reads a lower-case l as L in some typefaces.

    Only where the pair, in lower case, is known in that one spelling (never a name
    such as "tỉnh Lâm Đồng", whose pair is not in the lexicon). Returns the text and
    whether anything changed.
    """
    changed = False

    def lower(m: re.Match[str]) -> str:
        nonlocal changed
        prev, word = m.group(1), m.group(2)
        pair = f"{prev.lower()} {word.lower()}"
        if prev[:1].islower() and _count(pair) >= _SURE:
            changed = True
            return f"{prev} {word.lower()}"
        return m.group(0)

    return _CAPITAL_L.sub(lower, text), changed

