"""A full disk while a PDF/A or a package goes through the encrypted spool (issue 12 item 8).

The attack audit's re-run filled the disk mid-ingest: the spool's write raised a
bare OSError and the clerk got "internal error" instead of one sentence.
/dev/full is the kernel's real "no space left" device (no mock of the error).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from store.errors import DiskFull, ExitCode
from store.spool import Spool

DEV_FULL = Path("/dev/full")


@pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full on this platform")
def test_a_full_disk_under_the_spool_is_disk_full(tmp_path: Path) -> None:
    spool = Spool(tmp_path, chunk=16)
    spool._file.close()
    spool._file = open(DEV_FULL, "r+b", buffering=0)  # noqa: SIM115 - closed by the spool
    with pytest.raises(DiskFull) as caught:
        spool.write(b"x" * 64)
    assert caught.value.exit_code == ExitCode.DISK_FULL
    assert "disk is full" in str(caught.value)
    spool.close()
