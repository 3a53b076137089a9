"""Issue 12 item 3: no core dumps (a core held the data key and opened the store)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

PROBE = """
import resource, sys
sys.path.insert(0, {repo!r})
{call}
status = open('/proc/self/status').read()
print(resource.getrlimit(resource.RLIMIT_CORE))
print([l for l in status.splitlines() if l.startswith('CoreDumping')] or 'no-field')
import ctypes
libc = ctypes.CDLL(None)
print('dumpable', libc.prctl(3, 0, 0, 0, 0))  # PR_GET_DUMPABLE
"""


def _probe(call: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(repo=str(REPO), call=call)],
        capture_output=True, text=True, check=False, timeout=60,
        preexec_fn=_allow_cores)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _allow_cores() -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # as `ulimit -c unlimited` did


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process limits")
def test_the_probe_sees_cores_allowed_without_the_call() -> None:
    out = _probe("pass")
    assert "dumpable 1" in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process limits")
def test_the_cli_turns_core_dumps_off_before_anything_else() -> None:
    out = _probe("from cli.main import run\ntry:\n    run(['info'])\nexcept SystemExit:\n    pass")
    assert "(0, 0)" in out and "dumpable 0" in out, out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process limits")
def test_main_py_turns_core_dumps_off() -> None:
    script = (f"import runpy, sys; sys.argv = ['main.py', '--version']\n"
              f"try:\n    runpy.run_path({str(REPO / 'main.py')!r}, run_name='__main__')\n"
              "except SystemExit:\n    pass")
    assert "dumpable 0" in _probe(script)


def _dumpable(_job: object) -> int:
    """A worker task that reports the worker's own PR_GET_DUMPABLE."""
    import ctypes

    return int(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process limits")
def test_ocr_workers_hold_pages_and_are_not_dumpable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The audit read PR_GET_DUMPABLE = 1 inside the OCR workers: any process of the same
    user could read their memory (page images, text). Workers now turn it off first."""
    from ocr.settings import OcrSettings
    from ocr.workers import PageJob, make_runner

    runner = make_runner(OcrSettings(workers=1), task=_dumpable)
    job = PageJob("p", b"", 300, OcrSettings(workers=1), tmp_path)
    (result,) = list(runner.run([job], total=1))
    assert result.error is None and result.value == 0
