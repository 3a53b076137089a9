"""`sohoa enrol`, `sohoa sync`, exports: run as an admin, a supervisor and a clerk would."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from store import outbox
from store.session import open_session
from tests.conftest import PASSWORDS, StoreFixture, sohoa
from tests.test_sync_support import approve, make_dossier, running_warehouse
from tests.test_warehouse_support import code, token


def _as(user: str) -> dict[str, str]:
    return {"SOHOA_USER": user, "SOHOA_PASSWORD": PASSWORDS[user]}


@pytest.mark.slow
def test_enrol_sync_and_exports_from_the_command_line(
    store: StoreFixture, tmp_path: Path
) -> None:
    data = store.settings.data_dir
    lan, minh = store.login("lan"), store.login("minh")
    for n in (1, 2):
        make_dossier(lan, "lô-1", code(n), 2, seed=n)
    approve(lan, minh, "lô-1")
    make_dossier(lan, "lô-2", code(9), 1, seed=9)  # still open: not sent
    lan.close()
    minh.close()
    with running_warehouse(tmp_path / "wh") as house:
        assert sohoa("enrol", house.url, token(house), data=data, env=_as("lan")
                     ).returncode == 12
        assert sohoa("enrol", "http://10.1.2.3", "x", data=data, env=_as("admin")
                     ).returncode == 3
        enrolled = sohoa("enrol", house.url, token(house), data=data, env=_as("admin"))
        assert enrolled.returncode == 0, enrolled.stderr
        assert sohoa("sync", "--once", data=data, env=_as("admin")).returncode == 12

        assert sohoa("sync", "pause", data=data, env=_as("minh")).returncode == 0
        paused = sohoa("sync", "--once", "--json", data=data, env=_as("minh"))
        assert (paused.returncode, paused.stdout) == (0, "")
        assert sohoa("sync", "resume", data=data, env=_as("minh")).returncode == 0

        sent = sohoa("sync", "--once", "--json", data=data, env=_as("minh"))
        assert sent.returncode == 0, sent.stderr
        lines = [json.loads(x) for x in sent.stdout.splitlines()]
        assert sorted(x["dossier"] for x in lines) == [code(1), code(2)]
        assert all(x["state"] == "acknowledged" and x["receipt_id"] and x["bytes"] == x["size"]
                   for x in lines)
        status = [json.loads(x) for x in sohoa("sync", "status", "--json", data=data,
                                               env=_as("minh")).stdout.splitlines()]
        assert {s["state"] for s in status[:-1]} == {"acknowledged"}
        assert status[-1]["controls"]["paused"] is False
        assert {p["dossier"] for p in house.packages()} == {code(1), code(2)}

    out = tmp_path / "usb"
    out.mkdir()
    exported = sohoa("export-package", code(1), str(out), "--json", data=data,
                     env=_as("minh"))
    assert exported.returncode == 0, exported.stderr
    result = json.loads(exported.stdout)
    with open_session(store.settings, "minh", PASSWORDS["minh"]) as session:
        sent_sha = outbox.find_item(session, code(1)).package_sha256
    assert result["sha256"] == sent_sha  # the bytes on the USB drive are the bytes sent
    tar = Path(result["path"])
    assert hashlib.sha256(tar.read_bytes()).hexdigest().upper() == sent_sha
    assert (out / f"{code(1)}.tar.sha256").read_text().startswith(sent_sha.lower())
    assert sohoa("export-package", code(9), str(out), data=data, env=_as("minh")
                 ).returncode == 17  # not approved

    report = tmp_path / "report.csv"
    assert sohoa("export-report", str(report), data=data, env=_as("lan")).returncode == 0
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert len(rows) == 5 and {r["citizen_ids"] for r in rows} == {"079******270"}
    assert {r["sync_state"] for r in rows} == {"acknowledged", "not queued"}
    masked = report.read_bytes()
    assert sohoa("export-report", str(report), "--unmasked", data=data, env=_as("lan")
                 ).returncode == 12
    assert report.read_bytes() == masked  # a refused export leaves the earlier file alone
    assert not list(tmp_path.glob("*.part"))
    full = sohoa("export-report", str(report), "--unmasked", "--batch", "lô-1", data=data,
                 env=_as("minh"))
    assert full.returncode == 0, full.stderr
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert len(rows) == 4 and {r["citizen_ids"] for r in rows} == {"079303001270"}


def test_status_json_with_an_empty_queue_still_tells_the_controls(store: StoreFixture) -> None:
    data = store.settings.data_dir
    assert sohoa("sync", "set", "parallel", "3", data=data, env=_as("minh")).returncode == 0
    assert sohoa("sync", "pause", data=data, env=_as("minh")).returncode == 0
    done = sohoa("sync", "status", "--json", data=data, env=_as("minh"))
    assert done.returncode == 0, done.stderr
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert lines == [{"controls": {"paused": True, "parallel": 3, "bandwidth_kbps": 0}}]


def test_site_set_warehouse_url_follows_the_enrolment(
    store: StoreFixture, tmp_path: Path
) -> None:
    data = store.settings.data_dir

    def set_url(url: str) -> tuple[int, str]:
        done = sohoa("site", "set", "warehouse_url", url, data=data, env=_as("admin"))
        return done.returncode, done.stderr

    assert set_url("http://example.invalid")[0] == 3  # clear text to another machine
    assert set_url("https://kho.example.vn/")[0] == 0  # not enrolled yet: kept for enrol
    with running_warehouse(tmp_path / "wh") as house:
        enrolled = sohoa("enrol", house.url, token(house), data=data, env=_as("admin"))
        assert enrolled.returncode == 0, enrolled.stderr
        code_, why = set_url("https://kho.example.vn")
        assert code_ == 17 and "sohoa enrol https://kho.example.vn TOKEN" in why
        assert set_url(house.url + "/") == (0, "")
        shown = sohoa("site", "show", "--json", data=data, env=_as("admin"))
        assert json.loads(shown.stdout)["warehouse_url"] == house.url
    assert sohoa("site", "set", "ward_name", "Phường Bến Nghé", data=data,
                 env=_as("admin")).returncode == 0
