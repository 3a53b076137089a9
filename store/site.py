"""Site settings: typed values the admin sets once per ward, audited on change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from store import audit, db, trust
from store.errors import BadInput
from store.roles import Perm
from store.session import Session

# A session left open longer than this at a shared desk is the next person's session.
MAX_IDLE_LOCK_MINUTES = 60


def _url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise BadInput(f"warehouse_url must be an https:// address (got {value!r}).")
    return value.rstrip("/")


def _agency(value: str) -> str:
    # Mã định danh điện tử of an agency (Quyết định 20/2020/QĐ-TTg), e.g. 000.00.12.H29
    if not re.fullmatch(r"[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){3}", value):
        raise BadInput(f"agency_code must look like 000.00.12.H29 (got {value!r}).")
    return value


def _minutes(value: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= MAX_IDLE_LOCK_MINUTES:
        raise BadInput("idle_lock_minutes must be a whole number from 1 to "
                       f"{MAX_IDLE_LOCK_MINUTES}.")
    return value


def _text(value: str) -> str:
    if not value.strip() or len(value) > 300:
        raise BadInput("This setting must be 1 to 300 characters.")
    return value.strip()


def _optional_text(value: str) -> str:
    return _text(value) if value else ""


def _optional_agency(value: str) -> str:
    return _agency(value) if value else ""


def _package_format(value: str) -> str:
    if value not in ("tar", "zip"):
        raise BadInput("package_format is tar or zip.")
    return value


def _language(value: str) -> str:
    if value not in ("vi", "en"):
        raise BadInput("language is vi or en.")
    return value


_CHECKS = {
    "warehouse_url": _url,
    "agency_code": _agency,
    "ward_name": _text,
    "ca_bundle": _optional_text,  # "" clears it: the system's CAs again
    "idle_lock_minutes": _minutes,
    "language": _language,
    "archive_name": _text,
    "archive_code": _optional_agency,
    "package_format": _package_format,
}


@dataclass(frozen=True)
class SiteSettings:
    agency_code: str = "000.00.00.H29"
    ward_name: str = ""
    warehouse_url: str = ""
    ca_bundle: str = ""
    idle_lock_minutes: int = 10
    language: str = "vi"
    archive_name: str = ""  # the archive that keeps the packages (E-ARK PRESERVATION agent)
    archive_code: str = ""
    package_format: str = "tar"  # tar, or zip as commons-ip2 and RODA read it


def load(conn: db.Connection) -> SiteSettings:
    """Readable by every logged-in user: the app needs the idle lock and agency code.

    The settings that weaken security (idle lock, warehouse, CA bundle) must carry
    the admin key's signature (store/trust.py): edited inside the database they
    are refused (Tampered), and an idle lock above the bound is never returned.
    """
    trust.check_settings(conn)
    values = dict(conn.execute("SELECT key, value FROM site_setting").fetchall())
    defaults = SiteSettings()
    return SiteSettings(
        agency_code=values.get("agency_code", defaults.agency_code),
        ward_name=values.get("ward_name", ""),
        warehouse_url=values.get("warehouse_url", ""),
        ca_bundle=values.get("ca_bundle", ""),
        idle_lock_minutes=_bounded_minutes(values.get("idle_lock_minutes")),
        language=values.get("language", defaults.language),
        archive_name=values.get("archive_name", ""),
        archive_code=values.get("archive_code", ""),
        package_format=values.get("package_format", defaults.package_format),
    )


def _bounded_minutes(value: str | None) -> int:
    default = SiteSettings().idle_lock_minutes
    if value is None or not value.isdigit():
        return default
    return min(max(int(value), 1), MAX_IDLE_LOCK_MINUTES)


def validate(key: str, value: str) -> str:
    """The checked, normalised value of one site setting (also used for site files)."""
    check = _CHECKS.get(key)
    if check is None:
        raise BadInput(f"Unknown site setting {key!r}: {', '.join(sorted(_CHECKS))}.")
    return check(value.strip())


def set_value(session: Session, key: str, value: str) -> None:
    """Set one site setting; those that weaken security are re-signed with the admin key."""
    trust.require_verified(session, Perm.SITE_SETTINGS)
    value = validate(key, value)
    admin_key = trust.admin_key(session) if trust.enabled(session.conn) else None

    def sign(conn: db.Connection) -> None:
        if admin_key is not None:
            trust.sign_settings(conn, session.keyring.store_id, admin_key)

    audit.set_setting(session.conn, "site_setting", key, value, user_id=session.user.id,
                      user_name=session.user.name, action="site.set", then=sign)
