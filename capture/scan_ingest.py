"""Scan from a SANE scanner, then capture the sheets like imported files.

The stack is kept as one multi-page TIFF (the format the capture pipeline
reads, opened by path) in an anonymous in-memory file (``memfd_create``,
reached as ``/proc/self/fd/N``), never on the disk: a page image written to
``DIR/tmp`` and deleted can be carved back from the raw disk (issue 12 item 2).
The memory file has no name, and vanishes with the process, even after a
kill -9. Its cost is the compressed stack in RAM while the scan is stored
(docs/security.md says what swap means for it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
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
from store.session import Session


@dataclasses.dataclass(frozen=True)
class ScanRequest:
    device: str
    source: sane.Source = "flatbed"
    duplex: bool = False
    dpi: int = 300
    mode: sane.Mode = "Color"


@dataclasses.dataclass(frozen=True)
class Stack:
    """The scanned stack: a path the pipeline can open, and how many sheets it holds."""

    path: Path
    count: int


def save_tiff(sheets: Iterable[SourcePage], path: Path,
              on_sheet: Callable[[int], None] | None = None) -> int:
    """Append each scanned page to one TIFF as it arrives; ``on_sheet(n)`` after each
    (may raise to stop).

    One page is in memory at a time (a 300-sheet colour stack would otherwise
    hold gigabytes of pixels), and each frame carries the resolution it was
    scanned at, which capture reads back to size the PDF page.
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


@contextlib.contextmanager
def stacked(sheets: Iterable[SourcePage], on_sheet: Callable[[int], None] | None = None,
            ram_dir: Path | None = None) -> Iterator[Stack]:
    """The sheets as one TIFF in memory for the length of the block.

    ``memfd_create`` where the system has it (Linux); elsewhere a file in a
    private folder on a RAM filesystem (``sane.ram_folder``), removed on exit.
    """
    if hasattr(os, "memfd_create") and ram_dir is None:
        fd = os.memfd_create("sohoa-scan", os.MFD_CLOEXEC)
        try:
            path = Path(f"/proc/self/fd/{fd}")
            yield Stack(path, save_tiff(sheets, path, on_sheet))
        finally:
            os.close(fd)
        return
    with tempfile.TemporaryDirectory(prefix="sohoa-stack-",
                                     dir=ram_dir or sane.ram_folder()) as folder:
        path = Path(folder) / "scan.tiff"
        yield Stack(path, save_tiff(sheets, path, on_sheet))


def scan_label(scan: ScanRequest) -> str:
    """How a scanned stack is named in reports and in the store (not its memory file)."""
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
    sheets = sane.scan(scan.device, source=scan.source, duplex=scan.duplex, dpi=scan.dpi,
                       mode=scan.mode, settings=settings.scan, env=env)
    with stacked(sheets, on_sheet) as stack:
        if stack.count == 0:
            raise BadInput("The scanner returned no pages (is the feeder empty?).")
        request = dataclasses.replace(request, paths=[str(stack.path)], label=scan_label(scan))
        return ingest(session, request, settings, on_progress=on_progress,
                      on_document=on_document)
