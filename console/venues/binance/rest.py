"""Binance spot REST: the error table, request weights, signing and typed endpoint calls.

Sources: `../shared/seeds/binance-rest-general.txt` (HTTP codes, headers, security types)
and VENUES.md §1.1, §4.1, §6 (signing, weights, error codes, order-safety rules).
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import msgspec

from console.errors import (
    AuthError,
    Banned,
    ClockSkew,
    InsufficientFunds,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    PermissionDenied,
    UnknownStatus,
    VenueError,
    refusal,
)
from console.net.clock import TimeSync
from console.net.limiter import Limiter, TokenBucket
from console.net.rest import Prepared, Request, RestClient
from console.venues.binance import schemas
from console.venues.binance.signing import Signer, rest_query, signed_rest_query

# -- the venue's published rules, as data --------------------------------------------------

ERRORS: dict[int, type[VenueError]] = {
    -1000: UnknownStatus,  # UNKNOWN: an unknown error occurred while processing the request
    -1001: NetworkError,  # DISCONNECTED: internal error; try again
    -1002: AuthError,  # UNAUTHORIZED
    -1006: UnknownStatus,  # UNEXPECTED_RESP: execution status unknown
    -1007: UnknownStatus,  # TIMEOUT: send status unknown; execution status unknown
    -1008: NetworkError,  # SERVER_BUSY
    -1013: InvalidOrder,  # INVALID_MESSAGE: refused by the API, e.g. a filter failure
    -1014: InvalidOrder,  # UNKNOWN_ORDER_COMPOSITION
    -1016: NetworkError,  # SERVICE_SHUTTING_DOWN
    -1020: InvalidOrder,  # UNSUPPORTED_OPERATION
    -1021: ClockSkew,  # INVALID_TIMESTAMP: outside recvWindow or ahead of server time
    -1022: AuthError,  # INVALID_SIGNATURE
    -1100: InvalidOrder,  # ILLEGAL_CHARS
    -1101: InvalidOrder,  # TOO_MANY_PARAMETERS / duplicate values
    -1102: InvalidOrder,  # MANDATORY_PARAM_EMPTY_OR_MALFORMED
    -1103: InvalidOrder,  # UNKNOWN_PARAM
    -1104: InvalidOrder,  # UNREAD_PARAMETERS
    -1105: InvalidOrder,  # PARAM_EMPTY
    -1106: InvalidOrder,  # PARAM_NOT_REQUIRED
    -1111: InvalidOrder,  # BAD_PRECISION
    -1114: InvalidOrder,  # TIF_NOT_REQUIRED
    -1115: InvalidOrder,  # INVALID_TIF
    -1116: InvalidOrder,  # INVALID_ORDER_TYPE
    -1117: InvalidOrder,  # INVALID_SIDE
    -1118: InvalidOrder,  # EMPTY_NEW_CL_ORD_ID
    -1119: InvalidOrder,  # EMPTY_ORG_CL_ORD_ID
    -1120: InvalidOrder,  # BAD_INTERVAL
    -1121: InvalidOrder,  # BAD_SYMBOL
    -1130: InvalidOrder,  # INVALID_PARAMETER
    -1131: InvalidOrder,  # BAD_RECV_WINDOW
    -2010: InvalidOrder,  # NEW_ORDER_REJECTED (refined by message below)
    -2011: InvalidOrder,  # CANCEL_REJECTED (refined by message below)
    -2013: OrderNotFound,  # NO_SUCH_ORDER
    -2014: AuthError,  # BAD_API_KEY_FMT
    -2015: PermissionDenied,  # REJECTED_MBX_KEY: invalid key, IP, or permissions
    -2026: OrderNotFound,  # ORDER_ARCHIVED: cancelled or expired unfilled, 90+ days ago
}
REJECTION_MESSAGES: dict[str, type[VenueError]] = {
    "Account has insufficient balance for requested action.": InsufficientFunds,
    "Unknown order sent.": OrderNotFound,
}
"""The matching engine's messages under -1010, -2010 and -2011 that say more than the code."""
RATE_LIMIT_CODES = frozenset({-1003, -1015})  # TOO_MANY_REQUESTS, TOO_MANY_ORDERS
MY_TRADES_PAGE = 1000
"""The most trades GET /api/v3/myTrades returns at once."""
HTTP_ERRORS: dict[int, type[VenueError]] = {401: AuthError, 403: PermissionDenied}

WEIGHTS = {
    "ping": 1,
    "time": 1,
    "exchangeInfo": 20,
    "aggTrades": 4,
    "klines": 2,
    "order.post": 1,
    "order.delete": 1,
    "order.cancelReplace": 1,
    "orderList.oco": 1,
    "order.get": 4,
    "openOrders.symbol": 6,
    "openOrders.all": 80,
    "openOrders.delete": 1,
    "account": 20,
    "myTrades": 20,
    "ticker/24hr.all": 80,
}
DEPTH_WEIGHTS = ((100, 5), (500, 25), (1000, 50), (5000, 250))
WEIGHT_HEADER = "X-MBX-USED-WEIGHT-1M"
DEFAULT_RECV_WINDOW_MS = 5000
INTERVAL_SECONDS = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600, "DAY": 86_400}


def bootstrap_buckets() -> dict[str, TokenBucket]:
    """Until exchangeInfo tells the real limits, stay well inside any plausible ones."""
    return {"weight": TokenBucket(1200, 60.0, provisional=True)}


def map_error(status: int, code: int | None, msg: str, retry_after: float = 1.0) -> VenueError:
    """A Binance error answer as one of `console.errors`."""
    if status == 418:
        return Banned(time.time() + retry_after, code, msg)
    kind = (REJECTION_MESSAGES.get(msg) or ERRORS.get(code)) if code is not None else None
    if kind is None and status < 500:
        kind = HTTP_ERRORS.get(status)
    return refusal(status, code, msg, kind, code in RATE_LIMIT_CODES, retry_after)


def limiter_buckets(limits: list[schemas.RateLimit]) -> dict[str, TokenBucket]:
    """Buckets from exchangeInfo's `rateLimits`: request weight and order counts."""
    buckets = {}
    for limit in limits:
        seconds = INTERVAL_SECONDS.get(limit.interval)
        if seconds is None:
            continue
        if limit.rateLimitType == "REQUEST_WEIGHT":
            buckets["weight"] = TokenBucket(limit.limit, float(seconds * limit.intervalNum))
        elif limit.rateLimitType == "ORDERS":
            name = f"orders_{limit.intervalNum}{limit.interval[0].lower()}"
            buckets[name] = TokenBucket(limit.limit, float(seconds * limit.intervalNum))
    return buckets


class BinanceDialect:
    def __init__(
        self,
        api_key: str | None,
        signer: Signer | None,
        time_sync: TimeSync,
        recv_window_ms: int = DEFAULT_RECV_WINDOW_MS,
    ) -> None:
        self.api_key = api_key
        self.signer = signer
        self.time_sync = time_sync
        self.recv_window_ms = recv_window_ms
        self._error = msgspec.json.Decoder(schemas.ErrorBody)

    def prepare(self, request: Request) -> Prepared:
        headers = {"X-MBX-APIKEY": self.api_key} if self.api_key else {}
        if not request.signed:
            return Prepared(rest_query(request.params), None, headers)
        if self.signer is None or not self.api_key:
            raise AuthError(msg="this request needs an API key and secret; none is configured")
        params = {
            **request.params,
            "recvWindow": str(self.recv_window_ms),
            "timestamp": str(self.time_sync.now_ms()),
        }
        return Prepared(signed_rest_query(params, self.signer), None, headers)

    def error(self, status: int, body: bytes, retry_after: float) -> VenueError:
        try:
            decoded = self._error.decode(body)
            code, msg = decoded.code, decoded.msg
        except msgspec.DecodeError:
            code, msg = None, body[:200].decode(errors="replace")
        return map_error(status, code, msg, retry_after)

    def unwrap(self, body: bytes) -> bytes:
        """Binance answers success bare and errors with an HTTP error status: no envelope."""
        return body

    def observe(self, headers: Mapping[str, str], limiter: Limiter, request: Request) -> None:
        used = headers.get(WEIGHT_HEADER)
        if used is not None and used.isdigit():
            limiter.observe("weight", int(used))


class BinanceRest:
    """Typed calls to Binance spot REST endpoints."""

    def __init__(self, client: RestClient) -> None:
        self.client = client
        self._exchange_info = msgspec.json.Decoder(schemas.ExchangeInfo).decode
        self._time = msgspec.json.Decoder(schemas.ServerTime).decode
        self._depth = msgspec.json.Decoder(schemas.Depth).decode
        self._agg_trades = msgspec.json.Decoder(list[schemas.AggTrade]).decode
        self._klines = msgspec.json.Decoder(list[schemas.KlineRow]).decode
        self._day_rows = msgspec.json.Decoder(list[schemas.DayRow]).decode
        self._order = schemas.ORDER_ANSWER.decode
        self._orders = schemas.ORDER_ANSWERS.decode
        self._replace = schemas.REPLACE_ANSWER.decode
        self._account = msgspec.json.Decoder(schemas.AccountInfo).decode
        self._my_trades = msgspec.json.Decoder(list[schemas.MyTrade]).decode

    async def _get(self, path: str, weight: int, signed: bool = False, **params: str) -> bytes:
        return await self.client.send(Request("GET", path, params, signed, {"weight": weight}))

    async def server_time(self) -> int:
        return self._time(await self._get("/api/v3/time", WEIGHTS["time"])).serverTime

    async def exchange_info(self) -> schemas.ExchangeInfo:
        return self._exchange_info(await self._get("/api/v3/exchangeInfo", WEIGHTS["exchangeInfo"]))

    async def depth(self, symbol: str, limit: int = 5000) -> schemas.Depth:
        weight = next(w for top, w in DEPTH_WEIGHTS if limit <= top)
        return self._depth(
            await self._get("/api/v3/depth", weight, symbol=symbol, limit=str(limit))
        )

    async def agg_trades(self, symbol: str, limit: int = 500) -> list[schemas.AggTrade]:
        return self._agg_trades(
            await self._get(
                "/api/v3/aggTrades", WEIGHTS["aggTrades"], symbol=symbol, limit=str(limit)
            )
        )

    async def day_tickers(self) -> list[schemas.DayRow]:
        """Every symbol's rolling 24 hours (weight 80: asked a few times a minute at most)."""
        return self._day_rows(await self._get("/api/v3/ticker/24hr", WEIGHTS["ticker/24hr.all"]))

    async def klines(self, symbol: str, interval: str, limit: int = 500) -> list[schemas.KlineRow]:
        return self._klines(
            await self._get(
                "/api/v3/klines",
                WEIGHTS["klines"],
                symbol=symbol,
                interval=interval,
                limit=str(limit),
            )
        )

    async def place(self, params: dict[str, str]) -> schemas.OrderAnswer:
        costs = {"weight": WEIGHTS["order.post"], **self.order_costs()}
        return self._order(
            await self.client.send(
                Request("POST", "/api/v3/order", params, signed=True, costs=costs, is_order=True)
            )
        )

    async def place_oco(self, params: dict[str, str]) -> schemas.ListAnswer:
        costs = {"weight": WEIGHTS["orderList.oco"], **self.order_costs(2)}
        return schemas.LIST_ANSWER.decode(
            await self.client.send(
                Request(
                    "POST", "/api/v3/orderList/oco", params, signed=True, costs=costs, is_order=True
                )
            )
        )

    async def cancel_replace(self, params: dict[str, str]) -> schemas.ReplaceAnswer:
        costs = {"weight": WEIGHTS["order.cancelReplace"], **self.order_costs()}
        return self._replace(
            await self.client.send(
                Request(
                    "POST",
                    "/api/v3/order/cancelReplace",
                    params,
                    signed=True,
                    costs=costs,
                    is_order=True,
                )
            )
        )

    def order_costs(self, orders: int = 1) -> dict[str, int]:
        """What `orders` new orders spend of each of the venue's order-count limits."""
        buckets = self.client.limiter.buckets
        return {name: orders for name in buckets if name.startswith("orders_")}

    async def cancel(self, symbol: str, client_order_id: str) -> schemas.OrderAnswer:
        params = {"symbol": symbol, "origClientOrderId": client_order_id}
        return self._order(
            await self.client.send(
                Request(
                    "DELETE",
                    "/api/v3/order",
                    params,
                    signed=True,
                    costs={"weight": WEIGHTS["order.delete"]},
                    is_order=True,
                )
            )
        )

    async def order(self, symbol: str, client_order_id: str) -> schemas.OrderAnswer:
        return self._order(
            await self._get(
                "/api/v3/order",
                WEIGHTS["order.get"],
                signed=True,
                symbol=symbol,
                origClientOrderId=client_order_id,
            )
        )

    async def my_trades(
        self, symbol: str, start_ms: int, from_id: int | None = None
    ) -> list[schemas.MyTrade]:
        """The account's trades from `start_ms` on (from trade `from_id` on, where given:
        Binance takes one or the other), oldest first, at most `MY_TRADES_PAGE`."""
        since = {"startTime": str(start_ms)} if from_id is None else {"fromId": str(from_id)}
        raw = await self._get(
            "/api/v3/myTrades",
            WEIGHTS["myTrades"],
            signed=True,
            symbol=symbol,
            limit=str(MY_TRADES_PAGE),
            **since,
        )
        return self._my_trades(raw)

    async def open_orders(self, symbol: str | None = None) -> list[schemas.OrderAnswer]:
        if symbol is None:
            return self._orders(
                await self._get("/api/v3/openOrders", WEIGHTS["openOrders.all"], signed=True)
            )
        return self._orders(
            await self._get(
                "/api/v3/openOrders", WEIGHTS["openOrders.symbol"], signed=True, symbol=symbol
            )
        )

    async def cancel_all(self, symbol: str) -> list[schemas.OrderAnswer]:
        return self._orders(
            await self.client.send(
                Request(
                    "DELETE",
                    "/api/v3/openOrders",
                    {"symbol": symbol},
                    signed=True,
                    costs={"weight": WEIGHTS["openOrders.delete"]},
                    is_order=True,
                )
            )
        )

    async def account(self) -> schemas.AccountInfo:
        return self._account(await self._get("/api/v3/account", WEIGHTS["account"], signed=True))
