"""The checks a package must pass before the warehouse signs a receipt for it.

A package is a tar or a ZIP (``package_format``), told apart by its first bytes.
The checks run cheapest first, so a hostile upload costs the warehouse little:

1. **Headers only** (no member data read): exactly one root folder named after
   the dossier; plain files and folders only (no links, devices, FIFOs, GNU
   sparse members, encrypted or compressed-by-unknown-method ZIP entries); no
   absolute path, ``..``, ``.``, empty or backslashed component in *any* entry,
   folders included; no name twice; every member's declared size inside the
   upload (a 10 KB tar cannot declare a 4 GiB member).
2. The SHA-256 of the whole upload (bounded by the upload's length).
3. The package METS and each representation METS (each at most 16 MiB): every
   file they name must be listed with the SIZE they state, and every listed
   file must be named by one of them — still without reading member data.
4. Only then each member is read once, hashed and compared with its METS
   CHECKSUM; a file under ``representations/*/data/`` must start with the PDF
   magic, and one under ``representations/rep1/data/`` (the archival copies)
   must identify itself as PDF/A in its XMP (``pdfaid:part`` 1-4 and
   ``pdfaid:conformance``), which PDF/A requires to be unfiltered. Other
   representations (``rep2``: digitally signed originals kept byte for byte)
   are PDFs as their signers made them.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import stat
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

METS = "{http://www.loc.gov/METS/}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CSIP_TYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE"
MAX_METS = 16 * 1024 * 1024
MAX_MEMBERS = 100_000
BLOCK = 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
_DATA = re.compile(r"^representations/[^/]+/data/")
_ARCHIVAL = re.compile(r"^representations/rep1/data/")  # PDF/A by Thông tư 05/2025
_PDFA_PART = re.compile(rb"pdfaid:part(?:\s*=\s*[\"']|>)\s*([1-4])")
_PDFA_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:\s*=\s*[\"']|>)\s*([ABUFEabufe])")


class PackageInvalid(Exception):
    """The package is not acceptable; the message says why (sent back to the station)."""


@dataclass(frozen=True)
class Member:
    size: int
    sha256: str


@dataclass(frozen=True)
class Entry:
    """One listed file: its path under the root folder, declared size, archive handle."""

    rel: str
    size: int
    handle: object


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest().upper()


def container_of(path: Path) -> str:
    """"zip" or "tar", from the first bytes (a ZIP must start with a local header)."""
    with open(path, "rb") as fh:
        return "zip" if fh.read(4) == ZIP_MAGIC else "tar"


# -- 1. headers ---------------------------------------------------------------------------

def _relative(name: str, root: str, seen: set[str]) -> str:
    """The entry's path under ``root`` ("" for the root itself), after the name rules."""
    if "\\" in name or name.startswith("/") or "\x00" in name:
        raise PackageInvalid(f"{name} is not a plain relative path.")
    bare = name[:-1] if name.endswith("/") else name
    if any(part in ("", ".", "..") for part in bare.split("/")):
        raise PackageInvalid(f"{name} has an empty, '.' or '..' component.")
    if bare in seen:
        raise PackageInvalid(f"{bare} is in the package twice.")
    seen.add(bare)
    if len(seen) > MAX_MEMBERS:
        raise PackageInvalid(f"The package has more than {MAX_MEMBERS} entries.")
    if bare != root and not bare.startswith(root + "/"):
        raise PackageInvalid(f"{bare} is outside the package folder {root}/.")
    return bare[len(root) + 1:]


def _tar_entries(tar: tarfile.TarFile, root: str, length: int) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    for info in tar:
        rel = _relative(info.name + ("/" if info.isdir() else ""), root, seen)
        if info.isdir():
            continue
        if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or info.issparse():
            raise PackageInvalid(f"{info.name} is not a plain file (type {info.type!r}).")
        if info.size < 0 or info.offset_data + info.size > length:
            raise PackageInvalid(f"{info.name} declares {info.size} bytes, more than the"
                                 " upload holds.")
        if rel:
            entries.append(Entry(rel, info.size, info))
    return entries


def _zip_entries(archive: zipfile.ZipFile, root: str, length: int) -> list[Entry]:
    entries: list[Entry] = []
    seen: set[str] = set()
    total = 0
    for info in archive.infolist():
        rel = _relative(info.filename, root, seen)
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode) if mode else 0
        if info.is_dir():
            if kind not in (0, stat.S_IFDIR):
                raise PackageInvalid(f"{info.filename} is not a plain folder.")
            continue
        if kind not in (0, stat.S_IFREG) or info.flag_bits & 0x1:
            raise PackageInvalid(f"{info.filename} is not a plain file (a link, device or"
                                 " encrypted entry).")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageInvalid(f"{info.filename} is compressed with an unsupported method.")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise PackageInvalid(f"{info.filename}: stored sizes disagree.")
        total += info.file_size
        if info.header_offset + info.compress_size > length or total > 16 * length:
            raise PackageInvalid(f"{info.filename} declares {info.file_size} bytes, more"
                                 " than the upload can hold.")
        if rel:
            entries.append(Entry(rel, info.file_size, info))
    return entries


def _zip_declared_entries(path: Path) -> int:
    """The entry count a ZIP's end record declares, refused above MAX_MEMBERS.

    Why before ``zipfile.ZipFile``: it reads every central directory entry into memory
    first (300,000 empty entries: +184 MB and 27 s), so a hostile station could make the
    warehouse hold gigabytes before any per-entry check ran.
    """
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 65557))  # the end record and at most a 64 KiB comment
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise PackageInvalid("The ZIP has no end of central directory record.")
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    if count == 0xFFFF:  # zip64: the count is in the zip64 end record the locator points at
        loc = tail.rfind(b"PK\x06\x07", 0, at)
        if loc < 0:
            raise PackageInvalid("The ZIP64 end record cannot be found.")
        offset = int.from_bytes(tail[loc + 8 : loc + 16], "little")
        with open(path, "rb") as fh:
            fh.seek(offset)
            record = fh.read(56)
        if record[:4] != b"PK\x06\x06":
            raise PackageInvalid("The ZIP64 end record is damaged.")
        count = int.from_bytes(record[32:40], "little")
    if count > MAX_MEMBERS:
        raise PackageInvalid(f"The package has more than {MAX_MEMBERS} entries.")
    return count


@contextmanager
def _archive(path: Path, root: str) -> Iterator[tuple[list[Entry], object]]:
    """The archive's entries after the header checks, and a way to open each."""
    length = path.stat().st_size
    try:
        if container_of(path) == "zip":
            _zip_declared_entries(path)  # before zipfile reads the whole directory
            with zipfile.ZipFile(path) as archive:
                yield _zip_entries(archive, root, length), archive
        else:
            with tarfile.open(path, mode="r:") as tar:
                yield _tar_entries(tar, root, length), tar
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as exc:
        raise PackageInvalid(f"The package is not a readable tar or ZIP archive ({exc}).") \
            from exc


def _open(archive: object, entry: Entry) -> IO[bytes]:
    if isinstance(archive, zipfile.ZipFile):
        assert isinstance(entry.handle, zipfile.ZipInfo)
        return archive.open(entry.handle)
    assert isinstance(archive, tarfile.TarFile) and isinstance(entry.handle, tarfile.TarInfo)
    stream = archive.extractfile(entry.handle)
    assert stream is not None
    return stream


# -- 3. METS ------------------------------------------------------------------------------

def _read_small(archive: object, entry: Entry) -> bytes:
    if entry.size > MAX_METS:
        raise PackageInvalid(f"{entry.rel} is larger than {MAX_METS} bytes.")
    with _open(archive, entry) as stream:
        return stream.read(MAX_METS + 1)


def _references(mets: bytes, where: str) -> tuple[ET.Element, list[tuple[str, int, str]]]:
    try:
        root = ET.fromstring(mets)
    except ET.ParseError as exc:
        raise PackageInvalid(f"{where} is not well-formed XML ({exc}).") from exc
    if root.tag != f"{METS}mets":
        raise PackageInvalid(f"{where} is not a METS document.")
    refs = []
    for node in root.iter():
        if node.tag == f"{METS}file":
            flocat = node.find(f"{METS}FLocat")
            href = flocat.get(XLINK_HREF) if flocat is not None else None
        elif node.tag == f"{METS}mdRef":
            href = node.get(XLINK_HREF)
        else:
            continue
        if not href or node.get("CHECKSUMTYPE") != "SHA-256":
            raise PackageInvalid(f"{where}: every file needs a location and a SHA-256.")
        try:
            size = int(node.get("SIZE", ""))
        except ValueError as exc:
            raise PackageInvalid(f"{where}: {href} has no SIZE.") from exc
        refs.append((href, size, node.get("CHECKSUM", "").upper()))
    return root, refs


def _named(
    refs: list[tuple[str, int, str]], base: str, entries: dict[str, Entry], where: str
) -> dict[str, str]:
    """Path -> stated SHA-256 of every file a METS names, sizes checked against the listing."""
    named: dict[str, str] = {}
    for href, size, checksum in refs:
        rel = posixpath.normpath(posixpath.join(base, href))
        if rel.startswith("../") or href.startswith("/") or "://" in href:
            raise PackageInvalid(f"{where}: {href} points outside the package.")
        entry = entries.get(rel)
        if entry is None:
            raise PackageInvalid(f"{where} names {rel}, which is not in the package.")
        if entry.size != size:
            raise PackageInvalid(f"{rel} does not match the SIZE/SHA-256 that {where} states.")
        named[rel] = checksum
    return named


def _plan(archive: object, entries: dict[str, Entry], dossier: str) -> dict[str, str]:
    """Every file and the SHA-256 its METS states (nothing but the METS read yet)."""
    if "METS.xml" not in entries:
        raise PackageInvalid(f"The package has no {dossier}/METS.xml.")
    root, refs = _references(_read_small(archive, entries["METS.xml"]), "METS.xml")
    if root.get("OBJID") != dossier:
        raise PackageInvalid(f"METS.xml names package {root.get('OBJID')!r}, not {dossier!r}.")
    header = root.find(f"{METS}metsHdr")
    if header is None or header.get(CSIP_TYPE) != "SIP":
        raise PackageInvalid("METS.xml does not declare an E-ARK SIP (OAISPACKAGETYPE).")
    named = _named(refs, "", entries, "METS.xml")
    for rep in sorted(n for n in named if n.startswith("representations/")
                      and n.endswith("/METS.xml")):
        _rep, rep_refs = _references(_read_small(archive, entries[rep]), rep)
        named |= _named(rep_refs, posixpath.dirname(rep), entries, rep)
    unnamed = sorted(set(entries) - set(named) - {"METS.xml"})
    if unnamed:
        raise PackageInvalid(f"{unnamed[0]} is in the package but no METS names it.")
    if not any(_DATA.match(n) for n in named):
        raise PackageInvalid("The package holds no document.")
    return named


# -- 4. member data -----------------------------------------------------------------------

class _PdfA:
    """Watches a member's bytes go by: PDF magic first, then the XMP's PDF/A identity."""

    TAIL = 256

    def __init__(self, *, archival: bool = True) -> None:
        self.head = b""
        self.part = self.conformance = False
        self.archival = archival
        self._tail = b""

    def feed(self, block: bytes) -> None:
        if len(self.head) < 5:
            self.head += block[:5 - len(self.head)]
        if self.part and self.conformance:
            return
        # a plain substring search first (no copy of the block): the regexes are slower
        seam = self._tail + block[:self.TAIL]
        if b"pdfaid:" in block or b"pdfaid:" in seam:
            for text in (seam, block):
                self.part = self.part or bool(_PDFA_PART.search(text))
                self.conformance = self.conformance or bool(_PDFA_CONFORMANCE.search(text))
        self._tail = (self._tail + block)[-self.TAIL:] if len(block) < self.TAIL \
            else block[-self.TAIL:]

    def problem(self, rel: str) -> str | None:
        if self.head != b"%PDF-":
            return f"{rel} is not a PDF."
        if self.archival and not (self.part and self.conformance):
            return f"{rel} does not identify itself as PDF/A (no pdfaid in its XMP)."
        return None


def _hash(archive: object, entry: Entry) -> Member:
    digest, size = hashlib.sha256(), 0
    pdf = _PdfA(archival=bool(_ARCHIVAL.match(entry.rel))) if _DATA.match(entry.rel) else None
    with _open(archive, entry) as stream:
        while block := stream.read(BLOCK):
            size += len(block)
            if size > entry.size:
                break
            digest.update(block)
            if pdf is not None:
                pdf.feed(block)
    if size != entry.size:
        raise PackageInvalid(f"{entry.rel} is shorter or longer than its header says.")
    problem = pdf.problem(entry.rel) if pdf is not None else None
    if problem:
        raise PackageInvalid(problem)
    return Member(size, digest.hexdigest().upper())


def check_package(path: Path, *, dossier: str, sha256: str) -> None:
    """Raise PackageInvalid unless ``path`` is the complete, intact package of ``dossier``."""
    with _archive(path, dossier) as (listing, archive):
        if file_sha256(path) != sha256.upper():
            raise PackageInvalid("The uploaded bytes do not have the SHA-256 given at commit.")
        entries = {e.rel: e for e in listing}
        try:
            named = _plan(archive, entries, dossier)
            for rel, checksum in sorted(named.items()):
                if _hash(archive, entries[rel]).sha256 != checksum:
                    raise PackageInvalid(f"{rel} does not match the SIZE/SHA-256 that its"
                                         " METS states.")
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
            raise PackageInvalid(f"The package cannot be read to its end ({exc}).") from exc
