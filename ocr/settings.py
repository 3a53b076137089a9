"""Settings of the OCR stage, passed in explicitly (never read from a global).

One frozen dataclass so that a worker process receives exactly the settings
its parent used (it is pickled with each job), and so that the value stored
beside a document says how its text was produced. ``version`` is bumped when
a field's meaning changes, so stored settings can be migrated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# Page segmentation modes that produce text. 0 (OSD only) and 2 (layout
# without OCR) are refused because they would silently give empty pages.
_TEXT_PSMS = frozenset({1, 3, 4, 5, 6, 7, 8, 11, 12, 13})
ENGINES = ("auto", "library", "program")


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class OcrSettings:
    """How pages are read by Tesseract and written to PDF/A.

    ``languages`` is "vie" alone by default: measured on the synthetic NĐ 30
    corpus, "vie+eng" lets the English model win on bold lines and strips the
    diacritics from names ("Huỳnh Thị Ngọc" read as "Huynh Thi Ngoc"), lowering
    word recall by 2–4 points and doubling the time per page. Add "+eng" only
    for dossiers with English text.
    ``psm`` 3 (automatic layout) suits typed administrative pages; 1 adds
    orientation detection, useful only when the clean-up step did not rotate.
    ``doubtful_conf`` is the word confidence (0..100) under which the GUI
    highlights a word for the clerk to check.
    ``engine``: "library" reads pages inside the worker through ``tesserocr``
    (the model is loaded once per worker, the image passed in memory; its
    wheels bundle libtesseract, so Windows needs no ``tesseract.exe``);
    "program" runs the ``tesseract`` program per page; "auto" takes the
    library when it loads with the languages, else the program, and the
    program whenever ``tesseract_cmd`` names one other than the default.
    ``tessdata_dir`` is the folder of the ``.traineddata`` models for the
    library; None searches ``TESSDATA_PREFIX``, the folder beside the program
    (the Windows bundle) and the Debian/Ubuntu packages' folders.
    """

    version: int = 1
    languages: str = "vie"
    psm: int = 3
    oem: int = 1  # LSTM engine only: the legacy engine has no Vietnamese model worth using
    page_timeout_s: float = 180.0
    doubtful_conf: float = 60.0
    jpeg_quality: int = 85
    workers: int = field(default_factory=_default_workers)
    max_tasks_per_child: int = 20  # recycle workers: heap fragmentation grows page by page
    tesseract_cmd: str = "tesseract"
    engine: str = "auto"
    tessdata_dir: str | None = None

    def __post_init__(self) -> None:
        if self.psm not in _TEXT_PSMS:
            raise ValueError(f"psm {self.psm} produces no text; use one of {sorted(_TEXT_PSMS)}")
        if not self.languages or any(not part for part in self.languages.split("+")):
            raise ValueError(f"bad Tesseract language list: {self.languages!r}")
        if self.page_timeout_s <= 0:
            raise ValueError("page_timeout_s must be positive")
        if not 0 <= self.doubtful_conf <= 100:
            raise ValueError("doubtful_conf must be within 0..100")
        if not 1 <= self.jpeg_quality <= 95:
            raise ValueError("jpeg_quality must be within 1..95")
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
        if self.workers < 1 or self.max_tasks_per_child < 1:
            raise ValueError("workers and max_tasks_per_child must be at least 1")

    @property
    def language_list(self) -> tuple[str, ...]:
        """The languages as Tesseract names them, e.g. ``("vie", "eng")``."""
        return tuple(self.languages.split("+"))
