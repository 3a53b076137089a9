"""Edges found by reviewing the store against its issue: a half-done change, a
name in another letter case, an attempt that left no trace, a bad output path."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from capture import pages
from store import audit, backup, documents, search, users
from store.errors import (
    Conflict,
    DiskFull,
    ExitCode,
    StoreCorrupt,
    UnknownUser,
    WrongPassword,
)
from store.keyring import Keyring
from store.roles import Role
from store.session import init_store, open_session, recover
from store.settings import StoreSettings
from store.textfold import fold, snippet
from tests.conftest import FAST_KDF, PASSWORDS, StoreFixture, add_sample_document, sohoa
from tests.test_store_pages import make_pdf_document

ADMIN = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}


def _one_line(result: subprocess.CompletedProcess[str], code: ExitCode) -> None:
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sohoa: error: "), result.stderr


def _actions(session, action: str) -> list[audit.AuditEntry]:
    return audit.entries(session.conn, action=action, limit=1000)


# -- a store that could not be created, or lost its content ------------------------------

def _fill(path: Path) -> None:
    with open(path, "wb", buffering=0) as fh, pytest.raises(OSError):
        while True:
            fh.write(b"\0" * 65536)


def test_init_on_a_full_disk_leaves_nothing_and_can_be_retried(tiny_disk: Path) -> None:
    settings = StoreSettings(data_dir=tiny_disk / "data", kdf=FAST_KDF)
    settings.data_dir.mkdir()
    filler = tiny_disk / "filler"
    _fill(filler)
    with pytest.raises(DiskFull):
        init_store(settings, "admin", PASSWORDS["admin"])
    assert not settings.paths.db.exists() and not settings.paths.keyring.exists()
    filler.unlink()
    init_store(settings, "admin", PASSWORDS["admin"])
    with open_session(settings, "admin", PASSWORDS["admin"]) as admin:
        assert audit.verify(admin.conn).ok


def test_an_emptied_store_file_is_damage_not_a_new_store(store: StoreFixture) -> None:
    store.settings.paths.db.write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="empty"):
        open_session(store.settings, "admin", PASSWORDS["admin"])
    _one_line(sohoa("info", data=store.settings.data_dir, env=ADMIN), ExitCode.STORE_CORRUPT)
    assert store.settings.paths.db.stat().st_size == 0  # not overwritten with a fresh schema


def test_init_into_a_file_or_an_impossible_folder(tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x")
    _one_line(sohoa("init", "--admin", "admin", data=a_file, env=ADMIN), ExitCode.BAD_INPUT)
    _one_line(sohoa("init", "--admin", "admin", data=a_file / "sub", env=ADMIN),
              ExitCode.BAD_INPUT)


# -- key file and database change together -------------------------------------------------

def _keyring_save_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The key file's disk is full (a real full disk is tested above and in test_store_errors;
    here the failure must land exactly between the two files)."""
    def refuse(self: Keyring, path: Path) -> None:
        raise DiskFull(f"The disk is full: could not write {path.name}.")
    monkeypatch.setattr(Keyring, "save", refuse)


def test_user_add_is_all_or_nothing(store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = store.login("admin")
    before = store.settings.paths.keyring.read_bytes()
    with monkeypatch.context() as m:
        _keyring_save_fails(m)
        with pytest.raises(DiskFull):
            users.add_user(admin, "thu", Role.CLERK, "clerk-pass-3")
    assert "thu" not in {u.name for u in users.list_users(admin)}
    assert not [e for e in _actions(admin, "user.add") if e.object_id == "thu"]
    assert store.settings.paths.keyring.read_bytes() == before
    users.add_user(admin, "thu", Role.CLERK, "clerk-pass-3")  # the retry works
    assert open_session(store.settings, "thu", "clerk-pass-3").user.name == "thu"


def test_password_change_that_cannot_be_saved_is_not_audited(
        store: StoreFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    lan = store.login("lan")
    with monkeypatch.context() as m:
        _keyring_save_fails(m)
        with pytest.raises(DiskFull):
            users.set_password(lan, None, "another-pass-1")
    assert not _actions(lan, "user.passwd")
    lan.close()
    assert open_session(store.settings, "lan", PASSWORDS["lan"]).user.name == "lan"


def test_an_orphan_key_entry_does_not_block_adding_the_user(store: StoreFixture) -> None:
    admin = store.login("admin")
    keyring = Keyring.load(store.settings.paths.keyring)
    keyring.set_password("thu", "orphan-pass-1", admin.data_key, FAST_KDF)
    keyring.save(store.settings.paths.keyring)
    users.add_user(admin, "thu", Role.CLERK, "clerk-pass-3")
    with pytest.raises(WrongPassword):
        open_session(store.settings, "thu", "orphan-pass-1")
    assert open_session(store.settings, "thu", "clerk-pass-3").user.role is Role.CLERK


# -- names in any letter case ------------------------------------------------------------------

def test_vietnamese_user_names_match_in_any_case(store: StoreFixture) -> None:
    admin = store.login("admin")
    users.add_user(admin, "Đức", Role.CLERK, "clerk-pass-4")
    session = open_session(store.settings, "đức", "clerk-pass-4")
    assert session.user.name == "Đức"
    session.close()
    with pytest.raises(Conflict):
        users.add_user(admin, "ĐỨC", Role.CLERK, "clerk-pass-5")
    users.set_password(admin, "đỨc", "clerk-pass-6")
    assert open_session(store.settings, "ĐỨC", "clerk-pass-6").user.name == "Đức"


# -- every attempt leaves a trace --------------------------------------------------------------

def _failed_reasons(store: StoreFixture) -> list[str]:
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as admin:
        return [json.loads(e.detail or "{}").get("reason", "")
                for e in _actions(admin, "login.failed")]


def test_a_disabled_account_trying_to_log_in_is_audited(store: StoreFixture) -> None:
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as admin:
        users.set_active(admin, "lan", False)
    with pytest.raises(WrongPassword):  # her key slot was removed with the account
        open_session(store.settings, "lan", PASSWORDS["lan"])
    assert "WrongPassword" in _failed_reasons(store)


def test_a_wrong_recovery_key_and_an_unknown_name_are_audited(store: StoreFixture) -> None:
    from store import crypto

    with pytest.raises(WrongPassword):
        recover(store.settings, "admin", crypto.new_recovery_key(), "another-pass-1")
    with pytest.raises(UnknownUser):
        recover(store.settings, "ghost", store.recovery_key, "another-pass-1")
    assert "recovery: WrongPassword" in _failed_reasons(store)
    _one_line(sohoa("recover", "ghost", data=store.settings.data_dir,
                    env={"SOHOA_RECOVERY_KEY": store.recovery_key,
                         "SOHOA_NEW_PASSWORD": "another-pass-1"}), ExitCode.UNKNOWN_USER)


def test_a_restore_with_a_wrong_password_is_audited(store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "b.sohoa-backup"
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as admin:
        backup.backup(admin, out)
    with pytest.raises(WrongPassword):
        backup.restore(store.settings, out, "admin", "wrong-password")
    assert "restore: WrongPassword" in _failed_reasons(store)


def test_restore_into_a_new_folder_keeps_it_private(store: StoreFixture, tmp_path: Path) -> None:
    out = tmp_path / "b.sohoa-backup"
    with open_session(store.settings, "admin", PASSWORDS["admin"]) as admin:
        backup.backup(admin, out)
    target = StoreSettings(data_dir=tmp_path / "elsewhere", kdf=FAST_KDF)
    backup.restore(target, out, "admin", PASSWORDS["admin"])
    assert stat.S_IMODE(target.data_dir.stat().st_mode) == 0o700


# -- merging fills fields: each one audited -----------------------------------------------------

def test_merging_documents_audits_every_field_it_fills(store: StoreFixture) -> None:
    lan = store.login("lan")
    first = make_pdf_document(lan, ordinal_pages=1)
    second = make_pdf_document(lan, ordinal_pages=1)
    documents.update_document(lan, second, {"signer_name": "Trần Văn Đức",
                                            "subject": "Về việc cấp phép"})
    pages.merge_documents(lan, first, second)
    rows = {e.field: (e.old_value, e.new_value) for e in _actions(lan, "document.update")
            if e.object_id == str(first)}
    assert rows["signer_name"] == (None, "Trần Văn Đức")
    assert rows["subject"] == (None, "Về việc cấp phép")
    assert documents.get_document(lan, first).metadata["signer_name"] == "Trần Văn Đức"
    assert audit.verify(lan.conn).ok


# -- the command line: refuse before asking, one line for a bad path -----------------------------

def test_role_is_checked_before_a_new_password_is_asked(store: StoreFixture) -> None:
    supervisor = {"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]}
    data = store.settings.data_dir
    _one_line(sohoa("user", "add", "x", "--role", "clerk", data=data, env=supervisor),
              ExitCode.PERMISSION_DENIED)
    _one_line(sohoa("user", "passwd", "lan", data=data, env=supervisor),
              ExitCode.PERMISSION_DENIED)


def test_outputs_to_bad_paths_fail_with_one_line(store: StoreFixture, tmp_path: Path) -> None:
    lan = store.login("lan")
    doc = make_pdf_document(lan, ordinal_pages=1)
    lan.close()
    data = store.settings.data_dir
    clerk = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    missing = tmp_path / "no" / "such" / "folder"
    _one_line(sohoa("export", str(doc), "--pdf", str(missing / "e.pdf"), data=data, env=clerk),
              ExitCode.BAD_INPUT)
    _one_line(sohoa("export", str(doc), "--pdf", str(tmp_path), data=data, env=clerk),
              ExitCode.BAD_INPUT)
    _one_line(sohoa("coversheet", "--dossier", "H29.2024.01", "--title", "Hồ sơ",
                    str(missing / "c.pdf")), ExitCode.BAD_INPUT)
    supervisor = {"SOHOA_USER": "minh", "SOHOA_PASSWORD": PASSWORDS["minh"]}
    _one_line(sohoa("export-report", str(missing / "r.csv"), data=data, env=supervisor),
              ExitCode.BAD_INPUT)
    assert not list(tmp_path.glob("*.part"))


def test_audit_list_refuses_a_date_that_is_not_one(store: StoreFixture) -> None:
    data = store.settings.data_dir
    _one_line(sohoa("audit", "list", "--since", "last tuesday", data=data, env=ADMIN),
              ExitCode.BAD_INPUT)
    _one_line(sohoa("audit", "list", "--limit", "-1", data=data, env=ADMIN), ExitCode.BAD_INPUT)
    ok = sohoa("audit", "list", "--since", "2020-01-01", "--json", data=data, env=ADMIN)
    assert ok.returncode == 0 and json.loads(ok.stdout.splitlines()[0])["action"]


def test_init_json_carries_the_recovery_key(tmp_path: Path) -> None:
    result = sohoa("init", "--admin", "admin", "--json", data=tmp_path / "s", env=ADMIN)
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    assert made["admin"] == "admin" and len(made["recovery_key"].replace("-", "")) >= 40


# -- search marks what matched, nothing more --------------------------------------------------

def test_snippet_marks_whole_words_unless_the_search_was_a_prefix() -> None:
    text = "Thành phố Hồ Chí Minh, Hội Liên hiệp, xã Hòa Phú"
    assert snippet(text, "ho chi minh").marked() == (
        "Thành phố [Hồ] [Chí] [Minh], Hội Liên hiệp, xã Hòa Phú")
    assert "[Hòa]" in snippet(text, "hoa").marked()
    assert snippet(text, "ho", prefix_last=True).marked().count("[") == 3  # Hồ, Hội, Hòa


def test_eth_is_folded_like_d(store: StoreFixture) -> None:
    assert fold("ÐỒNG ðông") == "dong dong"
    lan = store.login("lan")
    add_sample_document(lan, text="Tỉnh ÐỒNG NAI, sở tư pháp")
    assert search.search(lan, "dong nai") and search.search(lan, "Đồng Nai")
