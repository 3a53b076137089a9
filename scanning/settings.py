"""Settings for page capture and clean-up.

One frozen dataclass, passed explicitly to every function that needs it, so
that a run is reproducible from its settings alone (they are stored with each
batch) and tests can vary one knob without touching global state.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanSettings:
    """Every tunable of `scanning`; the defaults suit 150-600 dpi office scans.

    Bump ``version`` whenever a default changes in a way that changes results,
    so stored batches say which rules cleaned their pages.
    """

    version: int = 1

    # --- sources -------------------------------------------------------------
    pdf_dpi: int = 300  # rasterisation resolution for PDF pages
    default_dpi: int = 300  # used when an image carries no resolution
    max_pixels: int = 120_000_000  # larger pages are refused (decompression bombs)
    pdf_timeout_seconds: int = 120  # per Poppler call (one page)
    poppler_path: str | None = None  # folder of pdfinfo/pdftoppm (Windows bundles)

    # --- scanners ------------------------------------------------------------
    scanimage_cmd: str = "scanimage"
    scanner_timeout_seconds: float = 120.0  # max wait for one sheet
    scanner_list_timeout_seconds: float = 60.0  # device discovery can be slow (network)

    # --- clean-up ------------------------------------------------------------
    trim_borders: bool = True
    deskew: bool = True
    deskew_max_degrees: float = 10.0
    deskew_min_degrees: float = 0.2  # below this the page is left as it is (invisible)
    osd: bool = True  # ask Tesseract's orientation detector first
    osd_min_confidence: float = 3.0  # below this, OSD is cross-checked / overruled
    orientation: bool = True  # detect quarter turns at all
    tesseract_cmd: str = "tesseract"
    tesseract_lang: str = "vie"  # used for the 0-vs-180 confidence cross-check
    tesseract_timeout_seconds: float = 60.0

    # blank page: ink must be this much darker than the local paper colour
    blank_ink_contrast: float = 0.30
    blank_min_component_mm: float = 0.8  # smaller marks are speckle/dust
    blank_min_ink_mm2: float = 1.0  # less real ink than this on a page = blank
    blank_margin_mm: float = 5.0  # paper edges (shadows, punch holes) are ignored
