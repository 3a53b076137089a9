"""Capture: import files and folders or scan from a SANE scanner, with progress and cancel.

The dialog only gathers choices and shows progress; the run itself is
``capture.pipeline.ingest`` (or ``capture.scan_ingest``) in a :class:`CaptureRunner`
thread with its own session, so the clerk can keep correcting meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import AppContext
from app.coremsg import translate_detail
from app.tasks import (
    CaptureCancelled,
    CaptureJob,
    CaptureRunner,
    CaptureSummary,
    DbThread,
    OneShot,
    summary_of,
)
from app.ui import icon, muted, show_error
from capture.pipeline import DocumentOutcome, IngestRequest
from capture.scan_ingest import ScanRequest
from scanning import scanners
from scanning.coversheet import make_coversheet
from store import documents, site
from store.session import Session
from store.sibling import Ticket, ticket

SCAN_PATTERNS = "*.pdf *.tif *.tiff *.jpg *.jpeg *.png"




class CaptureDialog(QDialog):
    """Non-modal: it stays open with the run's progress while the clerk works."""

    captured = Signal(object)  # CaptureSummary

    def __init__(self, ctx: AppContext, db: DbThread, batch_names: list[str], default_batch: str,
                 parent: QWidget | None = None, *, current: str | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.db = ctx, db
        self.setObjectName("capture")
        self.setWindowTitle(self.tr("Capture"))
        self.setWindowIcon(icon(ctx, "scan"))
        self.runner: CaptureRunner | None = None
        self._running_batch: str | None = None
        self._outcomes: list[DocumentOutcome] = []  # this run's, as they come
        self._lister: OneShot | None = None
        self.default_batch = default_batch
        self._build(batch_names, current)
        self.resize(640, 620)

    # -- building ------------------------------------------------------------------------------
    def _build(self, batch_names: list[str], current: str | None) -> None:
        self.batch = QComboBox()
        self.batch.setObjectName("capture-batch")
        self.batch.setEditable(True)
        self._fill_batches(batch_names, current)
        self.auto = QRadioButton(self.tr("A new dossier for each document"))
        self.auto.setChecked(True)
        self.into = QRadioButton(self.tr("All into the dossier"))
        self.dossier = QLineEdit()
        self.dossier.setPlaceholderText(self.tr("dossier code"))
        self.covers = QRadioButton(self.tr("Cover sheets start a new dossier"))
        self.blank_splits = QCheckBox(self.tr("A blank sheet ends a document"))
        self.blank_splits.setObjectName("capture-blank-splits")
        where = QFormLayout()
        where.addRow(self.tr("Batch"), self.batch)
        into_row = QHBoxLayout()
        into_row.addWidget(self.into)
        into_row.addWidget(self.dossier, 1)
        dossier_box = QVBoxLayout()
        for w in (self.auto, self.covers):
            dossier_box.addWidget(w)
        dossier_box.addLayout(into_row)
        where.addRow(self.tr("Dossier"), dossier_box)
        where.addRow(self.tr("Documents"), self.blank_splits)
        self.sources = QTabWidget()
        self.sources.addTab(self._files_tab(), icon(self.ctx, "import-file"), self.tr("Files"))
        self.sources.addTab(self._scanner_tab(), icon(self.ctx, "scan"), self.tr("Scanner"))
        self.progress = QProgressBar()
        self.progress.setObjectName("capture-progress")
        self.progress.setFormat(self.tr("%v of %m pages"))
        self.rate = muted()
        self.status = QListWidget()
        self.status.setObjectName("capture-status")
        self.start_button = QPushButton(icon(self.ctx, "import-file"), self.tr("&Start"))
        self.cancel_button = QPushButton(icon(self.ctx, "cancel"), self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cover_button = QPushButton(icon(self.ctx, "coversheet"),
                                        self.tr("Print cover sheet…"))
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.cover_button.clicked.connect(self.print_cover_sheet)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cover_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addLayout(where)
        layout.addWidget(self.sources)
        layout.addWidget(self.progress)
        layout.addWidget(self.rate)
        layout.addWidget(self.status, 1)
        layout.addLayout(buttons)
        # Enter must never start a run by itself (it once re-ran an old import from the
        # batch box): no button is the default; Start is a click or Alt+its letter.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    def _fill_batches(self, batch_names: list[str], current: str | None) -> None:
        """The batch box: the batch chosen in the tree first when the clerk may add to it
        (``current`` is one of ``batch_names``, the open ones), else today's default name;
        an import went into a new default batch beside the one just made with Ctrl+N."""
        first = current if current in batch_names else self.default_batch
        names = [first, *[n for n in [self.default_batch, *batch_names] if n != first]]
        self.batch.addItems(list(dict.fromkeys(names)))

    def _files_tab(self) -> QWidget:
        tab = QWidget()
        self.paths = QListWidget()
        self.paths.setObjectName("capture-paths")
        add_files = QPushButton(icon(self.ctx, "import-file"), self.tr("Add files…"))
        self.add_files_button = add_files
        add_folder = QPushButton(icon(self.ctx, "import-folder"), self.tr("Add folder…"))
        remove = QPushButton(self.tr("Remove"))
        add_files.clicked.connect(self._add_files)
        add_folder.clicked.connect(self._add_folder)
        remove.clicked.connect(lambda: [self.paths.takeItem(self.paths.row(i))
                                        for i in self.paths.selectedItems()])
        row = QHBoxLayout()
        for b in (add_files, add_folder, remove):
            row.addWidget(b)
        row.addStretch(1)
        box = QVBoxLayout(tab)
        box.addWidget(muted(self.tr("PDF, TIFF, JPEG or PNG files, or whole folders; you can "
                                    "also drop files on the main window.")))
        box.addWidget(self.paths, 1)
        box.addLayout(row)
        return tab

    def _scanner_tab(self) -> QWidget:
        tab = QWidget()
        self.device = QComboBox()
        self.device.setObjectName("capture-device")
        refresh = QPushButton(icon(self.ctx, "refresh"), self.tr("Find scanners"))
        refresh.clicked.connect(self.find_scanners)
        self.feeder = QComboBox()
        self.feeder.addItem(self.tr("Flatbed"), "flatbed")
        self.feeder.addItem(self.tr("Document feeder (ADF)"), "adf")
        self.duplex = QCheckBox(self.tr("Both sides (duplex)"))
        self.dpi = QSpinBox()
        self.dpi.setRange(75, 600)
        self.dpi.setSingleStep(50)
        self.dpi.setValue(300)
        self.dpi.setSuffix(" dpi")
        self.mode = QComboBox()
        for label, value in ((self.tr("Colour"), "Color"), (self.tr("Grey"), "Gray"),
                             (self.tr("Black and white"), "Lineart")):
            self.mode.addItem(label, value)
        row = QHBoxLayout()
        row.addWidget(self.device, 1)
        row.addWidget(refresh)
        form = QFormLayout(tab)
        form.addRow(self.tr("Scanner"), row)
        form.addRow(self.tr("Paper from"), self.feeder)
        form.addRow("", self.duplex)
        form.addRow(self.tr("Resolution"), self.dpi)
        form.addRow(self.tr("Colour"), self.mode)
        return tab

    # -- choosing inputs -----------------------------------------------------------------------
    def add_paths(self, paths: list[str]) -> None:
        present = {self.paths.item(i).text() for i in range(self.paths.count())}
        for path in paths:
            if path not in present:
                self.paths.addItem(path)
        self.sources.setCurrentIndex(0)

    def _add_files(self) -> None:
        filters = self.tr("Scans ({patterns});;All files (*)").format(patterns=SCAN_PATTERNS)
        self.add_paths(self.ctx.prompts.open_files(self, self.tr("Add files"), filters))

    def _add_folder(self) -> None:
        folder = self.ctx.prompts.open_folder(self, self.tr("Add a folder"))
        if folder:
            self.add_paths([folder])

    def find_scanners(self) -> None:
        """List SANE devices off the GUI thread (network discovery can take a minute)."""
        if self._lister is not None and self._lister.is_running():
            return
        env, settings = self.ctx.sane_env, self.ctx.capture.scan
        self.device.clear()
        self.device.addItem(self.tr("Looking for scanners…"))
        self._lister = OneShot(lambda: scanners.list_devices(env, settings=settings), self)
        self._lister.finished.connect(self._scanners_found)
        self._lister.start()

    def _scanners_found(self, devices: list[scanners.Device] | None,
                        error: BaseException | None) -> None:
        self.device.clear()
        if error is not None:
            self.device.addItem(self.tr("No scanner: {reason}").format(reason=str(error)))
            return
        for d in devices or []:
            self.device.addItem(d.label, d.name)
        if not devices:
            self.device.addItem(self.tr("No scanner found"))

    # -- running -------------------------------------------------------------------------------
    def _request(self) -> IngestRequest:
        paths = [self.paths.item(i).text() for i in range(self.paths.count())]
        code = self.dossier.text().strip() if self.into.isChecked() else None
        return IngestRequest(paths=paths, batch=self.batch.currentText().strip()
                             or self.default_batch, dossier=code or None,
                             cover_sheets=self.covers.isChecked(),
                             blank_separates=self.blank_splits.isChecked(),
                             sheet_sides=2 if self._duplex_scan() else 1)

    def _duplex_scan(self) -> bool:
        return self.sources.currentIndex() == 1 and self.duplex.isChecked()

    def _job(self) -> CaptureJob | None:
        request = self._request()
        if self.sources.currentIndex() == 1:
            device = self.device.currentData()
            if not device:
                self.ctx.prompts.error(self, self.tr("Capture"), self.tr(
                    "Choose a scanner first (Find scanners)."))
                return None
            scan = ScanRequest(str(device), source=self.feeder.currentData(),
                               duplex=self.duplex.isChecked(), dpi=self.dpi.value(),
                               mode=self.mode.currentData())
            env = dict(self.ctx.sane_env) if self.ctx.sane_env else None
            return CaptureJob(request, scan, env)
        if not request.paths:
            self.ctx.prompts.error(self, self.tr("Capture"), self.tr(
                "Add files or folders to import first."))
            return None
        return CaptureJob(request)

    def start(self) -> None:
        if self.runner is not None and self.runner.is_running():
            return
        job = self._job()
        if job is None:
            return
        self.status.clear()
        self._outcomes = []
        self.progress.setRange(0, 0)
        self.rate.setText(self.tr("Starting…"))
        self._set_running(True)
        self.db.submit(ticket, lambda t: self._launch(t, job), self._failed_to_start,
                       owner=self)

    def _failed_to_start(self, exc: BaseException) -> None:
        self._set_running(False)
        show_error(self.ctx, self, exc)

    def _launch(self, t: Ticket, job: CaptureJob) -> None:
        runner = CaptureRunner(t, job, self.ctx.capture, self)
        self._running_batch = job.request.batch
        runner.progress.connect(self._progress)
        runner.page_status.connect(self._page_status)
        runner.sheet.connect(lambda n: self.rate.setText(self.tr("{n} sheets scanned").format(
            n=n)))
        runner.document.connect(self._document)
        runner.finished.connect(self._finished)
        self.runner = runner
        runner.start()

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.sources.setEnabled(not running)

    def cancel(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
            self.rate.setText(self.tr("Cancelling…"))

    def _progress(self, done: int, failed: int, total: int, per_minute: float) -> None:
        self.progress.setRange(0, max(total, done))
        self.progress.setValue(done)
        of = self.tr(" of {total}").format(total=total) if total else ""
        failures = self.tr(", {failed} failed").format(failed=failed) if failed else ""
        self.rate.setText(self.tr("Page {done}{of} · {rate} pages/min{failures}").format(
            done=done, of=of, rate=f"{per_minute:.1f}".replace(".", ","), failures=failures))

    def _page_status(self, number: int, ok: bool) -> None:
        text = (self.tr("Page {n}: read") if ok else self.tr("Page {n}: failed")).format(
            n=number)
        item = QListWidgetItem(icon(self.ctx, "check" if ok else "cancel"), text)
        self.status.addItem(item)
        self.status.scrollToBottom()

    def _document(self, outcome: DocumentOutcome) -> None:
        self._outcomes.append(outcome)
        name = Path(outcome.source).name
        if outcome.id is not None and outcome.incomplete is not None:
            read, total = outcome.incomplete
            text = self.tr("Document #{id} kept from {name}, incomplete: {read} of {total} pages "
                           "read; import the file again to replace it").format(
                id=outcome.id, name=name, read=read, total=total or "?")
        elif outcome.id is not None:
            text = self.tr("Document #{id} stored from {name}").format(id=outcome.id, name=name)
            if outcome.replaced:
                text += self.tr(" (replaces incomplete document {ids})").format(
                    ids=", ".join(f"#{n}" for n in outcome.replaced))
        elif outcome.duplicate_of is not None:
            text = self.tr("{name} is already stored as document #{id}").format(
                name=name, id=outcome.duplicate_of)
        else:
            self._add_failure(outcome.source, outcome.errors)
            return
        self.status.addItem(QListWidgetItem(icon(self.ctx, "document"), text))
        self.status.scrollToBottom()

    def _add_failure(self, source: str, errors: Sequence[str]) -> None:
        """``<file>: failed: <why>`` in the clerk's language, the file named once (the
        core's sentences start with the path: it is cut from them and kept in the tooltip)."""
        reasons = []
        for error in errors:
            said = translate_detail(error) or error
            reasons.append(said.removeprefix(f"{source}: ") or said)
        text = self.tr("{name}: failed: {reason}").format(
            name=Path(source).name or source, reason="; ".join(reasons))
        item = QListWidgetItem(icon(self.ctx, "cancel"), text)
        item.setToolTip(source)
        self.status.addItem(item)
        self.status.scrollToBottom()

    def _finished(self, summary: CaptureSummary | None, error: BaseException | None) -> None:
        self._set_running(False)
        self.progress.setRange(0, max(1, self.progress.maximum()))
        if error is not None and not isinstance(error, CaptureCancelled):
            self.rate.setText(self.tr("Capture stopped."))
            show_error(self.ctx, self, error)
        elif error is not None:  # the capture stored what was whole and listed the rest
            summary = summary_of(self._outcomes)
            self.rate.setText(self.tr(
                "Cancelled: {stored} documents are kept; a file cut short is kept as a "
                "document marked incomplete: import it again to replace it.").format(
                stored=len(summary.stored)))
            self.captured.emit(summary)
            return
        if summary is not None:
            self.rate.setText(self.tr(
                "{stored} documents stored, {dupes} already there, {failed} failed; "
                "{pages} pages.").format(stored=len(summary.stored),
                                        dupes=len(summary.duplicates),
                                        failed=len(summary.failed), pages=summary.pages))
            listed = {o.source for o in self._outcomes if o.id is None and o.duplicate_of is None}
            for source, errors in summary.failures:
                if source not in listed:  # a file refused before it was read is listed here
                    self._add_failure(source, errors)
        self.captured.emit(summary or CaptureSummary())

    def is_running(self) -> bool:
        return self.runner is not None and self.runner.is_running()

    def batch_name(self) -> str | None:
        """The batch the running capture stores into (it must not be renamed or deleted)."""
        return self._running_batch if self.is_running() else None

    def stop(self) -> None:
        if self.runner is not None:
            self.runner.stop()
        if self._lister is not None:
            self._lister.wait()

    # -- cover sheets --------------------------------------------------------------------------
    def print_cover_sheet(self) -> None:
        """A cover sheet (QR code) for a new dossier: the next free code, a title, a PDF."""
        def next_code(s: Session) -> str:
            agency = site.load(s.conn).agency_code
            return documents.next_file_code(s, agency, date.today().year)

        self.db.submit(next_code, self._cover_sheet_for, owner=self)

    def _cover_sheet_for(self, code: str) -> None:
        title = self.ctx.prompts.text(self, self.tr("Cover sheet"), self.tr(
            "Title of dossier {code}:").format(code=code))
        if not title:
            return
        out = self.ctx.prompts.save_file(self, self.tr("Save the cover sheet"),
                                         f"phieu-bia-{code}.pdf", "PDF (*.pdf)")
        if not out:
            return
        try:
            make_coversheet(Path(out), dossier_code=code, title=title)
        except Exception as exc:  # a bad title or an unwritable place: say it in one line
            show_error(self.ctx, self, exc)
            return
        self.covers.setChecked(True)
        self.ctx.prompts.show_file(out)  # printed from the PDF viewer


def capture_status_lines(dialog: CaptureDialog) -> list[str]:
    return [dialog.status.item(i).text() for i in range(dialog.status.count())]
