"""One approved dossier -> one E-ARK SIP (a reproducible tar or ZIP), streamed to disk.

Layout (docs/sync.md)::

    <fileCode>/METS.xml
    <fileCode>/metadata/descriptive/EAD.xml
    <fileCode>/metadata/preservation/PREMIS.xml
    <fileCode>/representations/rep1/METS.xml
    <fileCode>/representations/rep1/metadata/preservation/PREMIS.xml
    <fileCode>/representations/rep1/data/<fileCode>.<ordinal>.pdf
    <fileCode>/representations/rep2/...   digitally signed originals, when there are any
    <fileCode>/schemas/*.xsd
    <fileCode>/documentation/README.txt

The PDF/A files are the documents' own (made at capture), read from the
encrypted store chunk by chunk; their SHA-256 is the store's key for them, so
nothing is hashed twice. A document stored without a PDF gets one made from
its page images, through an encrypted spool (store/spool.py).

Nothing of a package is ever in clear on disk on its way to the warehouse
(issue 12 item 2): :func:`spool_package` writes the archive into an encrypted
spool the upload reads back from any offset. Only :func:`build_package` and
:func:`export_tree`, which write where a supervisor asked (a USB drive), write
plain files: that is their job.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from capture.pdfa import EncodedImage, encode_image, write_pdfa
from ocr.model import PageText, Word
from store import blobs, db, site
from store.errors import BadInput, StoreCorrupt
from store.messages import say
from store.session import Session
from store.spool import Spool
from sync import eark, records, tarball
from sync.eark import FileEntry
from sync.records import DocumentRecord, DossierRecord

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")
EAD_PATH = "metadata/descriptive/EAD.xml"
PREMIS_PATH = "metadata/preservation/PREMIS.xml"
REP_PREFIX = f"representations/{eark.REPRESENTATION}/"
REP_METS_PATH = REP_PREFIX + "METS.xml"
REP_PREMIS_PATH = REP_PREFIX + PREMIS_PATH
DOC_PATH = "documentation/README.txt"


@dataclass(frozen=True)
class BuiltPackage:
    file_code: str
    objid: str
    path: Path
    size: int
    sha256: str  # upper-case hex of the whole archive


@dataclass(frozen=True)
class SpooledPackage:
    """A package in an encrypted spool, for the upload; :meth:`close` drops it (and its key)."""

    file_code: str
    objid: str
    name: str  # the archive's file name, as the warehouse is told
    size: int
    sha256: str  # upper-case hex of the whole archive
    spool: Spool

    def open(self) -> BinaryIO:
        """The archive's bytes from its start, seekable (a tus upload resumes anywhere)."""
        self.spool.seek(0)
        return self.spool.as_file()

    def close(self) -> None:
        self.spool.close()


def package_name(file_code: str) -> str:
    """The package id (root folder, OBJID, archive name): the file code itself."""
    if not _SAFE_NAME.match(file_code) or ".." in file_code:
        raise BadInput(say("sync.file_code_unusable",
                           "The file code {file_code!r} cannot name a package: use letters, "
                           "digits, dots, hyphens and underscores.",
                           file_code=file_code))
    return file_code


_Writer = Callable[[BinaryIO, str, Sequence[tarball.Member], int], tarball.HashingWriter]


def _plan(session: Session, dossier_id: int,
          container: str | None) -> tuple[DossierRecord, str, _Writer, str]:
    record = records.load_dossier(session, dossier_id)
    objid = package_name(record.file_code)
    kind = container or site.load(session.conn).package_format
    if kind == "zip":
        return record, objid, tarball.write_zip, "zip"
    return record, objid, tarball.write_tar, "tar"


def build_package(
    session: Session, dossier_id: int, out_dir: Path, *, container: str | None = None
) -> BuiltPackage:
    """Write ``<out_dir>/<fileCode>.tar`` (or ``.zip``); same dossier, same bytes.

    ``container`` is "tar" or "zip"; None takes the site setting ``package_format``.
    The file is plain: this is the export a supervisor asked for, into her folder.
    """
    record, objid, write, suffix = _plan(session, dossier_id, container)
    target = out_dir / f"{objid}.{suffix}"
    partial = out_dir / f".{objid}.{suffix}.part"
    with _members(session, record, objid) as members:
        try:
            with open(partial, "wb") as fh:
                written = write(fh, objid, members, _epoch(record.approved_at))
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    return BuiltPackage(record.file_code, objid, target, written.size, written.sha256)


def spool_package(
    session: Session, dossier_id: int, *, container: str | None = None
) -> SpooledPackage:
    """The same bytes as :func:`build_package`, into an encrypted spool under the store's
    temp folder (the caller closes it): a package on its way to the warehouse."""
    record, objid, write, suffix = _plan(session, dossier_id, container)
    spool = Spool(session.temp_dir)
    try:
        with _members(session, record, objid) as members:
            written = write(spool.as_file(), objid, members, _epoch(record.approved_at))
    except BaseException:
        spool.close()
        raise
    return SpooledPackage(record.file_code, objid, f"{objid}.{suffix}", written.size,
                          written.sha256, spool)


def export_tree(session: Session, dossier_id: int, out_dir: Path) -> Path:
    """The same package as a folder ``<out_dir>/<fileCode>/`` (USB hand-over, validators)."""
    record = records.load_dossier(session, dossier_id)
    objid = package_name(record.file_code)
    folder = out_dir / objid
    if folder.exists():
        raise BadInput(say("sync.package_folder_exists",
                           "{folder} already exists; choose an empty folder.",
                           folder=folder))
    with _members(session, record, objid) as members:
        tarball.write_tree(folder, members)
    return folder


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp())


# -- members ------------------------------------------------------------------------------------

def _entry(path: str, data: bytes, mime: str, created: str) -> FileEntry:
    return FileEntry(path, len(data), hashlib.sha256(data).hexdigest().upper(), mime, created)


@contextlib.contextmanager
def _members(session: Session, record: DossierRecord, objid: str
             ) -> Iterator[list[tarball.Member]]:
    """The package's members; PDFs made for the occasion live in spools until the end."""
    with contextlib.ExitStack() as spools:
        def new_spool() -> BinaryIO:
            return spools.enter_context(Spool(session.temp_dir))
        yield _member_list(session.conn, record, objid, new_spool)


def _member_list(
    conn: db.Connection, record: DossierRecord, objid: str, new_spool: Callable[[], BinaryIO]
) -> list[tarball.Member]:
    members: list[tarball.Member] = []
    created = record.approved_at
    pdfs = _pdf_members(conn, record, new_spool, members)
    pdf_entries = [pdfs[o] for o in sorted(pdfs)]

    def add(path: str, data: bytes, mime: str) -> FileEntry:
        members.append(tarball.bytes_member(path, data))
        return _entry(path, data, mime, created)

    rep_premis = add(REP_PREMIS_PATH, eark.premis_representation(pdf_entries), "text/xml")
    rep_mets = [add(REP_METS_PATH, eark.representation_mets(
        record, premis=rep_premis, pdfs=pdf_entries), "text/xml")]
    originals = _original_members(conn, record, members)
    if originals:  # signed sources, byte for byte, as a representation of their own
        prefix = f"representations/{eark.ORIGINALS}/"
        premis_2 = add(prefix + PREMIS_PATH, eark.premis_representation(
            originals, eark.ORIGINAL_FORMAT), "text/xml")
        rep_mets.append(add(prefix + "METS.xml", eark.representation_mets(
            record, premis=premis_2, pdfs=originals, name=eark.ORIGINALS), "text/xml"))
    ead = add(EAD_PATH, eark.ead(record, {o: e.path for o, e in pdfs.items()}), "text/xml")
    premis = add(PREMIS_PATH, eark.premis_package(record), "text/xml")
    docs = [add(DOC_PATH, eark.documentation(record, objid), "text/plain")]
    schemas = [add(f"schemas/{p.name}", p.read_bytes(), "application/xml")
               for p in sorted(SCHEMAS_DIR.glob("*.xsd"))]
    add("METS.xml", eark.package_mets(record, objid=objid, ead=ead, premis=premis,
                                      documentation=docs, schemas=schemas,
                                      rep_mets=rep_mets), "text/xml")
    return members


def _pdf_members(
    conn: db.Connection, record: DossierRecord, new_spool: Callable[[], BinaryIO],
    members: list[tarball.Member],
) -> dict[int, FileEntry]:
    """The documents' PDF/A files (ordinal -> entry); adds their members."""
    entries: dict[int, FileEntry] = {}
    for doc in record.documents:
        path = eark.pdf_path(record, doc)
        if doc.pdf_sha256:
            sha = doc.pdf_sha256
            members.append(tarball.Member(path, blobs.blob_size(conn, sha),
                                          _blob_chunks(conn, sha)))
            entries[doc.ordinal] = FileEntry(path, blobs.blob_size(conn, sha), sha.upper(),
                                             "application/pdf", doc.created_at)
            continue
        if all(p.blank for p in doc.pages):
            continue  # only blank pages: described in EAD, no file
        spool = new_spool()
        data_sha, size = _render_pdf(conn, record, doc, spool)
        members.append(tarball.Member(path, size, _spool_chunks(spool)))
        entries[doc.ordinal] = FileEntry(path, size, data_sha, "application/pdf",
                                         doc.created_at)
    return entries


def _original_members(
    conn: db.Connection, record: DossierRecord, members: list[tarball.Member]
) -> list[FileEntry]:
    """The documents' digitally signed source files, as capture kept them."""
    entries = []
    for doc in record.documents:
        if doc.original_sha256:
            sha, path = doc.original_sha256, eark.original_path(record, doc)
            size = blobs.blob_size(conn, sha)
            members.append(tarball.Member(path, size, _blob_chunks(conn, sha)))
            entries.append(FileEntry(path, size, sha.upper(), "application/pdf", doc.created_at))
    return entries


def _blob_chunks(conn: db.Connection, sha: str) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        digest = hashlib.sha256()
        for block in blobs.iter_blob(conn, sha):
            digest.update(block)
            yield block
        if digest.hexdigest() != sha.lower():
            raise StoreCorrupt(say("sync.blob_damaged",
                                   "The file {sha}… is damaged in the store; restore a backup.",
                                   sha=sha[:12]))
    return read


# -- a PDF/A for a document stored without one --------------------------------------------------

def _word(values: tuple[object, ...]) -> Word:
    text, left, top, width, height, conf = values[:6]
    line = int(str(values[6])) if len(values) > 6 else 0
    return Word(str(text), int(str(left)), int(str(top)), int(str(width)), int(str(height)),
                float(str(conf)), line=line)


def _page_items(
    conn: db.Connection, record: DossierRecord, doc: DocumentRecord
) -> Iterator[tuple[EncodedImage, PageText, int]]:
    for page in doc.pages:
        if page.blank:
            continue
        try:
            with Image.open(io.BytesIO(blobs.read_blob(conn, page.image_sha256))) as image:
                image.load()
                encoded = encode_image(image)
        except (OSError, ValueError) as exc:
            raise BadInput(say("sync.page_unreadable",
                               "Document {ordinal} of {file_code} has no PDF and its page {page} "
                               "is not a readable image.",
                               ordinal=doc.ordinal, file_code=record.file_code,
                               page=page.ordinal)) from exc
        dpi = page.dpi or 300
        same = (page.width, page.height) == (encoded.width, encoded.height)
        words = tuple(_word(w) for w in page.words) if same else ()
        yield encoded, PageText(words, encoded.width, encoded.height, dpi), dpi


def _render_pdf(
    conn: db.Connection, record: DossierRecord, doc: DocumentRecord, out: BinaryIO
) -> tuple[str, int]:
    """Write the document's PDF/A into ``out`` (a spool); its SHA-256 and size."""
    try:
        write_pdfa(out, _page_items(conn, record, doc),
                   title=doc.subject or doc.type_name or f"{record.file_code}.{doc.ordinal}",
                   author=doc.organ_name or "", subject=doc.type_name or "",
                   created=datetime.fromisoformat(doc.created_at))
    except ValueError as exc:
        raise BadInput(say("sync.pdfa_failed",
                           "Document {ordinal} of {file_code}: cannot make its PDF/A ({reason}).",
                           ordinal=doc.ordinal, file_code=record.file_code, reason=exc)) from exc
    digest, size = hashlib.sha256(), 0
    for block in _spool_chunks(out)():
        digest.update(block)
        size += len(block)
    return digest.hexdigest().upper(), size


def _spool_chunks(spool: BinaryIO) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        spool.seek(0)
        while block := spool.read(tarball.READ_SIZE):
            yield block
    return read
