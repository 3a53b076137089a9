"""`sohoa gui` (and `sohoa` alone): open the desktop app on the store given by --data."""

from __future__ import annotations

import os
import sys
from typing import Any

from cli.context import Context
from store.errors import UsageError
from store.messages import say


def register(commands: Any) -> None:
    p = commands.add_parser("gui", help="open the desktop app (the default with no command)")
    p.set_defaults(handler=cmd_gui)


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def cmd_gui(ctx: Context) -> int:
    if not _has_display():
        raise UsageError(say(
            "cli.no_display", "No graphical display here; run a command instead (sohoa --help)."))
    from app.main import run_gui  # Qt is loaded only when the app is wanted

    return run_gui(ctx.settings)
