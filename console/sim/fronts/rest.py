"""The REST middleware every simulated dialect shares, in the dialect's own words.

Each request: held while the venue is dark, delayed by injected latency, weighed against
its client address's window (429, then a 418 ban, both with Retry-After; injected 418s and
429s too), failed by an injected 5xx, then served; a refusal raised by the endpoint
(`FrontError`) and any fault of the simulator's own answer in the dialect's error shape,
never as a traceback. What differs per venue is a `RestWords`: the weight of a request,
the usage headers, how a refusal, an injected failure and an answer look on the wire.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import msgspec
from aiohttp import web
from aiohttp.typedefs import Middleware

from console.sim.exchange import SimExchange
from console.sim.fronts.limits import WeightLimiter, Window

log = logging.getLogger(__name__)

CHAOS_BAN_MS = 2_000
MAX_BODY_BYTES = 1 << 20
MAX_HEADER_BYTES = 8192
"""The longest header value a front takes, as the venues' own front ends do."""


def overlong_header(request: web.Request) -> str | None:
    """The name of a header longer than a front takes, or None."""
    return next(
        (name for name, value in request.headers.items() if len(value) > MAX_HEADER_BYTES), None
    )


class FrontError(Exception):
    """A refusal as the venue words it: an HTTP status and the body the venue sends."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.payload = body
        super().__init__(f"{status} {body}")

    def body(self) -> dict[str, Any]:
        return self.payload


class RestWords(Protocol):
    def weight(self, request: web.Request, params: Any) -> int: ...

    def window(self, request: web.Request, params: Any) -> tuple[str, int, int] | None:
        """Who a request counts against, that window's limit and length (ms), where the
        venue limits by endpoint or by key; None: the client address's weight window."""

    def usage_headers(self, limiter: WeightLimiter, now_ms: int) -> dict[str, str]: ...

    def over_limit(self, status: int, limiter: WeightLimiter, limit: int) -> FrontError:
        """The 429 (over the window) or 418 (banned) answer."""

    def internal_error(self) -> FrontError:
        """An injected 5xx: the venue's own failure, nothing done."""

    def unexpected(self) -> FrontError:
        """The answer when the simulator itself fails."""

    def answer(self, result: Any) -> Any:
        """A success on the wire (bare, or in the venue's envelope)."""

    async def params(self, request: web.Request) -> Any:
        """The request's parameters, refusing malformed ones with a `FrontError`."""


class Params:
    """A request's parameters: its query and a JSON body's fields (the body's win), read
    the same way by every dialect and refused in the dialect's words (`missing`, `bad`)."""

    def __init__(self, query: Mapping[str, str], body: Any) -> None:
        self.query = dict(query)
        self.body: dict[str, Any] = body if isinstance(body, dict) else {}

    def missing(self, name: str) -> FrontError:
        raise NotImplementedError

    def bad(self, name: str, low: int | None = None, high: int | None = None) -> FrontError:
        """A value that is not what `name` takes (with its range, for a number out of it)."""
        raise NotImplementedError

    def raw(self, name: str) -> Any:
        return self.body.get(name, self.query.get(name))

    def get(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None or value == "":
            return None
        return str(value)

    def required(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise self.missing(name)
        return value

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        text = self.get(name)
        if text is None:
            return default
        try:
            value = int(text)
        except ValueError:
            raise self.bad(name) from None
        if not low <= value <= high:
            raise self.bad(name, low, high)
        return value

    def decimal(self, name: str) -> Decimal | None:
        """A positive, finite number, or None when absent."""
        text = self.get(name)
        if text is None:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise self.bad(name) from None
        if not value.is_finite() or value <= 0:
            raise self.bad(name)
        return value


Endpoint = Callable[[web.Request, Any, dict[str, str]], Awaitable[Any]]
"""An endpoint: the request, its parameters, and response headers it may add to."""


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        body=msgspec.json.encode(body),
        status=status,
        headers=headers,
        content_type="application/json",
    )


class RestFront:
    def __init__(self, exchange: SimExchange, words: RestWords, weight_limit: int) -> None:
        self.exchange = exchange
        self.words = words
        self.weight_limit = weight_limit
        self.limiters: dict[str, WeightLimiter] = {}

    def limiter_for(
        self, key: str, limit: int | None = None, interval_ms: int = 60_000
    ) -> WeightLimiter:
        """The budget of a client address (by default its weight a minute, shared by REST
        and socket requests) or of whatever else the venue counts by."""
        limiter = self.limiters.get(key)
        if limiter is None:
            window = Window(limit or self.weight_limit, interval_ms)
            limiter = self.limiters[key] = WeightLimiter(window)
        return limiter

    def endpoint(self, handler: Endpoint) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            return await self._serve(request, handler)

        return serve

    async def _serve(self, request: web.Request, handler: Endpoint) -> web.Response:
        chaos, words = self.exchange.chaos, self.words
        await chaos.until_light()
        if chaos.latency:
            await asyncio.sleep(chaos.latency / 1000)
        now = self.exchange.clock()
        try:
            params = await words.params(request)
            window = words.window(request, params)
            limiter = (
                self.limiter_for(request.remote or "")
                if window is None
                else self.limiter_for(*window)
            )
            if chaos.happens("http_418"):
                limiter.banned_until_ms = now + CHAOS_BAN_MS
            allowance = limiter.spend(words.weight(request, params), now)
            headers = words.usage_headers(limiter, now)
            if allowance.status == 200 and chaos.happens("http_429"):
                allowance.status, allowance.retry_after_s = 429, 1
            if allowance.status != 200:
                headers["Retry-After"] = str(allowance.retry_after_s)
                refusal = words.over_limit(allowance.status, limiter, self.weight_limit)
                return json_response(refusal.body(), allowance.status, headers)
            if chaos.happens("http_5xx"):
                failure = words.internal_error()
                return json_response(failure.body(), failure.status, headers)
            result = await handler(request, params, headers)
            return json_response(words.answer(result), 200, headers)
        except FrontError as error:
            return json_response(error.body(), error.status)
        except Exception:
            log.exception("simulator fault serving %s %s", request.method, request.path)
            failure = words.unexpected()
            return json_response(failure.body(), failure.status)


async def body_text(request: web.Request, too_large: FrontError, not_text: FrontError) -> str:
    """The request body as text, or the dialect's refusal when it is too large or not UTF-8."""
    if request.method == "GET":
        return ""
    try:
        return (await request.read()).decode("utf-8")
    except web.HTTPRequestEntityTooLarge:
        raise too_large from None
    except UnicodeDecodeError:
        raise not_text from None


def json_errors(
    unserved: Callable[[str], FrontError], refused: Callable[[str], FrontError]
) -> Middleware:
    """What refuses a request before an endpoint reads it (a path that does not exist, a
    method it does not take, a malformed request) answers in the dialect's JSON, never in
    text: `unserved` words a path or method it does not serve, `refused` the rest."""

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        header = overlong_header(request)
        if header is not None:
            return json_response(
                refused(f"header {header} over {MAX_HEADER_BYTES} bytes").body(), 431
            )
        try:
            return await handler(request)
        except (web.HTTPNotFound, web.HTTPMethodNotAllowed) as error:
            what = f"{request.method} {request.path[:200]}"
            return json_response(unserved(what).body(), error.status)
        except web.HTTPClientError as error:
            return json_response(refused(error.reason).body(), error.status)

    return middleware
