"""What the Windows stations need from code that also runs here.

These run on Linux: where Windows lacks something (``os.uname``), the test takes
it away; where a remedy is worded per platform, the Windows wording is asked for.
"""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path

import pytest

from cli.context import Context, station_name
from ocr.settings import OcrSettings
from ocr.tesseract import find_tessdata, install_hint


def test_the_station_is_named_without_os_uname(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    monkeypatch.delattr(os, "uname")  # absent on Windows
    monkeypatch.delenv("SOHOA_STATION", raising=False)
    ctx = Context.from_args(argparse.Namespace(data=str(tmp_path)))
    assert ctx.settings.station == station_name() == socket.gethostname()


def test_the_station_name_from_the_environment_wins(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("SOHOA_STATION", "phuong-ben-nghe-01")
    ctx = Context.from_args(argparse.Namespace(data=str(tmp_path)))
    assert ctx.settings.station == "phuong-ben-nghe-01"


def test_the_windows_remedy_names_no_apt() -> None:
    hint = install_hint("win32")
    assert "apt" not in hint and "sudo" not in hint and "sohoa" in hint


def test_models_are_found_beside_the_program_as_the_installer_lays_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The Windows bundle: sohoa.exe and tessdata/ in one folder, no TESSDATA_PREFIX."""
    bundle = tmp_path / "sohoa"
    (bundle / "tessdata").mkdir(parents=True)
    system = Path("/usr/share/tesseract-ocr/5/tessdata/vie.traineddata")
    (bundle / "tessdata" / "vie.traineddata").write_bytes(system.read_bytes())
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr("sys.executable", str(bundle / "sohoa.exe"))
    assert find_tessdata(OcrSettings()) == bundle / "tessdata"
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "elsewhere"))
    assert find_tessdata(OcrSettings()) == bundle / "tessdata"  # a wrong prefix is passed over
