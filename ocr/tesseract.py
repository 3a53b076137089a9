"""The one wrapper around the ``tesseract`` program.

Every call goes through :func:`_run`, which owns the things each call needs:
keyword-only arguments, a per-call timeout, ``OMP_THREAD_LIMIT=1`` (we run one
Tesseract per core ourselves; its own OpenMP threads would fight ours), and a
translation of "not installed" / "language missing" / "timed out" into an
:class:`ExternalToolError` a clerk can act on.

The page image is piped to ``tesseract stdin stdout ... tsv`` as an
uncompressed PNM and the TSV comes back on stdout, so neither the image nor the
recognised text ever touches the disk. The caller's private ``temp_dir`` is
still used as Tesseract's working directory and ``TMPDIR`` so that anything
Leptonica might spill lands in a place the caller deletes.
"""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from ocr.model import PageText, Word
from ocr.settings import OcrSettings
from store.errors import ExternalToolError

INSTALL_HINT = "sudo apt install tesseract-ocr tesseract-ocr-vie"
MIN_VERSION = (4, 1)  # LSTM models and reading the image from stdin
_TSV_COLUMNS = 12
_WORD_LEVEL = "5"
_VERSION_TIMEOUT_S = 30.0


def _tool_env(temp_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    if temp_dir is not None:
        env["TMPDIR"] = str(temp_dir)
    return env


def _run(
    args: Sequence[str],
    *,
    settings: OcrSettings,
    timeout_s: float,
    stdin: bytes = b"",
    temp_dir: Path | None = None,
    what: str = "Tesseract",
) -> subprocess.CompletedProcess[bytes]:
    """Run ``tesseract`` with ``args``; raise ExternalToolError on any failure."""
    cmd = [settings.tesseract_cmd, *args]
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            capture_output=True,
            timeout=timeout_s,
            env=_tool_env(temp_dir),
            cwd=temp_dir,
            check=False,
        )
    except FileNotFoundError as exc:
        raise ExternalToolError(f"Tesseract is not installed: {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(f"{what}: Tesseract gave no result within {timeout_s:g} s") from exc
    if proc.returncode != 0:
        raise _failure(proc, what=what)
    return proc


def _failure(proc: subprocess.CompletedProcess[bytes], *, what: str) -> ExternalToolError:
    err = proc.stderr.decode("utf-8", "replace")
    lang = re.search(r"Failed loading language '([^']+)'", err)
    if lang:
        return ExternalToolError(
            f"Tesseract language '{lang.group(1)}' is not installed: "
            f"sudo apt install tesseract-ocr-{lang.group(1)}"
        )
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    detail = lines[-1] if lines else f"exit code {proc.returncode}"
    return ExternalToolError(f"{what}: Tesseract failed ({detail})")


def tesseract_version(*, settings: OcrSettings) -> tuple[int, int, int]:
    """The installed Tesseract version, e.g. ``(5, 3, 0)``."""
    proc = _run(["--version"], settings=settings, timeout_s=_VERSION_TIMEOUT_S)
    # Tesseract 3.x printed the banner on stderr, newer ones on stdout.
    banner = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    match = re.search(r"tesseract\s+v?(\d+)\.(\d+)(?:\.(\d+))?", banner)
    if not match:
        raise ExternalToolError(f"Cannot tell which Tesseract is installed: {INSTALL_HINT}")
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def installed_languages(*, settings: OcrSettings) -> frozenset[str]:
    """Languages Tesseract can load (``tesseract --list-langs``)."""
    proc = _run(["--list-langs"], settings=settings, timeout_s=_VERSION_TIMEOUT_S)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and ":" not in line)


def check_tesseract(*, settings: OcrSettings) -> str:
    """Fail early, with the apt command to run, if OCR cannot work here.

    Called once per batch by the parent, not per page: it costs two process
    starts. Returns the version as text for the document's provenance record.
    """
    version = tesseract_version(settings=settings)
    if version[:2] < MIN_VERSION:
        raise ExternalToolError(
            f"Tesseract {'.'.join(map(str, version))} is too old (need 4.1 or newer): "
            f"{INSTALL_HINT}"
        )
    available = installed_languages(settings=settings)
    missing = [lang for lang in settings.language_list if lang not in available]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise ExternalToolError(
            f"Tesseract language {', '.join(missing)} is not installed: sudo apt install {packages}"
        )
    return ".".join(map(str, version))


def _check_private_dir(temp_dir: Path) -> None:
    info = temp_dir.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise ValueError(f"{temp_dir} is not a directory")
    if os.name == "posix" and stat.S_IMODE(info.st_mode) & 0o077:
        raise ValueError(f"{temp_dir} must be private (mode 0700)")


def _as_pnm(image: Image.Image) -> bytes:
    """Uncompressed PNM: the cheapest lossless format Leptonica reads from memory."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("L" if image.mode in ("LA", "I", "I;16", "F") else "RGB")
    buf = io.BytesIO()
    image.save(buf, format="PPM")
    return buf.getvalue()


def image_dpi(image: Image.Image, default: int = 300) -> int:
    """The image's resolution as Pillow read it, or ``default`` when absent or absurd."""
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], int | float) and 50 <= dpi[0] <= 2400:
        return round(dpi[0])
    return default


def ocr_page(
    image: Image.Image,
    *,
    settings: OcrSettings,
    temp_dir: Path,
    dpi: int | None = None,
    page_label: str = "page",
) -> PageText:
    """Read one cleaned page; boxes are in pixels of ``image``.

    ``page_label`` (e.g. "page 3 of hồ sơ 12") names the page in the error
    raised on timeout or failure, so the caller can mark it and go on.
    """
    _check_private_dir(temp_dir)
    resolution = dpi or image_dpi(image)
    args = [
        "stdin", "stdout",
        "-l", settings.languages,
        "--oem", str(settings.oem),
        "--psm", str(settings.psm),
        "--dpi", str(resolution),
        "tsv",
    ]
    proc = _run(
        args,
        settings=settings,
        timeout_s=settings.page_timeout_s,
        stdin=_as_pnm(image),
        temp_dir=temp_dir,
        what=f"OCR of {page_label}",
    )
    return parse_tsv(
        proc.stdout.decode("utf-8", "replace"),
        width=image.width,
        height=image.height,
        dpi=resolution,
    )


def parse_tsv(tsv: str, *, width: int, height: int, dpi: int) -> PageText:
    """Turn Tesseract's TSV into words, numbering lines uniquely within the page.

    Tesseract numbers lines within a paragraph only; the model promises a
    page-unique ``line``, so lines are renumbered in reading order.
    """
    words: list[Word] = []
    last_key: tuple[int, int, int] | None = None
    line_no = 0
    for row in tsv.splitlines():
        cols = row.split("\t")
        if len(cols) < _TSV_COLUMNS or cols[0] != _WORD_LEVEL:
            continue
        text = unicodedata.normalize("NFC", "\t".join(cols[11:]).strip())
        if not text:
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        if last_key is not None and (block, par, line) != last_key:
            line_no += 1
        last_key = (block, par, line)
        left, top, w, h = (int(v) for v in cols[6:10])
        conf = max(0.0, min(100.0, float(cols[10])))
        words.append(Word(text, left, top, w, h, conf, block=block, par=par, line=line_no))
    return PageText(words=tuple(words), width=width, height=height, dpi=dpi)


def is_doubtful(word: Word, *, settings: OcrSettings) -> bool:
    """True when the clerk should check this word (low Tesseract confidence)."""
    return word.conf < settings.doubtful_conf


def doubtful_words(page: PageText, *, settings: OcrSettings) -> tuple[Word, ...]:
    """The words of ``page`` the GUI highlights for checking."""
    return tuple(w for w in page.words if is_doubtful(w, settings=settings))
