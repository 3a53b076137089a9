"""The sync engine against a live warehouse: exactly once, resumable, refusals, TLS, backoff."""

from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from store import audit, outbox, site
from store.errors import BadInput
from store.session import Session
from sync import client, engine, package
from sync.net import (
    Backoff,
    Http,
    ThrottledBody,
    TokenBucket,
    WarehouseError,
    check_url,
    parse_retry_after,
)
from sync.settings import KIB, SyncSettings
from sync.tus import Transfer, with_retries
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier, warehouse_cli
from tests.test_warehouse_support import code, token

FAST = SyncSettings(chunk_size=16 * KIB, read_timeout=5, backoff_base=0.05, backoff_cap=0.5)


@pytest.fixture
def house(tmp_path: Path) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path / "wh")
    served.start()
    yield served
    served.stop()


def _station(store: StoreFixture, house: Warehouse, dossiers: int = 2,
             docs: int = 2) -> Session:
    """Approved dossiers, an enrolled station; returns the supervisor's session."""
    lan, minh, admin = store.login("lan"), store.login("minh"), store.login("admin")
    for n in range(dossiers):
        make_dossier(lan, "lô-1", code(n + 1), docs, seed=n)
    approve(lan, minh, "lô-1")
    credential = client.enrol(house.url, token(house, "desk-1"), "desk-1", FAST)
    outbox.save_credential(admin, credential)
    return minh


def _index(house: Warehouse) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{house.data / 'index.db'}?mode=ro", uri=True, timeout=5)


def test_everything_is_sent_exactly_once(store: StoreFixture, house: Warehouse) -> None:
    minh = _station(store, house, dossiers=3)
    seen: list[engine.SyncEvent] = []
    report = engine.run_sync(minh, FAST, once=True, on_event=seen.append)
    assert report.queued == 3 and report.count("acknowledged") == 3 and seen == report.events
    items = outbox.list_items(minh)
    assert {i.state for i in items} == {"acknowledged"}
    listed = {p["dossier"]: p for p in house.packages()}
    assert set(listed) == {i.file_code for i in items}
    credential = outbox.load_credential(minh)
    for item in items:
        receipt = outbox.receipt_of(minh, item.id)
        client.verify_receipt(receipt, credential.receipt_key, dossier=item.file_code,
                              sha256=item.package_sha256)
        assert listed[item.file_code]["sha256"] == item.package_sha256
        assert listed[item.file_code]["bytes_received"] == item.package_size
    again = engine.run_sync(minh, FAST, once=True)
    assert (again.queued, again.events) == (0, [])
    actions = {e.action for e in audit.entries(minh.conn, limit=100)}
    assert {"sync.queue", "sync.upload", "sync.commit", "sync.receipt"} <= actions
    assert audit.verify(minh.conn).ok


def test_an_interrupted_upload_resumes_where_the_server_is(
    store: StoreFixture, house: Warehouse
) -> None:
    minh = _station(store, house, dossiers=1, docs=3)
    stop = threading.Event()

    def cut_at_a_third() -> None:
        index = _index(house)
        while not stop.is_set():
            row = index.execute('SELECT "offset", length FROM upload').fetchone()
            if row and row[0] * 3 >= row[1]:
                stop.set()
            time.sleep(0.01)

    watcher = threading.Thread(target=cut_at_a_third)
    watcher.start()
    slow = SyncSettings(chunk_size=16 * KIB, max_chunk_size=16 * KIB, bandwidth_kbps=1600,
                        backoff_base=0.05)
    first = engine.run_sync(minh, slow, once=True, stop=stop)
    stop.set()
    watcher.join()
    item = outbox.list_items(minh)[0]
    assert first.events[0].state == "uploading" and 0 < item.upload_offset < item.package_size
    engine.run_sync(minh, FAST, once=True)
    item = outbox.list_items(minh)[0]
    assert item.state == "acknowledged"
    received, uploads = _index(house).execute(
        "SELECT sum(bytes_received), count(*) FROM upload").fetchone()
    assert uploads == 1 and received - item.package_size < FAST.chunk_size


def test_a_lost_commit_answer_gets_the_same_receipt(
    store: StoreFixture, house: Warehouse, tmp_path: Path
) -> None:
    minh = _station(store, house, dossiers=1)
    outbox.queue_approved(minh)
    item = outbox.list_items(minh)[0]
    built = package.build_package(minh, item.dossier_id, tmp_path)
    item = outbox.set_package(minh, item, built.sha256, built.size)
    credential = outbox.load_credential(minh)
    warehouse = client.WarehouseClient(credential, FAST)
    transfer = Transfer(FAST.chunk_size, 3, Backoff(0.05, 0.1, 1, random.Random(1)),
                        threading.Event())
    ref = client.PackageRef(item.file_code, built.sha256, built.size, item.batch_name)
    url = warehouse.create(ref, transfer)
    item = outbox.start_upload(minh, item, url)
    warehouse.tus.send(url, built.path, built.size, transfer, lambda *_: None)
    item = outbox.mark_committed(minh, item)
    lost = warehouse.commit(url, ref, transfer)  # the answer that never reached the desk
    warehouse.close()
    report = engine.run_sync(minh, FAST, once=True)
    assert report.events[0].receipt_id == lost["receipt_id"]
    assert outbox.list_items(minh)[0].receipt_id == lost["receipt_id"]
    assert len(house.packages()) == 1


def test_zip_packages_and_another_agencys_dossier(store: StoreFixture, house: Warehouse) -> None:
    """package_format=zip travels end to end; a dossier of another agency fails alone."""
    minh = _station(store, house, dossiers=1)
    lan = store.login("lan")
    make_dossier(lan, "lô-2", code(5, "000.00.13.H29"), 1, seed=5)
    approve(lan, minh, "lô-2")
    site.set_value(store.login("admin"), "package_format", "zip")
    report = engine.run_sync(minh, FAST, once=True)
    states = {e.dossier: e for e in report.events}
    assert states[code(1)].state == "acknowledged" and report.unauthorized is None
    refused = states[code(5, "000.00.13.H29")]
    assert refused.state == "failed" and "403" in str(refused.error)
    assert outbox.find_item(minh, refused.dossier).next_try is None  # a supervisor's call
    (stored,) = house.packages()
    assert str(stored["path"]).endswith(".zip")


def test_a_revoked_station_is_refused(store: StoreFixture, house: Warehouse) -> None:
    minh = _station(store, house, dossiers=2)
    station = outbox.load_credential(minh).station_id
    assert warehouse_cli(house.data, "revoke", "--station", station).returncode == 0
    report = engine.run_sync(minh, FAST, once=True)
    assert report.unauthorized and "403" in report.unauthorized
    failed = outbox.list_items(minh, states=("failed",))
    assert failed and failed[0].next_try is None  # waits for a supervisor, not a timer
    assert house.packages() == []


def test_pause_sends_nothing_until_resumed(store: StoreFixture, house: Warehouse) -> None:
    minh = _station(store, house, dossiers=1)
    outbox.set_control(minh, "paused", "1")
    report = engine.run_sync(minh, FAST, once=True)
    assert report.paused and report.events == [] and house.packages() == []
    outbox.set_control(minh, "paused", "0")
    assert engine.run_sync(minh, FAST, once=True).count("acknowledged") == 1


def test_an_unreachable_warehouse_is_reported_offline(
    store: StoreFixture, house: Warehouse
) -> None:
    minh = _station(store, house, dossiers=1)
    house.stop()
    report = engine.run_sync(minh, FAST, once=True)
    assert report.offline and report.events == []
    assert outbox.list_items(minh)[0].state == "waiting"


def test_plain_http_is_refused_except_to_this_machine() -> None:
    for ok in ("https://kho.hcm.gov.vn", "http://127.0.0.1:8000", "http://localhost:1",
               "http://[::1]:9"):
        assert check_url(ok) == ok
    for bad in ("http://kho.hcm.gov.vn", "http://10.0.0.5:80", "ftp://x", "kho"):
        with pytest.raises(BadInput):
            check_url(bad)
    with pytest.raises(BadInput):
        client.enrol("http://192.168.1.20", "token", "desk", FAST)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kho-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_tls_is_verified_with_the_site_ca_bundle(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    house = Warehouse(tmp_path / "wh", extra=("--certfile", str(cert), "--keyfile", str(key)))
    house.start()
    try:
        assert house.url.startswith("https://")
        with pytest.raises(WarehouseError, match="TLS"):
            client.enrol(house.url, token(house), "desk", FAST)
        trusted = SyncSettings(ca_bundle=str(cert))
        credential = client.enrol(house.url, token(house), "desk", trusted)
        assert credential.station_id.startswith("st-")
    finally:
        house.stop()


class _Busy(http.server.BaseHTTPRequestHandler):
    """503 with Retry-After: 1, twice; then 200."""

    calls = 0

    def do_GET(self) -> None:
        type(self).calls += 1
        if type(self).calls <= 2:
            self.send_response(503)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        return


def test_retry_after_is_honoured() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        http_client = Http(f"http://127.0.0.1:{server.server_address[1]}", FAST)
        transfer = Transfer(FAST.chunk_size, 5, Backoff(0.05, 0.1, 10, random.Random(3)),
                            threading.Event())
        started = time.monotonic()
        response = with_retries(lambda: http_client.request("GET", "/x"), transfer)
        elapsed = time.monotonic() - started
        assert response.status_code == 200 and _Busy.calls == 3
        assert 2.0 <= elapsed < 4.0
    finally:
        server.shutdown()
        thread.join()
    assert parse_retry_after("120") == 120.0
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    seconds = parse_retry_after(when.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert seconds is not None and 25 <= seconds <= 31


def test_backoff_is_jittered_and_capped() -> None:
    backoff = Backoff(0.5, 8.0, 60.0, random.Random(5))
    delays = [backoff.delay(n) for n in range(1, 12)]
    assert all(0 <= d <= 8.0 for d in delays) and len(set(delays)) == len(delays)
    assert backoff.delay(3, retry_after=500) <= 60.0 + 0.5


def test_bandwidth_limit_holds_the_rate() -> None:
    bucket = TokenBucket(100_000)
    started = time.monotonic()
    sent = sum(len(p) for p in ThrottledBody(b"x" * 150_000, bucket, threading.Event()))
    elapsed = time.monotonic() - started
    assert sent == 150_000 and 1.0 <= elapsed < 2.5


def test_a_receipt_must_carry_the_warehouse_signature(
    store: StoreFixture, house: Warehouse
) -> None:
    minh = _station(store, house, dossiers=1)
    engine.run_sync(minh, FAST, once=True)
    item = outbox.list_items(minh)[0]
    receipt = outbox.receipt_of(minh, item.id)
    key = outbox.load_credential(minh).receipt_key
    client.verify_receipt(receipt, key, dossier=item.file_code, sha256=item.package_sha256)
    for forged in ({**receipt, "size": 1}, {**receipt, "signature": "AAAA"}):
        with pytest.raises(client.Rejected):
            client.verify_receipt(forged, key, dossier=item.file_code,
                                  sha256=item.package_sha256)
    with pytest.raises(client.Rejected, match="another package"):
        client.verify_receipt(receipt, key, dossier="H29.OTHER", sha256=item.package_sha256)


@pytest.mark.slow
def test_a_chaotic_warehouse_still_gets_everything_once(
    store: StoreFixture, tmp_path: Path
) -> None:
    house = Warehouse(tmp_path / "wh", chaos=5,
                      extra=("--chaos-rate", "0.4", "--chaos-stall", "0.3"))
    house.start()
    try:
        minh = _station(store, house, dossiers=3, docs=2)
        flaky = SyncSettings(chunk_size=16 * KIB, max_chunk_size=16 * KIB, read_timeout=0.25,
                             backoff_base=0.05, backoff_cap=0.3, retries_per_request=20)
        report = engine.run_sync(minh, flaky, rng=random.Random(5))
        assert report.count("acknowledged") == 3, report.events
        assert {i.state for i in outbox.list_items(minh)} == {"acknowledged"}
        packages = house.packages()
        assert len(packages) == 3
        assert all(int(p["bytes_received"]) < 2 * int(p["size"]) for p in packages)
        cuts = house.log.read_text().count("chaos: connection cut")
        assert cuts > 0  # the faults really happened
    finally:
        house.stop()
