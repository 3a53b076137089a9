"""The admin's health page: can this station capture, read and keep dossiers safely?

Each check returns data (a version, a count, bytes, a time), not prose, so the
face words it in the admin's language; a failed check carries the one-line
error the tool gave. Nothing here changes the store.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ocr.settings import OcrSettings
from ocr.tesseract import engine_name, installed_languages, tesseract_version
from scanning import sane
from scanning.settings import ScanSettings
from store import audit, info
from store.errors import SohoaError
from store.roles import Perm, require
from store.session import Session

MIN_FREE_BYTES = 2 * 1024**3  # a day of colour scanning, with room for a backup
BACKUP_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Check:
    key: str  # tesseract | languages | scanners | disk | store | backup | audit
    ok: bool
    value: str = ""
    error: str | None = None


def _tesseract(settings: OcrSettings) -> list[Check]:
    try:
        version = ".".join(map(str, tesseract_version(settings=settings)))
        languages = installed_languages(settings=settings)
        engine = engine_name(settings)  # "library" (in-process) or "program"
    except SohoaError as exc:
        return [Check("tesseract", False, error=str(exc)), Check("languages", False)]
    missing = [lang for lang in settings.language_list if lang not in languages]
    return [Check("tesseract", True, f"{version} ({engine})"),
            Check("languages", not missing, ", ".join(sorted(languages)),
                  error=f"missing: {', '.join(missing)}" if missing else None)]


def _scanners(settings: ScanSettings, env: Mapping[str, str] | None) -> Check:
    try:
        devices = sane.list_devices(env, settings=settings)
    except SohoaError as exc:
        return Check("scanners", False, error=str(exc))
    return Check("scanners", bool(devices), "; ".join(d.label for d in devices))


def _backup(last: str | None, now: datetime) -> Check:
    if not last:
        return Check("backup", False)
    when = datetime.fromisoformat(last)
    return Check("backup", now - when <= BACKUP_MAX_AGE, last)


def check_health(
    session: Session, *, ocr: OcrSettings, scan: ScanSettings,
    env: Mapping[str, str] | None = None, now: datetime | None = None,
) -> list[Check]:
    """Tesseract and its languages, scanners, free disk, store size, last backup, audit chain."""
    require(session.user, Perm.SITE_SETTINGS)
    summary = info.info(session)
    free = shutil.disk_usage(session.settings.data_dir).free
    chain = audit.verify(session.conn)
    return [
        *_tesseract(ocr),
        _scanners(scan, env),
        Check("disk", free >= MIN_FREE_BYTES, str(free)),
        Check("store", True, str(summary.store_bytes)),
        _backup(summary.last_backup, now or datetime.now(UTC)),
        Check("audit", chain.ok, str(chain.rows), error=None if chain.ok else chain.reason),
    ]
