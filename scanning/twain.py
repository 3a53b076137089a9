"""Scanning through TWAIN (Windows): the data source manager driven with ctypes.

Why TWAIN and how: most office scanners sold in Vietnam ship a TWAIN driver,
often before (or instead of) a WIA one. We talk to the data source manager
(``TWAINDSM.dll``, the TWAIN Working Group's DSM, or Windows' old
``twain_32.dll``, which Wine also provides) through its one entry point,
``DSM_Entry``. Every call goes through `Manager.call`, so a test can put a fake
DSM behind the same ctypes function pointer (no TWAIN DSM runs on Linux).

Pages come by *memory transfer* (``DAT_IMAGEMEMXFER``): strips of raw rows in
a buffer we own, assembled into a Pillow image. Never a file transfer: a
scanned page must not touch the disk in clear (issue 12 item 2); the caller
seals each page into the encrypted spool (capture/scan_ingest.py).

The TWAIN states (spec chapter 3) are followed strictly; whatever happens,
`Manager.close` walks back from the state reached to 1, so a failed or
cancelled scan never leaves the scanner claimed.
"""

from __future__ import annotations

import ctypes
import hashlib
import struct
import sys
import time
from collections.abc import Callable, Iterator
from ctypes import POINTER, Structure, c_char, c_int16, c_int32, c_uint16, c_uint32, c_void_p
from dataclasses import dataclass, field
from typing import Any, NoReturn

from PIL import Image, ImageOps

from scanning.sane import Device, DeviceOptions, Mode, Source, _pick_dpi
from scanning.settings import ScanSettings
from scanning.sources import SourcePage
from store.errors import BadInput, ExternalToolError, SohoaError
from store.messages import say

# --------------------------------------------------------------------------- constants
# From twain.h (TWAIN 2.4); only what we use.

DG_CONTROL, DG_IMAGE = 0x1, 0x2
DF_DSM2, DF_APP2, DF_DS2 = 0x10000000, 0x20000000, 0x40000000

DAT_NULL = 0x0000
DAT_CAPABILITY = 0x0001
DAT_EVENT = 0x0002
DAT_IDENTITY = 0x0003
DAT_PARENT = 0x0004
DAT_PENDINGXFERS = 0x0005
DAT_SETUPMEMXFER = 0x0006
DAT_STATUS = 0x0008
DAT_USERINTERFACE = 0x0009
DAT_CALLBACK = 0x0010
DAT_IMAGEINFO = 0x0101
DAT_IMAGEMEMXFER = 0x0103
DAT_ENTRYPOINT = 0x0403

MSG_GET, MSG_GETCURRENT, MSG_GETFIRST, MSG_GETNEXT, MSG_SET, MSG_RESET = 1, 2, 4, 5, 6, 7
MSG_XFERREADY, MSG_CLOSEDSREQ, MSG_CLOSEDSOK = 0x101, 0x102, 0x103
MSG_OPENDSM, MSG_CLOSEDSM = 0x301, 0x302
MSG_OPENDS, MSG_CLOSEDS = 0x401, 0x402
MSG_DISABLEDS, MSG_ENABLEDS = 0x501, 0x502
MSG_PROCESSEVENT = 0x601
MSG_ENDXFER = 0x701
MSG_REGISTER_CALLBACK = 0x902

TWRC_SUCCESS, TWRC_FAILURE, TWRC_CHECKSTATUS, TWRC_CANCEL = 0, 1, 2, 3
TWRC_DSEVENT, TWRC_NOTDSEVENT, TWRC_XFERDONE, TWRC_ENDOFLIST = 4, 5, 6, 7

TWCC_SUCCESS, TWCC_BUMMER, TWCC_LOWMEMORY, TWCC_NODS, TWCC_MAXCONNECTIONS = 0, 1, 2, 3, 4
TWCC_OPERATIONERROR, TWCC_BADCAP, TWCC_BADVALUE, TWCC_SEQERROR = 5, 6, 10, 11
TWCC_CAPUNSUPPORTED, TWCC_CAPBADOPERATION, TWCC_DENIED = 13, 14, 16
TWCC_PAPERJAM, TWCC_PAPERDOUBLEFEED, TWCC_CHECKDEVICEONLINE = 20, 21, 23
TWCC_INTERLOCK, TWCC_NOMEDIA = 24, 29

CAP_XFERCOUNT = 0x0001
ICAP_COMPRESSION = 0x0100
ICAP_PIXELTYPE = 0x0101
ICAP_XFERMECH = 0x0103
CAP_FEEDERENABLED = 0x1002
CAP_FEEDERLOADED = 0x1003
CAP_AUTOFEED = 0x1007
CAP_INDICATORS = 0x100B
CAP_DUPLEXENABLED = 0x1013
ICAP_XRESOLUTION = 0x1118
ICAP_YRESOLUTION = 0x1119
ICAP_PIXELFLAVOR = 0x111F
ICAP_BITDEPTH = 0x112B

TWON_ARRAY, TWON_ENUMERATION, TWON_ONEVALUE, TWON_RANGE = 3, 4, 5, 6
TWTY_INT8, TWTY_INT16, TWTY_INT32, TWTY_UINT8, TWTY_UINT16, TWTY_UINT32 = 0, 1, 2, 3, 4, 5
TWTY_BOOL, TWTY_FIX32 = 6, 7
TWPT_BW, TWPT_GRAY, TWPT_RGB = 0, 1, 2
TWPF_CHOCOLATE, TWPF_VANILLA = 0, 1
TWSX_MEMORY = 2
TWCP_NONE = 0
TWMF_APPOWNS, TWMF_POINTER = 0x1, 0x8

_ITEM_FORMATS = {
    TWTY_INT8: "<b", TWTY_INT16: "<h", TWTY_INT32: "<i", TWTY_UINT8: "<B",
    TWTY_UINT16: "<H", TWTY_UINT32: "<I", TWTY_BOOL: "<H", TWTY_FIX32: "<hH",
}
_ITEM_SIZES = {kind: struct.calcsize(fmt) for kind, fmt in _ITEM_FORMATS.items()}
_PIXEL_TYPES: dict[str, int] = {"Color": TWPT_RGB, "Gray": TWPT_GRAY, "Lineart": TWPT_BW}

# --------------------------------------------------------------------------- structures
# twain.h packs every structure on 2 bytes on Windows (#pragma pack(2)).


class TW_VERSION(Structure):
    _pack_ = 2
    _fields_ = [("MajorNum", c_uint16), ("MinorNum", c_uint16), ("Language", c_uint16),
                ("Country", c_uint16), ("Info", c_char * 34)]


class TW_IDENTITY(Structure):
    _pack_ = 2
    _fields_ = [("Id", c_uint32), ("Version", TW_VERSION), ("ProtocolMajor", c_uint16),
                ("ProtocolMinor", c_uint16), ("SupportedGroups", c_uint32),
                ("Manufacturer", c_char * 34), ("ProductFamily", c_char * 34),
                ("ProductName", c_char * 34)]


class TW_CAPABILITY(Structure):
    _pack_ = 2
    _fields_ = [("Cap", c_uint16), ("ConType", c_uint16), ("hContainer", c_void_p)]


class TW_ONEVALUE(Structure):
    _pack_ = 2
    _fields_ = [("ItemType", c_uint16), ("Item", c_uint32)]


class TW_USERINTERFACE(Structure):
    _pack_ = 2
    _fields_ = [("ShowUI", c_uint16), ("ModalUI", c_uint16), ("hParent", c_void_p)]


class TW_PENDINGXFERS(Structure):
    _pack_ = 2
    _fields_ = [("Count", c_uint16), ("EOJ", c_uint32)]


class TW_SETUPMEMXFER(Structure):
    _pack_ = 2
    _fields_ = [("MinBufSize", c_uint32), ("MaxBufSize", c_uint32), ("Preferred", c_uint32)]


class TW_MEMORY(Structure):
    _pack_ = 2
    _fields_ = [("Flags", c_uint32), ("Length", c_uint32), ("TheMem", c_void_p)]


class TW_IMAGEMEMXFER(Structure):
    _pack_ = 2
    _fields_ = [("Compression", c_uint16), ("BytesPerRow", c_uint32), ("Columns", c_uint32),
                ("Rows", c_uint32), ("XOffset", c_uint32), ("YOffset", c_uint32),
                ("BytesWritten", c_uint32), ("Memory", TW_MEMORY)]


class TW_FIX32(Structure):
    _pack_ = 2
    _fields_ = [("Whole", c_int16), ("Frac", c_uint16)]


class TW_IMAGEINFO(Structure):
    _pack_ = 2
    _fields_ = [("XResolution", TW_FIX32), ("YResolution", TW_FIX32),
                ("ImageWidth", c_int32), ("ImageLength", c_int32),
                ("SamplesPerPixel", c_int16), ("BitsPerSample", c_int16 * 8),
                ("BitsPerPixel", c_int16), ("Planar", c_uint16), ("PixelType", c_int16),
                ("Compression", c_uint16)]


class TW_STATUS(Structure):
    _pack_ = 2
    _fields_ = [("ConditionCode", c_uint16), ("Data", c_uint16)]


class TW_EVENT(Structure):
    _pack_ = 2
    _fields_ = [("pEvent", c_void_p), ("TWMessage", c_uint16)]


class TW_CALLBACK(Structure):
    _pack_ = 2
    _fields_ = [("CallBackProc", c_void_p), ("RefCon", c_uint32), ("Message", c_int16)]


# WINAPI on Windows (stdcall on 32-bit; one convention on 64-bit); cdecl elsewhere, which
# is what a test's fake DSM uses.
_FUNCTYPE: Any
if sys.platform == "win32":
    _FUNCTYPE = ctypes.WINFUNCTYPE
else:
    _FUNCTYPE = ctypes.CFUNCTYPE
_IdentityP = POINTER(TW_IDENTITY)
DSMEntryProc = _FUNCTYPE(c_uint16, _IdentityP, _IdentityP, c_uint32, c_uint16, c_uint16, c_void_p)
MemAllocateProc = _FUNCTYPE(c_void_p, c_uint32)
MemHandleProc = _FUNCTYPE(None, c_void_p)
MemLockProc = _FUNCTYPE(c_void_p, c_void_p)


class TW_ENTRYPOINT(Structure):
    _pack_ = 2
    _fields_ = [("Size", c_uint32), ("DSM_Entry", DSMEntryProc),
                ("DSM_MemAllocate", MemAllocateProc), ("DSM_MemFree", MemHandleProc),
                ("DSM_MemLock", MemLockProc), ("DSM_MemUnlock", MemHandleProc)]


# --------------------------------------------------------------------------- errors

NO_DSM = (
    "Windows has no TWAIN data source manager (TWAINDSM.dll): install the scanner maker's "
    "64-bit TWAIN driver, or choose the scanner's WIA entry instead"
)
_CONDITIONS = {
    TWCC_LOWMEMORY: say("scanning.status_low_memory",
                        "the computer ran out of memory; close other programs and scan again"),
    TWCC_NODS: say("scanning.status_twain_driver_missing",
                   "the scanner's TWAIN driver is missing; reinstall the scanner maker's driver"),
    TWCC_MAXCONNECTIONS: say("scanning.status_in_use",
                             "the scanner is in use by another program; close it and try again"),
    TWCC_DENIED: say("scanning.status_windows_denied",
                     "Windows denied access to the scanner; sign in again or ask IT"),
    TWCC_PAPERJAM: say("scanning.status_jammed",
                       "the paper jammed in the document feeder; clear it and scan again"),
    TWCC_PAPERDOUBLEFEED: say("scanning.status_double_feed",
                              "two sheets went through the feeder together; fan the stack and "
                              "scan again"),
    TWCC_CHECKDEVICEONLINE: say("scanning.status_offline",
                                "the scanner does not answer; check that it is switched on and "
                                "its USB cable is plugged in, then look in Windows Settings > "
                                "Bluetooth & devices > Printers & scanners"),
    TWCC_INTERLOCK: say("scanning.status_cover_open",
                        "the scanner cover is open; close it and scan again"),
    TWCC_NOMEDIA: say("scanning.status_no_docs",
                      "the document feeder is empty; put the sheets in and scan again"),
}


def condition_error(device: str, condition: int) -> SohoaError:
    """A TWAIN condition code as one sentence naming what to do on Windows."""
    if condition in _CONDITIONS:
        return ExternalToolError(say("scanning.scanner_status",
                                     "scanner {device}: {status}",
                                     device=device, status=_CONDITIONS[condition]))
    return ExternalToolError(
        say("scanning.twain_condition",
            "scanner {device} failed (TWAIN condition {condition}); switch it off and on, and if "
            "it happens again reinstall the scanner maker's driver",
            device=device, condition=condition)
    )


class Cancelled(ExternalToolError):
    """The scan was cancelled at the scanner or in its driver's window."""


# --------------------------------------------------------------------------- memory


@dataclass(frozen=True)
class Memory:
    """Handle memory as the DSM wants it: its own functions (TWAIN 2) or Windows' Global*."""

    alloc: Callable[[int], int]
    free: Callable[[int], None]
    lock: Callable[[int], int]
    unlock: Callable[[int], None]


def _entrypoint_memory(entry: TW_ENTRYPOINT) -> Memory:
    return Memory(
        alloc=lambda size: int(entry.DSM_MemAllocate(size) or 0),
        free=lambda handle: entry.DSM_MemFree(handle),
        lock=lambda handle: int(entry.DSM_MemLock(handle) or 0),
        unlock=lambda handle: entry.DSM_MemUnlock(handle),
    )


def _global_memory() -> Memory:
    """kernel32's GlobalAlloc family: what a TWAIN 1.x DSM (twain_32.dll) expects."""
    if sys.platform != "win32":
        raise ExternalToolError(say("scanning.twain_needs_windows", "TWAIN memory needs Windows"))
    k32 = ctypes.WinDLL("kernel32")
    k32.GlobalAlloc.restype = c_void_p
    k32.GlobalAlloc.argtypes = [ctypes.c_uint, ctypes.c_size_t]
    k32.GlobalLock.restype = c_void_p
    k32.GlobalLock.argtypes = [c_void_p]
    k32.GlobalUnlock.argtypes = [c_void_p]
    k32.GlobalFree.argtypes = [c_void_p]
    return Memory(
        alloc=lambda size: int(k32.GlobalAlloc(0x42, size) or 0),  # GHND: movable, zeroed
        free=lambda handle: k32.GlobalFree(handle),
        lock=lambda handle: int(k32.GlobalLock(handle) or 0),
        unlock=lambda handle: k32.GlobalUnlock(handle),
    )


# --------------------------------------------------------------------------- the DSM


def load_dsm(names: tuple[str, ...] = ("TWAINDSM.dll", "twain_32.dll")) -> Any:
    """``DSM_Entry`` of the first DSM Windows can load (TWAINDSM first: it is TWAIN 2)."""
    if sys.platform != "win32":
        raise ExternalToolError(say("scanning.twain_no_dsm", NO_DSM))
    for name in names:
        try:
            dll = ctypes.WinDLL(name)
        except OSError:
            continue
        return DSMEntryProc(("DSM_Entry", dll))
    raise ExternalToolError(say("scanning.twain_no_dsm", NO_DSM))


def _app_identity() -> TW_IDENTITY:
    app = TW_IDENTITY()
    app.Version.MajorNum, app.Version.MinorNum = 1, 0
    app.Version.Language, app.Version.Country = 2, 1  # TWLG_ENGLISH, TWCY_USA
    app.Version.Info = b"sohoa"
    app.ProtocolMajor, app.ProtocolMinor = 2, 4
    app.SupportedGroups = DG_CONTROL | DG_IMAGE | DF_APP2
    app.Manufacturer = app.ProductFamily = app.ProductName = b"sohoa"
    return app


def _text(raw: bytes) -> str:
    return raw.decode("mbcs" if sys.platform == "win32" else "latin-1", errors="replace")


@dataclass
class Manager:
    """One session with the DSM: the app's identity, its state, and the open source.

    ``entry`` is ``DSM_Entry`` as a `DSMEntryProc`; ``parent`` the window handle the
    DSM wants (a message-only window of ours on Windows); ``pump`` is called while we
    wait for the source and passes Windows messages to it (TWAIN 1.x sources send
    their events through the application's message loop).
    """

    entry: Any
    parent: int = 0
    pump: Callable[[Manager], None] | None = None
    app: TW_IDENTITY = field(default_factory=_app_identity)
    source: TW_IDENTITY | None = None
    device: str = ""
    state: int = 2
    memory: Memory | None = None
    messages: list[int] = field(default_factory=list)
    _keep: list[Any] = field(default_factory=list)

    # ---- the one call

    def call(self, dg: int, dat: int, msg: int, data: Any, *, to_source: bool = True) -> int:
        """DSM_Entry(app, source or NULL, ...) -> the TWAIN return code."""
        dest = ctypes.byref(self.source) if to_source and self.source is not None else None
        pointer = None if data is None else ctypes.cast(ctypes.byref(data), c_void_p)
        return int(self.entry(ctypes.byref(self.app), dest, dg, dat, msg, pointer))

    def condition(self, *, to_source: bool = True) -> int:
        status = TW_STATUS()
        self.call(DG_CONTROL, DAT_STATUS, MSG_GET, status, to_source=to_source)
        return int(status.ConditionCode)

    def fail(self, rc: int, *, to_source: bool = True) -> NoReturn:
        """Raise the error a failed call means (the condition code says which)."""
        if rc == TWRC_CANCEL:
            raise Cancelled(say("scanning.scan_cancelled",
                                "scanner {device}: the scan was cancelled",
                                device=self.device))
        raise condition_error(self.device, self.condition(to_source=to_source))

    # ---- states 2 -> 3 -> 4

    def open(self) -> None:
        parent = c_void_p(self.parent)
        rc = self.call(DG_CONTROL, DAT_PARENT, MSG_OPENDSM, parent, to_source=False)
        if rc != TWRC_SUCCESS:
            raise ExternalToolError(say("scanning.twain_dsm_refused",
                                        "{no_dsm} (it refused to open: return code {rc})",
                                        no_dsm=say("scanning.twain_no_dsm", NO_DSM), rc=rc))
        self.state = 3
        self.memory = self._memory()

    def _memory(self) -> Memory:
        if self.app.SupportedGroups & DF_DSM2:
            entry = TW_ENTRYPOINT()
            entry.Size = ctypes.sizeof(TW_ENTRYPOINT)
            rc = self.call(DG_CONTROL, DAT_ENTRYPOINT, MSG_GET, entry, to_source=False)
            if rc == TWRC_SUCCESS:
                self._keep.append(entry)
                return _entrypoint_memory(entry)
        return _global_memory()

    def sources(self) -> list[TW_IDENTITY]:
        """Every data source the DSM knows (installed TWAIN drivers)."""
        found: list[TW_IDENTITY] = []
        msg = MSG_GETFIRST
        while True:
            ident = TW_IDENTITY()
            rc = self.call(DG_CONTROL, DAT_IDENTITY, msg, ident, to_source=False)
            if rc != TWRC_SUCCESS:
                return found
            found.append(ident)
            msg = MSG_GETNEXT

    def open_source(self, name: str) -> None:
        """Open the source whose product name is ``name`` (state 4)."""
        self.device = name
        match = [s for s in self.sources() if _text(s.ProductName) == name]
        if not match:
            raise ExternalToolError(
                say("scanning.windows_scanner_not_found",
                    "scanner {name} was not found; check that it is switched on and connected, "
                    "and that Windows lists it in Settings > Bluetooth & devices > Printers & "
                    "scanners",
                    name=name)
            )
        chosen = match[0]
        rc = self.call(DG_CONTROL, DAT_IDENTITY, MSG_OPENDS, chosen, to_source=False)
        if rc != TWRC_SUCCESS:
            self.fail(rc, to_source=False)
        self.source = chosen
        self.state = 4
        self._register_callback()

    def _register_callback(self) -> None:
        """TWAIN 2 sources announce a ready page through a callback, not a window message."""
        if not (self.app.SupportedGroups & DF_DSM2 and self.source is not None
                and self.source.SupportedGroups & DF_DS2):
            return

        def on_event(origin: Any, dest: Any, dg: int, dat: int, msg: int, data: Any) -> int:
            self.messages.append(msg)
            return TWRC_SUCCESS

        proc = DSMEntryProc(on_event)
        callback = TW_CALLBACK(ctypes.cast(proc, c_void_p), 0, 0)
        self._keep += [proc, callback]
        self.call(DG_CONTROL, DAT_CALLBACK, MSG_REGISTER_CALLBACK, callback)

    # ---- states 4 -> 5 -> 6

    def enable(self) -> None:
        ui = TW_USERINTERFACE(0, 0, c_void_p(self.parent))  # no driver window: we set it all
        rc = self.call(DG_CONTROL, DAT_USERINTERFACE, MSG_ENABLEDS, ui)
        if rc not in (TWRC_SUCCESS, TWRC_CHECKSTATUS):
            self.fail(rc)
        self.state = 5

    def wait_ready(self, timeout: float) -> None:
        """Wait for MSG_XFERREADY (state 6); the driver closing itself is a cancel."""
        deadline = time.monotonic() + timeout
        while MSG_XFERREADY not in self.messages:
            if MSG_CLOSEDSREQ in self.messages or MSG_CLOSEDSOK in self.messages:
                raise Cancelled(say("scanning.scan_cancelled",
                                    "scanner {device}: the scan was cancelled",
                                    device=self.device))
            if time.monotonic() > deadline:
                raise ExternalToolError(
                    say("scanning.scanner_paper_jam",
                        "scanner {device} sent no page for {waited:.0f} seconds; check it for a "
                        "paper jam and scan again",
                        device=self.device, waited=timeout)
                )
            if self.pump is not None:
                self.pump(self)
            time.sleep(0.01)
        self.messages.remove(MSG_XFERREADY)
        self.state = 6

    # ---- teardown: from any state back to 1

    def close(self) -> None:
        """Walk the states back down; errors here are ignored (we are leaving anyway)."""
        if self.state >= 7:
            self.call(DG_CONTROL, DAT_PENDINGXFERS, MSG_ENDXFER, TW_PENDINGXFERS())
            self.state = 6
        if self.state == 6:
            self.call(DG_CONTROL, DAT_PENDINGXFERS, MSG_RESET, TW_PENDINGXFERS())
            self.state = 5
        if self.state == 5:
            self.call(DG_CONTROL, DAT_USERINTERFACE, MSG_DISABLEDS, TW_USERINTERFACE())
            self.state = 4
        if self.state == 4 and self.source is not None:
            self.call(DG_CONTROL, DAT_IDENTITY, MSG_CLOSEDS, self.source, to_source=False)
            self.source = None
            self.state = 3
        if self.state == 3:
            self.call(DG_CONTROL, DAT_PARENT, MSG_CLOSEDSM, c_void_p(self.parent),
                      to_source=False)
            self.state = 2


# --------------------------------------------------------------------------- capabilities


def fix32(value: float) -> int:
    """A number as TW_FIX32 in the 32 bits of a TW_ONEVALUE item."""
    whole = int(value)
    frac = round((value - whole) * 65536) & 0xFFFF
    return (whole & 0xFFFF) | (frac << 16)


def _decode(kind: int, raw: bytes) -> float:
    values: tuple[int, ...] = struct.unpack(_ITEM_FORMATS[kind], raw[: _ITEM_SIZES[kind]])
    if kind == TWTY_FIX32:
        return values[0] + values[1] / 65536
    return float(values[0])


def read_container(con_type: int, data: bytes) -> tuple[float | None, list[float],
                                                        tuple[float, float] | None]:
    """(current value, allowed values, allowed range) of a capability container's bytes."""
    kind = struct.unpack_from("<H", data)[0]
    if kind not in _ITEM_FORMATS:
        return None, [], None
    size = _ITEM_SIZES[kind]
    if con_type == TWON_ONEVALUE:
        return _decode(kind, data[2:6]), [], None
    if con_type == TWON_RANGE:
        low, high, _step, _default, current = (
            _decode(kind, data[2 + 4 * i: 6 + 4 * i]) for i in range(5))
        return current, [], (low, high)
    if con_type in (TWON_ENUMERATION, TWON_ARRAY):
        count = struct.unpack_from("<I", data, 2)[0]
        current_index = struct.unpack_from("<I", data, 6)[0] if con_type == TWON_ENUMERATION \
            else 0
        start = 14 if con_type == TWON_ENUMERATION else 6
        items = [_decode(kind, data[start + i * size: start + (i + 1) * size])
                 for i in range(count)]
        chosen = items[current_index] if current_index < len(items) else None
        return chosen, items, None
    return None, [], None


_CONTAINER_HEADER = {TWON_ONEVALUE: 6, TWON_RANGE: 22, TWON_ENUMERATION: 14, TWON_ARRAY: 6}


def get_capability(mgr: Manager, cap: int, msg: int = MSG_GET) -> (
        tuple[float | None, list[float], tuple[float, float] | None] | None):
    """Ask the source about one capability; None if it does not support it."""
    request = TW_CAPABILITY(cap, 0, None)
    if mgr.call(DG_CONTROL, DAT_CAPABILITY, msg, request) != TWRC_SUCCESS:
        mgr.condition()  # clears the source's status, as the spec asks
        return None
    assert mgr.memory is not None
    handle = int(request.hContainer or 0)
    if not handle:
        return None
    try:
        address = mgr.memory.lock(handle)
        con_type = int(request.ConType)
        header = _CONTAINER_HEADER.get(con_type, 6)
        head = ctypes.string_at(address, header)
        size = _ITEM_SIZES.get(struct.unpack_from("<H", head)[0], 4)
        count = struct.unpack_from("<I", head, 2)[0] if con_type in (
            TWON_ENUMERATION, TWON_ARRAY) else 0
        return read_container(con_type, ctypes.string_at(address, header + count * size))
    finally:
        mgr.memory.unlock(handle)
        mgr.memory.free(handle)


def set_capability(mgr: Manager, cap: int, kind: int, value: int) -> int:
    """MSG_SET one value; the return code (CHECKSTATUS: the source chose a near value)."""
    assert mgr.memory is not None
    handle = mgr.memory.alloc(ctypes.sizeof(TW_ONEVALUE))
    if not handle:
        raise ExternalToolError(_CONDITIONS[TWCC_LOWMEMORY])
    try:
        one = TW_ONEVALUE.from_address(mgr.memory.lock(handle))
        one.ItemType, one.Item = kind, value & 0xFFFFFFFF
        mgr.memory.unlock(handle)
        request = TW_CAPABILITY(cap, TWON_ONEVALUE, c_void_p(handle))
        rc = mgr.call(DG_CONTROL, DAT_CAPABILITY, MSG_SET, request)
        if rc == TWRC_FAILURE:
            mgr.condition()
        return rc
    finally:
        mgr.memory.free(handle)


@dataclass(frozen=True)
class TwainPlan:
    """What was agreed with the source (recorded like sane.ScanPlan)."""

    feeder: bool
    duplex: bool
    pixel_type: int
    dpi: int


def negotiate(mgr: Manager, *, source: Source, duplex: bool, dpi: int, mode: Mode) -> TwainPlan:
    """Set transfer, feeder, duplex, pixel type and resolution, or say what cannot be."""
    if set_capability(mgr, ICAP_XFERMECH, TWTY_UINT16, TWSX_MEMORY) == TWRC_FAILURE:
        raise ExternalToolError(
            say("scanning.twain_no_memory_transfer",
                "scanner {device}'s TWAIN driver cannot hand pages over in memory; choose its WIA "
                "entry instead",
                device=mgr.device)
        )
    _negotiate_source(mgr, source, duplex)
    pixel_type = _PIXEL_TYPES[mode]
    if set_capability(mgr, ICAP_PIXELTYPE, TWTY_UINT16, pixel_type) == TWRC_FAILURE:
        raise BadInput(say("scanning.no_such_mode_plain",
                           "this scanner has no {mode} mode",
                           mode=mode))
    if pixel_type != TWPT_BW:
        set_capability(mgr, ICAP_BITDEPTH, TWTY_UINT16, 8)
    set_capability(mgr, ICAP_COMPRESSION, TWTY_UINT16, TWCP_NONE)
    set_capability(mgr, CAP_INDICATORS, TWTY_BOOL, 0)  # no progress window of the driver's
    set_capability(mgr, CAP_XFERCOUNT, TWTY_INT16, -1 if source == "adf" else 1)
    return TwainPlan(source == "adf", duplex, pixel_type, _negotiate_dpi(mgr, dpi))


def _negotiate_source(mgr: Manager, source: Source, duplex: bool) -> None:
    if source == "flatbed":
        if duplex:
            raise BadInput(
                say("scanning.flatbed_one_side",
                    "a flatbed scans one side at a time; use the document feeder for both sides")
            )
        set_capability(mgr, CAP_FEEDERENABLED, TWTY_BOOL, 0)  # a flatbed-only source: fine
        return
    if set_capability(mgr, CAP_FEEDERENABLED, TWTY_BOOL, 1) != TWRC_SUCCESS:
        raise BadInput(say("scanning.no_feeder",
                           "this scanner has no document feeder; use the flatbed"))
    set_capability(mgr, CAP_AUTOFEED, TWTY_BOOL, 1)
    if duplex and set_capability(mgr, CAP_DUPLEXENABLED, TWTY_BOOL, 1) != TWRC_SUCCESS:
        raise BadInput(say("scanning.no_duplex", "this scanner cannot scan both sides"))
    if not duplex:
        set_capability(mgr, CAP_DUPLEXENABLED, TWTY_BOOL, 0)
    loaded = get_capability(mgr, CAP_FEEDERLOADED, MSG_GETCURRENT)
    if loaded is not None and loaded[0] == 0:
        raise condition_error(mgr.device, TWCC_NOMEDIA)


def _negotiate_dpi(mgr: Manager, dpi: int) -> int:
    """The requested resolution, else the nearest the source offers; what it then reports."""
    wanted = dpi
    if set_capability(mgr, ICAP_XRESOLUTION, TWTY_FIX32, fix32(dpi)) == TWRC_FAILURE:
        offered = get_capability(mgr, ICAP_XRESOLUTION)
        if offered is not None:
            _current, values, span = offered
            options = DeviceOptions(
                resolutions=tuple(int(v) for v in values),
                resolution_range=(int(span[0]), int(span[1])) if span else None,
            )
            wanted = _pick_dpi(options, dpi)
            set_capability(mgr, ICAP_XRESOLUTION, TWTY_FIX32, fix32(wanted))
    set_capability(mgr, ICAP_YRESOLUTION, TWTY_FIX32, fix32(wanted))
    current = get_capability(mgr, ICAP_XRESOLUTION, MSG_GETCURRENT)
    if current is not None and current[0]:
        return round(current[0])
    return wanted


# --------------------------------------------------------------------------- transfers


@dataclass
class Strips:
    """The rows of one page as memory transfers deliver them (any strip size)."""

    width: int
    bits_per_pixel: int
    rows: dict[int, bytes] = field(default_factory=dict)  # first row -> packed rows

    @property
    def stride(self) -> int:
        return (self.width * self.bits_per_pixel + 7) // 8

    def add(self, y: int, n_rows: int, bytes_per_row: int, data: bytes) -> None:
        """Keep ``n_rows`` rows from a strip, dropping each row's padding."""
        stride = self.stride
        if bytes_per_row < stride:
            raise ExternalToolError(say("scanning.twain_short_rows",
                                        "the scanner sent rows shorter than the page is wide"))
        self.rows[y] = b"".join(
            data[r * bytes_per_row: r * bytes_per_row + stride] for r in range(n_rows))

    def image(self, pixel_type: int, flavor: int) -> Image.Image:
        """The page as Pillow sees it: L for black-and-white and grey, else RGB."""
        data = b"".join(self.rows[y] for y in sorted(self.rows))
        height = len(data) // self.stride if self.stride else 0
        if height == 0:
            raise ExternalToolError(say("scanning.empty_page",
                                        "the scanner delivered an empty page"))
        mode = {TWPT_BW: "1", TWPT_GRAY: "L", TWPT_RGB: "RGB"}[pixel_type]
        image = Image.frombytes(mode, (self.width, height), data[: self.stride * height])
        if pixel_type == TWPT_BW:
            image = image.convert("L")
        if flavor == TWPF_VANILLA and pixel_type != TWPT_RGB:
            image = ImageOps.invert(image)  # vanilla: 0 is the lightest, Pillow's 0 is black
        return image


_BITS = {(TWPT_BW, 1), (TWPT_GRAY, 8), (TWPT_RGB, 24)}


def _page_info(mgr: Manager) -> TW_IMAGEINFO:
    info = TW_IMAGEINFO()
    rc = mgr.call(DG_IMAGE, DAT_IMAGEINFO, MSG_GET, info)
    if rc != TWRC_SUCCESS:
        mgr.fail(rc)
    if (info.PixelType, info.BitsPerPixel) not in _BITS or info.ImageWidth <= 0:
        raise ExternalToolError(
            say("scanning.twain_image_unreadable",
                "scanner {device} sent an image we cannot read ({bits} bits, type {pixel_type}); "
                "choose colour or grey and scan again",
                device=mgr.device, bits=info.BitsPerPixel, pixel_type=info.PixelType)
        )
    return info


def _buffer_size(mgr: Manager, stride: int) -> int:
    setup = TW_SETUPMEMXFER()
    if mgr.call(DG_CONTROL, DAT_SETUPMEMXFER, MSG_GET, setup) != TWRC_SUCCESS:
        return max(stride * 64, 1 << 16)
    size = setup.Preferred or setup.MaxBufSize or setup.MinBufSize
    return max(int(size), int(setup.MinBufSize), stride, 1)


def transfer_page(mgr: Manager, flavor: int) -> tuple[Image.Image, str]:
    """One page by memory transfer (state 6 -> 7); its image and the SHA-256 of its rows."""
    info = _page_info(mgr)
    strips = Strips(int(info.ImageWidth), int(info.BitsPerPixel))
    size = _buffer_size(mgr, strips.stride)
    buffer = ctypes.create_string_buffer(size)
    try:
        while True:
            xfer = TW_IMAGEMEMXFER()
            xfer.Memory = TW_MEMORY(TWMF_APPOWNS | TWMF_POINTER, size,
                                    ctypes.cast(buffer, c_void_p))
            rc = mgr.call(DG_IMAGE, DAT_IMAGEMEMXFER, MSG_GET, xfer)
            if rc not in (TWRC_SUCCESS, TWRC_XFERDONE):
                mgr.fail(rc)
            mgr.state = 7
            if xfer.Rows:
                strips.add(int(xfer.YOffset), int(xfer.Rows), int(xfer.BytesPerRow),
                           buffer.raw[: xfer.BytesPerRow * xfer.Rows])
            if rc == TWRC_XFERDONE:
                break
    finally:
        ctypes.memset(buffer, 0, size)  # the page's pixels do not outlive their use
    image = strips.image(int(info.PixelType), flavor)
    digest = hashlib.sha256(b"".join(strips.rows[y] for y in sorted(strips.rows))).hexdigest()
    return image, digest


def end_transfer(mgr: Manager) -> int:
    """MSG_ENDXFER; how many pages the source still has (0: the feeder is empty)."""
    pending = TW_PENDINGXFERS()
    rc = mgr.call(DG_CONTROL, DAT_PENDINGXFERS, MSG_ENDXFER, pending)
    if rc != TWRC_SUCCESS:
        mgr.fail(rc)
    count = int(pending.Count)
    mgr.state = 6 if count else 5
    return count


# --------------------------------------------------------------------------- the page source


def list_devices(*, dsm: Any = None, parent: int = 0) -> list[Device]:
    """TWAIN sources Windows has drivers for (``twain:`` + product name)."""
    entry = dsm if dsm is not None else load_dsm()
    window = parent or _parent_window()
    mgr = Manager(entry, window)
    try:
        mgr.open()
        return [Device(f"twain:{_text(s.ProductName)}", _text(s.Manufacturer),
                       _text(s.ProductName), "TWAIN") for s in mgr.sources()]
    finally:
        mgr.close()
        if window != parent:
            _destroy_window(window)


def scan(
    device: Device | str,
    *,
    source: Source,
    duplex: bool,
    dpi: int,
    mode: Mode,
    settings: ScanSettings,
    dsm: Any = None,
    parent: int = 0,
) -> Iterator[SourcePage]:
    """Scan sheets through TWAIN and yield each page once it is whole, in memory.

    Flatbed: one page. Feeder: until the source has no more (duplex: front, back,
    ...). Closing the generator early resets the pending pages and frees the scanner.
    """
    name = (device.name if isinstance(device, Device) else device).removeprefix("twain:")
    entry = dsm if dsm is not None else load_dsm()
    window = parent or _parent_window()
    mgr = Manager(entry, window, pump=None if dsm is not None else _pump_messages)
    try:
        mgr.open()
        mgr.open_source(name)
        plan = negotiate(mgr, source=source, duplex=duplex, dpi=dpi, mode=mode)
        flavor_cap = get_capability(mgr, ICAP_PIXELFLAVOR, MSG_GETCURRENT)
        flavor = int(flavor_cap[0] or 0) if flavor_cap else TWPF_CHOCOLATE
        mgr.enable()
        mgr.wait_ready(settings.scanner_timeout_seconds)
        index = 0
        while True:
            image, digest = transfer_page(mgr, flavor)
            more = end_transfer(mgr)
            yield SourcePage(f"scanner:twain:{name}", index, image, plan.dpi, digest)
            index += 1
            if not more or not plan.feeder:  # a flatbed is one page, whatever it says
                break
    finally:
        mgr.close()
        if window != parent:
            _destroy_window(window)


# --------------------------------------------------------------------------- Windows messages


def _parent_window() -> int:
    """A message-only window of ours: the DSM needs one, and it must be on this thread."""
    if sys.platform != "win32":
        return 0
    user32 = ctypes.WinDLL("user32")
    user32.CreateWindowExW.restype = c_void_p
    user32.CreateWindowExW.argtypes = [ctypes.c_uint32, ctypes.c_wchar_p, ctypes.c_wchar_p,
                                       ctypes.c_uint32, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                       ctypes.c_int, c_void_p, c_void_p, c_void_p, c_void_p]
    hwnd_message = c_void_p(-3)
    return int(user32.CreateWindowExW(0, "STATIC", "sohoa-twain", 0, 0, 0, 0, 0,
                                      hwnd_message, None, None, None) or 0)


def _destroy_window(hwnd: int) -> None:
    if sys.platform == "win32" and hwnd:
        user32 = ctypes.WinDLL("user32")
        user32.DestroyWindow.argtypes = [c_void_p]
        user32.DestroyWindow(c_void_p(hwnd))


def _pump_messages(mgr: Manager) -> None:
    """Hand every waiting Windows message to the source (DAT_EVENT/MSG_PROCESSEVENT)."""
    if sys.platform != "win32":
        return
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32")
    msg = wintypes.MSG()
    while user32.PeekMessageW(ctypes.byref(msg), None, 0, 0, 1):  # PM_REMOVE
        event = TW_EVENT(ctypes.cast(ctypes.byref(msg), c_void_p), 0)
        rc = mgr.call(DG_CONTROL, DAT_EVENT, MSG_PROCESSEVENT, event)
        if rc == TWRC_DSEVENT:
            if event.TWMessage:
                mgr.messages.append(int(event.TWMessage))
            continue
        user32.TranslateMessage(ctypes.byref(msg))
        user32.DispatchMessageW(ctypes.byref(msg))
