"""Binance spot REST API of the simulator (`/api/v3/...`).

Weights, limits and codes are Binance's published ones (rest-api.md, errors.md), in
Binance's words for the middleware every dialect shares (`console.sim.fronts.rest`):
parameters from query and body (the query wins), order-count windows with their headers,
errors in Binance's `{"code", "msg"}` form.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.binance.catalogue import (
    UNSUPPORTED,
    Operation,
    operations,
    unsupported_answer,
)
from console.sim.fronts.binance.market_data import MarketData
from console.sim.fronts.binance.orders import Orders
from console.sim.fronts.binance.requests import (
    BinanceError,
    Params,
    bad,
    check_signature,
    check_timestamp,
    find_credential,
    rest_payload,
)
from console.sim.fronts.binance.wire import REQUEST_WEIGHT_PER_MINUTE
from console.sim.fronts.limits import WeightLimiter
from console.sim.fronts.rest import MAX_BODY_BYTES, RestFront, body_text

log = logging.getLogger(__name__)

WeightOf = Callable[[Params], int]


Handler = Callable[[web.Request, Params, dict[str, str]], Awaitable[Any]]
"""An endpoint: the request, its parameters, and response headers it may add to."""


class BinanceWords:
    """How Binance words what every simulated REST front does (`console.sim.fronts.rest`)."""

    def __init__(self, weights: dict[tuple[str, str], WeightOf]) -> None:
        self.weights = weights

    def weight(self, request: web.Request, params: Params) -> int:
        weight = self.weights.get((request.method, request.path))
        return weight(params) if weight is not None else 1

    def window(self, request: web.Request, params: Params) -> None:
        return None  # Binance weighs every request of an address against one window

    def usage_headers(self, limiter: WeightLimiter, now_ms: int) -> dict[str, str]:
        return {"X-MBX-USED-WEIGHT-1M": str(limiter.window.used)}

    def over_limit(self, status: int, limiter: WeightLimiter, limit: int) -> BinanceError:
        if status == 418:
            return BinanceError(
                418,
                -1003,
                "Way too much request weight used; IP banned until "
                f"{limiter.banned_until_ms}. Please use WebSocket Streams for live updates "
                "to avoid bans.",
            )
        return BinanceError(
            429,
            -1003,
            f"Too much request weight used; current limit is {limit} request weight per 1 "
            "MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
        )

    def internal_error(self) -> BinanceError:
        return BinanceError(
            503, -1001, "Internal error; unable to process your request. Please try again."
        )

    def unexpected(self) -> BinanceError:
        return BinanceError(500, -1000, "An unknown error occurred while processing the request.")

    def answer(self, result: Any) -> Any:
        return result  # Binance answers bare; errors come with an error status

    async def params(self, request: web.Request) -> Params:
        """Query and body parameters (the query wins), each name once."""
        query = _pairs(request.rel_url.raw_query_string)
        body = _pairs(await binance_body(request))
        return Params({**body, **query})


class BinanceRestFront(RestFront):
    def __init__(
        self,
        exchange: SimExchange,
        orders: Orders,
        market: MarketData,
        weight_limit: int = REQUEST_WEIGHT_PER_MINUTE,
    ) -> None:
        self.operations = [op for op in operations(market, orders) if op.rest is not None]
        weights = {op.rest: op.weight for op in self.operations if op.rest is not None}
        super().__init__(exchange, BinanceWords(weights), weight_limit)
        self.orders = orders

    def routes(self) -> list[web.RouteDef]:
        defs = [
            web.route(op.rest[0], op.rest[1], self.endpoint(self._handler(op)))
            for op in self.operations
            if op.rest is not None
        ]
        for name in UNSUPPORTED:
            method, _, path = name.partition(" ")
            if path:
                defs.append(web.route(method, path, self.endpoint(_refuse(name))))
        return defs

    def _handler(self, op: Operation) -> Handler:
        async def handler(request: web.Request, params: Params, headers: dict[str, str]) -> Any:
            if not op.signed:
                return op.run("", params)
            credential = find_credential(
                self.exchange.credentials, request.headers.get("X-MBX-APIKEY")
            )
            check_timestamp(params, self.exchange.clock())
            raw_body = await binance_body(request)
            payload, signature = rest_payload(request.rel_url.raw_query_string, raw_body)
            check_signature(credential, payload, signature)
            if op.new_order:
                headers.update(self.orders.count_order(credential.account))
            return op.run(credential.account, params)

        return handler


def _refuse(name: str) -> Handler:
    async def handler(request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        raise BinanceError(400, **unsupported_answer(name))

    return handler


async def binance_body(request: web.Request) -> str:
    return await body_text(
        request,
        BinanceError(413, -1101, f"Request body over {MAX_BODY_BYTES} bytes: too many parameters."),
        bad(-1100, "Illegal characters found in the request body: it is not UTF-8."),
    )


def _pairs(raw: str) -> dict[str, str]:
    pairs = parse_qsl(raw, keep_blank_values=True)
    values = dict(pairs)
    if len(values) != len(pairs):
        raise bad(-1101, "Duplicate values for a parameter detected.")
    return values
