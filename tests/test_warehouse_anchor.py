"""Signed audit anchors travel with every sync; the warehouse keeps the newest per station.

A station whose log is cut back (rows deleted by someone holding the database
key, its anchor file rolled back to match) is caught by the anchor the warehouse
kept from an earlier sync.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from store import anchor, outbox
from store.anchor import Anchor
from sync import client, engine
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier, warehouse_cli
from tests.test_sync_transport import FAST
from tests.test_warehouse_abuse import auth, enrol
from tests.test_warehouse_support import AGENCY, code, token


@pytest.fixture
def house(tmp_path: Path) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path / "wh")
    served.start()
    yield served
    served.stop()


def _signed(key: Ed25519PrivateKey, seq: int, **changes: object) -> dict[str, object]:
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    unsigned = Anchor("store-1", seq, seq * 10, "AB" * 32, f"2026-12-07T10:{seq:02d}:00Z",
                      "minh", "head", base64.b64encode(public).decode())
    unsigned = replace(unsigned, **changes)  # type: ignore[arg-type]
    return {**asdict(unsigned), "sig": base64.b64encode(key.sign(unsigned.body())).decode()}


def test_the_warehouse_keeps_the_newest_signed_anchor(house: Warehouse) -> None:
    credential = enrol(house, "desk-anchor", AGENCY)
    url = house.url + "/v1/anchors"
    key = Ed25519PrivateKey.generate()
    assert requests.get(url, headers=auth(credential), timeout=5).status_code == 404
    second = _signed(key, 2)
    assert requests.post(url, json=second, headers=auth(credential), timeout=5
                         ).status_code == 201
    assert requests.post(url, json=second, headers=auth(credential), timeout=5
                         ).status_code == 200
    older = requests.post(url, json=_signed(key, 1), headers=auth(credential), timeout=5)
    assert older.status_code == 409 and older.json()["code"] == "anchor_older"
    assert older.json()["anchor"] == second
    other_key = _signed(Ed25519PrivateKey.generate(), 5)
    changed = requests.post(url, json=other_key, headers=auth(credential), timeout=5)
    assert changed.json()["code"] == "anchor_key_changed"
    forged = {**_signed(key, 3), "audit_id": 999}
    assert requests.post(url, json=forged, headers=auth(credential), timeout=5
                         ).status_code == 422
    third = _signed(key, 3)
    assert requests.post(url, json=third, headers=auth(credential), timeout=5
                         ).status_code == 201
    assert requests.get(url, headers=auth(credential), timeout=5).json() == third
    stations = [json.loads(x) for x in warehouse_cli(house.data, "stations").stdout.split("\n")
                if x]
    assert next(s for s in stations if s["name"] == "desk-anchor")["anchor"] == third


def test_a_sync_sends_the_anchor_and_a_cut_log_is_caught(
    store: StoreFixture, house: Warehouse
) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    make_dossier(lan, "lô-1", code(1), 1, seed=1)
    approve(lan, minh, "lô-1")
    outbox.save_credential(store.login("admin"),
                           client.enrol(house.url, token(house), "desk-1", FAST))
    first = anchor.newest(store.settings.paths)
    assert first is not None
    report = engine.run_sync(minh, FAST, once=True)
    assert report.count("acknowledged") == 1 and report.anchor_problem is None
    (station,) = [json.loads(x) for x in warehouse_cli(house.data, "stations").stdout.splitlines()]
    assert station["anchor"] == first
    later = store.login("minh")  # a supervisor's login anchors the grown log
    newer = anchor.newest(store.settings.paths)
    assert newer is not None and newer["seq"] > first["seq"]
    assert engine.run_sync(later, FAST, once=True).anchor_problem is None  # nothing due
    (station,) = [json.loads(x) for x in warehouse_cli(house.data, "stations").stdout.splitlines()]
    assert station["anchor"] == newer
    # someone with the database key cuts the log back and rolls the anchor file back too
    later.conn.execute("DROP TRIGGER audit_no_delete")
    later.conn.execute("DELETE FROM audit WHERE id > ?", (first["audit_id"],))
    lines = store.settings.paths.anchors.read_text().splitlines()
    kept = [x for x in lines if json.loads(x)["seq"] <= first["seq"]]
    store.settings.paths.anchors.write_text("\n".join(kept) + "\n")
    caught = engine.run_sync(later, FAST, once=True)
    assert caught.anchor_problem and "[sync.anchor]" in caught.anchor_problem
    assert "cut off" in caught.anchor_problem or "rewritten" in caught.anchor_problem


def test_audit_verify_checks_the_warehouses_anchor(store: StoreFixture, house: Warehouse) -> None:
    """store.db and the anchor file beside it copied back from an earlier day fool every
    local check; `audit verify` also asks the warehouse for the newest anchor it holds,
    which a later sync sent (issue 12: "against the newest anchor it can see")."""

    from tests.conftest import PASSWORDS, sohoa

    lan, minh = store.login("lan"), store.login("minh")
    make_dossier(lan, "lô-1", code(1), 1, seed=1)
    approve(lan, minh, "lô-1")
    admin = store.login("admin")
    outbox.save_credential(admin, client.enrol(house.url, token(house), "desk-1", FAST))
    engine.run_sync(minh, FAST, once=True)
    for session in (lan, minh, admin):
        session.close()
    paths = store.settings.paths
    saved = {f: f.read_bytes() for f in (paths.db, paths.anchors)}  # the earlier day
    later = store.login("minh")  # anchors the grown log; the sync sends the newer anchor
    assert engine.run_sync(later, FAST, once=True).anchor_problem is None
    later.close()
    env = {"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]}
    ok = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert ok.returncode == 0 and "warehouse's newest anchor" in ok.stdout, ok.stdout + ok.stderr
    for name in ("store.db-wal", "store.db-shm"):
        (paths.db.parent / name).unlink(missing_ok=True)
    for f, data in saved.items():
        f.write_bytes(data)
    back = sohoa("audit", "verify", data=store.settings.data_dir, env=env)
    assert back.returncode == 19, back.stdout + back.stderr
    assert "warehouse" in back.stderr
