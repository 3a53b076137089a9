"""Process hardening at start: no core dumps.

Why: a core dump of a sohoa process holds whatever was in memory — the data key
(SQLCipher keeps it, and ``PRAGMA key`` text may linger), citizens' names and
CCCD numbers. The attack audit found a 99 MB core after an abort mid-ingest,
and the key in it opened the store. So every entry point calls
:func:`disable_core_dumps` before it reads a password.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

from store import windumps

PR_SET_DUMPABLE = 4


def disable_core_dumps() -> bool:
    """RLIMIT_CORE 0 and, on Linux, PR_SET_DUMPABLE 0 (also keeps other processes of
    the same user from ptrace-attaching and reading /proc/PID/mem). True if both held.

    Windows: there is no core file; what Windows Error Reporting may dump is cut
    down by :func:`store.windumps.harden` (True if every step held).
    """
    if sys.platform == "win32":
        return windumps.harden(exe=windumps.frozen_exe()).ok
    ok = True
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        ok = False
    if sys.platform.startswith("linux"):
        ok = _prctl_not_dumpable() and ok
    return ok


def _prctl_not_dumpable() -> bool:
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)) == 0
    return False
