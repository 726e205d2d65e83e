"""WEEX spot v3 REST API of the simulator: the Binance-shaped paths WEEX recommends in
place of v1 (`/api/v3/...`), on the same port, engine, keys and limits as v1.

What it shares with v1: the ACCESS-* signature (timestamp + METHOD + path + query + body,
with the passphrase), the order desk (timeouts and late acceptances) and the listenKeys.
What differs: answers are bare JSON (no `{"code": "00000"}` envelope), symbols carry no
`_SPBL`, sides and types are upper case (`BUY`, `LIMIT`, `LIMIT_MAKER`), orders are found
by `orderId` or `origClientOrderId`, and refusals are `{"code": -1xxx, "msg": ...}` with
the v3 codes WEEX's clients know (VENUES.md §1.5); where WEEX documents no v3 code, the
Binance-shaped API keeps Binance's generic ones (`-1100` a bad parameter, `-2010` a
rejected order, `-1000` and `-1007` for what may have acted).

Served: every spot v3 REST endpoint JKorf/Weex.Net calls; the private stream
`/v3/ws/private` is `private.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.candles import INTERVAL_MS
from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.desk import PlaceArgs
from console.sim.fronts.rest import FrontError, RestFront
from console.sim.fronts.weex.requests import WeexError, WeexParams
from console.sim.fronts.weex.rest import (
    BATCH_MAX,
    CLIENT_ID_MAX,
    Action,
    Handler,
    WeexRestFront,
    WeexWords,
    route_table,
)
from console.sim.fronts.weex.wire import REJECTS, plain, scale
from console.sim.state import EngineOrder, Reject

V3_CODES = {
    "40005": -1043,  # invalid ACCESS_TIMESTAMP
    "40008": -1046,  # ACCESS_TIMESTAMP expired
    "40001": -1049,  # key, passphrase or signature missing or wrong
    "40002": -1049,
    "40003": -1043,
    "40006": -1049,
    "40009": -1049,
    "40011": -1049,
    "40012": -1049,
    "40018": -1056,  # illegal IP
    "40305": -1180,  # client order id too long or with special characters
}
NOT_FOUND = -2200
GENERIC = -1100
REJECTED = -2010
"""Binance's generic codes, which the Binance-shaped v3 keeps where WEEX names none."""
TYPES = {
    "LIMIT": OrderType.LIMIT,
    "LIMIT_MAKER": OrderType.POST_ONLY,
    "MARKET": OrderType.MARKET,
}
WIRE_TYPES = {kind: name for name, kind in TYPES.items()}
FORCES = {"GTC": TimeInForce.GTC, "IOC": TimeInForce.IOC, "FOK": TimeInForce.FOK}
STATES = {
    OrderStatus.NEW: "NEW",
    OrderStatus.PARTIALLY_FILLED: "PARTIALLY_FILLED",
    OrderStatus.FILLED: "FILLED",
    OrderStatus.CANCELED: "CANCELED",
    OrderStatus.EXPIRED: "EXPIRED",
    OrderStatus.REJECTED: "REJECTED",
}
ASSET_PRECISION = 8
"""The asset precisions a symbol states, as WEEX's recorded answers do: not its grid,
which `tickSize` and `stepSize` state."""
DEPTH_LIMITS = (15, 200)
KLINE_INTERVALS = {"1m", "5m", "15m", "30m", "1h", "4h", "12h", "1d"}


class V3Error(FrontError):
    def __init__(self, code: int, msg: str, status: int = 400) -> None:
        super().__init__(status, {"code": code, "msg": msg})


TIMEOUT = V3Error(-1007, "Timeout waiting for the backend", 500)
"""An order whose answer is lost after the engine acted (chaos `order_timeout`)."""


def v3_error(error: WeexError) -> V3Error:
    """A v1 refusal in v3's words: its code where v3 has one, else the generic code."""
    if error.status in (429, 500, 403):
        code = int(error.code) if error.code.isdigit() else GENERIC
        return V3Error(code, error.msg, error.status)
    if "no such order" in error.msg or "no such open order" in error.msg:
        return V3Error(NOT_FOUND, "Order does not exist", error.status)
    return V3Error(V3_CODES.get(error.code, GENERIC), error.msg, error.status)


class WeexV3Words(WeexWords):
    def answer(self, result: Any) -> Any:
        return result

    async def params(self, request: web.Request) -> WeexParams:
        try:
            return await super().params(request)
        except WeexError as error:
            raise v3_error(error) from None

    def over_limit(self, status: int, limiter: Any, limit: int) -> V3Error:
        return V3Error(429, "The request is too frequent", status=429)

    def internal_error(self) -> V3Error:
        return V3Error(-1000, "System error", status=500)

    def unexpected(self) -> V3Error:
        return V3Error(-1000, "System error", status=500)


class WeexV3Front(RestFront):
    def __init__(self, exchange: SimExchange, v1: WeexRestFront) -> None:
        self.limits: dict[str, int] = {}
        super().__init__(exchange, WeexV3Words(self.limits), 0)
        self.v1 = v1

    def routes(self) -> list[web.RouteDef]:
        public: list[tuple[str, str, Handler, int]] = [
            ("GET", "/api/v3/time", self.time, 20),
            ("GET", "/api/v3/exchangeInfo", self.exchange_info, 20),
            ("GET", "/capi/v3/market/exchangeInfo", self.contract_info, 20),
            ("GET", "/api/v3/market/depth", self.depth, 20),
            ("GET", "/api/v3/market/trades", self.trades, 20),
            ("GET", "/api/v3/market/klines", self.klines, 20),
            ("GET", "/api/v3/market/ticker/24hr", self.tickers, 20),
            ("GET", "/api/v3/market/ticker/price", self.prices, 20),
            ("GET", "/api/v3/market/ticker/bookTicker", self.book_tickers, 20),
            ("GET", "/api/v3/coins", self.coins, 20),
        ]
        private: list[tuple[str, str, Action, int]] = [
            ("GET", "/api/v3/account", self.account, 10),
            ("GET", "/api/v3/account/", self.account, 10),  # as ccxt's weex client asks
            ("POST", "/api/v3/order", self.place, 10),
            ("DELETE", "/api/v3/order", self.cancel, 10),
            ("GET", "/api/v3/order", self.order, 10),
            ("DELETE", "/api/v3/openOrders", self.cancel_open, 10),
            ("DELETE", "/api/v3/order/batch", self.cancel_batch, 10),
            ("GET", "/api/v3/openOrders", self.open_orders, 10),
            ("GET", "/api/v3/allOrders", self.all_orders, 10),
            ("GET", "/api/v3/myTrades", self.my_trades, 10),
        ]
        return route_table(self, self.limits, public, private, in_v3_words)

    # -- market data -------------------------------------------------------------------------

    async def time(self, request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        return {"serverTime": self.exchange.clock()}

    async def contract_info(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        """The contract API's symbol list: this spot simulator lists no contract, so a
        client that reads both lists (ccxt's) finds the spot markets and no others."""
        return {"timezone": "UTC", "serverTime": self.exchange.clock(), "symbols": []}

    async def exchange_info(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        engine = self.exchange.engine
        symbols = []
        for book in engine.books.values():
            inst = book.instrument
            symbols.append(
                {
                    "symbol": inst.symbol,
                    "status": "TRADING",
                    "baseAsset": inst.base,
                    "baseAssetPrecision": str(ASSET_PRECISION),
                    "quoteAsset": inst.quote,
                    "quoteAssetPrecision": str(ASSET_PRECISION),
                    "tickSize": plain(inst.tick_size),
                    "stepSize": plain(inst.lot_size),
                    "minTradeAmount": plain(inst.min_qty),
                    "maxTradeAmount": plain(inst.max_qty),
                    "takerFeeRate": plain(engine.default_taker_fee),
                    "makerFeeRate": plain(engine.default_maker_fee),
                    "enableTrade": True,
                    "enableDisplay": True,
                }
            )
        return {"timezone": "UTC", "serverTime": self.exchange.clock(), "symbols": symbols}

    async def depth(self, request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        book = self.v1.book(params)
        limit = params.integer("limit", 15, 1, 200)
        if limit not in DEPTH_LIMITS:
            raise V3Error(GENERIC, "limit must be 15 or 200")
        l2 = book.l2
        price, size = l2.prices.value, l2.sizes.value
        return {
            "lastUpdateId": l2.last_update_id,
            "bids": [[plain(price(t)), plain(size(q))] for t, q in l2.bids.top(limit)],
            "asks": [[plain(price(t)), plain(size(q))] for t, q in l2.asks.top(limit)],
        }

    async def trades(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        book = self.v1.book(params)
        limit = params.integer("limit", 100, 1, 1000)
        tape = list(self.exchange.tapes[book.instrument.symbol])[-limit:]
        return [
            {
                "id": str(t.trade_id),
                "price": plain(t.price),
                "qty": plain(t.qty),
                "quoteQty": plain(t.price * t.qty),
                "time": t.time_ms,
                "isBuyerMaker": t.taker_side is Side.SELL,
                "isBestMatch": True,
            }
            for t in tape
        ]

    async def klines(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        book = self.v1.book(params)
        interval = params.required("interval")
        if interval not in KLINE_INTERVALS:
            raise V3Error(GENERIC, f"interval must be one of {', '.join(sorted(KLINE_INTERVALS))}")
        limit = params.integer("limit", 500, 1, 1000)
        symbol, store = book.instrument.symbol, self.exchange.candles
        store.current(symbol, interval, self.exchange.clock())
        return [
            [
                bar.open_ms,
                plain(bar.open),
                plain(bar.high),
                plain(bar.low),
                plain(bar.close),
                plain(bar.volume),
                bar.open_ms + INTERVAL_MS[interval] - 1,
                plain(bar.quote_volume),
                bar.trades,
                plain(bar.taker_buy_volume),
                plain(bar.taker_buy_quote),
            ]
            for bar in list(store.bars(symbol, interval))[-limit:]
        ]

    def _chosen(self, params: WeexParams) -> list[Any]:
        """The books `symbols` (comma-separated) or `symbol` names, or every book."""
        books = self.exchange.engine.books
        names = params.get("symbols") or params.get("symbol")
        if names is None:
            return list(books.values())
        return [self.v1.book(WeexParams({"symbol": name}, "")) for name in names.split(",")]

    async def tickers(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        chosen = self._chosen(params)
        now = self.exchange.clock()
        rows = []
        for book in chosen:
            row = self.v1.ticker_row(book)
            rows.append(
                {
                    "symbol": book.instrument.symbol,
                    "lastPrice": row["close"],
                    "highPrice": row["high24h"],
                    "lowPrice": row["low24h"],
                    "volume": row["baseVol"],
                    "quoteVolume": row["quoteVol"],
                    "closeTime": now,
                }
            )
        return rows

    async def prices(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return [
            {"symbol": b.instrument.symbol, "price": self.v1.ticker_row(b)["close"]}
            for b in self._chosen(params)
        ]

    async def book_tickers(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        rows = []
        for book in self._chosen(params):
            l2 = book.l2
            (bid, bid_lots), (ask, ask_lots) = l2.bids.top(1)[0], l2.asks.top(1)[0]
            price, size = l2.prices.value, l2.sizes.value
            rows.append(
                {
                    "symbol": book.instrument.symbol,
                    "bidPrice": plain(price(bid)),
                    "bidQty": plain(size(bid_lots)),
                    "askPrice": plain(price(ask)),
                    "askQty": plain(size(ask_lots)),
                }
            )
        return rows

    async def coins(self, request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        return [
            {"coin": asset, "name": asset, "depositAllEnable": False, "withdrawAllEnable": False}
            for asset in self.v1.coin_ids()
        ]

    # -- account and orders --------------------------------------------------------------------

    def account(self, credential: Credential, params: WeexParams) -> Any:
        account = self.exchange.engine.open_account(credential.account)
        return {
            "canTrade": True,
            "updateTime": self.exchange.clock(),
            "balances": [
                {"asset": asset, "free": plain(h.free), "locked": plain(h.locked)}
                for asset, h in sorted(account.holdings.items())
            ],
        }

    def place(self, credential: Credential, params: WeexParams) -> Any:
        order = self.placed(credential.account, self.v1.book(params), params)
        return self.row(order) | {"transactTime": self.exchange.clock()}

    def placed(self, account: str, book: Any, params: WeexParams) -> EngineOrder:
        """An order read from v3's parameters and placed for `account` (the key's own, or
        its demo account) through the order desk; refusals in v3's words."""
        inst = book.instrument
        side = {"BUY": Side.BUY, "SELL": Side.SELL}.get(params.required("side").upper())
        kind = TYPES.get(params.required("type").upper())
        if side is None or kind is None:
            raise V3Error(GENERIC, "side must be BUY or SELL; type LIMIT, LIMIT_MAKER or MARKET")
        tif = FORCES.get((params.get("timeInForce") or "GTC").upper())
        if tif is None:
            raise V3Error(GENERIC, "timeInForce must be GTC, IOC or FOK")
        quantity = params.decimal("quantity")
        quote = params.decimal("quoteOrderQty")
        price = params.decimal("price")
        if kind is OrderType.MARKET:
            if price is not None or (quantity is None) == (quote is None):
                raise V3Error(GENERIC, "a market order takes quantity or quoteOrderQty, no price")
            tif = TimeInForce.GTC
        elif price is None or quantity is None:
            raise V3Error(GENERIC, "a limit order takes price and quantity")
        for value, step in ((quantity, inst.lot_size), (price, inst.tick_size)):
            if value is not None and scale(value) > scale(step):
                raise V3Error(-1160, f"at most {scale(step)} decimals")
        client_id = params.get("newClientOrderId") or ""
        if len(client_id) > CLIENT_ID_MAX or not all(c.isalnum() or c in "-_" for c in client_id):
            raise V3Error(-1180, "client order id: at most 40 letters, digits, - and _")
        args = PlaceArgs(
            account,
            inst.symbol,
            side,
            kind,
            qty=quantity,
            price=price,
            time_in_force=tif,
            client_order_id=client_id,
            quote_qty=quote,
        )
        try:
            order, _ = self.v1.desk.place(args, TIMEOUT)
        except Reject as reject:
            code, msg = REJECTS[reject.reason]
            if code == "40017":
                raise V3Error(REJECTED, msg) from None
            raise v3_error(WeexError(code, msg)) from None
        return order

    def _find(self, credential: Credential, params: WeexParams) -> EngineOrder:
        order_id, client_id = params.get("orderId"), params.get("origClientOrderId")
        if order_id is None and client_id is None:
            raise V3Error(GENERIC, "orderId or origClientOrderId is required")
        try:
            number = int(order_id) if order_id is not None else None
            return self.exchange.engine.order(credential.account, number, client_id)
        except (Reject, ValueError):
            raise V3Error(NOT_FOUND, "Order does not exist") from None

    def order(self, credential: Credential, params: WeexParams) -> Any:
        return self.row(self._find(credential, params))

    def cancel(self, credential: Credential, params: WeexParams) -> Any:
        order = self._find(credential, params)
        if not order.is_open:
            raise V3Error(NOT_FOUND, "Order does not exist")
        self.exchange.engine.cancel(credential.account, order.symbol, order.order_id)
        return self.row(order)

    def cancel_open(self, credential: Credential, params: WeexParams) -> Any:
        book = self.v1.book(params)
        engine = self.exchange.engine
        cancelled = []
        for order in engine.open_orders(credential.account, book.instrument.symbol):
            engine.cancel(credential.account, order.symbol, order.order_id)
            cancelled.append(self.row(order))
        return cancelled

    def cancel_batch(self, credential: Credential, params: WeexParams) -> Any:
        """Orders by `orderIds` or `origClientOrderIds` (comma-separated, at most 50); the
        answer names each order cancelled, and each refused with its code."""
        ids = [("orderId", i) for i in (params.get("orderIds") or "").split(",") if i]
        ids += [
            ("origClientOrderId", c)
            for c in (params.get("origClientOrderIds") or "").split(",")
            if c
        ]
        if not ids or len(ids) > BATCH_MAX:
            raise V3Error(GENERIC, f"orderIds or origClientOrderIds: 1 to {BATCH_MAX}")
        results = []
        for name, value in ids:
            try:
                results.append(self.cancel(credential, WeexParams({name: value}, "")))
            except V3Error as refused:
                results.append({name: value, **refused.payload})
        return {"orders": results}

    def open_orders(self, credential: Credential, params: WeexParams) -> Any:
        symbol = self.v1.book(params).instrument.symbol if params.get("symbol") else None
        orders = self.exchange.engine.open_orders(credential.account, symbol)
        return [self.row(o) for o in sorted(orders, key=lambda o: o.order_id)]

    def all_orders(self, credential: Credential, params: WeexParams) -> Any:
        book = self.v1.book(params)
        limit = params.integer("limit", 500, 1, 1000)
        orders = self.exchange.engine.all_orders(credential.account, book.instrument.symbol)
        return [self.row(o) for o in orders[-limit:]]

    def my_trades(self, credential: Credential, params: WeexParams) -> Any:
        book = self.v1.book(params)
        symbol = book.instrument.symbol
        since = params.integer("startTime", 0, 0, 2**62)
        limit = params.integer("limit", 500, 1, 1000)
        account = self.exchange.engine.open_account(credential.account)
        fills = [f for f in account.fills if f.symbol == symbol and f.time_ms >= since]
        rows = []
        for fill in fills[:limit]:
            execution = fill.execution
            rows.append(
                {
                    "symbol": symbol,
                    "id": str(execution.trade_id),
                    "orderId": str(fill.order_id),
                    "price": plain(execution.price),
                    "qty": plain(execution.qty),
                    "quoteQty": plain(execution.price * execution.qty),
                    "commission": plain(execution.fee),
                    "commissionAsset": execution.fee_asset,
                    "time": fill.time_ms,
                    "isBuyer": fill.side is Side.BUY,
                    "isMaker": execution.is_maker,
                }
            )
        return rows

    def row(self, order: EngineOrder) -> dict[str, Any]:
        lot = self.exchange.engine.books[order.symbol].instrument.lot_size
        return {
            "symbol": order.symbol,
            "orderId": str(order.order_id),
            "clientOrderId": order.client_order_id,
            "price": plain(order.price or Decimal(0)),
            "origQty": plain(order.qty_lots * lot),
            "executedQty": plain(order.filled_lots * lot),
            "cummulativeQuoteQty": plain(order.filled_quote),
            "status": STATES[order.status],
            "timeInForce": order.time_in_force.value,
            "type": WIRE_TYPES[order.type],
            "side": order.side.value,
            "time": order.created_ms,
            "updateTime": order.updated_ms or order.created_ms,
            "isWorking": order.is_open,
        }


def in_v3_words(handler: Handler) -> Handler:
    async def wrapped(request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        try:
            return await handler(request, params, headers)
        except WeexError as error:
            raise v3_error(error) from None

    return wrapped
