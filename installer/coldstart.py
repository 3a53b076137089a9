"""Measure the installed app's start: cold (files dropped from the page cache) and warm.

    python3 installer/coldstart.py ROOT [--runs 5]

ROOT is where the package's files are: "/" when installed, or a folder the .deb
was unpacked into with `dpkg -x`. "Cold" drops the package's files and Python's
standard library from the page cache first (posix_fadvise DONTNEED: no root
needed, nothing else is disturbed), as after a reboot. The GUI figure is the
time from starting the process to the main window shown (Qt offscreen); it
needs the app's own modules and is skipped when they are not there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

GUI_CODE = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.main import make_context, prepare
from app.window import MainWindow
from store.settings import StoreSettings
app = QApplication(sys.argv[:1])
data = Path(sys.argv[1])
ctx = make_context(StoreSettings(data_dir=data), settings_file=data / "gui.ini")
prepare(app, ctx)
window = MainWindow(ctx)
window.show()
app.processEvents()
print("shown", flush=True)
"""


def evict(paths: Sequence[Path]) -> int:
    """Drop these trees' files from the page cache; returns how many files."""
    count = 0
    for top in paths:
        for dirpath, _dirs, files in os.walk(top):
            for name in files:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    continue
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                finally:
                    os.close(fd)
    return count


def timed(cmd: Sequence[str], env: dict[str, str], until: str | None = None) -> float:
    """Seconds from spawn to exit (or to the first stdout line containing ``until``)."""
    start = time.monotonic()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as proc:
        assert proc.stdout is not None
        if until is None:
            proc.communicate(timeout=120)
            elapsed = time.monotonic() - start
        else:
            seen = any(until in line for line in proc.stdout)  # stops at the first match
            elapsed = time.monotonic() - start
            proc.kill()
            _out, err = proc.communicate()
            if not seen:
                raise RuntimeError(f"no {until!r}: {err.strip()[-300:]}")
    if until is None and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    return elapsed


def measure(name: str, run: Callable[[], float], trees: Sequence[Path], runs: int) -> str:
    evict(trees)
    cold = run()
    warm = statistics.median(run() for _ in range(runs))
    return f"| {name} | {cold:.2f} | {warm:.2f} |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--runs", type=int, default=5, help="warm runs (median)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    sohoa = str(root / "opt/sohoa/bin/sohoa")  # /usr/bin/sohoa links to /opt absolutely
    python = str(root / "opt/sohoa/venv/bin/python")
    stdlib = Path(f"/usr/lib/python{sys.version_info.major}.{sys.version_info.minor}")
    trees = [root / "opt/sohoa", stdlib]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "PYTHON"))}
    print("| start | cold, s | warm (median), s |")
    print("| --- | --- | --- |")
    print(measure("peer: the bare interpreter (`python3 -I -c pass`)",
                  lambda: timed([python, "-I", "-c", "pass"], env), trees, args.runs))
    print(measure("`sohoa --version` (loads every command)",
                  lambda: timed([sohoa, "--version"], env), trees, args.runs))
    with tempfile.TemporaryDirectory() as data:
        gui_env = {**env, "QT_QPA_PLATFORM": "offscreen"}
        cmd = [python, "-I", "-B", "-c", GUI_CODE, data]
        try:
            print(measure("`sohoa gui` to the first window (offscreen)",
                          lambda: timed(cmd, gui_env, until="shown"), trees, args.runs))
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            print(f"| GUI | n/a ({exc}) | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
