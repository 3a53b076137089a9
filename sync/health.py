"""The warehouse part of the station's health: enrolled, reachable, TLS trusted, acknowledged.

Why here and not in ocr/health.py: the health page's core may not import sync
(import-linter), so the face runs both and shows one table. Why two steps:
:func:`read_target` needs the store (the database thread), :func:`check_warehouse`
needs only the network and may wait up to the connect timeout, so the app runs
it in a thread of its own and the database stays free.

Each check is data (a URL, a time, a count), not prose, like ocr.health's, so
the face words it in the admin's language; a failure carries the one-line
reason the transport gave (``self-signed certificate``, ``cannot be reached``).
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import certifi

from ocr.health import Check
from store import anchor, outbox
from store.errors import SohoaError
from store.outbox import Credential
from store.roles import Perm, require
from store.session import Session
from sync import station
from sync.client import WarehouseClient
from sync.net import ForeignOrigin, Http, TlsFailure, WarehouseError, origin, tls_reason
from sync.settings import SyncSettings

# A dossier waiting longer than this for its receipt is worth the admin's attention.
ACK_MAX_WAIT = timedelta(days=2)
PROBE_TIMEOUT = 5.0  # seconds: the page should answer, not hang on a dead link
# A warehouse certificate that lapses stops every station at once: said this long ahead.
CERT_WARNING = timedelta(days=14)


@dataclass(frozen=True)
class Target:
    """What the store says about the link, read on the store's thread."""

    link: station.Link
    settings: SyncSettings | None  # None: the CA bundle is missing (settings_error says)
    settings_error: str | None
    credential: Credential | None
    last_ack: str | None  # newest receipt time
    waiting: int  # dossiers queued and not yet acknowledged
    oldest_waiting: str | None  # queued_at of the oldest of them


def read_target(session: Session) -> Target:
    """The store's side of the warehouse checks: for the admin's Health page and the
    supervisor's Sync dashboard."""
    if not session.user.can(Perm.SITE_SETTINGS):
        require(session.user, Perm.SYNC)
    link = station.link(session)
    try:
        settings: SyncSettings | None = station.sync_settings(session)
        error = None
    except SohoaError as exc:
        settings, error = None, str(exc)
    row = session.conn.execute(
        "SELECT max(received_at), sum(state != 'acknowledged'),"
        " min(CASE WHEN state != 'acknowledged' THEN queued_at END) FROM outbox").fetchone()
    return Target(link, settings, error, outbox.load_credential(session),
                  str(row[0]) if row[0] else None, int(row[1] or 0),
                  str(row[2]) if row[2] else None)


def check_warehouse(target: Target, *, now: datetime | None = None) -> list[Check]:
    """enrolment, warehouse (reachable), tls, certificate (https only), acknowledgement —
    no store needed."""
    now = now or datetime.now(UTC)
    link = target.link
    checks = [Check("enrolment", link.enrolled, link.station_id,
                    error=None if link.enrolled else ("pending" if link.enrolment_pending
                                                      else "not enrolled"))]
    if not link.warehouse_url:
        checks += [Check("warehouse", False, "", error="no address"),
                   Check("tls", False, "", error="no address")]
    elif target.settings is None:
        checks += [Check("warehouse", False, link.warehouse_url, error="no ca bundle"),
                   Check("tls", False, target.link.warehouse_url, error="no ca bundle")]
    else:
        checks += _probe(link.warehouse_url, target.settings, target.credential)
        if urlparse(link.warehouse_url).scheme == "https" and checks[-2].ok:
            checks.append(_certificate(link.warehouse_url, target.settings, now))
    checks.append(_acknowledgement(target, now))
    return checks


def _quick(settings: SyncSettings) -> SyncSettings:
    """Sync's settings with the probe's short timeouts: a check must not hang the screen."""
    return replace(settings, connect_timeout=min(settings.connect_timeout, PROBE_TIMEOUT),
                   read_timeout=min(settings.read_timeout, PROBE_TIMEOUT))


def _probe(url: str, settings: SyncSettings, credential: Credential | None) -> list[Check]:
    """GET /v1/health, as sync's own probe does (its TLS rules, its CA bundle). A failure's
    ``error`` is a short reason the face words: ``unreachable``, ``redirected``,
    ``status 503``, ``refused address``, or the TLS library's own words."""
    quick = _quick(settings)
    https = urlparse(url).scheme == "https"
    trust = ("ca_bundle" if settings.ca_bundle else "system") if https else "loopback http"
    try:
        http = Http(url, quick, credential=credential.secret if credential else None)
    except SohoaError:  # an address sync would refuse (plain http to another machine)
        return [Check("warehouse", False, url, error="refused address"),
                Check("tls", False, "", error="refused address")]
    try:
        http.request("GET", "/v1/health")
    except TlsFailure as exc:
        reason = tls_reason(exc)
        return [Check("warehouse", False, url, error="tls"),
                Check("tls", False, trust, error=reason)]
    except ForeignOrigin:
        return [Check("warehouse", False, url, error="redirected"),
                Check("tls", True, trust)]
    except WarehouseError as exc:
        reason = f"status {exc.status}" if exc.status else "unreachable"
        return [Check("warehouse", False, url, error=reason),
                Check("tls", not https, trust, error="not checked" if https else None)]
    finally:
        http.close()
    return [Check("warehouse", True, url), Check("tls", True, trust)]


def _certificate(url: str, settings: SyncSettings, now: datetime) -> Check:
    """When the warehouse's certificate ends (value: ISO time); not ok within
    :data:`CERT_WARNING`. Trusted as sync trusts it: the site's CA file, else certifi's bundle,
    the one requests uses."""
    _scheme, host, port = origin(url)
    context = ssl.create_default_context(cafile=settings.ca_bundle or certifi.where())
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
    except (OSError, ssl.SSLError):
        return Check("certificate", False, "", error="not checked")
    if "notAfter" not in cert:
        return Check("certificate", False, "", error="not checked")
    ends = datetime.fromtimestamp(ssl.cert_time_to_seconds(str(cert["notAfter"])), UTC)
    soon = ends - now <= CERT_WARNING
    return Check("certificate", not soon, ends.isoformat(timespec="seconds"),
                 error="ends soon" if soon else None)


def _acknowledgement(target: Target, now: datetime) -> Check:
    """Value: the last receipt's time; not ok when a dossier waits too long for one."""
    late = False
    if target.waiting and target.oldest_waiting:
        queued = datetime.fromisoformat(target.oldest_waiting)
        if queued.tzinfo is None:
            queued = queued.replace(tzinfo=UTC)
        late = now - queued > ACK_MAX_WAIT
    return Check("acknowledgement", not late, target.last_ack or "",
                 error=f"{target.waiting} waiting" if late else None)


def audit_against_warehouse(session: Session) -> tuple[str | None, str]:
    """Check the audit log against the newest anchor the warehouse holds for this station.

    A copy-back of both ``store.db`` and the anchor file beside it fools every local
    check; the warehouse kept what an earlier sync sent. Returns (problem or None, what
    was checked) — not enrolled or not reachable is said, never taken for "intact".
    """
    credential = outbox.load_credential(session)
    if credential is None:
        return None, "not enrolled: checked against the local anchors only"
    try:
        settings = station.sync_settings(session)
    except SohoaError as exc:
        return None, f"warehouse not checked ({exc})"
    quick = _quick(settings)
    client = WarehouseClient(credential, quick)
    try:
        held = client.held_anchor()
    except (WarehouseError, SohoaError) as exc:
        return None, f"warehouse not reached ({exc}): checked against the local anchors only"
    finally:
        client.close()
    if held is None:
        return None, "the warehouse holds no anchor of this station yet"
    problem = anchor.verify_remote(session.conn, held, session.keyring)
    return (problem or None), f"the warehouse's newest anchor (row {held.get('audit_id')})"

