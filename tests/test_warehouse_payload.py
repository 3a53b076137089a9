"""What the warehouse refuses inside an upload, before it spends time on it.

Packages are built by the real packager from an approved dossier, then altered
the way a broken or hostile station could: GNU sparse members declaring 4 GiB,
duplicate names, ``..`` in folder entries, non-PDF bytes or a plain PDF where a
PDF/A must be (with every METS checksum made consistent, so only the new checks
can catch them), links in a ZIP. Tar and ZIP containers are both accepted.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from sync import package
from tests.conftest import StoreFixture
from tests.test_sync_support import Warehouse, approve, make_dossier
from tests.test_warehouse_abuse import auth, commit, enrol, upload
from tests.test_warehouse_support import AGENCY, code
from warehouse import checkpkg

CODE = code(7)
PDF = f"{CODE}/representations/rep1/data/{CODE}.1.pdf"
REP_METS = f"{CODE}/representations/rep1/METS.xml"


@pytest.fixture(scope="module")
def house(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    served = Warehouse(tmp_path_factory.mktemp("wh") / "data")
    served.start()
    yield served
    served.stop()


@pytest.fixture
def built(store: StoreFixture, tmp_path: Path) -> dict[str, Path]:
    """The same approved dossier packaged as a tar and as a ZIP."""
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-1", CODE, 1, seed=7)
    approve(lan, minh, "lô-1")
    return {kind: package.build_package(minh, dossier, tmp_path, container=kind).path
            for kind in ("tar", "zip")}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest().upper()


def _check(path: Path) -> None:
    checkpkg.check_package(path, dossier=CODE, sha256=checkpkg.file_sha256(path))


def _members(path: Path) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    with tarfile.open(path) as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None)  # type: ignore[union-attr]
                for m in tar.getmembers()]


def _write_tar(target: Path, members: list[tuple[tarfile.TarInfo, bytes | None]],
               raw_tail: bytes = b"") -> Path:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in members:
            if data is not None:
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        if raw_tail:  # before the end-of-archive blocks
            tar.fileobj.write(raw_tail)
            tar.offset += len(raw_tail)
    target.write_bytes(out.getvalue())
    return target


def _consistent(members: list[tuple[tarfile.TarInfo, bytes | None]],
                changes: dict[str, bytes]) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    """Replace files and rewrite every METS checksum that named them (size kept equal)."""
    data = {m.name: d for m, d in members}
    for name, new in changes.items():
        old = data[name]
        assert old is not None and len(old) == len(new)
        data[name] = new
        for mets in [n for n in data if n.endswith("METS.xml") and n != name]:
            before = data[mets]
            assert before is not None
            after = before.replace(_sha(old).encode(), _sha(new).encode())
            if after != before:
                data[mets] = after
                changes_up = {mets: after}
                for outer in [n for n in data if n.endswith("METS.xml") and n != mets]:
                    text = data[outer]
                    assert text is not None
                    data[outer] = text.replace(_sha(before).encode(),
                                               _sha(changes_up[mets]).encode())
    return [(m, data[m.name]) for m, _ in members]


def _sparse_header(name: str, stored: int, real: int) -> bytes:
    """A GNU sparse ('S') header: ``stored`` bytes on disk that expand to ``real`` bytes."""
    info = tarfile.TarInfo(name)
    info.size = stored
    block = bytearray(info.tobuf(tarfile.GNU_FORMAT))
    block[156:157] = b"S"
    block[386:398] = b"%011o\0" % 0        # sparse map: data at offset 0 ...
    block[398:410] = b"%011o\0" % stored   # ... for this many bytes
    block[482:483] = b"\0"                 # no extended sparse headers
    block[483:495] = b"%011o\0" % real     # the file's real size
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block) + b"\0" * stored


def test_ours_pass_as_tar_and_as_zip(built: dict[str, Path]) -> None:
    for path in built.values():
        _check(path)
    assert checkpkg.container_of(built["zip"]) == "zip"
    assert checkpkg.container_of(built["tar"]) == "tar"


def test_a_gnu_sparse_member_is_refused_before_hashing(
    built: dict[str, Path], tmp_path: Path
) -> None:
    members = _members(built["tar"])
    bomb = _write_tar(tmp_path / "bomb.tar", members,
                      raw_tail=_sparse_header(f"{CODE}/documentation/zeros.bin", 512, 4 << 30))
    assert bomb.stat().st_size < 200_000
    with pytest.raises(checkpkg.PackageInvalid, match=r"plain file|more than the upload"):
        _check(bomb)


def test_duplicate_names_and_dotdot_folders_are_refused(
    built: dict[str, Path], tmp_path: Path
) -> None:
    members = _members(built["tar"])
    pdf = next(m for m in members if m[0].name == PDF)
    twice = _write_tar(tmp_path / "twice.tar", [*members, (pdf[0], pdf[1])])
    with pytest.raises(checkpkg.PackageInvalid, match="twice"):
        _check(twice)
    folder = tarfile.TarInfo(f"{CODE}/representations/../../escape")
    folder.type = tarfile.DIRTYPE
    dotdot = _write_tar(tmp_path / "dotdot.tar", [*members, (folder, None)])
    with pytest.raises(checkpkg.PackageInvalid, match=r"'\.\.'"):
        _check(dotdot)


@pytest.mark.parametrize(("change", "why"), [
    (lambda pdf: b"GIF89a" + bytes(len(pdf) - 6), "not a PDF"),
    (lambda pdf: pdf.replace(b"pdfaid", b"pdfxid"), "PDF/A"),
])
def test_documents_must_be_pdfa_even_with_consistent_checksums(
    built: dict[str, Path], tmp_path: Path, change: Callable[[bytes], bytes], why: str
) -> None:
    members = _members(built["tar"])
    original = dict((m.name, d) for m, d in members)[PDF]
    assert original is not None
    altered = _write_tar(tmp_path / "altered.tar",
                         _consistent(members, {PDF: change(original)}))
    with pytest.raises(checkpkg.PackageInvalid, match=why):
        _check(altered)


def test_zip_links_duplicates_and_dotdot_are_refused(
    built: dict[str, Path], tmp_path: Path
) -> None:
    with zipfile.ZipFile(built["zip"]) as source:
        entries = [(i, source.read(i)) for i in source.infolist()]

    def rewrite(name: str, extra: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
        target = tmp_path / name
        with zipfile.ZipFile(target, "w") as out:
            for info, data in [*entries, *extra]:
                out.writestr(info, data)
        return target

    link = zipfile.ZipInfo(f"{CODE}/documentation/link")
    link.external_attr = 0o120777 << 16
    with pytest.raises(checkpkg.PackageInvalid, match="plain file"):
        _check(rewrite("link.zip", [(link, b"/etc/passwd")]))
    pdf = next(e for e in entries if e[0].filename == PDF)
    with pytest.warns(UserWarning), pytest.raises(checkpkg.PackageInvalid, match="twice"):
        _check(rewrite("twice.zip", [pdf]))
    with pytest.raises(checkpkg.PackageInvalid, match=r"'\.\.'"):
        _check(rewrite("dotdot.zip", [(zipfile.ZipInfo(f"{CODE}/../x/"), b"")]))


def test_a_zip_directory_bomb_is_refused_before_the_directory_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ZIP declaring more entries than allowed: refused from its end record alone."""
    monkeypatch.setattr(checkpkg, "MAX_MEMBERS", 50)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w") as out:
        for n in range(60):
            out.writestr(f"{CODE}/d/{n}", b"")
    opened: list[object] = []
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: opened.append(a))
    with pytest.raises(checkpkg.PackageInvalid, match="more than 50 entries"):
        _check(bomb)
    assert opened == []  # zipfile never read its directory


def test_the_warehouse_refuses_a_sparse_bomb_then_takes_the_zip(
    house: Warehouse, built: dict[str, Path], tmp_path: Path
) -> None:
    credential = enrol(house, "desk-zip", AGENCY)
    bomb = _write_tar(tmp_path / "bomb.tar", _members(built["tar"]),
                      raw_tail=_sparse_header(f"{CODE}/documentation/z.bin", 512, 4 << 30))
    bomb_bytes = bomb.read_bytes()
    bad = upload(house, credential, bomb_bytes, dossier=CODE)
    refused = commit(house, credential, bad.headers["Location"], CODE, bomb_bytes)
    assert refused.status_code == 422 and "z.bin" in refused.text
    data = built["zip"].read_bytes()
    sent = upload(house, credential, data, dossier=CODE)
    answer = commit(house, credential, sent.headers["Location"], CODE, data)
    assert answer.status_code == 201, answer.text
    stored = house.data / str(next(p for p in house.packages() if p["dossier"] == CODE)["path"])
    assert stored.suffix == ".zip" and _sha(stored.read_bytes()) == _sha(data)
    assert requests.get(f"{house.url}/v1/receipts/{CODE}", headers=auth(credential),
                        timeout=5).status_code == 200
