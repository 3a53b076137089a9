"""Shared fixtures: real SQLCipher stores in tmp folders, users of each role.

In-process tests use a cheaper Argon2id setting (the real one is exercised by
the CLI tests, which run the installed `sohoa` as a user would).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from store import batches, documents, users
from store.roles import Role
from store.session import Session, init_store, open_session
from store.settings import KdfParams, StoreSettings

REPO = Path(__file__).resolve().parent.parent
FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)
PASSWORDS = {"admin": "admin-pass-1", "lan": "clerk-pass-1", "hoa": "clerk-pass-2",
             "minh": "super-pass-1"}


@dataclass
class StoreFixture:
    settings: StoreSettings
    recovery_key: str
    opened: list[Session]

    def login(self, name: str) -> Session:
        session = open_session(self.settings, name, PASSWORDS[name])
        self.opened.append(session)
        return session


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StoreFixture]:
    settings = StoreSettings(data_dir=tmp_path / "data", kdf=FAST_KDF, station="test-desk")
    key = init_store(settings, "admin", PASSWORDS["admin"])
    fixture = StoreFixture(settings, key, [])
    admin = fixture.login("admin")
    users.add_user(admin, "lan", Role.CLERK, PASSWORDS["lan"])
    users.add_user(admin, "hoa", Role.CLERK, PASSWORDS["hoa"])
    users.add_user(admin, "minh", Role.SUPERVISOR, PASSWORDS["minh"])
    admin.close()
    yield fixture
    for session in fixture.opened:
        session.close()


SAMPLE_TEXT = (
    "ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ\nSố: 12/QĐ-UBND\n"
    "Phường Bến Nghé, ngày 05 tháng 3 năm 2024\nQUYẾT ĐỊNH\n"
    "Về việc cấp giấy phép cho bà Nguyễn Thị Hồng Nhung, CCCD số 079303001270,\n"
    "cư trú tại Thành phố Hồ Chí Minh.\nCHỦ TỊCH\nTrần Văn Đức"
)


def add_sample_document(
    session: Session, batch_name: str = "lô-1", file_code: str = "H29.2024.01",
    text: str = SAMPLE_TEXT, **metadata: str,
) -> int:
    """A one-page document as capture would store it (used before real OCR exists)."""
    batch = batches.get_or_create_batch(session, batch_name)
    found = documents.find_dossier(session, file_code)
    dossier_id = found[0] if found else documents.add_dossier(
        session, batch, file_code, title="Hồ sơ cấp phép")
    meta = {"type_name": "Quyết định", "code_number": "12", "code_notation": "QĐ-UBND",
            "issued_date": "2024-03-05", "organ_name": "Ủy ban nhân dân phường Bến Nghé",
            "subject": "Về việc cấp giấy phép", "signer_position": "Chủ tịch",
            "signer_name": "Trần Văn Đức"} | metadata
    page = documents.PageInput(image=b"\x89PNG fake image " + text.encode(), mime="image/png",
                               dpi=300, width=2480, height=3508, ocr_status="done",
                               ocr_text=text, words=[["Số:", 10, 10, 40, 12, 91.0]])
    return documents.add_document(session, dossier_id, [page], meta,
                                  citizen_ids=["079303001270"], source="sample.png")


def sohoa(*args: str, env: dict[str, str] | None = None, data: Path | None = None,
          input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `sohoa` command as a user would (fresh process, real exit code)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SOHOA_")}
    full_env.update(env or {})
    prefix = ["--data", str(data)] if data else []
    return subprocess.run([sys.executable, str(REPO / "main.py"), *prefix, *args],
                          capture_output=True, text=True, env=full_env, input=input_text,
                          timeout=120, check=False)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 3 MB file system (tmpfs), where the disk really fills up."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root); the SQLite-level test covers it")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
