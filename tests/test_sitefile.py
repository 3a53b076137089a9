"""The per-site file: every mistake IT can make is one clear sentence; applying is audited."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli.commands_admin import sync_enroller
from store import audit, outbox, site
from store.errors import BadInput, ExitCode, NetworkError, PermissionDenied
from store.session import Session
from store.sitefile import (
    EnrolmentRequest,
    apply_on_login,
    apply_site_file,
    enrol_from_site_file,
    load_site_file,
    parse_site_file,
)
from tests.conftest import PASSWORDS, REPO, StoreFixture, sohoa
from tests.test_sync_support import free_port, running_warehouse

TOKEN = "tok-0123456789abcdefXYZ"
GOOD = f"""
ward_name = "Phường Bến Nghé"
agency_code = "000.00.12.H29"
warehouse_url = "https://kho.tphcm.gov.vn/"
enrolment_token = "{TOKEN}"
idle_lock_minutes = 15
language = "vi"
"""


def _write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(text: str) -> str:
    with pytest.raises(BadInput) as caught:
        parse_site_file(text, source="site.toml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("site.toml")
    return message


def test_a_good_file_parses_into_typed_values() -> None:
    parsed = parse_site_file(GOOD)
    assert parsed.ward_name == "Phường Bến Nghé" and parsed.agency_code == "000.00.12.H29"
    assert parsed.warehouse_url == "https://kho.tphcm.gov.vn"  # store.site's normal form
    assert parsed.idle_lock_minutes == 15 and parsed.language == "vi"
    assert parsed.enrolment_token == TOKEN and TOKEN not in repr(parsed)
    assert parsed.settings() == {"ward_name": "Phường Bến Nghé", "agency_code": "000.00.12.H29",
                                 "warehouse_url": "https://kho.tphcm.gov.vn",
                                 "idle_lock_minutes": "15", "language": "vi"}


def test_optional_keys_take_the_store_defaults() -> None:
    minimal = "\n".join(GOOD.strip().splitlines()[:3])
    parsed = parse_site_file(minimal)
    assert (parsed.idle_lock_minutes, parsed.language, parsed.enrolment_token,
            parsed.ca_bundle) == (10, "vi", "", "")


def test_the_example_fails_until_it_is_filled_in() -> None:
    text = (REPO / "installer" / "site.example.toml").read_text("utf-8")
    with pytest.raises(BadInput, match="warehouse_url is still the example"):
        parse_site_file(text)
    text = text.replace("https://warehouse.example", "https://kho.tphcm.gov.vn")
    with pytest.raises(BadInput, match="enrolment_token is still the example's placeholder"):
        parse_site_file(text)
    filled = parse_site_file(text.replace("REPLACE-WITH-THE-TOKEN-FROM-THE-WAREHOUSE", TOKEN))
    assert filled.agency_code == "000.00.12.H29" and filled.enrolment_token == TOKEN


def test_decomposed_vietnamese_is_stored_composed() -> None:
    nfd = "Phu\u031bo\u031b\u0300ng Bê\u0301n Nghe\u0301"
    parsed = parse_site_file(GOOD.replace("Phường Bến Nghé", nfd))
    assert parsed.ward_name == "Phường Bến Nghé"


@pytest.mark.parametrize(("change", "expected"), [
    (("agency_code = \"000.00.12.H29\"", "agency_code = \"H29\""), "agency_code must look like"),
    (("https://kho.tphcm.gov.vn/", "ftp://kho"), "warehouse_url must be an https://"),
    (("idle_lock_minutes = 15", "idle_lock_minutes = 0"), "idle_lock_minutes must be a whole"),
    (("idle_lock_minutes = 15", "idle_lock_minutes = \"ten\""), "idle_lock_minutes must be"),
    (("idle_lock_minutes = 15", "idle_lock_minutes = true"), "idle_lock_minutes must be a whole"),
    (("idle_lock_minutes = 15", "idle_lock_minutes = 1.5"), "idle_lock_minutes must be a whole"),
    (("language = \"vi\"", "language = \"fr\""), "language is vi or en"),
    (("language = \"vi\"", "language = 1"), "language must be text in double quotes"),
    (("ward_name = \"Phường Bến Nghé\"", "ward_name = \"  \""), "ward_name: this setting must"),
    (("language = \"vi\"", "ca_bundle = \"certs/ca.pem\""), "ca_bundle must be an absolute path"),
    (("language = \"vi\"", "warehouse = \"x\""), "unknown key 'warehouse'"),
    (("ward_name = \"Phường Bến Nghé\"", ""), "ward_name is missing"),
    (("language = \"vi\"", "[site]\nlanguage = \"vi\""), "unknown key 'site'"),
    (("language = \"vi\"", "language = vi"), "not valid TOML: Invalid value (at line 7"),
])
def test_each_mistake_is_one_sentence_naming_the_key(change: tuple[str, str],
                                                      expected: str) -> None:
    assert expected in _error(GOOD.replace(*change))


def test_token_errors_never_show_the_token() -> None:
    short = "abc$def"
    message = _error(GOOD.replace(TOKEN, short))
    assert "enrolment_token must be 16 to 512" in message and short not in message


def test_file_level_problems(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="There is no site file at"):
        load_site_file(tmp_path / "absent.toml")
    with pytest.raises(BadInput, match="is a folder"):
        load_site_file(tmp_path)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(GOOD.replace("Phường Bến Nghé", "Ph\xf6").encode("latin-1"))
    with pytest.raises(BadInput, match="is not UTF-8"):
        load_site_file(latin1)
    huge = _write(tmp_path, GOOD + "#" * 70_000, "huge.toml")
    with pytest.raises(BadInput, match="over 64 KiB"):
        load_site_file(huge)
    good = load_site_file(_write(tmp_path, GOOD))
    assert good.source == str(tmp_path / "site.toml") and len(good.sha256) == 64


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_names_the_group(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    path.chmod(0)
    with pytest.raises(BadInput, match="'sohoa' group"):
        load_site_file(path)


# ------------------------------------------------------------------ applying


class FakeEnroller:
    """Stands in for sync's enrolment, which needs a warehouse this test does not run."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.calls: list[EnrolmentRequest] = []
        self.fail = fail

    def __call__(self, session: Session, request: EnrolmentRequest) -> None:
        self.calls.append(request)
        if self.fail is not None:
            raise self.fail


def _audit_text(session: Session) -> str:
    return json.dumps([e.as_dict() for e in audit.entries(session.conn, limit=1000)],
                      ensure_ascii=False)


def test_admin_applies_the_file_and_each_change_is_audited(store: StoreFixture,
                                                            tmp_path: Path) -> None:
    admin = store.login("admin")
    enroller = FakeEnroller()
    report = apply_site_file(admin, _write(tmp_path, GOOD), enrol=enroller)
    assert set(report.changed) == {"ward_name", "agency_code", "warehouse_url",
                                   "idle_lock_minutes"}  # language was already "vi"
    assert report.enrolment == "enrolled"
    loaded = site.load(admin.conn)
    assert (loaded.ward_name, loaded.agency_code, loaded.idle_lock_minutes) == (
        "Phường Bến Nghé", "000.00.12.H29", 15)
    assert enroller.calls == [EnrolmentRequest("https://kho.tphcm.gov.vn", "000.00.12.H29",
                                               "Phường Bến Nghé", None, TOKEN)]
    actions = [e.action for e in audit.entries(admin.conn)]
    assert actions.count("site.set") == 4 and "site.file" in actions
    assert "site.enrolment" in actions
    assert TOKEN not in _audit_text(admin)
    assert audit.verify(admin.conn).ok


def test_after_enrolment_the_token_is_forgotten(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    apply_site_file(admin, _write(tmp_path, GOOD), enrol=FakeEnroller())
    later = FakeEnroller()
    changed = GOOD.replace("idle_lock_minutes = 15", "idle_lock_minutes = 20")
    report = apply_site_file(admin, _write(tmp_path, changed), enrol=later)
    assert report.changed == ("idle_lock_minutes",)
    assert report.enrolment == "already enrolled" and later.calls == []


def test_unreachable_warehouse_leaves_enrolment_pending_and_retries(
        store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    path = _write(tmp_path, GOOD)
    offline = FakeEnroller(NetworkError("The warehouse cannot be reached."))
    first = apply_on_login(admin, path, enrol=offline)
    assert first is not None and first.enrolment == "pending"
    assert first.detail == "The warehouse cannot be reached."
    online = FakeEnroller()
    retried = apply_on_login(admin, path, enrol=online)  # same file, but still pending
    assert retried is not None and retried.enrolment == "enrolled" and retried.changed == ()
    assert apply_on_login(admin, path, enrol=online) is None  # nothing left to do
    assert len(online.calls) == 1


def test_a_refused_token_is_an_error_and_not_pending(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    refused = FakeEnroller(PermissionDenied("The warehouse refused the enrolment token."))
    with pytest.raises(PermissionDenied, match="refused"):
        apply_site_file(admin, _write(tmp_path, GOOD), enrol=refused)


@pytest.mark.slow
def test_first_apply_enrols_with_the_reference_warehouse_then_forgets_the_token(
        store: StoreFixture, tmp_path: Path) -> None:
    """sync's real enrolment, against the reference warehouse: the token works once."""
    admin = store.login("admin")
    enrol = sync_enroller()  # the face passes sync's enrolment in (the store never looks it up)
    with running_warehouse(tmp_path / "wh") as house:
        text = (GOOD.replace("https://kho.tphcm.gov.vn/", house.url)
                .replace(TOKEN, house.token("desk-7")))
        path = _write(tmp_path, text)
        first = apply_site_file(admin, path, enrol=enrol)
        assert first.enrolment == "enrolled", first.detail
        credential = outbox.load_credential(admin)
        assert credential is not None and credential.warehouse_url == house.url
        changed = text.replace("idle_lock_minutes = 15", "idle_lock_minutes = 30")
        again = apply_site_file(admin, _write(tmp_path, changed), enrol=enrol)
        assert again.changed == ("idle_lock_minutes",)
        assert again.enrolment == "already enrolled"  # the used token is not sent again
    token = text.split('enrolment_token = "')[1].split('"')[0]
    assert token not in _audit_text(admin)


def test_an_unreachable_warehouse_leaves_enrolment_pending(store: StoreFixture,
                                                           tmp_path: Path) -> None:
    admin = store.login("admin")
    closed = f"http://127.0.0.1:{free_port()}"
    path = _write(tmp_path, GOOD.replace("https://kho.tphcm.gov.vn/", closed))
    state, detail = enrol_from_site_file(admin, load_site_file(path), enrol=sync_enroller())
    assert (state, detail) == ("pending", "The warehouse cannot be reached (ConnectionError).")
    row = admin.conn.execute("SELECT value FROM meta WHERE key = 'site_file.enrolment'").fetchone()
    assert row == ("pending",)


def test_no_token_means_no_enrolment(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    without = "\n".join(line for line in GOOD.splitlines() if "enrolment_token" not in line)
    report = apply_site_file(admin, _write(tmp_path, without), enrol=FakeEnroller())
    assert report.enrolment == "no token"


def test_clerks_may_not_apply_and_are_not_bothered_at_login(store: StoreFixture,
                                                            tmp_path: Path) -> None:
    clerk = store.login("lan")
    path = _write(tmp_path, GOOD)
    with pytest.raises(PermissionDenied):
        apply_site_file(clerk, path, enrol=FakeEnroller())
    assert apply_on_login(clerk, path, enrol=FakeEnroller()) is None


def test_ca_bundle_is_checked_on_the_desk(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    bundle = tmp_path / "ca.pem"
    text = GOOD + f'ca_bundle = "{bundle}"\n'
    with pytest.raises(BadInput, match="cannot be read on this desk"):
        apply_site_file(admin, _write(tmp_path, text), enrol=FakeEnroller())
    bundle.write_text("not a certificate")
    with pytest.raises(BadInput, match="holds no PEM certificate"):
        apply_site_file(admin, _write(tmp_path, text), enrol=FakeEnroller())
    bundle.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    apply_site_file(admin, _write(tmp_path, text), enrol=FakeEnroller())
    assert site.load(admin.conn).ca_bundle == str(bundle)


def test_site_commands_from_the_command_line(store: StoreFixture, tmp_path: Path) -> None:
    bad = _write(tmp_path, GOOD.replace("000.00.12.H29", "H29"), "bad.toml")
    checked = sohoa("site", "check", str(bad))
    assert checked.returncode == ExitCode.BAD_INPUT
    assert checked.stderr.strip().count("\n") == 0 and "agency_code must look like" in (
        checked.stderr)
    good = _write(tmp_path, GOOD.replace("https://kho.tphcm.gov.vn/",
                                         f"http://127.0.0.1:{free_port()}"))
    ok = sohoa("site", "check", str(good), "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["enrolment_token"] == "present"
    assert TOKEN not in ok.stdout

    env = {"SOHOA_USER": "admin", "SOHOA_PASSWORD": PASSWORDS["admin"]}
    data = store.settings.data_dir
    applied = sohoa("site", "apply", str(good), "--json", data=data, env=env)
    assert applied.returncode == 0, applied.stderr
    result = json.loads(applied.stdout)
    assert "agency_code" in result["changed"] and result["enrolment"] == "pending"
    shown = json.loads(sohoa("site", "show", "--json", data=data, env=env).stdout)
    assert shown["ward_name"] == "Phường Bến Nghé" and shown["idle_lock_minutes"] == 15
    clerk = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": PASSWORDS["lan"]}
    denied = sohoa("site", "apply", str(good), data=data, env=clerk)
    assert denied.returncode == ExitCode.PERMISSION_DENIED


# Meanings in these tests are made up for the test and say so: the program ships none.
RETENTION = """
[retention]
regulation = "Regulation named for this test"
codes = { "01" = "test meaning one", "03" = "  test   meaning three " }
"""


def test_the_retention_table_names_the_regulation_and_each_code_meaning() -> None:
    """[retention]: the regulation the meanings come from and each accepted code's meaning,
    kept as the store keeps them (sorted JSON, spaces folded)."""
    parsed = parse_site_file(GOOD + RETENTION)
    assert parsed.retention_regulation == "Regulation named for this test"
    assert json.loads(parsed.retention_codes) == {"01": "test meaning one",
                                                  "03": "test meaning three"}
    assert parsed.settings()["retention_codes"] == parsed.retention_codes
    assert "retention_codes" not in parse_site_file(GOOD).settings()  # absent: left alone


@pytest.mark.parametrize(("table", "says"), [
    ('[retention]\nregulation = "R"\ncodes = { "08" = "x" }', "'08' is not a retention code"),
    ('[retention]\nregulation = "R"\ncodes = { "1" = "x" }', "'1' is not a retention code"),
    ('[retention]\ncodes = { "01" = "x" }', "needs the regulation"),
    ('[retention]\nregulation = "R"', "needs each code's meaning"),
    ('[retention]\nregulation = "R"\ncodes = { "01" = "  " }', "meaning of 01 must be"),
    ('[retention]\nregulation = "R"\ncodes = { "01" = 10 }', "meaning of 01 must be"),
    ('[retention]\nregulation = "R"\ncodes = { "01" = "EXAMPLE: the words" }',
     "still the example's placeholder"),
    ('[retention]\nregulation = "EXAMPLE: name it"\ncodes = { "01" = "x" }',
     "still the example's placeholder"),
    ('[retention]\nregulation = "R"\nyears = 5\ncodes = { "01" = "x" }', "must be a table"),
    ('retention = "01"', "must be a table"),
])
def test_a_bad_retention_table_is_one_sentence(table: str, says: str) -> None:
    assert says in _error(GOOD + table)


def test_applying_the_file_stores_the_retention_table_audited(store: StoreFixture,
                                                               tmp_path: Path) -> None:
    admin = store.login("admin")
    report = apply_site_file(admin, _write(tmp_path, GOOD + RETENTION), enrol=FakeEnroller())
    assert {"retention_regulation", "retention_codes"} <= set(report.changed)
    loaded = site.load(store.login("lan").conn)  # every user reads it (the form shows it)
    assert loaded.retention_regulation == "Regulation named for this test"
    assert loaded.retention_meanings() == {"01": "test meaning one", "03": "test meaning three"}
    assert [e.field for e in audit.entries(admin.conn) if e.action == "site.set"
            and e.field and e.field.startswith("retention")] != []
    again = apply_site_file(admin, _write(tmp_path, GOOD + RETENTION), enrol=FakeEnroller())
    assert not {"retention_regulation", "retention_codes"} & set(again.changed)
