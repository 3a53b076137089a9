"""Fault injection (``serve --chaos SEED``): the failures a ward's link really produces.

An ASGI middleware in front of the warehouse. The n-th request the process
receives gets a fault drawn from ``Random(f"{seed}:{n}")``, so a seed replays
the same sequence of faults (the requests they land on depend on the client's
timing, which is the point). Faults:

- ``drop_body``: read part of a PATCH/PUT body, then cut the connection;
- ``drop_response``: do the work, then cut the connection instead of answering
  (the answer to a PATCH or a commit is lost);
- ``503``/``429`` with ``Retry-After``, and ``500``;
- ``stall``: sit on the request for a while before handling it.

Health checks and enrolment are left alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass

from warehouse.app import Message, Receive, Scope, Send, WarehouseApp

EXEMPT = ("/v1/health", "/v1/enrol", "/v1/key")
KINDS = ("drop_body", "drop_response", "503", "429", "500", "stall")


@dataclass(frozen=True)
class ChaosSettings:
    seed: int
    rate: float = 0.2          # share of requests that get a fault
    stall_seconds: float = 2.0
    retry_after: int = 1


@dataclass(frozen=True)
class Fault:
    kind: str
    fraction: float = 0.5  # where in the body a drop_body cuts


class ChaosDrop(Exception):
    """Raised into the application to make it abandon a request body."""


class _QuietDrops(logging.Filter):
    """uvicorn logs each connection we cut on purpose as an error; say it once, plainly."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "without completing response" in record.getMessage():
            record.msg, record.args, record.levelno = "chaos: connection cut", (), logging.INFO
            record.levelname = "INFO"
        return True


class Chaos:
    def __init__(self, app: WarehouseApp, settings: ChaosSettings) -> None:
        self.app = app
        self.settings = settings
        self.count = 0
        logging.getLogger("uvicorn.error").addFilter(_QuietDrops())

    def plan(self, n: int, method: str) -> Fault:
        rng = random.Random(f"{self.settings.seed}:{n}")
        if rng.random() >= self.settings.rate:
            return Fault("none")
        kind = rng.choice(KINDS)
        if kind == "drop_body" and method not in ("PATCH", "PUT"):
            kind = "drop_response"
        return Fault(kind, 0.05 + 0.9 * rng.random())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            await self.app(scope, receive, send)
            return
        self.count += 1
        fault = self.plan(self.count, str(scope["method"]))
        if fault.kind in ("503", "429", "500"):
            await self._status(send, int(fault.kind))
        elif fault.kind == "stall":
            await asyncio.sleep(self.settings.stall_seconds)
            await self.app(scope, receive, send)
        elif fault.kind == "drop_body":
            await self._drop_body(scope, receive, send, fault.fraction)
        elif fault.kind == "drop_response":
            await self.app(scope, receive, _swallow)
            await _cut(send)
        else:
            await self.app(scope, receive, send)

    async def _status(self, send: Send, status: int) -> None:
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        if status in (429, 503):
            headers.append((b"retry-after", str(self.settings.retry_after).encode()))
        body = b'{"error": "chaos"}'
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _drop_body(
        self, scope: Scope, receive: Receive, send: Send, fraction: float
    ) -> None:
        headers = dict(scope.get("headers", []))
        length = int(headers.get(b"content-length", b"0") or 0)
        cut = max(1, int(length * fraction))
        seen = 0
        dropped = False

        async def partial() -> Message:
            nonlocal seen, dropped
            if dropped:
                raise ChaosDrop()
            message = await receive()
            body = message.get("body", b"")
            if message["type"] == "http.request" and seen + len(body) >= cut:
                dropped = True
                part, seen = body[: cut - seen], cut
                return {"type": "http.request", "body": part, "more_body": True}
            seen += len(body)
            return message

        with contextlib.suppress(ChaosDrop):
            await self.app(scope, partial, _swallow if length else send)
        if dropped:
            await _cut(send)


async def _swallow(message: Message) -> None:
    return None


async def _cut(send: Send) -> None:
    """Start a response and never finish it: uvicorn then closes the connection."""
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"connection", b"close")]})
