"""TWAIN scanning (scanning/twain.py) against a fake data source manager.

The fake is the one mock allowed here: no TWAIN DSM runs on Linux. It sits at the
ctypes function-pointer boundary (a `DSMEntryProc` made from a Python function),
so everything of ours is real: the structures and their 2-byte packing, the
capability containers in DSM-allocated memory, the TWAIN state walk, the strip
assembly of memory transfers. It behaves as TWAINDSM.dll and a TWAIN 2 source
do: DF_DSM2, DAT_ENTRYPOINT memory functions, MSG_XFERREADY by callback.
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw

from scanning import scanners, twain
from scanning.settings import ScanSettings
from scanning.twain import (
    CAP_DUPLEXENABLED,
    CAP_FEEDERENABLED,
    CAP_FEEDERLOADED,
    DAT_CALLBACK,
    DAT_IDENTITY,
    DAT_NULL,
    DAT_PARENT,
    DAT_PENDINGXFERS,
    DAT_USERINTERFACE,
    DF_DS2,
    DF_DSM2,
    DG_CONTROL,
    ICAP_PIXELFLAVOR,
    ICAP_PIXELTYPE,
    ICAP_XFERMECH,
    ICAP_XRESOLUTION,
    MSG_CLOSEDS,
    MSG_CLOSEDSM,
    MSG_DISABLEDS,
    MSG_ENABLEDS,
    MSG_ENDXFER,
    MSG_GET,
    MSG_GETCURRENT,
    MSG_GETFIRST,
    MSG_GETNEXT,
    MSG_OPENDS,
    MSG_OPENDSM,
    MSG_REGISTER_CALLBACK,
    MSG_RESET,
    MSG_SET,
    MSG_XFERREADY,
    TW_CALLBACK,
    TW_CAPABILITY,
    TW_ENTRYPOINT,
    TW_IDENTITY,
    TW_IMAGEINFO,
    TW_IMAGEMEMXFER,
    TW_ONEVALUE,
    TW_PENDINGXFERS,
    TW_SETUPMEMXFER,
    TW_STATUS,
    TWCC_BADVALUE,
    TWCC_CAPUNSUPPORTED,
    TWCC_MAXCONNECTIONS,
    TWCC_PAPERJAM,
    TWON_ENUMERATION,
    TWON_ONEVALUE,
    TWPF_VANILLA,
    TWPT_BW,
    TWPT_GRAY,
    TWPT_RGB,
    TWRC_CANCEL,
    TWRC_ENDOFLIST,
    TWRC_FAILURE,
    TWRC_SUCCESS,
    TWRC_XFERDONE,
    TWSX_MEMORY,
    TWTY_BOOL,
    TWTY_FIX32,
    TWTY_UINT16,
    DSMEntryProc,
    MemAllocateProc,
    MemHandleProc,
    MemLockProc,
)
from store.errors import BadInput, ExitCode, ExternalToolError

SETTINGS = ScanSettings(scanner_timeout_seconds=2)


def sheet(n: int, size: tuple[int, int] = (45, 31)) -> Image.Image:
    """A small colour page that differs per n (odd width: rows need padding)."""
    image = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((3 + n, 4, 20 + n, 12 + n), fill=(10 * n, 40, 200 - 10 * n))
    draw.line((0, size[1] - 1, size[0] - 1, 0), fill=(0, 0, 0))
    return image


@dataclass
class FakeSource:
    name: str
    manufacturer: str = "Canon"
    feeder: bool = True
    duplex: bool = True
    busy: bool = False


@dataclass
class FakeDSM:
    """A TWAIN 2 DSM and source in Python, behind a real ctypes function pointer."""

    pages: list[Image.Image] = field(default_factory=list)
    sources: list[FakeSource] = field(default_factory=lambda: [FakeSource("DR-C225")])
    resolutions: tuple[int, ...] = (100, 150, 200, 300, 600)
    flavor: int = 0
    loaded: bool = True
    ready: bool = True
    jam_at: int | None = None  # page index whose transfer jams half-way
    cancel_at: int | None = None
    strip_rows: int = 7
    row_align: int = 4  # BytesPerRow is padded to this
    state: int = 2
    caps: dict[int, int] = field(default_factory=dict)
    calls: list[tuple[int, int]] = field(default_factory=list)
    handles: dict[int, Any] = field(default_factory=dict)
    condition: int = 0
    opened: FakeSource | None = None
    page: int = 0
    row: int = 0
    callback: Any = None
    _keep: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.entry = DSMEntryProc(self._entry)
        self._memory = (MemAllocateProc(self._alloc), MemHandleProc(self._free),
                        MemLockProc(self._lock), MemHandleProc(lambda h: None))

    # ---- DSM memory (what DAT_ENTRYPOINT hands out)

    def _alloc(self, size: int) -> int:
        buf = ctypes.create_string_buffer(max(size, 1))
        self.handles[ctypes.addressof(buf)] = buf
        return ctypes.addressof(buf)

    def _free(self, handle: int) -> None:
        self.handles.pop(handle)

    def _lock(self, handle: int) -> int:
        return handle

    def _container(self, con_type: int, payload: bytes) -> int:
        handle = self._alloc(len(payload))
        ctypes.memmove(handle, payload, len(payload))
        return handle

    # ---- the entry point

    def _entry(self, origin: Any, dest: Any, dg: int, dat: int, msg: int, data: Any) -> int:
        self.calls.append((dat, msg))
        handler = getattr(self, f"_dat_{dat:04x}", None)
        assert handler is not None, f"unexpected DAT 0x{dat:04x}"
        rc: int = handler(msg, data, origin)
        return rc

    def fail(self, condition: int) -> int:
        self.condition = condition
        return TWRC_FAILURE

    def _dat_0004(self, msg: int, data: Any, origin: Any) -> int:  # DAT_PARENT
        if msg == MSG_OPENDSM:
            assert self.state == 2
            origin.contents.Id = 1
            origin.contents.SupportedGroups |= DF_DSM2
            self.state = 3
        else:
            assert msg == MSG_CLOSEDSM and self.state == 3, self.state
            self.state = 2
        return TWRC_SUCCESS

    def _dat_0403(self, msg: int, data: Any, origin: Any) -> int:  # DAT_ENTRYPOINT
        entry = TW_ENTRYPOINT.from_address(data)
        entry.DSM_MemAllocate, entry.DSM_MemFree, entry.DSM_MemLock, entry.DSM_MemUnlock = \
            self._memory
        return TWRC_SUCCESS

    def _dat_0003(self, msg: int, data: Any, origin: Any) -> int:  # DAT_IDENTITY
        ident = TW_IDENTITY.from_address(data)
        if msg in (MSG_GETFIRST, MSG_GETNEXT):
            self._next = 0 if msg == MSG_GETFIRST else self._next + 1
            if self._next >= len(self.sources):
                return TWRC_ENDOFLIST
            src = self.sources[self._next]
            ident.Id, ident.SupportedGroups = 10 + self._next, 3 | DF_DS2
            ident.ProductName, ident.Manufacturer = src.name.encode(), src.manufacturer.encode()
            return TWRC_SUCCESS
        if msg == MSG_OPENDS:
            assert self.state == 3
            src = next(s for s in self.sources if s.name.encode() == ident.ProductName)
            if src.busy:
                return self.fail(TWCC_MAXCONNECTIONS)
            self.opened, self.state = src, 4
            return TWRC_SUCCESS
        assert msg == MSG_CLOSEDS and self.state == 4, self.state
        self.state, self.opened = 3, None
        return TWRC_SUCCESS

    def _dat_0010(self, msg: int, data: Any, origin: Any) -> int:  # DAT_CALLBACK
        assert msg == MSG_REGISTER_CALLBACK and self.state == 4
        self.callback = DSMEntryProc(TW_CALLBACK.from_address(data).CallBackProc)
        return TWRC_SUCCESS

    def _dat_0001(self, msg: int, data: Any, origin: Any) -> int:  # DAT_CAPABILITY
        assert self.state == 4, "capabilities are negotiated in state 4"
        cap = TW_CAPABILITY.from_address(data)
        if msg == MSG_SET:
            one = TW_ONEVALUE.from_address(cap.hContainer)
            return self._set(cap.Cap, int(one.Item))
        return self._get(cap, msg)

    def _set(self, cap: int, value: int) -> int:
        assert self.opened is not None
        if cap == CAP_FEEDERENABLED and value and not self.opened.feeder:
            return self.fail(TWCC_CAPUNSUPPORTED)
        if cap == CAP_DUPLEXENABLED and value and not self.opened.duplex:
            return self.fail(TWCC_CAPUNSUPPORTED)
        if cap == ICAP_XFERMECH and value != TWSX_MEMORY:
            return self.fail(TWCC_BADVALUE)
        if cap == ICAP_XRESOLUTION and (value & 0xFFFF) not in self.resolutions:
            return self.fail(TWCC_BADVALUE)
        self.caps[cap] = value
        return TWRC_SUCCESS

    def _get(self, cap: TW_CAPABILITY, msg: int) -> int:
        if cap.Cap == ICAP_XRESOLUTION and msg == MSG_GET:
            payload = struct.pack("<HIII", TWTY_FIX32, len(self.resolutions), 0, 0) + b"".join(
                struct.pack("<hH", r, 0) for r in self.resolutions)
            cap.ConType = TWON_ENUMERATION
        elif cap.Cap == ICAP_XRESOLUTION:
            payload = struct.pack("<HhH", TWTY_FIX32, self.caps.get(ICAP_XRESOLUTION, 300), 0)
            cap.ConType = TWON_ONEVALUE
        elif cap.Cap == CAP_FEEDERLOADED and msg == MSG_GETCURRENT:
            payload, cap.ConType = struct.pack("<HI", TWTY_BOOL, int(self.loaded)), TWON_ONEVALUE
        elif cap.Cap == ICAP_PIXELFLAVOR:
            payload, cap.ConType = struct.pack("<HI", TWTY_UINT16, self.flavor), TWON_ONEVALUE
        else:
            return self.fail(TWCC_CAPUNSUPPORTED)
        cap.hContainer = self._container(cap.ConType, payload)
        return TWRC_SUCCESS

    def _dat_0009(self, msg: int, data: Any, origin: Any) -> int:  # DAT_USERINTERFACE
        if msg == MSG_ENABLEDS:
            assert self.state == 4
            self.state = 5
            if self.ready and self.callback is not None:
                self.state = 6
                self.callback(None, None, DG_CONTROL, DAT_NULL, MSG_XFERREADY, None)
            return TWRC_SUCCESS
        assert msg == MSG_DISABLEDS and self.state == 5, self.state
        self.state = 4
        return TWRC_SUCCESS

    def _pixels(self) -> tuple[bytes, int, int, int]:
        """The current page's raw rows as TWAIN sends them: (data, stride, bpp, height)."""
        image = self.pages[self.page]
        pixel_type = self.caps.get(ICAP_PIXELTYPE, TWPT_RGB)
        converted = image.convert({TWPT_RGB: "RGB", TWPT_GRAY: "L", TWPT_BW: "1"}[pixel_type])
        raw = converted.tobytes()
        if self.flavor == TWPF_VANILLA and pixel_type != TWPT_RGB:
            raw = bytes(255 - b for b in raw)
        bpp = {TWPT_RGB: 24, TWPT_GRAY: 8, TWPT_BW: 1}[pixel_type]
        return raw, (image.width * bpp + 7) // 8, bpp, image.height

    def _dat_0101(self, msg: int, data: Any, origin: Any) -> int:  # DAT_IMAGEINFO
        assert self.state == 6
        info = TW_IMAGEINFO.from_address(data)
        _raw, _stride, bpp, height = self._pixels()
        info.ImageWidth, info.ImageLength = self.pages[self.page].width, height
        info.BitsPerPixel, info.PixelType = bpp, self.caps.get(ICAP_PIXELTYPE, TWPT_RGB)
        info.XResolution.Whole = info.YResolution.Whole = self.caps.get(ICAP_XRESOLUTION, 300)
        return TWRC_SUCCESS

    def _dat_0006(self, msg: int, data: Any, origin: Any) -> int:  # DAT_SETUPMEMXFER
        setup = TW_SETUPMEMXFER.from_address(data)
        _raw, stride, _bpp, _h = self._pixels()
        padded = -(-stride // self.row_align) * self.row_align
        setup.MinBufSize = setup.Preferred = padded * self.strip_rows
        setup.MaxBufSize = padded * 1000
        return TWRC_SUCCESS

    def _dat_0103(self, msg: int, data: Any, origin: Any) -> int:  # DAT_IMAGEMEMXFER
        assert self.state in (6, 7)
        raw, stride, _bpp, height = self._pixels()
        if self.page == self.cancel_at:
            return TWRC_CANCEL
        if self.page == self.jam_at and self.row > 0:
            return self.fail(TWCC_PAPERJAM)
        xfer = TW_IMAGEMEMXFER.from_address(data)
        padded = -(-stride // self.row_align) * self.row_align
        rows = min(xfer.Memory.Length // padded, height - self.row)
        strip = b"".join(raw[(self.row + r) * stride:(self.row + r + 1) * stride].ljust(padded,
                         b"\xee") for r in range(rows))
        ctypes.memmove(xfer.Memory.TheMem, strip, len(strip))
        xfer.BytesPerRow, xfer.Columns, xfer.Rows = padded, self.pages[self.page].width, rows
        xfer.YOffset, xfer.BytesWritten = self.row, len(strip)
        self.row += rows
        self.state = 7
        return TWRC_XFERDONE if self.row >= height else TWRC_SUCCESS

    def _dat_0005(self, msg: int, data: Any, origin: Any) -> int:  # DAT_PENDINGXFERS
        pending = TW_PENDINGXFERS.from_address(data)
        if msg == MSG_ENDXFER:
            assert self.state == 7, self.state
            self.page, self.row = self.page + 1, 0
            pending.Count = len(self.pages) - self.page
        else:
            assert msg == MSG_RESET and self.state == 6, self.state
            pending.Count = 0
        self.state = 6 if pending.Count else 5
        return TWRC_SUCCESS

    def _dat_0008(self, msg: int, data: Any, origin: Any) -> int:  # DAT_STATUS
        TW_STATUS.from_address(data).ConditionCode = self.condition
        self.condition = 0
        return TWRC_SUCCESS


def run(dsm: FakeDSM, **kw: Any) -> list[Any]:
    args: dict[str, Any] = {"source": "adf", "duplex": False, "dpi": 300, "mode": "Color"}
    args.update(kw)
    return list(twain.scan("twain:DR-C225", settings=SETTINGS, dsm=dsm.entry, **args))


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


# --------------------------------------------------------------------------- structures


def test_structures_have_twain_h_sizes_with_2_byte_packing() -> None:
    """Sizes from twain.h on 64-bit Windows (#pragma pack(2)); a wrong one corrupts memory."""
    assert ctypes.sizeof(TW_IDENTITY) == 156
    assert ctypes.sizeof(TW_CAPABILITY) == 12
    assert ctypes.sizeof(TW_ONEVALUE) == 6
    assert ctypes.sizeof(TW_IMAGEMEMXFER) == 42
    assert ctypes.sizeof(TW_IMAGEINFO) == 42
    assert ctypes.sizeof(TW_PENDINGXFERS) == 6
    assert twain.TW_USERINTERFACE.hParent.offset == 4


def test_fix32_and_containers_decode() -> None:
    assert twain.fix32(300) == 300
    assert twain.fix32(150.5) == 150 | (0x8000 << 16)
    one = struct.pack("<HI", TWTY_FIX32, twain.fix32(200.25))
    assert twain.read_container(TWON_ONEVALUE, one) == (200.25, [], None)
    rng = struct.pack("<H5I", TWTY_FIX32, *(twain.fix32(v) for v in (50, 1200, 1, 300, 600)))
    assert twain.read_container(twain.TWON_RANGE, rng) == (600.0, [], (50.0, 1200.0))
    enum = struct.pack("<HIII3H", TWTY_UINT16, 3, 2, 0, 0, 1, 2)
    assert twain.read_container(TWON_ENUMERATION, enum) == (2.0, [0.0, 1.0, 2.0], None)


# --------------------------------------------------------------------------- listing


def test_list_devices_names_each_source_and_closes_the_dsm() -> None:
    dsm = FakeDSM(sources=[FakeSource("DR-C225"), FakeSource("ScanSnap", "Fujitsu")])
    found = twain.list_devices(dsm=dsm.entry)
    assert [(d.name, d.vendor, d.type) for d in found] == [
        ("twain:DR-C225", "Canon", "TWAIN"), ("twain:ScanSnap", "Fujitsu", "TWAIN")]
    assert dsm.state == 2


# --------------------------------------------------------------------------- scanning


def test_feeder_duplex_gives_every_side_in_order_with_the_capabilities_set() -> None:
    dsm = FakeDSM(pages=[sheet(n) for n in range(6)])
    pages = run(dsm, duplex=True)
    assert [p.index for p in pages] == list(range(6))
    assert all(same(p.image, sheet(n)) for n, p in enumerate(pages))
    assert {p.dpi for p in pages} == {300}
    assert pages[0].source == "scanner:twain:DR-C225"
    assert len({p.file_sha256 for p in pages}) == 6
    assert dsm.caps[CAP_FEEDERENABLED] == 1 and dsm.caps[CAP_DUPLEXENABLED] == 1
    assert dsm.caps[ICAP_XFERMECH] == TWSX_MEMORY and dsm.caps[ICAP_PIXELTYPE] == TWPT_RGB
    assert dsm.state == 2, "the scanner was not released"
    assert not dsm.handles, "capability containers leaked"
    assert (DAT_CALLBACK, MSG_REGISTER_CALLBACK) in dsm.calls


def test_strips_of_any_height_with_padded_rows_assemble_the_page() -> None:
    page = sheet(3, (37, 23)).convert("L")
    for rows in (1, 5, 23, 40):
        dsm = FakeDSM(pages=[page], strip_rows=rows, row_align=8)
        (got,) = run(dsm, source="flatbed", mode="Gray")
        assert got.image.mode == "L" and same(got.image, page), rows


def test_lineart_in_either_pixel_flavor_is_black_on_white() -> None:
    page = Image.new("1", (29, 11), 1)
    ImageDraw.Draw(page).rectangle((2, 2, 9, 6), fill=0)
    for flavor in (twain.TWPF_CHOCOLATE, TWPF_VANILLA):
        dsm = FakeDSM(pages=[page.convert("RGB")], flavor=flavor)
        (got,) = run(dsm, source="flatbed", mode="Lineart")
        assert got.image.mode == "L"
        assert same(got.image, page.convert("L")), flavor


def test_an_unsupported_resolution_takes_the_nearest_offered() -> None:
    dsm = FakeDSM(pages=[sheet(1)], resolutions=(200, 400, 600))
    (got,) = run(dsm, source="flatbed")
    assert got.dpi == 400 and dsm.caps[ICAP_XRESOLUTION] == 400
    assert not dsm.handles


def test_flatbed_scans_one_page_with_the_feeder_off() -> None:
    dsm = FakeDSM(pages=[sheet(1), sheet(2)])
    pages = run(dsm, source="flatbed")
    assert len(pages) == 1 and dsm.caps[CAP_FEEDERENABLED] == 0
    assert (DAT_PENDINGXFERS, MSG_RESET) in dsm.calls and dsm.state == 2


@pytest.mark.parametrize(("kw", "source", "words"), [
    ({"source": "flatbed", "duplex": True}, FakeSource("DR-C225"), "flatbed scans one side"),
    ({"source": "adf"}, FakeSource("DR-C225", feeder=False), "no document feeder"),
    ({"source": "adf", "duplex": True}, FakeSource("DR-C225", duplex=False), "both sides"),
])
def test_what_the_scanner_cannot_do_is_bad_input_and_releases_it(
        kw: dict[str, Any], source: FakeSource, words: str) -> None:
    dsm = FakeDSM(pages=[sheet(1)], sources=[source])
    with pytest.raises(BadInput, match=words):
        run(dsm, **kw)
    assert dsm.state == 2


def test_an_empty_feeder_says_so_before_scanning() -> None:
    dsm = FakeDSM(pages=[sheet(1)], loaded=False)
    with pytest.raises(ExternalToolError, match="feeder is empty") as err:
        run(dsm)
    assert err.value.exit_code == ExitCode.EXTERNAL_TOOL
    assert (DAT_USERINTERFACE, MSG_ENABLEDS) not in dsm.calls and dsm.state == 2


def test_a_paper_jam_keeps_the_pages_before_it_and_frees_the_scanner() -> None:
    dsm = FakeDSM(pages=[sheet(n) for n in range(4)], jam_at=2, strip_rows=4)
    got = []
    with pytest.raises(ExternalToolError, match="jammed in the document feeder; clear it"):
        got.extend(twain.scan("twain:DR-C225", source="adf", duplex=False, dpi=300,
                              mode="Color", settings=SETTINGS, dsm=dsm.entry))
    assert len(got) == 2
    # From state 7: end the transfer, reset the rest, disable, close the source and the DSM.
    assert dsm.calls[-5:] == [(DAT_PENDINGXFERS, MSG_ENDXFER), (DAT_PENDINGXFERS, MSG_RESET),
                              (DAT_USERINTERFACE, MSG_DISABLEDS), (DAT_IDENTITY, MSG_CLOSEDS),
                              (DAT_PARENT, MSG_CLOSEDSM)]
    assert dsm.state == 2


def test_cancel_at_the_scanner_is_a_cancel() -> None:
    dsm = FakeDSM(pages=[sheet(n) for n in range(3)], cancel_at=1)
    with pytest.raises(twain.Cancelled, match="cancelled"):
        run(dsm)
    assert dsm.state == 2


def test_stopping_early_resets_the_pending_pages() -> None:
    dsm = FakeDSM(pages=[sheet(n) for n in range(5)])
    pages = twain.scan("twain:DR-C225", source="adf", duplex=False, dpi=300, mode="Color",
                       settings=SETTINGS, dsm=dsm.entry)
    next(pages)
    pages.close()
    assert (DAT_PENDINGXFERS, MSG_RESET) in dsm.calls and dsm.state == 2
    assert dsm.page == 1


def test_a_source_that_never_gets_ready_times_out() -> None:
    dsm = FakeDSM(pages=[sheet(1)], ready=False)
    settings = ScanSettings(scanner_timeout_seconds=0.3)
    with pytest.raises(ExternalToolError, match="sent no page for 0 seconds; check it"):
        list(twain.scan("twain:DR-C225", source="flatbed", duplex=False, dpi=300,
                        mode="Color", settings=settings, dsm=dsm.entry))
    assert dsm.state == 2


def test_a_busy_or_missing_scanner_names_the_windows_remedy() -> None:
    dsm = FakeDSM(pages=[sheet(1)], sources=[FakeSource("DR-C225", busy=True)])
    with pytest.raises(ExternalToolError, match="in use by another program"):
        run(dsm)
    assert dsm.state == 2
    with pytest.raises(ExternalToolError, match="Printers & scanners"):
        list(twain.scan("twain:Nope", source="adf", duplex=False, dpi=300, mode="Color",
                        settings=SETTINGS, dsm=FakeDSM().entry))


def test_condition_codes_become_sentences_with_windows_remedies() -> None:
    for code, words in [(TWCC_PAPERJAM, "clear it"), (twain.TWCC_NODS, "reinstall"),
                        (twain.TWCC_CHECKDEVICEONLINE, "USB cable"),
                        (twain.TWCC_PAPERDOUBLEFEED, "two sheets"),
                        (twain.TWCC_INTERLOCK, "cover is open"), (77, "switch it off and on")]:
        error = twain.condition_error("DR-C225", code)
        assert words in str(error) and error.exit_code == ExitCode.EXTERNAL_TOOL
        assert "\n" not in str(error) and str(error).startswith("scanner DR-C225")


@pytest.mark.skipif(twain.sys.platform == "win32", reason="Windows has a DSM to load")
def test_without_a_dsm_the_message_says_what_to_install() -> None:
    with pytest.raises(ExternalToolError, match=r"TWAINDSM\.dll.*WIA"):
        twain.load_dsm()


# --------------------------------------------------------------------------- the platform


def test_windows_lists_twain_and_wia_and_one_failing_stack_hides_nothing() -> None:
    dsm = FakeDSM()

    def no_wia() -> Any:
        raise ExternalToolError("WIA is off")

    found = scanners.list_devices(settings=SETTINGS, platform="win32", dsm=dsm.entry,
                                  wia_manager=no_wia)
    assert [d.name for d in found] == ["twain:DR-C225"]
    assert scanners.backends("win32") == ("twain", "wia")
    assert scanners.backends("linux") == ("sane",)


def test_windows_scan_goes_to_the_stack_the_name_says() -> None:
    dsm = FakeDSM(pages=[sheet(1)])
    pages = list(scanners.scan("twain:DR-C225", source="flatbed", duplex=False, dpi=300,
                               mode="Color", settings=SETTINGS, platform="win32",
                               dsm=dsm.entry))
    assert len(pages) == 1 and same(pages[0].image, sheet(1))
    with pytest.raises(BadInput, match="sohoa devices"):
        scanners.scan("test:0", source="flatbed", duplex=False, dpi=300, mode="Color",
                      settings=SETTINGS, platform="win32")


def test_scanned_pages_reach_the_spool_sealed(tmp_path: Path) -> None:
    """A TWAIN scan into the encrypted spool: no page's pixels in clear under the temp dir."""
    from capture.scan_ingest import stacked

    page = Image.new("RGB", (64, 48), (1, 2, 3))
    ImageDraw.Draw(page).text((2, 2), "PLAINTEXT-MARK", fill=(255, 255, 255))
    dsm = FakeDSM(pages=[page, page])
    sheets = twain.scan("twain:DR-C225", source="adf", duplex=False, dpi=300, mode="Color",
                        settings=SETTINGS, dsm=dsm.entry)
    with stacked(sheets, tmp_path) as stack:
        assert stack.count == 2
        back = list(stack.pages("twain"))
        assert same(back[1].image, page)
        raw = page.tobytes()
        for path in tmp_path.rglob("*"):
            if path.is_file():
                assert raw[:96] not in path.read_bytes()


def test_the_clerk_reads_the_scanner_errors_in_vietnamese_with_the_windows_remedy() -> None:
    dsm = FakeDSM(pages=[sheet(n) for n in range(3)], jam_at=1)
    with pytest.raises(ExternalToolError) as jam:
        run(dsm)
    assert "kẹt" in jam.value.text("vi") and "quét lại" in jam.value.text("vi")
    busy = FakeDSM(pages=[sheet(1)], sources=[FakeSource("DR-C225", busy=True)])
    with pytest.raises(ExternalToolError) as in_use:
        run(busy)
    assert in_use.value.text("vi") != str(in_use.value)
    if twain.sys.platform != "win32":
        with pytest.raises(ExternalToolError) as no_dsm:
            twain.load_dsm()
        assert "TWAINDSM.dll" in no_dsm.value.text("vi")
        assert no_dsm.value.text("vi") != str(no_dsm.value)
