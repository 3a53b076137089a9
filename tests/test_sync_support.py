"""Helpers shared by the sync and warehouse tests: approved dossiers, a live warehouse.

Dossiers are made straight through the store API with small generated PDF/A
files (no OCR): the sync tests are about packaging and transport.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests
from PIL import Image, ImageDraw

from capture.pdfa import write_pdfa
from ocr.model import PageText
from store import batches, documents
from store.session import Session
from tests.conftest import REPO

EARK_VALIDATE = REPO.parent / "shared" / "tools" / "eark-validate"


def tiny_pdf(seed: int, *, pages: int = 1) -> bytes:
    """A small, distinct PDF/A-2b: an A6 page at 100 dpi with a pattern drawn from ``seed``."""
    items = []
    for page in range(pages):
        image = Image.new("L", (413, 583), 255)
        draw = ImageDraw.Draw(image)
        for i in range(12):
            y = 30 + i * 42
            width = 80 + (seed * 37 + i * 53 + page * 11) % 280
            draw.rectangle((30, y, 30 + width, y + 12), fill=(seed * 7 + i) % 120)
        items.append((image, PageText((), 413, 583, 100), 100))
    out = io.BytesIO()
    write_pdfa(out, iter(items), title=f"Văn bản {seed}", author="UBND phường Bến Nghé",
               subject="Quyết định", created=datetime(2024, 3, 5, 9, 0, tzinfo=UTC))
    return out.getvalue()


def make_dossier(
    clerk: Session, batch: str, file_code: str, docs: int, *, seed: int = 0,
    pages_per_doc: int = 1,
) -> int:
    """One dossier of ``docs`` documents, each with its PDF/A, in the clerk's batch."""
    info = batches.get_or_create_batch(clerk, batch)
    dossier_id = documents.add_dossier(
        clerk, info, file_code, title=f"Hồ sơ {file_code}", paper_file_code=f"G-{file_code}",
        maintenance="01", mode="Hạn chế", start_date="2024-01-02", end_date="2024-12-30",
        description="Hồ sơ cấp phép xây dựng")
    for n in range(docs):
        pdf = tiny_pdf(seed * 1000 + n, pages=pages_per_doc)
        page = documents.PageInput(image=pdf[:64] + str(seed * 1000 + n).encode(),
                                   mime="image/png", dpi=100, width=413, height=583,
                                   ocr_status="done", ocr_text=f"Số: {n + 1}/QĐ-UBND")
        documents.add_document(
            clerk, dossier_id, [page],
            {"type_name": "Quyết định", "code_number": str(n + 1), "code_notation": "QĐ-UBND",
             "issued_date": "2024-03-05", "organ_name": "UBND phường Bến Nghé",
             "subject": f"Về việc cấp phép số {n + 1}", "signer_position": "Chủ tịch",
             "signer_name": "Trần Văn Đức"},
            citizen_ids=["079303001270"], source=f"scan-{seed}-{n}.pdf", pdf=io.BytesIO(pdf))
    return dossier_id


def approve(clerk: Session, supervisor: Session, batch: str) -> None:
    batches.submit(clerk, batch)
    batches.approve(supervisor, batch)


def eark_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """The E-ARK reference validator, offline (../shared/tools/eark-validate)."""
    return subprocess.run([sys.executable, str(EARK_VALIDATE), str(path)],
                          capture_output=True, text=True, timeout=120, check=False)


# -- a warehouse in a subprocess ------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def warehouse_cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warehouse", *args, "--data", str(data)],
                          capture_output=True, text=True, cwd=REPO, timeout=60, check=False)


@dataclass
class Warehouse:
    """``python -m warehouse serve`` on a free loopback port; restartable, always stopped."""

    data: Path
    chaos: int | None = None
    extra: tuple[str, ...] = ()
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        scheme = "https" if "--certfile" in self.extra else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> None:
        args = [sys.executable, "-m", "warehouse", "serve", "--host", "127.0.0.1",
                "--port", str(self.port), "--data", str(self.data), *self.extra]
        if self.chaos is not None:
            args += ["--chaos", str(self.chaos)]
        self.log = self.data.parent / f"warehouse-{self.port}.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(args, cwd=REPO, stdout=log, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"warehouse exited: {self.log.read_text()[-2000:]}")
            with contextlib.suppress(requests.RequestException), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # TLS is not verified by this probe
                if requests.get(self.url + "/v1/health", timeout=1, verify=False).ok:
                    return
            time.sleep(0.05)
        raise RuntimeError("warehouse did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def restart(self) -> None:
        self.stop(signal.SIGKILL)
        self.start()

    def token(self, station: str = "desk-1", *agencies: str) -> str:
        """A one-time token for ``station``, bound to ``agencies`` (default: the tests' ward,
        000.00.12.H29 — a station may only submit dossiers of the agencies it is bound to)."""
        flags = [x for agency in (agencies or ("000.00.12.H29",)) for x in ("--agency", agency)]
        done = warehouse_cli(self.data, "token", "--station", station, *flags)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def packages(self) -> list[dict[str, object]]:
        done = warehouse_cli(self.data, "list", "--json")
        assert done.returncode == 0, done.stderr
        return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@contextlib.contextmanager
def running_warehouse(data: Path, **kwargs: object) -> Iterator[Warehouse]:
    house = Warehouse(data, **kwargs)  # type: ignore[arg-type]
    house.start()
    try:
        yield house
    finally:
        house.stop()


def env_without_sohoa() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
