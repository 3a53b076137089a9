"""tus 1.0.0 both ways, with independent implementations (PyPI, dev extra, loopback only).

- tuspy (the tus project's Python client) uploads a real package to the warehouse,
  with its own checksums, is cut mid-way and resumes; the warehouse then commits it.
- sohoa's uploader sends a package to tuspyserver (a FastAPI tus server) and resumes.
- The warehouse's own duties: Upload-Expires and expiry (tus Expiration), echoing
  Upload-Metadata on HEAD (creation extension MUST), X-HTTP-Method-Override; the
  client accepts 204 to HEAD.
"""

from __future__ import annotations

import contextlib
import email.utils
import random
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from store.outbox import Credential
from sync import package
from sync.client import PackageRef, WarehouseClient
from sync.net import Backoff, Http
from sync.settings import KIB, SyncSettings
from sync.tus import Transfer, TusClient, encode_metadata
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, free_port, make_dossier, warehouse_cli
from tests.test_tus_origin import _Server
from tests.test_warehouse_abuse import auth, commit, enrol
from tests.test_warehouse_support import AGENCY, code

FAST = SyncSettings(chunk_size=16 * KIB, max_chunk_size=16 * KIB, read_timeout=5,
                    backoff_base=0.05, backoff_cap=0.5)


@pytest.fixture
def house(tmp_path: Path) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path / "wh", extra=("--upload-hours", str(2 / 3600)))  # 2 s
    served.start()
    yield served
    served.stop()


def _built(store: StoreFixture, tmp_path: Path, number: int = 3) -> tuple[str, Path]:
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-1", code(number), 2, seed=number)
    approve(lan, minh, "lô-1")
    return code(number), package.build_package(minh, dossier, tmp_path).path


def _transfer() -> Transfer:
    return Transfer(16 * KIB, 3, Backoff(0.05, 0.1, 1, random.Random(1)), threading.Event())


def test_expiration_headers_and_expired_uploads_are_deleted(house: Warehouse) -> None:
    credential = enrol(house, "desk-exp", AGENCY)
    options = requests.options(house.url + "/v1/uploads", timeout=5)
    assert "expiration" in options.headers["Tus-Extension"].split(",")
    urls = []
    for _ in range(2):
        created = requests.post(house.url + "/v1/uploads", timeout=5, headers={
            **auth(credential), "Upload-Length": "100"})
        expires = email.utils.parsedate_to_datetime(created.headers["Upload-Expires"])
        assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 3
        urls.append(house.url + created.headers["Location"])
    patched = requests.patch(urls[0], data=b"x" * 10, timeout=5, headers={
        **auth(credential), "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream"})
    assert patched.status_code == 204 and "Upload-Expires" in patched.headers
    parts = sorted((house.data / "uploads").glob("*.part"))
    assert len(parts) == 2
    time.sleep(2.5)
    assert requests.head(urls[0], headers=auth(credential), timeout=5).status_code == 404
    assert not any(p.exists() for p in parts)  # swept: the touched one and the orphan
    swept = warehouse_cli(house.data, "cleanup")  # for cron; nothing is left to do here
    assert (swept.returncode, swept.stdout.split()[0]) == (0, "0"), swept.stderr
    late = requests.patch(urls[1], data=b"x", timeout=5, headers={
        **auth(credential), "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream"})
    assert late.status_code == 404


def test_head_echoes_metadata_and_method_override_works(house: Warehouse) -> None:
    credential = enrol(house, "desk-meta", AGENCY)
    meta = encode_metadata({"filename": "hồ sơ.tar", "dossier": code(9)}) + ",empty"
    created = requests.post(house.url + "/v1/uploads", timeout=5, headers={
        **auth(credential), "Upload-Length": "10", "Upload-Metadata": meta})
    url = house.url + created.headers["Location"]
    head = requests.head(url, headers=auth(credential), timeout=5)
    assert head.headers["Upload-Metadata"] == meta
    override = {**auth(credential), "X-HTTP-Method-Override": "HEAD"}
    assert requests.post(url, headers=override, timeout=5).headers["Upload-Offset"] == "0"
    patched = requests.post(url, data=b"12345", timeout=5, headers={
        **auth(credential), "X-HTTP-Method-Override": "PATCH", "Upload-Offset": "0",
        "Content-Type": "application/offset+octet-stream"})
    assert (patched.status_code, patched.headers["Upload-Offset"]) == (204, "5")
    gone = requests.post(url, headers={**auth(credential), "X-HTTP-Method-Override": "DELETE"},
                         timeout=5)
    assert gone.status_code == 204
    assert requests.head(url, headers=auth(credential), timeout=5).status_code == 404


def test_the_client_takes_204_to_head() -> None:
    server = _Server()
    try:
        server.routes[("HEAD", "*")] = (204, {"Upload-Offset": "7", "Tus-Resumable": "1.0.0"},
                                        b"")
        tus = TusClient(Http(server.url, FAST))
        assert tus.offset(server.url + "/v1/uploads/" + "a" * 32) == 7
    finally:
        server.close()


def test_tuspy_uploads_and_resumes_to_the_warehouse(
    store: StoreFixture, tmp_path: Path
) -> None:
    from tusclient import client as tuspy

    dossier, path = _built(store, tmp_path)
    data = path.read_bytes()
    house = Warehouse(tmp_path / "wh2")
    house.start()
    try:
        credential = enrol(house, "desk-tuspy", AGENCY)
        tus = tuspy.TusClient(house.url + "/v1/uploads",
                              headers={"Authorization": f"Bearer {credential}"})
        meta = {"filename": path.name, "dossier": dossier}
        first = tus.uploader(file_path=str(path), chunk_size=16 * 1024, metadata=meta,
                             upload_checksum=True)
        first.upload(stop_at=len(data) // 3)  # then the desk goes off
        assert first.url and 0 < first.offset < len(data)
        resumed = tus.uploader(file_path=str(path), url=first.url, chunk_size=64 * 1024,
                               upload_checksum=True)
        assert resumed.offset == first.offset  # asked the warehouse where it stands
        resumed.upload()
        location = "/v1/uploads/" + first.url.rsplit("/", 1)[-1]
        answer = commit(house, credential, location, dossier, data)
        assert answer.status_code == 201, answer.text
    finally:
        house.stop()


@contextlib.contextmanager
def _tuspyserver(files: Path) -> Iterator[str]:
    """tuspyserver's router at /v1/uploads in uvicorn, on a loopback port, in a thread."""
    import uvicorn
    from fastapi import FastAPI
    from tuspyserver import create_tus_router

    app = FastAPI()
    app.include_router(create_tus_router(prefix="v1/uploads", files_dir=str(files)))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_sohoas_uploader_against_tuspyserver(store: StoreFixture, tmp_path: Path) -> None:
    dossier, path = _built(store, tmp_path, 4)
    data = path.read_bytes()
    files = tmp_path / "tus-files"
    files.mkdir()
    with _tuspyserver(files) as url:
        warehouse = WarehouseClient(Credential(url, "st-x", "st-x.s", ""), FAST)
        ref = PackageRef(dossier, "0" * 64, len(data), "lô-1", path.name)
        upload_url = warehouse.create(ref, _transfer())
        assert upload_url.startswith(url + "/v1/uploads/")
        tus = warehouse.tus
        half = data[:len(data) // 2 // (16 * KIB) * (16 * KIB)]
        assert tus.patch(upload_url, 0, half, _transfer()) == len(half)
        sent: list[int] = []
        tus.send(upload_url, path, len(data), _transfer(), lambda offset, n: sent.append(n))
        assert sum(sent) == len(data) - len(half)  # resumed from the server's offset
        warehouse.close()
    stored = [p for p in files.iterdir() if p.is_file() and p.stat().st_size == len(data)]
    assert any(p.read_bytes() == data for p in stored)
