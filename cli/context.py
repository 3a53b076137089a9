"""What every command gets: the settings built from the command line, and a login."""

from __future__ import annotations

import argparse
import os
import platform
import socket
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cli import secrets
from store.errors import UsageError
from store.messages import say
from store.session import Session, open_session
from store.settings import StoreSettings


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("sohoa", appauthor=False))


def station_name() -> str:
    """This computer's name, on Windows too (``os.uname`` does not exist there)."""
    return platform.node() or socket.gethostname() or "station"


@dataclass
class Context:
    args: argparse.Namespace
    settings: StoreSettings

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        chosen = args.data or os.environ.get("SOHOA_DATA")
        data = Path(chosen).expanduser() if chosen else default_data_dir()
        station = os.environ.get("SOHOA_STATION") or station_name()
        return cls(args, StoreSettings(data_dir=data.resolve(), station=station))

    @property
    def user_name(self) -> str:
        name = self.args.user or os.environ.get("SOHOA_USER")
        if not name:
            raise UsageError(say("cli.who", "Say who you are: --user NAME or SOHOA_USER."))
        return str(name)

    def login(self) -> Session:
        password = secrets.password(self.args.password_file)
        return open_session(self.settings, self.user_name, password)
