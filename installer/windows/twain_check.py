"""Run under Wine by wine-twain.sh: TWAIN scans from sohoa's own scanning code.

The path is the real Windows one: ``scanning.scanners`` picks TWAIN and WIA on
win32, `scanning.twain` loads the DSM (Wine's twain_32.dll), opens the test
source (twain-test-ds.c, installed as sane.ds), negotiates over GlobalAlloc'd
containers, waits for MSG_XFERREADY through the Windows message pump, and
assembles memory transfers. Each page is compared with the formula the source
draws from. One PASS/FAIL line per check; exit 1 if any failed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's code first

from PIL import Image, ImageChops

from scanning import scanners
from scanning.settings import ScanSettings

NAME = "twain:sohoa test scanner"
WIDTH, HEIGHT = 250, 180
SETTINGS = ScanSettings(scanner_timeout_seconds=30)
FAILED: list[str] = []


def _byte(pixel_type: int, bx: int, y: int, page: int, dpi: int) -> int:
    """page_byte() of twain-test-ds.c."""
    if pixel_type == 2:
        x, c = divmod(bx, 3)
        return (x + 37 * page if c == 0 else 2 * y + dpi // 10 if c == 1 else (x ^ y) + page) & 255
    if pixel_type == 1:
        return (bx + y + 50 * page) & 255
    return 0xF0 if (bx + y // 8 + page) & 1 else 0x0F


def expected(pixel_type: int, page: int, dpi: int) -> Image.Image:
    bits = {2: 24, 1: 8, 0: 1}[pixel_type]
    stride = (WIDTH * bits + 7) // 8
    raw = bytes(_byte(pixel_type, bx, y, page, dpi) for y in range(HEIGHT) for bx in range(stride))
    image = Image.frombytes({2: "RGB", 1: "L", 0: "1"}[pixel_type], (WIDTH, HEIGHT), raw)
    return image.convert("L") if pixel_type == 0 else image


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and a.mode == b.mode and ImageChops.difference(a, b).getbbox() is None


def check(name: str, fn: Callable[[], str]) -> None:
    t0 = time.monotonic()
    try:
        detail = fn()
        print(f"PASS {name} ({time.monotonic() - t0:.1f} s): {detail}", flush=True)
    except Exception as exc:  # report every check, whatever went wrong
        FAILED.append(name)
        print(f"FAIL {name} ({time.monotonic() - t0:.1f} s): {type(exc).__name__}: {exc}",
              flush=True)


def scan(**kw: object) -> list[scanners.SourcePage]:
    args: dict[str, object] = {"source": "adf", "duplex": False, "dpi": 300, "mode": "Gray"}
    args.update(kw)
    return list(scanners.scan(NAME, settings=SETTINGS, **args))  # type: ignore[arg-type]


def listing() -> str:
    found = scanners.list_devices(settings=SETTINGS)
    names = [d.name for d in found]
    assert NAME in names, f"not listed: {names}"
    return ", ".join(f"{d.name} ({d.vendor})" for d in found)


def pages_match(pages: list[scanners.SourcePage], pixel_type: int, dpi: int, count: int) -> str:
    assert len(pages) == count, f"{len(pages)} pages, want {count}"
    for page in pages:
        assert page.dpi == dpi, f"page {page.index}: {page.dpi} dpi, want {dpi}"
        assert same(page.image, expected(pixel_type, page.index, dpi)), f"page {page.index} differs"
    return f"{count} pages of {WIDTH}x{HEIGHT} at {dpi} dpi, each as the source drew it"


def feeder_duplex_grey() -> str:
    return pages_match(scan(duplex=True), 1, 300, 8)


def flatbed_colour() -> str:
    return pages_match(scan(source="flatbed", mode="Color", dpi=200), 2, 200, 1)


def lineart_nearest_dpi() -> str:
    return pages_match(scan(mode="Lineart", dpi=250), 0, 300, 4) + " (250 asked: nearest)"


def stop_early_then_again() -> str:
    pages = scanners.scan(NAME, source="adf", duplex=False, dpi=300, mode="Gray",
                          settings=SETTINGS)
    first = next(iter(pages))
    pages.close()  # type: ignore[attr-defined]
    again = scan(source="flatbed")
    assert same(first.image, expected(1, 0, 300)) and len(again) == 1
    return "closed after 1 of 4 pages; the next scan opened the source again"


def _readable(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except PermissionError:  # open without sharing: not even we may read it meanwhile
        return None


def sealed_in_the_spool() -> str:
    from capture.scan_ingest import stacked

    temp = Path(tempfile.mkdtemp(prefix="sohoa-twain-"))
    sheets = scanners.scan(NAME, source="adf", duplex=False, dpi=300, mode="Color",
                           settings=SETTINGS)
    with stacked(sheets, temp) as stack:
        back = list(stack.pages("twain"))
        raw = expected(2, 0, 300).tobytes()[: 3 * WIDTH]
        files = [p for p in temp.rglob("*") if p.is_file()]
        contents = {p: _readable(p) for p in files}
        clear = [p for p, data in contents.items() if data is not None and raw in data]
        locked = sum(data is None for data in contents.values())
        assert stack.count == 4 and not clear, f"{stack.count} sheets, in clear: {clear}"
        assert same(back[3].image, expected(2, 3, 300))
    left = [p for p in temp.rglob("*") if p.is_file()]
    assert not left, f"left behind: {left}"
    return (f"4 colour sheets sealed in the spool ({len(files)} file(s) under %TEMP%, "
            f"{locked} locked, none in clear; nothing left after)")


def wia_without_a_service() -> str:
    """Wine has no WIA Automation Library: the real comtypes error must become our sentence."""
    from scanning import wia
    from store.errors import ExternalToolError

    try:
        found = wia.list_devices()
    except ExternalToolError as exc:
        assert "Windows Image Acquisition" in str(exc), str(exc)
        return f"comtypes' COM error became: {exc}"
    return f"WIA listed {len(found)} device(s)"


def main() -> int:
    print(f"python {sys.version.split()[0]} on {sys.platform}", flush=True)
    check("twain-list", listing)
    check("twain-adf-duplex-grey", feeder_duplex_grey)
    check("twain-flatbed-colour", flatbed_colour)
    check("twain-lineart-dpi", lineart_nearest_dpi)
    check("twain-cancel", stop_early_then_again)
    check("twain-spool", sealed_in_the_spool)
    check("wia-no-service", wia_without_a_service)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
