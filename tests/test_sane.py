"""Scanner access, for real, against SANE's virtual `test` backend."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanning.sane import (
    UNSUPPORTED_PLATFORM,
    Device,
    DeviceOptions,
    device_options,
    list_devices,
    parse_device_list,
    parse_options,
    plan_scan,
    ram_folder,
    scan,
    scanner_backend,
)
from scanning.settings import ScanSettings
from scanning.sources import SourcePage
from store.errors import BadInput, ExternalToolError

SETTINGS = ScanSettings(scanner_timeout_seconds=30)
needs_scanimage = pytest.mark.skipif(
    shutil.which("scanimage") is None, reason="sane-utils not installed"
)


def _sane_env(tmp_path: Path, **conf: str) -> dict[str, str]:
    """A SANE config folder enabling only the `test` backend (Debian comments it out)."""
    folder = tmp_path / "sane.d"
    folder.mkdir()
    (folder / "dll.conf").write_text("test\n")
    system = Path("/etc/sane.d/test.conf")
    lines = system.read_text().splitlines() if system.exists() else ["number_of_devices 2"]
    overrides = {"test-picture": '"Color pattern"', **conf}
    kept = [ln for ln in lines if ln.split(" ", 1)[0] not in overrides]
    kept += [f"{key} {value}" for key, value in overrides.items()]
    (folder / "test.conf").write_text("\n".join(kept) + "\n")
    return {"SANE_CONFIG_DIR": str(folder)}


@pytest.fixture
def ram() -> Iterator[Path]:
    """A private folder on tmpfs, as `scan` requires (its sheets must never reach the disk)."""
    folder = Path(tempfile.mkdtemp(prefix="test-sane-", dir=ram_folder()))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- platform


@pytest.mark.parametrize("platform", ["win32", "darwin", "cygwin"])
def test_other_platforms_get_a_clear_refusal(platform: str) -> None:
    with pytest.raises(ExternalToolError) as info:
        scanner_backend(platform)
    assert str(info.value) == UNSUPPORTED_PLATFORM
    assert "import the scanner's files instead" in str(info.value)
    with pytest.raises(ExternalToolError, match="Windows \\(TWAIN, WIA\\)"):
        list_devices(settings=SETTINGS, platform=platform)


def test_linux_uses_sane() -> None:
    assert scanner_backend("linux") == "sane"


def test_missing_scanimage_gives_install_hint(tmp_path: Path) -> None:
    settings = ScanSettings(scanimage_cmd=str(tmp_path / "no-such-scanimage"))
    with pytest.raises(ExternalToolError, match="sane-utils"):
        list_devices(settings=settings, platform="linux")


# --------------------------------------------------------------------------- parsing


def test_parse_device_list() -> None:
    text = "test:0|Noname|frontend-tester|virtual device\nairscan:e0:HP|x|HP|LaserJet|eSCL\n\n"
    assert parse_device_list(text) == [
        Device("test:0", "Noname", "frontend-tester", "virtual device"),
        Device("airscan:e0:HP|x", "HP", "LaserJet", "eSCL"),
    ]


REAL_SCANNER_OPTIONS = """
  Scan mode:
    --mode Lineart|Halftone|Gray|Color [Lineart]
        Selects the scan mode.
    --source Flatbed|ADF Front|ADF Back|ADF Duplex [ADF Front]
        Selects the scan source.
    --resolution 50|75|150|300|600dpi [300]
        Sets the resolution of the scanned image.
"""


def test_parse_options_of_a_real_duplex_scanner() -> None:
    options = parse_options(REAL_SCANNER_OPTIONS)
    assert options.sources == ("Flatbed", "ADF Front", "ADF Back", "ADF Duplex")
    assert options.modes == ("Lineart", "Halftone", "Gray", "Color")
    assert options.resolutions == (50, 75, 150, 300, 600)
    plan = plan_scan(options, source="adf", duplex=True, dpi=200, mode="Gray")
    assert (plan.source, plan.mode, plan.dpi) == ("ADF Duplex", "Gray", 150)
    plan = plan_scan(options, source="adf", duplex=False, dpi=300, mode="Lineart")
    assert (plan.source, plan.mode, plan.dpi) == ("ADF Front", "Lineart", 300)


def test_duplex_through_adf_mode_option() -> None:
    options = DeviceOptions(sources=("Flatbed", "ADF"), adf_modes=("Simplex", "Duplex"))
    plan = plan_scan(options, source="adf", duplex=True, dpi=300, mode="Color")
    assert plan.source == "ADF" and plan.extra == ("--adf-mode=Duplex",)


def test_impossible_requests_are_explained() -> None:
    simplex_only = DeviceOptions(sources=("Flatbed", "Automatic Document Feeder"), modes=("Gray",))
    with pytest.raises(BadInput, match="cannot scan both sides"):
        plan_scan(simplex_only, source="adf", duplex=True, dpi=300, mode="Gray")
    with pytest.raises(BadInput, match="no Color mode"):
        plan_scan(simplex_only, source="flatbed", duplex=False, dpi=300, mode="Color")
    with pytest.raises(BadInput, match="flatbed scans one side"):
        plan_scan(simplex_only, source="flatbed", duplex=True, dpi=300, mode="Gray")
    with pytest.raises(BadInput, match="no document feeder"):
        plan_scan(
            DeviceOptions(sources=("Flatbed",)), source="adf", duplex=False, dpi=300, mode="Gray"
        )


# --------------------------------------------------------------------------- real SANE


def _test_scan(tmp_path: Path, *, source: str, duplex: bool, mode: str,
               env: dict[str, str] | None = None) -> Iterator[SourcePage]:
    """A 50 dpi scan from SANE's test backend, private temp folder, Linux."""
    return scan("test:0", source=source, duplex=duplex, dpi=50, mode=mode,
                settings=SETTINGS,
                env=env if env is not None else _sane_env(tmp_path), platform="linux")


@needs_scanimage
def test_list_devices_sees_the_test_backend(tmp_path: Path) -> None:
    devices = list_devices(_sane_env(tmp_path), settings=SETTINGS, platform="linux")
    names = [d.name for d in devices]
    assert "test:0" in names
    assert devices[0].model == "frontend-tester"


@needs_scanimage
def test_device_options_of_the_test_backend(tmp_path: Path) -> None:
    options = device_options("test:0", settings=SETTINGS, env=_sane_env(tmp_path))
    assert options.sources == ("Flatbed", "Automatic Document Feeder")
    assert {"Gray", "Color"} <= set(options.modes)
    assert options.resolution_range == (1, 1200)


@needs_scanimage
def test_adf_scan_yields_ten_pages_then_ends_cleanly(tmp_path: Path, ram: Path) -> None:
    temp = ram
    pages = list(
        scan(
            "test:0",
            source="adf",
            duplex=False,
            dpi=50,
            mode="Color",
            ram_dir=temp,
            settings=SETTINGS,
            env=_sane_env(tmp_path),
            platform="linux",
        )
    )
    assert [p.index for p in pages] == list(range(10))
    assert all(p.dpi == 50 and p.image.mode == "RGB" for p in pages)
    assert all(len(p.file_sha256) == 64 for p in pages)
    assert {p.source for p in pages} == {"scanner:test:0"}
    # 80 x 100 mm at 50 dpi
    assert pages[0].image.size == (157, 196)
    assert list(temp.iterdir()) == []  # every sheet file was deleted


@needs_scanimage
def test_flatbed_scan_is_one_gray_page(tmp_path: Path, ram: Path) -> None:
    temp = ram
    pages = list(
        scan(
            Device("test:0", "Noname", "frontend-tester", "virtual device"),
            source="flatbed",
            duplex=False,
            dpi=75,
            mode="Gray",
            ram_dir=temp,
            settings=SETTINGS,
            env=_sane_env(tmp_path),
            platform="linux",
        )
    )
    assert len(pages) == 1 and pages[0].image.mode == "L" and pages[0].dpi == 75
    assert list(temp.iterdir()) == []


@needs_scanimage
def test_stopping_early_kills_the_scan_and_cleans_up(tmp_path: Path, ram: Path) -> None:
    temp = ram
    env = _sane_env(tmp_path, **{"read-delay": "true", "read-delay-duration": "2000"})
    pages = scan(
        "test:0",
        source="adf",
        duplex=False,
        dpi=50,
        mode="Gray",
        ram_dir=temp,
        settings=SETTINGS,
        env=env,
        platform="linux",
    )
    first = next(pages)
    assert first.index == 0
    pages.close()
    assert list(temp.iterdir()) == []


@needs_scanimage
def test_duplex_on_a_simplex_feeder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot scan both sides"):
        next(
            _test_scan(tmp_path, source="adf", duplex=True, mode="Gray")
        )


@needs_scanimage
def test_lineart_not_offered_by_test_backend(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no Lineart mode"):
        next(
            _test_scan(tmp_path, source="flatbed", duplex=False, mode="Lineart")
        )


@needs_scanimage
@pytest.mark.parametrize(
    ("status", "message"),
    [("SANE_STATUS_DEVICE_BUSY", "busy"), ("SANE_STATUS_JAMMED", "jam")],  # "jammed" or "paper jam"
)
def test_device_errors_are_clear(tmp_path: Path, status: str, message: str) -> None:
    env = _sane_env(tmp_path, **{"read-status-code": f'"{status}"'})
    with pytest.raises(ExternalToolError, match=message):
        list(
            _test_scan(tmp_path, source="flatbed", duplex=False, mode="Gray", env=env)
        )


@needs_scanimage
def test_unknown_device_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExternalToolError, match="not found"):
        list(
            scan(
                "nosuch:0",
                source="flatbed",
                duplex=False,
                dpi=50,
                mode="Gray",
                settings=SETTINGS,
                env=_sane_env(tmp_path),
                platform="linux",
            )
        )


# --------------------------------------------------------------------------- sheets stay in RAM


def test_the_ram_folder_is_on_tmpfs_and_a_disk_folder_is_refused(tmp_path: Path) -> None:
    """Sheets go where a deleted file cannot be carved back from the disk (issue 12 item 2)."""
    assert ram_folder().is_dir()
    with pytest.raises(ExternalToolError, match="RAM folder"):
        ram_folder((str(tmp_path), "/nonexistent"))


@needs_scanimage
def test_a_scan_into_a_disk_folder_is_refused(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    with contextlib.suppress(ExternalToolError):
        ram_folder((str(disk),))
        pytest.skip("tmp_path is itself on tmpfs here")
    with pytest.raises(ExternalToolError, match="RAM folder"):
        next(scan("test:0", source="flatbed", duplex=False, dpi=50, mode="Gray",
                  settings=SETTINGS, ram_dir=disk, env=_sane_env(tmp_path), platform="linux"))
    assert list(disk.iterdir()) == []


@needs_scanimage
def test_adf_sheets_pass_through_the_ram_folder_only(tmp_path: Path, ram: Path) -> None:
    """While the feeder runs, the sheets' folder is in RAM; a dead scan's leftovers go."""
    ended = subprocess.Popen(["true"])
    ended.wait()  # its pid no longer runs: the scan that used it died
    dead = ram / f"sohoa-scan-{ended.pid}-x"
    live = ram / f"sohoa-scan-{os.getpid()}-y"
    for folder in (dead, live):
        folder.mkdir()
        (folder / "sheet-0001.pnm").write_bytes(b"P5\n# SANE data follows\n")
    pages = scan("test:0", source="adf", duplex=False, dpi=50, mode="Gray", settings=SETTINGS,
                 ram_dir=ram, env=_sane_env(tmp_path), platform="linux")
    first = next(pages)
    batch = [p for p in ram.iterdir() if p not in (live,)]
    assert first.index == 0 and len(batch) == 1 and batch[0].name.startswith("sohoa-scan-")
    assert len(list(pages)) == 9
    assert sorted(ram.iterdir()) == [live]  # the dead scan's sheet purged, ours removed
