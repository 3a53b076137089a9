"""Capture commands: ingest, scan, coversheet, watch, export."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from capture import pages, reread
from capture.pipeline import CaptureSettings, DocumentOutcome, IngestReport, IngestRequest, ingest
from capture.scan_ingest import ScanRequest, scan_and_ingest
from cli import output
from cli.commands_store import document_json
from cli.context import Context
from ocr.settings import OcrSettings
from ocr.workers import Progress
from scanning import scanners, sources
from scanning.coversheet import make_coversheet
from scanning.settings import ScanSettings
from scanning.watch import watch
from store import audit, batches, blobs, db, documents
from store.errors import BadInput, ExitCode, UsageError
from store.fsutil import output_file
from store.messages import reword, say
from store.session import Session

OK = int(ExitCode.OK)


def register(commands: Any) -> None:
    p = commands.add_parser("ingest", help="import files and folders: clean, OCR, extract, store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _capture_options(p)
    p = commands.add_parser("scan", help="scan from a scanner (SANE on Linux, TWAIN or WIA "
                            "on Windows) and ingest the pages")
    p.add_argument("--device", required=True, metavar="DEV")
    p.add_argument("--source", choices=["adf", "flatbed"], default="flatbed")
    p.add_argument("--duplex", action="store_true")
    p.add_argument("--dpi", type=int, default=300)
    p.add_argument("--mode", choices=["Color", "Gray", "Lineart"], default="Color")
    _capture_options(p)
    p = commands.add_parser("devices",
                            help="list scanners (SANE on Linux, TWAIN and WIA on Windows)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_devices)
    p = commands.add_parser("coversheet", help="print a dossier cover sheet (PDF with QR code)")
    p.add_argument("--dossier", required=True, metavar="CODE")
    p.add_argument("--title", required=True, metavar="T")
    p.add_argument("out", metavar="OUT.pdf")
    p.set_defaults(handler=cmd_coversheet)
    p = commands.add_parser("watch", help="ingest what a copier drops into a folder")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--poll", type=float, default=2.0, help="seconds between looks")
    p.add_argument("--settle", type=float, default=5.0, help="seconds a file must stay unchanged")
    p.add_argument("--once", action="store_true", help="ingest what is there, then stop")
    p.add_argument("--give-up", type=float, default=60.0, metavar="SECONDS",
                   help="a file unchanged this long but still incomplete is ingested anyway"
                   " (and reported as damaged); with --once: after --settle")
    _capture_options(p, handler=False)
    p.set_defaults(handler=cmd_watch)
    p = commands.add_parser("export", help="write a document's PDF/A")
    p.add_argument("doc_id", type=int, metavar="ID")
    p.add_argument("--pdf", required=True, metavar="OUT")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(handler=cmd_export)
    p = commands.add_parser("reread", help="read a document's pages again (after turning one)")
    p.add_argument("doc_id", type=int, metavar="ID")
    p.add_argument("--page", type=int, metavar="N", help="only page N (1-based; default: all)")
    p.add_argument("--turn", type=int, choices=[90, 180, 270], default=0,
                   help="turn the page clockwise first (needs --page)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_reread)


def _capture_options(p: Any, *, handler: bool = True) -> None:
    p.add_argument("--batch", metavar="NAME", help="batch to add to (default: today's)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--dossier", metavar="CODE", help="put every document in this dossier")
    group.add_argument("--cover-sheets", action="store_true",
                       help="a cover sheet starts a new dossier")
    p.add_argument("--blank-separates", action="store_true",
                   help="a blank sheet ends a document and is not kept (with --duplex: a"
                   " sheet blank on both sides)")
    p.add_argument("--json", action="store_true", help="one JSON object per document")
    p.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress on stderr (also accepted before the command)")
    p.add_argument("--workers", type=workers_arg, default=None,
                   help="OCR processes (default: cores)")
    if handler:
        p.set_defaults(handler=cmd_ingest if p.prog.endswith("ingest") else cmd_scan)


def workers_arg(text: str) -> int:
    """1 to 64 OCR processes: `--workers -3` is a usage error, not an internal error."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers from 1 to 64")
    return int(text)


def capture_settings(ctx: Context) -> CaptureSettings:
    workers = getattr(ctx.args, "workers", None)
    ocr = OcrSettings(workers=workers) if workers else OcrSettings()
    return CaptureSettings(scan=ScanSettings(), ocr=ocr)


def _request(ctx: Context, session: Session, paths: list[str]) -> IngestRequest:
    batch = ctx.args.batch or batches.default_batch(session)
    return IngestRequest(paths=paths, batch=batch, dossier=ctx.args.dossier,
                         cover_sheets=ctx.args.cover_sheets,
                         blank_separates=ctx.args.blank_separates,
                         sheet_sides=2 if getattr(ctx.args, "duplex", False) else 1)


class _Printer:
    """Prints each document as it is stored, and throttled progress on stderr."""

    def __init__(self, ctx: Context, session: Session) -> None:
        self.ctx, self.session = ctx, session
        self.last = 0.0

    def progress(self, p: Progress) -> None:
        if self.ctx.args.quiet or (time.monotonic() - self.last < 1.0 and p.done != p.total):
            return
        self.last = time.monotonic()
        total = f" of {p.total}" if p.total else ""
        output.note(f"page {p.done}{total}  {p.pages_per_min:.1f} pages/min"
                    + (f"  ({p.failed} failed)" if p.failed else ""))

    def document(self, outcome: DocumentOutcome) -> None:
        self.emit(outcome)

    def emit(self, outcome: DocumentOutcome) -> None:
        if outcome.id is not None:
            view = documents.get_document(self.session, outcome.id, audit_open=False)
            obj = document_json(view)
            obj["source"] = outcome.source
            obj["errors"] = obj["errors"] or outcome.errors
        else:
            obj = {"id": None, "source": outcome.source, "duplicate_of": outcome.duplicate_of,
                   "errors": outcome.errors}
            if outcome.same_as:
                obj["same_as"] = outcome.same_as
        if self.ctx.args.json:
            output.emit_json(obj)
        else:
            print(_summary(obj, outcome, self.ctx.args.lang))


def _summary(obj: dict[str, Any], outcome: DocumentOutcome, language: str = "en") -> str:
    if outcome.duplicate_of is not None:
        again = f"the same file as {outcome.same_as}, " if outcome.same_as else ""
        return f"{outcome.source}: {again}already stored as document #{outcome.duplicate_of}"
    if outcome.id is None:  # "FAILED" stays for scripts; why, in the language asked for
        errors = [(reword(e, language) or e).removeprefix(f"{outcome.source}: ")
                  for e in outcome.errors]
        return f"{outcome.source}: FAILED: {'; '.join(errors)}"
    code = "/".join(x for x in (obj.get("code_number"), obj.get("code_notation")) if x)
    line = (f"#{obj['id']} {outcome.source}: {obj['pages']} page(s)"
            f"{', ' + str(obj['blank_pages']) + ' blank' if obj['blank_pages'] else ''}"
            f" — {obj.get('type_name') or '?'} {code} {obj.get('issued_date') or ''}")
    return line + ("  [" + "; ".join(obj["errors"]) + "]" if obj["errors"] else "")


def _finish(report: IngestReport, printer: _Printer) -> int:
    for outcome in report.outcomes:
        if outcome.id is None:
            printer.emit(outcome)
    stored, failed = len(report.stored), len(report.failed)
    dupes = sum(1 for o in report.outcomes if o.duplicate_of is not None)
    output.note(f"{stored} document(s) stored, {dupes} already there, {failed} failed; "
                f"{report.pages} page(s), {report.blank_pages} blank", quiet=printer.ctx.args.quiet)
    if failed and not stored and not dupes:
        return int(ExitCode.BAD_INPUT)
    return int(ExitCode.PARTIAL) if failed else OK


def run_ingest(ctx: Context, session: Session, paths: list[str]) -> int:
    printer = _Printer(ctx, session)
    report = ingest(session, _request(ctx, session, paths), capture_settings(ctx),
                    on_progress=printer.progress, on_document=printer.document)
    return _finish(report, printer)


def cmd_ingest(ctx: Context) -> int:
    with ctx.login() as session:
        return run_ingest(ctx, session, list(ctx.args.paths))


def cmd_scan(ctx: Context) -> int:
    """Scan every sheet (kept in the private temp folder only while the scanner
    runs), then ingest them as one input, split by cover sheets or blank sheets."""
    scan = ScanRequest(ctx.args.device, source=ctx.args.source, duplex=ctx.args.duplex,
                       dpi=ctx.args.dpi, mode=ctx.args.mode)
    with ctx.login() as session:
        printer = _Printer(ctx, session)
        report = scan_and_ingest(
            session, scan, _request(ctx, session, []), capture_settings(ctx),
            on_sheet=lambda n: output.note(f"page {n} scanned", quiet=ctx.args.quiet),
            on_progress=printer.progress, on_document=printer.document)
        return _finish(report, printer)


def cmd_devices(ctx: Context) -> int:
    """One scanner per line: its name (what ``--device`` takes), a tab, what it is."""
    found = scanners.list_devices(settings=ScanSettings())
    for d in found:
        if ctx.args.json:
            output.emit_json(asdict(d))
        else:
            print(f"{d.name}\t{d.vendor} {d.model} ({d.type})")
    if not found and not ctx.args.json:
        output.note("No scanners found.")
    return OK


def cmd_coversheet(ctx: Context) -> int:
    out = Path(ctx.args.out)
    with output_file(out, "the cover sheet") as part:
        make_coversheet(part, dossier_code=ctx.args.dossier, title=ctx.args.title)
    print(f"Cover sheet for {ctx.args.dossier} written to {out}.")
    return OK


def cmd_watch(ctx: Context) -> int:
    folder = Path(ctx.args.folder)
    if not folder.is_dir():
        raise UsageError(say("cli.not_a_folder", "{folder} is not a folder.", folder=folder))
    stop = threading.Event()
    with ctx.login() as session:
        # No state file: file names can name citizens, and the store already skips
        # any file it holds (by SHA-256), so a restart only re-hashes old files.
        def handle(path: Path) -> None:
            if not _already_stored(ctx, session, path):
                run_ingest(ctx, session, [str(path)])

        output.note(f"Watching {folder} (Ctrl+C to stop)", quiet=ctx.args.quiet)
        if ctx.args.once:
            threading.Timer(ctx.args.settle + 2 * ctx.args.poll + 1, stop.set).start()
        give_up = ctx.args.settle if ctx.args.once else ctx.args.give_up
        watch(folder, handle, stop=stop, poll_seconds=ctx.args.poll,
              settle_seconds=ctx.args.settle, give_up_seconds=give_up,
              on_error=lambda p, e: output.note(f"{p}: {e}"))
    return OK


def _already_stored(ctx: Context, session: Session, path: Path) -> bool:
    """Say so for a file the store holds, before ingest would open a batch for it.

    A restarted watcher sees every file in the folder again; ingesting one that is
    stored changes nothing but would still create today's batch, left empty.
    """
    try:
        existing = documents.find_by_source(session, sources.file_sha256(path))
    except OSError:
        return False  # ingest reports the unreadable file
    if existing is None:
        return False
    outcome = DocumentOutcome(str(path), duplicate_of=existing)
    _Printer(ctx, session).emit(outcome)
    output.note("0 document(s) stored, 1 already there, 0 failed; 0 page(s), 0 blank",
                quiet=ctx.args.quiet)
    return True


def cmd_reread(ctx: Context) -> int:
    """Turn a page the clean-up left sideways, and read it (or every page) again."""
    if ctx.args.turn and ctx.args.page is None:
        raise UsageError(say("cli.turn_needs_page", "--turn needs --page N: which page to turn."))
    with ctx.login() as session:
        view = documents.get_document(session, ctx.args.doc_id, audit_open=False)
        kept = [p for p in view.pages if not p.deleted]
        if ctx.args.page is not None and not 1 <= ctx.args.page <= len(kept):
            raise BadInput(say(
                "cli.page_range", "Document {id} has pages 1 to {last}.",
                id=view.id, last=len(kept)))
        chosen = kept if ctx.args.page is None else [kept[ctx.args.page - 1]]
        if ctx.args.turn:
            pages.rotate_page(session, chosen[0].id, ctx.args.turn // 90)
        filled: list[str] = []
        ocr = capture_settings(ctx).ocr
        for page in chosen:
            if not page.blank:
                filled += reread.reread_page(session, page.id, ocr)
        obj = document_json(documents.get_document(session, view.id, audit_open=False))
    if ctx.args.json:
        output.emit_json(obj)
    else:
        print(f"Document {view.id}: {len(chosen)} page(s) read again"
              + (f"; filled {', '.join(dict.fromkeys(filled))}" if filled else "") + ".")
    return OK


def cmd_export(ctx: Context) -> int:
    out = Path(ctx.args.pdf)
    if out.exists() and not ctx.args.force:  # a file the clerk kept is never lost silently
        raise BadInput(say(
            "cli.exists", "{out} already exists; choose a new file name or add --force.",
            out=out))
    with ctx.login() as session:
        view = documents.get_document(session, ctx.args.doc_id)
        if view.pdf_sha256 is None:
            raise BadInput(say(
                "cli.no_pdf", "Document {id} has no PDF (no readable page).",
                id=view.id))
        with output_file(out, "the PDF") as part, open(part, "wb") as fh:
            for chunk in blobs.iter_blob(session.conn, view.pdf_sha256):
                fh.write(chunk)
        with db.transaction(session.conn) as conn:
            audit.append(conn, session.user.name, "document.export", object_type="document",
                         object_id=view.id, detail={"file": out.name})
    print(f"Document {view.id} written to {out}.", file=sys.stdout)
    return OK
