"""The station's link (sync/station.py) and the warehouse health checks (sync/health.py),
against a real warehouse on 127.0.0.1: enrolled, reachable, TLS trusted or not, receipts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store import outbox, site
from store.errors import BadInput, PermissionDenied
from sync import health, station
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier, running_warehouse
from tests.test_sync_transport import _self_signed
from tests.test_warehouse_support import code, token


def _by_key(checks: list[health.Check]) -> dict[str, health.Check]:
    return {c.key: c for c in checks}


def test_enrolment_is_one_function_for_both_faces(store: StoreFixture, tmp_path: Path) -> None:
    admin, lan = store.login("admin"), store.login("lan")
    with running_warehouse(tmp_path / "wh") as house:
        with pytest.raises(PermissionDenied):
            station.enrol(lan, house.url, token(house))
        with pytest.raises(BadInput):
            station.enrol(admin, "http://10.1.2.3", "x")
        with pytest.raises(BadInput):
            station.enrol(admin, house.url, "   ")
        credential = station.enrol(admin, house.url, token(house))
    assert outbox.load_credential(admin) == replace(
        credential, enrolled_at=outbox.load_credential(admin).enrolled_at)  # type: ignore[union-attr]
    assert site.load(admin.conn).warehouse_url == house.url  # the address follows
    assert station.link(admin) == station.Link(True, house.url, credential.station_id)


def test_an_unreachable_warehouse_is_not_taken_for_no_enrolment(
        store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    checks = _by_key(health.check_warehouse(health.read_target(admin)))
    assert not checks["enrolment"].ok and checks["warehouse"].error == "no address"

    house = Warehouse(tmp_path / "wh")
    house.start()
    try:
        station.enrol(admin, house.url, token(house))
        checks = _by_key(health.check_warehouse(health.read_target(admin)))
        assert checks["enrolment"].ok and checks["warehouse"].ok
        assert checks["tls"] == health.Check("tls", True, "loopback http")
        assert checks["acknowledgement"].ok and checks["acknowledgement"].value == ""
    finally:
        house.stop()
    checks = _by_key(health.check_warehouse(health.read_target(admin)))
    assert checks["enrolment"].ok  # still enrolled: the warehouse is only down
    assert (checks["warehouse"].ok, checks["warehouse"].error) == (False, "unreachable")


def test_tls_is_checked_with_the_sites_ca_bundle(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    cert, key = _self_signed(tmp_path)
    with running_warehouse(tmp_path / "wh",
                           extra=("--certfile", str(cert), "--keyfile", str(key))) as house:
        site.set_value(admin, "warehouse_url", house.url)
        checks = _by_key(health.check_warehouse(health.read_target(admin)))
        assert not checks["tls"].ok and "self" in (checks["tls"].error or "")
        assert checks["warehouse"].error == "tls"
        site.set_value(admin, "ca_bundle", str(cert))
        checks = _by_key(health.check_warehouse(health.read_target(admin)))
        assert checks["tls"] == health.Check("tls", True, "ca_bundle")
        assert checks["warehouse"].ok and not checks["enrolment"].ok
        ends = datetime.fromisoformat(checks["certificate"].value)  # the test's: one day
        assert (checks["certificate"].ok, checks["certificate"].error) == (False, "ends soon")
        assert timedelta(hours=23) < ends - datetime.now(UTC) <= timedelta(days=1)
        month_ago = datetime.now(UTC) - timedelta(days=30)
        assert _by_key(health.check_warehouse(health.read_target(admin), now=month_ago)
                       )["certificate"].ok


def test_a_dossier_waiting_long_for_its_receipt_is_flagged(
        store: StoreFixture) -> None:
    lan, minh, admin = store.login("lan"), store.login("minh"), store.login("admin")
    make_dossier(lan, "lô-1", code(1), 1, seed=1)
    approve(lan, minh, "lô-1")
    outbox.queue_approved(minh)
    target = health.read_target(admin)
    assert target.waiting == 1
    soon = _by_key(health.check_warehouse(target))["acknowledgement"]
    assert soon.ok
    later = datetime.now(UTC) + timedelta(days=3)
    late = _by_key(health.check_warehouse(target, now=later))["acknowledgement"]
    assert (late.ok, late.error) == (False, "1 waiting")


def test_sohoa_health_prints_the_warehouse_checks_too(
        store: StoreFixture, tmp_path: Path) -> None:
    import json

    from tests.conftest import PASSWORDS, sohoa

    data = store.settings.data_dir
    admin = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}
    with running_warehouse(tmp_path / "wh") as house:
        station.enrol(store.login("admin"), house.url, token(house))
        done = sohoa("health", "--json", data=data, env=admin)
        assert done.returncode == 0, done.stderr
        checks = {c["key"]: c for c in map(json.loads, done.stdout.splitlines())}
        assert checks["warehouse"]["ok"] and checks["enrolment"]["ok"]
        assert {"tesseract", "audit", "tls", "acknowledgement"} <= set(checks)
    text = sohoa("health", data=data, env=admin)
    rows = [line.split() for line in text.stdout.splitlines()]
    assert text.returncode == 0 and ["warehouse", "FAILED", "unreachable"] in rows
    clerk = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    assert sohoa("health", data=data, env=clerk).returncode == 12
