"""`sohoa` argument parsing and dispatch; commands live in cli/commands_*.py.

Only this module turns errors into exit codes: a ``SohoaError`` prints its one
sentence; anything else prints one line pointing to the log and exits 1.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import traceback
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cli import (
    commands_admin,
    commands_capture,
    commands_demo,
    commands_gui,
    commands_site,
    commands_store,
    commands_sync,
)
from cli.commands_store import printable
from cli.context import Context
from store.errors import ExitCode, SohoaError
from store.messages import LANGUAGES
from store.process import disable_core_dumps

Handler = Callable[[Context], int]


def package_version() -> str:
    try:
        return version("sohoa")
    except PackageNotFoundError:  # running from a checkout without install
        return "0+unknown"


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our USAGE code and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"sohoa: error: {message}", file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sohoa", description="Digitise ward dossiers: capture, OCR, "
                     "correct, store encrypted, sync to the city warehouse.")
    parser.add_argument("--version", action="version", version=f"sohoa {package_version()}")
    parser.add_argument("--data", metavar="DIR", help="store folder (default: the platform's "
                        "user data folder)")
    parser.add_argument("--user", metavar="NAME", help="user name (or SOHOA_USER)")
    parser.add_argument("--password-file", metavar="FILE",
                        help="read the password from FILE (or SOHOA_PASSWORD, or a prompt)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--lang", choices=LANGUAGES, default=os.environ.get("SOHOA_LANG", "en")
                        if os.environ.get("SOHOA_LANG") in LANGUAGES else "en",
                        help="language of error messages: en (default) or vi (or SOHOA_LANG)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands_store.register(commands)
    commands_admin.register(commands)
    commands_site.register(commands)
    commands_demo.register(commands)
    commands_capture.register(commands)
    commands_sync.register(commands)
    commands_gui.register(commands)
    return parser


def run(argv: list[str] | None = None) -> int:
    disable_core_dumps()  # before any password or key is in memory
    _utf8_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:  # `sohoa` alone opens the desktop app
        handler = commands_gui.cmd_gui
    if handler is not commands_gui.cmd_gui:  # Qt's event loop handles its own signals
        _stop_like_ctrl_c()
    try:
        return handler(Context.from_args(args))
    except SohoaError as exc:
        print(f"sohoa: error: {printable(exc.text(args.lang))}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("sohoa: cancelled", file=sys.stderr)
        return int(ExitCode.CANCELLED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            return _internal_error(exc)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"sohoa: error: access to{printable(where)} was refused ({exc.strerror}): check "
              "that the data folder and its files belong to the user running sohoa.",
              file=sys.stderr)
        return int(ExitCode.ACCESS_DENIED)
    except Exception as exc:  # a bug: one line for the user, the details in a log
        return _internal_error(exc)


def _utf8_streams() -> None:
    """Write UTF-8 whatever the terminal or pipe says.

    Windows gives a pipe the ANSI code page (cp1252), which has no Vietnamese: every
    command printing a Vietnamese name crashed when piped (found by the Wine smoke test:
    the installer's `site check`, the ingest summary). A stream that cannot be
    reconfigured (a test's StringIO) is left as it is.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def _stop_like_ctrl_c() -> None:
    """SIGTERM (a service manager, `kill`, a logout) unwinds like Ctrl+C.

    Python's default for SIGTERM ends the process without running ``finally``
    blocks, which would leave a scan's pages in the temp folder until the next
    login; as KeyboardInterrupt every private temp folder is removed on the way out.
    """
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("SOHOA_DEBUG"):
        traceback.print_exc()
    log = Path(os.environ.get("SOHOA_LOG_DIR", Path.home() / ".cache" / "sohoa")) / "error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{type(exc).__name__} (message withheld: it may hold personal data)\n")
            fh.write("".join(traceback.format_tb(exc.__traceback__)) + "\n")
        where = f"; details in {log}"
    except OSError:
        where = ""
    print(f"sohoa: internal error ({type(exc).__name__}){where}. Please report it.",
          file=sys.stderr)
    return int(ExitCode.INTERNAL)
