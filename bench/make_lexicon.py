"""Build extract/vi_bigrams.txt: Vietnamese word pairs as administrative text spells them.

Why: Tesseract's Vietnamese model often gets one tone mark wrong ("tô chức" for "tổ
chức") at a high word confidence, so a subject with one wrong mark looked certain.
Two words whose marks-free form is a known pair, spelt otherwise, are a misread.

The pairs come from the project's own Vietnamese text only (our sample documents,
corpus templates and the independent Writer corpus), never from the evaluation
scans. Re-run after adding text: ``.venv/bin/python bench/make_lexicon.py``.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("tests/samples_text.py", "tests/corpus/templates.py", "bench/vntext.py",
           "bench/writer_corpus/docs_spec.py")
WORD = re.compile(r"[^\W\d_]+")
MARKS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


def pairs(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in text.splitlines():
        words = [w.lower() for w in WORD.findall(line)]
        for a, b in itertools.pairwise(words):
            if MARKS.search(a + b):  # a pair with no mark tells nothing about marks
                found[f"{a} {b}"] += 1
    return found


def main() -> None:
    found: Counter[str] = Counter()
    for name in SOURCES:
        found += pairs((ROOT / name).read_text(encoding="utf-8"))
    out = ROOT / "extract" / "vi_bigrams.txt"
    lines = [f"{pair}\t{count}" for pair, count in sorted(found.items())]
    out.write_text("# built by bench/make_lexicon.py from " + ", ".join(SOURCES) + "\n"
                   + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs -> {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
