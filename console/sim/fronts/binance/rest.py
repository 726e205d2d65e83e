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

import msgspec
from aiohttp import web

from console.sim.candles import INTERVAL_MS
from console.sim.exchange import Credential, SimExchange
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
from console.sim.fronts.binance.wire import kline_row, num, symbol_info, trade_row
from console.sim.fronts.limits import WeightLimiter, Window
from console.sim.fronts.rest import MAX_BODY_BYTES, RestFront, body_text

log = logging.getLogger(__name__)

REQUEST_WEIGHT_PER_MINUTE = 6000
ORDERS_PER_10S = 100
ORDERS_PER_DAY = 200_000


WEIGHTS: dict[tuple[str, str], int] = {
    ("GET", "/api/v3/ping"): 1,
    ("GET", "/api/v3/time"): 1,
    ("GET", "/api/v3/exchangeInfo"): 20,
    ("GET", "/api/v3/trades"): 25,
    ("GET", "/api/v3/klines"): 2,
    ("POST", "/api/v3/order"): 1,
    ("DELETE", "/api/v3/order"): 1,
    ("GET", "/api/v3/order"): 4,
    ("DELETE", "/api/v3/openOrders"): 1,
    ("GET", "/api/v3/account"): 20,
}
DEPTH_WEIGHTS = [(100, 5), (500, 25), (1000, 50), (5000, 250)]


def request_weight(method: str, path: str, params: Params) -> int:
    if path == "/api/v3/depth":
        limit = _bounded(params, "limit", 100, 5000)
        return next(weight for top, weight in DEPTH_WEIGHTS if limit <= top)
    if path == "/api/v3/openOrders" and method == "GET":
        return 6 if "symbol" in params.values else 80
    return WEIGHTS.get((method, path), 1)


def rate_limits(weight_limit: int) -> list[dict[str, Any]]:
    return [
        {
            "rateLimitType": "REQUEST_WEIGHT",
            "interval": "MINUTE",
            "intervalNum": 1,
            "limit": weight_limit,
        },
        {
            "rateLimitType": "ORDERS",
            "interval": "SECOND",
            "intervalNum": 10,
            "limit": ORDERS_PER_10S,
        },
        {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": ORDERS_PER_DAY},
        {"rateLimitType": "RAW_REQUESTS", "interval": "MINUTE", "intervalNum": 5, "limit": 300_000},
    ]


def _bounded(params: Params, name: str, default: int, most: int) -> int:
    value = params.integer(name, default)
    assert value is not None
    return max(1, min(value, most))


Handler = Callable[[web.Request, Params, dict[str, str]], Awaitable[Any]]
"""An endpoint: the request, its parameters, and response headers it may add to."""


class BinanceWords:
    """How Binance words what every simulated REST front does (`console.sim.fronts.rest`)."""

    def weight(self, request: web.Request, params: Params) -> int:
        return request_weight(request.method, request.path, params)

    def usage_headers(self, used: int) -> dict[str, str]:
        return {"X-MBX-USED-WEIGHT-1M": str(used)}

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
        self, exchange: SimExchange, orders: Orders, weight_limit: int = REQUEST_WEIGHT_PER_MINUTE
    ) -> None:
        super().__init__(exchange, BinanceWords(), weight_limit)
        self.orders = orders
        self.order_windows: dict[str, tuple[Window, Window]] = {}

    def routes(self) -> list[web.RouteDef]:
        public: dict[tuple[str, str], Handler] = {
            ("GET", "/api/v3/ping"): self.ping,
            ("GET", "/api/v3/time"): self.time,
            ("GET", "/api/v3/exchangeInfo"): self.exchange_info,
            ("GET", "/api/v3/depth"): self.depth,
            ("GET", "/api/v3/trades"): self.trades,
            ("GET", "/api/v3/klines"): self.klines,
        }
        signed: dict[tuple[str, str], Callable[[Credential, Params], Any]] = {
            ("POST", "/api/v3/order"): lambda c, p: self.orders.place(c.account, p),
            ("DELETE", "/api/v3/order"): lambda c, p: self.orders.cancel(c.account, p),
            ("GET", "/api/v3/order"): lambda c, p: self.orders.status(c.account, p),
            ("GET", "/api/v3/openOrders"): lambda c, p: self.orders.open_orders(c.account, p),
            ("DELETE", "/api/v3/openOrders"): lambda c, p: self.orders.cancel_all(c.account, p),
            ("GET", "/api/v3/account"): lambda c, p: self.orders.account(c.account),
        }
        defs = [web.route(m, path, self.endpoint(h)) for (m, path), h in public.items()]
        defs += [
            web.route(m, path, self.endpoint(self._signed(h))) for (m, path), h in signed.items()
        ]
        return defs

    def _signed(self, action: Callable[[Credential, Params], Any]) -> Handler:
        async def handler(request: web.Request, params: Params, headers: dict[str, str]) -> Any:
            credential = find_credential(
                self.exchange.credentials, request.headers.get("X-MBX-APIKEY")
            )
            check_timestamp(params, self.exchange.clock())
            raw_body = await binance_body(request)
            payload, signature = rest_payload(request.rel_url.raw_query_string, raw_body)
            check_signature(credential, payload, signature)
            if request.method == "POST" and request.path == "/api/v3/order":
                headers.update(self._count_order(credential.account))
            return action(credential, params)

        return handler

    def _count_order(self, account: str) -> dict[str, str]:
        """Spend one new order from the account's windows; their counts go in the headers."""
        windows = self.order_windows.get(account)
        if windows is None:
            windows = self.order_windows[account] = (
                Window(ORDERS_PER_10S, 10_000),
                Window(ORDERS_PER_DAY, 86_400_000),
            )
        now = self.exchange.clock()
        for window, label in zip(windows, ("10 SECOND", "1 DAY"), strict=True):
            window.roll(now)
            if window.used >= window.limit:
                raise BinanceError(
                    429,
                    -1015,
                    f"Too many new orders; current limit is {window.limit} orders per {label}.",
                )
        for window in windows:
            window.used += 1
        ten_seconds, day = windows
        return {
            "X-MBX-ORDER-COUNT-10S": str(ten_seconds.used),
            "X-MBX-ORDER-COUNT-1D": str(day.used),
        }

    # -- market data -------------------------------------------------------------------------

    async def ping(self, request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        return {}

    async def time(self, request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        return {"serverTime": self.exchange.clock()}

    async def exchange_info(
        self, request: web.Request, params: Params, headers: dict[str, str]
    ) -> Any:
        books = self.exchange.engine.books
        wanted = list(books)
        if (symbol := params.get("symbol")) is not None:
            wanted = [symbol]
        elif (symbols := params.get("symbols")) is not None:
            try:
                wanted = msgspec.json.decode(symbols, type=list[str])
            except msgspec.DecodeError:
                raise bad(-1100, "Illegal characters found in parameter 'symbols'.") from None
        if any(s not in books for s in wanted):
            raise bad(-1121, "Invalid symbol.")
        return {
            "timezone": "UTC",
            "serverTime": self.exchange.clock(),
            "rateLimits": rate_limits(self.weight_limit),
            "exchangeFilters": [],
            "symbols": [symbol_info(books[s].instrument) for s in wanted],
        }

    def _book(self, params: Params) -> Any:
        book = self.exchange.engine.books.get(params.required("symbol"))
        if book is None:
            raise bad(-1121, "Invalid symbol.")
        return book

    async def depth(self, request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        l2 = self._book(params).l2
        limit = _bounded(params, "limit", 100, 5000)
        prices, sizes = l2.prices.value, l2.sizes.value
        return {
            "lastUpdateId": l2.last_update_id,
            "bids": [[num(prices(t)), num(sizes(q))] for t, q in l2.bids.top(limit)],
            "asks": [[num(prices(t)), num(sizes(q))] for t, q in l2.asks.top(limit)],
        }

    async def trades(self, request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        symbol = self._book(params).instrument.symbol
        limit = _bounded(params, "limit", 500, 1000)
        tape = list(self.exchange.tapes[symbol])[-limit:]
        return [trade_row(t) for t in tape]

    async def klines(self, request: web.Request, params: Params, headers: dict[str, str]) -> Any:
        symbol = self._book(params).instrument.symbol
        interval = params.required("interval")
        if interval not in INTERVAL_MS:
            raise bad(-1120, "Invalid interval.")
        limit = _bounded(params, "limit", 500, 1000)
        start, end = params.integer("startTime"), params.integer("endTime")
        self.exchange.candles.current(symbol, interval, self.exchange.clock())
        bars = [
            b
            for b in self.exchange.candles.bars(symbol, interval)
            if (start is None or b.open_ms >= start) and (end is None or b.open_ms <= end)
        ]
        bars = bars[:limit] if start is not None else bars[-limit:]
        return [kline_row(b, INTERVAL_MS[interval]) for b in bars]


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
