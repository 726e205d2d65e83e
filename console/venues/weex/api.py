"""WEEX's two spot REST APIs side by side, behind one set of calls in the console's own
types, so the adapter never asks which one it speaks.

v1 (`/api/spot/v1/...`, the seed): symbols as `BTCUSDT_SPBL`, the `{"code": "00000"}`
envelope, POST for every trading call, orders found by `clientOrderId`, no cancel-all
(open orders are cancelled by batches of 50), rows that name only limit or market.
v3 (`/api/v3/...`, what WEEX recommends): Binance-shaped paths and bare answers, orders
found by `origClientOrderId`, `DELETE /api/v3/openOrders` for cancel-all.
Both sign alike, share the listenKey endpoints and the user and market streams.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from decimal import Decimal
from typing import Any, Protocol

from msgspec.structs import replace

from console.errors import InvalidOrder, OrderNotFound
from console.model import (
    Balance,
    Candle,
    Fill,
    Instrument,
    Interval,
    Order,
    OrderStatus,
    OrderType,
    Side,
    Ticker,
    TimeInForce,
    Trade,
)
from console.venues.base import Fees, OrderRequest
from console.venues.common import all_pages, exact, plain
from console.venues.weex import convert, schemas
from console.venues.weex.rest import FILLS_PAGE, WeexRest

V1_PERIODS = {
    Interval.M1: "1min",
    Interval.M5: "5min",
    Interval.M15: "15min",
    Interval.M30: "30min",
    Interval.H1: "1h",
    Interval.H4: "4h",
    Interval.H12: "12h",
    Interval.D1: "1d",
}
BATCH_MAX = 50
V3_TYPES = {
    OrderType.LIMIT: "LIMIT",
    OrderType.POST_ONLY: "LIMIT_MAKER",
    OrderType.MARKET: "MARKET",
}


def listed_fees(rows: Iterable[tuple[str, Decimal | None, Decimal | None]]) -> dict[str, Fees]:
    """(symbol, maker, taker) as a symbol list states them, for the symbols that state both."""
    return {
        symbol: Fees(maker, taker)
        for symbol, maker, taker in rows
        if maker is not None and taker is not None
    }


MY_TRADES_PAGE = 1000
"""The most trades GET /api/v3/myTrades returns at once."""


class SpotApi(Protocol):
    """What the adapter asks of a WEEX API, in the console's types."""

    rest: WeexRest
    fees: dict[str, Fees]
    """Each symbol's maker and taker rates, as its symbol list states them."""

    async def server_time(self) -> int: ...

    async def instruments(self) -> dict[str, Instrument]: ...

    async def recent_trades(self, symbol: str, limit: int) -> list[Trade]: ...

    async def day_tickers(self) -> list[Ticker]:
        """Every symbol's last price (and 24 h opening price where the API gives it)."""

    async def candles(self, symbol: str, interval: Interval, limit: int) -> list[Candle]: ...

    async def balances(self) -> list[Balance]: ...

    async def place(self, request: OrderRequest) -> Order:
        """Place, then read the order back: the answer is its state at the venue."""

    async def cancel(self, symbol: str, client_order_id: str) -> Order: ...

    async def cancel_all(self, symbol: str) -> list[Order]: ...

    async def order(self, symbol: str, client_order_id: str) -> Order: ...

    async def open_orders(self, symbol: str) -> list[Order]: ...

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]: ...


def _amount(request: OrderRequest) -> Decimal:
    """A market buy is sized in the quote asset on both APIs; everything else in base."""
    quote = request.type is OrderType.MARKET and request.side is Side.BUY
    amount = request.quote_qty if quote else request.qty
    if amount is None:
        raise InvalidOrder(msg="WEEX sizes market buys in the quote asset: give quote_qty")
    return amount


def _v1_fill_key(row: schemas.TradeFill) -> tuple[str, str]:
    return row.orderId, row.fillId


def _v3_fill_key(row: schemas.V3Fill) -> tuple[str, str]:
    """A fill is a trade of one order: a self-trade is one trade id for two fills."""
    return row.orderId, row.id


def as_sent(order: Order, request: OrderRequest) -> Order:
    """The venue's row with what this console sent where the row says less: the type and
    time in force, and an IOC or FOK order's end by expiry rather than by a cancel."""
    expired = order.status is OrderStatus.CANCELED and (
        request.time_in_force in (TimeInForce.IOC, TimeInForce.FOK)
        or request.type is OrderType.MARKET
    )
    return replace(
        order,
        type=request.type,
        time_in_force=request.time_in_force,
        status=OrderStatus.EXPIRED if expired else order.status,
    )


class V1Api:
    """The seed's endpoints: products, market fills and candles, assets, orders,
    cancel-order and cancel-batch-orders, orderInfo, open-orders, fills."""

    def __init__(self, rest: WeexRest) -> None:
        self.rest = rest
        self.fees: dict[str, Fees] = {}

    async def server_time(self) -> int:
        return await self.rest.server_time()

    async def instruments(self) -> dict[str, Instrument]:
        products = [p for p in await self.rest.products() if p.status == "online"]
        self.fees = listed_fees((p.symbolName, p.makerFeeRate, p.takerFeeRate) for p in products)
        return {p.symbolName: convert.instrument(p) for p in products}

    async def day_tickers(self) -> list[Ticker]:
        return [convert.v1_ticker(row) for row in await self.rest.tickers()]

    async def recent_trades(self, symbol: str, limit: int) -> list[Trade]:
        rows = await self.rest.market_fills(convert.symbol(symbol), limit)
        return [convert.market_fill(symbol, row) for row in reversed(rows)]

    async def candles(self, symbol: str, interval: Interval, limit: int) -> list[Candle]:
        bars = await self.rest.candles(convert.symbol(symbol), V1_PERIODS[interval], limit)
        return [convert.bar(symbol, interval, bar) for bar in bars]

    async def balances(self) -> list[Balance]:
        return convert.balances(await self.rest.assets())

    async def place(self, request: OrderRequest) -> Order:
        try:
            force = convert.FORCES[(request.type, request.time_in_force)]
        except KeyError:
            raise InvalidOrder(
                msg=f"WEEX takes no {request.type} {request.time_in_force}"
            ) from None
        body = {
            "symbol": convert.symbol(request.symbol),
            "side": request.side.value.lower(),
            "orderType": "market" if request.type is OrderType.MARKET else "limit",
            "force": force,
            "quantity": plain(_amount(request)),
            "clientOrderId": request.client_order_id,
        }
        if request.price is not None and request.type is not OrderType.MARKET:
            body["price"] = plain(request.price)
        await self.rest.place(body)
        return as_sent(await self.order(request.symbol, request.client_order_id), request)

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        order = await self.order(symbol, client_order_id)
        if not order.status.is_open or order.order_id is None:
            return order
        await self.rest.cancel(convert.symbol(symbol), order.order_id)
        return await self.order(symbol, client_order_id)

    async def cancel_all(self, symbol: str) -> list[Order]:
        before = await self.open_orders(symbol)
        cancelled: set[str] = set()
        for start in range(0, len(before), BATCH_MAX):
            ids = [o.order_id or "" for o in before[start : start + BATCH_MAX]]
            cancelled.update(await self.rest.cancel_batch(convert.symbol(symbol), ids))
        return [replace(o, status=OrderStatus.CANCELED) for o in before if o.order_id in cancelled]

    async def order(self, symbol: str, client_order_id: str) -> Order:
        try:
            rows = await self.rest.order(convert.symbol(symbol), client_order_id)
        except InvalidOrder as error:
            raise OrderNotFound(error.code, error.msg) from None
        if not rows:
            raise OrderNotFound(msg=f"WEEX knows no order {client_order_id}")
        return convert.order(rows[0])

    async def open_orders(self, symbol: str) -> list[Order]:
        rows = await self.rest.open_orders(convert.symbol(symbol))
        return [convert.order(row) for row in rows]

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """Newest first a page at a time, each next page the fills of older orders."""
        wire = convert.symbol(symbol)

        def fetch(before: str | None) -> Awaitable[list[schemas.TradeFill]]:
            return self.rest.trade_fills(wire, before)

        def oldest_order(page: list[schemas.TradeFill]) -> str:
            """Up to and with the page's oldest order: its fills may straddle the pages."""
            return str(min(int(row.orderId) for row in page) + 1)

        rows = await all_pages(fetch, FILLS_PAGE, oldest_order, _v1_fill_key)
        rows.sort(key=lambda row: (int(row.cTime), int(row.fillId)))
        return [convert.trade_fill(r) for r in rows if int(r.cTime) >= since_ms]


class V3Api:
    """The v3 endpoints: time, exchangeInfo, market trades and klines, account, order
    (POST, GET, DELETE), openOrders (GET, DELETE), myTrades."""

    def __init__(self, rest: WeexRest) -> None:
        self.rest = rest
        self.fees: dict[str, Fees] = {}

    async def _get(self, kind: type[Any], path: str, bucket: str, **params: Any) -> Any:
        return await self.rest.call(kind, "GET", path, bucket, params, bucket != "market")

    async def server_time(self) -> int:
        answer = await self._get(schemas.ServerTime, "/api/v3/time", "market")
        return int(answer.serverTime)

    async def instruments(self) -> dict[str, Instrument]:
        info = await self._get(schemas.ExchangeInfo, "/api/v3/exchangeInfo", "market")
        symbols = [s for s in info.symbols if s.status == "TRADING"]
        self.fees = listed_fees((s.symbol, s.makerFeeRate, s.takerFeeRate) for s in symbols)
        return {s.symbol: convert.v3_instrument(s) for s in symbols}

    async def day_tickers(self) -> list[Ticker]:
        rows = await self._get(list[schemas.V3DayRow], "/api/v3/market/ticker/24hr", "market")
        return [convert.v3_ticker(row) for row in rows]

    async def recent_trades(self, symbol: str, limit: int) -> list[Trade]:
        rows = await self._get(
            list[schemas.V3Trade], "/api/v3/market/trades", "market", symbol=symbol, limit=limit
        )
        return [convert.v3_trade(symbol, row) for row in rows]

    async def candles(self, symbol: str, interval: Interval, limit: int) -> list[Candle]:
        rows = await self._get(
            list[tuple[Any, ...]],
            "/api/v3/market/klines",
            "market",
            symbol=symbol,
            interval=str(interval),
            limit=limit,
        )
        return [convert.v3_kline(symbol, interval, row) for row in rows]

    async def balances(self) -> list[Balance]:
        account = await self._get(schemas.V3Account, "/api/v3/account", "account")
        return [Balance(b.asset, exact(b.free), exact(b.locked)) for b in account.balances]

    async def place(self, request: OrderRequest) -> Order:
        body: dict[str, str] = {
            "symbol": request.symbol,
            "side": request.side.value,
            "type": V3_TYPES[request.type],
            "newClientOrderId": request.client_order_id,
        }
        amount = plain(_amount(request))
        if request.type is OrderType.MARKET and request.side is Side.BUY:
            body["quoteOrderQty"] = amount
        else:
            body["quantity"] = amount
        if request.type is OrderType.LIMIT:
            body["timeInForce"] = request.time_in_force.value
        if request.price is not None and request.type is not OrderType.MARKET:
            body["price"] = plain(request.price)
        row = await self.rest.call(
            schemas.V3Order, "POST", "/api/v3/order", "trade", body, signed=True, budget="places"
        )
        return as_sent(convert.v3_order(row), request)

    async def cancel(self, symbol: str, client_order_id: str) -> Order:
        try:
            row = await self.rest.call(
                schemas.V3Order,
                "DELETE",
                "/api/v3/order",
                "trade",
                {"symbol": symbol, "origClientOrderId": client_order_id},
                signed=True,
                budget="cancels",
            )
        except OrderNotFound:
            order = await self.order(symbol, client_order_id)
            if order.status.is_open:
                raise
            return order
        return replace(convert.v3_order(row), status=OrderStatus.CANCELED)

    async def cancel_all(self, symbol: str) -> list[Order]:
        rows = await self.rest.call(
            list[schemas.V3Order],
            "DELETE",
            "/api/v3/openOrders",
            "trade",
            {"symbol": symbol},
            signed=True,
            budget="cancels",
        )
        return [replace(convert.v3_order(r), status=OrderStatus.CANCELED) for r in rows]

    async def order(self, symbol: str, client_order_id: str) -> Order:
        row = await self._get(
            schemas.V3Order,
            "/api/v3/order",
            "trade",
            symbol=symbol,
            origClientOrderId=client_order_id,
        )
        return convert.v3_order(row)

    async def open_orders(self, symbol: str) -> list[Order]:
        rows = await self._get(list[schemas.V3Order], "/api/v3/openOrders", "trade", symbol=symbol)
        return [convert.v3_order(row) for row in rows]

    async def fills(self, symbol: str, since_ms: int) -> list[Fill]:
        """Oldest first a page at a time, each next page from the last one's time."""

        def fetch(start: int | None) -> Awaitable[list[schemas.V3Fill]]:
            return self._get(
                list[schemas.V3Fill],
                "/api/v3/myTrades",
                "history",
                symbol=symbol,
                startTime=since_ms if start is None else start,
                limit=MY_TRADES_PAGE,
            )

        def latest(page: list[schemas.V3Fill]) -> int:
            return max(row.time for row in page)

        rows = await all_pages(fetch, MY_TRADES_PAGE, latest, _v3_fill_key)
        rows.sort(key=lambda row: (row.time, int(row.id)))
        return [convert.v3_fill(row) for row in rows]


APIS: dict[str, type[V1Api] | type[V3Api]] = {"v3": V3Api, "v1": V1Api}
"""The APIs by the name the `api` config key takes, the default first: v3, which WEEX
recommends (its FAQ: v1 and v2 are being retired)."""
