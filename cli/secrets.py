"""Where passwords come from: a file, the environment, or a prompt — never argv."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from store.errors import BadInput, UsageError
from store.messages import say

MAX_SECRET_FILE = 4096  # a password or recovery key is a line; /dev/zero is not


def _from_file(path: str) -> str:
    """The first line of ``path``, read with a bound and checked to be text."""
    try:
        with open(Path(path).expanduser(), "rb") as fh:
            raw = fh.read(MAX_SECRET_FILE + 1)
    except OSError as exc:
        raise BadInput(say(
            "cli.password_file_unreadable", "Cannot read the password file {path}: {reason}.",
            path=path, reason=exc.strerror)) from exc
    first = raw.split(b"\n", 1)[0].rstrip(b"\r")
    if len(raw) > MAX_SECRET_FILE and len(first) >= MAX_SECRET_FILE:
        raise BadInput(say(
            "cli.password_file_too_long",
            "The password file {path} is not a password file (too long).",
            path=path))
    try:
        line = first.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(say(
            "cli.password_file_not_text", "The password file {path} is not text (UTF-8).",
            path=path)) from None
    if any(not ch.isprintable() for ch in line):
        raise BadInput(say(
            "cli.password_file_control", "The password file {path} holds control characters.",
            path=path))
    if not line:
        raise BadInput(say(
            "cli.password_file_empty", "The password file {path} is empty.",
            path=path))
    return line


def _prompt(label: str, *, confirm: bool) -> str:
    if not sys.stdin.isatty():
        raise UsageError(say(
            "cli.secret_not_given",
            "No {label} given: use a file option, the environment variable, or a terminal.",
            label=label.lower()))
    first = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass(f"{label} (again): ") != first:
        raise UsageError(say("cli.passwords_differ", "The two passwords differ."))
    return first


def read_secret(
    file_option: str | None, env_name: str, label: str, *, confirm: bool = False
) -> str:
    if file_option:
        return _from_file(file_option)
    value = os.environ.get(env_name)
    if value:
        return value
    return _prompt(label, confirm=confirm)


def password(file_option: str | None, *, confirm: bool = False) -> str:
    return read_secret(file_option, "SOHOA_PASSWORD", "Password", confirm=confirm)


def new_password(file_option: str | None) -> str:
    return read_secret(file_option, "SOHOA_NEW_PASSWORD", "New password", confirm=True)
