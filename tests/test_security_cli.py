"""Issue 12 items 7 and 8: one line and a distinct exit code, bounded reads, account rules."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store import documents, users
from store.errors import ExitCode, UsageError, WrongPassword
from store.roles import Role
from store.session import check_password, check_user_name, open_session
from tests.conftest import PASSWORDS, REPO, StoreFixture, add_sample_document, sohoa
from tests.test_sync_support import tiny_pdf

LAN = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}


def _one_line(done: subprocess.CompletedProcess[str], code: ExitCode) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.startswith("sohoa: error")]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_a_binary_password_file_is_one_line(store: StoreFixture, tmp_path: Path) -> None:
    binary = tmp_path / "pw.bin"
    binary.write_bytes(b"\xff\xfe\x00\x01binary")
    done = sohoa("--password-file", str(binary), "info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan"})
    assert "not text" in _one_line(done, ExitCode.BAD_INPUT)


def test_password_file_dev_zero_is_read_with_a_bound(store: StoreFixture) -> None:
    done = sohoa("--password-file", "/dev/zero", "info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "lan"})
    assert "too long" in _one_line(done, ExitCode.BAD_INPUT)


@pytest.mark.parametrize("args", [["search", "x", "--limit", "1" + "0" * 30],
                                  ["show", "1" + "0" * 30], ["show", "1e30"],
                                  ["audit", "list", "--limit", "-" + "9" * 30],
                                  ["ingest", "/dev/null", "--workers", "-3"]])
def test_huge_or_odd_numbers_are_usage_errors(store: StoreFixture, args: list[str]) -> None:
    _one_line(sohoa(*args, data=store.settings.data_dir, env=LAN), ExitCode.USAGE)


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run sohoa as another user")
def test_a_store_owned_by_another_user_is_one_line(store: StoreFixture, tmp_path: Path) -> None:
    """The data folder of root, opened by `nobody` (the folder is 0700)."""
    try:
        venv_ok = subprocess.run([sys.executable, "-c", "import sqlcipher3"], check=False,
                                 preexec_fn=_as_nobody, capture_output=True).returncode == 0
    except PermissionError:
        venv_ok = False
    if not venv_ok:
        pytest.skip("the venv is not readable by nobody here")
    shared = Path("/tmp") / f"sohoa-shared-{os.getpid()}"
    shutil.copytree(store.settings.data_dir, shared)
    try:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}, **LAN,
               "HOME": "/tmp", "SOHOA_LOG_DIR": "/tmp"}
        done = subprocess.run([sys.executable, str(REPO / "main.py"), "--data", str(shared),
                               "info"], capture_output=True, text=True, env=env, check=False,
                              preexec_fn=_as_nobody, timeout=120)
        assert "refused" in _one_line(done, ExitCode.ACCESS_DENIED)
    finally:
        shutil.rmtree(shared)


# -- accounts ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["lan\u200b", "\u0430dmin", "ad\u202emin", "x\x1b[31m",
                                  "two words", "-lan", ""])
def test_look_alike_and_control_user_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        check_user_name(name)


@pytest.mark.parametrize("name", ["Nguyễn.Thị_Hoa", "lan-2", "đức", "ＬＡＮ"])
def test_vietnamese_and_plain_names_are_accepted_nfkc(name: str) -> None:
    assert check_user_name(name) in (name, "LAN")


@pytest.mark.parametrize("weak", [" " * 8, "aaaaaaaa", "12345678", "abababab", "Password",
                                  "87654321", "abcdefgh"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(UsageError):
        check_password(weak)


def test_a_fullwidth_name_logs_in_as_the_plain_one(store: StoreFixture) -> None:
    assert open_session(store.settings, "ｌａｎ", PASSWORDS["lan"]).user.name == "lan"


def test_the_slowdown_persists_across_programs(store: StoreFixture) -> None:
    for n in range(7):  # 5 wrong guesses, then 2 tries during the wait
        with pytest.raises(WrongPassword):
            open_session(store.settings, "hoa", f"wrong-guess-{n}")
    with pytest.raises(WrongPassword, match="wait"):
        open_session(store.settings, "hoa", PASSWORDS["hoa"])
    done = sohoa("info", data=store.settings.data_dir,
                 env={"SOHOA_USER": "hoa", "SOHOA_PASSWORD": PASSWORDS["hoa"]})
    assert "wait" in _one_line(done, ExitCode.WRONG_PASSWORD)  # even the right password
    ghost = sohoa("info", data=store.settings.data_dir,
                  env={"SOHOA_USER": "ghost", "SOHOA_PASSWORD": "wrong-guess-1"})
    assert ghost.returncode == ExitCode.WRONG_PASSWORD
    assert open_session(store.settings, "lan", PASSWORDS["lan"]).user.name == "lan"


def test_a_user_added_with_a_look_alike_name_is_refused(store: StoreFixture) -> None:
    admin = store.login("admin")
    with pytest.raises(UsageError):
        users.add_user(admin, "l\u0430n", Role.CLERK, "fresh-pass-42")


def _run_cli(store: StoreFixture, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    from cli.main import run

    for key, value in LAN.items():
        monkeypatch.setenv(key, value)
    return run(["--data", str(store.settings.data_dir), *args])


def test_a_lock_file_that_cannot_be_opened_is_exit_25(
        store: StoreFixture, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """store.lock 444 or a folder of another user: the OS refuses (root ignores modes, so
    the refusal is injected where the lock file is opened)."""
    def refuse(path: object, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("store.lock.open", refuse, raising=False)
    assert _run_cli(store, monkeypatch, "info") == ExitCode.ACCESS_DENIED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "store.lock" in err and "refused" in err


def test_a_read_only_store_file_is_one_sentence() -> None:
    import sqlcipher3

    from store import db
    from store.errors import AccessDenied

    with pytest.raises(AccessDenied), db.translate_errors():
        raise sqlcipher3.OperationalError("attempt to write a readonly database")


def test_a_key_file_that_cannot_be_read_is_exit_25(
        store: StoreFixture, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    real_open = open

    def refuse_keyring(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("keyring.json"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("store.keyring.open", refuse_keyring, raising=False)
    assert _run_cli(store, monkeypatch, "info") == ExitCode.ACCESS_DENIED
    assert capsys.readouterr().err.count("\n") == 1


def test_export_refuses_to_overwrite_without_force(store: StoreFixture, tmp_path: Path) -> None:
    clerk = store.login("lan")
    doc_id = add_sample_document(clerk)
    dossier = clerk.conn.execute("SELECT dossier_id FROM document WHERE id = ?",
                                 (doc_id,)).fetchone()[0]
    page = documents.PageInput(image=b"page", mime="image/png", dpi=100, width=413, height=583)
    with_pdf = documents.add_document(clerk, dossier, [page], {"subject": "x"}, source="b.pdf",
                                      pdf=io.BytesIO(tiny_pdf(3)))
    clerk.close()
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"the clerk's own file")
    done = sohoa("export", str(with_pdf), "--pdf", str(kept), data=store.settings.data_dir,
                 env=LAN)
    assert "already exists" in _one_line(done, ExitCode.BAD_INPUT)
    assert kept.read_bytes() == b"the clerk's own file"
    forced = sohoa("export", str(with_pdf), "--pdf", str(kept), "--force",
                   data=store.settings.data_dir, env=LAN)
    assert forced.returncode == 0, forced.stderr
    assert kept.read_bytes().startswith(b"%PDF-")


def test_user_add_says_the_name_it_stored(store: StoreFixture) -> None:
    """A fullwidth name is stored NFKC-normalised: the admin must read that name, not
    the look-alike she typed (the audit printed 'Added ｌａｎ2')."""
    done = sohoa("user", "add", "--role", "clerk", "ｌａｎ2", data=store.settings.data_dir,
                 env={"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"],
                      "SOHOA_NEW_PASSWORD": "fresh-pass-42"})
    assert done.returncode == ExitCode.OK, done.stderr
    assert done.stdout.strip() == "Added lan2 as clerk."


def test_disable_tells_the_admin_when_the_rekey_is_left_pending(store: StoreFixture) -> None:
    """With another program on the store the re-key waits: the admin is told, since an
    old key file still opens the store until then (it said only 'lan disabled.')."""
    admin = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}
    with open_session(store.settings, "hoa", PASSWORDS["hoa"]):
        done = sohoa("user", "disable", "lan", data=store.settings.data_dir, env=admin)
    assert done.returncode == ExitCode.OK, done.stderr
    assert "lan disabled." in done.stdout and "re-keyed at the next login" in done.stderr
    done = sohoa("user", "disable", "hoa", data=store.settings.data_dir, env=admin)
    assert done.returncode == ExitCode.OK and "re-key" not in done.stderr, done.stderr
