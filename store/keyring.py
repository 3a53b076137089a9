"""The keyring file: who can open the store, and what each opens.

It sits beside the database in plain JSON because it must be read *before* the
database can be opened. It holds no user names (entries are keyed by an HMAC
of the name), no plaintext key and nothing personal.

Version 2 (why two levels): each user has an X25519 key pair; the password
(Argon2id) wraps only the private half, and the data key is *sealed* to the
public half. So the store can be re-keyed (a user disabled, a password reset by
an admin) by sealing a new data key to every remaining public key, without
anyone's password. The signing keys of admins and supervisors (roles, site
settings, audit anchors: see :mod:`store.trust`) are sealed the same way, to
the users whose role holds them. The recovery key derives an X25519 key pair
of its own. Version 1 entries (the data key wrapped by the password directly)
still open; each is upgraded at its user's next login.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store import crypto
from store.errors import AccessDenied, NotInitialised, StoreCorrupt, WrongPassword
from store.fsutil import atomic_write
from store.messages import say
from store.settings import KdfParams

FORMAT = "sohoa-keyring"
VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_KEYRING_BYTES = 4 * 1024 * 1024
# One sentence for an unknown name and a wrong password: a guesser learns nothing
# about which accounts exist (issue 12, item 8).
LOGIN_REFUSED = "Wrong user name or password."


def _user_aad(key_id: str) -> bytes:
    return f"sohoa user {key_id}".encode()


def _identity_aad(key_id: str) -> bytes:
    return f"sohoa user identity v2 {key_id}".encode()


@dataclass
class Slot:
    """What one password (or the recovery key) opens."""

    data_key: bytes = field(repr=False)
    keys: dict[str, bytes] = field(repr=False, default_factory=dict)
    legacy: bool = False  # a version 1 entry: upgrade it now the password is known


def _pack_keys(keys: dict[str, bytes]) -> bytes:
    return json.dumps({k: crypto.b64e(v) for k, v in sorted(keys.items())}).encode("ascii")


def _unpack_keys(raw: bytes) -> dict[str, bytes]:
    return {str(k): crypto.b64d(str(v)) for k, v in json.loads(raw).items()}


@dataclass
class Keyring:
    store_id: str
    id_salt: bytes
    sealing_public: bytes
    entries: dict[str, dict[str, Any]]
    recovery: dict[str, str]
    trust: dict[str, str] = field(default_factory=dict)  # signing key name -> public (b64)

    # -- file I/O ---------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_KEYRING_BYTES + 1)
        except FileNotFoundError:
            if any(path.parent.glob(f"{path.name}.*")) or (path.parent / "store.db").exists():
                raise StoreCorrupt(
                    say("store.key_file_missing",
                        "The key file is missing from {parent}, but the store's other files are "
                        "there (an interrupted restore, or a deletion): restore a backup with "
                        "`sohoa restore`; do not run init.",
                        parent=path.parent)) from None
            raise NotInitialised(
                say("store.not_initialised",
                    "No sohoa store in {parent}: run `sohoa init --admin NAME` first.",
                    parent=path.parent)
            ) from None
        except PermissionError:
            raise AccessDenied(
                say("store.key_file_unreadable",
                    "The key file {path} cannot be read (permissions); ask IT to give it back to "
                    "the sohoa user.",
                    path=path)) from None
        try:
            if len(raw) > MAX_KEYRING_BYTES:
                raise ValueError("size")
            doc = json.loads(raw.decode("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError("format")
            if doc.get("version") not in READABLE_VERSIONS:
                raise ValueError("version")
            return cls(
                store_id=str(doc["store_id"]),
                id_salt=crypto.b64d(doc["id_salt"]),
                sealing_public=crypto.b64d(doc["sealing_public"]),
                entries=dict(doc["entries"]),
                recovery=dict(doc["recovery"]),
                trust={str(k): str(v) for k, v in dict(doc.get("trust", {})).items()},
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError) as exc:
            raise StoreCorrupt(
                say("store.key_file_damaged",
                    "The key file {path} is damaged or not a sohoa key file; restore a backup.",
                    path=path)
            ) from exc

    def save(self, path: Path) -> None:
        atomic_write(path, self.to_bytes())

    def to_bytes(self) -> bytes:
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            "id_salt": crypto.b64e(self.id_salt),
            "sealing_public": crypto.b64e(self.sealing_public),
            "entries": self.entries,
            "recovery": self.recovery,
            "trust": self.trust,
        }
        return json.dumps(doc, indent=1, sort_keys=True).encode("utf-8")

    @classmethod
    def create(cls, sealing_public: bytes) -> Keyring:
        return cls(
            store_id=os.urandom(16).hex(),
            id_salt=os.urandom(16),
            sealing_public=sealing_public,
            entries={},
            recovery={},
        )

    # -- entries ----------------------------------------------------------------

    def key_id(self, user_name: str) -> str:
        name = unicodedata.normalize("NFC", user_name).casefold().encode("utf-8")
        return hmac.new(self.id_salt, name, hashlib.sha256).hexdigest()[:32]

    def has_user(self, user_name: str) -> bool:
        return self.key_id(user_name) in self.entries

    def set_password(
        self, user_name: str, password: str, data_key: bytes, params: KdfParams,
        keys: dict[str, bytes] | None = None,
    ) -> None:
        """A new identity for ``user_name``: its private half under the password."""
        key_id = self.key_id(user_name)
        salt = os.urandom(16)
        kek = crypto.password_kek(password, salt, params)
        private, public = crypto.new_sealing_keypair()
        nonce, wrapped = crypto.wrap(kek, private, _identity_aad(key_id))
        entry: dict[str, Any] = {
            "v": 2,
            "kdf": {"alg": "argon2id", "salt": crypto.b64e(salt), "m": params.memory_kib,
                    "t": params.iterations, "p": params.lanes},
            "nonce": crypto.b64e(nonce),
            "wrapped": crypto.b64e(wrapped),
            "public": crypto.b64e(public),
            "data": crypto.b64e(crypto.seal(public, data_key)),
        }
        if keys:
            entry["keys"] = crypto.b64e(crypto.seal(public, _pack_keys(keys)))
        self.entries[key_id] = entry

    def grant(self, user_name: str, keys: dict[str, bytes]) -> bool:
        """Seal ``keys`` (replacing any held) for a user; False for a version 1 entry."""
        entry = self.entries.get(self.key_id(user_name))
        if entry is None or entry.get("v") != 2:
            return False
        if keys:
            entry["keys"] = crypto.b64e(
                crypto.seal(crypto.b64d(entry["public"]), _pack_keys(keys)))
        else:
            entry.pop("keys", None)
        return True

    def grant_recovery(self, keys: dict[str, bytes]) -> None:
        """Seal the signing keys for the recovery key (no need to know it)."""
        if self.recovery.get("v") == "2" and keys:
            public = crypto.b64d(self.recovery["public"])
            self.recovery["keys"] = crypto.b64e(crypto.seal(public, _pack_keys(keys)))

    def reseal(self, data_key: bytes) -> list[str]:
        """Seal a new data key to every version 2 slot and the recovery key.

        Version 1 slots cannot be re-wrapped without their password: they are
        removed and their key ids returned (those users need a password reset).
        """
        dropped = [k for k, e in self.entries.items() if e.get("v") != 2]
        for key_id in dropped:
            del self.entries[key_id]
        for entry in self.entries.values():
            entry["data"] = crypto.b64e(crypto.seal(crypto.b64d(entry["public"]), data_key))
        if self.recovery.get("v") == "2":
            public = crypto.b64d(self.recovery["public"])
            self.recovery["data"] = crypto.b64e(crypto.seal(public, data_key))
        return dropped

    def remove_user(self, user_name: str) -> None:
        self.entries.pop(self.key_id(user_name), None)

    def unlock(self, user_name: str, password: str) -> bytes:
        return self.open_slot(user_name, password).data_key

    def open_slot(self, user_name: str, password: str) -> Slot:
        """The data key (and signing keys) this user's password opens.

        An unknown name costs the same Argon2id as a known one and fails with the
        same error and sentence, so neither the answer nor its timing tells
        which names exist.
        """
        key_id = self.key_id(user_name)
        entry = self.entries.get(key_id)
        if entry is None:
            crypto.password_kek(password, b"\0" * 16, self._typical_params())
            raise WrongPassword(say("store.login_refused", LOGIN_REFUSED))
        kdf = entry["kdf"]
        params = KdfParams(memory_kib=int(kdf["m"]), iterations=int(kdf["t"]), lanes=int(kdf["p"]))
        kek = crypto.password_kek(password, crypto.b64d(kdf["salt"]), params)
        try:
            if entry.get("v") != 2:
                return Slot(crypto.unwrap(kek, crypto.b64d(entry["nonce"]),
                                          crypto.b64d(entry["wrapped"]), _user_aad(key_id)),
                            legacy=True)
            private = crypto.unwrap(kek, crypto.b64d(entry["nonce"]),
                                    crypto.b64d(entry["wrapped"]), _identity_aad(key_id))
        except crypto.UnwrapError as exc:
            raise WrongPassword(say("store.login_refused", LOGIN_REFUSED)) from exc
        return _open_boxes(private, entry)

    def _typical_params(self) -> KdfParams:
        for entry in self.entries.values():
            kdf = entry.get("kdf", {})
            with_defaults = KdfParams()
            return KdfParams(memory_kib=int(kdf.get("m", with_defaults.memory_kib)),
                             iterations=int(kdf.get("t", with_defaults.iterations)),
                             lanes=int(kdf.get("p", with_defaults.lanes)))
        return KdfParams()

    # -- recovery -----------------------------------------------------------------

    def set_recovery(self, recovery_key: str, data_key: bytes,
                     keys: dict[str, bytes] | None = None) -> None:
        secret = crypto.recovery_kek(recovery_key)
        _private, public = crypto.x25519_from_secret(secret, b"sohoa recovery identity v2")
        self.recovery = {"v": "2", "public": crypto.b64e(public),
                         "data": crypto.b64e(crypto.seal(public, data_key))}
        if keys:
            self.recovery["keys"] = crypto.b64e(crypto.seal(public, _pack_keys(keys)))

    def unlock_recovery(self, recovery_key: str) -> bytes:
        return self.open_recovery(recovery_key).data_key

    def open_recovery(self, recovery_key: str) -> Slot:
        try:
            secret = crypto.recovery_kek(recovery_key)
            if self.recovery.get("v") != "2":
                return Slot(crypto.unwrap(secret, crypto.b64d(self.recovery["nonce"]),
                                          crypto.b64d(self.recovery["wrapped"]),
                                          b"sohoa recovery"), legacy=True)
            private, public = crypto.x25519_from_secret(secret, b"sohoa recovery identity v2")
            if crypto.b64e(public) != self.recovery.get("public"):
                raise crypto.UnwrapError("another recovery key")
            return _open_boxes(private, self.recovery)
        except (crypto.UnwrapError, KeyError, ValueError) as exc:
            raise WrongPassword(say("store.recovery_key_wrong",
                                    "That recovery key does not open this store.")) from exc


def _open_boxes(private: bytes, entry: dict[str, Any]) -> Slot:
    try:
        data_key = crypto.unseal(private, crypto.b64d(entry["data"]))
        keys = _unpack_keys(crypto.unseal(private, crypto.b64d(entry["keys"]))) \
            if "keys" in entry else {}
    except (crypto.UnwrapError, ValueError, KeyError) as exc:
        raise StoreCorrupt(say("store.key_entry_damaged",
                               "This account's key entry is damaged; ask the admin to reset the "
                               "password.")) from exc
    return Slot(data_key, keys)
