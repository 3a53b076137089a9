"""Archival packages: E-ARK valid, reproducible to the byte, streamed, checked by the warehouse."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from store import batches, blobs, db, documents, site
from store.errors import BadInput, Conflict
from store.session import Session
from sync import conformance, eark, package
from tests.conftest import StoreFixture
from tests.test_signature import plain_pdf, signed_pdf
from tests.test_sync_support import (
    EARK_VALIDATE,
    approve,
    eark_validate,
    make_dossier,
    tiny_pdf,
)
from warehouse import checkpkg

METS = "{http://www.loc.gov/METS/}"
XLINK = "{http://www.w3.org/1999/xlink}href"
EAD = "{urn:isbn:1-931666-22-9}"
PREMIS = "{http://www.loc.gov/premis/v3}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
EAD_FILE = "metadata/descriptive/EAD.xml"
CODE = "000.00.12.H29.2024.07"


def _approved_dossier(store: StoreFixture, docs: int = 3) -> tuple[Session, Session, int]:
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-1", CODE, docs, seed=5)
    doc_id = lan.conn.execute("SELECT id FROM document WHERE ordinal = 2").fetchone()[0]
    documents.update_document(lan, doc_id, {"subject": "Về việc cấp phép (đã sửa)"})
    approve(lan, minh, "lô-1")
    return lan, minh, dossier


def _unpacked(minh: Session, dossier: int, tmp_path: Path) -> Path:
    tmp_path.mkdir(exist_ok=True)
    built = package.build_package(minh, dossier, tmp_path)
    with tarfile.open(built.path) as tar:
        tar.extractall(tmp_path / "x", filter="data")
    return tmp_path / "x" / CODE


def _shared_errors(folder: Path) -> list[str] | None:
    """Error lines of ../shared/tools/eark-validate, or None where the tool is not beside us."""
    if not EARK_VALIDATE.is_file():
        return None
    done = eark_validate(folder)
    assert done.stdout.startswith(("PASS", "FAIL")), done.stderr[-2000:]  # validator ran
    return [line.strip() for line in done.stdout.splitlines()[1:]
            if line.startswith("  ") and not line.strip().startswith(("warning:", "note:"))]


def test_package_passes_the_eark_checks(store: StoreFixture, tmp_path: Path) -> None:
    """Our own checks always; the city's stricter validator too wherever it is present."""
    _lan, minh, dossier = _approved_dossier(store)
    folder = _unpacked(minh, dossier, tmp_path)
    assert conformance.check_package(folder) == []
    assert _shared_errors(folder) in (None, [])
    tree = package.export_tree(minh, dossier, tmp_path / "tree")
    assert conformance.check_package(tree) == []
    assert sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()) == \
        sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_the_agents_are_those_of_the_sip_profile(store: StoreFixture, tmp_path: Path) -> None:
    admin = store.login("admin")
    for key, value in (("ward_name", "UBND phường Bến Nghé"), ("agency_code", "000.00.12.H29"),
                       ("archive_name", "Trung tâm Lưu trữ lịch sử"),
                       ("archive_code", "000.00.00.H29")):
        site.set_value(admin, key, value)
    _lan, minh, dossier = _approved_dossier(store)
    folder = _unpacked(minh, dossier, tmp_path)
    hdr = ET.parse(folder / "METS.xml").getroot().find(f"{METS}metsHdr")
    agents = [(a.get("ROLE"), a.get("TYPE"), a.findtext(f"{METS}name"),
               [n.text for n in a.findall(f"{METS}note")]) for a in hdr.findall(f"{METS}agent")]
    assert agents == [
        ("CREATOR", "OTHER", "sohoa", [eark.PACKAGER_VERSION]),
        ("ARCHIVIST", "ORGANIZATION", "UBND phường Bến Nghé", ["000.00.12.H29"]),
        ("CREATOR", "ORGANIZATION", "UBND phường Bến Nghé", ["000.00.12.H29"]),
        ("CREATOR", "INDIVIDUAL", "minh", []),
        ("PRESERVATION", "ORGANIZATION", "Trung tâm Lưu trữ lịch sử", ["000.00.00.H29"])]
    assert conformance.check_package(folder) == []
    assert _shared_errors(folder) in (None, [])
    rep = ET.parse(folder / "representations/rep1/METS.xml").getroot()
    for location in rep.get(f"{XSI}schemaLocation").split()[1::2]:
        assert (folder / "representations/rep1" / location).resolve().is_file()


def _break_pdf(folder: Path) -> None:
    (folder / f"representations/rep1/data/{CODE}.2.pdf").unlink()


def _flip_pdf_byte(folder: Path) -> None:
    pdf = folder / f"representations/rep1/data/{CODE}.1.pdf"
    data = bytearray(pdf.read_bytes())
    data[100] ^= 1
    pdf.write_bytes(bytes(data))


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        text = (folder / path).read_text(encoding="utf-8")
        assert old in text
        (folder / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def _both(*edits: Callable[[Path], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        for one in edits:
            one(folder)
    return edit


def _stray_file(folder: Path) -> None:
    (folder / "documentation" / "notes.txt").write_text("x")


BREAKS = {
    "missing pdf": (_break_pdf, "CSIP-FILES"),
    "damaged pdf": (_flip_pdf_byte, "CSIP-FILES"),
    "unnamed file": (_stray_file, "CSIP-FILES"),
    "representation METS off-schema": (
        _edit("representations/rep1/METS.xml", '<mets:fileGrp ID=', '<mets:fileGrp BAD="1" ID='),
        "XSD"),
    "submitter as OTHER": (_both(*(  # how packages named the submitter before
        _edit("METS.xml", f'ROLE="CREATOR" TYPE="{kind}"', f'ROLE="OTHER" TYPE="{kind}"')
        for kind in ("ORGANIZATION", "INDIVIDUAL"))), "SIP15"),
    "EAD unitdate type": (_edit(EAD_FILE, 'datechar="issued"', 'type="issuedDate"'), "EAD"),
    "no software agent": (_edit("METS.xml", 'OTHERTYPE="SOFTWARE"', 'OTHERTYPE="TOOL"'),
                          "CSIP10"),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_check_catches_a_broken_package(
    store: StoreFixture, tmp_path: Path, name: str
) -> None:
    """The checks can fail: each kind of damage is named by the rule it breaks."""
    _lan, minh, dossier = _approved_dossier(store)
    folder = _unpacked(minh, dossier, tmp_path)
    damage, rule = BREAKS[name]
    damage(folder)
    assert rule in {f.rule for f in conformance.check_package(folder)}
    shared = _shared_errors(folder)
    assert shared is None or shared != []


def test_the_metadata_says_what_the_issue_asks(store: StoreFixture, tmp_path: Path) -> None:
    _lan, minh, dossier = _approved_dossier(store)
    built = package.build_package(minh, dossier, tmp_path)
    with tarfile.open(built.path) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read()
                 for m in tar.getmembers() if m.isfile()}
    pdfs = sorted(n for n in files if n.endswith(".pdf"))
    assert pdfs == [f"representations/rep1/data/{CODE}.{i}.pdf" for i in (1, 2, 3)]
    for name in ("METS.xml", "representations/rep1/METS.xml"):
        base = "" if name == "METS.xml" else "representations/rep1/"
        for node in ET.fromstring(files[name]).iter():
            if node.tag in (f"{METS}file", f"{METS}mdRef"):
                href = node.get(XLINK) or node.find(f"{METS}FLocat").get(XLINK)
                data = files[base + href]
                assert node.get("CHECKSUM") == hashlib.sha256(data).hexdigest().upper()
                assert node.get("CHECKSUMTYPE") == "SHA-256"
                assert int(node.get("SIZE")) == len(data)
    ead = ET.fromstring(files["metadata/descriptive/EAD.xml"])
    ids = {u.get("type"): u.text for u in ead.iter(f"{EAD}unitid")}
    assert ids["fileCode"] == CODE and ids["paperFileCode"] == f"G-{CODE}"
    assert ids["docCode"] == f"{CODE}.3" and ids["codeNotation"] == "QĐ-UBND"
    genre = next(ead.iter(f"{EAD}genreform"))
    assert (genre.text, genre.get("normal")) == ("Quyết định", "QĐ")
    premis = ET.fromstring(files["metadata/preservation/PREMIS.xml"])
    details = [d.text for d in premis.iter(f"{PREMIS}eventDetail")]
    assert any("subject" in d and "(đã sửa)" in d for d in details)
    kinds = [t.text for t in premis.iter(f"{PREMIS}eventType")]
    assert {"capture", "metadata modification", "approval"} <= set(kinds)
    agents = [v.text for v in premis.iter(f"{PREMIS}agentIdentifierValue")]
    assert "lan" in agents and "minh" in agents and any("test-desk@" in a for a in agents)


def test_same_dossier_same_bytes(store: StoreFixture, tmp_path: Path) -> None:
    _lan, minh, dossier = _approved_dossier(store)
    (tmp_path / "a").mkdir()
    first = package.build_package(minh, dossier, tmp_path / "a")
    minh.close()
    again = store.login("minh")
    (tmp_path / "b").mkdir()
    second = package.build_package(again, dossier, tmp_path / "b")
    assert first.sha256 == second.sha256 and first.size == second.size
    assert first.path.read_bytes() == second.path.read_bytes()
    assert hashlib.sha256(first.path.read_bytes()).hexdigest().upper() == first.sha256
    _spooled_equals_built(again, dossier, first)
    with tarfile.open(first.path) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.uid, m.gid, m.uname, m.mtime) for m in members} == {
        (0, 0, "", members[0].mtime)}


def test_only_approved_dossiers_become_packages(store: StoreFixture, tmp_path: Path) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-9", CODE, 1)
    with pytest.raises(Conflict, match="not approved"):
        package.build_package(minh, dossier, tmp_path)
    bad = make_dossier(lan, "lô-9", "H29/2024 01", 1, seed=2)
    approve(lan, minh, "lô-9")
    with pytest.raises(BadInput, match="cannot name a package"):
        package.build_package(minh, bad, tmp_path)


def test_a_document_without_pdf_gets_one_from_its_pages(
    store: StoreFixture, tmp_path: Path
) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    batch = batches.get_or_create_batch(lan, "lô-3")
    dossier = documents.add_dossier(lan, batch, CODE, title="Hồ sơ ảnh")
    image = Image.new("L", (300, 400), 255)
    image.paste(0, (40, 40, 260, 60))
    png = io.BytesIO()
    image.save(png, "PNG")
    page = documents.PageInput(image=png.getvalue(), mime="image/png", dpi=100, width=300,
                               height=400, ocr_status="done", ocr_text="Số",
                               words=[["Số", 40, 40, 60, 20, 90.0, 1]])
    documents.add_document(lan, dossier, [page], {"subject": "Ảnh"})
    approve(lan, minh, "lô-3")
    built = package.build_package(minh, dossier, tmp_path)
    with tarfile.open(built.path) as tar:
        pdf = tar.extractfile(f"{CODE}/representations/rep1/data/{CODE}.1.pdf").read()
    assert pdf.startswith(b"%PDF-") and b"pdfaid" in pdf
    assert package.build_package(minh, dossier, tmp_path).sha256 == built.sha256
    _spooled_equals_built(minh, dossier, built)


def _spooled_equals_built(minh: Session, dossier: int, built: package.BuiltPackage) -> None:
    """What sync uploads (an encrypted spool) is the exported file byte for byte, read from
    any offset, and nothing of it is named under the temp folder."""
    data = built.path.read_bytes()
    spooled = package.spool_package(minh, dossier)
    try:
        assert (spooled.name, spooled.size, spooled.sha256) == (built.path.name, len(data),
                                                                built.sha256)
        fh = spooled.open()
        assert fh.read() == data
        for offset in (0, 1, 65535, 65536, len(data) // 3, len(data) - 5):
            fh.seek(offset)
            assert fh.read(70_000) == data[offset:offset + 70_000]
        assert not [p for p in minh.temp_dir.rglob("*") if p.is_file()]
    finally:
        spooled.close()


def test_packages_are_streamed_not_held_in_memory(
    store: StoreFixture, tmp_path: Path
) -> None:
    lan, minh = store.login("lan"), store.login("minh")
    batch = batches.get_or_create_batch(lan, "lô-big")
    dossier = documents.add_dossier(lan, batch, CODE, title="Lớn")
    for n in range(3):
        big = io.BytesIO(os.urandom(6 * 1024 * 1024))
        page = documents.PageInput(image=b"img" + bytes([n]), mime="image/png")
        documents.add_document(lan, dossier, [page], {"subject": f"{n}"}, pdf=big)
    approve(lan, minh, "lô-big")
    tracemalloc.start()
    try:
        built = package.build_package(minh, dossier, tmp_path)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert built.size > 18 * 1024 * 1024
    assert peak < 5 * 1024 * 1024, f"peak {peak} bytes"


def test_the_warehouse_check_accepts_ours_and_refuses_tampering(
    store: StoreFixture, tmp_path: Path
) -> None:
    _lan, minh, dossier = _approved_dossier(store, docs=2)
    built = package.build_package(minh, dossier, tmp_path)
    checkpkg.check_package(built.path, dossier=CODE, sha256=built.sha256)
    with pytest.raises(checkpkg.PackageInvalid, match="SHA-256"):
        checkpkg.check_package(built.path, dossier=CODE, sha256="0" * 64)
    with pytest.raises(checkpkg.PackageInvalid, match="outside"):
        checkpkg.check_package(built.path, dossier="OTHER", sha256=built.sha256)
    _rewrite(built.path, tmp_path / "t1.tar", lambda name, data: (
        data[:-1] + b"X" if name.endswith(".1.pdf") else data))
    with pytest.raises(checkpkg.PackageInvalid, match="does not match"):
        checkpkg.check_package(tmp_path / "t1.tar", dossier=CODE,
                               sha256=checkpkg.file_sha256(tmp_path / "t1.tar"))
    _rewrite(built.path, tmp_path / "t2.tar", lambda name, data: data,
             extra=(f"{CODE}/representations/rep1/data/extra.pdf", b"%PDF-"))
    with pytest.raises(checkpkg.PackageInvalid, match="no METS names it"):
        checkpkg.check_package(tmp_path / "t2.tar", dossier=CODE,
                               sha256=checkpkg.file_sha256(tmp_path / "t2.tar"))


def _rewrite(source: Path, target: Path, change: object,
             extra: tuple[str, bytes] | None = None) -> None:
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            if member.isfile():
                data = change(member.name, old.extractfile(member).read())  # type: ignore[operator]
                member.size = len(data)
                new.addfile(member, io.BytesIO(data))
            else:
                new.addfile(member)
        if extra:
            info = tarfile.TarInfo(extra[0])
            info.size = len(extra[1])
            new.addfile(info, io.BytesIO(extra[1]))


def test_package_name_rules() -> None:
    assert package.package_name("000.00.12.H29.2024.07") == "000.00.12.H29.2024.07"
    for bad in ("", "../x", "a/b", "H29 2024", "..", "-x"):
        with pytest.raises(BadInput):
            package.package_name(bad)


def test_a_zip_container_holds_the_same_package(store: StoreFixture, tmp_path: Path) -> None:
    """The site may ask for ZIP (RODA, commons-ip2): same files, reproducible, conformant."""
    _lan, minh, dossier = _approved_dossier(store)
    tar_folder = _unpacked(minh, dossier, tmp_path / "t")
    site.set_value(store.login("admin"), "package_format", "zip")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = package.build_package(minh, dossier, tmp_path / "a")
    second = package.build_package(minh, dossier, tmp_path / "b")
    assert first.path.name == f"{CODE}.zip" and first.sha256 == second.sha256
    assert first.path.read_bytes() == second.path.read_bytes()
    assert hashlib.sha256(first.path.read_bytes()).hexdigest().upper() == first.sha256
    _spooled_equals_built(minh, dossier, first)
    with zipfile.ZipFile(first.path) as archive:
        assert archive.testzip() is None
        archive.extractall(tmp_path / "z")
    folder = tmp_path / "z" / CODE
    assert conformance.check_package(folder) == []
    assert _shared_errors(folder) in (None, [])
    for path in tar_folder.rglob("*"):
        if path.is_file():
            assert (folder / path.relative_to(tar_folder)).read_bytes() == path.read_bytes()


def test_a_signed_original_travels_byte_for_byte_beside_its_pdfa(
    store: StoreFixture, tmp_path: Path
) -> None:
    """A digitally signed source goes in as representation rep2, described in EAD."""
    signed_pdf(tmp_path / "signed.pdf", base=plain_pdf())  # not PDF/A, as signed
    original = (tmp_path / "signed.pdf").read_bytes()
    assert b"pdfaid" not in original
    sha = hashlib.sha256(original).hexdigest()
    lan, minh = store.login("lan"), store.login("minh")
    dossier = make_dossier(lan, "lô-ký", CODE, 1, seed=8)
    with db.transaction(lan.conn):
        blobs.put_blob(lan.conn, original, "application/pdf")
    signature = {"signer": "Nguyễn Văn An", "organisation": "UBND phường Bến Nghé",
                 "signed_at": "2025-09-04T10:15:00+07:00", "reason": None, "location": None,
                 "covers_file": True}
    page = documents.PageInput(image=b"\x89PNG-signed", mime="image/png", dpi=100, width=10,
                               height=10, ocr_status="done", ocr_text="Số")
    documents.add_document(lan, dossier, [page], {"subject": "Văn bản ký số"},
                           extraction={"original": {"sha256": sha}, "signature": [signature]},
                           source="signed.pdf", source_sha256=sha,
                           pdf=io.BytesIO(tiny_pdf(9)))
    approve(lan, minh, "lô-ký")
    folder = _unpacked(minh, dossier, tmp_path / "p")
    kept = folder / f"representations/rep2/data/{CODE}.2.pdf"
    assert kept.read_bytes() == original
    assert not (folder / f"representations/rep2/data/{CODE}.1.pdf").exists()
    assert conformance.check_package(folder) == []
    assert _shared_errors(folder) in (None, [])
    ead = (folder / EAD_FILE).read_text(encoding="utf-8")
    assert f'xlink:href="representations/rep2/data/{CODE}.2.pdf"' in ead
    assert "Ký số bởi / signed by: Nguyễn Văn An; UBND phường Bến Nghé" in ead
    built = package.build_package(minh, dossier, tmp_path)  # the warehouse takes it: rep2
    checkpkg.check_package(built.path, dossier=CODE, sha256=built.sha256)  # need not be PDF/A
