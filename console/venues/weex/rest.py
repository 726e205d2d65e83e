"""WEEX spot REST: the ACCESS-* signing, the `{"code": "00000"}` envelope (a refusal can
come inside HTTP 200 or with HTTP 400), the seed's per-endpoint limits, and typed calls.

Limits: the seed's per-endpoint rules (market data 20 a second, account and trading 10,
batch orders 5) and the FAQ's order budget (place 100 a minute; cancel 80 in 10 seconds and
200 a minute);
each endpoint spends from its own bucket, orders and cancels also from the FAQ's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import msgspec

from console.errors import AuthError, VenueError
from console.net.clock import TimeSync
from console.net.limiter import Limiter, TokenBucket
from console.net.rest import Prepared, Request, RestClient
from console.venues.weex import schemas
from console.venues.weex.errors import map_error
from console.venues.weex.signing import signed_headers

T = TypeVar("T")

SUCCESS = "00000"
PER_SECOND = {"market": 20, "account": 10, "trade": 10, "batch": 5, "history": 20, "stream": 10}
"""The seed's requests a second, by kind of endpoint; each endpoint has its own bucket."""
ORDER_BUDGETS = {"places": ((100, 60.0),), "cancels": ((80, 10.0), (200, 60.0))}
"""The FAQ's budgets across endpoints, each (requests, seconds): orders placed a minute;
cancels in ten seconds and in a minute."""


@dataclass(frozen=True)
class WeexCredentials:
    api_key: str
    secret: str
    passphrase: str

    def __repr__(self) -> str:
        return f"WeexCredentials(api_key={self.api_key[:6]}…)"


def buckets() -> dict[str, TokenBucket]:
    return {
        key: TokenBucket(limit, seconds)
        for name, windows in ORDER_BUDGETS.items()
        for key, (limit, seconds) in zip(budget_keys(name), windows, strict=True)
    }


def budget_keys(name: str) -> list[str]:
    """The limiter buckets of a budget: the first window by the budget's name (the status
    bar reads `places`), the others by name and length."""
    windows = ORDER_BUDGETS[name]
    return [name] + [f"{name}/{int(seconds)}s" for _, seconds in windows[1:]]


class WeexDialect:
    def __init__(self, credentials: WeexCredentials | None, time_sync: TimeSync) -> None:
        self.credentials = credentials
        self.time_sync = time_sync
        self._failure = msgspec.json.Decoder(schemas.Failure)

    def prepare(self, request: Request) -> Prepared:
        """GET and DELETE carry their parameters in the query; POST in a JSON body, signed
        as the exact bytes sent."""
        query, body = "", ""
        if request.method == "POST":
            body = msgspec.json.encode(request.params).decode() if request.params else ""
        else:
            query = urlencode(request.params)
        headers = {"Content-Type": "application/json"}
        if request.signed:
            if self.credentials is None:
                raise AuthError(msg="this request needs an API key, secret and passphrase")
            creds = self.credentials
            headers |= signed_headers(
                creds.api_key,
                creds.secret,
                creds.passphrase,
                self.time_sync.now_ms(),
                request.method,
                request.path,
                query,
                body,
            )
        return Prepared(query, body.encode() or None, headers)

    def error(self, status: int, body: bytes, retry_after: float) -> VenueError:
        try:
            failure = self._failure.decode(body)
        except msgspec.DecodeError:
            return map_error(status, None, body[:200].decode(errors="replace"), retry_after)
        return map_error(status, failure.code, failure.msg or failure.message or "", retry_after)

    def unwrap(self, body: bytes) -> bytes:
        """A refusal inside HTTP 200 (`code` other than 00000) is raised here."""
        try:
            failure = self._failure.decode(body)
        except msgspec.DecodeError:
            return body
        if failure.code is not None and str(failure.code) != SUCCESS:
            raise map_error(200, failure.code, failure.msg or failure.message or "")
        return body

    def observe(self, headers: Mapping[str, str], limiter: Limiter, request: Request) -> None:
        """WEEX sends no usage headers: its 429 is the only word on the limits."""


FILLS_PAGE = 500
"""The most fills a page of POST /api/spot/v1/trade/fills holds (the seed's maximum)."""


class WeexRest:
    """Signed, limited calls to WEEX (`call`), typed calls to the spot v1 endpoints, and the
    v3 listenKey endpoints both APIs use."""

    def __init__(self, client: RestClient) -> None:
        self.client = client

    async def call(
        self,
        kind: type[T],
        method: str,
        path: str,
        bucket: str,
        params: dict[str, Any] | None = None,
        signed: bool = False,
        budget: str | None = None,
    ) -> T:
        name = self.client.limiter.own_bucket(f"{bucket} {method} {path}", PER_SECOND[bucket], 1.0)
        costs = {name: 1} | {key: 1 for key in (budget_keys(budget) if budget else [])}
        request = Request(method, path, params or {}, signed, costs, budget is not None)
        return await self.client.fetch(kind, request)

    async def server_time(self) -> int:
        answer = await self.call(schemas.Envelope[int], "GET", "/api/spot/v1/public/time", "market")
        return answer.data

    async def products(self) -> list[schemas.Product]:
        answer = await self.call(
            schemas.Envelope[list[schemas.Product]], "GET", "/api/spot/v1/public/products", "market"
        )
        return answer.data

    async def tickers(self) -> list[schemas.V1Ticker]:
        answer = await self.call(
            schemas.Envelope[list[schemas.V1Ticker]], "GET", "/api/spot/v1/market/tickers", "market"
        )
        return answer.data

    async def market_fills(self, symbol: str, limit: int) -> list[schemas.MarketFill]:
        params = {"symbol": symbol, "limit": str(limit)}
        answer = await self.call(
            schemas.Envelope[list[schemas.MarketFill]],
            "GET",
            "/api/spot/v1/market/fills",
            "market",
            params,
        )
        return answer.data

    async def candles(self, symbol: str, period: str, limit: int) -> list[schemas.Bar]:
        params = {"symbol": symbol, "period": period, "limit": str(limit)}
        answer = await self.call(
            schemas.Envelope[list[schemas.Bar]],
            "GET",
            "/api/spot/v1/market/candles",
            "market",
            params,
        )
        return answer.data

    async def assets(self) -> list[schemas.Asset]:
        answer = await self.call(
            schemas.Envelope[list[schemas.Asset]],
            "GET",
            "/api/spot/v1/account/assets",
            "account",
            signed=True,
        )
        return answer.data

    async def place(self, body: dict[str, str]) -> schemas.Placed:
        answer = await self.call(
            schemas.Envelope[schemas.Placed],
            "POST",
            "/api/spot/v1/trade/orders",
            "trade",
            body,
            signed=True,
            budget="places",
        )
        return answer.data

    async def cancel(self, symbol: str, order_id: str) -> str:
        answer = await self.call(
            schemas.Envelope[str],
            "POST",
            "/api/spot/v1/trade/cancel-order",
            "trade",
            {"symbol": symbol, "orderId": order_id},
            signed=True,
            budget="cancels",
        )
        return answer.data

    async def cancel_batch(self, symbol: str, order_ids: list[str]) -> list[str]:
        answer = await self.call(
            schemas.Envelope[list[str]],
            "POST",
            "/api/spot/v1/trade/cancel-batch-orders",
            "trade",
            {"symbol": symbol, "orderIds": order_ids},
            signed=True,
            budget="cancels",
        )
        return answer.data

    async def order(self, symbol: str, client_order_id: str) -> list[schemas.OrderRow]:
        answer = await self.call(
            schemas.Envelope[list[schemas.OrderRow]],
            "POST",
            "/api/spot/v1/trade/orderInfo",
            "trade",
            {"symbol": symbol, "clientOrderId": client_order_id},
            signed=True,
        )
        return answer.data

    async def open_orders(self, symbol: str) -> list[schemas.OrderRow]:
        answer = await self.call(
            schemas.Envelope[list[schemas.OrderRow]],
            "POST",
            "/api/spot/v1/trade/open-orders",
            "trade",
            {"symbol": symbol},
            signed=True,
        )
        return answer.data

    async def trade_fills(
        self, symbol: str, before_order: str | None = None
    ) -> list[schemas.TradeFill]:
        """The account's fills, newest first, at most `FILLS_PAGE`; with `before_order`,
        those of orders older than it (the seed's `after`)."""
        params: dict[str, Any] = {"symbol": symbol, "limit": FILLS_PAGE}
        if before_order is not None:
            params["after"] = before_order
        answer = await self.call(
            schemas.Envelope[list[schemas.TradeFill]],
            "POST",
            "/api/spot/v1/trade/fills",
            "history",
            params,
            signed=True,
        )
        return answer.data

    async def create_listen_key(self) -> str:
        answer = await self.call(
            schemas.ListenKey, "POST", "/api/v3/userDataStream", "stream", signed=True
        )
        return answer.listenKey

    async def keep_listen_key(self, key: str) -> None:
        await self.call(
            schemas.ListenKey,
            "PUT",
            "/api/v3/userDataStream",
            "stream",
            {"listenKey": key},
            signed=True,
        )

    async def close_listen_key(self, key: str) -> None:
        await self.call(
            schemas.ListenKey,
            "DELETE",
            "/api/v3/userDataStream",
            "stream",
            {"listenKey": key},
            signed=True,
        )
