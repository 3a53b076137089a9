"""Acceptance soak: 200 documents in 20 dossiers through a chaotic warehouse.

The warehouse cuts connections mid-body, loses answers, answers 500/503/429
(with Retry-After) and stalls past the client's timeout; it is restarted
twice (SIGKILL), and the `sohoa sync` process is SIGKILLed twice in the middle
of an upload. At the end the warehouse must hold every dossier exactly once
with the SHA-256 the station computed, the station must hold a verified
receipt for each, and no package may have been received in full twice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import outbox
from store.session import open_session
from sync import client
from tests.conftest import PASSWORDS, REPO, StoreFixture, sohoa
from tests.test_sync_support import Warehouse, approve, env_without_sohoa, make_dossier
from tests.test_warehouse_support import token
from warehouse.checkpkg import file_sha256

DOSSIERS, DOCS = 20, 10
SYNC_ARGS = ("sync", "--chunk-kib", "32", "--timeout", "2", "--parallel", "2")


def _client(data: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**env_without_sohoa(), "SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]}
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, str(REPO / "main.py"), "--data", str(data),
                                 *SYNC_ARGS], cwd=REPO, env=env, stdout=out, stderr=out)


def _progress(house: Warehouse) -> tuple[int, int]:
    """(packages committed, uploads part-way through) as the warehouse's index says."""
    with contextlib.closing(sqlite3.connect(f"file:{house.data / 'index.db'}?mode=ro",
                                            uri=True, timeout=5)) as index:
        done = index.execute("SELECT count(*) FROM package").fetchone()[0]
        partial = index.execute('SELECT count(*) FROM upload WHERE committed = 0'
                                ' AND "offset" > 0 AND "offset" < length').fetchone()[0]
    return int(done), int(partial)


def _wait_mid_upload(house: Warehouse, process: subprocess.Popen[bytes], at_least: int,
                     deadline: float = 90) -> None:
    """Return once ``at_least`` packages are in and another upload is part-way through."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert process.poll() is None, "the sync finished before it could be killed"
        done, partial = _progress(house)
        if done >= at_least and partial:
            return
        time.sleep(0.02)
    raise AssertionError(f"no upload in progress after {deadline}s: {_progress(house)}")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_soak_every_dossier_exactly_once_through_chaos(
    store: StoreFixture, tmp_path: Path
) -> None:
    data = store.settings.data_dir
    lan, minh = store.login("lan"), store.login("minh")
    for n in range(DOSSIERS):
        make_dossier(lan, "lô-soak", f"000.00.12.H29.2024.{n + 1:02d}", DOCS, seed=n)
    approve(lan, minh, "lô-soak")
    lan.close()
    minh.close()
    house = Warehouse(tmp_path / "wh", chaos=20261123,
                      extra=("--chaos-rate", "0.2", "--chaos-stall", "2.5"))
    house.start()
    log = tmp_path / "client.log"
    try:
        enrolled = sohoa("enrol", house.url, token(house), data=data,
                         env={"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]})
        assert enrolled.returncode == 0, enrolled.stderr
        first = _client(data, log)
        _wait_mid_upload(house, first, at_least=2)
        first.send_signal(signal.SIGKILL)  # client killed mid-upload (1)
        first.wait(10)
        house.restart()  # warehouse restarted (1)
        second = _client(data, log)
        _wait_mid_upload(house, second, at_least=_progress(house)[0] + 3)
        second.send_signal(signal.SIGKILL)  # client killed mid-upload (2)
        second.wait(10)
        third = _client(data, log)
        _wait_mid_upload(house, third, at_least=_progress(house)[0] + 3)
        house.restart()  # warehouse restarted under a running client (2)
        assert third.wait(200) == 0, log.read_text()[-3000:]
        _check_end_state(store, house)
    finally:
        for process in ("first", "second", "third"):
            running = locals().get(process)
            if running is not None and running.poll() is None:
                running.kill()
                running.wait(10)
        house.stop()


def _check_end_state(store: StoreFixture, house: Warehouse) -> None:
    received = {p["dossier"]: p for p in house.packages()}
    with open_session(store.settings, "minh", PASSWORDS["minh"]) as session:
        items = outbox.list_items(session)
        credential = outbox.load_credential(session)
        assert credential is not None
        receipts = {i.file_code: outbox.receipt_of(session, i.id) for i in items}
    assert len(items) == DOSSIERS and {i.state for i in items} == {"acknowledged"}
    assert sorted(received) == sorted(i.file_code for i in items)  # each dossier, once
    documents = 0
    for item in items:
        package = received[item.file_code]
        assert package["sha256"] == item.package_sha256
        assert file_sha256(house.data / str(package["path"])) == item.package_sha256
        receipt = client.verify_receipt(receipts[item.file_code], credential.receipt_key,
                                        dossier=item.file_code, sha256=item.package_sha256)
        assert receipt["receipt_id"] == item.receipt_id == package["receipt_id"]
        # never received in full twice: every byte beyond one copy is a resent chunk
        assert int(package["bytes_received"]) < 2 * int(package["size"]), package
        assert int(package["complete_uploads"]) == 1, package
        documents += DOCS
    assert documents >= 200
    if os.environ.get("SOHOA_SOAK_REPORT"):
        resent = sum(int(p["bytes_received"]) - int(p["size"]) for p in received.values())
        print(f"soak: {len(received)} packages, {resent} bytes resent")
