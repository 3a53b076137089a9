"""The station's link to the warehouse, as both faces use it: settings, enrolment, its state.

Why one module: `sohoa enrol`, `sohoa sync` and the desktop app's Sync and
Administration screens must enrol, read the CA bundle and name the link's
state by the same rules; a second copy in a face would drift (the app once
called an unreachable warehouse "not enrolled").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from store import db, outbox, site
from store.errors import BadInput, PermissionDenied
from store.messages import say
from store.outbox import Credential
from store.roles import Perm
from store.session import Session
from store.sitefile import META_ENROLMENT, Enroller, EnrolmentRequest
from sync import client
from sync.net import check_url
from sync.settings import SyncSettings


def sync_settings(session: Session, base: SyncSettings | None = None) -> SyncSettings:
    """``base`` (the face's choices) with the site's CA bundle, refused when that file is
    gone (a TLS failure later would hide the real cause)."""
    ca_bundle = site.load(session.conn).ca_bundle
    if ca_bundle and not Path(ca_bundle).is_file():
        raise BadInput(say("sync.ca_bundle_missing",
                           "The site's CA bundle {ca_bundle} does not exist; an admin sets `site "
                           "set ca_bundle FILE`.",
                           ca_bundle=ca_bundle))
    return replace(base or SyncSettings(), ca_bundle=ca_bundle)


@dataclass(frozen=True)
class EnrolRequest:
    """A checked enrolment, ready for the network step (no store needed for it)."""

    url: str
    token: str = field(repr=False)
    station_name: str
    settings: SyncSettings


def prepare_enrolment(session: Session, url: str, token: str) -> EnrolRequest:
    """Who may enrol, a usable address, a token: checked before anything is sent."""
    url = check_url(url.strip())
    if not session.user.can(Perm.SITE_SETTINGS):
        raise PermissionDenied(say("sync.enrol_denied",
                                   "{name} may not enrol the station: ask the admin.",
                                   name=session.user.name))
    if not token.strip():
        raise BadInput(say("sync.token_empty",
                           "The enrolment token is empty; type the token IT gave you."))
    return EnrolRequest(url, token, session.settings.station, sync_settings(session))


def request_credential(request: EnrolRequest) -> Credential:
    """The network step: exchange IT's one-time token for this station's credential."""
    return client.enrol(request.url, request.token, request.station_name, request.settings)


def keep_credential(session: Session, credential: Credential) -> Credential:
    """Keep the credential (admin, on the admin's own session: the warehouse address is a
    signed setting); the site's warehouse address follows the enrolment."""
    outbox.save_credential(session, credential)
    if site.load(session.conn).warehouse_url != credential.warehouse_url:
        site.set_value(session, "warehouse_url", credential.warehouse_url)
    return credential


def enrol(session: Session, url: str, token: str) -> Credential:
    """The three steps in one call (`sohoa enrol`); the app runs the network step in a
    thread of its own between the other two."""
    return keep_credential(session, request_credential(prepare_enrolment(session, url, token)))


def site_file_enroller() -> Enroller:
    """sync's enrolment for store.sitefile (the face passes it in: the store never looks
    sync up). The desktop app's admin login and `sohoa site apply` both use it."""

    def enrol_with_sync(session: Session, request: EnrolmentRequest) -> None:
        credential = client.enrol(request.warehouse_url, request.token,
                                  session.settings.station,
                                  SyncSettings(ca_bundle=request.ca_bundle or ""))
        outbox.save_credential(session, credential)

    return enrol_with_sync


@dataclass(frozen=True)
class Link:
    """What the store knows of the link (no network call): enrolled where, or why not."""

    enrolled: bool
    warehouse_url: str  # the enrolled address, else the site's (maybe empty)
    station_id: str = ""
    enrolment_pending: bool = False  # the site file's enrolment could not reach the warehouse


def link(session: Session) -> Link:
    credential = outbox.load_credential(session)
    if credential is not None:
        return Link(True, credential.warehouse_url, credential.station_id)
    row = db.rows(session.conn, "SELECT value FROM meta WHERE key = ?", (META_ENROLMENT,))
    pending = bool(row) and str(row[0][0]) == "pending"
    return Link(False, site.load(session.conn).warehouse_url, enrolment_pending=pending)
