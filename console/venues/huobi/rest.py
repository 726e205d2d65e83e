"""Huobi spot REST: signing, the v1/v2 envelopes and err-codes, limits, typed calls.

Limits are the document's: the "(NEW)" private endpoints count per endpoint in 2-second
windows (place and cancel 100, queries 50, history 20), the rest 10 a second per key. The gateway's
`X-HB-RateLimit-Requests-Remain` of 0 holds requests until `...-Expire`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import urlparse

import msgspec

from console.errors import AuthError, VenueError
from console.net.clock import TimeSync
from console.net.limiter import Limiter, TokenBucket
from console.net.rest import Prepared, Request, RestClient
from console.venues.huobi import schemas
from console.venues.huobi.errors import map_error
from console.venues.huobi.signing import encode, signed_query

T = TypeVar("T")

BUCKETS = {
    "public": (10, 1.0),
    "private": (10, 1.0),
    "order": (100, 2.0),
    "query": (50, 2.0),
    "account": (100, 2.0),
    "history": (20, 2.0),
}
"""Requests per window (seconds) for each class of endpoint. "public" and "private" are
one budget shared by their endpoints; every other class gives each endpoint its own."""
SHARED = frozenset({"public", "private"})
REMAIN_HEADER = "X-HB-RateLimit-Requests-Remain"
EXPIRE_HEADER = "X-HB-RateLimit-Requests-Expire"


def bucket_name(kind: str, endpoint: str) -> str:
    return kind if kind in SHARED else f"{kind} {endpoint}"


MATCHES_PAGE = 500
"""The most fills GET /v1/order/matchresults returns at once."""
PLACE_BUCKET = bucket_name("order", "/v1/order/orders/place")
"""The budget the status bar shows: new orders."""


def buckets() -> dict[str, TokenBucket]:
    return {name: TokenBucket(*BUCKETS[name]) for name in SHARED} | {
        PLACE_BUCKET: TokenBucket(*BUCKETS["order"])
    }


class HuobiDialect:
    def __init__(
        self, base_url: str, access_key: str | None, secret: str | None, time_sync: TimeSync
    ) -> None:
        self.host = urlparse(base_url).netloc
        """The host as the client sends it (with the port, when there is one)."""
        self.access_key = access_key
        self.secret = secret
        self.time_sync = time_sync
        self._error = msgspec.json.Decoder(schemas.ErrorBody)

    def prepare(self, request: Request) -> Prepared:
        if not request.signed:
            query = "&".join(f"{k}={encode(v)}" for k, v in request.params.items())
            return Prepared(query, None, {})
        if not self.access_key or not self.secret:
            raise AuthError(msg="this request needs a Huobi API key and secret; none is configured")
        get = request.method == "GET"
        query = signed_query(
            self.access_key,
            self.secret,
            request.method,
            self.host,
            request.path,
            request.params if get else {},
            self.time_sync.now_ms(),
        )
        if get:
            return Prepared(query, None, {})
        body = msgspec.json.encode(request.params)
        return Prepared(query, body, {"Content-Type": "application/json"})

    def error(self, status: int, body: bytes, retry_after: float) -> VenueError:
        try:
            decoded = self._error.decode(body)
        except msgspec.DecodeError:
            return map_error(status, None, body[:200].decode(errors="replace"), retry_after)
        if decoded.err_code is not None:
            return map_error(status, decoded.err_code, decoded.err_msg or "", retry_after)
        return map_error(status, decoded.code, decoded.message or "", retry_after)

    def unwrap(self, body: bytes) -> bytes:
        """Huobi refuses with HTTP 200: an envelope with `status: error` (v1) or a `code`
        other than 200 (v2) is raised here."""
        try:
            decoded = self._error.decode(body)
        except msgspec.DecodeError:
            return body
        if decoded.status == "error":
            raise map_error(200, decoded.err_code, decoded.err_msg or "")
        if decoded.code is not None and str(decoded.code) != "200":
            code = int(decoded.code) if str(decoded.code).isdigit() else decoded.code
            raise map_error(200, code, decoded.message or "")
        return body

    def observe(self, headers: Mapping[str, str], limiter: Limiter, request: Request) -> None:
        """The headers count the window of the endpoint just called: when it is spent, only
        that endpoint's bucket waits for the window's end."""
        remain, expire = headers.get(REMAIN_HEADER), headers.get(EXPIRE_HEADER)
        if remain == "0" and expire is not None and expire.isdigit():
            for name in request.costs:
                limiter.hold(name, max(0.0, int(expire) / 1000 - time.time()))


class HuobiRest:
    """Typed calls to the Huobi spot REST endpoints the console uses."""

    def __init__(self, client: RestClient) -> None:
        self.client = client

    async def _call(
        self,
        kind: type[T],
        method: str,
        path: str,
        bucket: str,
        params: dict[str, Any] | None = None,
        signed: bool = False,
        is_order: bool = False,
        endpoint: str | None = None,
    ) -> T:
        """`endpoint` names a path with an id in it, as the document does, for its limit."""
        name = self.client.limiter.own_bucket(
            bucket_name(bucket, endpoint or path), *BUCKETS[bucket]
        )
        request = Request(method, path, params or {}, signed, {name: 1}, is_order)
        return await self.client.fetch(kind, request)

    async def timestamp(self) -> int:
        return (await self._call(schemas.Ok[int], "GET", "/v1/common/timestamp", "public")).data

    async def symbols(self) -> list[schemas.Symbol]:
        answer = await self._call(
            schemas.Ok[list[schemas.Symbol]], "GET", "/v1/common/symbols", "public"
        )
        return answer.data

    async def history_trades(self, symbol: str, size: int) -> list[schemas.TradeGroup]:
        answer = await self._call(
            schemas.Ok[list[schemas.TradeGroup]],
            "GET",
            "/market/history/trade",
            "public",
            {"symbol": symbol, "size": str(size)},
        )
        return answer.data

    async def tickers(self) -> list[schemas.TickerRow]:
        answer = await self._call(
            schemas.Ok[list[schemas.TickerRow]], "GET", "/market/tickers", "public"
        )
        return answer.data

    async def klines(self, symbol: str, period: str, size: int) -> list[schemas.Bar]:
        answer = await self._call(
            schemas.Ok[list[schemas.Bar]],
            "GET",
            "/market/history/kline",
            "public",
            {"symbol": symbol, "period": period, "size": str(size)},
        )
        return answer.data

    async def accounts(self) -> list[schemas.Account]:
        answer = await self._call(
            schemas.Ok[list[schemas.Account]], "GET", "/v1/account/accounts", "account", signed=True
        )
        return answer.data

    async def fee_rates(self, symbol: str) -> list[schemas.FeeRateRow]:
        answer = await self._call(
            schemas.V2[list[schemas.FeeRateRow]],
            "GET",
            "/v2/reference/transact-fee-rate",
            "private",
            {"symbols": symbol},
            signed=True,
        )
        return answer.data

    async def balance(self, account_id: int) -> schemas.AccountBalance:
        path = f"/v1/account/accounts/{account_id}/balance"
        answer = await self._call(
            schemas.Ok[schemas.AccountBalance],
            "GET",
            path,
            "account",
            signed=True,
            endpoint="/v1/account/accounts/{account-id}/balance",
        )
        return answer.data

    async def place(self, body: dict[str, str]) -> str:
        answer = await self._call(
            schemas.Ok[str],
            "POST",
            "/v1/order/orders/place",
            "order",
            body,
            signed=True,
            is_order=True,
        )
        return answer.data

    async def cancel(self, order_id: str) -> None:
        path = f"/v1/order/orders/{order_id}/submitcancel"
        endpoint = "/v1/order/orders/{order-id}/submitcancel"
        await self._call(
            schemas.Ok[str],
            "POST",
            path,
            "order",
            {},
            signed=True,
            is_order=True,
            endpoint=endpoint,
        )

    async def cancel_open(self, account_id: int, symbol: str) -> None:
        params = {"account-id": str(account_id), "symbol": symbol, "size": "100"}
        path = "/v1/order/orders/batchCancelOpenOrders"
        await self._call(
            schemas.Ok[dict[str, int]], "POST", path, "query", params, signed=True, is_order=True
        )

    async def open_orders(self, account_id: int, symbol: str) -> list[schemas.OrderRow]:
        params = {"account-id": str(account_id), "symbol": symbol, "size": "500"}
        answer = await self._call(
            schemas.Ok[list[schemas.OrderRow]],
            "GET",
            "/v1/order/openOrders",
            "query",
            params,
            signed=True,
        )
        return answer.data

    async def match_results(
        self, symbol: str, start_ms: int, end_ms: int | None = None
    ) -> list[schemas.MatchRow]:
        """The account's fills on `symbol` from `start_ms` to `end_ms` (within 48 hours),
        newest first as Huobi lists them, at most `MATCHES_PAGE`."""
        params = {"symbol": symbol, "start-time": str(start_ms), "size": str(MATCHES_PAGE)}
        if end_ms is not None:
            params["end-time"] = str(end_ms)
        answer = await self._call(
            schemas.Ok[list[schemas.MatchRow]],
            "GET",
            "/v1/order/matchresults",
            "history",
            params,
            signed=True,
        )
        return answer.data

    async def order(self, order_id: str) -> schemas.OrderRow:
        path = f"/v1/order/orders/{order_id}"
        answer = await self._call(
            schemas.Ok[schemas.OrderRow],
            "GET",
            path,
            "query",
            signed=True,
            endpoint="/v1/order/orders/{order-id}",
        )
        return answer.data

    async def client_order(self, client_order_id: str) -> schemas.OrderRow:
        answer = await self._call(
            schemas.Ok[schemas.OrderRow],
            "GET",
            "/v1/order/orders/getClientOrder",
            "query",
            {"clientOrderId": client_order_id},
            signed=True,
        )
        return answer.data

    async def cancel_all_after(self, seconds: int) -> int:
        """The Automated Cancel Order: arm or renew for `seconds` (>= 5), or 0 to disarm.
        Returns the venue's `triggerTime`: when it cancels, in seconds, or 0 when off."""
        answer = await self._call(
            schemas.V2[list[dict[str, str | int]]],
            "POST",
            "/v2/algo-orders/cancel-all-after",
            "private",
            {"timeout": str(seconds)},
            signed=True,
        )
        return int(answer.data[0]["triggerTime"]) if answer.data else -1
