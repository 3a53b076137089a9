"""Scanning through WIA 2.0 (Windows Image Acquisition), Windows' own scanner stack.

Why WIA as well as TWAIN: every scanner Windows shows under "Printers &
scanners" has a WIA driver (Windows Update installs one for most models), while
a TWAIN driver must come from the maker and is often 32-bit only, which a 64-bit
program cannot load. We use the WIA Automation Library 2.0 (``wiaaut.dll``, in
every Windows since Vista) through comtypes' late-bound COM: ``WIA.DeviceManager``
lists and connects devices, and each ``Item.Transfer`` hands back one page as
an in-memory ``ImageFile`` whose bytes (``FileData.BinaryData``) we decode
without writing them anywhere: scanned pages must not touch the disk in clear.

Everything COM goes through the object ``manager_factory`` returns, so the
tests drive this module with a stand-in at that boundary (Wine has no working
WIA service; see docs/install-windows.md for the checklist on a real PC).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import sys
import tempfile
import types
from collections.abc import Callable, Iterator
from typing import Any

from PIL import Image

from scanning.sane import Device, DeviceOptions, Mode, Source, _pick_dpi
from scanning.settings import ScanSettings
from scanning.sources import SourcePage
from store.errors import BadInput, ExternalToolError, SohoaError
from store.messages import say

WIA_FORMAT_BMP = "{B96B3CAB-0728-11D3-9D7B-0000F81EF32E}"
SCANNER_DEVICE_TYPE = 1

# Property IDs (wiadef.h), as the Automation Library takes them: strings.
DOCUMENT_HANDLING_CAPABILITIES = "3086"
DOCUMENT_HANDLING_STATUS = "3087"
DOCUMENT_HANDLING_SELECT = "3088"
PAGES = "3096"
ITEM_NAME = "4098"
DATATYPE = "4103"
DEPTH = "4104"
XRES = "6147"
YRES = "6148"

FEEDER, FLATBED, DUPLEX, FRONT_FIRST = 0x1, 0x2, 0x4, 0x8
FEED_READY = 0x1
_DATATYPES: dict[str, tuple[int, int]] = {"Color": (3, 24), "Gray": (2, 8), "Lineart": (0, 1)}
_RANGE_SUBTYPE, _LIST_SUBTYPE = 1, 2

# HRESULTs (wiadef.h, winerror.h), unsigned.
WIA_ERROR_PAPER_JAM = 0x80210002
WIA_ERROR_PAPER_EMPTY = 0x80210003
WIA_ERROR_PAPER_PROBLEM = 0x80210004
WIA_ERROR_OFFLINE = 0x80210005
WIA_ERROR_BUSY = 0x80210006
WIA_ERROR_WARMING_UP = 0x80210007
WIA_ERROR_USER_INTERVENTION = 0x80210008
WIA_ERROR_DEVICE_COMMUNICATION = 0x8021000A
WIA_ERROR_DEVICE_LOCKED = 0x8021000D
WIA_S_NO_DEVICE_AVAILABLE = 0x80210015
WIA_ERROR_COVER_OPEN = 0x80210016
WIA_ERROR_LAMP_OFF = 0x80210017
WIA_ERROR_MULTI_FEED = 0x80210020
E_ACCESSDENIED = 0x80070005
ERROR_CANCELLED = 0x800704C7
REGDB_E_CLASSNOTREG = 0x80040154
CO_E_CLASSSTRING = 0x800401F3  # no "WIA.DeviceManager": the Automation Library is missing
ERROR_SERVICE_DISABLED = 0x80070422
ERROR_SERVICE_NOT_ACTIVE = 0x80070426

NO_SERVICE = (
    "Windows Image Acquisition is not available: in services.msc set the service "
    "'Windows Image Acquisition (WIA)' to Automatic and start it, then scan again"
)
_MESSAGES = {
    WIA_ERROR_PAPER_JAM: say("scanning.status_jammed",
                             "the paper jammed in the document feeder; clear it and scan again"),
    WIA_ERROR_PAPER_EMPTY: say("scanning.status_no_docs",
                               "the document feeder is empty; put the sheets in and scan again"),
    WIA_ERROR_PAPER_PROBLEM: say("scanning.status_paper_problem",
                                 "the feeder could not take the sheet; straighten the stack and "
                                 "scan again"),
    WIA_ERROR_OFFLINE: say("scanning.status_offline",
                           "the scanner does not answer; check that it is switched on and its "
                           "USB cable is plugged in, then look in Windows Settings > Bluetooth & "
                           "devices > Printers & scanners"),
    WIA_ERROR_BUSY: say("scanning.status_in_use",
                        "the scanner is in use by another program; close it and try again"),
    WIA_ERROR_WARMING_UP: say("scanning.status_warming_up",
                              "the scanner is warming up; wait a minute and scan again"),
    WIA_ERROR_USER_INTERVENTION: say("scanning.status_attention",
                                     "the scanner needs attention; look at its panel, then scan "
                                     "again"),
    WIA_ERROR_DEVICE_COMMUNICATION: say("scanning.status_connection_lost",
                                        "Windows lost the connection to the scanner; check the "
                                        "USB cable (not through a hub) and scan again"),
    WIA_ERROR_DEVICE_LOCKED: say("scanning.status_transport_lock",
                                 "the scanner's transport lock is on; unlock it and scan again"),
    WIA_S_NO_DEVICE_AVAILABLE: say("scanning.status_not_connected",
                                   "the scanner is not connected; plug it in, switch it on and "
                                   "choose it again"),
    WIA_ERROR_COVER_OPEN: say("scanning.status_cover_open",
                              "the scanner cover is open; close it and scan again"),
    WIA_ERROR_LAMP_OFF: say("scanning.status_lamp_off",
                            "the scanner's lamp is off; switch the scanner off and on"),
    WIA_ERROR_MULTI_FEED: say("scanning.status_double_feed",
                              "two sheets went through the feeder together; fan the stack and "
                              "scan again"),
    E_ACCESSDENIED: say("scanning.status_windows_denied",
                        "Windows denied access to the scanner; sign in again or ask IT"),
    REGDB_E_CLASSNOTREG: say("scanning.wia_no_service", NO_SERVICE),
    CO_E_CLASSSTRING: say("scanning.wia_no_service", NO_SERVICE),
    ERROR_SERVICE_DISABLED: say("scanning.wia_no_service", NO_SERVICE),
    ERROR_SERVICE_NOT_ACTIVE: say("scanning.wia_no_service", NO_SERVICE),
}


class Cancelled(ExternalToolError):
    """The scan was cancelled at the scanner."""


def hresult(exc: BaseException) -> int | None:
    """The HRESULT a COM error carries: comtypes' COMError has ``.hresult`` (args[0] in
    older comtypes); a failed COM call made through ctypes (CLSIDFromProgID) is an
    OSError with ``.winerror``."""
    code = getattr(exc, "hresult", None)
    if code is None:
        code = getattr(exc, "winerror", None)
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
    return None if code is None else int(code) & 0xFFFFFFFF


def wia_error(device: str, code: int) -> SohoaError:
    """An HRESULT as one sentence that names what to do on Windows."""
    if code == ERROR_CANCELLED:
        return Cancelled(say("scanning.scan_cancelled",
                             "scanner {device}: the scan was cancelled",
                             device=device))
    if code in _MESSAGES:
        return ExternalToolError(say("scanning.scanner_status",
                                     "scanner {device}: {status}",
                                     device=device, status=_MESSAGES[code]))
    return ExternalToolError(
        say("scanning.wia_error",
            "scanner {device} failed (WIA error 0x{code:08X}); switch it off and on, and if it "
            "happens again reinstall its driver from Windows Update or the maker",
            device=device, code=code)
    )


@contextlib.contextmanager
def _com(device: str) -> Iterator[None]:
    """COM errors become our errors; anything else (a bug) goes up unchanged."""
    try:
        yield
    except SohoaError:
        raise
    except Exception as exc:
        code = hresult(exc)
        if code is None:
            raise
        raise wia_error(device, code) from exc


# --------------------------------------------------------------------------- COM access


def _com_manager() -> Any:
    """WIA's DeviceManager through comtypes (late-bound: no type library to generate)."""
    if sys.platform != "win32":
        raise ExternalToolError(say("scanning.wia_needs_windows", "WIA scanning needs Windows"))
    try:
        import comtypes

        client = _comtypes_client()
    except ImportError as exc:  # a build without comtypes: say so, do not crash
        raise ExternalToolError(say("scanning.wia_no_service", NO_SERVICE)) from exc
    with contextlib.suppress(OSError):
        comtypes.CoInitialize()  # this thread (a GUI worker) may not have COM yet
    return client.CreateObject("WIA.DeviceManager", dynamic=True)


def _comtypes_client() -> Any:
    """``comtypes.client``, imported without leaving a folder behind.

    Why: at import it picks a folder for the wrappers it may generate, and in a frozen
    program (where its own ``comtypes.gen`` is not writable) it creates
    ``%TEMP%\\comtypes_cache\\sohoa-312``, which the Wine smoke test found left behind
    after the uninstall. Late binding never generates a wrapper, so its ``comtypes.gen``
    is given a private empty folder that is removed as soon as the import is done.
    """
    if "comtypes.client" in sys.modules:
        return sys.modules["comtypes.client"]
    import comtypes

    folder = tempfile.mkdtemp(prefix="sohoa-comtypes-")
    try:
        gen = types.ModuleType("comtypes.gen")
        gen.__path__ = [folder]
        sys.modules["comtypes.gen"] = gen
        comtypes.gen = gen
        import comtypes.client
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return comtypes.client


def _items(collection: Any) -> list[Any]:
    """A WIA collection's members (1-based, as COM collections are)."""
    return [collection.Item(i) for i in range(1, int(collection.Count) + 1)]


def _prop(owner: Any, prop_id: str) -> Any:
    """The property object, or None where the driver does not have it."""
    for prop in _items(owner.Properties):
        if str(prop.PropertyID) == prop_id or str(prop.Name) == prop_id:
            return prop
    return None


def _value(owner: Any, prop_id: str, default: Any = None) -> Any:
    prop = _prop(owner, prop_id)
    return default if prop is None else prop.Value


def _set(owner: Any, prop_id: str, value: int) -> bool:
    """Set a property if the driver has it; False when it does not."""
    prop = _prop(owner, prop_id)
    if prop is None:
        return False
    prop.Value = value
    return True


# --------------------------------------------------------------------------- the page source


def list_devices(*, manager_factory: Callable[[], Any] | None = None) -> list[Device]:
    """Scanners WIA knows (``wia:`` + WIA's device ID); cameras are left out."""
    with _com("WIA"):
        manager = (manager_factory or _com_manager)()
        return [
            Device(f"wia:{info.DeviceID}", str(_value(info, "Manufacturer", "")),
                   str(_value(info, "Name", info.DeviceID)), "WIA")
            for info in _items(manager.DeviceInfos)
            if int(info.Type) == SCANNER_DEVICE_TYPE
        ]


def _connect(manager: Any, device_id: str) -> Any:
    for info in _items(manager.DeviceInfos):
        if str(info.DeviceID) == device_id:
            return info.Connect()
    raise ExternalToolError(
        say("scanning.windows_scanner_not_found",
            "scanner {name} was not found; check that it is switched on and connected, and that "
            "Windows lists it in Settings > Bluetooth & devices > Printers & scanners",
            name=device_id)
    )


def _pick_item(device: Any, source: Source) -> Any:
    """The scan item for the source: WIA 2.0 drivers have Flatbed and Feeder children."""
    items = _items(device.Items)
    if not items:
        raise ExternalToolError(say("scanning.wia_nothing_to_scan",
                                    "the scanner's driver offers nothing to scan; reinstall it"))
    wanted = r"feed|adf|document" if source == "adf" else r"flat|platen"
    named = [i for i in items if re.search(wanted, str(_value(i, ITEM_NAME, "")), re.I)]
    return (named or items)[0]


def _select_handling(device: Any, item: Any, source: Source, duplex: bool) -> None:
    """Feeder/flatbed and duplex, on whichever object the driver put the property."""
    holder = device if _prop(device, DOCUMENT_HANDLING_SELECT) is not None else item
    capabilities = int(_value(holder, DOCUMENT_HANDLING_CAPABILITIES, FLATBED))
    if source == "flatbed":
        if duplex:
            raise BadInput(
                say("scanning.flatbed_one_side",
                    "a flatbed scans one side at a time; use the document feeder for both sides")
            )
        _set(holder, DOCUMENT_HANDLING_SELECT, FLATBED)
        return
    if not capabilities & FEEDER:
        raise BadInput(say("scanning.no_feeder",
                           "this scanner has no document feeder; use the flatbed"))
    if duplex and not capabilities & DUPLEX:
        raise BadInput(say("scanning.no_duplex", "this scanner cannot scan both sides"))
    _set(holder, DOCUMENT_HANDLING_SELECT, FEEDER | (DUPLEX | FRONT_FIRST if duplex else 0))
    _set(holder, PAGES, 1)  # one page per Transfer: we loop until the feeder is empty


def _set_dpi(item: Any, dpi: int) -> int:
    """The requested resolution, else the nearest the driver lists or allows."""
    prop = _prop(item, XRES)
    if prop is None:
        return dpi
    subtype = int(getattr(prop, "SubType", 0))
    options = DeviceOptions()
    if subtype == _RANGE_SUBTYPE:
        options = DeviceOptions(resolution_range=(int(prop.SubTypeMin), int(prop.SubTypeMax)))
    elif subtype == _LIST_SUBTYPE:
        options = DeviceOptions(resolutions=tuple(int(v) for v in _items(prop.SubTypeValues)))
    chosen = _pick_dpi(options, dpi)
    prop.Value = chosen
    _set(item, YRES, chosen)
    return chosen


def _set_mode(item: Any, mode: Mode) -> None:
    datatype, depth = _DATATYPES[mode]
    _set(item, DATATYPE, datatype)
    _set(item, DEPTH, depth)


def _decode(data: bytes) -> Image.Image:
    """A BMP from WIA as the capture wants it: L for 1-bit and grey, else RGB."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            grey = im.mode in ("1", "L") or (im.mode == "P" and _grey_palette(im))
            return im.convert("L") if grey else im.convert("RGB")
    except OSError as exc:
        raise ExternalToolError(say("scanning.scanner_page_unreadable",
                                    "the scanner delivered an unreadable page ({reason})",
                                    reason=exc)) from exc


def _grey_palette(im: Image.Image) -> bool:
    """A palette BMP (WIA's 1-bit and 8-bit pages) is grey unless a colour is in it."""
    palette = im.getpalette() or []
    triples = zip(palette[0::3], palette[1::3], palette[2::3], strict=False)
    return all(r == g == b for r, g, b in triples)


def scan(
    device: Device | str,
    *,
    source: Source,
    duplex: bool,
    dpi: int,
    mode: Mode,
    settings: ScanSettings,
    manager_factory: Callable[[], Any] | None = None,
) -> Iterator[SourcePage]:
    """Scan through WIA and yield each page as soon as WIA handed it over, in memory.

    Flatbed: one page. Feeder: one Transfer per page until WIA says the feeder
    is empty (duplex: front, back, front, back ...). ``settings`` is taken for the
    same call as the SANE source; WIA has its own timeouts.
    """
    device_id = (device.name if isinstance(device, Device) else device).removeprefix("wia:")
    label = f"scanner:wia:{device_id}"
    with _com(device_id):
        wia = _connect((manager_factory or _com_manager)(), device_id)
        item = _pick_item(wia, source)
        _select_handling(wia, item, source, duplex)
        _set_mode(item, mode)
        chosen = _set_dpi(item, dpi)
    index = 0
    while True:
        data = _transfer(item, device_id, first=index == 0, feeder=source == "adf")
        if data is None:
            return
        image = _decode(data)
        yield SourcePage(label, index, image, chosen, hashlib.sha256(data).hexdigest())
        index += 1
        if source == "flatbed":
            return


def _transfer(item: Any, device_id: str, *, first: bool, feeder: bool) -> bytes | None:
    """One page's bytes; None when the feeder ran empty after at least one page."""
    try:
        with _com(device_id):
            return bytes(item.Transfer(WIA_FORMAT_BMP).FileData.BinaryData)
    except ExternalToolError as exc:
        empty = isinstance(exc.__cause__, Exception) and \
            hresult(exc.__cause__) == WIA_ERROR_PAPER_EMPTY
        if empty and feeder and not first:
            return None
        raise
