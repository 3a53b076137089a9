"""WIA scanning (scanning/wia.py) against a stand-in at the COM boundary.

Wine has no working WIA service, and no WIA runs on Linux: the stand-in plays
the WIA Automation Library's objects (DeviceManager, DeviceInfo, Device, Item,
Property, ImageFile) as comtypes' late-bound dispatch shows them: 1-based
collections with Count and Item(i), properties by ID, COM errors carrying their
HRESULT (signed, as comtypes gives it). The pages it hands over are real BMP
bytes, decoded by the real code. What this cannot show (the real driver's
property layout, the service) is in the acceptance checklist of
docs/install-windows.md.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw

from scanning import scanners, wia
from scanning.settings import ScanSettings
from store.errors import BadInput, ExitCode, ExternalToolError

SETTINGS = ScanSettings()


class COMError(Exception):
    """As comtypes' COMError: (hresult, text, details), hresult signed."""

    def __init__(self, code: int) -> None:
        signed = code - (1 << 32) if code & 0x80000000 else code
        super().__init__(signed, "error", None)
        self.hresult = signed


class Collection:
    def __init__(self, members: list[Any]) -> None:
        self.members = members

    @property
    def Count(self) -> int:
        return len(self.members)

    def Item(self, index: int) -> Any:
        assert 1 <= index <= len(self.members), "WIA collections are 1-based"
        return self.members[index - 1]


@dataclass
class Prop:
    PropertyID: int
    Name: str
    Value: Any
    SubType: int = 0
    SubTypeMin: int = 0
    SubTypeMax: int = 0
    SubTypeValues: Collection | None = None


def props(*members: Prop) -> Collection:
    return Collection(list(members))


def bmp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="BMP")
    return out.getvalue()


@dataclass
class ScanItem:
    Properties: Collection
    pages: list[Image.Image]
    fail_at: dict[int, int] = field(default_factory=dict)  # transfer number -> HRESULT
    transfers: int = 0

    def Transfer(self, format_id: str) -> Any:
        assert format_id == wia.WIA_FORMAT_BMP
        number, self.transfers = self.transfers, self.transfers + 1
        if number in self.fail_at:
            raise COMError(self.fail_at[number])
        if number >= len(self.pages):
            raise COMError(wia.WIA_ERROR_PAPER_EMPTY)
        data = bmp(self.pages[number])
        return type("ImageFile", (), {"FileData": type("Vector", (), {
            "BinaryData": tuple(data)})()})()


@dataclass
class Scanner:
    Properties: Collection
    Items: Collection


@dataclass
class DeviceInfo:
    DeviceID: str
    Type: int
    Properties: Collection
    device: Scanner | None = None

    def Connect(self) -> Scanner:
        assert self.device is not None
        return self.device


def value(owner: Any, prop_id: str) -> Any:
    return next(p.Value for p in owner.Properties.members if str(p.PropertyID) == prop_id)


def page(n: int, mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (41, 29), (250, 250, 245))
    ImageDraw.Draw(image).rectangle((2 + n, 3, 15 + n, 20), fill=(20 * n, 60, 90))
    return image.convert(mode)


def make(pages: list[Image.Image], *, handling: int = wia.FEEDER | wia.DUPLEX | wia.FLATBED,
         dpi_prop: Prop | None = None, fail_at: dict[int, int] | None = None
         ) -> tuple[Any, Scanner, ScanItem]:
    """A DeviceManager with one scanner (WIA 2.0 layout: Flatbed and Feeder items)
    and one camera."""
    def item(name: str) -> ScanItem:
        return ScanItem(props(
            Prop(4098, "Item Name", name),
            dpi_prop or Prop(6147, "Horizontal Resolution", 150, 1, 75, 1200),
            Prop(6148, "Vertical Resolution", 150), Prop(4103, "Data Type", 3),
            Prop(4104, "Bits Per Pixel", 24)), list(pages), dict(fail_at or {}))

    flatbed, feeder = item("Flatbed"), item("Feeder")
    device = Scanner(props(Prop(3086, "Document Handling Capabilities", handling),
                           Prop(3087, "Document Handling Status", wia.FEED_READY),
                           Prop(3088, "Document Handling Select", wia.FLATBED),
                           Prop(3096, "Pages", 0)), Collection([flatbed, feeder]))
    infos = [
        DeviceInfo("{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001", 1,
                   props(Prop(7, "Name", "Canon DR-C225"), Prop(3, "Manufacturer", "Canon")),
                   device),
        DeviceInfo("{cam}\\0002", 2, props(Prop(7, "Name", "Webcam"))),
    ]
    manager = type("DeviceManager", (), {"DeviceInfos": Collection(infos)})()
    return manager, device, feeder


DEVICE = "wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\\0001"


def scan(manager: Any, **kw: Any) -> list[Any]:
    args: dict[str, Any] = {"source": "adf", "duplex": False, "dpi": 300, "mode": "Color"}
    args.update(kw)
    return list(wia.scan(DEVICE, settings=SETTINGS, manager_factory=lambda: manager, **args))


def same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def test_only_scanners_are_listed_named_by_their_wia_id() -> None:
    manager, _device, _feeder = make([])
    found = wia.list_devices(manager_factory=lambda: manager)
    assert [(d.name, d.vendor, d.model, d.type) for d in found] == [
        (DEVICE, "Canon", "Canon DR-C225", "WIA")]


def test_feeder_duplex_scans_until_the_feeder_is_empty() -> None:
    sides = [page(n) for n in range(4)]
    manager, device, feeder = make(sides)
    got = scan(manager, duplex=True)
    assert [p.index for p in got] == [0, 1, 2, 3]
    assert all(same(p.image, s) for p, s in zip(got, sides, strict=True))
    assert value(device, "3088") == wia.FEEDER | wia.DUPLEX | wia.FRONT_FIRST
    assert value(device, "3096") == 1
    assert value(feeder, "6147") == 300 and value(feeder, "6148") == 300
    assert got[0].dpi == 300 and got[0].source == f"scanner:{DEVICE}"
    assert feeder.transfers == 5  # the fifth said "feeder empty": the normal end


def test_flatbed_scans_one_page_from_the_flatbed_item() -> None:
    manager, device, feeder = make([page(1), page(2)])
    got = scan(manager, source="flatbed")
    assert len(got) == 1 and value(device, "3088") == wia.FLATBED
    assert feeder.transfers == 0


def test_grey_and_lineart_set_the_data_type_and_arrive_as_l() -> None:
    for mode, datatype, depth in (("Gray", 2, 8), ("Lineart", 0, 1)):
        sides = [page(1, "L" if mode == "Gray" else "1")]
        manager, _device, feeder = make(sides)
        (got,) = scan(manager, source="adf", mode=mode)
        assert (value(feeder, "4103"), value(feeder, "4104")) == (datatype, depth)
        assert got.image.mode == "L" and same(got.image, sides[0].convert("L"))


@pytest.mark.parametrize(("prop", "want"), [
    (Prop(6147, "Horizontal Resolution", 150, 2,
          SubTypeValues=Collection([100, 200, 600])), 200),
    (Prop(6147, "Horizontal Resolution", 150, 1, 75, 250), 250),
])
def test_resolution_is_the_nearest_the_driver_allows(prop: Prop, want: int) -> None:
    manager, _device, feeder = make([page(1)], dpi_prop=prop)
    (got,) = scan(manager)
    assert got.dpi == want and value(feeder, "6147") == want


@pytest.mark.parametrize(("handling", "kw", "words"), [
    (wia.FLATBED, {"source": "adf"}, "no document feeder"),
    (wia.FLATBED | wia.FEEDER, {"source": "adf", "duplex": True}, "both sides"),
    (wia.FLATBED | wia.FEEDER, {"source": "flatbed", "duplex": True}, "one side at a time"),
])
def test_what_the_scanner_cannot_do_is_bad_input(handling: int, kw: dict[str, Any],
                                                 words: str) -> None:
    manager, _device, _feeder = make([page(1)], handling=handling)
    with pytest.raises(BadInput, match=words):
        scan(manager, **kw)


def test_an_empty_feeder_at_the_first_page_is_an_error() -> None:
    manager, _device, _feeder = make([])
    with pytest.raises(ExternalToolError, match="feeder is empty; put the sheets in") as err:
        scan(manager)
    assert err.value.exit_code == ExitCode.EXTERNAL_TOOL


def test_a_jam_after_pages_stops_with_the_pages_before_it() -> None:
    manager, _device, _feeder = make([page(n) for n in range(5)],
                                     fail_at={2: wia.WIA_ERROR_PAPER_JAM})
    got: list[Any] = []
    with pytest.raises(ExternalToolError, match="jammed in the document feeder; clear it"):
        got.extend(wia.scan(DEVICE, source="adf", duplex=False, dpi=300, mode="Color",
                            settings=SETTINGS, manager_factory=lambda: manager))
    assert len(got) == 2


def test_cancel_and_unplugged_and_service_errors_name_windows_remedies() -> None:
    for code, kind, words in [
        (wia.ERROR_CANCELLED, wia.Cancelled, "cancelled"),
        (wia.WIA_S_NO_DEVICE_AVAILABLE, ExternalToolError, "plug it in"),
        (wia.WIA_ERROR_OFFLINE, ExternalToolError, "Printers & scanners"),
        (wia.REGDB_E_CLASSNOTREG, ExternalToolError, "services.msc"),
        (wia.WIA_ERROR_BUSY, ExternalToolError, "another program"),
        (0x80004005, ExternalToolError, "0x80004005"),
    ]:
        manager, _device, _feeder = make([page(1)], fail_at={0: code})
        with pytest.raises(kind, match=words):
            scan(manager)


def test_a_stopped_wia_service_when_listing_is_one_sentence() -> None:
    def no_service() -> Any:
        raise COMError(wia.ERROR_SERVICE_DISABLED)

    with pytest.raises(ExternalToolError, match="Windows Image Acquisition"):
        wia.list_devices(manager_factory=no_service)


def test_no_automation_library_as_ctypes_reports_it_is_one_sentence() -> None:
    """comtypes looks the ProgID up through ctypes: that failure is an OSError with .winerror."""
    class WindowsError(OSError):  # as ctypes.WinError makes it on Windows
        winerror = wia.CO_E_CLASSSTRING - (1 << 32)

    def no_library() -> Any:
        raise WindowsError(None, "Invalid class string")

    with pytest.raises(ExternalToolError, match=r"services\.msc"):
        wia.list_devices(manager_factory=no_library)


def test_a_bug_is_not_dressed_up_as_a_scanner_error() -> None:
    def broken() -> Any:
        raise AttributeError("DeviceInfos")

    with pytest.raises(AttributeError):
        wia.list_devices(manager_factory=broken)


def test_an_unknown_device_says_where_windows_lists_scanners() -> None:
    manager, _device, _feeder = make([page(1)])
    with pytest.raises(ExternalToolError, match="Printers & scanners"):
        list(wia.scan("wia:{gone}", source="adf", duplex=False, dpi=300, mode="Color",
                      settings=SETTINGS, manager_factory=lambda: manager))


def test_windows_lists_wia_beside_twain_and_scans_through_it() -> None:
    manager, _device, _feeder = make([page(1)])

    from scanning import twain

    fake_dsm = twain.DSMEntryProc(lambda *a: twain.TWRC_FAILURE)  # a DSM that will not open
    found = scanners.list_devices(settings=SETTINGS, platform="win32", dsm=fake_dsm,
                                  wia_manager=lambda: manager)
    assert [d.name for d in found] == [DEVICE]
    got = list(scanners.scan(DEVICE, source="adf", duplex=False, dpi=300, mode="Color",
                             settings=SETTINGS, platform="win32", wia_manager=lambda: manager))
    assert len(got) == 1


def test_when_neither_stack_lists_the_error_says_both() -> None:
    from scanning import twain

    def no_service() -> Any:
        raise COMError(wia.ERROR_SERVICE_DISABLED)

    with pytest.raises(ExternalToolError, match=r"TWAIN: .*; WIA: .*services\.msc"):
        scanners.list_devices(settings=SETTINGS, platform="win32",
                              dsm=twain.DSMEntryProc(lambda *a: twain.TWRC_FAILURE),
                              wia_manager=no_service)
