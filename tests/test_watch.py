"""Watch folder: complete files only, exactly once, across restarts."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from scanning import sources
from scanning.watch import is_complete, watch
from store import batches, documents
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, sohoa

POLL = 0.05
SETTLE = 0.2


def _pdf_bytes(pages: int = 3) -> bytes:
    buf = io.BytesIO()
    with pikepdf.new() as pdf:
        for _ in range(pages):
            pdf.add_blank_page()
        pdf.save(buf)
    return buf.getvalue()


def _image_bytes(fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img = Image.effect_noise((120, 90), 40).convert("RGB")
    img.save(buf, format=fmt, **kwargs)  # type: ignore[arg-type]
    return buf.getvalue()


class Recorder:
    """Collects handled files with their content at the moment of handling."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, bytes]] = []
        self.errors: list[tuple[Path, Exception]] = []
        self.lock = threading.Lock()

    def handle(self, path: Path) -> None:
        with self.lock:
            self.calls.append((path, path.read_bytes()))

    def on_error(self, path: Path, exc: Exception) -> None:
        with self.lock:
            self.errors.append((path, exc))

    def names(self) -> list[str]:
        with self.lock:
            return [p.name for p, _ in self.calls]


@contextmanager
def running(
    folder: Path,
    recorder: Recorder,
    state: Path | None,
    handle: Callable[[Path], None] | None = None,
) -> Iterator[threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(folder, handle or recorder.handle),
        kwargs={
            "stop": stop,
            "poll_seconds": POLL,
            "settle_seconds": SETTLE,
            "state_file": state,
            "on_error": recorder.on_error,
        },
        daemon=True,
    )
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def _wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


# --------------------------------------------------------------------------- completeness


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", _pdf_bytes()),
        ("a.jpg", _image_bytes("JPEG")),
        ("a.png", _image_bytes("PNG")),
        ("a.tif", _image_bytes("TIFF", compression="tiff_lzw")),
        ("a.bmp", _image_bytes("BMP")),
    ],
)
def test_is_complete_detects_half_written_files(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data[: len(data) * 2 // 3])
    assert not is_complete(path)
    path.write_bytes(data)
    assert is_complete(path)


def test_multipage_tiff_is_incomplete_until_the_last_page(tmp_path: Path) -> None:
    buf = io.BytesIO()
    frames = [Image.effect_noise((100, 100), 30).convert("L") for _ in range(3)]
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    data = buf.getvalue()
    path = tmp_path / "multi.tif"
    path.write_bytes(data[:-200])
    assert not is_complete(path)
    path.write_bytes(data)
    assert is_complete(path)


def test_empty_file_is_not_complete(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert not is_complete(path)


# --------------------------------------------------------------------------- watching


def test_slow_writer_is_handled_once_after_completion(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    data = _pdf_bytes(20)
    recorder = Recorder()
    target = inbox / "scan0001.pdf"

    def slow_copier() -> None:
        chunk = len(data) // 6 + 1  # six chunks; the end marker arrives with the last
        with open(target, "wb") as fh:
            for start in range(0, len(data), chunk):
                fh.write(data[start : start + chunk])
                fh.flush()
                # pauses longer than the settle time: only the structure check saves us
                time.sleep(SETTLE * 2.5)

    with running(inbox, recorder, tmp_path / "state.json"):
        writer = threading.Thread(target=slow_copier)
        writer.start()
        writer.join()
        assert _wait_for(lambda: len(recorder.calls) == 1)
        time.sleep(SETTLE * 3)  # more polls must not hand it over again
    assert recorder.names() == ["scan0001.pdf"]
    assert recorder.calls[0][1] == data  # handled only once it was complete
    assert recorder.errors == []


def test_restart_does_not_handle_again_but_a_replaced_file_is(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    state = tmp_path / "state.json"
    (inbox / "page10.png").write_bytes(_image_bytes("PNG"))
    (inbox / "page2.png").write_bytes(_image_bytes("PNG"))
    (inbox / "sub" / "x.jpg").write_bytes(_image_bytes("JPEG"))
    (inbox / ".hidden.png").write_bytes(_image_bytes("PNG"))
    (inbox / "copying.pdf.part").write_bytes(_pdf_bytes())

    first = Recorder()
    with running(inbox, first, state):
        assert _wait_for(lambda: len(first.calls) == 3)
    assert first.names() == ["page2.png", "page10.png", "x.jpg"]
    assert set(json.loads(state.read_text())["processed"]) == {
        "page2.png",
        "page10.png",
        "sub/x.jpg",
    }

    second = Recorder()
    with running(inbox, second, state):
        time.sleep(SETTLE * 4)
        assert second.calls == []
        # the copier reuses a name for a new scan: that is a new file
        (inbox / "page2.png").write_bytes(_image_bytes("BMP"))
        assert _wait_for(lambda: len(second.calls) == 1)
    assert second.names() == ["page2.png"]


def test_failing_handler_is_reported_and_not_retried(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.pdf").write_bytes(_pdf_bytes())
    recorder = Recorder()
    attempts: list[Path] = []

    def failing(path: Path) -> None:
        attempts.append(path)
        raise ValueError("store locked")

    with running(inbox, recorder, None, handle=failing):
        assert _wait_for(lambda: len(recorder.errors) == 1)
        time.sleep(SETTLE * 3)
    assert len(attempts) == 1
    assert str(recorder.errors[0][1]) == "store locked"


def test_missing_folder_is_reported_and_watched_until_it_appears(tmp_path: Path) -> None:
    inbox = tmp_path / "share"
    recorder = Recorder()
    with running(inbox, recorder, None):
        assert _wait_for(lambda: len(recorder.errors) >= 1)
        inbox.mkdir()
        (inbox / "a.png").write_bytes(_image_bytes("PNG"))
        assert _wait_for(lambda: recorder.names() == ["a.png"])


def test_cli_watch_once_on_a_stored_file_opens_no_batch(store: StoreFixture,
                                                        tmp_path: Path) -> None:
    """A restarted watcher sees the stored scan again: it says so, and leaves no empty batch."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    scan = inbox / "scan-001.png"
    scan.write_bytes(_image_bytes("PNG"))
    clerk = store.login("lan")
    batch = batches.create_batch(clerk, "Lô 2024-03")
    dossier = documents.add_dossier(clerk, batch, "H29.2024.01", title="Hồ sơ")
    page = documents.PageInput(image=scan.read_bytes(), mime="image/png", dpi=300, width=120,
                               height=90, ocr_status="done", ocr_text="", words=[])
    doc_id = documents.add_document(clerk, dossier, [page], {}, source=str(scan),
                                    source_sha256=sources.file_sha256(scan))
    clerk.close()
    done = sohoa("watch", str(inbox), "--once", "--settle", "0.2", "--poll", "0.1", "--json",
                 data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]})
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["duplicate_of"] for line in done.stdout.splitlines()] == [doc_id]
    assert "1 already there" in done.stderr
    with open_session(store.settings, "lan", PASSWORDS["lan"]) as again:
        assert [b.name for b in batches.list_batches(again)] == ["Lô 2024-03"]
