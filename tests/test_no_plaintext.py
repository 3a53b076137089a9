"""Issue 12 item 2: no page image, PDF/A or package is ever on disk in clear, even for a moment.

The attack audit carved a whole PDF/A from the raw disk after capture had written it
under ``DIR/tmp`` and deleted it, and found sync packages there in clear for the length
of an upload. A scan of the data folder *after* the run (tests/test_store_plaintext.py)
cannot see a file that lived for 50 ms, so this test watches *while* a real ingest
(real clean-up and Tesseract), a page operation and a sync to a live warehouse run:

- an audit hook (``sys.addaudithook``: the interpreter's own events, raised *before*
  the operation) reads every file under the data folder just before it is removed
  (``os.remove``/``unlink``, ``shutil.rmtree``), renamed or truncated, so a temp file
  is seen with whatever it held, however briefly it lived;
- a thread reads, as fast as it can, every file under the data folder and every file
  this process holds open there, named or not (``/proc/self/fd``: an ``O_TMPFILE``
  spool has no name), so what is on disk mid-write is seen too.

Every byte seen is searched for a PDF header, a tar header, PNG and JPEG signatures,
and the document's citizen name and CCCD. The SQLite files themselves are left to
test_store_plaintext.py: opening and closing ``store.db`` here would drop SQLite's
POSIX locks, which belong to the whole process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from capture import pages as page_ops
from capture.pipeline import CaptureSettings, IngestRequest, ingest
from capture.scan_ingest import ScanRequest, scan_and_ingest
from store import batches, outbox, site
from store.errors import ExitCode
from sync import client, engine
from sync.settings import KIB, SyncSettings
from tests.conftest import PASSWORDS, StoreFixture, sohoa
from tests.corpus.generate import Sample, generate
from tests.test_sync_support import running_warehouse
from tests.test_warehouse_support import AGENCY, token

FAST = SyncSettings(chunk_size=16 * KIB, read_timeout=5, backoff_base=0.05, backoff_cap=0.5)
HEADERS = {"PDF": b"%PDF-1.", "tar": b"ustar\x0000", "PNG": b"\x89PNG\r\n\x1a\n",
           "JPEG": b"\xff\xd8\xff\xe0\x00\x10JFIF"}
SQLITE = ("store.db", "store.db-wal", "store.db-shm", "store.db-journal")


def _needles(sample: Sample) -> dict[str, bytes]:
    found = dict(HEADERS)
    for cccd in sample.truth["citizen_ids"]:
        found[f"CCCD {cccd}"] = cccd.encode()
    name = str(sample.truth["signer_name"])
    for codec in ("utf-8", "utf-16-le", "utf-16-be"):
        found[f"name ({codec})"] = name.encode(codec)
    return found


@dataclass
class Watcher:
    """Everything seen under ``root`` while active: how many reads, and what was found."""

    root: Path
    needles: dict[str, bytes]
    active: bool = False
    seen: set[str] = field(default_factory=set)  # digests already searched
    reads: int = 0
    files: set[str] = field(default_factory=set)
    hits: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    def under(self, path: object) -> Path | None:
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        if not isinstance(path, str | os.PathLike):
            return None
        full = Path(os.path.abspath(os.fspath(path)))
        if full.name in SQLITE or full.suffix == ".lock" or not full.is_relative_to(self.root):
            return None
        return full

    def search(self, where: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()
        with self.lock:
            self.reads += 1
            self.files.add(where)
            if digest in self.seen:
                return
            self.seen.add(digest)
        for label, needle in self.needles.items():
            if needle in data:
                with self.lock:
                    self.hits.append(f"{label} in {where}")

    def read_file(self, path: Path, where: str | None = None) -> None:
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                self.search(where or str(path.relative_to(self.root)), path.read_bytes())

    def read_tree(self, top: Path) -> None:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if self.under(path) is not None:
                self.read_file(path)

    # -- the audit hook: just before a file goes or changes ---------------------------------

    def hook(self, event: str, args: tuple[object, ...]) -> None:
        if not self.active or getattr(self.local, "busy", False):
            return
        self.local.busy = True  # reading a file raises "open" again: not for us
        try:
            self._on(event, args)
        finally:
            self.local.busy = False

    def _on(self, event: str, args: tuple[object, ...]) -> None:
        if event in ("os.remove", "os.rename") and args:
            dir_fd = args[-1] if event == "os.remove" else args[2]
            path = self._resolve(args[0], dir_fd)
            if path is not None:
                self.read_file(path, f"{path.relative_to(self.root)} (removed or renamed)")
        elif event == "shutil.rmtree" and args:
            path = self._resolve(args[0], args[1] if len(args) > 1 else None)
            if path is not None:
                self.read_tree(path)
        elif event == "open" and len(args) >= 2:
            mode, path = str(args[1] or ""), self.under(args[0])
            if path is not None and "w" in mode:
                self.read_file(path, f"{path.relative_to(self.root)} (as it was truncated)")

    def _resolve(self, path: object, dir_fd: object) -> Path | None:
        if isinstance(dir_fd, int) and dir_fd >= 0 and isinstance(path, str | bytes):
            with contextlib.suppress(OSError):
                path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), os.fsdecode(path))
        return self.under(path)

    # -- the thread: whatever is on disk now ------------------------------------------------

    def poll(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.read_tree(self.root)
            self.read_open_files()

    def read_open_files(self) -> None:
        """Files this process holds open under the data folder, named or not (O_TMPFILE)."""
        with contextlib.suppress(OSError):
            for fd in os.listdir("/proc/self/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/self/fd/{fd}")
                    clean = target.removesuffix(" (deleted)")
                    if not clean.startswith(str(self.root)) or Path(clean).name in SQLITE \
                            or clean.endswith(".lock"):
                        continue
                    with open(f"/proc/self/fd/{fd}", "rb") as fh:  # a new offset: harmless
                        self.search(f"open file {target}", fh.read())


_WATCHER: list[Watcher] = []


def _dispatch(event: str, args: tuple[object, ...]) -> None:
    for watcher in _WATCHER:
        watcher.hook(event, args)


@contextlib.contextmanager
def watching(root: Path, needles: dict[str, bytes]) -> Iterator[Watcher]:
    """Watch ``root`` for the duration of the block (the hook stays, idle, afterwards:
    audit hooks cannot be removed)."""
    if not getattr(sys, "_sohoa_no_plaintext_hook", False):
        sys.addaudithook(_dispatch)
        sys._sohoa_no_plaintext_hook = True  # type: ignore[attr-defined]
    watcher = Watcher(root.resolve(), needles, active=True)
    _WATCHER.append(watcher)
    stop = threading.Event()
    thread = threading.Thread(target=watcher.poll, args=(stop,), daemon=True)
    thread.start()
    try:
        yield watcher
    finally:
        stop.set()
        thread.join(30)
        watcher.active = False
        _WATCHER.remove(watcher)
    watcher.read_tree(watcher.root)  # and whatever is left


@pytest.fixture(scope="module")
def sample() -> Sample:
    return generate(5, 1, mode="clean", dpi=200, max_pages=1)[0]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
def test_ingest_page_edit_and_sync_never_put_clear_bytes_on_disk(
    store: StoreFixture, sample: Sample, tmp_path: Path
) -> None:
    source = tmp_path / "inputs" / "quyet-dinh.png"
    source.parent.mkdir()
    sample.pages[0].save(source, dpi=(200, 200))
    admin, lan, minh = store.login("admin"), store.login("lan"), store.login("minh")
    site.set_value(admin, "agency_code", AGENCY)
    needles = _needles(sample)
    with running_warehouse(tmp_path / "wh") as house, \
            watching(store.settings.data_dir, needles) as w:
        report = ingest(lan, IngestRequest([str(source)], "Lô 1"), CaptureSettings())
        (outcome,) = report.stored
        page_id = lan.conn.execute("SELECT id FROM page WHERE document_id = ?",
                                   (outcome.id,)).fetchone()[0]
        page_ops.rotate_page(lan, page_id, 2)  # the PDF/A is made again
        batches.submit(lan, "Lô 1")
        batches.approve(minh, "Lô 1")
        outbox.save_credential(admin, client.enrol(house.url, token(house), "desk-1", FAST))
        sent = engine.run_sync(minh, FAST, once=True)
        assert len(house.packages()) == 1
    assert sent.count("acknowledged") == 1, sent
    assert w.reads > 20 and any("open file" in f for f in w.files), (w.reads, w.files)
    assert w.hits == [], "\n".join(w.hits)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("scanimage") is None or not Path("/proc/self/fd").is_dir(),
                    reason="needs sane-utils (scanimage) and /proc")
def test_a_scan_never_puts_clear_sheets_on_disk(store: StoreFixture, tmp_path: Path) -> None:
    """A feeder scan: SANE's sheets and the stacked TIFF stay in RAM (tmpfs, memfd), never
    under the data folder, where a deleted file can be carved back (issue 12 item 2)."""
    conf = tmp_path / "sane.d"
    conf.mkdir()
    (conf / "dll.conf").write_text("test\n")
    if Path("/etc/sane.d/test.conf").exists():
        shutil.copy("/etc/sane.d/test.conf", conf / "test.conf")
    lan = store.login("lan")
    needles = {**HEADERS, "PNM from SANE": b"# SANE data follows", "TIFF": b"II*\x00"}
    with watching(store.settings.data_dir, needles) as w:
        report = scan_and_ingest(lan, ScanRequest("test:0", "adf", dpi=50, mode="Gray"),
                                 IngestRequest([], "Lô quét"), CaptureSettings(),
                                 env={**os.environ, "SANE_CONFIG_DIR": str(conf)})
    assert report.stored and report.pages == 10
    assert w.hits == [], "\n".join(w.hits)


def test_the_watcher_sees_a_file_that_lives_a_moment(tmp_path: Path) -> None:
    """The watch itself can fail: a PDF written and deleted at once is caught."""
    root = tmp_path / "data"
    (root / "tmp").mkdir(parents=True)
    with watching(root, dict(HEADERS)) as w:
        temp = root / "tmp" / "x"
        temp.mkdir()
        (temp / "doc.pdf").write_bytes(b"%PDF-1.7\n...")
        (temp / "doc.pdf").unlink()
        (temp / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n...")
        shutil.rmtree(temp)
        time.sleep(0.05)
    assert sorted(h.split(" in ")[0] for h in w.hits) == ["PDF", "PNG"], w.hits


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_temp_folder_replaced_by_a_file_or_a_link_is_one_line(
    store: StoreFixture, tmp_path: Path, kind: str
) -> None:
    """A link would send temp files, and the purge at login, to a folder someone chose."""
    temp = store.settings.paths.temp
    shutil.rmtree(temp, ignore_errors=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("not sohoa's")
    if kind == "file":
        temp.write_text("x")
    else:
        temp.symlink_to(elsewhere, target_is_directory=True)
    done = sohoa("info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]})
    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert "temp folder" in done.stderr and "Traceback" not in done.stderr
    assert (elsewhere / "precious.txt").read_text() == "not sohoa's"
