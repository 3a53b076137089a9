"""Issue 12 item 3 on Windows (store/windumps.py): no WER dialog, no heap in a WER report,
sohoa excluded from WER, abort() without WER. Windows DLLs cannot run here, so stand-ins
record the calls; the Windows CI job and a real crash are the test of the DLLs themselves."""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass, field
from typing import Any

import pytest

from store import process, windumps
from store.windumps import Libraries

E_ACCESSDENIED = -2147024891


@dataclass
class Kernel32:
    mode: int = 0x0004  # SEM_NOALIGNMENTFAULTEXCEPT, set by someone else: must stay
    flags: list[int] = field(default_factory=list)

    def GetErrorMode(self) -> int:
        return self.mode

    def SetErrorMode(self, mode: int) -> int:
        old, self.mode = self.mode, mode
        return old

    def WerSetFlags(self, flags: int) -> int:
        self.flags.append(flags)
        return 0


@dataclass
class Wer:
    answer: int = 0
    excluded: list[tuple[str, bool]] = field(default_factory=list)

    def WerAddExcludedApplication(self, exe: Any, all_users: bool) -> int:
        self.excluded.append((exe.value if isinstance(exe, ctypes.c_wchar_p) else exe,
                              all_users))
        return self.answer


@dataclass
class Crt:
    calls: list[tuple[int, int]] = field(default_factory=list)

    def _set_abort_behavior(self, flags: int, mask: int) -> int:
        self.calls.append((flags, mask))
        return 3


def test_every_step_with_the_right_flags() -> None:
    kernel32, wer, crt = Kernel32(), Wer(), Crt()
    done = windumps.harden(Libraries(kernel32, wer, crt), exe="sohoa-gui.exe")
    assert done.ok and done.excluded is True
    assert kernel32.mode == 0x0004 | 0x0001 | 0x0002 | 0x8000  # no dialog, others kept
    assert kernel32.flags == [0x0001 | 0x0040]                  # no heap, queued or not
    assert wer.excluded == [("sohoa-gui.exe", False)]           # this user only: no admin
    assert crt.calls == [(0, 0x1 | 0x2)]                        # abort() without WER


def test_python_itself_is_never_excluded() -> None:
    """Run from a venv, excluding python.exe would silence WER for every Python program."""
    wer = Wer()
    done = windumps.harden(Libraries(Kernel32(), wer, Crt()), exe=None)
    assert done.excluded is None and done.ok and wer.excluded == []
    assert windumps.frozen_exe() is None  # pytest is not the frozen build


def test_a_refused_step_leaves_the_others_and_is_reported() -> None:
    kernel32 = Kernel32()
    del_flags = type("NoWer", (), {"GetErrorMode": kernel32.GetErrorMode,
                                   "SetErrorMode": kernel32.SetErrorMode})()
    done = windumps.harden(Libraries(del_flags, Wer(E_ACCESSDENIED), None), exe="sohoa.exe")
    assert done.error_mode and kernel32.mode & 0x0002
    assert (done.no_heap, done.excluded, done.abort_quiet, done.ok) == (False, False, False,
                                                                       False)


@pytest.mark.skipif(sys.platform == "win32", reason="checks the fallback off Windows")
def test_without_windows_nothing_is_tried_and_nothing_raises() -> None:
    assert windumps.load() is None
    assert windumps.harden() == windumps.Hardening()


def test_disable_core_dumps_takes_the_windows_steps_on_windows(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    def harden(libs: Libraries | None = None, *, exe: str | None = None) -> Any:
        seen.append(exe)
        return windumps.Hardening(True, True, None, True)

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(windumps, "harden", harden)
    assert process.disable_core_dumps() is True
    assert seen == [None]
