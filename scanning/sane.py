"""Scanning from a scanner through SANE's ``scanimage`` (Linux).

We drive the command-line frontend instead of binding libsane: it is packaged
everywhere, a crashing backend cannot take the station down with it, and a
stuck scanner is handled with a timeout and a kill. Sheets are written by
``scanimage --batch`` into a private folder on a RAM filesystem (tmpfs: never
the disk, where a deleted sheet could be carved back, issue 12 item 2) and each
one is read and deleted as soon as ``--batch-print`` says it is complete, so
pages flow to the caller while the feeder is still running.
"""

from __future__ import annotations

import hashlib
import io
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from PIL import Image

from scanning.settings import ScanSettings
from scanning.sources import SourcePage
from store.errors import BadInput, ExternalToolError
from store.messages import say

Source = Literal["flatbed", "adf"]
Mode = Literal["Color", "Gray", "Lineart"]

UNSUPPORTED_PLATFORM = (
    "Scanning from a scanner works on Linux (SANE) and Windows (TWAIN, WIA) only; "
    "import the scanner's files instead"
)
NO_RAM_FOLDER = (
    "no RAM folder (tmpfs) to receive the scanner's sheets: /dev/shm or $XDG_RUNTIME_DIR"
    " must be mounted as tmpfs, so that no page image is written to the disk"
)
_RAM_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
_SHEETS_PREFIX = "sohoa-scan-"
INSTALL_HINT = "scanimage was not found; install SANE's command-line tools (apt install sane-utils)"

# scanimage exits with the SANE status of the failure
_STATUS_MESSAGES = {
    3: say("scanning.status_busy",
           "the scanner is busy (another program may be using it); close it and try again"),
    6: say("scanning.status_jammed",
           "the paper jammed in the document feeder; clear it and scan again"),
    7: say("scanning.status_no_docs",
           "the document feeder is empty; put the sheets in and scan again"),
    8: say("scanning.status_cover_open", "the scanner cover is open; close it and scan again"),
    9: say("scanning.status_io_error",
           "the scanner reported an input/output error; check the cable and power"),
    11: say("scanning.status_access_denied",
            "access to the scanner was denied (check the user's scanner permissions)"),
}
_MODE_PATTERNS: dict[str, tuple[str, ...]] = {
    "Color": (r"^colou?r$", r"colou?r"),
    "Gray": (r"^gr[ae]y(scale)?$", r"gr[ae]y"),
    "Lineart": (r"^lineart$", r"line\s*art|binary|black\s*&?\s*white|halftone"),
}


@dataclass(frozen=True)
class Device:
    """One scanner as SANE lists it; ``name`` is what ``scanimage -d`` takes."""

    name: str
    vendor: str
    model: str
    type: str

    @property
    def label(self) -> str:
        """What to show a clerk."""
        return f"{self.vendor} {self.model} ({self.name})"


@dataclass(frozen=True)
class DeviceOptions:
    """The few options we set, as the device offers them."""

    sources: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    resolutions: tuple[int, ...] = ()  # discrete values, or ...
    resolution_range: tuple[int, int] | None = None  # ... an inclusive range
    adf_modes: tuple[str, ...] = ()  # some Epson/Canon: --adf-mode Simplex|Duplex
    has_duplex_flag: bool = False  # some backends: --duplex[=(yes|no)]


@dataclass(frozen=True)
class ScanPlan:
    """The exact scanimage settings chosen for a request (recorded with the batch)."""

    source: str | None
    mode: str
    dpi: int
    extra: tuple[str, ...] = ()


# --------------------------------------------------------------------------- platform


def scanner_backend(platform: str | None = None) -> str:
    """The scanning backend for this platform ("sane"), or a clear refusal elsewhere."""
    name = sys.platform if platform is None else platform
    if name.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return "sane"
    raise ExternalToolError(say("scanning.unsupported_platform", UNSUPPORTED_PLATFORM))


def _run(
    args: list[str], *, settings: ScanSettings, env: Mapping[str, str] | None, timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run scanimage (no shell); missing binary and hangs become user-facing errors."""
    try:
        return subprocess.run(
            [settings.scanimage_cmd, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=_env(env),
            check=False,
        )
    except FileNotFoundError as exc:
        raise ExternalToolError(say("scanning.scanimage_missing", INSTALL_HINT)) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(
            say("scanning.scanner_silent",
                "the scanner did not answer within {timeout:.0f} seconds; switch it off and on",
                timeout=timeout)
        ) from exc


def _env(env: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(os.environ)
    if env:
        merged.update(env)
    return merged


def _last_error(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("scanimage:")]
    text = (errors or lines or ["no details"])[-1]
    return text.removeprefix("scanimage:").strip()[:200]


# --------------------------------------------------------------------------- devices


def list_devices(
    env: Mapping[str, str] | None = None, *, settings: ScanSettings, platform: str | None = None
) -> list[Device]:
    """Scanners SANE can see now (network discovery can take a while)."""
    scanner_backend(platform)
    proc = _run(
        ["-f", "%d|%v|%m|%t%n"],
        settings=settings,
        env=env,
        timeout=settings.scanner_list_timeout_seconds,
    )
    if proc.returncode != 0:
        raise ExternalToolError(say("scanning.listing_failed",
                                    "listing scanners failed: {reason}",
                                    reason=_last_error(proc.stderr)))
    return parse_device_list(proc.stdout)


def parse_device_list(text: str) -> list[Device]:
    """Parse ``scanimage -f "%d|%v|%m|%t%n"``; the name may itself contain '|'."""
    devices: list[Device] = []
    for line in text.splitlines():
        parts = line.strip().rsplit("|", 3)
        if len(parts) == 4 and parts[0]:
            devices.append(Device(*(p.strip() for p in parts)))
    return devices


_OPTION = re.compile(
    r"^\s*--?(?P<name>[a-z0-9-]+)(?P<bool>\[=\(yes\|no\)\])?\s+(?P<values>.*?)\s*\[(?P<cur>[^\]]*)\]\s*$"
)


def device_options(
    device: str, *, settings: ScanSettings, env: Mapping[str, str] | None = None
) -> DeviceOptions:
    """Ask the device which sources, modes and resolutions it offers."""
    proc = _run(
        ["-d", device, "-A"],
        settings=settings,
        env=env,
        timeout=settings.scanner_list_timeout_seconds,
    )
    if proc.returncode != 0:
        raise _scan_error(device, proc.returncode, proc.stderr)
    return parse_options(proc.stdout)


def parse_options(text: str) -> DeviceOptions:
    """Parse ``scanimage -A`` output for source, mode, resolution and duplex options."""
    found: dict[str, str] = {}
    flags: set[str] = set()
    for line in text.splitlines():
        m = _OPTION.match(line)
        if not m:
            continue
        if m.group("bool"):
            flags.add(m.group("name"))
        elif m.group("cur") != "inactive" or m.group("name") == "source":
            found.setdefault(m.group("name"), m.group("values"))
    resolutions, res_range = _parse_resolution(found.get("resolution", ""))
    return DeviceOptions(
        sources=_split_values(found.get("source", "")),
        modes=_split_values(found.get("mode", "")),
        resolutions=resolutions,
        resolution_range=res_range,
        adf_modes=_split_values(found.get("adf-mode", "")),
        has_duplex_flag="duplex" in flags,
    )


def _split_values(values: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in values.split("|") if v.strip()) if values else ()


def _parse_resolution(values: str) -> tuple[tuple[int, ...], tuple[int, int] | None]:
    """'1..1200dpi (in steps of 1)' or '75|150|300dpi'."""
    span = re.match(r"(\d+)(?:\.\d+)?\.\.(\d+)", values)
    if span:
        return (), (int(span.group(1)), int(span.group(2)))
    numbers = tuple(int(float(v)) for v in re.findall(r"\d+(?:\.\d+)?", values))
    return numbers, None


# --------------------------------------------------------------------------- planning


def plan_scan(
    options: DeviceOptions, *, source: Source, duplex: bool, dpi: int, mode: Mode
) -> ScanPlan:
    """Map our request onto the device's own option values, or explain why not."""
    source_value, extra = _pick_source(options, source, duplex)
    return ScanPlan(
        source=source_value,
        mode=_pick_mode(options, mode),
        dpi=_pick_dpi(options, dpi),
        extra=extra,
    )


def _pick_source(
    options: DeviceOptions, source: Source, duplex: bool
) -> tuple[str | None, tuple[str, ...]]:
    sources = options.sources
    if source == "flatbed":
        if duplex:
            raise BadInput(
                say("scanning.flatbed_one_side",
                    "a flatbed scans one side at a time; use the document feeder for both sides")
            )
        if not sources:
            return None, ()
        flat = [s for s in sources if re.search(r"flatbed|platen|normal", s, re.I)]
        if not flat:
            raise BadInput(say("scanning.no_flatbed",
                               "this scanner has no flatbed (it offers: {sources})",
                               sources=', '.join(sources)))
        return flat[0], ()
    feeders = [s for s in sources if re.search(r"adf|feeder|automatic|duplex", s, re.I)]
    if not feeders:
        raise BadInput(say("scanning.no_feeder",
                           "this scanner has no document feeder; use the flatbed"))
    two_sided = [s for s in feeders if re.search(r"duplex", s, re.I)]
    one_sided = [s for s in feeders if s not in two_sided and not re.search(r"back|rear", s, re.I)]
    if not duplex:
        if not one_sided:
            raise BadInput(
                say("scanning.feeder_duplex_only",
                    "this scanner's feeder cannot scan one side only ({feeders})",
                    feeders=', '.join(feeders))
            )
        front = [s for s in one_sided if re.search(r"front", s, re.I)]
        return (front or one_sided)[0], ()
    if two_sided:
        return two_sided[0], ()
    adf_duplex = [m for m in options.adf_modes if re.search(r"duplex", m, re.I)]
    if one_sided and adf_duplex:
        return one_sided[0], (f"--adf-mode={adf_duplex[0]}",)
    if one_sided and options.has_duplex_flag:
        return one_sided[0], ("--duplex=yes",)
    raise BadInput(say("scanning.no_duplex", "this scanner cannot scan both sides"))


def _pick_mode(options: DeviceOptions, mode: Mode) -> str:
    if not options.modes:
        return mode
    for pattern in _MODE_PATTERNS[mode]:
        for value in options.modes:
            if re.search(pattern, value, re.I):
                return value
    raise BadInput(say("scanning.no_such_mode",
                       "this scanner has no {mode} mode (it offers: {modes})",
                       mode=mode, modes=', '.join(options.modes)))


def _pick_dpi(options: DeviceOptions, dpi: int) -> int:
    """The nearest resolution the device supports (ties go to the higher one)."""
    if options.resolution_range:
        low, high = options.resolution_range
        return max(low, min(high, dpi))
    if options.resolutions:
        return min(options.resolutions, key=lambda r: (abs(r - dpi), -r))
    return dpi


# --------------------------------------------------------------------------- scanning


def scan(
    device: Device | str,
    *,
    source: Source,
    duplex: bool,
    dpi: int,
    mode: Mode,
    settings: ScanSettings,
    ram_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
) -> Iterator[SourcePage]:
    """Scan sheets and yield each page as soon as the scanner finished it.

    Flatbed: one page. Feeder: until it runs empty (duplex gives front, back,
    front, back ...). Closing the generator early stops the scanner.
    ``ram_dir``: where scanimage may write a sheet for the moment it takes to
    read it; it must be on tmpfs (default: found by `ram_folder`).
    """
    scanner_backend(platform)
    name = device.name if isinstance(device, Device) else device
    plan = plan_scan(
        device_options(name, settings=settings, env=env),
        source=source,
        duplex=duplex,
        dpi=dpi,
        mode=mode,
    )
    parent = ram_folder() if ram_dir is None else _on_ram(ram_dir)
    _purge_orphans(parent)
    batch_dir = Path(tempfile.mkdtemp(prefix=f"{_SHEETS_PREFIX}{os.getpid()}-", dir=parent))
    try:
        yield from _run_batch(name, plan, source, batch_dir, settings, env)
    finally:
        shutil.rmtree(batch_dir, ignore_errors=True)


# --------------------------------------------------------------------------- RAM folder


def ram_folder(candidates: tuple[str, ...] | None = None) -> Path:
    """A folder on tmpfs for the sheets: ``$XDG_RUNTIME_DIR`` (per user, 0700) or /dev/shm.

    Why not the store's temp folder: a sheet deleted from a disk stays in its
    blocks until overwritten (the audit carved whole pages). A RAM folder is
    only ever in memory; it can reach swap like any memory (see docs/security.md).
    """
    if candidates is None:
        runtime = os.environ.get("XDG_RUNTIME_DIR", "")
        candidates = (*((runtime,) if runtime else ()), "/dev/shm", "/run/shm")
    for folder in candidates:
        path = Path(folder)
        usable = path.is_dir() and os.access(path, os.W_OK | os.X_OK)
        if usable and _fs_type(path) in _RAM_FILESYSTEMS:
            return path
    raise ExternalToolError(say("scanning.no_ram_folder", NO_RAM_FOLDER))


def _on_ram(path: Path) -> Path:
    if _fs_type(path) not in _RAM_FILESYSTEMS:
        raise ExternalToolError(say("scanning.no_ram_folder", NO_RAM_FOLDER))
    return path


def _fs_type(path: Path) -> str:
    """The filesystem type of the mount holding ``path`` ("" if unknown: not Linux)."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        real = os.path.realpath(path)
    except OSError:
        return ""
    best, kind = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _purge_orphans(parent: Path) -> None:
    """Remove sheet folders left by a scan whose process died (kill -9, power is fine:
    RAM is cleared); tmpfs outlives a process, so nothing else would."""
    try:
        entries = list(parent.glob(f"{_SHEETS_PREFIX}*-*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name.removeprefix(_SHEETS_PREFIX).split("-", 1)[0]
        try:
            mine = entry.lstat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _batch_args(device: str, plan: ScanPlan, source: Source, batch_dir: Path) -> list[str]:
    args = [
        "-d",
        device,
        "--format=pnm",
        f"--batch={batch_dir / 'sheet-%04d.pnm'}",
        "--batch-print",
    ]
    if plan.source is not None:
        args.append(f"--source={plan.source}")
    args += [f"--mode={plan.mode}", f"--resolution={plan.dpi}", *plan.extra]
    if source == "flatbed":
        args.append("--batch-count=1")  # a flatbed would otherwise be "scanned" forever
    return args


def _run_batch(
    device: str,
    plan: ScanPlan,
    source: Source,
    batch_dir: Path,
    settings: ScanSettings,
    env: Mapping[str, str] | None,
) -> Iterator[SourcePage]:
    try:
        proc = subprocess.Popen(
            [settings.scanimage_cmd, *_batch_args(device, plan, source, batch_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(env),
        )
    except FileNotFoundError as exc:
        raise ExternalToolError(say("scanning.scanimage_missing", INSTALL_HINT)) from exc
    lines: queue.Queue[str | None] = queue.Queue()
    errors: list[str | None] = []
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, lines.put), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, errors.append), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        pages = yield from _collect_sheets(device, plan, lines, batch_dir, settings)
        _finish(device, proc, errors, readers, settings, pages=pages)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _pump(stream: IO[str] | None, sink: Callable[[str | None], None]) -> None:
    """Copy lines from a pipe to a sink, then signal the end with None."""
    if stream is None:
        sink(None)
        return
    for line in stream:
        sink(line.rstrip("\n"))
    sink(None)


def _collect_sheets(
    device: str,
    plan: ScanPlan,
    lines: queue.Queue[str | None],
    batch_dir: Path,
    settings: ScanSettings,
) -> Generator[SourcePage, None, int]:
    """Yield each sheet scanimage reports as complete; returns how many there were."""
    index = 0
    while True:
        try:
            line = lines.get(timeout=settings.scanner_timeout_seconds)
        except queue.Empty as exc:
            waited = settings.scanner_timeout_seconds
            raise ExternalToolError(
                say("scanning.scanner_paper_jam",
                    "scanner {device} sent no page for {waited:.0f} seconds; check it for a paper "
                    "jam and scan again",
                    device=device, waited=waited)
            ) from exc
        if line is None:
            return index
        sheet = Path(line.strip())
        if not line.strip() or sheet.parent != batch_dir:
            continue  # not one of our files: never read or delete anything else
        image, digest = _read_sheet(sheet)
        yield SourcePage(f"scanner:{device}", index, image, plan.dpi, digest)
        index += 1


def _read_sheet(path: Path) -> tuple[Image.Image, str]:
    """Decode one finished sheet and delete the file at once (no page stays on disk).

    Also returns the SHA-256 of the raw sheet, which identifies this scan the
    way a file's hash identifies an imported file.
    """
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            image = im.convert("L") if im.mode in ("1", "L") else im.convert("RGB")
        return image, hashlib.sha256(data).hexdigest()
    except OSError as exc:
        raise ExternalToolError(say("scanning.scanner_page_unreadable",
                                    "the scanner delivered an unreadable page ({reason})",
                                    reason=exc)) from exc
    finally:
        path.unlink(missing_ok=True)


def _finish(
    device: str,
    proc: subprocess.Popen[str],
    errors: list[str | None],
    readers: list[threading.Thread],
    settings: ScanSettings,
    *,
    pages: int,
) -> None:
    """Wait for scanimage to end; an emptied feeder after some pages is a normal end."""
    try:
        code = proc.wait(timeout=settings.scanner_timeout_seconds)
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(say("scanning.scanner_unfinished",
                                    "scanner {device} did not finish; switch it off and on",
                                    device=device)) from exc
    for reader in readers:
        reader.join(timeout=5)
    stderr = "\n".join(e for e in errors if e)
    if code == 7 and pages > 0:
        return
    if code != 0:
        raise _scan_error(device, code, stderr)


def _scan_error(device: str, code: int, stderr: str) -> ExternalToolError:
    """A one-line explanation of a failed scanimage run."""
    low = stderr.lower()
    if "open of device" in low or "no such device" in low:
        return ExternalToolError(
            say("scanning.scanner_not_found",
                "scanner {device} was not found; check that it is switched on and connected",
                device=device)
        )
    if code in _STATUS_MESSAGES:
        return ExternalToolError(say("scanning.scanner_status",
                                     "scanner {device}: {status}",
                                     device=device, status=_STATUS_MESSAGES[code]))
    if "device busy" in low:
        return ExternalToolError(say("scanning.scanner_status",
                                     "scanner {device}: {status}",
                                     device=device, status=_STATUS_MESSAGES[3]))
    return ExternalToolError(say("scanning.scanner_failed",
                                 "scanner {device} failed: {reason}",
                                 device=device, reason=_last_error(stderr)))
