"""Key derivation, key wrapping and sealed boxes.

Design (docs/security.md): one random 256-bit *data key* encrypts the SQLCipher
database. Each user's password derives (Argon2id) a key-encryption key that
wraps the data key with AES-256-GCM, so a password change re-wraps 32 bytes and
re-encrypts nothing. A random recovery key wraps it once more for the admin.
Failed logins cannot be written to the locked database, so they are *sealed*
(X25519 + HKDF + AES-GCM) to a public key whose private half lives inside it.
"""

from __future__ import annotations

import base64
import os
import secrets
import unicodedata

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from store.settings import KdfParams

KEY_BYTES = 32
NONCE_BYTES = 12


class UnwrapError(Exception):
    """The wrapping key is wrong or the wrapped blob was altered."""


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def normalise_password(password: str) -> bytes:
    """NFC so that the same Vietnamese password typed on two keyboards matches."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def password_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(normalise_password(password))


def hkdf(key: bytes, info: bytes, salt: bytes | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(key)


def wrap(kek: bytes, secret: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt ``secret`` under ``kek``; ``aad`` binds it to its owner."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(kek).encrypt(nonce, secret, aad)


def unwrap(kek: bytes, nonce: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(nonce, blob, aad)
    except InvalidTag as exc:
        raise UnwrapError("wrong key") from exc


# -- recovery key -------------------------------------------------------------

def new_recovery_key() -> str:
    """A 256-bit key as 13 groups of 4 base32 characters, easy to copy by hand."""
    raw = base64.b32encode(new_key()).decode("ascii").rstrip("=")
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def recovery_kek(recovery_key: str) -> bytes:
    """High-entropy input: HKDF is enough, no slow KDF needed."""
    cleaned = recovery_key.strip().upper().replace("-", "").replace(" ", "")
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        raw = base64.b32decode(padded)
    except ValueError as exc:
        raise UnwrapError("not a recovery key") from exc
    if len(raw) != KEY_BYTES:
        raise UnwrapError("not a recovery key")
    return hkdf(raw, b"sohoa recovery key v1")


# -- sealed boxes (anonymous sender, private key in the store) ----------------

def new_sealing_keypair() -> tuple[bytes, bytes]:
    private = X25519PrivateKey.generate()
    priv = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    pub = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return priv, pub


def x25519_public(private_key: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def x25519_from_secret(secret: bytes, info: bytes) -> tuple[bytes, bytes]:
    """A deterministic X25519 key pair from a high-entropy secret (the recovery key)."""
    private = hkdf(secret, info)
    return private, x25519_public(private)


# -- signatures (roles, accounts, site settings, audit anchors) ------------------------

def new_signing_keypair() -> tuple[bytes, bytes]:
    private = Ed25519PrivateKey.generate()
    priv = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return priv, signing_public(priv)


def signing_public(private_key: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_key).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def sign(private_key: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private_key).sign(message)


def signature_ok(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public_key))
    key = hkdf(shared, b"sohoa sealed box v1", salt=eph_pub + public_key)
    nonce = os.urandom(NONCE_BYTES)
    return eph_pub + nonce + AESGCM(key).encrypt(nonce, plaintext, None)


def unseal(private_key: bytes, box: bytes) -> bytes:
    eph_pub, nonce, body = box[:32], box[32:44], box[44:]
    private = X25519PrivateKey.from_private_bytes(private_key)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    key = hkdf(shared, b"sohoa sealed box v1", salt=eph_pub + public)
    try:
        return AESGCM(key).decrypt(nonce, body, None)
    except InvalidTag as exc:
        raise UnwrapError("sealed box altered") from exc
