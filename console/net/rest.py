"""One keep-alive HTTP client per venue, with the rules that keep orders safe.

- Reads (GET) are retried with full-jitter backoff on transport errors and 5XX.
- Nothing else is ever retried: a failure on a write that is not a definite answer leaves
  its outcome UNKNOWN (`console.errors.for_order`, the one rule, shared with WebSocket
  order entry) for the order manager to reconcile by client order id.
- The dialect maps every error answer, in a 2XX envelope or not; a `RateLimited` pauses
  the limiter for its Retry-After, a `Banned` blocks every request until the ban ends.
- Signed requests (orders, account, reconciliation) have priority in the limiter over
  market data, which leaves them a reserve.
- The venue's dialect signs requests, names each request's weight, reads the venue's own
  usage headers and maps error bodies into `console.errors`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import httpx
import msgspec

from console.errors import (
    Banned,
    ClockSkew,
    NetworkError,
    NotSent,
    RateLimited,
    UnknownStatus,
    VenueError,
    for_order,
)
from console.net.backoff import Backoff
from console.net.limiter import Limiter
from console.net.recorder import Recorder

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0


@dataclass
class Request:
    """A request before it is signed and sent; `params` keep their insertion order."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    signed: bool = False
    costs: dict[str, int] = field(default_factory=dict)
    """Limiter buckets this request spends from, with their weights."""
    is_order: bool = False
    """A write whose outcome matters: never retried, UNKNOWN when unanswered."""


@dataclass
class Prepared:
    url_query: str
    body: bytes | None
    headers: dict[str, str]


T = TypeVar("T")


class RestDialect(Protocol):
    def prepare(self, request: Request) -> Prepared:
        """Encode (and for signed requests, sign) a request as the venue wants it."""

    def error(self, status: int, body: bytes, retry_after: float) -> VenueError:
        """The venue's error answer as one of `console.errors` (429 as `RateLimited`, a ban
        as `Banned`, each carrying `retry_after`)."""

    def unwrap(self, body: bytes) -> bytes:
        """A 2XX answer's payload; raises the venue's error when its envelope holds one
        (Huobi's `{"status":"error"}`, WEEX's `{"code":"40001"}` inside HTTP 200)."""

    def observe(self, headers: Mapping[str, str], limiter: Limiter, request: Request) -> None:
        """Correct the limiter from the venue's usage headers for `request`."""


class RestClient:
    def __init__(
        self,
        base_url: str,
        dialect: RestDialect,
        limiter: Limiter,
        timeout: float = DEFAULT_TIMEOUT,
        read_retries: int = 3,
        backoff: Backoff | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        resync: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self.dialect = dialect
        self.resync = resync
        """Measures the venue's clock again, after it refused a timestamp."""
        self.limiter = limiter
        self.read_retries = read_retries
        self.recorder: Recorder | None = None
        """Where every request and its answer go too (`console.net.recorder`)."""
        self.backoff = backoff or Backoff(base=0.2, cap=5.0)
        self.http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": "trading-console"},
        )

    def use_transport(self, transport: httpx.AsyncBaseTransport) -> None:
        """Send through `transport` from now on (a replay answers from a recording)."""
        self.http = httpx.AsyncClient(
            base_url=self.http.base_url,
            timeout=self.http.timeout,
            transport=transport,
            headers=self.http.headers,
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def fetch(self, kind: type[T], request: Request) -> T:
        """Send, and decode the answer's payload as `kind` (a wrong shape is a decode
        error the caller sees, never a half-read answer)."""
        return msgspec.json.decode(await self.send(request), type=kind)

    async def send(self, request: Request) -> bytes:
        """Send and return the answer's payload, or raise one of `console.errors`. A
        refused timestamp (nothing was done) has the clock measured again and the request
        sent once more, an order included."""
        try:
            return await self._send_with_retries(request)
        except ClockSkew as error:
            if self.resync is None:
                raise
            log.warning("%s %s: %s; measuring the clock again", request.method, request.path, error)
            await self.resync()
            return await self._send_with_retries(request)

    async def _send_with_retries(self, request: Request) -> bytes:
        attempts = 1 + (self.read_retries if request.method == "GET" else 0)
        backoff = Backoff(self.backoff.base, self.backoff.cap, self.backoff.rng)
        for attempt in range(attempts):
            try:
                return await self._send_once(request)
            except NetworkError as error:
                if attempt == attempts - 1:
                    raise
                delay = backoff.next_delay()
                log.info("retrying %s %s in %.2fs: %s", request.method, request.path, delay, error)
                await self.limiter.sleep(delay)
        raise AssertionError("unreachable")

    async def _send_once(self, request: Request) -> bytes:
        try:
            return await self._exchange(request)
        except VenueError as failure:
            if isinstance(failure, RateLimited):
                self.limiter.pause(failure.retry_after)
            elif isinstance(failure, Banned):
                failure.until = self.limiter.ban(failure.until - time.time())
            raise for_order(failure) if request.is_order else failure from None

    async def _exchange(self, request: Request) -> bytes:
        await self.limiter.acquire(
            request.costs, wait=not request.is_order, priority=request.signed or request.is_order
        )
        prepared = self.dialect.prepare(request)
        url = request.path + (f"?{prepared.url_query}" if prepared.url_query else "")
        sent = time.monotonic_ns()
        try:
            answer = await self.http.request(
                request.method, url, content=prepared.body, headers=prepared.headers
            )
        except httpx.TransportError as error:
            if self.recorder is not None:
                why = f"{type(error).__name__}: {error}".encode()
                self.recorder.exchange(
                    request.method, url, prepared.body, 0, why, time.monotonic_ns() - sent
                )
            raise _transport_failure(error) from None
        if self.recorder is not None:
            self.recorder.exchange(
                request.method,
                url,
                prepared.body,
                answer.status_code,
                answer.content,
                time.monotonic_ns() - sent,
            )
        self.dialect.observe(answer.headers, self.limiter, request)
        status = answer.status_code
        if status >= 300:
            failure = self.dialect.error(status, answer.content, retry_after(answer.headers))
            if status >= 500 and not isinstance(failure, NetworkError | UnknownStatus):
                failure = NetworkError(failure.code, f"HTTP {status}: {failure.msg}")
            raise failure
        return self.dialect.unwrap(answer.content)


def _transport_failure(error: httpx.TransportError) -> VenueError:
    """A request that got no answer, in `console.errors`: refused at connect (never sent),
    no answer in time, or the line lost mid-request."""
    if isinstance(error, httpx.ConnectError):
        return NotSent(msg=f"cannot connect: {error}")
    if isinstance(error, httpx.TimeoutException):
        return NetworkError(msg="no answer before the timeout")
    return NetworkError(msg=f"connection lost mid-request: {error}")


def retry_after(headers: Mapping[str, str]) -> float:
    """Seconds to wait from a `Retry-After` header (1 when absent or unreadable)."""
    try:
        return max(1.0, float(headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0
