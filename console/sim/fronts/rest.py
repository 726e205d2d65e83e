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
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import msgspec
from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.limits import WeightLimiter, Window

log = logging.getLogger(__name__)

CHAOS_BAN_MS = 2_000
MAX_BODY_BYTES = 1 << 20


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
