"""The scanners of this platform behind one interface: SANE on Linux, TWAIN and WIA on Windows.

Why one module: the faces (the capture screen, ``sohoa devices`` and ``sohoa scan``)
and capture/scan_ingest.py ask for "the scanners" and "scan this one" without
knowing the platform. A device's name says which stack it belongs to: ``twain:``
and ``wia:`` names on Windows (the same scanner often appears in both: the clerk
picks whichever works, see docs/install-windows.md), SANE's own names elsewhere.
Every source yields `SourcePage` objects with the image in memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from scanning import sane, twain, wia
from scanning.sane import Device, Mode, Source
from scanning.settings import ScanSettings
from scanning.sources import SourcePage
from store.errors import BadInput, ExternalToolError
from store.messages import say

__all__ = ["Device", "Mode", "Source", "backends", "list_devices", "scan"]


def backends(platform: str | None = None) -> tuple[str, ...]:
    """Which scanner stacks this platform has, in the order they are listed."""
    name = sys.platform if platform is None else platform
    if name == "win32":
        return ("twain", "wia")
    return (sane.scanner_backend(name),)  # SANE, or a clear refusal (macOS)


def list_devices(
    env: Mapping[str, str] | None = None,
    *,
    settings: ScanSettings,
    platform: str | None = None,
    dsm: Any = None,
    wia_manager: Callable[[], Any] | None = None,
) -> list[Device]:
    """Every scanner now visible; on Windows TWAIN's and WIA's, and one stack's failure
    (no TWAIN driver installed, the WIA service stopped) does not hide the other's."""
    kinds = backends(platform)
    if kinds == ("sane",):
        return sane.list_devices(env, settings=settings)
    listers: dict[str, Callable[[], list[Device]]] = {
        "twain": lambda: twain.list_devices(dsm=dsm),
        "wia": lambda: wia.list_devices(manager_factory=wia_manager),
    }
    found: list[Device] = []
    errors: list[str] = []
    for kind in kinds:
        try:
            found += listers[kind]()
        except ExternalToolError as exc:
            errors.append(f"{kind.upper()}: {exc}")
    if not found and len(errors) == len(kinds):
        raise ExternalToolError(say("scanning.no_scanner_listed",
                                    "no scanner could be listed ({reasons})",
                                    reasons="; ".join(errors)))
    return found


def scan(
    device: Device | str,
    *,
    source: Source,
    duplex: bool,
    dpi: int,
    mode: Mode,
    settings: ScanSettings,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    dsm: Any = None,
    wia_manager: Callable[[], Any] | None = None,
) -> Iterator[SourcePage]:
    """Scan with the stack the device's name belongs to (see `sane.scan` for the contract)."""
    name = device.name if isinstance(device, Device) else device
    kinds = backends(platform)
    if name.startswith("twain:") and "twain" in kinds:
        return twain.scan(name, source=source, duplex=duplex, dpi=dpi, mode=mode,
                          settings=settings, dsm=dsm)
    if name.startswith("wia:") and "wia" in kinds:
        return wia.scan(name, source=source, duplex=duplex, dpi=dpi, mode=mode,
                        settings=settings, manager_factory=wia_manager)
    if "sane" in kinds:
        return sane.scan(name, source=source, duplex=duplex, dpi=dpi, mode=mode,
                         settings=settings, env=env)
    raise BadInput(say("scanning.unknown_scanner",
                       "unknown scanner {name}: choose one that 'sohoa devices' lists",
                       name=name))
