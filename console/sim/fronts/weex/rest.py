"""WEEX spot v1 REST API of the simulator, every endpoint of the seed, and the listenKey
endpoints of its user data streams (`/api/v3/userDataStream`).

Answers come in the envelope `{"code": "00000", "msg": "success", "requestTime", "data"}`;
refusals with the seed's codes and HTTP 400 (429 past a limit). Each endpoint has the
seed's own limit, per key (signed) or per address (public), in one-second windows.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from aiohttp import web

from console.model import OrderType, Side, TimeInForce
from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.desk import OrderDesk, PlaceArgs
from console.sim.fronts.limits import WeightLimiter
from console.sim.fronts.rest import FrontError, RestFront, body_text
from console.sim.fronts.weex.requests import (
    WeexError,
    WeexParams,
    empty,
    invalid,
    signed_text,
    verify,
)
from console.sim.fronts.weex.wire import (
    FORCES,
    REJECTS,
    fill_row,
    order_row,
    order_type,
    plain,
    product_row,
    scale,
    side_of,
    wire_symbol,
)
from console.sim.state import EngineOrder, Reject

PERIODS = {
    "1min": "1m",
    "5min": "5m",
    "15min": "15m",
    "30min": "30m",
    "1h": "1h",
    "4h": "4h",
    "12h": "12h",
    "1d": "1d",
    "7d": "7d",
}
WEEK_MS = 7 * 86_400_000
DEPTH_STEPS = {f"step{n}": n for n in range(6)}
BATCH_MAX = 50
CLIENT_ID_MAX = 40
HISTORY_DAYS_MS = 90 * 86_400_000
"""The seed's "only the data of the last three months"."""
LISTEN_KEY_LIFE_MS = 60 * 60_000
LISTEN_KEYS_MOST = 60
TIMEOUT = WeexError("40725", "Spot service returns an error", status=500)
"""An order whose answer is lost after the engine acted (chaos `order_timeout`)."""

Handler = Callable[[web.Request, WeexParams, dict[str, str]], Awaitable[Any]]
Action = Callable[[Credential, WeexParams], Any]


class WeexWords:
    """How WEEX words what every simulated REST front does (`console.sim.fronts.rest`)."""

    def __init__(self, limits: dict[str, int]) -> None:
        self.limits = limits
        """Requests a second for each `METHOD path`."""

    def weight(self, request: web.Request, params: WeexParams) -> int:
        return 1

    def window(self, request: web.Request, params: WeexParams) -> tuple[str, int, int]:
        resource = request.match_info.route.resource
        path = resource.canonical if resource else request.path
        endpoint = f"{request.method} {path}"
        who = request.headers.get("ACCESS-KEY") or request.remote or ""
        return (f"{who} {endpoint}", self.limits.get(endpoint, 10), 1000)

    def usage_headers(self, limiter: WeightLimiter, now_ms: int) -> dict[str, str]:
        return {}

    def over_limit(self, status: int, limiter: WeightLimiter, limit: int) -> FrontError:
        return WeexError("429", "The request is too frequent", status=429)

    def internal_error(self) -> FrontError:
        return WeexError("40015", "System error", status=500)

    def unexpected(self) -> FrontError:
        return WeexError("40015", "System error", status=500)

    def answer(self, result: Any) -> Any:
        if isinstance(result, Bare):
            return dict(result)
        said = "message" if isinstance(result, Said) else "msg"
        return {
            "code": "00000",
            said: "success",
            "requestTime": int(time.time() * 1000),
            "data": result.data if isinstance(result, Said) else result,
        }

    async def params(self, request: web.Request) -> WeexParams:
        text = await body_text(
            request, WeexError("40409", "Wrong format"), WeexError("40409", "Wrong format")
        )
        if request.method == "POST" and text and request.content_type != "application/json":
            raise WeexError("40007", 'Invalid Content-Type, please use "application/json" format')
        return WeexParams(request.query, text)


class WeexRestFront(RestFront):
    def __init__(self, exchange: SimExchange) -> None:
        self.limits: dict[str, int] = {}
        super().__init__(exchange, WeexWords(self.limits), 0)
        self.desk = OrderDesk(exchange)
        self.listen_keys: dict[str, tuple[str, int]] = {}
        """listenKey -> (account, expiry in ms)."""

    def routes(self) -> list[web.RouteDef]:
        public: list[tuple[str, str, Handler, int]] = [
            ("GET", "/api/spot/v1/public/time", self.time, 20),
            ("GET", "/api/spot/v1/public/currencies", self.currencies, 20),
            ("GET", "/api/spot/v1/public/products", self.products, 20),
            ("GET", "/api/spot/v1/public/product", self.product, 20),
            ("GET", "/api/spot/v1/market/ticker", self.ticker, 20),
            ("GET", "/api/spot/v1/market/tickers", self.tickers, 20),
            ("GET", "/api/spot/v1/market/fills", self.market_fills, 20),
            ("GET", "/api/spot/v1/market/candles", self.candles, 20),
            ("GET", "/api/spot/v1/market/depth", self.depth, 20),
        ]
        private: list[tuple[str, str, Action, int]] = [
            ("GET", "/api/spot/v1/account/assets", said_in_message(self.assets), 10),
            ("POST", "/api/spot/v1/account/bills", said_in_message(self.bills), 10),
            ("GET", "/api/spot/v1/account/transferRecords", self.transfers, 10),
            ("POST", "/api/spot/v1/trade/orders", self.place, 10),
            ("POST", "/api/spot/v1/trade/batch-orders", self.place_batch, 5),
            ("POST", "/api/spot/v1/trade/cancel-order", said_in_message(self.cancel), 10),
            (
                "POST",
                "/api/spot/v1/trade/cancel-batch-orders",
                said_in_message(self.cancel_batch),
                10,
            ),
            ("POST", "/api/spot/v1/trade/orderInfo", said_in_message(self.order_info), 10),
            ("POST", "/api/spot/v1/trade/open-orders", said_in_message(self.open_orders), 10),
            ("POST", "/api/spot/v1/trade/history", said_in_message(self.history), 20),
            ("POST", "/api/spot/v1/trade/fills", said_in_message(self.fills), 20),
            ("POST", "/api/v3/userDataStream", self.create_listen_key, 10),
            ("GET", "/api/v3/userDataStream", self.listen_key_list, 10),
            ("PUT", "/api/v3/userDataStream", self.keep_listen_key, 10),
            ("DELETE", "/api/v3/userDataStream", self.close_listen_key, 10),
        ]
        return route_table(self, self.limits, public, private)

    # -- public ------------------------------------------------------------------------------

    async def time(self, request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        return self.exchange.clock()

    def coin_ids(self) -> dict[str, int]:
        books = self.exchange.engine.books.values()
        assets = sorted({a for b in books for a in (b.instrument.base, b.instrument.quote)})
        return {asset: number for number, asset in enumerate(assets, 1)}

    async def currencies(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return [
            {
                "coinId": str(number),
                "coinName": asset,
                "transfer": "false",
                "chains": [],
            }
            for asset, number in self.coin_ids().items()
        ]

    def _product(self, inst: Any) -> dict[str, Any]:
        engine = self.exchange.engine
        return product_row(inst, engine.default_maker_fee, engine.default_taker_fee)

    async def products(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return [self._product(b.instrument) for b in self.exchange.engine.books.values()]

    async def product(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return [self._product(self.book(params).instrument)]

    def book(self, params: WeexParams) -> Any:
        """The book a `symbol` names, as `BTCUSDT_SPBL` (any case) or `BTCUSDT`."""
        text = params.required("symbol").upper()
        name = text.removesuffix("_SPBL")
        book = self.exchange.engine.books.get(name)
        if book is None:
            raise WeexError("40102", "The symbol does not exist")
        return book

    def ticker_row(self, book: Any) -> dict[str, Any]:
        now = self.exchange.clock()
        stats = self.exchange.candles.window(book.instrument.symbol, now - 86_400_000, now)
        last = book.last_price or (stats.last if stats else Decimal(0))
        zero = Decimal(0)
        quote_volume = stats.quote_volume if stats else zero
        return {
            "symbol": book.instrument.symbol,
            "high24h": plain(stats.high if stats else last),
            "low24h": plain(stats.low if stats else last),
            "close": plain(last),
            "quoteVol": plain(quote_volume),
            "baseVol": plain(stats.volume if stats else zero),
            "usdtVol": plain(quote_volume if book.instrument.quote == "USDT" else zero),
            "ts": str(now),
        }

    async def ticker(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return self.ticker_row(self.book(params))

    async def tickers(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        return [self.ticker_row(b) for b in self.exchange.engine.books.values()]

    async def market_fills(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        book = self.book(params)
        limit = params.integer("limit", 100, 1, 500)
        tape = list(self.exchange.tapes[book.instrument.symbol])[-limit:]
        return [
            {
                "symbol": wire_symbol(book.instrument.symbol),
                "tradeId": str(trade.trade_id),
                "side": trade.taker_side.value.lower(),
                "fillPrice": plain(trade.price),
                "fillQuantity": plain(trade.qty),
                "fillTime": str(trade.time_ms),
            }
            for trade in reversed(tape)
        ]

    async def candles(
        self, request: web.Request, params: WeexParams, headers: dict[str, str]
    ) -> Any:
        book = self.book(params)
        period = params.required("period")
        if period not in PERIODS:
            raise invalid(f"period must be one of {', '.join(PERIODS)}")
        limit = params.integer("limit", 100, 1, 1000)
        after = params.integer("after", 0, 0, 2**62)
        before = params.integer("before", 2**62, 0, 2**62)
        symbol, store = book.instrument.symbol, self.exchange.candles
        now = self.exchange.clock()
        if period == "7d":
            store.current(symbol, "1d", now)
            bars = _weeks(store.bars(symbol, "1d"))
        else:
            store.current(symbol, PERIODS[period], now)
            bars = [_bar_row(bar) for bar in store.bars(symbol, PERIODS[period])]
        chosen = [row for row in bars if after <= int(row["ts"]) <= before]
        return chosen[-limit:]

    async def depth(self, request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        book = self.book(params)
        step = DEPTH_STEPS.get(params.get("type") or "step0")
        if step is None:
            raise invalid("type must be step0 to step5")
        levels = params.integer("limit", 500, 1, 500)
        l2 = book.l2
        bucket = book.instrument.tick_size * (Decimal(10) ** step)
        sides: dict[str, list[list[str]]] = {}
        for name, side, down in (("bids", l2.bids, True), ("asks", l2.asks, False)):
            merged: dict[Decimal, Decimal] = {}
            for ticks, lots in side.top(len(side)):
                units = l2.prices.value(ticks) / bucket
                price = (units.__floor__() if down else units.__ceil__()) * bucket
                if price not in merged and len(merged) == levels:
                    break
                merged[price] = merged.get(price, Decimal(0)) + l2.sizes.value(lots)
            sides[name] = [[plain(p), plain(s)] for p, s in merged.items()]
        return {
            "asks": sides["asks"],
            "bids": sides["bids"],
            "timestamp": str(self.exchange.clock()),
        }

    # -- account -----------------------------------------------------------------------------

    def assets(self, credential: Credential, params: WeexParams) -> Any:
        engine = self.exchange.engine
        account = engine.open_account(credential.account)
        now = str(self.exchange.clock())
        return [
            {
                "coinId": str(number),
                "coinName": asset.lower(),
                "available": plain(account.holding(asset).free),
                "frozen": plain(account.holding(asset).locked),
                "lock": "0",
                "uTime": now,
            }
            for asset, number in self.coin_ids().items()
        ]

    def bills(self, credential: Credential, params: WeexParams) -> Any:
        """The account's ledger as trades made it: each fill moves the base and the quote."""
        ids = self.coin_ids()
        coin = params.integer("coinId", 0, 0, 2**31)
        limit = params.integer("limit", 100, 1, 500)
        account = self.exchange.engine.open_account(credential.account)
        rows = []
        for fill in account.fills:
            inst = self.exchange.engine.instrument(fill.symbol)
            execution = fill.execution
            quote = execution.price * execution.qty
            buy = fill.side is Side.BUY
            for asset, quantity in ((inst.base, execution.qty), (inst.quote, quote)):
                gains = buy == (asset == inst.base)
                fee = execution.fee if execution.fee_asset == asset else Decimal(0)
                rows.append(
                    {
                        "cTime": str(fill.time_ms),
                        "coinId": str(ids[asset]),
                        "coinName": asset.lower(),
                        "groupType": "transaction",
                        "bizType": "buy" if buy else "sell",
                        "quantity": plain(quantity if gains else -quantity),
                        "balance": "0",
                        "fees": plain(fee),
                        "billId": f"{execution.trade_id}{int(asset == inst.quote)}",
                    }
                )
        chosen = [r for r in rows if not coin or r["coinId"] == str(coin)]
        return list(reversed(chosen))[:limit]

    def transfers(self, credential: Credential, params: WeexParams) -> Any:
        """The simulator moves nothing between accounts: the record is empty, truly."""
        params.integer("limit", 100, 1, 500)
        return []

    # -- orders ------------------------------------------------------------------------------

    def _place_args(self, credential: Credential, book: Any, order: dict[str, Any]) -> PlaceArgs:
        inst = book.instrument
        side = side_of(str(order.get("side") or ""))
        if side is None:
            raise invalid("side must be buy or sell")
        kind = str(order.get("orderType") or "")
        force = str(order.get("force") or "")
        if kind not in ("limit", "market") or force not in FORCES:
            raise invalid("orderType must be limit or market; force normal, post_only, ioc or fok")
        market = kind == "market"
        order_type, tif = (OrderType.MARKET, TimeInForce.GTC) if market else FORCES[force]
        quantity = _positive(order.get("quantity"), "quantity")
        if quantity is None:
            raise empty("quantity")
        price = _positive(order.get("price"), "price")
        if market and price is not None:
            raise invalid("a market order takes no price")
        if not market and price is None:
            raise empty("price")
        quote_sized = market and side is Side.BUY  # a market buy spends `quantity` of quote
        places = (8 if quote_sized else scale(inst.lot_size), scale(inst.tick_size))
        for value, most in ((quantity, places[0]), (price, places[1])):
            if value is not None and scale(value) > most:
                raise invalid(f"at most {most} decimals")
        client_id = str(order.get("clientOrderId") or "")
        if len(client_id) > CLIENT_ID_MAX or not all(c.isalnum() or c in "-_#" for c in client_id):
            raise WeexError(
                "40305",
                "Client_oid length is not greater than 40, and cannot be a Martian character",
            )
        return PlaceArgs(
            credential.account,
            inst.symbol,
            side,
            order_type,
            qty=None if quote_sized else quantity,
            price=price,
            time_in_force=tif,
            client_order_id=client_id,
            quote_qty=quantity if quote_sized else None,
        )

    def _placed(self, args: PlaceArgs) -> dict[str, str]:
        try:
            order, _ = self.desk.place(args, TIMEOUT)
        except Reject as reject:
            raise WeexError(*REJECTS[reject.reason]) from None
        return {"orderId": str(order.order_id), "clientOrderId": order.client_order_id}

    def place(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        return self._placed(self._place_args(credential, book, params.body))

    def place_batch(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        orders = params.raw("orderList")
        if not isinstance(orders, list) or not orders:
            raise empty("orderList")
        if len(orders) > BATCH_MAX:
            raise WeexError("40912", "Batch processing orders can only process up to 50")
        if not all(isinstance(o, dict) for o in orders):
            raise WeexError("40409", "Wrong format")
        results = [self._placed(self._place_args(credential, book, o)) for o in orders]
        return {"resultList": results}

    def _order(self, credential: Credential, params: WeexParams, book: Any) -> EngineOrder:
        order_id, client_id = params.get("orderId"), params.get("clientOrderId")
        if order_id is None and client_id is None:
            raise WeexError("40913", "OrderId or clientId must be passed in one")
        try:
            number = int(order_id) if order_id is not None else None
        except ValueError:
            raise invalid("orderId must be a number") from None
        try:
            order = self.exchange.engine.order(credential.account, number, client_id)
        except Reject:
            raise WeexError("40017", "Parameter verification failed: no such order") from None
        if order.symbol != book.instrument.symbol:
            raise WeexError("40017", "Parameter verification failed: no such order")
        return order

    def cancel(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        order = self._order(credential, params, book)
        return self._cancelled(credential, order)

    def _cancelled(self, credential: Credential, order: EngineOrder) -> str:
        try:
            self.exchange.engine.cancel(credential.account, order.symbol, order.order_id)
        except Reject as reject:
            raise WeexError(*REJECTS[reject.reason]) from None
        return str(order.order_id)

    def cancel_batch(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        ids = params.raw("orderIds")
        if not isinstance(ids, list) or not ids:
            raise empty("orderIds")
        if len(ids) > BATCH_MAX:
            raise WeexError("40912", "Batch processing orders can only process up to 50")
        cancelled = []
        for order_id in ids:
            try:
                order = self.exchange.engine.order(credential.account, int(order_id))
                if order.symbol == book.instrument.symbol and order.is_open:
                    cancelled.append(self._cancelled(credential, order))
            except (Reject, ValueError, TypeError):
                continue  # the seed's answer lists the ids it cancelled
        return cancelled

    def _rows(self, credential: Credential, orders: list[EngineOrder]) -> list[dict[str, Any]]:
        lot = {s: b.instrument.lot_size for s, b in self.exchange.engine.books.items()}
        return [order_row(o, self._account_id(credential), lot[o.symbol]) for o in orders]

    def order_info(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        return self._rows(credential, [self._order(credential, params, book)])

    def open_orders(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        orders = self.exchange.engine.open_orders(credential.account, book.instrument.symbol)
        return self._rows(credential, sorted(orders, key=lambda o: -o.order_id))

    def history(self, credential: Credential, params: WeexParams) -> Any:
        """Filled and cancelled orders of the last three months, newest first, paged by
        order id (`after`: older than it; `before`: newer than it)."""
        book = self.book(params)
        limit = params.integer("limit", 100, 1, 500)
        after = params.integer("after", 2**62, 0, 2**62)
        before = params.integer("before", 0, 0, 2**62)
        since = self.exchange.clock() - HISTORY_DAYS_MS
        orders = [
            o
            for o in self.exchange.engine.all_orders(credential.account, book.instrument.symbol)
            if not o.is_open and before < o.order_id < after and o.created_ms >= since
        ]
        return self._rows(credential, sorted(orders, key=lambda o: -o.order_id)[:limit])

    def _account_id(self, credential: Credential) -> str:
        return str(self.exchange.engine.open_account(credential.account).number)

    def fills(self, credential: Credential, params: WeexParams) -> Any:
        book = self.book(params)
        limit = params.integer("limit", 100, 1, 500)
        order_id = params.integer("orderId", 0, 0, 2**62)
        after = params.integer("after", 2**62, 0, 2**62)
        before = params.integer("before", 0, 0, 2**62)
        engine = self.exchange.engine
        account = engine.open_account(credential.account)
        chosen = [
            f
            for f in account.fills
            if f.symbol == book.instrument.symbol
            and (not order_id or f.order_id == order_id)
            and before < f.order_id < after
        ]
        rows = []
        for fill in reversed(chosen[-limit:]):
            try:
                kind = order_type(engine.order(credential.account, fill.order_id))
            except Reject:
                kind = "limit"
            rows.append(fill_row(fill, self._account_id(credential), kind))
        return rows

    # -- listen keys ---------------------------------------------------------------------------

    def _live_keys(self, account: str) -> list[str]:
        now = self.exchange.clock()
        return [k for k, (a, expiry) in self.listen_keys.items() if a == account and expiry > now]

    def create_listen_key(self, credential: Credential, params: WeexParams) -> Any:
        if len(self._live_keys(credential.account)) >= LISTEN_KEYS_MOST:
            raise invalid(f"at most {LISTEN_KEYS_MOST} listen keys")
        key = secrets.token_hex(32)
        self.listen_keys[key] = (credential.account, self.exchange.clock() + LISTEN_KEY_LIFE_MS)
        return _bare({"listenKey": key})

    def listen_key_list(self, credential: Credential, params: WeexParams) -> Any:
        return _bare({"listenKey": self._live_keys(credential.account)})

    def _own_key(self, credential: Credential, params: WeexParams) -> str:
        key = params.required("listenKey")
        if key not in self._live_keys(credential.account):
            raise invalid("listenKey does not exist or has expired")
        return key

    def keep_listen_key(self, credential: Credential, params: WeexParams) -> Any:
        key = self._own_key(credential, params)
        self.listen_keys[key] = (credential.account, self.exchange.clock() + LISTEN_KEY_LIFE_MS)
        return _bare({"listenKey": key})

    def close_listen_key(self, credential: Credential, params: WeexParams) -> Any:
        key = self._own_key(credential, params)
        del self.listen_keys[key]
        return _bare({"listenKey": key})

    def account_of(self, listen_key: str) -> str | None:
        """The account a live listenKey opens a user data stream for."""
        owner = self.listen_keys.get(listen_key)
        if owner is None or owner[1] <= self.exchange.clock():
            return None
        return owner[0]


def signed(exchange: SimExchange, action: Action) -> Handler:
    """An endpoint that checks the ACCESS-* headers (the same on v1, v3 and demo trading)
    and hands the action the key's credential."""

    async def handler(request: web.Request, params: WeexParams, headers: dict[str, str]) -> Any:
        stamp = request.headers.get("ACCESS-TIMESTAMP", "")
        credential = verify(
            exchange.credentials,
            request.headers,
            exchange.clock(),
            signed_text(request, stamp, params.body_text),
        )
        return action(credential, params)

    return handler


def route_table(
    front: RestFront,
    limits: dict[str, int],
    public: list[tuple[str, str, Handler, int]],
    private: list[tuple[str, str, Action, int]],
    wrap: Callable[[Handler], Handler] = lambda handler: handler,
) -> list[web.RouteDef]:
    """A front's routes from its table of (method, path, handler, requests a second),
    the private ones signed; `wrap` words each endpoint's refusals (v3's codes)."""
    routes = [(m, p, h, n) for m, p, h, n in public]
    routes += [(m, p, signed(front.exchange, a), n) for m, p, a, n in private]
    defs = []
    for method, path, handler, per_second in routes:
        limits[f"{method} {path}"] = per_second
        defs.append(web.route(method, path, front.endpoint(wrap(handler))))
    return defs


class Bare(dict[str, Any]):
    """An answer the listenKey endpoints send as it is, outside the v1 envelope (they are
    v3 endpoints, Binance-shaped)."""


def _bare(body: dict[str, Any]) -> Bare:
    return Bare(body)


def _positive(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    params = WeexParams({name: str(value)}, "")
    return params.decimal(name)


def _bar_row(bar: Any) -> dict[str, str]:
    return {
        "open": plain(bar.open),
        "high": plain(bar.high),
        "low": plain(bar.low),
        "close": plain(bar.close),
        "quoteVol": plain(bar.quote_volume),
        "baseVol": plain(bar.volume),
        "usdtVol": plain(bar.quote_volume),
        "ts": str(bar.open_ms),
    }


def _weeks(days: Any) -> list[dict[str, str]]:
    """Daily bars folded into 7-day bars (weeks counted from the epoch)."""
    weeks: dict[int, list[Any]] = {}
    for bar in days:
        weeks.setdefault(bar.open_ms // WEEK_MS, []).append(bar)
    rows = []
    for start, bars in sorted(weeks.items()):
        rows.append(
            {
                "open": plain(bars[0].open),
                "high": plain(max(b.high for b in bars)),
                "low": plain(min(b.low for b in bars)),
                "close": plain(bars[-1].close),
                "quoteVol": plain(sum((b.quote_volume for b in bars), Decimal(0))),
                "baseVol": plain(sum((b.volume for b in bars), Decimal(0))),
                "usdtVol": plain(sum((b.quote_volume for b in bars), Decimal(0))),
                "ts": str(start * WEEK_MS),
            }
        )
    return rows


class Said:
    """An answer whose envelope words its message as `message`, not `msg`: the seed's
    account and order endpoints do (assets, bills, cancels, order queries, fills)."""

    def __init__(self, data: Any) -> None:
        self.data = data


def said_in_message(action: Action) -> Action:
    def answered(credential: Credential, params: WeexParams) -> Said:
        return Said(action(credential, params))

    return answered
