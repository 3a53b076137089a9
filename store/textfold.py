"""Vietnamese-insensitive text folding for search.

``fold`` maps each character of NFC text to exactly one character (lower case,
no tone or vowel marks, đ -> d), so positions in folded text are positions in
the original: snippets are cut from the original text with its diacritics.
SQLite's unicode61 tokenizer strips marks but leaves đ alone, hence our own fold.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


def fold_char(ch: str) -> str:
    """One character folded: lower case, no marks, đ -> d (itself if that is not 1 char).

    The Icelandic eth (Ð, ð) folds to d too: legacy VNI/TCVN3 conversions and
    some keyboards put it where Vietnamese Đ belongs.
    """
    if ch in "đĐÐð":
        return "d"
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0] if decomposed else ch
    if unicodedata.category(base).startswith("M"):
        base = ch
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


_LUT_SIZE = 0x2000  # covers Latin, Latin Extended and the Vietnamese block (U+1EA0-1EF9)
_LUT = np.array([ord(f) if len(f := fold_char(chr(cp))) == 1 else cp
                 for cp in range(_LUT_SIZE)], dtype=np.uint32)


class _FoldTable(dict[int, str]):
    """str.translate table for short strings; characters past the LUT filled on demand."""

    def __missing__(self, codepoint: int) -> str:
        folded = fold_char(chr(codepoint))
        self[codepoint] = folded if len(folded) == 1 else chr(codepoint)
        return self[codepoint]


_TABLE = _FoldTable({cp: chr(int(v)) for cp, v in enumerate(_LUT)})
_SHORT = 256  # below this, numpy's set-up costs more than str.translate


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold NFC ``text``; ``len(fold(nfc(t))) == len(nfc(t))`` always.

    Long texts go through a numpy lookup table on their code points (5 times
    faster than ``str.translate`` on a page: search folds every hit's text);
    short ones through ``str.translate``, which has less to set up.
    """
    text = nfc(text)
    if len(text) < _SHORT:
        return text.lower() if text.isascii() else text.translate(_TABLE)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    out = points.copy()
    small = points < _LUT_SIZE
    out[small] = _LUT[points[small]]
    for i in np.flatnonzero(~small):  # rare: CJK, emoji, other scripts
        folded = fold_char(chr(int(points[i])))
        out[i] = ord(folded) if len(folded) == 1 else points[i]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


def terms(query: str) -> list[list[str]]:
    """Whitespace-separated groups of folded word tokens: ``12/QĐ-UBND`` -> [[12, qd, ubnd]]."""
    groups = []
    for chunk in query.split():
        tokens = _WORD.findall(fold(chunk))
        if tokens:
            groups.append(tokens)
    return groups


def fts_query(query: str, *, prefix_last: bool = False) -> str:
    """An FTS5 MATCH expression: each group a quoted phrase, all ANDed.

    Quoting every token means user input can never be parsed as FTS5 syntax.
    """
    groups = terms(query)
    parts = []
    for i, tokens in enumerate(groups):
        phrase = '"' + " ".join(tokens) + '"'
        if prefix_last and i == len(groups) - 1:
            phrase += "*"
        parts.append(phrase)
    return " ".join(parts)


@dataclass(frozen=True)
class Snippet:
    """A window of the original text and the [start, end) spans that matched."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def marked(self, before: str = "[", after: str = "]") -> str:
        out, pos = [], 0
        for start, end in self.spans:
            out += [self.text[pos:start], before, self.text[start:end], after]
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _hit_pattern(query: str, prefix_last: bool) -> re.Pattern[str] | None:
    """Whole query words, and the last one also as a word's beginning when the
    search was a prefix search (``ho`` marks "Hồ", not "Hòa" or "Hội")."""
    groups = terms(query)
    if not groups:
        return None
    last = groups[-1][-1] if prefix_last else None
    words = sorted({t for group in groups for t in group}, key=len, reverse=True)
    alternatives = [r"(" + "|".join(re.escape(t) for t in words) + r")\b"]
    if last is not None:
        alternatives.append(r"(" + re.escape(last) + r")\w*")
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")")


def snippet(text: str, query: str, *, width: int = 160, prefix_last: bool = False) -> Snippet:
    """Cut a window around the first hit of ``query`` in ``text``; mark every hit in it."""
    original = " ".join(nfc(text).split())
    folded = fold(original)
    pattern = _hit_pattern(query, prefix_last)
    if pattern is None:
        return Snippet(original[:width], ())
    hits = [(m.start(), m.end(), m.group(1) or m.group(2))
            for m in itertools.islice(pattern.finditer(folded), 200)]
    if not hits:
        return Snippet(original[:width], ())
    first = _best_anchor(hits, width)
    start = max(0, first - width // 3)
    if start:
        space = original.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(original), start + width)
    spans = tuple((s - start, e - start) for s, e, _ in hits if s >= start and e <= end)
    prefix = "…" if start else ""
    suffix = "…" if end < len(original) else ""
    shift = len(prefix)
    return Snippet(
        prefix + original[start:end] + suffix, tuple((s + shift, e + shift) for s, e in spans)
    )


def _best_anchor(hits: list[tuple[int, int, str]], width: int) -> int:
    """Start of the window showing the most different query words, closest together."""
    reach = width * 2 // 3
    best, best_key = hits[0][0], (0, 0)
    for i, (start, _, _) in enumerate(hits):
        seen: set[str] = set()
        span = 0
        for s, e, t in hits[i:]:
            if s - start > reach:
                break
            if t not in seen:
                seen.add(t)
                span = e - start
        key = (len(seen), -span)
        if key > best_key:
            best, best_key = start, key
    return best
