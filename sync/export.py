"""Exports that leave the station by hand: a package for a USB drive, a CSV report.

Both are audited. The CSV report is for third parties (a district office, an
inspector), so citizen identity numbers are masked (``079******270``) unless a
supervisor asks for them in clear — and that request is audited too. Cells
that a spreadsheet would run as a formula are defused with a leading quote.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from extract.citizen_id import mask
from store import audit, batches, db, documents
from store.errors import BadInput, NotFound
from store.masking import mask_text
from store.messages import say
from store.roles import Perm, require
from store.session import Session
from sync import package

REPORT_COLUMNS = (
    "batch", "file_code", "dossier_title", "maintenance", "doc_code", "type_name",
    "code_number", "code_notation", "issued_date", "organ_name", "subject", "signer_name",
    "page_count", "citizen_ids", "sync_state", "receipt_id",
)


@dataclass(frozen=True)
class ExportedPackage:
    file_code: str
    path: Path
    sha256: str | None  # of the archive; None for an unpacked folder
    size: int | None


def export_package(
    session: Session, file_code: str, out_dir: Path, *, unpacked: bool = False
) -> ExportedPackage:
    """Write an approved dossier's package to ``out_dir`` without sending it (supervisor)."""
    require(session.user, Perm.SYNC)
    found = documents.find_dossier(session, file_code)
    if found is None:
        raise NotFound(say("sync.export_dossier_not_found",
                           "There is no dossier {file_code!r}.",
                           file_code=file_code))
    try:  # a USB drive's new folder: made, as `mkdir -p` would
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(say("sync.export_folder",
                           "{out_dir} is not a folder and cannot be made ({reason}).",
                           out_dir=out_dir, reason=exc.strerror or exc)) from None
    if unpacked:
        folder = package.export_tree(session, found[0], out_dir)
        result = ExportedPackage(file_code, folder, None, None)
    else:
        built = package.build_package(session, found[0], out_dir)
        (out_dir / f"{built.path.name}.sha256").write_text(
            f"{built.sha256.lower()}  {built.path.name}\n", "ascii")
        result = ExportedPackage(file_code, built.path, built.sha256, built.size)
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "sync.export", object_type="dossier",
                     object_id=file_code, detail={"to": str(result.path),
                                                  "sha256": result.sha256})
    return result


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_report(
    session: Session, out: TextIO, *, batch: str | None = None, unmasked: bool = False
) -> int:
    """A CSV line per document the user may see; returns the number of documents."""
    if unmasked:
        require(session.user, Perm.REVIEW)
    if not (session.user.can(Perm.VIEW_ALL) or session.user.can(Perm.CAPTURE)):
        require(session.user, Perm.VIEW_ALL)
    if batch is not None:
        batches.get_batch(session, batch)  # NotFound if unknown or not visible
    where, params = batches.visible_clause(session.user)
    sql = (
        "SELECT b.name, d.file_code, d.title, d.maintenance, x.ordinal, x.type_name,"
        " x.code_number, x.code_notation, x.issued_date, x.organ_name, x.subject,"
        " x.signer_name, x.page_count, x.citizen_ids, o.state, o.receipt_id"
        " FROM document x JOIN dossier d ON d.id = x.dossier_id JOIN batch b ON"
        " b.id = d.batch_id LEFT JOIN outbox o ON o.dossier_id = d.id"
        f" WHERE {where}")
    if batch is not None:
        sql += " AND b.name = ?"
        params = (*params, batch)
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    count = 0
    for row in db.rows(session.conn, sql + " ORDER BY d.file_code, x.ordinal", params):
        ids = [str(i) if unmasked else mask(str(i)) for i in json.loads(row[13] or "[]")]
        values = [*row[:4], f"{row[1]}.{row[4]}", *row[5:13], " ".join(ids),
                  row[14] or "not queued", row[15]]
        if not unmasked:  # a CCCD in a subject or a title is as personal as in its column
            values[:-3] = [mask_text(v) if isinstance(v, str) else v for v in values[:-3]]
        writer.writerow([_cell(v) for v in values])
        count += 1
    with db.transaction(session.conn) as conn:
        audit.append(conn, session.user.name, "export.report", object_type="batch",
                     object_id=batch, detail={"documents": count, "masked": not unmasked})
    return count
