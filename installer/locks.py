"""Lock files: exact wheels (name==version --hash=sha256:…) from pip's resolution report.

build-deb writes installer/requirements.lock and build-requirements.lock with it
(--relock); the Windows build machine writes installer/windows/requirements.lock:

    python installer/locks.py --target cp311-win_amd64 \\
        --out installer/windows/requirements.lock . pyinstaller pefile pywin32-ctypes wheel

Standard library only, so the system python3 can run it. The lock pins the
wheels for one target (Python version and platform); pip then installs them
with --require-hashes, so a build never picks up a different file.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) --hash=sha256:[0-9a-f]{64}$")


class LockError(Exception):
    """A lock file that cannot be written or read, said in one line."""


def normalise_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins_from_report(report: dict[str, Any], skip: Sequence[str] = ("sohoa",)) -> list[str]:
    """``name==version --hash=sha256:…`` for every wheel pip would install, sorted."""
    pins = []
    for item in report["install"]:
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        if normalise_name(name) in skip:
            continue
        hashes = item["download_info"].get("archive_info", {}).get("hashes", {})
        if "sha256" not in hashes:
            raise LockError(f"pip gave no sha256 for {name} {version} (not a wheel?)")
        pins.append(f"{normalise_name(name)}=={version} --hash=sha256:{hashes['sha256']}")
    return sorted(pins)


def write_lock(path: Path, pins: Sequence[str], *, target: str, purpose: str) -> None:
    header = [f"# {path.name}: {purpose}",
              "# Generated from pip's resolution report (installer/locks.py); commit changes.",
              f"# target: {target}"]
    path.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")


def read_pins(path: Path) -> tuple[str, dict[str, str]]:
    """(target, {normalised name: version}) of a lock file; bad lines are errors."""
    text = path.read_text("utf-8")
    target = re.search(r"^# target: (\S+)$", text, re.M)
    pins = {}
    for line in text.splitlines():
        match = LINE.match(line)
        if match:
            pins[normalise_name(match.group(1))] = match.group(2)
        elif line and not line.startswith("#"):
            raise LockError(f"{path.name}: cannot read the line {line!r}")
    return (target.group(1) if target else ""), pins


def resolve(python: str, requirements: Sequence[str], pip_args: Sequence[str] = ()) -> dict[
        str, Any]:
    """Ask pip what it would install (nothing is installed)."""
    with tempfile.TemporaryDirectory(prefix="sohoa-lock-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [python, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed",
               "--only-binary=:all:", "--report", str(report), *pip_args, *requirements]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n  ".join(proc.stderr.strip().splitlines()[-8:])
            raise LockError(f"pip could not resolve {' '.join(requirements)}:\n  {tail}")
        result: dict[str, Any] = json.loads(report.read_text("utf-8"))
        return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--target", required=True, help="e.g. cp311-win_amd64")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python whose pip resolves (default: this one)")
    parser.add_argument("--platform", help="resolve for another platform (pip --platform)")
    parser.add_argument("requirements", nargs="+")
    args = parser.parse_args(argv)
    pip_args: list[str] = []
    if args.platform:
        short = args.target.split("-")[0].removeprefix("cp")
        pip_args = ["--platform", args.platform, "--implementation", "cp",
                    "--python-version", f"{short[0]}.{short[1:]}"]
    try:
        pins = pins_from_report(resolve(args.python, args.requirements, pip_args))
        write_lock(args.out, pins, target=args.target,
                   purpose=f"exact wheels for {' '.join(args.requirements)}")
    except LockError as exc:
        print(f"locks: error: {exc}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
