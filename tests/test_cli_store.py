"""The `sohoa` command, run as a clerk, a supervisor and an admin would run it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PASSWORDS, REPO, StoreFixture, add_sample_document, sohoa


def _env(user: str, password: str, **extra: str) -> dict[str, str]:
    return {"SOHOA_USER": user, "SOHOA_PASSWORD": password, **extra}


def test_full_store_workflow_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "store"
    admin = _env("admin", "admin-password")
    init = sohoa("init", "--admin", "admin", data=data, env=admin)
    assert init.returncode == 0, init.stderr
    assert "RECOVERY KEY" in init.stdout
    pw_file = tmp_path / "pw"
    pw_file.write_text("clerk-password\n")
    added = sohoa("user", "add", "lan", "--role", "clerk", "--new-password-file", str(pw_file),
                  data=data, env=admin)
    assert added.returncode == 0, added.stderr
    assert sohoa("user", "add", "minh", "--role", "supervisor", data=data,
                 env={**admin, "SOHOA_NEW_PASSWORD": "super-password"}).returncode == 0
    listed = [json.loads(line) for line in
              sohoa("user", "list", "--json", data=data, env=admin).stdout.splitlines()]
    assert {(u["name"], u["role"]) for u in listed} == {
        ("admin", "admin"), ("lan", "clerk"), ("minh", "supervisor")}

    clerk = _env("lan", "clerk-password")
    _store_one_document(data)
    found = sohoa("search", "ho chi minh", "--json", data=data, env=clerk)
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert hits and hits[0]["document_id"] == 1 and "[Hồ] [Chí] [Minh]" in hits[0]["snippet"]
    shown = json.loads(sohoa("show", "1", "--json", data=data, env=clerk).stdout)
    assert shown["code_notation"] == "QĐ-UBND" and shown["citizen_ids"] == ["079303001270"]
    assert shown["issued_date"] == "2024-03-05" and "Hồ Chí Minh" in shown["text"]

    assert sohoa("batch", "submit", "lô-1", data=data, env=clerk).returncode == 0
    assert sohoa("batch", "approve", "lô-1", data=data, env=clerk).returncode == 12
    supervisor = _env("minh", "super-password")
    approved = sohoa("batch", "approve", "lô-1", "--json", data=data, env=supervisor)
    assert json.loads(approved.stdout)["state"] == "approved"
    batches = [json.loads(x) for x in
               sohoa("batch", "list", "--json", data=data, env=supervisor).stdout.splitlines()]
    assert batches[0]["state"] == "approved" and batches[0]["documents"] == 1

    log = sohoa("audit", "list", "--json", "--limit", "500", data=data, env=supervisor)
    actions = [json.loads(x)["action"] for x in log.stdout.splitlines()]
    for action in ("store.init", "user.add", "login", "document.open", "batch.submit",
                   "batch.approve"):
        assert action in actions
    assert sohoa("audit", "verify", data=data, env=admin).returncode == 0

    out = tmp_path / "backup.sohoa"
    assert sohoa("backup", str(out), data=data, env=admin).returncode == 0
    restored = tmp_path / "restored"
    result = sohoa("restore", str(out), data=restored, env=admin)
    assert result.returncode == 0, result.stderr
    again = json.loads(sohoa("show", "1", "--json", data=restored, env=clerk).stdout)
    assert again["subject"] == shown["subject"]


def _store_one_document(data: Path) -> None:
    from store.session import open_session
    from store.settings import StoreSettings

    with open_session(StoreSettings(data_dir=data), "lan", "clerk-password") as session:
        add_sample_document(session)


def test_password_change_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "s"
    admin = _env("admin", "admin-password")
    sohoa("init", "--admin", "admin", data=data, env=admin)
    new = {**admin, "SOHOA_NEW_PASSWORD": "fresh-pass-9"}
    changed = sohoa("user", "passwd", data=data, env=new)
    assert changed.returncode == 0, changed.stderr
    assert sohoa("info", data=data, env=admin).returncode == 10
    assert sohoa("info", data=data, env=_env("admin", "fresh-pass-9")).returncode == 0


def test_recovery_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "s"
    init = sohoa("init", "--admin", "admin", data=data, env=_env("admin", "admin-password"))
    key = init.stdout.splitlines()[-1].strip()
    result = sohoa("recover", "admin", data=data,
                   env={"SOHOA_RECOVERY_KEY": key, "SOHOA_NEW_PASSWORD": "recovered-pass"})
    assert result.returncode == 0, result.stderr
    assert sohoa("info", data=data, env=_env("admin", "recovered-pass")).returncode == 0


def test_version_and_help() -> None:
    version = sohoa("--version")
    assert version.returncode == 0 and version.stdout.startswith("sohoa ")
    assert "backup" in sohoa("--help").stdout
    assert (REPO / "main.py").exists()


def test_vietnamese_output_survives_a_pipe_with_a_legacy_code_page(store: StoreFixture) -> None:
    """Windows gives a pipe the ANSI code page: every command printing a Vietnamese name
    crashed with UnicodeEncodeError (found by installer/windows/wine-build.sh)."""
    from store import batches

    batches.create_batch(store.login("lan"), "Lô tháng 3 - phường Bến Nghé")
    env = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"],
           "PYTHONIOENCODING": "cp1252"}  # what Windows gives a pipe
    done = sohoa("batch", "list", data=store.settings.data_dir, env=env)
    assert done.returncode == 0, done.stderr
    assert "Lô tháng 3 - phường Bến Nghé" in done.stdout
