"""The one wrapper around Tesseract: in-process through ``tesserocr``, or the program.

Two engines give the same output (TSV -> :class:`PageText`, boxes in pixels of
the image given, confidences 0..100):

- **library** (``tesserocr``, whose wheels bundle libtesseract and Leptonica,
  on Linux and Windows alike): the model is loaded once per process and kept,
  and the page goes in as raw pixels (no encoding, no pipe, nothing on disk).
  Measured on the capture bench, each ``tesseract`` program start loaded the
  ``vie`` model again, 0.3-0.5 s of a 2 s page.
- **program** (``tesseract stdin stdout ... tsv``): the fallback where the
  library cannot load. Every call goes through :func:`_run`, which owns
  keyword-only arguments, a per-call timeout, ``OMP_THREAD_LIMIT=1`` (we run
  one Tesseract per core ourselves; its own OpenMP threads would fight ours),
  and the caller's private ``temp_dir`` as working directory and ``TMPDIR``.

``OcrSettings.engine`` chooses ("auto" takes the library when it loads with the
languages). "Not installed" / "language missing" / "timed out" become an
:class:`ExternalToolError` whose remedy names this platform's way to fix it.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import stat
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from PIL import Image

from ocr.model import PageText, Word
from ocr.settings import OcrSettings
from store.errors import ExternalToolError
from store.messages import say

MIN_VERSION = (4, 1)  # LSTM models and reading the image from stdin
_TSV_COLUMNS = 12
_WORD_LEVEL = "5"
_VERSION_TIMEOUT_S = 30.0
_DEFAULT_CMD = OcrSettings().tesseract_cmd
# Where Debian/Ubuntu (tesseract-ocr-vie, tesseract-ocr-osd) and other Unix packages put
# the models; the Windows installer puts them in "tessdata" beside sohoa.exe.
_SYSTEM_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


def install_hint(platform: str = sys.platform) -> str:
    """What a technician runs to get Tesseract and the Vietnamese model, on ``platform``."""
    if platform == "win32":
        return ("reinstall sohoa with its installer (it bundles Tesseract and the vie model), "
                "or copy vie.traineddata into the tessdata folder beside sohoa.exe")
    return "sudo apt install tesseract-ocr tesseract-ocr-vie"


def language_hint(languages: Sequence[str], platform: str = sys.platform) -> str:
    """The remedy for missing language models, on ``platform``."""
    if platform == "win32":
        files = ", ".join(f"{lang}.traineddata" for lang in languages)
        return f"copy {files} into the tessdata folder beside sohoa.exe"
    return "sudo apt install " + " ".join(f"tesseract-ocr-{lang}" for lang in languages)


INSTALL_HINT = install_hint()


# =========================================================================== the library


@functools.cache
def _tesserocr() -> ModuleType | None:
    """The ``tesserocr`` module, or None when it (or the libtesseract it bundles) cannot load."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read when libtesseract loads
    try:
        import tesserocr
    except (ImportError, OSError):
        return None
    module: ModuleType = tesserocr
    return module


def _tessdata_candidates(settings: OcrSettings) -> list[Path]:
    if settings.tessdata_dir:
        return [Path(settings.tessdata_dir)]
    found = [Path(p) / "tessdata" if (Path(p) / "tessdata").is_dir() else Path(p)
             for p in (os.environ.get("TESSDATA_PREFIX"),) if p]
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller build (the Windows installer)
    found += [Path(p) / "tessdata" for p in (bundle, Path(sys.executable).parent) if p]
    return found + [Path(p) for p in _SYSTEM_TESSDATA]


def find_tessdata(settings: OcrSettings) -> Path | None:
    """The first model folder that holds every language of ``settings``, or None."""
    for folder in _tessdata_candidates(settings):
        if all((folder / f"{lang}.traineddata").is_file() for lang in settings.language_list):
            return folder
    return None


def engine_name(settings: OcrSettings) -> str:
    """"library" or "program": which engine reads pages with these settings here."""
    if settings.engine == "program" or (settings.engine == "auto"
                                        and settings.tesseract_cmd != _DEFAULT_CMD):
        return "program"  # settings that name a program of their own mean that program
    if _tesserocr() is not None and find_tessdata(settings) is not None:
        return "library"
    if settings.engine == "library":
        if _tesserocr() is None:
            raise ExternalToolError(say("ocr.library_unloadable",
                                        "The Tesseract library (tesserocr) cannot load: {hint}",
                                        hint=install_hint()))
        raise ExternalToolError(say("ocr.language_missing",
                                    "Tesseract language {languages} is not installed: {hint}",
                                    languages=settings.languages,
                                    hint=language_hint(settings.language_list)))
    return "program"


class _Library:
    """One loaded model per (folder, languages, engine mode), kept for the process's life.

    A worker reads its pages one at a time, but the GUI and tests may call in from
    more than one thread: the API object is not thread-safe, so a lock guards it.
    """

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _apis: ClassVar[dict[tuple[str, str, int], Any]] = {}

    @classmethod
    def api(cls, settings: OcrSettings) -> Any:
        tessdata = find_tessdata(settings)
        if tessdata is None:
            raise ExternalToolError(say("ocr.language_missing",
                                        "Tesseract language {languages} is not installed: {hint}",
                                        languages=settings.languages,
                                        hint=language_hint(settings.language_list)))
        key = (str(tessdata), settings.languages, settings.oem)
        api = cls._apis.get(key)
        if api is None:
            lib = _tesserocr()
            assert lib is not None
            try:
                api = lib.PyTessBaseAPI(path=str(tessdata) + os.sep, lang=settings.languages,
                                        oem=settings.oem, psm=settings.psm)
            except RuntimeError as exc:
                raise ExternalToolError(say("ocr.languages_unloadable",
                                            "Tesseract cannot load {languages} from {tessdata}: "
                                            "{hint}",
                                            languages=settings.languages, tessdata=tessdata,
                                            hint=language_hint(settings.language_list))
                                        ) from exc
            cls._apis[key] = api
        return api


def _raw(image: Image.Image) -> tuple[bytes, int]:
    """The pixels as Tesseract takes them from memory, and bytes per pixel."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("P", "RGBA", "CMYK", "YCbCr") else "L")
    return image.tobytes(), len(image.mode)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Leptonica writes its warnings ("Error in pixScanForForeground") to file descriptor 2:
    from a worker that is the clerk's terminal. The program engine's stderr is captured;
    the library's is sent to the null device while it reads, and nothing else writes then
    (the worker reads one page at a time, under the lock)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _library_tsv(image: Image.Image, *, settings: OcrSettings, dpi: int, psm: int,
                 timeout_s: float, what: str) -> str:
    data, depth = _raw(image)
    with _Library._lock, _quiet_stderr():
        api = _Library.api(settings)
        api.SetPageSegMode(psm)
        api.SetImageBytes(data, image.width, image.height, depth, depth * image.width)
        api.SetSourceResolution(dpi)
        done = api.Recognize(timeout=max(1, round(timeout_s * 1000)))
        tsv = api.GetTSVText(0) if done else None
        api.Clear()
    if tsv is None:
        raise ExternalToolError(say("ocr.tesseract_timeout",
                                    "{what}: Tesseract gave no result within {seconds:g} s",
                                    what=what, seconds=timeout_s))
    return str(tsv)


# =========================================================================== the program


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
        raise ExternalToolError(say("ocr.not_installed",
                                    "Tesseract is not installed: {hint}",
                                    hint=install_hint())) from exc
    except subprocess.TimeoutExpired as exc:
        raise ExternalToolError(say("ocr.tesseract_timeout",
                                    "{what}: Tesseract gave no result within {seconds:g} s",
                                    what=what, seconds=timeout_s)) from exc
    if proc.returncode != 0:
        raise _failure(proc, what=what)
    return proc


def _failure(proc: subprocess.CompletedProcess[bytes], *, what: str) -> ExternalToolError:
    err = proc.stderr.decode("utf-8", "replace")
    lang = re.search(r"Failed loading language '([^']+)'", err)
    if lang:
        return ExternalToolError(
            say("ocr.language_missing_one",
                "Tesseract language '{language}' is not installed: {hint}",
                language=lang.group(1), hint=language_hint([lang.group(1)]))
        )
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    detail = lines[-1] if lines else f"exit code {proc.returncode}"
    return ExternalToolError(say("ocr.tesseract_failed",
                                 "{what}: Tesseract failed ({detail})",
                                 what=what, detail=detail))


def tesseract_version(*, settings: OcrSettings) -> tuple[int, int, int]:
    """The Tesseract version that reads pages with ``settings``, e.g. ``(5, 5, 4)``."""
    lib = _tesserocr()
    if engine_name(settings) == "library" and lib is not None:
        banner = str(lib.tesseract_version())
    else:
        proc = _run(["--version"], settings=settings, timeout_s=_VERSION_TIMEOUT_S)
        # Tesseract 3.x printed the banner on stderr, newer ones on stdout.
        banner = (proc.stdout + proc.stderr).decode("utf-8", "replace")
    match = re.search(r"tesseract\s+v?(\d+)\.(\d+)(?:\.(\d+))?", banner)
    if not match:
        raise ExternalToolError(say("ocr.version_unknown",
                                    "Cannot tell which Tesseract is installed: {hint}",
                                    hint=install_hint()))
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def installed_languages(*, settings: OcrSettings) -> frozenset[str]:
    """Languages the engine can load (the model folder, or ``tesseract --list-langs``)."""
    if engine_name(settings) == "library":
        folder = find_tessdata(settings)
        assert folder is not None
        return frozenset(p.name.removesuffix(".traineddata")
                         for p in folder.glob("*.traineddata"))
    proc = _run(["--list-langs"], settings=settings, timeout_s=_VERSION_TIMEOUT_S)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and ":" not in line)


def check_tesseract(*, settings: OcrSettings) -> str:
    """Fail early, with the remedy for this platform, if OCR cannot work here.

    Called once per batch by the parent, not per page. Returns the version as
    text for the document's provenance record.
    """
    version = tesseract_version(settings=settings)
    if version[:2] < MIN_VERSION:
        raise ExternalToolError(
            say("ocr.version_too_old",
                "Tesseract {version} is too old (need 4.1 or newer): {hint}",
                version='.'.join(map(str, version)), hint=install_hint())
        )
    available = installed_languages(settings=settings)
    missing = [lang for lang in settings.language_list if lang not in available]
    if missing:
        raise ExternalToolError(
            say("ocr.languages_missing",
                "Tesseract language {languages} is not installed: {hint}",
                languages=', '.join(missing), hint=language_hint(missing))
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


def read_tsv(
    image: Image.Image,
    *,
    settings: OcrSettings,
    temp_dir: Path,
    dpi: int,
    psm: int | None = None,
    what: str = "OCR",
) -> str:
    """Tesseract's TSV for ``image`` from the engine ``settings`` choose (see module doc)."""
    _check_private_dir(temp_dir)
    psm = settings.psm if psm is None else psm
    if engine_name(settings) == "library":
        return _library_tsv(image, settings=settings, dpi=dpi, psm=psm,
                            timeout_s=settings.page_timeout_s, what=what)
    args = ["stdin", "stdout", "-l", settings.languages, "--oem", str(settings.oem),
            "--psm", str(psm), "--dpi", str(dpi), "tsv"]
    proc = _run(args, settings=settings, timeout_s=settings.page_timeout_s,
                stdin=_as_pnm(image), temp_dir=temp_dir, what=what)
    return proc.stdout.decode("utf-8", "replace")


def ocr_page(
    image: Image.Image,
    *,
    settings: OcrSettings,
    temp_dir: Path,
    dpi: int | None = None,
    page_label: str = "page",
    psm: int | None = None,
) -> PageText:
    """Read one cleaned page; boxes are in pixels of ``image``.

    ``page_label`` (e.g. "page 3 of hồ sơ 12") names the page in the error
    raised on timeout or failure, so the caller can mark it and go on.
    ``psm`` overrides the settings' page segmentation (6 for a strip of text).
    """
    resolution = dpi or image_dpi(image)
    tsv = read_tsv(image, settings=settings, temp_dir=temp_dir, dpi=resolution, psm=psm,
                   what=f"OCR of {page_label}")
    return parse_tsv(tsv, width=image.width, height=image.height, dpi=resolution)


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
