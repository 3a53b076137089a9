"""Site settings: typed values the admin sets once per ward, audited on change.

The retention codes' meanings come only from here: the regulation the site file names
(``retention_regulation``) and the meaning it gives each accepted code
(``retention_codes``, a JSON object). The program ships none: a meaning it made up
would be printed beside a citizen's dossier as if the law said it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlparse

from store import audit, db, trust
from store.documents import MAINTENANCE_CODES
from store.errors import BadInput
from store.messages import say
from store.roles import Perm
from store.session import Session

# A session left open longer than this at a shared desk is the next person's session.
MAX_IDLE_LOCK_MINUTES = 60


def _url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("https", "http") or not parsed.netloc:
        raise BadInput(say("store.site_warehouse_url_https",
                           "warehouse_url must be an https:// address (got {value!r}).",
                           value=value))
    return value.rstrip("/")


def _agency(value: str) -> str:
    # Mã định danh điện tử of an agency (Quyết định 20/2020/QĐ-TTg), e.g. 000.00.12.H29
    if not re.fullmatch(r"[0-9A-Z]{3}(\.[0-9A-Z]{2,3}){3}", value):
        raise BadInput(say("store.site_agency_code_format",
                           "agency_code must look like 000.00.12.H29 (got {value!r}).",
                           value=value))
    return value


def _minutes(value: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= MAX_IDLE_LOCK_MINUTES:
        raise BadInput(say("store.site_idle_lock_range",
                           "idle_lock_minutes must be a whole number from 1 to {high}.",
                           high=MAX_IDLE_LOCK_MINUTES))
    return value


def _text(value: str) -> str:
    if not value.strip() or len(value) > 300:
        raise BadInput(say("store.site_text_length", "This setting must be 1 to 300 characters."))
    return value.strip()


def _optional_text(value: str) -> str:
    return _text(value) if value else ""


def _optional_agency(value: str) -> str:
    return _agency(value) if value else ""


def _package_format(value: str) -> str:
    if value not in ("tar", "zip"):
        raise BadInput(say("store.site_package_format", "package_format is tar or zip."))
    return value


def _language(value: str) -> str:
    if value not in ("vi", "en"):
        raise BadInput(say("store.site_language", "language is vi or en."))
    return value


# A meaning still reading like the example's placeholder is refused, as an unedited
# example URL or token is: the example must never reach a clerk's form as a meaning.
_PLACEHOLDER = re.compile(r"\b(EXAMPLE|VÍ DỤ|VI DU)\b", re.IGNORECASE)


def _regulation(value: str) -> str:
    if not value:
        return ""
    if _PLACEHOLDER.search(value):
        raise BadInput(say("store.site_regulation_placeholder",
                           "retention_regulation is still the example's placeholder; name the "
                           "regulation in force."))
    return _text(value)


def _retention_codes(value: str) -> str:
    """``{"01": "meaning", ...}``: each key an accepted code, each meaning 1 to 300
    characters; stored as sorted JSON (``""`` clears the table)."""
    if not value:
        return ""
    try:
        table = json.loads(value)
    except ValueError:
        raise BadInput(say("store.site_retention_not_object",
                           'retention_codes must be a JSON object such as {{"01": "…"}}.')) \
            from None
    if not isinstance(table, dict) or not table:
        raise BadInput(say("store.site_retention_not_object",
                           'retention_codes must be a JSON object such as {{"01": "…"}}.'))
    for code, meaning in table.items():
        if code not in MAINTENANCE_CODES:
            raise BadInput(say("store.site_retention_unknown_code",
                               "retention_codes: {code!r} is not a retention code ({codes}).",
                               code=code, codes=", ".join(MAINTENANCE_CODES)))
        if not isinstance(meaning, str) or not meaning.strip() or len(meaning) > 300:
            raise BadInput(say("store.site_retention_meaning_length",
                               "retention_codes: the meaning of {code} must be 1 to 300 "
                               "characters of text.", code=code))
        if _PLACEHOLDER.search(meaning):
            raise BadInput(say("store.site_retention_meaning_placeholder",
                               "retention_codes: the meaning of {code} is still the example's "
                               "placeholder; copy the regulation's words.", code=code))
    return json.dumps({c: " ".join(table[c].split()) for c in sorted(table)},
                      ensure_ascii=False)


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
    "retention_regulation": _regulation,
    "retention_codes": _retention_codes,
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
    retention_regulation: str = ""  # the regulation the site file names for the codes
    retention_codes: str = ""  # {"01": meaning, ...} as JSON, from that regulation

    def retention_meanings(self) -> dict[str, str]:
        """Each code's meaning, only when the site named the regulation it comes from."""
        if not self.retention_regulation or not self.retention_codes:
            return {}
        try:
            table = json.loads(self.retention_codes)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


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
        retention_regulation=values.get("retention_regulation", ""),
        retention_codes=values.get("retention_codes", ""),
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
        raise BadInput(say("store.unknown_site_setting",
                           "Unknown site setting {key!r}: {keys}.",
                           key=key, keys=', '.join(sorted(_CHECKS))))
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
