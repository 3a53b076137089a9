"""The Windows installer script: no downloads, a removable failed install, a private site file.

makensis (Debian's nsis) compiles it here against a staged tree of stand-ins; what
happens at install time is read from the script's order of sections.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import db

REPO = Path(__file__).resolve().parents[1]
NSI = REPO / "installer" / "windows" / "sohoa.nsi"
BUILD = REPO / "installer" / "windows" / "build.ps1"
DEBIAN_MODELS = Path("/usr/share/tesseract-ocr/5/tessdata")


def _sections(script: str) -> list[tuple[str, str]]:
    """(name, body) of each Section and Function, in file order."""
    found = re.finditer(r'^(Section|Function) +("?[^"\n]*"?)[^\n]*\n(.*?)^(SectionEnd|FunctionEnd)',
                        script, re.M | re.S)
    return [(f"{m.group(1)} {m.group(2)}", m.group(3)) for m in found]


def test_nothing_is_downloaded_and_no_hash_is_left_empty() -> None:
    build = BUILD.read_text("utf-8")
    assert "Invoke-WebRequest" not in build and not re.search(r'Sha256 = ""', build)
    script = NSI.read_text("utf-8")
    assert "tesseract-setup.exe" not in script and "${STAGE}\\poppler" not in script


def test_the_pinned_model_hashes_are_debian_s_files() -> None:
    build = BUILD.read_text("utf-8")
    for name in ("vie.traineddata", "osd.traineddata"):
        pinned = re.search(rf'"{re.escape(name)}" = "([0-9a-f]{{64}})"', build)
        assert pinned, name
        if (DEBIAN_MODELS / name).is_file():
            assert hashlib.sha256((DEBIAN_MODELS / name).read_bytes()).hexdigest() == pinned[1]


def test_an_abort_in_a_section_comes_after_the_uninstaller_is_written() -> None:
    """A bad site file aborts the install after the copy: it must stay removable."""
    script = NSI.read_text("utf-8")
    sections = _sections(script)
    writer = next(name for name, body in sections if "WriteUninstaller" in body)
    assert "WriteRegStr HKLM \"${UNINSTALL_KEY}\" \"UninstallString\"" in dict(sections)[writer]
    called = False
    for name, body in sections:
        if not name.startswith("Section") or name == 'Section "Uninstall"':
            continue
        lines = body.splitlines()
        for line in lines:
            if f"Call {writer.split()[1]}" in line:
                called = True
            if re.match(r"\s*Abort\b", line):
                assert called, f"{name} can Abort before the uninstaller exists"
    assert called


def test_the_site_file_is_not_readable_by_all_users() -> None:
    script = NSI.read_text("utf-8")
    grants = [line for line in script.splitlines() if "icacls" in line and "site.toml" in line]
    assert grants and all("/inheritance:r" in g for g in grants)
    for grant in grants:
        assert "S-1-5-32-545" not in grant  # Users
        assert "S-1-5-11" not in grant and "Everyone" not in grant and "S-1-1-0" not in grant
        assert "*S-1-5-32-544:F" in grant and "*S-1-5-18:F" in grant


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (apt: nsis) missing")
def test_the_script_compiles_with_only_the_app_and_the_models(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    for name in ("sohoa/sohoa.exe", "sohoa/sohoa-gui.exe", "tessdata/vie.traineddata",
                 "tessdata/osd.traineddata"):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_bytes(b"stand-in for " + name.encode())
    subprocess.run([sys.executable, str(REPO / "installer/icon.py"), "--ico",
                    str(stage / "sohoa.ico")], check=True)
    out = tmp_path / "sohoa-setup.exe"
    done = subprocess.run(["makensis", "-WX", "-V2", "-DVERSION=0.1.0",
                           f"-DSCHEMA={db.latest_version()}", f"-DSTAGE={stage}",
                           f"-DOUTFILE={out}", str(NSI)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"


def test_version_site_file_and_space_are_checked_before_any_file_is_copied() -> None:
    """Each refusal happens in .onInit (or on leaving the folder page), not in a section.

    wine-build.sh runs them for real (no-site, old-windows, no-space); this keeps the
    order honest between runs: a check moved into a section would copy files first.
    """
    script = NSI.read_text("utf-8")
    sections = dict(_sections(script))
    on_init = sections["Function .onInit"]
    space = sections["Function CheckSpace"]
    assert re.search(r"AtLeastWin10\}.*\n.*AtLeastBuild\} 17763\n(.*\n){1,2}\s*SetErrorLevel 4",
                     on_init)
    assert re.search(r'FileOpen \$R0 "\$SiteFile" r\n(.*\n){1,3}\s*SetErrorLevel 3', on_init)
    assert re.search(r"\$\{If\} \$\{Silent\}\n\s*Call CheckSpace", on_init)
    assert "MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckSpace" in script
    assert "DriveSpace" in space and "SetErrorLevel 5" in space and "/S=M" in space
    copying = [name for name, body in sections.items()
               if re.search(r'^\s*(File(?! "/oname=\$PLUGINSDIR)|CopyFiles|RMDir)\b', body, re.M)]
    assert copying and all(name.startswith("Section") for name in copying)
    for name in copying:
        assert "AtLeastBuild" not in sections[name] and "DriveSpace" not in sections[name]


def test_the_documented_exit_codes_are_the_script_s() -> None:
    script = NSI.read_text("utf-8")
    used = {int(code) for code in re.findall(r"SetErrorLevel (\d+)", script)}
    doc = (REPO / "docs" / "install-windows.md").read_text("utf-8")
    table = doc[re.search(r"Exit codes\s+of a silent install", doc).end():]  # type: ignore[union-attr]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.M)}
    assert used | {0, 1} == documented


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (apt: nsis) missing")
def test_uncompressed_makes_a_stored_installer_and_the_default_compresses(tmp_path: Path) -> None:
    """wine-build.sh's upgrade and downgrade installers use /DUNCOMPRESSED to be quick.

    A `-XSetCompress off` is silently ignored once the script sets /SOLID, so the switch
    must be in the script: 4 MB of zeros stay 4 MB with it, and shrink to almost nothing
    without it.
    """
    stage = tmp_path / "stage"
    for name in ("sohoa/sohoa.exe", "tessdata/vie.traineddata", "tessdata/osd.traineddata"):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
    (stage / "sohoa/sohoa.exe").write_bytes(bytes(4 << 20))
    (stage / "tessdata/vie.traineddata").write_bytes(b"vie")
    (stage / "tessdata/osd.traineddata").write_bytes(b"osd")
    subprocess.run([sys.executable, str(REPO / "installer/icon.py"), "--ico",
                    str(stage / "sohoa.ico")], check=True)
    sizes = {}
    for option in ("-DUNCOMPRESSED", "-DCOMPRESSED"):
        out = tmp_path / f"setup{option}.exe"
        done = subprocess.run(["makensis", "-WX", "-V2", option, "-DVERSION=0.1.0",
                               f"-DSCHEMA={db.latest_version()}", f"-DSTAGE={stage}",
                               f"-DOUTFILE={out}", str(NSI)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        sizes[option] = out.stat().st_size
    assert sizes["-DUNCOMPRESSED"] > 4 << 20
    assert sizes["-DCOMPRESSED"] < 1 << 20
