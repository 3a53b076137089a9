"""Scan from a SANE scanner, then capture the sheets like imported files.

The sheets are kept in a private 0700 folder under the store's temp folder
only while the scanner runs (as one multi-page TIFF, the format the capture
pipeline reads), and the folder is removed whatever happens.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PIL import TiffImagePlugin

from capture.pipeline import (
    CaptureSettings,
    DocumentOutcome,
    IngestReport,
    IngestRequest,
    ProgressCallback,
    ingest,
)
from scanning import sane
from scanning.sources import SourcePage
from store.errors import BadInput
from store.fsutil import private_tempdir
from store.session import Session


@dataclasses.dataclass(frozen=True)
class ScanRequest:
    device: str
    source: sane.Source = "flatbed"
    duplex: bool = False
    dpi: int = 300
    mode: sane.Mode = "Color"


def save_tiff(sheets: Iterable[SourcePage], path: Path,
              on_sheet: Callable[[int], None] | None = None) -> int:
    """Append each scanned page to one TIFF as it arrives; ``on_sheet(n)`` after each
    (may raise to stop).

    One page is in memory at a time (a 300-sheet colour stack would otherwise
    hold gigabytes), and each frame carries the resolution it was scanned at,
    which capture reads back to size the PDF page.
    """
    count = 0
    with TiffImagePlugin.AppendingTiffWriter(str(path), True) as tiff:
        for page in sheets:
            page.image.save(tiff, format="TIFF", compression="tiff_deflate",
                            dpi=(page.dpi, page.dpi))
            tiff.newFrame()
            page.image.close()
            count += 1
            if on_sheet is not None:
                on_sheet(count)
    return count


def scan_label(scan: ScanRequest) -> str:
    """How a scanned stack is named in reports and in the store (not its temp file)."""
    return f"scan {scan.device} {scan.source} {scan.dpi} dpi"


def scan_and_ingest(
    session: Session,
    scan: ScanRequest,
    request: IngestRequest,
    settings: CaptureSettings,
    *,
    on_sheet: Callable[[int], None] | None = None,
    on_progress: ProgressCallback | None = None,
    on_document: Callable[[DocumentOutcome], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> IngestReport:
    """Scan every sheet, then ingest them as one input (cover sheets still split it)."""
    with private_tempdir(session.temp_dir) as work:
        sheets = sane.scan(scan.device, source=scan.source, duplex=scan.duplex, dpi=scan.dpi,
                           mode=scan.mode, temp_dir=work, settings=settings.scan, env=env)
        path = work / "scan.tiff"
        if save_tiff(sheets, path, on_sheet) == 0:
            raise BadInput("The scanner returned no pages (is the feeder empty?).")
        request = dataclasses.replace(request, paths=[str(path)], label=scan_label(scan))
        return ingest(session, request, settings, on_progress=on_progress,
                      on_document=on_document)
