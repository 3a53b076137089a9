"""Nothing personal is readable on disk: every byte under the data folder is scanned."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from store import backup, documents, search
from tests.conftest import StoreFixture, add_sample_document, sohoa

CCCD = "079303001270"
NAME = "Nguyễn Thị Hồng Nhung"


def _needles() -> list[bytes]:
    forms = {NAME, unicodedata.normalize("NFD", NAME), "nguyen thi hong nhung",
             "Nguyen Thi Hong Nhung", CCCD, "Hồng Nhung"}
    out = []
    for text in forms:
        out += [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]
    return out


def _scan(folder: Path) -> list[str]:
    found = []
    needles = _needles()
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


def test_no_plaintext_personal_data_under_the_data_folder(store: StoreFixture) -> None:
    clerk = store.login("lan")
    doc_id = add_sample_document(clerk, signer_name=NAME)
    documents.update_document(clerk, doc_id, {"subject": f"Cấp phép cho {NAME}, CCCD {CCCD}"})
    assert search.search(clerk, "hong nhung")
    assert _scan(store.settings.data_dir) == []          # while open (WAL in use)
    backup.backup(store.login("admin"), store.settings.data_dir / "b.sohoa")
    for session in store.opened:
        session.close()
    store.opened.clear()
    assert _scan(store.settings.data_dir) == []          # after every program ended
    assert list(store.settings.paths.temp.iterdir()) == []


def test_cli_commands_leave_no_plaintext(store: StoreFixture) -> None:
    clerk = store.login("lan")
    add_sample_document(clerk, signer_name=NAME)
    clerk.close()
    env = {"SOHOA_USER": "lan", "SOHOA_PASSWORD": "clerk-pass-1"}
    shown = sohoa("show", "1", "--json", data=store.settings.data_dir, env=env)
    assert CCCD in shown.stdout  # the clerk may read it...
    assert _scan(store.settings.data_dir) == []  # ...but nothing stays on disk


def test_leftover_temp_files_are_purged_at_start(store: StoreFixture) -> None:
    temp = store.settings.paths.temp
    leftover = temp / "crashed-run" / "page-0001.png"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"plaintext page from a crashed run")
    store.login("lan").close()
    assert not leftover.exists()
    assert oct(temp.stat().st_mode & 0o777) == "0o700"
