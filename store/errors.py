"""Errors that carry their own exit code.

Every failure a user can cause or meet is one of these. The CLI prints
``error.text(language)`` (English unless ``--lang vi``) as a single line and
exits with ``error.exit_code``; the GUI shows the sentence in its own language
in a message box. Anything else is a bug, reported as INTERNAL with a pointer
to the log, never as a traceback.

Each error is raised with a ``store.messages.Message`` (``say(code, english,
**params)``): ``code`` is stable, ``str(error)`` is the English sentence, and
``error.text("vi")`` the Vietnamese one from ``store.messages_vi``. A plain
string is still accepted (from faces and tests); its ``code`` is empty.
"""

from __future__ import annotations

from enum import IntEnum

from store.messages import Message, reword


class ExitCode(IntEnum):
    """Process exit codes; stable, documented in docs/cli.md."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    BAD_INPUT = 3
    PARTIAL = 4  # some inputs failed, the others were stored
    WRONG_PASSWORD = 10
    UNKNOWN_USER = 11
    PERMISSION_DENIED = 12
    STORE_CORRUPT = 13
    STORE_IN_USE = 14
    DISK_FULL = 15
    NOT_FOUND = 16
    CONFLICT = 17
    NOT_INITIALISED = 18
    AUDIT_BROKEN = 19
    STORE_TOO_NEW = 20
    EXTERNAL_TOOL = 21
    NETWORK = 22
    TAMPERED = 23  # a signed record (role, account, setting, anchor) does not verify
    RESTORE_PENDING = 24  # a restore was cut short and another program holds the store
    ACCESS_DENIED = 25  # the operating system refuses access to a file or folder
    TLS = 26  # TLS with the warehouse failed (certificate, handshake): never retried
    CANCELLED = 130


class SohoaError(Exception):
    """Base of every expected error; the message is one sentence for a user."""

    exit_code: ExitCode = ExitCode.INTERNAL
    code: str = ""

    def __init__(self, message: str | Message) -> None:
        said = message if isinstance(message, Message) else None
        text = message.text("en") if isinstance(message, Message) else message
        super().__init__(text)
        self.message = text
        self.said = said
        if said is not None:
            self.code = said.code

    def __str__(self) -> str:
        return self.message

    def text(self, language: str = "en") -> str:
        """The sentence in ``language``; English when it has no wording there."""
        try:
            if self.said is not None:
                return self.said.text(language)
            if language != "en":
                return reword(self.message, language) or self.message
        except (KeyError, IndexError, ValueError):  # a wording that does not fit: say it in English
            pass
        return self.message


class UsageError(SohoaError):
    exit_code = ExitCode.USAGE


class BadInput(SohoaError):
    exit_code = ExitCode.BAD_INPUT


class WrongPassword(SohoaError):
    exit_code = ExitCode.WRONG_PASSWORD


class UnknownUser(SohoaError):
    exit_code = ExitCode.UNKNOWN_USER


class PermissionDenied(SohoaError):
    exit_code = ExitCode.PERMISSION_DENIED


class StoreCorrupt(SohoaError):
    exit_code = ExitCode.STORE_CORRUPT


class StoreInUse(SohoaError):
    exit_code = ExitCode.STORE_IN_USE


class DiskFull(SohoaError):
    exit_code = ExitCode.DISK_FULL


class NotFound(SohoaError):
    exit_code = ExitCode.NOT_FOUND


class Conflict(SohoaError):
    exit_code = ExitCode.CONFLICT


class NotInitialised(SohoaError):
    exit_code = ExitCode.NOT_INITIALISED


class AuditBroken(SohoaError):
    exit_code = ExitCode.AUDIT_BROKEN


class StoreTooNew(SohoaError):
    exit_code = ExitCode.STORE_TOO_NEW


class ExternalToolError(SohoaError):
    exit_code = ExitCode.EXTERNAL_TOOL


class NetworkError(SohoaError):
    exit_code = ExitCode.NETWORK


class Tampered(SohoaError):
    """A record signed with a key users below admin do not hold was changed or forged."""

    exit_code = ExitCode.TAMPERED


class RestorePending(SohoaError):
    exit_code = ExitCode.RESTORE_PENDING


class AccessDenied(SohoaError):
    """The operating system refused a file or folder (permissions, owner, read-only)."""

    exit_code = ExitCode.ACCESS_DENIED
