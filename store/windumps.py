"""Windows: keep the data key and citizens' data out of crash dumps, as far as a user can.

Why: on Linux a core dump of an aborted ingest held the data key and opened the store
(issue 12 item 3); :mod:`store.process` turns cores off there. Windows has no core
file: a crashing process is handed to Windows Error Reporting (WER), which may write
a dump (a report's minidump in ``%ProgramData%\\Microsoft\\Windows\\WER``, or a full
dump where an administrator configured ``LocalDumps``), and a fatal error in Python
(``abort()``) goes to WER through ``__fastfail``. What a program may do about it
without administrator rights, all of it done here, each step independent:

- ``SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX |
  SEM_NOOPENFILEERRORBOX)``: no WER dialog waiting on the clerk's screen with the
  process (and its memory) kept alive behind it; inherited by child processes (the
  OCR workers);
- ``WerSetFlags(WER_FAULT_REPORTING_FLAG_NOHEAP | …NO_HEAP_ON_QUEUE)``: a report WER
  makes of this process carries no heap, where the key, page images and text live;
- ``WerAddExcludedApplication(<exe>, FALSE)`` (the current user's list, in HKCU): WER
  does not report ``sohoa.exe``/``sohoa-gui.exe`` at all. Only for the frozen build:
  excluding ``python.exe`` would silence WER for every Python program of that user;
- ``_set_abort_behavior(0, _WRITE_ABORT_MSG | _CALL_REPORTFAULT)`` in the C runtime:
  ``abort()`` ends the process without calling WER.

What no program can prevent (docs/security.md says so): an administrator's
``LocalDumps`` or ``AeDebug`` debugger configured for all programs, or anyone with the
clerk's Windows session or an administrator's taking a dump of the running process
(Task Manager, procdump): Windows has no ``PR_SET_DUMPABLE``; and memory paged to
``pagefile.sys`` or ``hiberfil.sys`` (full-disk encryption, BitLocker, covers those).
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEM_FAILCRITICALERRORS = 0x0001
SEM_NOGPFAULTERRORBOX = 0x0002
SEM_NOOPENFILEERRORBOX = 0x8000
ERROR_MODE = SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX
WER_FAULT_REPORTING_FLAG_NOHEAP = 0x0001
WER_FAULT_REPORTING_FLAG_NO_HEAP_ON_QUEUE = 0x0040
WER_FLAGS = WER_FAULT_REPORTING_FLAG_NOHEAP | WER_FAULT_REPORTING_FLAG_NO_HEAP_ON_QUEUE
WRITE_ABORT_MSG = 0x1
CALL_REPORTFAULT = 0x2
S_OK = 0


@dataclass(frozen=True)
class Libraries:
    """The three DLLs, loaded by :func:`load` (a test passes stand-ins: no Windows here)."""

    kernel32: Any
    wer: Any | None
    crt: Any | None


@dataclass(frozen=True)
class Hardening:
    """What held; ``excluded`` is None when not tried (not the frozen sohoa build)."""

    error_mode: bool = False
    no_heap: bool = False
    excluded: bool | None = None
    abort_quiet: bool = False

    @property
    def ok(self) -> bool:
        return self.error_mode and self.no_heap and self.abort_quiet \
            and self.excluded is not False


def load() -> Libraries | None:
    """kernel32, wer and the universal C runtime; None where they cannot be loaded."""
    win_dll = getattr(ctypes, "WinDLL", None)
    if win_dll is None:
        return None
    try:
        kernel32 = win_dll("kernel32", use_last_error=True)
    except OSError:
        return None
    return Libraries(kernel32, _optional(win_dll, "wer"), _optional(ctypes.CDLL, "ucrtbase"))


def _optional(loader: Any, name: str) -> Any | None:
    try:
        return loader(name)
    except OSError:
        return None


def frozen_exe() -> str | None:
    """``sohoa.exe``/``sohoa-gui.exe`` in the PyInstaller build; None when run by python."""
    return Path(sys.executable).name if getattr(sys, "frozen", False) else None


def harden(libs: Libraries | None = None, *, exe: str | None = None) -> Hardening:
    """Every step above that this process may take; never raises (a step that fails
    leaves the others in place, and the result says which held)."""
    libs = libs if libs is not None else load()
    if libs is None:
        return Hardening()
    return Hardening(error_mode=_step(_error_mode, libs), no_heap=_step(_no_heap, libs),
                     excluded=_step(_exclude, libs, exe) if exe else None,
                     abort_quiet=_step(_quiet_abort, libs))


def _step(step: Any, *args: Any) -> bool:
    try:
        return bool(step(*args))
    except (OSError, AttributeError, TypeError, ValueError):
        return False


def _error_mode(libs: Libraries) -> bool:
    kernel32 = libs.kernel32
    kernel32.SetErrorMode(int(kernel32.GetErrorMode()) | ERROR_MODE)
    return int(kernel32.GetErrorMode()) & ERROR_MODE == ERROR_MODE


def _no_heap(libs: Libraries) -> bool:
    return int(libs.kernel32.WerSetFlags(WER_FLAGS)) == S_OK


def _exclude(libs: Libraries, exe: str) -> bool:
    if libs.wer is None:
        return False
    return int(libs.wer.WerAddExcludedApplication(ctypes.c_wchar_p(exe), False)) == S_OK


def _quiet_abort(libs: Libraries) -> bool:
    if libs.crt is None:
        return False
    libs.crt._set_abort_behavior(0, WRITE_ABORT_MSG | CALL_REPORTFAULT)
    return True
