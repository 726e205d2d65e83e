"""One keep-alive HTTP client per venue, with the rules that keep orders safe.

- Reads (GET) are retried with full-jitter backoff on transport errors and 5XX.
- Nothing else is ever retried: a timeout or 5XX on a write leaves its outcome UNKNOWN
  (`UnknownStatus`) for the order manager to reconcile by client order id.
- 429 raises `RateLimited` and pauses the limiter; 418 raises `Banned` and blocks every
  request until the ban ends.
- Signed requests (orders, account, reconciliation) have priority in the limiter over
  market data, which leaves them a reserve.
- The venue's dialect signs requests, names each request's weight, reads the venue's own
  usage headers and maps error bodies into `console.errors`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from console.errors import Banned, NetworkError, RateLimited, UnknownStatus, VenueError
from console.net.backoff import Backoff
from console.net.limiter import Limiter

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


class RestDialect(Protocol):
    def prepare(self, request: Request) -> Prepared:
        """Encode (and for signed requests, sign) a request as the venue wants it."""

    def error(self, status: int, body: bytes, headers: Mapping[str, str]) -> VenueError:
        """The venue's error answer as one of `console.errors`."""

    def observe(self, headers: Mapping[str, str], limiter: Limiter) -> None:
        """Correct the limiter from the venue's usage headers."""


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
    ) -> None:
        self.dialect = dialect
        self.limiter = limiter
        self.read_retries = read_retries
        self.backoff = backoff or Backoff(base=0.2, cap=5.0)
        self.http = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": "trading-console"},
        )

    async def close(self) -> None:
        await self.http.aclose()

    async def send(self, request: Request) -> bytes:
        """Send and return the answer body, or raise one of `console.errors`."""
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
        await self.limiter.acquire(
            request.costs, wait=not request.is_order, priority=request.signed or request.is_order
        )
        prepared = self.dialect.prepare(request)
        url = request.path + (f"?{prepared.url_query}" if prepared.url_query else "")
        try:
            answer = await self.http.request(
                request.method, url, content=prepared.body, headers=prepared.headers
            )
        except httpx.TimeoutException:
            if request.is_order:
                raise UnknownStatus(
                    msg="no answer before the timeout; the venue may have acted"
                ) from None
            raise NetworkError(msg="timed out") from None
        except httpx.TransportError as error:
            if request.is_order and not isinstance(error, httpx.ConnectError):
                raise UnknownStatus(msg=f"connection lost mid-request: {error}") from None
            raise NetworkError(msg=f"{type(error).__name__}: {error}") from None
        self.dialect.observe(answer.headers, self.limiter)
        status = answer.status_code
        if status == 429:
            retry_after = _retry_after(answer.headers)
            self.limiter.pause(retry_after)
            raise RateLimited(
                retry_after, *_code_msg(self.dialect.error(status, answer.content, answer.headers))
            )
        if status == 418:
            until = self.limiter.ban(_retry_after(answer.headers))
            raise Banned(
                until, *_code_msg(self.dialect.error(status, answer.content, answer.headers))
            )
        if status >= 500:
            failure = self.dialect.error(status, answer.content, answer.headers)
            if request.is_order:
                raise UnknownStatus(failure.code, f"HTTP {status}: {failure.msg}")
            raise NetworkError(failure.code, f"HTTP {status}: {failure.msg}")
        if status >= 400:
            failure = self.dialect.error(status, answer.content, answer.headers)
            if isinstance(failure, NetworkError) and request.is_order:
                raise UnknownStatus(failure.code, failure.msg)
            raise failure
        return answer.content


def _retry_after(headers: Mapping[str, str]) -> float:
    try:
        return max(1.0, float(headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0


def _code_msg(error: VenueError) -> tuple[int | str | None, str]:
    return error.code, error.msg
