"""HTTP to the warehouse: address policy, TLS, error classes, backoff, bandwidth limit.

- TLS verification is always on: the site's CA bundle if one is set, else the
  system's trust store. ``http://`` is refused except to a loopback address
  (tests and the local demo), so a typo cannot send dossiers in clear text.
  A TLS failure is a :class:`TlsFailure`, named as such and never retried:
  waiting does not make a certificate trusted, only IT can.
- The station credential goes only to the enrolled origin (scheme, host, port):
  a redirect, or a ``Location`` naming another origin, is a :class:`ForeignOrigin`
  before any byte is sent there; redirects are never followed.
- Every failure becomes a :class:`WarehouseError` that says whether trying
  again can help (``transient``) and how long the server asked us to wait.
- :class:`Backoff` is exponential with full jitter, so forty wards coming back
  online after a city-wide outage do not all knock at the same second.
"""

from __future__ import annotations

import ipaddress
import random
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlparse

import requests

from store.errors import BadInput, ExitCode, NetworkError
from store.messages import Message, say
from sync.settings import SyncSettings

# Statuses worth trying again: the server is busy, restarting or overloaded.
TRANSIENT_STATUS = frozenset({408, 423, 425, 429, 460, 500, 502, 503, 504})


class WarehouseError(NetworkError):
    """A request to the warehouse failed; ``transient`` says whether a retry can help."""

    def __init__(self, message: str | Message, *, status: int | None = None, transient: bool = True,
                 retry_after: float | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.transient = transient
        self.retry_after = retry_after
        self.offset = offset  # Upload-Offset the server sent with the error, if any


class Unauthorized(WarehouseError):
    """401/403: the station is not (or no longer) enrolled; nothing will work until it is."""


class UploadGone(WarehouseError):
    """The warehouse no longer has this upload: send the package again from byte 0."""


class Rejected(WarehouseError):
    """The warehouse refused the package itself (invalid, or another package for the dossier)."""


class TlsFailure(WarehouseError):
    """The TLS connection failed (untrusted, expired or misnamed certificate, broken
    handshake). Not transient: the supervisor must see it, IT must fix it."""

    code = "sync.tls"
    exit_code = ExitCode.TLS


class ForeignOrigin(WarehouseError):
    """The warehouse pointed the station elsewhere (a redirect, a Location on another
    origin); the credential is never sent there."""

    code = "sync.foreign_origin"


class Stopped(Exception):
    """The run was paused or cancelled; the row stays where it is and resumes next time."""


def check_url(url: str) -> str:
    """https:// anywhere; http:// only to this machine."""
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise BadInput(say("sync.url_not_https",
                           "The warehouse address must be an https:// URL (got {url!r}).",
                           url=url))
    if parsed.scheme == "http" and not is_loopback(parsed.hostname):
        raise BadInput(say("sync.plain_http",
                           "Plain http:// is refused: the warehouse must use https:// (http is "
                           "allowed only to this machine, for tests)."))
    return url.rstrip("/")


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL, the port filled in from the scheme."""
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed.scheme.lower(), (parsed.hostname or "").lower(), port


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Backoff:
    """Exponential backoff with full jitter; a server's Retry-After wins (capped)."""

    base: float
    cap: float
    retry_after_cap: float
    rng: random.Random

    @classmethod
    def from_settings(cls, settings: SyncSettings, rng: random.Random) -> Backoff:
        return cls(settings.backoff_base, settings.backoff_cap, settings.retry_after_cap, rng)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap) + self.rng.uniform(0, self.base / 4)
        return self.rng.uniform(0, min(self.cap, self.base * 2 ** max(0, attempt - 1)))


class TokenBucket:
    """A bandwidth limit shared by every upload of a run (bytes per second)."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        self.rate = rate
        self.capacity = burst if burst is not None else max(rate / 4, 16 * 1024)
        self._tokens = self.capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def take(self, amount: int) -> None:
        """Block until ``amount`` bytes may be sent."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.capacity,
                                   self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= amount or self._tokens >= self.capacity:
                    self._tokens -= amount
                    return
                wait = (amount - self._tokens) / self.rate
            time.sleep(min(wait, 0.25))


class ThrottledBody:
    """A request body that asks the bucket before each piece (``len`` gives Content-Length)."""

    PIECE = 16 * 1024

    def __init__(self, data: bytes, bucket: TokenBucket, stop: threading.Event) -> None:
        self._data = data
        self._bucket = bucket
        self._stop = stop

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[bytes]:
        view = memoryview(self._data)
        for start in range(0, len(view), self.PIECE):
            if self._stop.is_set():
                raise Stopped()
            piece = view[start:start + self.PIECE]
            self._bucket.take(len(piece))
            yield bytes(piece)


class Http:
    """One station's requests to one warehouse (one per worker thread: requests.Session
    is not shared between threads)."""

    def __init__(self, base_url: str, settings: SyncSettings, *,
                 credential: str | None = None) -> None:
        self.base_url = check_url(base_url)
        self.settings = settings
        self.session = requests.Session()
        # The environment's proxy is looked up once, not on every request (that alone
        # costs a millisecond per chunk); TLS trust is passed on every request, since a
        # session-level value would lose to REQUESTS_CA_BUNDLE.
        self.session.proxies = dict(requests.utils.get_environ_proxies(self.base_url))
        self.session.trust_env = False
        self.verify: str | bool = settings.ca_bundle or True
        self.session.headers["User-Agent"] = settings.user_agent
        if credential:
            self.session.headers["Authorization"] = f"Bearer {credential}"

    def close(self) -> None:
        self.session.close()

    def url(self, path: str) -> str:
        """The absolute URL of ``path``; ForeignOrigin if it is not on the enrolled origin."""
        url = path if "://" in path or path.startswith("//") else self.base_url + path
        if path.startswith("//"):
            url = urljoin(self.base_url, path)
        if origin(url) != origin(self.base_url):
            raise ForeignOrigin(
                say("sync.foreign_origin",
                    "[{code}] The warehouse sent this station to {url}, not to {base_url} where "
                    "it enrolled: nothing was sent there. Tell IT; if the warehouse really moved, "
                    "an admin enrols again.",
                    code=ForeignOrigin.code, url=_where(url), base_url=_where(self.base_url)),
                transient=False)
        return url

    def request(self, method: str, path: str, *, ok: tuple[int, ...] = (200,),
                headers: Mapping[str, str] | None = None, **kwargs: Any) -> requests.Response:
        url = self.url(path)
        check_url(url)
        try:
            response = self.session.request(
                method, url, headers=dict(headers or {}), allow_redirects=False,
                verify=self.verify,
                timeout=(self.settings.connect_timeout, self.settings.read_timeout), **kwargs)
        except requests.exceptions.SSLError as exc:
            raise TlsFailure(
                say("sync.tls",
                    "[{code}] TLS with the warehouse failed ({reason}): IT checks its certificate "
                    "or sets the site's CA bundle (`sohoa site set ca_bundle FILE`).",
                    code=TlsFailure.code, reason=tls_reason(exc)), transient=False) from exc
        except (requests.RequestException, OSError) as exc:
            raise WarehouseError(say("sync.unreachable",
                                     "The warehouse cannot be reached ({kind}).",
                                     kind=type(exc).__name__),
                                 transient=True) from exc
        if response.status_code in ok:
            return response
        if 300 <= response.status_code < 400:
            target = urljoin(url, response.headers.get("Location", ""))
            self.url(target)  # ForeignOrigin when it points elsewhere
            raise ForeignOrigin(say("sync.foreign_origin_redirect",
                                    "[{code}] The warehouse redirected {method} {path} "
                                    "({status_code}); redirects are not followed.",
                                    code=ForeignOrigin.code, method=method, path=urlparse(url).path,
                                    status_code=response.status_code), status=response.status_code,
                                transient=False)
        raise classify(response)


def _where(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


def tls_reason(exc: BaseException) -> str:
    """The TLS library's own words (``self-signed certificate``, ``certificate has expired``,
    ``Hostname mismatch``...), found in the chain of causes."""
    seen: set[int] = set()
    todo: list[Any] = [exc]
    while todo:
        item = todo.pop(0)
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, ssl.SSLCertVerificationError) and item.verify_message:
            return str(item.verify_message)
        if isinstance(item, ssl.SSLError) and item.reason:
            return str(item.reason).replace("_", " ").lower()
        todo += [*getattr(item, "args", ()), getattr(item, "reason", None),
                 item.__cause__ if isinstance(item, BaseException) else None,
                 item.__context__ if isinstance(item, BaseException) else None]
    return "the certificate is not trusted"


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _message(response: requests.Response) -> str:
    return str(_body(response).get("error") or response.reason or "error")[:300]


def classify(response: requests.Response) -> WarehouseError:
    status = response.status_code
    text = say("sync.warehouse_answered", "The warehouse answered {status}: {reason}",
               status=status, reason=_message(response))
    offset_header = response.headers.get("Upload-Offset")
    offset = int(offset_header) if offset_header and offset_header.isdigit() else None
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 403 and _body(response).get("code") == "dossier_not_allowed":
        # this dossier only (its code is of another agency): the others can still go
        return Rejected(text, status=status, transient=False)
    if status in (401, 403):
        return Unauthorized(text, status=status, transient=False)
    if status in (404, 410):
        return UploadGone(text, status=status, transient=False)
    if status == 422:
        return Rejected(text, status=status, transient=False)
    return WarehouseError(text, status=status, transient=status in TRANSIENT_STATUS,
                          retry_after=retry_after, offset=offset)
