"""Languages, labels and dates for the UI.

Source strings are English; Vietnamese (the default) comes from Qt's
translation system: ``resources/i18n/sohoa_vi.ts`` is the source, compiled to
``sohoa_vi.qm`` with ``pyside6-lrelease`` (``python -m app.i18n`` rebuilds it,
and a test checks both are complete and in step). Labels of store values (roles,
batch states, field names, problem codes) are looked up here so every screen
words them the same way. Dates are shown the Vietnamese way, dd/MM/yyyy, and
accepted as typed by a clerk (5/3/2024, 05-03-2024, 2024-03-05).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def install(app: QCoreApplication, i18n_dir: Path, language: str) -> QTranslator | None:
    """Load the language's .qm into the application; English needs none.

    Qt ships no Vietnamese for its own words (Yes/No, Cancel, the file dialog,
    a line edit's menu), so ``qt_vi.ts`` holds them; Qt's own ``qtbase_*.qm``
    is used for a language it does ship.
    """
    if language == "en":
        return None
    qt_words = QTranslator(app)
    shipped = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_words.load(str(i18n_dir / f"qt_{language}.qm")) or qt_words.load(
            f"qtbase_{language}", shipped):
        app.installTranslator(qt_words)
    translator = QTranslator(app)
    if not translator.load(str(i18n_dir / f"sohoa_{language}.qm")):
        return None
    app.installTranslator(translator)
    return translator


def switch(app: QCoreApplication, i18n_dir: Path, language: str) -> None:
    """Replace the installed translation (the window then rebuilds its screens)."""
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    install(app, i18n_dir, language)


def build_qm(ts: Path, qm: Path) -> None:
    """Compile a .ts into a .qm with PySide6's lrelease (at install/test time)."""
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(tool), "-silent", str(ts), "-qm", str(qm)],
        check=True,
        capture_output=True,
        timeout=120,
    )


# -- labels of store values --------------------------------------------------------------------


def field_labels() -> dict[str, str]:
    """Vietnamese (by translation) names of the NĐ 30 / TT 05/2025 fields."""
    translate = QCoreApplication.translate
    return {
        "type_name": translate("Labels", "Document type"),
        "code_number": translate("Labels", "Number"),
        "code_notation": translate("Labels", "Notation"),
        "issued_date": translate("Labels", "Date issued"),
        "organ_name": translate("Labels", "Issuing agency"),
        "subject": translate("Labels", "Summary"),
        "signer_position": translate("Labels", "Signer's position"),
        "signer_name": translate("Labels", "Signed by"),
        "citizen_ids": translate("Labels", "Citizen ID numbers"),
        "file_code": translate("Labels", "Dossier code"),
        "paper_file_code": translate("Labels", "Paper dossier code"),
        "title": translate("Labels", "Dossier title"),
        "maintenance": translate("Labels", "Retention period"),
        "mode": translate("Labels", "Access mode"),
        "language": translate("Labels", "Language"),
        "start_date": translate("Labels", "Start date"),
        "end_date": translate("Labels", "End date"),
        "description": translate("Labels", "Notes"),
    }


def problem_text(code: str) -> str:
    translate = QCoreApplication.translate
    texts = {
        "required": translate("Labels", "Required."),
        "date_format": translate("Labels", "Write the date as dd/mm/yyyy."),
        "date_invalid": translate("Labels", "This date does not exist."),
        "date_future": translate("Labels", "This date is in the future."),
        "date_order": translate("Labels", "The end date is before the start date."),
        "maintenance": translate("Labels", "Choose a retention code from 01 to 07."),
        "too_long": translate("Labels", "Too long (2000 characters at most)."),
        "type_unknown": translate("Labels", "Not a document type of Decree 30/2020; check it."),
        "id_invalid": translate(
            "Labels", "Not a valid CCCD (12 digits) or CMND (9 digits) number."
        ),
    }
    return texts.get(code, code)


def role_label(role: str) -> str:
    translate = QCoreApplication.translate
    return {
        "clerk": translate("Labels", "Clerk"),
        "supervisor": translate("Labels", "Supervisor"),
        "admin": translate("Labels", "Administrator"),
    }.get(role, role)


def batch_state_label(state: str) -> str:
    translate = QCoreApplication.translate
    return {
        "open": translate("Labels", "In progress"),
        "submitted": translate("Labels", "Awaiting review"),
        "approved": translate("Labels", "Approved"),
        "rejected": translate("Labels", "Sent back"),
    }.get(state, state)


def outbox_label(state: str | None, progress: float | None = None) -> str:
    translate = QCoreApplication.translate
    if state is None:
        return "—"
    if state == "uploading":
        percent = round(100 * (progress or 0.0))
        return translate("Labels", "Uploading {percent}%").format(percent=percent)
    return {
        "waiting": translate("Labels", "Waiting to send"),
        "sent": translate("Labels", "Sent"),
        "acknowledged": translate("Labels", "Acknowledged"),
        "failed": translate("Labels", "Failed"),
    }.get(state, state)


def action_label(action: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "login": translate("Labels", "Logged in"),
        "login.failed": translate("Labels", "Failed login"),
        "lock": translate("Labels", "Screen locked"),
        "unlock": translate("Labels", "Screen unlocked"),
        "batch.create": translate("Labels", "Batch created"),
        "batch.rename": translate("Labels", "Batch renamed"),
        "batch.delete": translate("Labels", "Batch deleted"),
        "batch.submit": translate("Labels", "Batch submitted"),
        "batch.approve": translate("Labels", "Batch approved"),
        "batch.reject": translate("Labels", "Batch sent back"),
        "dossier.create": translate("Labels", "Dossier created"),
        "dossier.delete": translate("Labels", "Empty dossier removed"),
        "dossier.update": translate("Labels", "Dossier corrected"),
        "document.create": translate("Labels", "Document captured"),
        "document.open": translate("Labels", "Document opened"),
        "document.update": translate("Labels", "Document corrected"),
        "document.check": translate("Labels", "Document checked"),
        "document.split": translate("Labels", "Document split"),
        "document.merge": translate("Labels", "Documents merged"),
        "document.replace": translate("Labels", "Incomplete document replaced"),
        "document.export": translate("Labels", "Document exported"),
        "page.rotate": translate("Labels", "Page rotated"),
        "page.reread": translate("Labels", "Page read again"),
        "page.move": translate("Labels", "Page moved"),
        "page.reorder": translate("Labels", "Pages reordered"),
        "page.delete": translate("Labels", "Page deleted"),
        "page.restore": translate("Labels", "Page restored"),
        "export.documents": translate("Labels", "List exported"),
        "export.audit": translate("Labels", "Audit log exported"),
        "user.add": translate("Labels", "User added"),
        "user.passwd": translate("Labels", "Password changed"),
        "user.enable": translate("Labels", "User enabled"),
        "user.disable": translate("Labels", "User disabled"),
        "site.set": translate("Labels", "Site setting changed"),
        "store.backup": translate("Labels", "Backup made"),
        "sync.package.changed": translate("Labels", "Sync package rebuilt"),
        "sync.upload": translate("Labels", "Upload started"),
        "sync.commit": translate("Labels", "Upload completed"),
        "sync.receipt": translate("Labels", "Warehouse receipt"),
        "sync.restart": translate("Labels", "Upload restarted"),
        "sync.fail": translate("Labels", "Sync failed"),
        "sync.retry": translate("Labels", "Sync retried"),
        "sync.setting": translate("Labels", "Sync setting changed"),
        "sync.enrol": translate("Labels", "Station enrolled"),
        "sync.queue": translate("Labels", "Queued for sync"),
        "batch.gaps": translate("Labels", "Batch submitted with gaps"),
        "store.init": translate("Labels", "Store created"),
        "store.rekey": translate("Labels", "Store key changed"),
        "store.replace": translate("Labels", "Store replaced"),
        "store.restore": translate("Labels", "Store restored"),
        "store.sign": translate("Labels", "Records signed"),
        "audit.re_anchor": translate("Labels", "Audit log re-anchored"),
        "export.report": translate("Labels", "Report exported"),
        "login.journal": translate("Labels", "Login recorded after an outage"),
        "site.enrolment": translate("Labels", "Station enrolment"),
        "site.file": translate("Labels", "Site file applied"),
        "sync.export": translate("Labels", "Sync package exported"),
        "tamper.detected": translate("Labels", "Tampering detected"),
        "user.keys": translate("Labels", "User keys changed"),
        "user.recover": translate("Labels", "Account recovered"),
    }
    return labels.get(action, action)


# -- the audit log in words --------------------------------------------------------------------


def object_label(kind: str | None) -> str:
    translate = QCoreApplication.translate
    return {
        "batch": translate("Labels", "Batch"),
        "dossier": translate("Labels", "Dossier"),
        "document": translate("Labels", "Document"),
        "page": translate("Labels", "Page"),
        "user": translate("Labels", "User"),
        "store": translate("Labels", "Store"),
        "station": translate("Labels", "Station"),
        "setting": translate("Labels", "Setting"),
        "site": translate("Labels", "Site"),
        "export": translate("Labels", "Export"),
        "audit": translate("Labels", "Audit log"),
        "journal": translate("Labels", "Journal"),
    }.get(kind or "", kind or "")


def audit_field_label(name: str | None) -> str:
    """A field named in an audit row, in words (document and dossier fields, and the rest)."""
    if not name:
        return ""
    translate = QCoreApplication.translate
    extra = {
        "state": translate("Labels", "State"),
        "checked": translate("Labels", "Checked"),
        "role": translate("Labels", "Role"),
        "rotation": translate("Labels", "Rotation"),
        "ordinal": translate("Labels", "Position"),
        "password": translate("Labels", "Password"),
        "enabled": translate("Labels", "Enabled"),
        "name": translate("Labels", "Name"),
    }
    return field_labels().get(name) or extra.get(name) or name


def audit_value(field: str | None, value: str | None) -> str:
    """An old or new value as a person reads it: states and roles in words, dates dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    translate = QCoreApplication.translate
    if field == "state":
        return batch_state_label(value)
    if field == "role":
        return role_label(value)
    if value in ("true", "false", "True", "False"):
        return translate("Labels", "yes") if value.lower() == "true" else translate(
            "Labels", "no")
    if _ISO.match(value):
        return show_date(value)
    if _ISO_TIME.match(value):
        return show_time(value)
    return value


def audit_detail(detail: str | None) -> str:
    """An audit row's detail (JSON) as ``Key: value; …`` in words."""
    if not detail:
        return ""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)
    translate = QCoreApplication.translate
    keys = {
        "reason": translate("Labels", "Reason"),
        "pages": translate("Labels", "Pages"),
        "documents": translate("Labels", "Documents"),
        "document": translate("Labels", "Document"),
        "batch": translate("Labels", "Batch"),
        "dossier": translate("Labels", "Dossier"),
        "source": translate("Labels", "Source"),
        "file": translate("Labels", "File"),
        "rows": translate("Labels", "Rows"),
        "merged": translate("Labels", "Merged from document"),
        "degrees": translate("Labels", "Degrees"),
        "unchecked": translate("Labels", "Not checked"),
        "required": translate("Labels", "Required fields empty"),
        "invalid": translate("Labels", "Invalid values"),
        "receipt": translate("Labels", "Receipt"),
        "warehouse": translate("Labels", "Warehouse"),
        "station": translate("Labels", "Station"),
    }
    parts = []
    for key, value in data.items():
        shown = audit_value(None, value) if isinstance(value, str) else (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else
            str(value))
        parts.append(f"{keys.get(key, key)}: {shown}")
    return "; ".join(parts)


# -- dates -------------------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def show_date(iso: str | None) -> str:
    """``2024-03-05`` -> ``05/03/2024``; anything else is shown as it is."""
    if not iso:
        return ""
    m = _ISO.match(iso)
    if not m:
        return iso
    return f"{int(m.group(3)):02d}/{int(m.group(2)):02d}/{m.group(1)}"


def parse_date(text: str) -> str | None:
    """A date as a clerk types it -> ISO ``YYYY-MM-DD`` text; None if it is not one.

    The result may still be an impossible date (31/02/2024): the store's check
    says so, in words the form shows.
    """
    m = _DAY_FIRST.match(text)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = _ISO.match(text)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def show_time(iso: str | None) -> str:
    """An audit time (UTC ISO) in the station's local time, ``05/03/2024 14:30``."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return when.strftime("%d/%m/%Y %H:%M")


def today_iso() -> str:
    return date.today().isoformat()


def main() -> int:
    """``python -m app.i18n``: compile every .ts in resources/i18n (ours and Qt's words)."""
    folder = Path(__file__).resolve().parent.parent / "resources" / "i18n"
    for ts in sorted(folder.glob("*.ts")):
        build_qm(ts, ts.with_suffix(".qm"))
        print(f"{ts.with_suffix('.qm').name} built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
