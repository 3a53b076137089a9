"""Capture as one short pipeline: inputs -> pages -> workers -> documents -> store.

    ingest(session, request, settings)
      for each input file (folders expanded; a file already stored, or given
      twice in the run, is skipped by SHA-256 and reported as a duplicate):
        each page's original image is stored (encrypted) at once, then sent to a
        worker that checks for a cover sheet, cleans, OCRs (capture.prepare);
      results come back in any order and are put back in page order;
      pages are grouped into documents (one per input file, split at cover
      sheets), metadata is extracted, a two-layer PDF/A is written, and the
      document is stored in one transaction.

A page that fails is stored with its error and the batch goes on; a file that
cannot be read gets one clear error and the others go on. A cancel (the
caller's progress or document callback raises) keeps every document whose pages
were all read (see :class:`_Held`), and the callback's exception is raised last.
A file cut short keeps the pages read as a document marked *incomplete*
(``extraction["incomplete"]``: pages read, of how many; ``source_sha256`` is
``incomplete:<sha>``, so it is no duplicate of the file): the form and the quality
gate say so, and importing the file again stores it whole and removes the
incomplete copy (audited ``document.replace``). Memory stays flat:
each page's original and cleaned images go to the (encrypted) store as soon as
they exist; the parent keeps only their hashes, the words and the decisions.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO, TypeVar

import pikepdf
from PIL import Image

from capture.pdfa import EncodedImage, encode_image, write_pdfa
from capture.prepare import CapturedPage, CaptureOptions, capture_task, encode_original
from extract import metadata
from extract.signature import SignatureInfo, read_signatures
from ocr.model import Extraction, PageText
from ocr.settings import OcrSettings
from ocr.tesseract import check_tesseract
from ocr.workers import PageJob, PageResult, Progress, make_runner
from scanning import sources
from scanning.settings import ScanSettings
from store import audit, batches, blobs, documents, search, site
from store.db import transaction
from store.errors import BadInput, Conflict, SohoaError
from store.fsutil import private_tempdir
from store.messages import say
from store.quality import INCOMPLETE
from store.session import Session
from store.spool import Spool

ProgressCallback = Callable[[Progress], None]
_T = TypeVar("_T")


@dataclass(frozen=True)
class CaptureSettings:
    version: int = 1
    scan: ScanSettings = field(default_factory=ScanSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    serial: bool = False  # run pages in this process (tests, debugging)


@dataclass(frozen=True)
class PageStack:
    """Pages with no file to read (a scan): they come from ``pages()``, already decoded.

    Why: a scanned stack written to ``DIR/tmp`` for the pipeline to open was a
    page image in clear on the disk (issue 12 item 2); the caller keeps it in an
    encrypted spool instead. ``sha256`` identifies the stack as a file's hash does.
    """

    source: str
    sha256: str
    count: int
    pages: Callable[[], Iterator[sources.SourcePage]]


@dataclass(frozen=True)
class IngestRequest:
    paths: Sequence[str]
    batch: str
    dossier: str | None = None       # every document of the run in this dossier
    cover_sheets: bool = False       # a cover sheet starts a new dossier
    blank_separates: bool = False    # a blank sheet ends a document (and is not kept)
    sheet_sides: int = 1             # 2 for duplex: a separator is blank on both sides
    label: str | None = None         # the name reported and recorded instead of the path
    stack: PageStack | None = None   # read instead of ``paths`` (a scan)


@dataclass
class DocumentOutcome:
    """One line of the ingest report: a stored document, a duplicate, or a failure."""

    source: str
    id: int | None = None
    duplicate_of: int | None = None
    errors: list[str] = field(default_factory=list)
    same_as: str | None = None  # a duplicate of another input of this run (by SHA-256)
    incomplete: tuple[int, int | None] | None = None  # cut short: (pages read, of how many)
    replaced: list[int] = field(default_factory=list)  # incomplete copies this one replaced


@dataclass
class IngestReport:
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    pages: int = 0
    blank_pages: int = 0

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.id is None and o.duplicate_of is None]

    @property
    def stored(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.id is not None]


# -- pages in -------------------------------------------------------------------------------

@dataclass
class _PageSlot:
    """What the parent knows of a page while a worker reads it."""

    file_no: int
    source: str
    file_sha256: str
    index: int
    dpi: int
    original_sha256: str  # "" for a PDF page until its worker's rendering is stored
    original_mime: str
    signatures: tuple[SignatureInfo, ...] = ()  # the source PDF's digital signatures
    pdf_page: sources.PdfPage | None = None  # rendered by the worker, not here


@dataclass
class _Inputs:
    """The page stream: stores originals, remembers each page, records file failures."""

    session: Session
    settings: CaptureSettings
    work: Path
    options: CaptureOptions
    report: IngestReport
    slots: dict[str, _PageSlot] = field(default_factory=dict)
    failed_files: set[int] = field(default_factory=set)
    sent: int = 0
    seen: dict[str, str] = field(default_factory=dict)  # SHA-256 -> source, this run
    files: dict[int, sources.InputFile | PageStack] = field(default_factory=dict)
    repeats: list[tuple[DocumentOutcome, str]] = field(default_factory=list)

    reading: int | None = None  # the file whose pages are still being sent to workers

    def jobs(self, request: IngestRequest) -> Iterator[PageJob]:
        items = (sources.iter_inputs(list(request.paths), self.settings.scan)
                 if request.stack is None else iter([request.stack]))
        for file_no, item in enumerate(items):
            if isinstance(item, sources.SourceFailure):
                self.report.outcomes.append(DocumentOutcome(item.source, errors=[item.message]))
                continue
            if request.label:
                item = replace(item, source=request.label)
            self.files[file_no] = item
            self.reading = file_no
            for job, last in _with_last(self._file_jobs(file_no, item)):
                if last:  # every page of the file is on its way
                    self.reading = None
                yield job
            self.reading = None

    def unfinished(self, file_no: int) -> bool:
        """After a cancel: was a page of this file never read (or never sent)?"""
        return file_no == self.reading or any(s.file_no == file_no for s in self.slots.values())

    def pages_in_file(self, file_no: int) -> int | None:
        """How many pages the file has (after a cancel, to say how many were read)."""
        item = self.files.get(file_no)
        if isinstance(item, PageStack):
            return item.count
        try:
            return _pages_in(item.path) if item is not None else None
        except Exception:  # a count only to tell the clerk; unknown is said as unknown
            return None

    def resolve_repeats(self) -> None:
        """An input given twice in one run points at the document its first copy became."""
        for outcome, sha in self.repeats:
            outcome.duplicate_of = documents.find_by_source(self.session, sha)
            if outcome.duplicate_of is None:
                outcome.errors.append(str(say(
                    "capture.same_file_not_stored",
                    "same file as {source}, which was not stored", source=outcome.same_as)))

    def _file_jobs(self, file_no: int,
                   item: sources.InputFile | PageStack) -> Iterator[PageJob]:
        try:
            sha = item.sha256 if isinstance(item, PageStack) else sources.file_sha256(item.path)
        except OSError as exc:
            self._fail(file_no, item.source, f"{item.source}: {exc.strerror or exc}")
            return
        existing = documents.find_by_source(self.session, sha)
        if existing is not None:
            self.report.outcomes.append(DocumentOutcome(item.source, duplicate_of=existing))
            return
        if sha in self.seen:
            outcome = DocumentOutcome(item.source, same_as=self.seen[sha])
            self.report.outcomes.append(outcome)
            self.repeats.append((outcome, sha))
            return
        self.seen[sha] = item.source
        if isinstance(item, PageStack):
            yield from self._stack_jobs(file_no, item, sha)
            return
        signed = read_signatures(item.path) if item.path.suffix.lower() == ".pdf" else ()
        if signed and self._keep_original(file_no, item, sha) is None:
            return
        try:
            if sources.is_pdf(item):
                for ref in sources.pdf_pages(item, sha, self.settings.scan):
                    yield self._pdf_job(file_no, ref, signed)
                return
            for page in sources.iter_pages(item, self.settings.scan):
                yield self._job(file_no, item, sha, page, signed)
        except SohoaError as exc:
            self._fail(file_no, item.source, str(exc))

    def _stack_jobs(self, file_no: int, stack: PageStack, sha: str) -> Iterator[PageJob]:
        try:
            for page in stack.pages():
                yield self._job(file_no, stack, sha, page)
        except SohoaError as exc:
            self._fail(file_no, stack.source, str(exc))

    def _keep_original(self, file_no: int, item: sources.InputFile, sha: str) -> str | None:
        """A signed PDF's signature lives in its bytes: keep them exactly as they came."""
        try:
            with open(item.path, "rb") as fh:
                kept = blobs.put_blob_now(self.session.conn, fh, "application/pdf",
                                          chunk=self.session.settings.blob_chunk_size)
        except OSError as exc:
            self._fail(file_no, item.source, f"{item.source}: {exc.strerror or exc}")
            return None
        if kept != sha:
            self._fail(file_no, item.source, str(say(
                "capture.file_changed_while_read", "{source}: the file changed while it was read",
                source=item.source)))
            return None
        return kept

    def _job(self, file_no: int, item: sources.InputFile | PageStack, sha: str,
             page: sources.SourcePage, signed: tuple[SignatureInfo, ...] = ()) -> PageJob:
        original = encode_original(page.image)
        stored = blobs.put_blob_now(self.session.conn, original.data, original.mime,
                                    chunk=self.session.settings.blob_chunk_size)
        key = str(self.sent)
        self.sent += 1
        self.slots[key] = _PageSlot(file_no, item.source, sha, page.index, page.dpi, stored,
                                    original.mime, signed)
        return PageJob.from_image(key, page.image, settings=self.settings.ocr,
                                  temp_dir=self.work, dpi=page.dpi, options=self.options)

    def _pdf_job(self, file_no: int, ref: sources.PdfPage,
                 signed: tuple[SignatureInfo, ...]) -> PageJob:
        """A PDF page goes to the worker as (file, page): it renders and encodes it there."""
        key = str(self.sent)
        self.sent += 1
        self.slots[key] = _PageSlot(file_no, ref.source, ref.file_sha256, ref.index, ref.dpi,
                                    "", "", signed, ref)
        return PageJob(key, b"", ref.dpi, self.settings.ocr, self.work, options=self.options,
                       page_ref=ref)

    def keep_originals(
        self, results: Iterator[PageResult[CapturedPage]]
    ) -> Iterator[PageResult[CapturedPage]]:
        """Store each worker-rendered page's original as it arrives (in any order)."""
        for result in results:
            slot = self.slots[result.key]
            if slot.pdf_page is not None and not slot.original_sha256:
                result = self._keep_rendered(slot, result)
            yield result

    def _keep_rendered(self, slot: _PageSlot,
                       result: PageResult[CapturedPage]) -> PageResult[CapturedPage]:
        """The worker's original; if the worker failed, the page rendered here instead."""
        captured = result.value
        original = captured.original if captured is not None else None
        if original is None:
            assert slot.pdf_page is not None
            try:
                original = encode_original(sources.render_pdf_page(slot.pdf_page,
                                                                   self.settings.scan))
            except SohoaError as exc:
                if slot.file_no not in self.failed_files:
                    self._fail(slot.file_no, slot.source, str(exc))
                return result
        slot.original_sha256 = blobs.put_blob_now(self.session.conn, original.data,
                                                  original.mime,
                                                  chunk=self.session.settings.blob_chunk_size)
        slot.original_mime = original.mime
        if captured is None:
            return result
        return replace(result, value=replace(captured, original=None))

    def _fail(self, file_no: int, source: str, message: str) -> None:
        self.failed_files.add(file_no)
        self.report.outcomes.append(DocumentOutcome(source, errors=[message]))


def _with_last(jobs: Iterator[PageJob]) -> Iterator[tuple[PageJob, bool]]:
    """Each job, and whether it is its file's last (one page read ahead to know)."""
    current = next(jobs, None)
    while current is not None:
        following = next(jobs, None)
        yield current, following is None
        current = following


def _in_order(results: Iterator[PageResult[CapturedPage]],
              stopped: Callable[[], bool] = lambda: False,
              ) -> Iterator[PageResult[CapturedPage]]:
    """Workers finish in any order; documents need their pages in order.

    Once ``stopped``, no more results are taken; those already here still come."""
    waiting: dict[int, PageResult[CapturedPage]] = {}
    expected = 0
    for result in results:
        waiting[int(result.key)] = result
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
        if stopped():
            break
    for key in sorted(waiting):
        yield waiting.pop(key)


# -- documents out --------------------------------------------------------------------------

@dataclass
class _Page:
    slot: _PageSlot
    captured: CapturedPage | None  # with ``cleaned`` moved to the store (see clean_sha256)
    error: str | None
    clean_sha256: str | None = None
    clean_shape: tuple[int, int, bool, int, str] | None = None  # EncodedImage without data


@dataclass
class _Assembler:
    """Groups ordered pages into documents and stores each one when it is complete."""

    session: Session
    request: IngestRequest
    work: Path
    report: IngestReport
    failed_files: set[int]
    pages: list[_Page] = field(default_factory=list)
    held: list[_Page] = field(default_factory=list)  # a blank front: separator if back is too
    dossier: str | None = None
    on_document: Callable[[DocumentOutcome], None] | None = None
    unfinished: Callable[[int], bool] | None = None  # set by a cancel: files cut short
    pages_in_file: Callable[[int], int | None] | None = None  # set by a cancel too


    def add(self, slot: _PageSlot, result: PageResult[CapturedPage]) -> None:
        last = (self.held or self.pages)[-1:]
        if last and last[0].slot.file_no != slot.file_no:
            self.finish()
        captured = result.value
        if captured is not None and captured.cover_code:
            self.finish()
            self.dossier = captured.cover_code
            return
        page = _Page(slot, captured, result.error)
        if self.request.blank_separates and captured is not None and captured.blank:
            self._blank(page)
            return
        self._release()
        self.pages.append(self._spill(page))

    def _blank(self, page: _Page) -> None:
        """A blank sheet ends the document; in duplex only a sheet blank on both sides.

        A blank back of a printed front (duplex) is an ordinary blank page: it is
        kept, marked blank, as without separation.
        """
        front = page.slot.index % self.request.sheet_sides == 0
        if self.request.sheet_sides == 1 or (not front and self.held):
            separator, self.held = [*self.held, page], []
            self.finish()
            self.report.pages += len(separator)
            self.report.blank_pages += len(separator)
        elif front:
            self.held.append(page)
        else:
            self.pages.append(self._spill(page))

    def _release(self) -> None:
        """Held pages turned out not to be a separator: they are the document's pages."""
        self.pages += [self._spill(p) for p in self.held]
        self.held = []

    def _spill(self, page: _Page) -> _Page:
        """Move the cleaned image into the store: a 300-page document must not sit in RAM.

        Kept as a decodable image (the JPEG as encoded, or a PNG for a bilevel page)
        in ``page.clean_sha256``, which is also what the app's page editor reads.
        """
        c = page.captured
        if c is None or c.cleaned is None:
            return page
        enc = c.cleaned
        if enc.filter == "/DCTDecode":
            data, mime = enc.data, "image/jpeg"
        else:
            data, mime = _bilevel_png(enc), "image/png"
        page.clean_sha256 = blobs.put_blob_now(self.session.conn, data, mime)
        page.clean_shape = (enc.width, enc.height, enc.gray, enc.bits, enc.filter)
        page.captured = replace(c, cleaned=None)
        return page

    def finish(self) -> None:
        self._release()
        pages, self.pages = self.pages, []
        if not pages or pages[0].slot.file_no in self.failed_files:
            return
        if self.unfinished is not None and self.unfinished(pages[0].slot.file_no):
            self._cut_short(pages)
            return
        outcome = DocumentOutcome(pages[0].slot.source)
        try:
            outcome.id = _store_document(self, pages, outcome.errors)
            if pages[0].slot.index == 0:  # the file read again from its start
                _replace_incomplete(self.session, pages[0].slot.file_sha256, outcome)
        except Conflict as exc:  # another capture stored this file (part) a moment ago?
            outcome.duplicate_of = documents.find_by_source(self.session,
                                                            pages[0].slot.file_sha256)
            if outcome.duplicate_of is None:
                outcome.errors.append(str(exc))
        except SohoaError as exc:
            outcome.errors.append(str(exc))
        self.report.outcomes.append(outcome)
        self.report.pages += len(pages)
        self.report.blank_pages += sum(1 for p in pages if p.captured and p.captured.blank)
        if self.on_document:
            self.on_document(outcome)

    def _cut_short(self, pages: list[_Page]) -> None:
        """A file the cancel cut short keeps its pages read, as a document marked incomplete
        (issue 13: 'cancelling an import throws away pages already read'). The mark keeps
        it from passing for whole (form, quality gate), and it does not claim the file, so
        importing the file again reads it whole and replaces it."""
        first = pages[0].slot
        total = self.pages_in_file(first.file_no) if self.pages_in_file else None
        incomplete = {"sha256": first.file_sha256, "read": len(pages), "total": total,
                      "pages": [p.slot.index + 1 for p in pages]}
        said = f"{len(pages)} of {total}" if total else f"{len(pages)}"
        outcome = DocumentOutcome(first.source, incomplete=(len(pages), total))
        try:
            outcome.id = _store_document(self, pages, outcome.errors, incomplete=incomplete)
            outcome.errors.insert(0, f"incomplete: the import was cancelled after {said} of"
                                     " its pages were read; they are kept as a document marked"
                                     " incomplete: import the file again to replace it")
        except SohoaError as exc:
            outcome.errors.append(str(exc))
        self.report.outcomes.append(outcome)
        self.report.pages += len(pages)
        if self.on_document:
            self.on_document(outcome)


def _replace_incomplete(session: Session, file_sha256: str, whole: DocumentOutcome) -> None:
    """The file is stored whole now: remove the copies a cancel left incomplete (in a batch
    that may still change), each audited with the document that replaces it. What cannot be
    removed is said, never silently left beside the whole one."""
    rows = session.conn.execute("SELECT id, dossier_id FROM document WHERE source_sha256 = ?",
                                (INCOMPLETE + file_sha256,)).fetchall()
    for doc_id, dossier_id in rows:
        try:
            batches.ensure_editable(session, batches.batch_ref(session, dossier_id=dossier_id))
        except SohoaError:
            whole.errors.append(str(say(
                "capture.incomplete_copy_stays", "document {doc_id}, an incomplete copy of this"
                " file from a cancelled import, stays: its batch can no longer change",
                doc_id=doc_id)))
            continue
        with transaction(session.conn) as conn:
            conn.execute("DELETE FROM page WHERE document_id = ?", (doc_id,))
            conn.execute("DELETE FROM source_claim WHERE document_id = ?", (doc_id,))
            conn.execute("DELETE FROM document WHERE id = ?", (doc_id,))
            search.reindex_document(conn, int(doc_id))  # removes its entry (or queue row)
            conn.execute(
                "UPDATE dossier SET page_total = (SELECT count(*) FROM page p JOIN document d"
                " ON d.id = p.document_id WHERE d.dossier_id = ?1 AND p.deleted = 0"
                " AND p.blank = 0) WHERE id = ?1", (dossier_id,))
            audit.append(conn, session.user.name, "document.replace", object_type="document",
                         object_id=doc_id, detail={"replaced_by": whole.id,
                                                   "reason": "incomplete import"})
        documents.drop_empty_dossier(session, int(dossier_id))
        whole.replaced.append(int(doc_id))


class _Held:
    """The exception a caller's callback raised (its cancel), held until the end.

    Raised at once, it would unwind through the worker pool and lose every page
    read but not yet in a stored document. Held, the loop stops taking results,
    the documents whose pages were all read are stored (the callbacks still hear
    of each), and then it is raised.
    """

    def __init__(self) -> None:
        self.error: Exception | None = None

    def wrap(self, fn: Callable[[_T], None] | None) -> Callable[[_T], None] | None:
        if fn is None:
            return None

        def call(arg: _T) -> None:
            try:
                fn(arg)
            except Exception as exc:
                self.error = self.error or exc

        return call

    def stopped(self) -> bool:
        return self.error is not None


def _store_document(asm: _Assembler, pages: list[_Page], errors: list[str], *,
                    incomplete: dict[str, object] | None = None) -> int:
    read = [(i, p.captured.text) for i, p in enumerate(pages)
            if p.captured is not None and p.captured.text is not None]
    extraction = metadata.extract([text for _, text in read])
    errors += [f"page {i + 1}: {p.error}" for i, p in enumerate(pages) if p.error]
    errors += [f"page {i + 1}: {p.captured.note}" for i, p in enumerate(pages)
               if p.captured is not None and p.captured.note]
    dossier_id, made = _dossier_for(asm, extraction)
    record = _extraction_record(extraction, [i for i, _ in read], errors)
    signed = pages[0].slot.signatures
    record["signature"] = [s.as_json() for s in signed] if signed else None
    record["text_layer"] = [i + 1 for i, p in enumerate(pages)  # born-digital pages not OCR'd
                            if p.captured is not None and p.captured.text_layer]
    if signed:  # the source's own bytes, kept beside the PDF/A (blob = source_sha256)
        record["original"] = {"sha256": pages[0].slot.file_sha256, "mime": "application/pdf"}
    source_sha = pages[0].slot.file_sha256
    if incomplete is not None:
        record["incomplete"] = incomplete
        source_sha = INCOMPLETE + source_sha
    try:
        with _pdf_file(asm, pages, extraction) as pdf:
            return documents.add_document(
                asm.session, dossier_id, [_page_input(p) for p in pages],
                {k: f.value for k, f in extraction.fields.items()},
                citizen_ids=list(extraction.citizen_ids), extraction=record,
                source=pages[0].slot.source, source_sha256=source_sha, pdf=pdf,
                source_part=pages[0].slot.index)
    except SohoaError:
        if made:  # a duplicate or a failure leaves no empty dossier behind
            documents.drop_empty_dossier(asm.session, dossier_id)
        raise


def _page_input(page: _Page) -> documents.PageInput:
    c, slot = page.captured, page.slot
    status = "failed" if page.error else ("done" if c and c.text is not None else "pending")
    text = c.text if c else None
    return documents.PageInput(
        image=None, image_sha256=slot.original_sha256, clean_sha256=page.clean_sha256,
        mime=slot.original_mime, dpi=slot.dpi,
        width=c.width if c else None, height=c.height if c else None,
        rotation=c.rotation if c else 0, skew_angle=c.skew_angle if c else 0.0,
        blank=bool(c and c.blank), ocr_status=status, ocr_error=page.error,
        ocr_text=text.text if text else "",
        words=[[w.text, w.left, w.top, w.width, w.height, w.conf, w.line]
               for w in (text.words if text else ())])


def _bilevel_png(enc: EncodedImage) -> bytes:
    image = Image.frombytes("1", (enc.width, enc.height), zlib.decompress(enc.data))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def _extraction_record(
    extraction: Extraction, read_pages: list[int], errors: list[str]
) -> dict[str, object]:
    """Confidence and page region of each field, kept for the correction screen."""
    regions = {}
    for name, f in extraction.fields.items():
        if f.region is not None:
            r = f.region
            regions[name] = [read_pages[r.page] + 1, r.left, r.top, r.width, r.height]
    extra = {k: f.value for k, f in extraction.fields.items()  # organ_parent, code_year
             if k not in documents.DOCUMENT_FIELDS and f.value}
    return {"confidence": {k: round(f.confidence, 3) for k, f in extraction.fields.items()},
            "regions": regions, "errors": list(errors), "extra": extra,
            "review": dict(extraction.review)}


def _dossier_for(asm: _Assembler, extraction: Extraction) -> tuple[int, bool]:
    """The dossier for the document, and whether it was made for it just now."""
    code = asm.request.dossier or asm.dossier
    batch = batches.get_or_create_batch(asm.session, asm.request.batch)
    if code:
        found = documents.find_dossier(asm.session, code)
        if found:
            return found[0], False
        return documents.add_dossier(asm.session, batch, code, title=""), True
    issued = extraction.value("issued_date") or extraction.value("issued_year")
    year = int(issued[:4]) if issued else date.today().year  # the clerk's date moves it
    agency = site.load(asm.session.conn).agency_code
    code = documents.next_file_code(asm.session, agency, year)
    title = extraction.value("subject") or ""
    return documents.add_dossier(asm.session, batch, code, title=title), True


@contextlib.contextmanager
def _pdf_file(
    asm: _Assembler, pages: list[_Page], extraction: Extraction
) -> Iterator[BinaryIO | None]:
    """The document's PDF/A, through an encrypted spool: never in clear on disk."""
    if all(p.captured is not None and p.captured.blank for p in pages):
        yield None
        return
    with Spool(asm.work) as fh:
        write_pdfa(fh, _pdf_pages(asm.session, pages),
                   title=extraction.value("subject") or pages[0].slot.source,
                   author=extraction.value("organ_name") or "",
                   subject=extraction.value("type_name") or "", created=datetime.now(UTC))
        fh.seek(0)
        yield fh


def _pdf_pages(
    session: Session, pages: list[_Page]
) -> Iterator[tuple[EncodedImage, PageText, int]]:
    for page in pages:
        c = page.captured
        if c is not None and c.blank:
            continue
        if page.clean_sha256 and page.clean_shape and c is not None and c.text is not None:
            data = blobs.read_blob(session.conn, page.clean_sha256)
            if page.clean_shape[4] == "/DCTDecode":
                yield EncodedImage(data, *page.clean_shape), c.text, c.dpi
            else:
                with Image.open(io.BytesIO(data)) as im:
                    yield encode_image(im), c.text, c.dpi
            continue
        # a failed page: its original image, without a text layer
        with Image.open(io.BytesIO(blobs.read_blob(session.conn, page.slot.original_sha256))) as im:
            encoded = encode_image(im, jpeg_quality=85)
        yield encoded, PageText((), encoded.width, encoded.height, page.slot.dpi), page.slot.dpi


# -- the pipeline ---------------------------------------------------------------------------

def ingest(
    session: Session,
    request: IngestRequest,
    settings: CaptureSettings,
    *,
    on_progress: ProgressCallback | None = None,
    on_document: Callable[[DocumentOutcome], None] | None = None,
) -> IngestReport:
    """Read every input into the store; see the module docstring for the steps."""
    check_tesseract(settings=settings.ocr)
    batches.get_or_create_batch(session, request.batch)  # fail early on a closed batch
    if request.dossier and request.cover_sheets:
        raise BadInput(say("capture.dossier_or_cover_sheets",
                           "Choose --dossier or --cover-sheets, not both."))
    _collect_garbage(session)
    report = IngestReport()
    options = CaptureOptions(scan=settings.scan, cover_sheets=request.cover_sheets)
    with private_tempdir(session.temp_dir) as work:
        inputs = _Inputs(session, settings, work, options, report)
        held = _Held()
        assembler = _Assembler(session, request, work, report, inputs.failed_files,
                               on_document=held.wrap(on_document))
        runner = make_runner(settings.ocr, serial=settings.serial, task=capture_task)
        total = (count_pages(request.paths, settings.scan) if request.stack is None
                 else request.stack.count)
        results = runner.run(inputs.jobs(request), on_progress=held.wrap(on_progress),
                             total=total)
        for result in _in_order(inputs.keep_originals(results), held.stopped):
            assembler.add(inputs.slots.pop(result.key), result)
        if held.error is not None:
            results.close()  # the workers stop now; what they were reading is not kept
            assembler.unfinished = inputs.unfinished
            assembler.pages_in_file = inputs.pages_in_file
        assembler.finish()
        inputs.resolve_repeats()
    if held.error is not None:
        raise held.error
    return report


def _collect_garbage(session: Session) -> None:
    """Page images of a capture that crashed before its document was stored (a day old)."""
    cutoff = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="milliseconds")
    with transaction(session.conn):
        blobs.collect_garbage(session.conn, older_than=cutoff)


def count_pages(paths: Sequence[str], settings: ScanSettings) -> int | None:
    """A cheap page count for progress (PDF page trees, TIFF frames); None if unknown."""
    total = 0
    for item in sources.iter_inputs(list(paths), settings):
        if isinstance(item, sources.SourceFailure):
            continue
        try:
            total += _pages_in(item.path)
        except Exception:  # a file that cannot be counted fails properly later
            continue
    return total or None


def _pages_in(path: Path) -> int:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF"):
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    with Image.open(path) as im:
        return int(getattr(im, "n_frames", 1))
