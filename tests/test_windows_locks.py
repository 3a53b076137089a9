"""The Windows lock holds Windows wheels for the build's Python, and covers sohoa's needs."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "installer"))

import locks  # noqa: E402  (installer/locks.py: standard library only, not a package)

WINDOWS_LOCK = REPO / "installer" / "windows" / "requirements.lock"
LINUX_LOCK = REPO / "installer" / "requirements.lock"
COMPILED = ("numpy", "pillow", "sqlcipher3", "pyside6-essentials", "tesserocr", "pypdfium2",
            "opencv-python-headless", "pikepdf", "zxing-cpp")


def _hashes(path: Path) -> dict[str, tuple[str, str]]:
    out = {}
    for line in path.read_text("utf-8").splitlines():
        m = re.match(r"^(\S+)==(\S+) --hash=sha256:([0-9a-f]{64})$", line)
        if m:
            out[m.group(1)] = (m.group(2), m.group(3))
    return out


def test_the_target_is_what_pip_resolves_for() -> None:
    args = locks.pip_target_args("cp312-win_amd64")
    assert args == ["--implementation", "cp", "--python-version", "3.12",
                    "--platform", "win_amd64"]
    linux = locks.pip_target_args("cp311-linux-x86_64")
    assert "manylinux_2_17_x86_64" in linux and "3.11" in linux
    assert locks.pip_target_args("cp312-win_amd64", ["win32"])[-1] == "win32"
    with pytest.raises(locks.LockError):
        locks.pip_target_args("windows")


def test_the_windows_lock_is_for_windows_and_the_build_s_python() -> None:
    target, _ = locks.read_pins(WINDOWS_LOCK)
    assert target == "cp312-win_amd64"
    windows, linux = _hashes(WINDOWS_LOCK), _hashes(LINUX_LOCK)
    for name in COMPILED:  # a Linux wheel's hash here is what made step 1 of the build fail
        assert name in windows, name
        if name in linux:
            assert windows[name][1] != linux[name][1], name


@pytest.mark.parametrize("lock", [WINDOWS_LOCK, LINUX_LOCK])
def test_every_dependency_is_pinned(lock: Path) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    # A dependency marked for Windows only (comtypes: WIA) is pinned in the Windows lock only.
    windows_only = re.compile(r";.*sys_platform\s*==\s*['\"]win32")
    names = {locks.normalise_name(re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0])
             for dep in project["dependencies"]
             if lock == WINDOWS_LOCK or not windows_only.search(dep)}
    _, pins = locks.read_pins(lock)
    assert names - set(pins) == set()
