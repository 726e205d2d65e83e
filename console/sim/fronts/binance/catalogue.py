"""Every operation of Binance's spot API the simulator serves, in one table for both APIs.

An operation is reachable over REST (method and path), over the WebSocket API (method
name), or both; its weight is Binance's, and a signed one runs for the account of the key
that signed it. What Binance documents and the simulator deliberately does not serve is
listed in `UNSUPPORTED`, with the reason a client reads in its `-1020` answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from console.sim.fronts.binance.market_data import MarketData, symbols_asked
from console.sim.fronts.binance.orders import Orders
from console.sim.fronts.binance.requests import Params

Weight = Callable[[Params], int]
Run = Callable[[str, Params], Any]
"""The account ("" for a public operation) and the request's parameters -> the answer."""


@dataclass(frozen=True)
class Operation:
    rest: tuple[str, str] | None
    ws: str | None
    weight: Weight
    run: Run
    signed: bool = False
    new_order: bool = False
    """Counts against the account's order-rate windows."""


def fixed(weight: int) -> Weight:
    return lambda params: weight


def depth_weight(params: Params) -> int:
    limit = params.integer("limit", 100) or 100
    return (
        next(w for top, w in ((100, 5), (500, 25), (1000, 50)) if limit <= top)
        if limit <= 1000
        else 250
    )


def per_symbol(each: int, most: int, all_symbols: int) -> Weight:
    """Tickers weigh by how many symbols they cover."""

    def weight(params: Params) -> int:
        asked = symbols_asked(params)
        return all_symbols if asked is None else min(each * asked, most)

    return weight


def ticker_24hr_weight(params: Params) -> int:
    asked = symbols_asked(params)
    if asked is None or asked > 100:
        return 80
    return 2 if asked <= 20 else 40


def one_or_many(one: int, many: int) -> Weight:
    return lambda params: one if params.get("symbol") is not None else many


def with_id(without: int, with_: int, name: str) -> Weight:
    return lambda params: with_ if params.get(name) is not None else without


def test_weight(params: Params) -> int:
    return 20 if params.get("computeCommissionRates") == "true" else 1


def operations(market: MarketData, orders: Orders) -> list[Operation]:
    def public(run: Callable[[Params], Any]) -> Run:
        return lambda account, params: run(params)

    o = orders
    return [
        # -- general and market data (public) ---------------------------------------------
        Operation(("GET", "/api/v3/ping"), "ping", fixed(1), public(lambda p: {})),
        Operation(
            ("GET", "/api/v3/time"),
            "time",
            fixed(1),
            public(lambda p: {"serverTime": market.exchange.clock()}),
        ),
        Operation(
            ("GET", "/api/v3/exchangeInfo"), "exchangeInfo", fixed(20), public(market.exchange_info)
        ),
        Operation(("GET", "/api/v3/depth"), "depth", depth_weight, public(market.depth)),
        Operation(("GET", "/api/v3/trades"), "trades.recent", fixed(25), public(market.trades)),
        Operation(
            ("GET", "/api/v3/historicalTrades"),
            "trades.historical",
            fixed(25),
            public(market.historical_trades),
        ),
        Operation(
            ("GET", "/api/v3/aggTrades"), "trades.aggregate", fixed(4), public(market.agg_trades)
        ),
        Operation(("GET", "/api/v3/klines"), "klines", fixed(2), public(market.klines)),
        Operation(("GET", "/api/v3/uiKlines"), "uiKlines", fixed(2), public(market.klines)),
        Operation(("GET", "/api/v3/avgPrice"), "avgPrice", fixed(2), public(market.avg_price)),
        Operation(
            ("GET", "/api/v3/ticker/24hr"),
            "ticker.24hr",
            ticker_24hr_weight,
            public(market.ticker_24hr),
        ),
        Operation(
            ("GET", "/api/v3/ticker/tradingDay"),
            "ticker.tradingDay",
            per_symbol(4, 200, 200),
            public(market.trading_day),
        ),
        Operation(
            ("GET", "/api/v3/ticker/price"),
            "ticker.price",
            one_or_many(2, 4),
            public(market.ticker_price),
        ),
        Operation(
            ("GET", "/api/v3/ticker/bookTicker"),
            "ticker.book",
            one_or_many(2, 4),
            public(market.book_ticker),
        ),
        Operation(
            ("GET", "/api/v3/ticker"),
            "ticker",
            per_symbol(4, 200, 200),
            public(market.rolling_ticker),
        ),
        # -- trading (signed) -------------------------------------------------------------
        Operation(
            ("POST", "/api/v3/order"), "order.place", fixed(1), o.place, signed=True, new_order=True
        ),
        Operation(("POST", "/api/v3/order/test"), "order.test", test_weight, o.test, signed=True),
        Operation(("GET", "/api/v3/order"), "order.status", fixed(4), o.status, signed=True),
        Operation(("DELETE", "/api/v3/order"), "order.cancel", fixed(1), o.cancel, signed=True),
        Operation(
            ("POST", "/api/v3/order/cancelReplace"),
            "order.cancelReplace",
            fixed(1),
            o.cancel_replace,
            signed=True,
            new_order=True,
        ),
        Operation(
            ("PUT", "/api/v3/order/amend/keepPriority"),
            "order.amend.keepPriority",
            fixed(4),
            o.amend,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/order/amendments"),
            "order.amendments",
            fixed(4),
            o.amendments_of,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/openOrders"),
            "openOrders.status",
            one_or_many(6, 80),
            o.open_orders,
            signed=True,
        ),
        Operation(
            ("DELETE", "/api/v3/openOrders"),
            "openOrders.cancelAll",
            fixed(1),
            o.cancel_all,
            signed=True,
        ),
        Operation(("GET", "/api/v3/allOrders"), "allOrders", fixed(20), o.all_orders, signed=True),
        Operation(
            ("POST", "/api/v3/orderList/oco"),
            "orderList.place.oco",
            fixed(1),
            o.place_oco,
            signed=True,
            new_order=True,
        ),
        Operation(
            ("POST", "/api/v3/orderList/oto"),
            "orderList.place.oto",
            fixed(1),
            o.place_oto,
            signed=True,
            new_order=True,
        ),
        Operation(
            ("POST", "/api/v3/orderList/otoco"),
            "orderList.place.otoco",
            fixed(1),
            o.place_otoco,
            signed=True,
            new_order=True,
        ),
        Operation(
            ("POST", "/api/v3/order/oco"),
            "orderList.place",
            fixed(1),
            o.place_legacy_oco,
            signed=True,
            new_order=True,
        ),
        Operation(
            ("GET", "/api/v3/orderList"), "orderList.status", fixed(4), o.list_query, signed=True
        ),
        Operation(
            ("DELETE", "/api/v3/orderList"),
            "orderList.cancel",
            fixed(1),
            o.cancel_list,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/allOrderList"), "allOrderLists", fixed(20), o.all_lists, signed=True
        ),
        Operation(
            ("GET", "/api/v3/openOrderList"),
            "openOrderLists.status",
            fixed(6),
            o.open_lists,
            signed=True,
        ),
        # -- account (signed) -------------------------------------------------------------
        Operation(
            ("GET", "/api/v3/account"),
            "account.status",
            fixed(20),
            lambda account, params: o.account(account),
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/myTrades"),
            "myTrades",
            with_id(20, 5, "orderId"),
            o.my_trades,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/account/commission"),
            "account.commission",
            fixed(20),
            o.commission,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/rateLimit/order"),
            "account.rateLimits.orders",
            fixed(40),
            o.order_rate_limits,
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/myPreventedMatches"),
            "myPreventedMatches",
            with_id(20, 2, "preventedMatchId"),
            lambda account, params: [],
            signed=True,
        ),
        Operation(
            ("GET", "/api/v3/myAllocations"),
            "myAllocations",
            fixed(20),
            lambda account, params: [],
            signed=True,
        ),
    ]


LISTEN_KEYS_GONE = (
    "listenKeys were retired on 2026-02-20; subscribe to user data with "
    "userDataStream.subscribe on the WebSocket API"
)
NO_SOR = "smart order routing needs several books for one symbol, and the simulator keeps one"
NO_OPO = "one-pays-the-other lists are not offered (exchangeInfo says opoAllowed: false)"

UNSUPPORTED: dict[str, str] = {
    "POST /api/v3/userDataStream": LISTEN_KEYS_GONE,
    "PUT /api/v3/userDataStream": LISTEN_KEYS_GONE,
    "DELETE /api/v3/userDataStream": LISTEN_KEYS_GONE,
    "userDataStream.start": LISTEN_KEYS_GONE,
    "userDataStream.ping": LISTEN_KEYS_GONE,
    "userDataStream.stop": LISTEN_KEYS_GONE,
    "POST /api/v3/sor/order": NO_SOR,
    "POST /api/v3/sor/order/test": NO_SOR,
    "sor.order.place": NO_SOR,
    "sor.order.test": NO_SOR,
    "POST /api/v3/orderList/opo": NO_OPO,
    "POST /api/v3/orderList/opoco": NO_OPO,
    "orderList.place.opo": NO_OPO,
    "orderList.place.opoco": NO_OPO,
}
"""What Binance documents for spot and the simulator does not serve, and why: each
answers 400 `{"code": -1020, "msg": "This operation is not supported: <why>."}`."""


def unsupported_answer(name: str) -> dict[str, Any]:
    return {"code": -1020, "msg": f"This operation is not supported: {UNSUPPORTED[name]}."}
