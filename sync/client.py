"""The warehouse's API as the station sees it: enrol, probe, look up, commit, verify.

Receipts are Ed25519-signed by the warehouse over the canonical JSON of their
fields (sorted keys, no spaces, UTF-8, without ``signature``); the public key
is pinned at enrolment and kept in the encrypted store, so a receipt that does
not verify is never taken as proof of delivery.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from store import outbox, site
from store.errors import BadInput, Conflict, PermissionDenied
from store.messages import say
from store.outbox import Credential
from store.session import Session
from sync.net import (
    ForeignOrigin,
    Http,
    Rejected,
    TlsFailure,
    Unauthorized,
    UploadGone,
    WarehouseError,
    check_url,
)
from sync.settings import SyncSettings
from sync.tus import Transfer, TusClient, with_retries


class UploadIncomplete(WarehouseError):
    """The commit found the upload short of its length: go on uploading."""


def canonical(obj: Mapping[str, Any]) -> bytes:
    return json.dumps(dict(obj), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def verify_receipt(
    receipt: Mapping[str, Any], public_key: str, *, dossier: str, sha256: str
) -> dict[str, Any]:
    """The receipt's fields if it is signed by the pinned key and names this package."""
    fields = {k: v for k, v in receipt.items() if k != "signature"}
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        key.verify(base64.b64decode(str(receipt.get("signature", ""))), canonical(fields))
    except (InvalidSignature, ValueError, binascii.Error) as exc:
        raise Rejected(say("sync.receipt_unsigned",
                           "The warehouse's receipt is not signed by the warehouse this station "
                           "enrolled with."), transient=False) from exc
    if fields.get("dossier") != dossier or str(fields.get("sha256", "")).upper() != sha256:
        raise Rejected(say("sync.receipt_other_package",
                           "The warehouse's receipt names another package."), transient=False)
    if not fields.get("receipt_id"):
        raise Rejected(say("sync.receipt_no_id",
                           "The warehouse's receipt has no id."), transient=False)
    return dict(receipt)


def enrol(url: str, token: str, station_name: str, settings: SyncSettings) -> Credential:
    """Exchange IT's one-time token for this station's credential (not saved here)."""
    http = Http(url, settings)
    try:
        response = http.request("POST", "/v1/enrol", ok=(201,),
                                json={"token": token.strip(), "station_name": station_name})
    except Unauthorized as exc:
        raise PermissionDenied(say("sync.token_rejected",
                                   "The enrolment token is unknown, used or expired; ask IT for a "
                                   "new one.")) from exc
    finally:
        http.close()
    body = response.json()
    try:
        return Credential(warehouse_url=http.base_url, station_id=str(body["station_id"]),
                          secret=str(body["credential"]), receipt_key=str(body["receipt_key"]))
    except (KeyError, TypeError) as exc:
        raise BadInput(say("sync.enrolment_incomplete",
                           "The warehouse's enrolment answer is incomplete.")) from exc


def set_warehouse_url(session: Session, url: str) -> str:
    """Set the site's ``warehouse_url`` only to where sync really sends (admin).

    Sync sends to the URL the station enrolled with (its credential is valid only
    there), so a different address would be a setting that silently does nothing:
    it is refused with the way to really move, enrolling again.
    """
    url = check_url(url)
    credential = outbox.load_credential(session)
    if credential is not None and credential.warehouse_url.rstrip("/") != url:
        raise Conflict(
            say("sync.enrolled_elsewhere",
                "This station is enrolled with {warehouse_url} and sync sends there; to use {url} "
                "an admin enrols again: `sohoa enrol {url} TOKEN` with a new token from IT.",
                warehouse_url=credential.warehouse_url, url=url))
    site.set_value(session, "warehouse_url", url)
    return url


@dataclass(frozen=True)
class PackageRef:
    dossier: str
    sha256: str
    size: int
    batch: str
    filename: str = ""  # <code>.tar or <code>.zip, as built (the site's package_format)


class WarehouseClient:
    """One worker's connection to the warehouse (not shared between threads)."""

    def __init__(self, credential: Credential, settings: SyncSettings) -> None:
        self.credential = credential
        self.http = Http(credential.warehouse_url, settings, credential=credential.secret)
        self.tus = TusClient(self.http)

    def close(self) -> None:
        self.http.close()

    def health(self) -> bool:
        """Whether the warehouse answers; a TLS failure or a redirect elsewhere is raised,
        not taken for an outage (retrying would hide it from the supervisor)."""
        try:
            self.http.request("GET", "/v1/health")
        except (TlsFailure, ForeignOrigin):
            raise
        except WarehouseError:
            return False
        return True

    def send_anchor(self, anchor: Mapping[str, Any]) -> dict[str, Any] | None:
        """Give the warehouse the store's newest audit anchor; None when it took it (or
        already had it), else the newer anchor it holds for this station."""
        response = self.http.request("POST", "/v1/anchors", ok=(200, 201, 409),
                                     json=dict(anchor))
        if response.status_code != 409:
            return None
        held = response.json().get("anchor")
        return dict(held) if isinstance(held, dict) else {}

    def held_anchor(self) -> dict[str, Any] | None:
        """The newest audit anchor the warehouse holds for this station (None: none yet)."""
        response = self.http.request("GET", "/v1/anchors", ok=(200, 404))
        if response.status_code == 404:
            return None
        body = response.json()
        return dict(body) if isinstance(body, dict) else {}

    def lookup(self, ref: PackageRef, transfer: Transfer) -> dict[str, Any] | None:
        """The receipt if the warehouse already holds this exact package (outbox lost)."""
        path = f"/v1/receipts/{quote(ref.dossier, safe='')}?sha256={ref.sha256}"
        try:
            response = with_retries(lambda: self.http.request("GET", path), transfer)
        except UploadGone:
            return None
        return verify_receipt(response.json(), self.credential.receipt_key,
                              dossier=ref.dossier, sha256=ref.sha256)

    def create(self, ref: PackageRef, transfer: Transfer) -> str:
        filename = ref.filename or f"{ref.dossier}.tar"
        # filetype too: generic tus servers (tuspyserver) refuse an upload without it
        filetype = "application/zip" if filename.endswith(".zip") else "application/x-tar"
        meta = {"filename": filename, "filetype": filetype, "dossier": ref.dossier,
                "sha256": ref.sha256, "batch": ref.batch}
        return with_retries(lambda: self.tus.create(ref.size, meta), transfer)

    def commit(self, url: str, ref: PackageRef, transfer: Transfer) -> dict[str, Any]:
        """Ask for the receipt; the same package always gets the same receipt."""
        body = {"upload": url, "dossier": ref.dossier, "sha256": ref.sha256,
                "batch_id": ref.batch}
        try:
            response = with_retries(lambda: self.http.request(
                "POST", "/v1/commits", ok=(200, 201), json=body), transfer)
        except WarehouseError as exc:
            if exc.status == 409 and exc.offset is not None:
                raise UploadIncomplete(str(exc), status=409, offset=exc.offset) from exc
            if exc.status == 409:
                raise Rejected(str(exc), status=409, transient=False) from exc
            raise
        return verify_receipt(response.json(), self.credential.receipt_key,
                              dossier=ref.dossier, sha256=ref.sha256)
