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
