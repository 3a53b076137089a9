"""Desktop app benchmark: startup to the unlock screen and to the main window, and the
event-loop lag while a 50-page batch is read.

    .venv/bin/python bench/ui.py                    # the figures in docs/benchmarks.md
    .venv/bin/python bench/ui.py --docs 2000 --pages-ocr 10     # a quick look

1. A store with ``--docs`` documents (3 pages each, realistic Vietnamese text, real
   audit rows and search index) in 100-document batches of one clerk, made through
   the store API with the production key derivation (Argon2id 64 MiB).
2. Startup, in fresh processes (``--runs`` times): from the process start to the
   unlock screen painted; then from pressing Enter on the password to the main
   window showing the clerk's batches (the tree is loaded lazily, one level at a
   time), and to the first document opened with its page shown.
3. Lag: the clerk imports one ``--pages-ocr``-page PDF (synthetic NĐ 30 pages, 150
   dpi) while a 20 ms timer measures how late the event loop runs it; the real
   capture pipeline runs in its thread with OCR workers on every core.

Qt runs on its offscreen platform (same event loop and widgets, no display needed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

T_START = time.monotonic()
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PASSWORD = "bench-clerk-1"


# -- the store ---------------------------------------------------------------------------------

def build_store(folder: Path, docs: int) -> Path:
    from bench import vntext
    from store import batches, documents, users
    from store.roles import Role
    from store.session import init_store, open_session
    from store.settings import StoreSettings

    settings = StoreSettings(data_dir=folder / "store")
    init_store(settings, "admin", "bench-admin-1")
    with open_session(settings, "admin", "bench-admin-1") as admin:
        users.add_user(admin, "lan", Role.CLERK, PASSWORD)
    rng = random.Random(3)
    image = _page_jpeg()
    start = time.perf_counter()
    with open_session(settings, "lan", PASSWORD) as s:
        for i in range(docs):
            if i % 100 == 0:
                batch = batches.create_batch(s, f"Lô {i // 100 + 1:03d}")
            if i % 10 == 0:
                dossier = documents.add_dossier(s, batch, f"000.00.12.H29.2024.{i // 10 + 1:05d}",
                                                title="Hồ sơ")
            meta, texts = vntext.document(rng, 3)
            pages = [documents.PageInput(image=image, mime="image/jpeg", dpi=150,
                                         width=1240, height=1754, ocr_status="done",
                                         ocr_text=t) for t in texts]
            documents.add_document(s, dossier, pages, meta)
            if i and i % 2000 == 0:
                rate = i / (time.perf_counter() - start)
                print(f"  {i} documents ({rate:.0f}/s)", file=sys.stderr, flush=True)
    return settings.data_dir


def _page_jpeg() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for y in range(200, 1600, 48):
        draw.line((150, y, 1090, y), fill=(60, 60, 60), width=3)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def _sample_pdf(path: Path, pages: int) -> Path:
    from tests.corpus.generate import make_sample

    images = []
    index = 0
    while len(images) < pages:
        sample = make_sample(31, index, mode="upright", dpi=150, max_pages=2)
        images += [p.convert("RGB") for p in sample.pages]
        index += 1
    images = images[:pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path


# -- the child process: the app itself ---------------------------------------------------------

def _child(mode: str, data: Path, pdf: Path | None) -> dict[str, Any]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.main import prepare
    from app.tasks import LagMeter
    from app.window import MainWindow
    from capture.pipeline import CaptureSettings
    from scanning.settings import ScanSettings
    from store.settings import StoreSettings

    app = QApplication([sys.argv[0]])
    work = Path(tempfile.mkdtemp(prefix="sohoa-ui-bench-"))
    ctx = AppContext(store=StoreSettings(data_dir=data),
                     qsettings=QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat),
                     capture=CaptureSettings(scan=ScanSettings(pdf_dpi=150)),
                     log_dir=work / "log")
    prepare(app, ctx)
    window = MainWindow(ctx)
    window.resize(1366, 768)  # the usual ward PC screen
    window.show()

    def wait(condition: Any, timeout: float = 600.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise TimeoutError(mode)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    wait(lambda: window.unlock.isVisible())
    app.processEvents()
    out: dict[str, Any] = {"unlock_s": time.monotonic() - T_START}
    window.unlock.user.setText("lan")
    window.unlock.password.setText(PASSWORD)
    t0 = time.monotonic()
    window.unlock._submit()
    wait(lambda: window.work is not None and window.work.tree.model_.rowCount() > 0)
    app.processEvents()
    out["main_s"] = time.monotonic() - t0
    out["batches_shown"] = window.work.tree.model_.rowCount() if window.work else 0
    if mode == "startup":
        out["first_document_s"] = _first_document(window, wait, app) - t0
    else:
        out.update(_lag(window, wait, pdf, LagMeter))
    window.close()
    shutil.rmtree(work, ignore_errors=True)
    return out


def _first_document(window: Any, wait: Any, app: Any) -> float:
    """Open the newest batch, its first dossier and document, as a clerk clicks through."""
    tree, work = window.work.tree, window.work
    batch = tree.model_.item(0)
    tree.expand(batch.index())
    wait(lambda: batch.child(0) is not None and batch.child(0).data(tree_kind()) == "dossier")
    dossier = batch.child(0)
    tree.expand(dossier.index())
    wait(lambda: dossier.child(0) is not None and dossier.child(0).data(tree_kind())
         == "document")
    tree.setCurrentIndex(dossier.child(0).index())
    wait(lambda: work.opened is not None and work.viewer.has_image())
    app.processEvents()
    return time.monotonic()


def tree_kind() -> int:
    from app.tree import KIND

    return int(KIND)


def _lag(window: Any, wait: Any, pdf: Path | None, meter_class: Any) -> dict[str, Any]:
    assert pdf is not None
    meter = meter_class(20)
    meter.start()
    t0 = time.monotonic()
    dialog = window.import_paths([str(pdf)])
    done: list[Any] = []
    dialog.captured.connect(done.append)
    wait(lambda: bool(done), timeout=3600)
    meter.stop()
    seconds = time.monotonic() - t0
    summary = done[0]
    return {"pages": summary.pages, "stored": len(summary.stored), "capture_s": seconds,
            "pages_per_min": 60 * summary.pages / seconds, "lag_samples": len(meter.samples),
            "lag_p50_ms": meter.percentile(50), "lag_p99_ms": meter.percentile(99),
            "lag_max_ms": max(meter.samples or [0.0])}


# -- the parent: runs and reports --------------------------------------------------------------

def _run_child(mode: str, data: Path, pdf: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", mode, "--data", str(data)]
    if pdf is not None:
        cmd += ["--pdf", str(pdf)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=7200)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child {mode} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(lines[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages-ocr", type=int, default=50)
    parser.add_argument("--child", choices=("startup", "lag"))
    parser.add_argument("--data", type=Path)
    parser.add_argument("--pdf", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.data, args.pdf)), flush=True)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="sohoa-ui-bench-"))
    try:
        print(f"building a store of {args.docs} documents…", file=sys.stderr, flush=True)
        data = build_store(folder, args.docs)
        runs = [_run_child("startup", data) for _ in range(args.runs)]
        result: dict[str, Any] = {"docs": args.docs, "runs": args.runs}
        for key in ("unlock_s", "main_s", "first_document_s"):
            values = [r[key] for r in runs]
            result[key] = {"median": statistics.median(values), "max": max(values)}
        result["batches_shown"] = runs[0]["batches_shown"]
        print(f"reading a {args.pages_ocr}-page PDF…", file=sys.stderr, flush=True)
        pdf = _sample_pdf(folder / "lo-50-trang.pdf", args.pages_ocr)
        result["ocr"] = _run_child("lag", data, pdf)
        result["cores"] = os.cpu_count()
        print(json.dumps(result, indent=1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
