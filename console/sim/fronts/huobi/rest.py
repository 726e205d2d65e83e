"""Huobi spot REST API of the simulator: common, market, account, order and v2 endpoints.

Answers come in the v1 envelope `{"status": "ok", "data": ...}` (market data with `ch`,
`ts` and `tick`) or the v2 `{"code": 200, "data": ...}`; refusals in Huobi's err-codes
with HTTP 200. Limits are the document's: private endpoints per key and endpoint in 2 s
windows (with `X-HB-RateLimit-Requests-Remain`/`-Expire`), the rest 10 a second per key
or address; past a limit the answer is 429 `api-request-too-frequent`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from aiohttp import web

from console.model import OrderType, Side
from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.client_json import read_json
from console.sim.fronts.desk import OrderDesk, PlaceArgs
from console.sim.fronts.huobi.market_data import HuobiMarketData
from console.sim.fronts.huobi.requests import HuobiError, HuobiV2Error, invalid, pre_signed, verify
from console.sim.fronts.huobi.wire import (
    NUMBERS,
    OPERATORS,
    REJECTS,
    STATE_CODES,
    STOP_TYPES,
    TYPES,
    OrderRows,
    currency_row,
    match_row,
    order_type,
    precision,
    state,
    symbol_row,
    wire_symbol,
)
from console.sim.fronts.limits import WeightLimiter
from console.sim.fronts.rest import MAX_BODY_BYTES, Params, RestFront, body_text
from console.sim.state import EngineOrder, Reject

PERIODS = {
    "1min": "1m",
    "5min": "5m",
    "15min": "15m",
    "30min": "30m",
    "60min": "1h",
    "4hour": "4h",
    "1day": "1d",
}
"""The candle periods the simulator keeps; 1week, 1mon and 1year are refused as an
invalid period (its history is days long, not years)."""
DEPTH_STEPS = {f"step{n}": n for n in range(6)}
DEFAULT_LIMIT = (10, 1000)
"""Ten requests a second per key (or address), for endpoints without a limit of their own."""
CLIENT_ID_MAX = 64
CLIENT_ID_MEMORY_MS = 8 * 3600_000
"""A client order id may not be used again within 8 hours."""
BATCH_CANCEL_MAX = 50
OPEN_CANCEL_MAX = 100
DMS_MIN_SECONDS = 5
DMS_CANCELS_AT_MOST = 500
TIMEOUT = HuobiError("gateway-timeout", "Request timed out: order status unknown", status=504)

Handler = Callable[[web.Request, "HuobiParams", dict[str, str]], Awaitable[Any]]
Action = Callable[[Credential, "HuobiParams", web.Request], Any]


class HuobiParams(Params):
    """The query (GET parameters and every request's signature) and a POST's JSON body."""

    def missing(self, name: str) -> HuobiError:
        return HuobiError("validation-constraints-required", f"Field is missing: {name}.")

    def bad(self, name: str, low: int | None = None, high: int | None = None) -> HuobiError:
        if low is None:
            return invalid(f"invalid {name}")
        return invalid(f"invalid {name},valid range: [{low}, {high}]")


class HuobiWords:
    """How Huobi words what every simulated REST front does (`console.sim.fronts.rest`)."""

    def __init__(self, limits: dict[str, tuple[int, int]]) -> None:
        self.limits = limits
        """Requests per window (ms) for each private path that has its own limit."""

    def weight(self, request: web.Request, params: HuobiParams) -> int:
        return 1

    def window(self, request: web.Request, params: HuobiParams) -> tuple[str, int, int]:
        key = params.query.get("AccessKeyId") or request.remote or ""
        path = (
            request.match_info.route.resource.canonical
            if request.match_info.route.resource
            else request.path
        )
        own = self.limits.get(f"{request.method} {path}")
        if own is None or "AccessKeyId" not in params.query:
            return (key, *DEFAULT_LIMIT)
        return (f"{key} {request.method} {path}", *own)

    def usage_headers(self, limiter: WeightLimiter, now_ms: int) -> dict[str, str]:
        window = limiter.window
        return {
            "X-HB-RateLimit-Requests-Remain": str(max(0, window.limit - window.used)),
            "X-HB-RateLimit-Requests-Expire": str(window.start_ms + window.interval_ms),
        }

    def over_limit(self, status: int, limiter: WeightLimiter, limit: int) -> HuobiError:
        return HuobiError(
            "api-request-too-frequent", "Request too frequent. Please try again later.", 429
        )

    def internal_error(self) -> HuobiError:
        return HuobiError("base-system-error", "System internal error", status=502)

    def unexpected(self) -> HuobiError:
        return HuobiError("base-system-error", "System internal error", status=500)

    def answer(self, result: Any) -> Any:
        return msgspec.Raw(NUMBERS.encode(result))

    async def params(self, request: web.Request) -> HuobiParams:
        query = dict(parse_qsl(request.rel_url.raw_query_string, keep_blank_values=True))
        text = await body_text(
            request,
            HuobiError("bad-request", f"Request body over {MAX_BODY_BYTES} bytes", status=413),
            invalid("the request body is not UTF-8"),
        )
        try:
            body = read_json(text) if text.strip() else {}
        except ValueError:
            raise invalid("the request body is not JSON") from None
        return HuobiParams(query, body)


def ok(data: Any) -> dict[str, Any]:
    return {"status": "ok", "data": data}


class HuobiAccounts:
    """Huobi's numeric account ids for the engine's accounts (one spot account each)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.names: dict[int, str] = {}

    def id_of(self, account: str) -> int:
        account_id = self.ids.get(account)
        if account_id is None:
            account_id = self.ids[account] = 100_001 + len(self.ids)
            self.names[account_id] = account
        return account_id

    def check(self, credential: Credential, text: str | None) -> int:
        """The account id a request names, which must be the key's own."""
        account_id = self.id_of(credential.account)
        if text is None:
            raise HuobiError("validation-constraints-required", "Field is missing: account-id.")
        if text != str(account_id):
            raise HuobiError("account-account-id-inexistent", "The account id doesn't exist")
        return account_id


class HuobiRestFront(RestFront):
    def __init__(
        self, exchange: SimExchange, accounts: HuobiAccounts, market: HuobiMarketData
    ) -> None:
        self.limits: dict[str, tuple[int, int]] = {}
        super().__init__(exchange, HuobiWords(self.limits), weight_limit=DEFAULT_LIMIT[0])
        self.accounts = accounts
        self.market = market
        self.desk = OrderDesk(exchange)
        self.client_ids: dict[tuple[str, str], int] = {}
        """(account, client order id) -> when it was last used, for the 8-hour rule."""

    def routes(self) -> list[web.RouteDef]:
        public: list[tuple[str, str, Handler]] = [
            ("GET", "/v1/common/symbols", self.symbols),
            ("GET", "/v1/common/currencys", self.currencies),
            ("GET", "/v2/reference/currencies", self.reference_currencies),
            ("GET", "/v1/common/timestamp", self.timestamp),
            ("GET", "/market/depth", self.depth),
            ("GET", "/market/trade", self.last_trade),
            ("GET", "/market/history/trade", self.history_trades),
            ("GET", "/market/history/kline", self.klines),
            ("GET", "/market/history/candles", self.klines),
            ("GET", "/market/tickers", self.tickers),
            ("GET", "/market/detail/merged", self.merged),
            ("GET", "/market/detail", self.detail),
        ]
        private: list[tuple[str, str, Action, int]] = [
            ("GET", "/v1/account/accounts", self.account_list, 100),
            ("GET", "/v1/account/accounts/{account_id}/balance", self.balance, 100),
            ("POST", "/v1/order/orders/place", self.place, 100),
            ("POST", "/v1/order/orders/submitCancelClientOrder", self.cancel_client, 100),
            ("POST", "/v1/order/orders/batchcancel", self.batch_cancel, 50),
            ("POST", "/v1/order/orders/batchCancelOpenOrders", self.cancel_open, 50),
            ("POST", "/v1/order/orders/{order_id}/submitcancel", self.cancel, 100),
            ("GET", "/v1/order/openOrders", self.open_orders, 50),
            ("GET", "/v1/order/orders/getClientOrder", self.client_order, 50),
            ("GET", "/v1/order/orders/{order_id}/matchresults", self.order_matches, 50),
            ("GET", "/v1/order/orders/{order_id}", self.order_detail, 50),
            ("GET", "/v1/order/orders", self.search_orders, 50),
            ("GET", "/v1/order/history", self.history, 20),
            ("GET", "/v1/order/matchresults", self.matches, 20),
            ("GET", "/v2/reference/transact-fee-rate", self.fee_rates, 0),
            ("POST", "/v2/algo-orders/cancel-all-after", self.cancel_all_after, 0),
        ]
        defs = [web.route(m, path, self.endpoint(h)) for m, path, h in public]
        for method, path, action, per_2s in private:
            if per_2s:
                self.limits[f"{method} {path}"] = (per_2s, 2000)
            defs.append(web.route(method, path, self.endpoint(self._signed(action))))
        return defs

    def _signed(self, action: Action) -> Handler:
        async def handler(
            request: web.Request, params: HuobiParams, headers: dict[str, str]
        ) -> Any:
            query = params.query
            if query.get("SignatureMethod") != "HmacSHA256" or query.get("SignatureVersion") != "2":
                raise HuobiError(
                    "api-signature-not-valid", "Signature not valid: SignatureMethod or version"
                )
            signed = {k: v for k, v in query.items() if k != "Signature"}
            credential = verify(
                self.exchange.credentials,
                query.get("AccessKeyId"),
                query.get("Timestamp"),
                self.exchange.clock(),
                pre_signed(request.method, request.host, request.path, signed),
                query.get("Signature"),
            )
            return action(credential, params, request)

        return handler

    # -- common and market data --------------------------------------------------------------

    async def symbols(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        return ok([symbol_row(b.instrument) for b in self.exchange.engine.books.values()])

    async def currencies(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        books = self.exchange.engine.books.values()
        assets = {a for b in books for a in (b.instrument.base, b.instrument.quote)}
        return ok(sorted(a.lower() for a in assets))

    async def reference_currencies(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        """GET /v2/reference/currencies, as HTX answers it (its shape from a recorded answer
        quoted in ccxt's `htx.fetch_currencies`): each asset on one chain of its own name,
        deposits and withdrawals open; `currency=` narrows it to one."""
        books = self.exchange.engine.books.values()
        assets = sorted({a.lower() for b in books for a in (b.instrument.base, b.instrument.quote)})
        wanted = params.get("currency")
        if wanted is not None:
            assets = [a for a in assets if a == wanted]
        return {"code": 200, "data": [currency_row(asset) for asset in assets]}

    async def timestamp(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        return ok(self.exchange.clock())

    def _tick(self, channel: str, tick: Any) -> dict[str, Any]:
        return {"status": "ok", "ch": channel, "ts": self.exchange.clock(), "tick": tick}

    def _data(self, channel: str, data: Any) -> dict[str, Any]:
        return {"status": "ok", "ch": channel, "ts": self.exchange.clock(), "data": data}

    async def depth(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        step = params.get("type") or "step0"
        if step not in DEPTH_STEPS:
            raise invalid("invalid type")
        depth = params.get("depth")
        if depth is not None and depth not in ("5", "10", "20"):
            raise invalid("invalid depth")
        levels = int(depth) if depth else (150 if step == "step0" else 20)
        symbol = wire_symbol(book.instrument.symbol)
        return self._tick(
            f"market.{symbol}.depth.{step}", self.market.depth(book, DEPTH_STEPS[step], levels)
        )

    async def last_trade(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        groups = self.market.trade_groups(book, 1)
        symbol = wire_symbol(book.instrument.symbol)
        return self._tick(f"market.{symbol}.trade.detail", groups[0] if groups else {"data": []})

    async def history_trades(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        size = params.integer("size", 1, 1, 2000)
        symbol = wire_symbol(book.instrument.symbol)
        return self._data(f"market.{symbol}.trade.detail", self.market.trade_groups(book, size))

    async def klines(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        period = params.required("period")
        if period not in PERIODS:
            raise invalid("invalid period")
        size = params.integer("size", 150, 1, 2000)
        symbol = wire_symbol(book.instrument.symbol)
        return self._data(
            f"market.{symbol}.kline.{period}", self.market.bars(book, PERIODS[period], size)
        )

    async def tickers(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        rows = [self.market.ticker(b) for b in self.exchange.engine.books.values()]
        return {"status": "ok", "ts": self.exchange.clock(), "data": rows}

    async def merged(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        symbol = wire_symbol(book.instrument.symbol)
        return self._tick(f"market.{symbol}.detail.merged", self.market.merged(book))

    async def detail(
        self, request: web.Request, params: HuobiParams, headers: dict[str, str]
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        symbol = wire_symbol(book.instrument.symbol)
        return self._tick(f"market.{symbol}.detail", self.market.detail(book))

    # -- account -----------------------------------------------------------------------------

    def account_list(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        account_id = self.accounts.id_of(credential.account)
        return ok([{"id": account_id, "type": "spot", "subtype": "", "state": "working"}])

    def balance(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        account_id = self.accounts.check(credential, request.match_info["account_id"])
        engine = self.exchange.engine
        account = engine.accounts.get(credential.account) or engine.open_account(credential.account)
        rows = []
        for asset, holding in sorted(account.holdings.items()):
            rows.append(
                {"currency": asset.lower(), "type": "trade", "balance": f"{holding.free:.18f}"}
            )
            rows.append(
                {"currency": asset.lower(), "type": "frozen", "balance": f"{holding.locked:.18f}"}
            )
        return ok({"id": account_id, "type": "spot", "state": "working", "list": rows})

    # -- orders ------------------------------------------------------------------------------

    def _rows(self, credential: Credential, order: EngineOrder) -> OrderRows:
        unit = self.exchange.engine.books[order.symbol].unit
        return OrderRows(self.accounts.id_of(credential.account), unit)

    def _row(self, credential: Credential, order: EngineOrder) -> dict[str, Any]:
        return self._rows(credential, order).row(
            order, self._fees(credential.account, order.order_id)
        )

    def _fees(self, account: str, order_id: int) -> Decimal:
        acct = self.exchange.engine.accounts.get(account)
        fills = acct.fills if acct else []
        return sum((f.execution.fee for f in fills if f.order_id == order_id), Decimal(0))

    def place(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        self.accounts.check(credential, params.get("account-id"))
        book = self.market.book(params.get("symbol"))
        inst = book.instrument
        side_text, _, kind = params.required("type").partition("-")
        if side_text not in ("buy", "sell") or (kind not in TYPES and kind not in STOP_TYPES):
            raise HuobiError("order-type-invalid", "Order type is invalid")
        side = Side(side_text.upper())
        if kind in STOP_TYPES:
            order_type, tif = OrderType.LIMIT, STOP_TYPES[kind]
            stop_price, above = self._stop(params)
        else:
            (order_type, tif), stop_price, above = TYPES[kind], None, False
        amount = params.decimal("amount")
        if amount is None:
            raise HuobiError("validation-constraints-required", "Field is missing: amount.")
        price = params.decimal("price")
        market = kind == "market"
        if market and price is not None:
            raise invalid("a market order takes no price")
        if not market and price is None:
            raise HuobiError("validation-constraints-required", "Field is missing: price.")
        buy_value = market and side is Side.BUY
        self._check_precision(
            price, amount, precision(inst.tick_size), 8 if buy_value else precision(inst.lot_size)
        )
        if not buy_value and amount < inst.min_qty:
            raise HuobiError(
                "order-limitorder-amount-min-error",
                f"Order amount cannot be less than {inst.min_qty}",
            )
        if not buy_value and inst.max_qty and amount > inst.max_qty:
            raise HuobiError(
                "order-limitorder-amount-max-error",
                f"Order amount cannot be more than {inst.max_qty}",
            )
        client_id = params.get("client-order-id")
        if client_id is not None:
            self._check_client_id(credential.account, client_id)
        args = PlaceArgs(
            credential.account,
            inst.symbol,
            side,
            order_type,
            qty=None if buy_value else amount,
            price=price,
            time_in_force=tif,
            client_order_id=client_id or "",
            quote_qty=amount if buy_value else None,
            stop_price=stop_price,
            trigger_above=above,
        )
        try:
            order, _ = self.desk.place(args, TIMEOUT)
        except Reject as reject:
            raise HuobiError(*REJECTS[reject.reason]) from None
        return ok(str(order.order_id))

    @staticmethod
    def _stop(params: HuobiParams) -> tuple[Decimal, bool]:
        """A stop-limit order's stop price and which way the last price must move to it."""
        stop_price = params.decimal("stop-price")
        if stop_price is None:
            raise params.missing("stop-price")
        operator = params.required("operator")
        if operator not in OPERATORS:
            raise params.bad("operator")
        return stop_price, OPERATORS[operator]

    @staticmethod
    def _check_precision(
        price: Decimal | None, amount: Decimal, price_places: int, amount_places: int
    ) -> None:
        if price is not None and -price.normalize().as_tuple().exponent > price_places:  # type: ignore[operator]
            raise HuobiError(
                "order-orderprice-precision-error",
                f"order price precision error, scale: `{price_places}`",
            )
        if -amount.normalize().as_tuple().exponent > amount_places:  # type: ignore[operator]
            raise HuobiError(
                "order-orderamount-precision-error",
                f"order amount precision error, scale: `{amount_places}`",
            )

    def _check_client_id(self, account: str, client_id: str) -> None:
        now = self.exchange.clock()
        if len(client_id) > CLIENT_ID_MAX:
            raise HuobiError("invalid-client-order-id", "invalid.client.order.id")
        used = self.client_ids.get((account, client_id))
        if used is not None and now - used < CLIENT_ID_MEMORY_MS:
            raise HuobiError("invalid-client-order-id", "invalid.client.order.id")
        self.client_ids[(account, client_id)] = now
        if len(self.client_ids) > 100_000:  # forget the oldest: their 8 hours are long gone
            for key in list(self.client_ids)[:10_000]:
                del self.client_ids[key]

    def _order(
        self, credential: Credential, order_id: str | None = None, client_id: str | None = None
    ) -> EngineOrder:
        try:
            number = int(order_id) if order_id is not None else None
        except ValueError:
            raise invalid("invalid order-id") from None
        try:
            return self.exchange.engine.order(credential.account, number, client_id)
        except Reject:
            raise HuobiError("base-record-invalid", "record invalid") from None

    def _cancel_order(self, credential: Credential, order: EngineOrder) -> None:
        if not order.is_open:
            raise HuobiError(
                "order-orderstate-error", "Incorrect order state", **{"order-state": -1}
            )
        self.exchange.engine.cancel(credential.account, order.symbol, order_id=order.order_id)

    def cancel(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        order_id = request.match_info["order_id"]
        try:
            order = self._order(credential, order_id)
        except HuobiError:
            raise HuobiError(
                "order-orderstate-error", "Incorrect order state", **{"order-state": -1}
            ) from None
        self._cancel_order(credential, order)
        return ok(order_id)

    def cancel_client(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        client_id = params.required("client-order-id")
        try:
            order = self._order(credential, client_id=client_id)
        except HuobiError:
            return ok(0)  # the document's "client-order-id not found"
        if not order.is_open:
            return ok(-1)
        self.exchange.engine.cancel(credential.account, order.symbol, order_id=order.order_id)
        return ok(STATE_CODES["canceling"])

    def batch_cancel(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        by_id, by_client = params.body.get("order-ids"), params.body.get("client-order-ids")
        if (by_id is None) == (by_client is None):
            raise invalid("either order-ids or client-order-ids")
        ids = by_id if by_id is not None else by_client
        if not isinstance(ids, list) or len(ids) > BATCH_CANCEL_MAX:
            raise invalid(f"at most {BATCH_CANCEL_MAX} order ids")
        success: list[str] = []
        failed: list[dict[str, Any]] = []
        for each in ids:
            key = "order-id" if by_id is not None else "client-order-id"
            try:
                order = (
                    self._order(credential, str(each))
                    if by_id is not None
                    else self._order(credential, client_id=str(each))
                )
            except HuobiError:
                failed.append(
                    {
                        key: str(each),
                        "err-code": "base-not-found",
                        "err-msg": "The record is not found.",
                    }
                )
                continue
            if not order.is_open:
                failed.append(
                    {
                        key: str(each),
                        "err-code": "order-orderstate-error",
                        "err-msg": "Incorrect order state",
                        "order-state": STATE_CODES[state(order)],
                    }
                )
                continue
            self.exchange.engine.cancel(credential.account, order.symbol, order_id=order.order_id)
            success.append(str(each))
        return ok({"success": success, "failed": failed})

    def cancel_open(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        if params.get("account-id") is not None:
            self.accounts.check(credential, params.get("account-id"))
        symbols = params.get("symbol")
        wanted = None if symbols is None else {s.upper() for s in symbols.split(",")}
        side = params.get("side")
        size = params.integer("size", 100, 1, OPEN_CANCEL_MAX)
        orders = [
            o
            for o in sorted(
                self.exchange.engine.open_orders(credential.account), key=lambda o: o.order_id
            )
            if (wanted is None or o.symbol in wanted)
            and (side is None or o.side.value.lower() == side)
        ]
        done = 0
        for order in orders[:size]:
            if order.is_open:
                self.exchange.engine.cancel(
                    credential.account, order.symbol, order_id=order.order_id
                )
                done += 1
        rest = orders[size:]
        return ok(
            {"success-count": done, "failed-count": 0, "next-id": rest[0].order_id if rest else -1}
        )

    def open_orders(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        self.accounts.check(credential, params.get("account-id"))
        book = self.market.book(params.get("symbol"))
        side = params.get("side")
        size = params.integer("size", 100, 1, 500)
        orders = sorted(
            self.exchange.engine.open_orders(credential.account, book.instrument.symbol),
            key=lambda o: o.order_id,
            reverse=True,
        )
        rows = [
            self._row(credential, o) for o in orders if side is None or o.side.value.lower() == side
        ]
        return ok(rows[:size])

    def order_detail(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        return ok(self._row(credential, self._order(credential, request.match_info["order_id"])))

    def client_order(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        client_id = params.get("clientOrderId")
        if client_id is None:
            raise HuobiError("validation-constraints-required", "Field is missing: clientOrderId.")
        return ok(self._row(credential, self._order(credential, client_id=client_id)))

    def _fills(
        self, credential: Credential, symbol: str | None = None, order_id: int | None = None
    ) -> list[Any]:
        acct = self.exchange.engine.accounts.get(credential.account)
        return [
            f
            for f in (acct.fills if acct else [])
            if (symbol is None or f.symbol == symbol)
            and (order_id is None or f.order_id == order_id)
        ]

    def _match_rows(self, credential: Credential, fills: list[Any]) -> list[dict[str, Any]]:
        engine = self.exchange.engine
        rows = []
        for fill in fills:
            try:
                order = engine.order(credential.account, fill.order_id)
            except Reject:
                order = None
            record_id = fill.execution.trade_id * 2 + fill.execution.is_maker
            rows.append(match_row(fill, record_id, order))
        return rows

    def order_matches(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        order = self._order(credential, request.match_info["order_id"])
        return ok(self._match_rows(credential, self._fills(credential, order_id=order.order_id)))

    def matches(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        book = self.market.book(params.get("symbol"))
        size = params.integer("size", 100, 1, 500)
        start, end = self._window(params, 48)
        fills = [
            f for f in self._fills(credential, book.instrument.symbol) if start <= f.time_ms <= end
        ]
        return ok(list(reversed(self._match_rows(credential, fills[-size:]))))

    def _window(self, params: HuobiParams, hours: int) -> tuple[int, int]:
        now = self.exchange.clock()
        end = params.integer("end-time", now, 0, 2**62)
        start = params.integer("start-time", end - hours * 3600_000, 0, 2**62)
        if start > end or end - start > hours * 3600_000:
            raise HuobiError(
                "invalid-interval", "Query window is zero, negative or greater than limitation"
            )
        return start, end

    def search_orders(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        book = self.market.book(params.get("symbol"))
        states = set(params.required("states").split(","))
        types = params.get("types")
        size = params.integer("size", 100, 1, 100)
        start, end = self._window(params, 48)
        orders = [
            o
            for o in self.exchange.engine.all_orders(credential.account, book.instrument.symbol)
            if state(o) in states
            and (types is None or order_type(o) in types.split(","))
            and start <= o.created_ms <= end
        ]
        return ok([self._row(credential, o) for o in reversed(orders)][:size])

    def history(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        symbol = params.get("symbol")
        book = self.market.book(symbol) if symbol else None
        size = params.integer("size", 100, 10, 1000)
        start, end = self._window(params, 48)
        symbols = [book.instrument.symbol] if book else list(self.exchange.engine.books)
        orders = [
            o
            for s in symbols
            for o in self.exchange.engine.all_orders(credential.account, s)
            if not o.is_open and start <= o.created_ms <= end
        ]
        orders.sort(key=lambda o: o.order_id, reverse=True)
        return ok([self._row(credential, o) for o in orders[:size]])

    # -- v2 ----------------------------------------------------------------------------------

    def fee_rates(self, credential: Credential, params: HuobiParams, request: web.Request) -> Any:
        text = params.get("symbols")
        if text is None:
            raise HuobiV2Error(2003, "missing mandatory field")
        engine = self.exchange.engine
        account = engine.accounts.get(credential.account) or engine.open_account(credential.account)
        rows = []
        for symbol in [s for s in text.split(",") if s]:
            if symbol.upper() not in engine.books or not symbol.islower():
                raise HuobiV2Error(2002, f'invalid field value in "symbols": {symbol}')
            maker, taker = f"{account.maker_fee}", f"{account.taker_fee}"
            rows.append(
                {
                    "symbol": symbol,
                    "makerFeeRate": maker,
                    "takerFeeRate": taker,
                    "actualMakerRate": maker,
                    "actualTakerRate": taker,
                }
            )
        return {"code": 200, "data": rows}

    def cancel_all_after(
        self, credential: Credential, params: HuobiParams, request: web.Request
    ) -> Any:
        """The Automated Cancel Order: unless called again within `timeout` seconds, every
        spot order of the account is cancelled (up to 500); 0 switches it off."""
        text = params.get("timeout")
        if text is None:
            raise HuobiV2Error(2003, "missing mandatory field")
        try:
            timeout = int(text)
        except ValueError:
            raise HuobiV2Error(2002, 'invalid field value in "timeout"') from None
        if timeout != 0 and timeout < DMS_MIN_SECONDS:
            raise HuobiV2Error(2002, 'invalid field value in "timeout"')
        now = self.exchange.clock()
        trigger = self.exchange.engine.cancel_all_after(
            credential.account, timeout * 1000, most=DMS_CANCELS_AT_MOST
        )
        return {
            "code": 200,
            "data": [
                {
                    "currentTime": str(now // 1000),
                    "triggerTime": str(trigger // 1000 if trigger else 0),
                }
            ],
        }
