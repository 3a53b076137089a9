"""Lock files: exact wheels (name==version --hash=sha256:…) from pip's resolution report.

build-deb writes installer/requirements.lock and build-requirements.lock with it
(--relock); installer/windows/requirements.lock is written on any machine (this
Linux one too) for the Windows build's Python:

    python3 installer/locks.py --target cp312-win_amd64 \\
        --out installer/windows/requirements.lock . pyinstaller pefile pywin32-ctypes wheel

Standard library only, so the system python3 can run it. The lock pins the
wheels for one target (Python version and platform): ``--target`` is what pip
resolves for (``--platform``, ``--python-version``), not only a label, so a
Windows lock holds Windows wheels' hashes wherever it is made; pip then installs
them with --require-hashes, so a build never picks up a different file.
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


# pip --platform tags for a target's platform part; the manylinux tags cover the wheels
# PyPI carries for x86_64 Linux (glibc 2.17 to 2.39: Debian 12/13, Ubuntu 22.04/24.04).
_LINUX_X86_64 = [f"manylinux_2_{minor}_x86_64" for minor in range(39, 16, -1)] + [
    "manylinux2014_x86_64", "linux_x86_64"]
TARGET = re.compile(r"^cp(\d)(\d+)-(.+)$")


def pip_target_args(target: str, platforms: Sequence[str] = ()) -> list[str]:
    """pip's --platform/--python-version/--implementation for ``target``, e.g. cp312-win_amd64.

    ``platforms`` (pip tags) replaces the ones read from the target.
    """
    match = TARGET.match(target)
    if not match:
        raise LockError(f"cannot read the target {target!r}: say e.g. cp312-win_amd64")
    major, minor, platform = match.groups()
    tags = list(platforms) or (_LINUX_X86_64 if platform in ("linux-x86_64", "linux_x86_64")
                               else [platform.replace("-", "_")])
    args = ["--implementation", "cp", "--python-version", f"{major}.{minor}"]
    for tag in tags:
        args += ["--platform", tag]
    return args


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
    parser.add_argument("--target", required=True,
                        help="the wheels' Python and platform, e.g. cp312-win_amd64")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python whose pip resolves (default: this one)")
    parser.add_argument("--platform", action="append", default=[],
                        help="pip platform tag(s) instead of the target's (repeatable)")
    parser.add_argument("requirements", nargs="+")
    args = parser.parse_args(argv)
    try:
        pip_args = pip_target_args(args.target, args.platform)
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
