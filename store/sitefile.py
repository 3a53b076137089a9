"""The per-site file IT fills once per ward: parsed, checked, applied at first start.

Dozens of desks are set up by IT staff who are gone by the time a clerk logs in,
so the values a ward needs (warehouse address, ward name, agency code, …) come
in one TOML file that is checked when the package is built (``installer/build-deb
--site``), placed system-wide by the installer, and applied into the encrypted
store by the first admin login. The checks are those of :mod:`store.site` — one
rule for a value whether it comes from this file or from ``sohoa site set``.

An optional ``[retention]`` table names the regulation the retention codes come
from and gives each code's meaning in its words (``regulation = "…"``,
``codes = { "01" = "…", … }``); the form shows them beside the code. Without it the
form shows the code alone and says that the site file names no regulation: the
program ships no meanings of its own.

The enrolment token is a one-time secret: it is handed to the sync enrolment,
never written to the store or the audit log, and once the station is enrolled
it is ignored for good ("forgotten"), even though the root-owned file still
holds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from store import audit, db, trust
from store import site as site_settings
from store.errors import BadInput, NetworkError
from store.messages import Message, say
from store.roles import Perm, Role
from store.session import Session

# The keys that become store site settings, in the order they are applied.
SETTING_KEYS = ("ward_name", "agency_code", "warehouse_url", "ca_bundle", "idle_lock_minutes",
                "language")
REQUIRED_KEYS = ("ward_name", "agency_code", "warehouse_url")
TOKEN_KEY = "enrolment_token"
RETENTION_KEY = "retention"  # a table: regulation = "...", codes = { "01" = "...", ... }
ALL_KEYS = (*SETTING_KEYS, TOKEN_KEY, RETENTION_KEY)
MAX_FILE_BYTES = 64 * 1024
SITE_GROUP = "sohoa"  # the Debian package makes /etc/sohoa/site.toml root:sohoa 0640

# Where the state of the site file lives in the store's ``meta`` table.
META_APPLIED = "site_file.sha256"
META_ENROLMENT = "site_file.enrolment"

_TOKEN = re.compile(r"[A-Za-z0-9._~+/=-]{16,512}")
_EXAMPLE_DOMAINS = ("example", "example.com", "example.net", "example.org")  # RFC 2606


@dataclass(frozen=True)
class SiteFile:
    """A checked site file. ``sha256`` (of the file's bytes) tells whether it changed."""

    source: str
    sha256: str
    ward_name: str
    agency_code: str
    warehouse_url: str
    ca_bundle: str = ""
    idle_lock_minutes: int = 10
    language: str = "vi"
    enrolment_token: str = field(default="", repr=False)
    retention_regulation: str = ""
    retention_codes: str = ""  # JSON, as the store keeps it

    def settings(self) -> dict[str, str]:
        """The store site settings this file sets (an absent ``ca_bundle`` or ``[retention]``
        table is left alone)."""
        values = {key: str(getattr(self, key)) for key in SETTING_KEYS}
        if not self.ca_bundle:
            del values["ca_bundle"]
        if self.retention_codes:
            values["retention_regulation"] = self.retention_regulation
            values["retention_codes"] = self.retention_codes
        return values


@dataclass(frozen=True)
class EnrolmentRequest:
    """What the sync enrolment receives; the token is not shown in reprs or logs."""

    warehouse_url: str
    agency_code: str
    ward_name: str
    ca_bundle: str | None
    token: str = field(repr=False)


# sync's enrolment, as :func:`enrol_from_site_file` calls it. It raises NetworkError
# when the warehouse cannot be reached (enrolment then stays pending) and any other
# SohoaError when the warehouse refuses the token.
Enroller = Callable[[Session, EnrolmentRequest], None]


@dataclass(frozen=True)
class ApplyReport:
    source: str
    changed: tuple[str, ...]
    enrolment: str  # "enrolled", "already enrolled", "pending", "no token"
    detail: str = ""


# ------------------------------------------------------------------ parsing


def default_site_file() -> Path:
    """Where the installers put the file: /etc/sohoa or %ProgramData%\\sohoa."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "sohoa" / "site.toml"
    return Path("/etc/sohoa/site.toml")


def load_site_file(path: Path) -> SiteFile:
    """Read and check a site file; every problem is one BadInput sentence naming the file."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise BadInput(say("store.sitefile_missing",
                           "There is no site file at {path}.",
                           path=path)) from None
    except PermissionError:
        raise BadInput(_unreadable_hint(path)) from None
    except IsADirectoryError:
        raise BadInput(say("store.sitefile_is_folder",
                           "{path} is a folder, not a site file.",
                           path=path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise BadInput(say("store.sitefile_too_big",
                           "{path} is over {kib} KiB: not a site file.",
                           path=path, kib=MAX_FILE_BYTES // 1024))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(say("store.sitefile_not_utf8",
                           "{path} is not UTF-8 text; save it as UTF-8.",
                           path=path)) from None
    return parse_site_file(text, source=str(path), sha256=hashlib.sha256(data).hexdigest())


def _unreadable_hint(path: Path) -> Message:
    if sys.platform == "win32":
        return say("store.sitefile_unreadable_windows", "This account may not read {path}; ask"
                   " IT to check the file's permissions.", path=path)
    return say("store.sitefile_unreadable", "This account may not read {path}; ask IT to add it"
               " to the {group!r} group (adduser NAME {group}) and log in again.",
               path=path, group=SITE_GROUP)


def parse_site_file(text: str, *, source: str = "site.toml", sha256: str = "") -> SiteFile:
    """Check the TOML text of a site file (``source`` names it in messages)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(say("store.sitefile_not_toml",
                           "{source} is not valid TOML: {reason}.",
                           source=source, reason=exc)) from None
    unknown = sorted(set(raw) - set(ALL_KEYS))
    if unknown:
        raise BadInput(say("store.sitefile_unknown_key",
                           "{source}: unknown key {unknown!r}; the keys are {keys}.",
                           source=source, unknown=unknown[0], keys=', '.join(ALL_KEYS)))
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise BadInput(say("store.sitefile_missing_key",
                           "{source}: {missing} is missing (required: {required}).",
                           source=source, missing=missing[0], required=', '.join(REQUIRED_KEYS)))
    regulation, codes = _retention(source, raw.pop(RETENTION_KEY, None))
    values = {key: _checked(source, key, value) for key, value in raw.items()}
    return SiteFile(
        source=source,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        ward_name=values["ward_name"],
        agency_code=values["agency_code"],
        warehouse_url=values["warehouse_url"],
        ca_bundle=values.get("ca_bundle", ""),
        idle_lock_minutes=int(values.get("idle_lock_minutes", "10")),
        language=values.get("language", "vi"),
        enrolment_token=values.get(TOKEN_KEY, ""),
        retention_regulation=regulation,
        retention_codes=codes,
    )


def _retention(source: str, table: object) -> tuple[str, str]:
    """The ``[retention]`` table: the regulation's name and each code's meaning, checked as
    ``sohoa site set`` checks them (codes 01-07 only, no empty meaning, no placeholder)."""
    if table is None:
        return "", ""
    form = ('[retention] with regulation = "…" and codes = { "01" = "…", … }')
    if not isinstance(table, dict) or set(table) - {"regulation", "codes"}:
        raise BadInput(say("store.sitefile_retention_table",
                           "{source}: retention must be a table: {form}.",
                           source=source, form=form))
    regulation, codes = table.get("regulation"), table.get("codes")
    if not isinstance(regulation, str) or not regulation.strip():
        raise BadInput(say("store.sitefile_retention_regulation",
                           "{source}: retention needs the regulation the meanings come from: "
                           "{form}.", source=source, form=form))
    if not isinstance(codes, dict) or not codes:
        raise BadInput(say("store.sitefile_retention_codes",
                           "{source}: retention needs each code's meaning: {form}.",
                           source=source, form=form))
    try:
        return (site_settings.validate("retention_regulation",
                                       unicodedata.normalize("NFC", regulation)),
                site_settings.validate("retention_codes", json.dumps(
                    {str(k): unicodedata.normalize("NFC", v) if isinstance(v, str) else v
                     for k, v in codes.items()}, ensure_ascii=False)))
    except BadInput as exc:
        raise BadInput(say("store.sitefile_invalid", "{source}: {message}.", source=source,
                           message=str(exc).rstrip("."), inner=exc.said or str(exc))) from None


def _checked(source: str, key: str, value: object) -> str:
    """One value through the same check ``sohoa site set`` uses, as text."""
    text = _as_text(source, key, value)
    try:
        if key == TOKEN_KEY:
            return _token(text)
        checked = site_settings.validate(key, text)
        if key == "ca_bundle":
            _absolute_path(checked)
        if key == "warehouse_url":
            _not_the_example(checked)
        return checked
    except BadInput as exc:
        message = str(exc).rstrip(".")
        if key not in message:
            message = f"{key}: {message[:1].lower()}{message[1:]}"
        raise BadInput(say("store.sitefile_invalid",
                           "{source}: {message}.",
                           source=source, message=message, inner=exc.said or message)) from None


def _as_text(source: str, key: str, value: object) -> str:
    if key == "idle_lock_minutes" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        kind = "a whole number" if key == "idle_lock_minutes" else "text in double quotes"
        raise BadInput(say("store.sitefile_wrong_type",
                           "{source}: {key} must be {kind}.",
                           source=source, key=key, kind=kind))
    return unicodedata.normalize("NFC", value).strip()


def _token(value: str) -> str:
    # The value itself never appears in a message: the file may be shown on a screen.
    if "REPLACE" in value.upper():
        raise BadInput(say("store.sitefile_token_placeholder",
                           "enrolment_token is still the example's placeholder; put the token the "
                           "warehouse issued"))
    if not _TOKEN.fullmatch(value):
        raise BadInput(say("store.sitefile_token_format",
                           "enrolment_token must be 16 to 512 letters, digits or ._~+/=- exactly "
                           "as the warehouse issued it"))
    return value


def _not_the_example(url: str) -> None:
    """A copied but unedited example must fail at the IT office, not at the desk."""
    host = (urlsplit(url).hostname or "").lower()
    if any(host == d or host.endswith(f".{d}") for d in _EXAMPLE_DOMAINS):
        raise BadInput(say("store.sitefile_url_placeholder",
                           "warehouse_url is still the example's address ({url}); put the address "
                           "of your warehouse",
                           url=url))


def _absolute_path(value: str) -> None:
    if not (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()):
        raise BadInput(say("store.sitefile_ca_bundle_path",
                           "ca_bundle must be an absolute path to a PEM file (got {value!r})",
                           value=value))


# ------------------------------------------------------------------ applying


def apply_site_file(
    session: Session, path: Path, *, enrol: Enroller | None = None
) -> ApplyReport:
    """Set the store's site settings from the file (each change audited), then enrol."""
    trust.require_verified(session, Perm.SITE_SETTINGS)
    site = load_site_file(path)
    _check_ca_bundle(site)
    current = {k: str(v) for k, v in asdict(site_settings.load(session.conn)).items()}
    changed = []
    for key, value in site.settings().items():
        if current.get(key) != value:
            site_settings.set_value(session, key, value)  # audited as site.set
            changed.append(key)
    enrolment, detail = enrol_from_site_file(session, site, enrol=enrol)
    with db.transaction(session.conn) as conn:
        _set_meta(conn, META_APPLIED, site.sha256)
        audit.append(conn, session.user.name, "site.file", object_type="setting",
                     object_id=site.source,
                     detail={"sha256": site.sha256, "changed": changed, "enrolment": enrolment})
    return ApplyReport(site.source, tuple(changed), enrolment, detail)


def apply_on_login(
    session: Session, path: Path | None = None, *, enrol: Enroller | None = None
) -> ApplyReport | None:
    """What the app calls after each login: applies a new or changed file for an admin.

    Nothing happens for other roles, when there is no file, or when this exact
    file was applied before and enrolment is not pending.
    """
    if session.user.role is not Role.ADMIN:
        return None
    path = path or default_site_file()
    if not path.exists():
        return None
    applied = _get_meta(session.conn, META_APPLIED)
    pending = _get_meta(session.conn, META_ENROLMENT) == "pending"
    if applied and not pending and applied == load_site_file(path).sha256:
        return None
    return apply_site_file(session, path, enrol=enrol)


def enrol_from_site_file(
    session: Session, site: SiteFile, *, enrol: Enroller | None = None
) -> tuple[str, str]:
    """Enrol this station with the site file's token, once; returns (state, detail).

    ``enrol`` is sync's enrolment, passed in by the face (the store is the bottom
    layer and never reaches up to sync, not even through importlib). Without it, or
    when the warehouse cannot be reached, enrolment is recorded as pending and
    tried again at the next admin login; a refusal (used or unknown token, bad
    answer) is raised as the error it is.
    """
    if _is_enrolled(session.conn):
        return "already enrolled", "the token is no longer used"
    if not site.enrolment_token:
        return "no token", "no enrolment_token in the site file (sohoa enrol URL TOKEN)"
    enroller = enrol
    if enroller is None:
        return _pending(session, "this sohoa has no sync enrolment yet")
    request = EnrolmentRequest(site.warehouse_url, site.agency_code, site.ward_name,
                               site.ca_bundle or None, site.enrolment_token)
    try:
        enroller(session, request)
    except NetworkError as exc:
        if not getattr(exc, "transient", True):  # the warehouse said no: not worth retrying
            raise
        return _pending(session, str(exc))
    with db.transaction(session.conn) as conn:
        _set_meta(conn, META_ENROLMENT, "done")
        audit.append(conn, session.user.name, "site.enrolment", object_type="station",
                     object_id=session.settings.station,
                     detail={"state": "done", "warehouse": site.warehouse_url})
    return "enrolled", site.warehouse_url


def _pending(session: Session, reason: str) -> tuple[str, str]:
    with db.transaction(session.conn) as conn:
        _set_meta(conn, META_ENROLMENT, "pending")
        audit.append(conn, session.user.name, "site.enrolment", object_type="station",
                     object_id=session.settings.station,
                     detail={"state": "pending", "reason": reason})
    return "pending", reason


def _is_enrolled(conn: db.Connection) -> bool:
    if _get_meta(conn, META_ENROLMENT) == "done":
        return True
    # A station enrolled by hand (sync's own command) has its credential already.
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_credential'"
    ).fetchone()
    return bool(has_table) and bool(
        conn.execute("SELECT 1 FROM sync_credential LIMIT 1").fetchone())


def _check_ca_bundle(site: SiteFile) -> None:
    """The bundle is checked at the desk: it is a file of the desk, not of the package."""
    if not site.ca_bundle:
        return
    bundle = Path(site.ca_bundle)
    try:
        head = bundle.read_bytes()[:1 << 20]
    except OSError:
        raise BadInput(say("store.sitefile_ca_bundle_unreadable",
                           "{source}: ca_bundle {bundle} cannot be read on this desk; ask IT to "
                           "install it.",
                           source=site.source, bundle=bundle)) from None
    if b"-----BEGIN CERTIFICATE-----" not in head:
        raise BadInput(say("store.sitefile_ca_bundle_empty",
                           "{source}: ca_bundle {bundle} holds no PEM certificate.",
                           source=site.source, bundle=bundle))


def _get_meta(conn: db.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_meta(conn: db.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)"
                 " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
