"""The README as a new engineer meets it: its commands come first and its example runs.

The "Using it" block is run for real, line for line, by bash with ``set -e`` in a
temporary home (so ``~/sohoa-store`` is a fresh store), with SANE's ``test``
backend standing in for a scanner (SANE_CONFIG_DIR with a dll.conf saying
``test``), and again with no scanner at all for the scan lines. The only change
made to the text is where the USB stick is mounted.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.corpus.generate import generate

README = REPO / "README.md"
SETUP = "bash installer/dev-setup.sh && .venv/bin/sohoa --data ./demo-store demo"
TESTS = "bash tests/run.sh"
USB = "/media/usb/"
PASSWORD = "first-hour-pass-1"


def _text() -> str:
    return README.read_text("utf-8")


def _blocks(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"```sh\n(.*?)```", text, re.S)]


def _using_it(text: str) -> str:
    section = text.split("\n## Using it\n", 1)[1].split("\n## ", 1)[0]
    return _blocks(section)[0]


def test_the_two_setup_commands_come_first_and_say_what_to_expect() -> None:
    text = _text()
    assert _blocks(text)[:2] == [SETUP, TESTS]
    assert text.index(TESTS) < text.index("## ")  # before any section
    intro = text.split("## Using it", 1)[0]
    assert re.search(r"about \d+ minutes", intro.split(TESTS, 1)[1])  # how long the tests run
    for needed in ("root", "tmpfs", "unshare", "skipped", "A skip is not a pass"):
        assert needed in intro, needed


def test_every_user_in_the_example_is_created_and_sohoa_is_found() -> None:
    block = _using_it(_text())
    used = set(re.findall(r"--user (\S+)", block))
    created = set(re.findall(r"init --admin (\S+)", block))
    created |= set(re.findall(r"user add (\S+)", block))
    assert used and used <= created, used - created
    first = block.splitlines()[0]
    assert ".venv/bin" in first and ("PATH" in first or first.startswith(".venv/bin/sohoa"))
    assert "--data DIR" not in block.replace("# or --data DIR", "")  # DIR is never defined


def _sane(tmp: Path, backends: str) -> Path:
    conf = tmp / f"sane-{backends or 'none'}"
    conf.mkdir()
    (conf / "dll.conf").write_text(f"{backends}\n", encoding="ascii")
    return conf


def _venv() -> Path:
    """The repository's .venv after set-up; else the environment running the tests."""
    for venv in (REPO / ".venv", Path(sys.prefix)):
        if (venv / "bin" / "sohoa").exists():
            return venv
    pytest.skip("no `sohoa` command installed (run bash installer/dev-setup.sh)")


def _run_block(block: str, home: Path, sane: Path) -> subprocess.CompletedProcess[str]:
    """Run in a folder holding only a `.venv` (the example's $PWD), with the user's home."""
    cwd = home / "checkout"
    cwd.mkdir(exist_ok=True)
    if not (cwd / ".venv").exists():
        (cwd / ".venv").symlink_to(_venv())
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SOHOA_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(HOME=str(home), SANE_CONFIG_DIR=str(sane), SOHOA_PASSWORD=PASSWORD,
               SOHOA_NEW_PASSWORD=PASSWORD, PATH="/usr/bin:/bin")
    return subprocess.run(["bash", "-euo", "pipefail", "-x", "-c", block], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def _scans(folder: Path) -> None:
    folder.mkdir(parents=True)
    for sample in generate(17, 2, mode="clean", dpi=200, max_pages=1):
        sample.pages[0].save(folder / f"{sample.name}.png", dpi=(200, 200))


@pytest.mark.slow
def test_the_using_it_example_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("scanimage") is None:
        pytest.skip("sane-utils is not installed (installer/dev-setup.sh installs it)")
    block = _using_it(_text())
    assert block.count(USB) == 1
    (tmp_path / "usb").mkdir()
    _scans(tmp_path / "scans" / "2024-03")
    done = _run_block(block.replace(USB, f"{tmp_path}/usb/"), tmp_path,
                      _sane(tmp_path, "test"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "+ sohoa --user lan scan --device test:0" in done.stderr  # the line really ran
    assert re.search(r"^#\d+ scan test:0 adf 300 dpi: \d+ page", done.stdout, re.M)
    assert (tmp_path / "1.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "bia.pdf").read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "usb").glob("*.sohoa"))
    assert (tmp_path / "sohoa-store").is_dir()


def test_the_scan_lines_do_nothing_harmful_without_a_scanner(tmp_path: Path) -> None:
    if shutil.which("scanimage") is None:
        pytest.skip("sane-utils is not installed (installer/dev-setup.sh installs it)")
    block = _using_it(_text())
    scan_lines = [line for line in block.splitlines()
                  if "devices" in line or "--device" in line or line.startswith("export ")]
    done = _run_block("\n".join(scan_lines), tmp_path, _sane(tmp_path, ""))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "No scanners found." in done.stderr
    assert "sohoa --user lan scan" not in done.stderr  # skipped, not failed
