"""A scanned stack is sealed into an encrypted spool sheet by sheet and ingested from there.

Why (issue 12 item 2): the stack used to be ``scan.tiff`` under ``DIR/tmp``, in clear until
it was stored, where a deleted file can be carved back from the disk.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
from pathlib import Path

import pytest
from PIL import Image

from capture.pipeline import CaptureSettings, IngestRequest
from capture.scan_ingest import ScanRequest, scan_and_ingest, stacked
from ocr.settings import OcrSettings
from scanning.sources import SourcePage
from tests.conftest import StoreFixture


def _sheets(n: int, mode: str = "L", dpi: int = 150) -> list[SourcePage]:
    """Distinct, seeded noise sheets (larger than a spool chunk once deflated, so that they
    reach the disk) whose order and pixels can be checked."""
    sheets = []
    for index in range(n):
        noise = random.Random(index).randbytes(300 * 400)
        image = Image.frombytes("L", (300, 400), noise)
        sheets.append(SourcePage("scanner:test:0", index, image.convert(mode), dpi, "x" * 64))
    return sheets


def _open_file_bytes(root: Path) -> list[bytes]:
    """What this process holds open under ``root``, named or not (an O_TMPFILE spool)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(str(root)):
                with open(f"/proc/self/fd/{fd}", "rb") as fh:
                    found.append(fh.read())
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_sheets_come_back_whole_and_in_order_from_a_sealed_spool(tmp_path: Path) -> None:
    originals = [s.image.copy() for s in _sheets(3, "RGB")] + [_sheets(4)[3].image.copy()]
    counted: list[int] = []
    with stacked([*_sheets(3, "RGB"), _sheets(4)[3]], tmp_path, counted.append) as stack:
        on_disk = _open_file_bytes(tmp_path)
        pages = list(stack.as_input("scan test:0").pages())
    assert counted == [1, 2, 3, 4] and stack.count == 4
    assert [p.index for p in pages] == [0, 1, 2, 3]
    assert [p.image.tobytes() for p in pages] == [o.tobytes() for o in originals]
    assert [p.image.mode for p in pages] == ["RGB", "RGB", "RGB", "L"]
    assert {p.dpi for p in pages} == {150} and {p.source for p in pages} == {"scan test:0"}
    assert {p.file_sha256 for p in pages} == {stack.sha256} and len(stack.sha256) == 64
    # the spool is there, unnamed, and holds no TIFF in clear; nothing is left by name
    assert on_disk and sum(map(len, on_disk)) > 0
    assert not any(b"II*\x00" in data for data in on_disk)
    assert list(tmp_path.iterdir()) == []


def test_the_stack_hash_names_its_content(tmp_path: Path) -> None:
    """The same sheets give the same hash (a second identical scan is a duplicate);
    other sheets, or the same in another order, do not."""
    def digest(sheets: list[SourcePage]) -> str:
        with stacked(sheets, tmp_path) as stack:
            return stack.sha256
    a, b = _sheets(2), _sheets(2)
    assert digest(a) == digest(b)
    assert digest(_sheets(2)[::-1]) != digest(_sheets(2))
    assert digest(_sheets(3)) != digest(_sheets(2))


def test_a_callback_that_raises_stops_the_stack(tmp_path: Path) -> None:
    def stop(n: int) -> None:
        if n == 2:
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt), stacked(_sheets(5), tmp_path, stop):
        pytest.fail("the block must not run")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("scanimage") is None, reason="sane-utils not installed")
def test_a_feeder_scan_is_stored_and_the_same_scan_again_is_a_duplicate(
    store: StoreFixture, tmp_path: Path
) -> None:
    conf = tmp_path / "sane.d"
    conf.mkdir()
    (conf / "dll.conf").write_text("test\n")
    (conf / "test.conf").write_text('test-picture "Color pattern"\n')
    lan = store.login("lan")
    settings = CaptureSettings(ocr=OcrSettings(workers=1), serial=True)
    reports = [scan_and_ingest(lan, ScanRequest("test:0", "adf", dpi=50, mode="Gray"),
                               IngestRequest([], "Lô quét"), settings,
                               env={"SANE_CONFIG_DIR": str(conf)}) for _ in range(2)]
    first, again = reports
    assert first.pages == 10 and len(first.stored) == 1
    assert first.stored[0].source == "scan test:0 adf 50 dpi"
    assert [o.duplicate_of for o in again.outcomes] == [first.stored[0].id]
    assert not any(lan.temp_dir.iterdir())
