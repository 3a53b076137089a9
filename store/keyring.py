"""The keyring file: the data key wrapped once per user and once for recovery.

It sits beside the database in plain JSON because it must be read *before* the
database can be opened. It holds no user names (entries are keyed by an HMAC
of the name), no plaintext key and nothing personal.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store import crypto
from store.errors import NotInitialised, StoreCorrupt, UnknownUser, WrongPassword
from store.fsutil import atomic_write
from store.settings import KdfParams

FORMAT = "sohoa-keyring"
VERSION = 1


def _user_aad(key_id: str) -> bytes:
    return f"sohoa user {key_id}".encode()


@dataclass
class Keyring:
    store_id: str
    id_salt: bytes
    sealing_public: bytes
    entries: dict[str, dict[str, Any]]
    recovery: dict[str, str]

    # -- file I/O ---------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Keyring:
        if not path.exists():
            raise NotInitialised(
                f"No sohoa store in {path.parent}: run `sohoa init --admin NAME` first."
            )
        try:
            doc = json.loads(path.read_text("utf-8"))
            if doc.get("format") != FORMAT:
                raise ValueError("format")
            if doc.get("version") != VERSION:
                raise ValueError("version")
            return cls(
                store_id=str(doc["store_id"]),
                id_salt=crypto.b64d(doc["id_salt"]),
                sealing_public=crypto.b64d(doc["sealing_public"]),
                entries=dict(doc["entries"]),
                recovery=dict(doc["recovery"]),
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise StoreCorrupt(
                f"The key file {path} is damaged or not a sohoa key file; restore a backup."
            ) from exc

    def save(self, path: Path) -> None:
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "store_id": self.store_id,
            "id_salt": crypto.b64e(self.id_salt),
            "sealing_public": crypto.b64e(self.sealing_public),
            "entries": self.entries,
            "recovery": self.recovery,
        }
        atomic_write(path, json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"))

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
        self, user_name: str, password: str, data_key: bytes, params: KdfParams
    ) -> None:
        key_id = self.key_id(user_name)
        salt = os.urandom(16)
        kek = crypto.password_kek(password, salt, params)
        nonce, wrapped = crypto.wrap(kek, data_key, _user_aad(key_id))
        self.entries[key_id] = {
            "kdf": {
                "alg": "argon2id",
                "salt": crypto.b64e(salt),
                "m": params.memory_kib,
                "t": params.iterations,
                "p": params.lanes,
            },
            "nonce": crypto.b64e(nonce),
            "wrapped": crypto.b64e(wrapped),
        }

    def remove_user(self, user_name: str) -> None:
        self.entries.pop(self.key_id(user_name), None)

    def unlock(self, user_name: str, password: str) -> bytes:
        key_id = self.key_id(user_name)
        entry = self.entries.get(key_id)
        if entry is None:
            raise UnknownUser(f"There is no user named {user_name!r} on this station.")
        kdf = entry["kdf"]
        params = KdfParams(memory_kib=int(kdf["m"]), iterations=int(kdf["t"]), lanes=int(kdf["p"]))
        kek = crypto.password_kek(password, crypto.b64d(kdf["salt"]), params)
        try:
            return crypto.unwrap(
                kek, crypto.b64d(entry["nonce"]), crypto.b64d(entry["wrapped"]), _user_aad(key_id)
            )
        except crypto.UnwrapError as exc:
            raise WrongPassword(f"Wrong password for {user_name!r}.") from exc

    def set_recovery(self, recovery_key: str, data_key: bytes) -> None:
        nonce, wrapped = crypto.wrap(
            crypto.recovery_kek(recovery_key), data_key, b"sohoa recovery"
        )
        self.recovery = {"nonce": crypto.b64e(nonce), "wrapped": crypto.b64e(wrapped)}

    def unlock_recovery(self, recovery_key: str) -> bytes:
        try:
            return crypto.unwrap(
                crypto.recovery_kek(recovery_key),
                crypto.b64d(self.recovery["nonce"]),
                crypto.b64d(self.recovery["wrapped"]),
                b"sohoa recovery",
            )
        except (crypto.UnwrapError, KeyError) as exc:
            raise WrongPassword("That recovery key does not open this store.") from exc
