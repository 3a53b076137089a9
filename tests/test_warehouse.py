"""The reference warehouse as a real service: enrolment, tus 1.0, commits, receipts, chaos."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync import package
from sync.client import canonical
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier, warehouse_cli
from tests.test_warehouse_support import code, token
from warehouse.chaos import Chaos, ChaosSettings

TUS = {"Tus-Resumable": "1.0.0"}
OCTETS = {**TUS, "Content-Type": "application/offset+octet-stream"}


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path_factory.mktemp("wh") / "data")
    served.start()
    yield served
    served.stop()


def _enrol(house: Warehouse, name: str = "desk-1") -> dict[str, str]:
    response = requests.post(house.url + "/v1/enrol", json={"token": token(house, name),
                                                            "station_name": name}, timeout=5)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _auth(credential: str) -> dict[str, str]:
    return {**TUS, "Authorization": f"Bearer {credential}"}


def _sha(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def test_enrolment_and_station_credentials(house: Warehouse) -> None:
    one_time = token(house, "desk-7")
    assert len(one_time) >= 24 and " " not in one_time
    first = requests.post(house.url + "/v1/enrol", json={"token": one_time}, timeout=5)
    assert first.status_code == 201
    body = first.json()
    assert body["credential"].startswith(body["station_id"] + ".")
    again = requests.post(house.url + "/v1/enrol", json={"token": one_time}, timeout=5)
    assert again.status_code == 401  # one use only
    url = house.url + "/v1/uploads"
    assert requests.post(url, headers=TUS, timeout=5).status_code == 401
    wrong = body["credential"][:-2] + "xx"
    assert requests.post(url, headers=_auth(wrong), timeout=5).status_code == 401
    ok = requests.post(url, headers={**_auth(body["credential"]), "Upload-Length": "5"},
                       timeout=5)
    assert ok.status_code == 201
    revoked = warehouse_cli(house.data, "revoke", "--station", body["station_id"])
    assert revoked.returncode == 0, revoked.stderr
    refused = requests.post(url, headers={**_auth(body["credential"]), "Upload-Length": "5"},
                            timeout=5)
    assert refused.status_code == 403
    stations = [json.loads(x) for x in warehouse_cli(house.data, "stations").stdout.split("\n")
                if x]
    assert any(s["id"] == body["station_id"] and s["revoked_at"] for s in stations)


def test_tus_core_creation_and_checksum(house: Warehouse) -> None:
    credential = _enrol(house)["credential"]
    auth = _auth(credential)
    options = requests.options(house.url + "/v1/uploads", timeout=5)
    assert options.headers["Tus-Version"] == "1.0.0"
    assert "checksum" in options.headers["Tus-Extension"]
    assert "sha256" in options.headers["Tus-Checksum-Algorithm"]
    no_tus = {"Authorization": f"Bearer {credential}", "Upload-Length": "10"}
    assert requests.post(house.url + "/v1/uploads", headers=no_tus, timeout=5).status_code == 412
    data = bytes(range(256)) * 40
    created = requests.post(house.url + "/v1/uploads", headers={
        **auth, "Upload-Length": str(len(data)),
        "Upload-Metadata": "filename " + base64.b64encode(b"x.tar").decode()}, timeout=5)
    assert created.status_code == 201
    url = house.url + created.headers["Location"]
    head = requests.head(url, headers=auth, timeout=5)
    assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == ("0", "10240")
    patch = {**auth, "Content-Type": "application/offset+octet-stream"}
    assert requests.patch(url, data=data[:10], headers={**auth, "Upload-Offset": "0"},
                          timeout=5).status_code == 415
    bad = requests.patch(url, data=data[:4000], timeout=5, headers={
        **patch, "Upload-Offset": "0", "Upload-Checksum": _sha(b"other")})
    assert bad.status_code == 460
    assert requests.head(url, headers=auth, timeout=5).headers["Upload-Offset"] == "0"
    good = requests.patch(url, data=data[:4000], timeout=5, headers={
        **patch, "Upload-Offset": "0", "Upload-Checksum": _sha(data[:4000])})
    assert (good.status_code, good.headers["Upload-Offset"]) == (204, "4000")
    stale = requests.patch(url, data=data[:10], headers={**patch, "Upload-Offset": "0"},
                           timeout=5)
    assert (stale.status_code, stale.headers["Upload-Offset"]) == (409, "4000")
    # tus core without a checksum: a cut body keeps what arrived
    _send_partial(house.port, url, credential, offset=4000, total=6240, sent=1000)
    assert requests.head(url, headers=auth, timeout=5).headers["Upload-Offset"] == "5000"
    past = requests.patch(url, data=data[:6000], headers={**patch, "Upload-Offset": "5000"},
                          timeout=5)
    assert past.status_code == 400
    assert requests.delete(url, headers=auth, timeout=5).status_code == 204
    assert requests.head(url, headers=auth, timeout=5).status_code == 404


def _send_partial(port: int, url: str, credential: str, *, offset: int, total: int,
                  sent: int) -> None:
    path = url.split(str(port), 1)[1]
    head = (f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
            f"Authorization: Bearer {credential}\r\n"
            "Content-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: {offset}\r\nContent-Length: {total - offset}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode() + b"z" * sent)
    for _ in range(50):  # the server notices the closed connection
        time.sleep(0.05)
        head_now = requests.head(url, headers=_auth(credential), timeout=5)
        if head_now.headers.get("Upload-Offset") != str(offset):
            return


def _upload(house: Warehouse, credential: str, data: bytes, dossier: str, sha: str) -> str:
    auth = _auth(credential)
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}"
                    for k, v in (("dossier", dossier), ("sha256", sha)))
    created = requests.post(house.url + "/v1/uploads", timeout=5, headers={
        **auth, "Upload-Length": str(len(data)), "Upload-Metadata": meta})
    url = house.url + created.headers["Location"]
    for start in range(0, len(data), 64 * 1024):
        piece = data[start:start + 64 * 1024]
        done = requests.patch(url, data=piece, timeout=5, headers={
            **auth, "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(start), "Upload-Checksum": _sha(piece)})
        assert done.status_code == 204
    return url


def test_commit_verifies_and_receipts_are_idempotent(
    house: Warehouse, store: StoreFixture, tmp_path: Path
) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-1", code(31), 2, seed=31)
    approve(lan, minh, "lô-1")
    built = package.build_package(minh, dossier, tmp_path)
    data = built.path.read_bytes()
    credential = _enrol(house, "desk-c")["credential"]
    commits = house.url + "/v1/commits"
    body = {"dossier": built.file_code, "sha256": built.sha256, "batch_id": "lô-1"}
    damaged = data[:-1] + bytes([data[-1] ^ 1])
    wrong = _upload(house, credential, damaged, built.file_code, built.sha256)
    refused = requests.post(commits, json={**body, "upload": wrong},
                            headers=_auth(credential), timeout=30)
    assert refused.status_code == 422 and "SHA-256" in refused.json()["error"]
    url = _upload(house, credential, data, built.file_code, built.sha256)
    first = requests.post(commits, json={**body, "upload": url}, headers=_auth(credential),
                          timeout=30)
    assert first.status_code == 201, first.text
    receipt = first.json()
    again = requests.post(commits, json={**body, "upload": url}, headers=_auth(credential),
                          timeout=30)
    assert again.status_code == 200 and again.json() == receipt
    key = requests.get(house.url + "/v1/key", timeout=5).json()["receipt_key"]
    fields = {k: v for k, v in receipt.items() if k != "signature"}
    Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(
        base64.b64decode(receipt["signature"]), canonical(fields))
    assert (fields["dossier"], fields["sha256"], fields["size"]) == (
        built.file_code, built.sha256, built.size)
    other = requests.post(commits, json={**body, "sha256": "A" * 64, "upload": url},
                          headers=_auth(credential), timeout=30)
    assert other.status_code == 409
    found = requests.get(f"{house.url}/v1/receipts/{built.file_code}?sha256={built.sha256}",
                         headers=_auth(credential), timeout=5)
    assert found.json()["receipt_id"] == receipt["receipt_id"]
    listed = {p["dossier"]: p for p in house.packages()}
    entry = listed[built.file_code]
    # two complete uploads claimed this package: the damaged one and the good one
    assert (entry["sha256"], entry["receipt_id"], entry["complete_uploads"]) == (
        built.sha256, receipt["receipt_id"], 2)
    stored = house.data / str(entry["path"])
    assert hashlib.sha256(stored.read_bytes()).hexdigest().upper() == built.sha256


def test_commit_of_an_incomplete_upload_says_where_it_stands(house: Warehouse) -> None:
    credential = _enrol(house, "desk-i")["credential"]
    created = requests.post(house.url + "/v1/uploads", timeout=5, headers={
        **_auth(credential), "Upload-Length": "100"})
    url = house.url + created.headers["Location"]
    answer = requests.post(house.url + "/v1/commits", headers=_auth(credential), timeout=5,
                           json={"upload": url, "dossier": code(99), "sha256": "B" * 64})
    assert (answer.status_code, answer.headers["Upload-Offset"]) == (409, "0")


def test_chaos_is_deterministic_per_seed() -> None:
    def plans(seed: int) -> list[str]:
        chaos = Chaos.__new__(Chaos)
        chaos.settings = ChaosSettings(seed=seed, rate=0.3)
        return [chaos.plan(n, "PATCH").kind for n in range(1, 400)]

    first, again, other = plans(7), plans(7), plans(8)
    assert first == again and first != other
    faults = [k for k in first if k != "none"]
    assert 0.2 < len(faults) / len(first) < 0.4
    assert {"drop_body", "drop_response", "503", "429", "500", "stall"} <= set(faults)


def test_the_openapi_file_names_every_route() -> None:
    from tests.conftest import REPO

    spec = (REPO / "docs" / "warehouse-openapi.yaml").read_text("utf-8")
    for route in ("/v1/health:", "/v1/key:", "/v1/enrol:", "/v1/uploads:",
                  "/v1/uploads/{id}:", "/v1/commits:", "/v1/receipts/{dossier}:",
                  "/v1/anchors:"):
        assert f"\n  {route}\n" in spec, route
