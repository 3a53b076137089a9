"""The station's credential stays with the enrolled origin; TLS failures are named.

Two loopback HTTP servers stand in for a warehouse that points elsewhere and for
the "elsewhere" (which records every request it gets: it must get none). TLS is
tested against the real warehouse with a self-signed certificate the station does
not trust.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import outbox
from store.errors import ExitCode
from store.outbox import Credential
from sync import client, engine
from sync.net import ForeignOrigin, Http, TlsFailure
from sync.settings import KIB, SyncSettings
from tests.conftest import PASSWORDS, StoreFixture, sohoa
from tests.test_sync_support import Warehouse, approve, make_dossier
from tests.test_sync_transport import _self_signed
from tests.test_warehouse_support import code, token

FAST = SyncSettings(chunk_size=16 * KIB, read_timeout=5, backoff_base=0.05, backoff_cap=0.5)
KEY = "A" * 43 + "="


class _Server:
    """A loopback HTTP server whose answers a test sets; it records what it was sent."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str | None]] = []
        self.routes: dict[tuple[str, str], tuple[int, dict[str, str], bytes]] = {}
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                owner.seen.append((self.command, self.path, self.headers.get("Authorization")))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                path = self.path.split("?")[0]
                status, headers, body = owner.routes.get(
                    (self.command, path), owner.routes.get((self.command, "*"),
                                                           (404, {}, b'{"error": "no"}')))
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PATCH = do_DELETE = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    house, elsewhere = _Server(), _Server()
    yield house, elsewhere
    house.close()
    elsewhere.close()


def _station(store: StoreFixture, url: str) -> tuple[StoreFixture, str]:
    lan, minh = store.login("lan"), store.login("minh")
    make_dossier(lan, "lô-1", code(1), 1, seed=1)
    approve(lan, minh, "lô-1")
    outbox.save_credential(store.login("admin"),
                           Credential(url, "st-1", "st-1.secret-never-to-leave", KEY))
    return store, code(1)


def test_a_location_on_another_origin_gets_nothing(
    store: StoreFixture, servers: tuple[_Server, _Server]
) -> None:
    house, elsewhere = servers
    house.routes[("GET", "/v1/health")] = (200, {}, b"{}")
    house.routes[("POST", "/v1/uploads")] = (
        201, {"Location": elsewhere.url + "/v1/uploads/" + "a" * 32}, b"")
    _station(store, house.url)
    minh = store.login("minh")
    report = engine.run_sync(minh, FAST, once=True)
    assert isinstance(report.fatal, ForeignOrigin)
    (item,) = outbox.list_items(minh)
    assert item.state == "failed" and item.next_try is None
    assert "[sync.foreign_origin]" in str(item.last_error)  # what the supervisor sees
    assert elsewhere.seen == []
    assert any(auth for _m, _p, auth in house.seen)  # the enrolled origin did get it


def test_a_redirect_is_never_followed(
    store: StoreFixture, servers: tuple[_Server, _Server]
) -> None:
    house, elsewhere = servers
    house.routes[("GET", "/v1/health")] = (307, {"Location": elsewhere.url + "/v1/health"}, b"")
    _station(store, house.url)
    minh = store.login("minh")
    with pytest.raises(ForeignOrigin, match=r"sync\.foreign_origin"):
        engine.run_sync(minh, FAST, once=False)
    house.routes[("GET", "/v1/health")] = (200, {}, b"{}")
    house.routes[("GET", "*")] = (302, {"Location": "/v1/elsewhere-on-the-same-host"}, b"")
    report = engine.run_sync(minh, FAST, once=True)
    assert isinstance(report.fatal, ForeignOrigin) and "redirected" in str(report.fatal)
    assert elsewhere.seen == []
    http = Http(house.url, FAST, credential="x")
    for foreign in ("//127.0.0.2:1/v1/x", "https://127.0.0.1:1/v1/x",
                    house.url.replace("127.0.0.1", "localhost") + "/v1/x"):
        with pytest.raises(ForeignOrigin):
            http.url(foreign)
    assert http.url("/v1/x") == house.url + "/v1/x"


def test_tls_failure_is_named_its_own_exit_code_and_not_retried(
    store: StoreFixture, tmp_path: Path
) -> None:
    cert, key = _self_signed(tmp_path)
    house = Warehouse(tmp_path / "wh", extra=("--certfile", str(cert), "--keyfile", str(key)))
    house.start()
    try:
        with pytest.raises(TlsFailure, match=r"\[sync.tls\].*self[- ]signed"):
            client.enrol(house.url, token(house), "desk", FAST)
        trusted = SyncSettings(ca_bundle=str(cert))
        credential = client.enrol(house.url, token(house), "desk", trusted)
        lan, minh = store.login("lan"), store.login("minh")
        make_dossier(lan, "lô-1", code(1), 1, seed=1)
        approve(lan, minh, "lô-1")
        outbox.save_credential(store.login("admin"), credential)
        # the site has no CA bundle: the system trust store refuses the certificate
        stop = threading.Event()
        threading.Timer(20, stop.set).start()  # only if the run wrongly waits and retries
        started = time.monotonic()
        with pytest.raises(TlsFailure) as raised:
            engine.run_sync(minh, FAST, once=False, stop=stop)
        stop.set()
        assert time.monotonic() - started < 10 and raised.value.exit_code == ExitCode.TLS
        done = sohoa("sync", data=store.settings.data_dir,
                     env={"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]})
        assert done.returncode == int(ExitCode.TLS) == 26, done.stderr
        assert "TLS" in done.stderr and "cannot be reached" not in done.stderr
        assert outbox.list_items(minh)[0].state == "waiting"  # nothing lost
        assert json.loads(json.dumps(house.packages())) == []
    finally:
        house.stop()
