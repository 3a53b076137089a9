"""A warehouse no station can abuse: agency binding, no existence oracle, revoke by name.

Each test plays a dishonest or careless station against a real warehouse process
on 127.0.0.1 and checks what the honest ward sees afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sync import package
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier, warehouse_cli
from tests.test_warehouse_support import AGENCY, OTHER_AGENCY, code, token

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path_factory.mktemp("wh") / "data")
    served.start()
    yield served
    served.stop()


def enrol(house: Warehouse, name: str, *agencies: str, host: str = "PC-01") -> str:
    """The station's credential; ``host`` is what the PC calls itself."""
    answer = requests.post(house.url + "/v1/enrol", timeout=5, json={
        "token": token(house, name, *agencies), "station_name": host})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["credential"])


def auth(credential: str) -> dict[str, str]:
    return {**TUS, "Authorization": f"Bearer {credential}"}


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def upload(house: Warehouse, credential: str, data: bytes, **meta: str) -> requests.Response:
    """Create an upload and send ``data`` in one PATCH; the creation answer."""
    created = requests.post(house.url + "/v1/uploads", timeout=5, headers={
        **auth(credential), "Upload-Length": str(len(data)), "Upload-Metadata": metadata(**meta)})
    if created.status_code != 201:
        return created
    done = requests.patch(house.url + created.headers["Location"], data=data, timeout=30,
                          headers={**auth(credential), "Upload-Offset": "0",
                                   "Content-Type": "application/offset+octet-stream"})
    assert done.status_code == 204, done.text
    return created


def commit(house: Warehouse, credential: str, upload_url: str, dossier: str,
           data: bytes) -> requests.Response:
    return requests.post(house.url + "/v1/commits", headers=auth(credential), timeout=60, json={
        "upload": upload_url, "dossier": dossier, "batch_id": "lô-1",
        "sha256": hashlib.sha256(data).hexdigest().upper()})


def built(store: StoreFixture, tmp_path: Path, codes: list[str]) -> dict[str, bytes]:
    """Approved dossiers with these codes, packaged: code -> package bytes."""
    lan, minh = store.login("lan"), store.login("minh")
    ids = {c: make_dossier(lan, "lô-1", c, 1, seed=n) for n, c in enumerate(codes)}
    approve(lan, minh, "lô-1")
    return {c: package.build_package(minh, i, tmp_path).path.read_bytes()
            for c, i in ids.items()}


def test_a_station_commits_only_its_own_agencys_dossiers(
    house: Warehouse, store: StoreFixture, tmp_path: Path
) -> None:
    ours, theirs = code(1), code(1, OTHER_AGENCY)
    packages = built(store, tmp_path, [ours, theirs])
    ward_a = enrol(house, "ward-a-desk", AGENCY)
    ward_b = enrol(house, "ward-b-desk", OTHER_AGENCY)
    # B cannot even open an upload that names A's dossier ...
    named = upload(house, ward_b, packages[ours], dossier=ours)
    assert named.status_code == 403 and named.json()["code"] == "dossier_not_allowed"
    # ... nor commit one it uploaded unnamed; junk bytes or A's real package alike
    for data in (b"%not a pdf" * 100, packages[ours]):
        sneaky = upload(house, ward_b, data)
        refused = commit(house, ward_b, sneaky.headers["Location"], ours, data)
        assert refused.status_code == 403, refused.text
    # A's real upload is accepted afterwards, B's own dossier too
    mine = upload(house, ward_a, packages[ours], dossier=ours)
    assert commit(house, ward_a, mine.headers["Location"], ours,
                  packages[ours]).status_code == 201
    own = upload(house, ward_b, packages[theirs], dossier=theirs)
    assert commit(house, ward_b, own.headers["Location"], theirs,
                  packages[theirs]).status_code == 201
    # a token without an agency gives a station that can enrol but commit nothing
    issued = warehouse_cli(house.data, "token", "--station", "unbound-desk")
    answer = requests.post(house.url + "/v1/enrol", timeout=5, json={
        "token": issued.stdout.strip().splitlines()[-1]})
    nowhere = str(answer.json()["credential"])
    bare = upload(house, nowhere, packages[theirs])
    assert commit(house, nowhere, bare.headers["Location"], code(2, OTHER_AGENCY),
                  packages[theirs]).status_code == 403
    bad = warehouse_cli(house.data, "token", "--station", "x", "--agency", "H29")
    assert bad.returncode == 2 and "agency code" in bad.stderr
    # IT binds it afterwards (as for stations enrolled before tokens carried agencies)
    bound = warehouse_cli(house.data, "bind", "--station", "unbound-desk", "--agency",
                          OTHER_AGENCY)
    assert bound.returncode == 0, bound.stderr
    assert commit(house, nowhere, bare.headers["Location"], code(2, OTHER_AGENCY),
                  packages[theirs]).status_code == 422  # allowed now; wrong code inside
    stations = {s["name"]: s for s in _stations(house)}
    assert stations["ward-b-desk"]["agencies"] == [OTHER_AGENCY]
    assert stations["unbound-desk"]["agencies"] == [OTHER_AGENCY]


def test_a_bogus_upload_id_tells_nothing_about_other_stations(
    house: Warehouse, store: StoreFixture, tmp_path: Path
) -> None:
    held, free = code(40), code(41)
    packages = built(store, tmp_path, [held])
    first = enrol(house, "desk-holder", AGENCY)
    sent = upload(house, first, packages[held], dossier=held)
    assert commit(house, first, sent.headers["Location"], held,
                  packages[held]).status_code == 201
    prober = enrol(house, "desk-prober", AGENCY)
    bogus = "/v1/uploads/" + "0" * 32
    answers = [commit(house, prober, bogus, c, packages[held]) for c in (held, free)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert set(answers[0].headers) == set(answers[1].headers)
    # the prober's own complete upload for a held code: refused, without the holder's receipt
    own = upload(house, prober, packages[held], dossier=held)
    clash = commit(house, prober, own.headers["Location"], held, packages[held])
    assert clash.status_code == 409 and "X-Receipt-Id" not in clash.headers
    assert "R-" not in clash.text
    lookup = requests.get(f"{house.url}/v1/receipts/{held}", headers=auth(prober), timeout=5)
    assert lookup.status_code == 404


def test_revoke_by_the_name_given_to_the_token(house: Warehouse) -> None:
    credential = enrol(house, "ben-nghe-desk-3", AGENCY, host="DESKTOP-7QX2")
    probe = {**auth(credential), "Upload-Length": "5"}
    assert requests.post(house.url + "/v1/uploads", headers=probe, timeout=5).status_code == 201
    done = warehouse_cli(house.data, "revoke", "--station", "ben-nghe-desk-3")
    assert done.returncode == 0, done.stderr
    assert requests.post(house.url + "/v1/uploads", headers=probe, timeout=5).status_code == 403
    station = next(s for s in _stations(house) if s["name"] == "ben-nghe-desk-3")
    assert station["host"] == "DESKTOP-7QX2" and station["revoked_at"]


def _stations(house: Warehouse) -> list[dict[str, object]]:
    out = warehouse_cli(house.data, "stations").stdout
    return [json.loads(line) for line in out.splitlines() if line]
