"""A guard against a reference-count bug of PySide6 6.12.0 on Python 3.11.

With that binding, every call of a void C++ method from Python (``setText``,
``setData``...) drops one reference to ``None`` and every ``Signal.emit``
one to ``True`` without having taken it; after a few thousand calls CPython
frees the singleton and aborts ("none_dealloc: deallocating None"). PySide6
6.11.3 is not affected, nor is Python 3.12+ (its singletons are immortal).

The guard probes for the bug once and, only if it is there, gives ``None``,
``True`` and ``False`` a reference count no program can exhaust, which is
what Python 3.12 does for them anyway. The real fix is a PySide6 without the
bug (pin ``PySide6-Essentials!=6.12.0``); this keeps a station running meanwhile.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 1 << 40


def _binding_drops_references() -> bool:
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(8):
        probe.setObjectName("probe")
        probe.ping.emit()
    after = sys.getrefcount(None), sys.getrefcount(True)
    return after[0] < before[0] or after[1] < before[1]


def guard_singletons() -> bool:
    """Make None/True/False unfreeable if the binding is the buggy one; True if it did."""
    if sys.version_info >= (3, 12) or not _binding_drops_references():
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _PLENTY
    return True
