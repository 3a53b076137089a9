"""The command line as a new user meets it: messages that must hold when CI runs as root.

CI runs the suite as root, and root reads any file, so a check that a site file
the account may not read names the ``sohoa`` group would never run there. Here
the file is read in a forked child that makes itself ``nobody`` (setuid) first.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import batches
from store.errors import BadInput
from store.sitefile import load_site_file
from sync import export
from tests.conftest import REPO, StoreFixture, add_sample_document

NOBODY = 65534
SITE = """ward_name = "Phường Bến Nghé"
agency_code = "000.00.12.H29"
warehouse_url = "https://kho.tphcm.gov.vn"
"""


def _as_nobody() -> None:
    """Runs in the child between fork and exec: give up root for good."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder `nobody` may enter (pytest's own is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="sohoa-first-hour-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _load_unprivileged(path: Path) -> str:
    """load_site_file(path) in a forked child that is `nobody` when we are root.

    The child keeps the modules already imported, so it needs no Python of its own
    that `nobody` could run (the venv may live under /root). Returns what it saw.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                _as_nobody()
            try:
                load_site_file(path)
                seen = "read"
            except BadInput as exc:
                seen = f"BadInput: {exc}"
            os.write(write_end, seen.encode("utf-8"))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        seen = pipe.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return seen


def test_an_unreadable_site_file_names_the_group_also_under_root(shared_tmp: Path) -> None:
    site = shared_tmp / "site.toml"
    site.write_text(SITE, encoding="utf-8")
    site.chmod(0o644)
    assert _load_unprivileged(site) == "read"  # the child really gets that far
    site.chmod(0)
    seen = _load_unprivileged(site)
    assert seen == (f"BadInput: This account may not read {site}; ask IT to add it to the "
                    "'sohoa' group (adduser NAME sohoa) and log in again."), seen


def _cli_row(command: str) -> str:
    doc = (REPO / "docs/cli.md").read_text("utf-8")
    return next(line for line in doc.splitlines() if line.startswith(f"| `{command}"))


def test_export_package_does_what_cli_md_says_with_a_missing_folder(store: StoreFixture,
                                                                     tmp_path: Path) -> None:
    """Either the folder is created, or the docs say it must exist: not a surprise."""
    clerk = store.login("lan")
    add_sample_document(clerk, "lô-1")
    batches.submit(clerk, "lô-1")
    supervisor = store.login("minh")
    batches.approve(supervisor, "lô-1")
    missing = tmp_path / "usb" / "ho-so"
    row = _cli_row("export-package")
    try:
        export.export_package(supervisor, "H29.2024.01", missing)
    except BadInput as exc:
        if "is not a folder" in str(exc):
            assert re.search(r"OUT_DIR.*must (already )?exist", row), row
            return
    assert missing.is_dir() and "creates OUT_DIR" in row, row
