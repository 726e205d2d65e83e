"""Every endpoint and method Binance documents for spot, replayed against the simulator:
each is served, or listed once in `UNSUPPORTED` and answered with its -1020 and reason.

The lists below are Binance's (rest-api.md and web-socket-api.md, spot, 2026); a request
with no parameters is enough to tell a served operation (it answers, or names the missing
parameter) from one that is not.
"""

import pytest

from console.sim.fronts.binance.catalogue import UNSUPPORTED, unsupported_answer
from tests.sim.conftest import hmac_signed, signed

BINANCE_REST = [
    ("GET", "/api/v3/ping"),
    ("GET", "/api/v3/time"),
    ("GET", "/api/v3/exchangeInfo"),
    ("GET", "/api/v3/depth"),
    ("GET", "/api/v3/trades"),
    ("GET", "/api/v3/historicalTrades"),
    ("GET", "/api/v3/aggTrades"),
    ("GET", "/api/v3/klines"),
    ("GET", "/api/v3/uiKlines"),
    ("GET", "/api/v3/avgPrice"),
    ("GET", "/api/v3/ticker/24hr"),
    ("GET", "/api/v3/ticker/tradingDay"),
    ("GET", "/api/v3/ticker/price"),
    ("GET", "/api/v3/ticker/bookTicker"),
    ("GET", "/api/v3/ticker"),
    ("POST", "/api/v3/order"),
    ("POST", "/api/v3/order/test"),
    ("GET", "/api/v3/order"),
    ("DELETE", "/api/v3/order"),
    ("DELETE", "/api/v3/openOrders"),
    ("POST", "/api/v3/order/cancelReplace"),
    ("PUT", "/api/v3/order/amend/keepPriority"),
    ("GET", "/api/v3/openOrders"),
    ("GET", "/api/v3/allOrders"),
    ("POST", "/api/v3/order/oco"),
    ("POST", "/api/v3/orderList/oco"),
    ("POST", "/api/v3/orderList/oto"),
    ("POST", "/api/v3/orderList/otoco"),
    ("POST", "/api/v3/orderList/opo"),
    ("POST", "/api/v3/orderList/opoco"),
    ("DELETE", "/api/v3/orderList"),
    ("GET", "/api/v3/orderList"),
    ("GET", "/api/v3/allOrderList"),
    ("GET", "/api/v3/openOrderList"),
    ("POST", "/api/v3/sor/order"),
    ("POST", "/api/v3/sor/order/test"),
    ("GET", "/api/v3/account"),
    ("GET", "/api/v3/myTrades"),
    ("GET", "/api/v3/rateLimit/order"),
    ("GET", "/api/v3/myPreventedMatches"),
    ("GET", "/api/v3/myAllocations"),
    ("GET", "/api/v3/account/commission"),
    ("GET", "/api/v3/order/amendments"),
    ("POST", "/api/v3/userDataStream"),
    ("PUT", "/api/v3/userDataStream"),
    ("DELETE", "/api/v3/userDataStream"),
]

BINANCE_WS_API = [
    "ping",
    "time",
    "exchangeInfo",
    "depth",
    "trades.recent",
    "trades.historical",
    "trades.aggregate",
    "klines",
    "uiKlines",
    "avgPrice",
    "ticker.24hr",
    "ticker.tradingDay",
    "ticker",
    "ticker.price",
    "ticker.book",
    "session.logon",
    "session.status",
    "session.logout",
    "session.subscriptions",
    "order.place",
    "order.test",
    "order.status",
    "order.cancel",
    "order.cancelReplace",
    "order.amend.keepPriority",
    "openOrders.status",
    "openOrders.cancelAll",
    "orderList.place",
    "orderList.place.oco",
    "orderList.place.oto",
    "orderList.place.otoco",
    "orderList.place.opo",
    "orderList.place.opoco",
    "orderList.status",
    "orderList.cancel",
    "openOrderLists.status",
    "allOrderLists",
    "sor.order.place",
    "sor.order.test",
    "account.status",
    "account.rateLimits.orders",
    "allOrders",
    "myTrades",
    "myPreventedMatches",
    "myAllocations",
    "account.commission",
    "order.amendments",
    "userDataStream.subscribe",
    "userDataStream.subscribe.signature",
    "userDataStream.unsubscribe",
    "userDataStream.start",
    "userDataStream.ping",
    "userDataStream.stop",
]

SERVED = {-1020}
"""The one code a served operation never answers to a bare request."""


@pytest.mark.parametrize(("method", "path"), BINANCE_REST, ids=[" ".join(e) for e in BINANCE_REST])
async def test_every_documented_rest_endpoint_is_served_or_listed(rest, method, path):
    status, answer = await signed(rest, method, path)
    name = f"{method} {path}"
    if name in UNSUPPORTED:
        assert (status, answer) == (400, unsupported_answer(name))
    else:
        assert status != 404
        assert not isinstance(answer, dict) or answer.get("code") not in SERVED, answer


@pytest.mark.parametrize("method", BINANCE_WS_API)
async def test_every_documented_ws_api_method_is_served_or_listed(client, method):
    answer = await client.call(method, hmac_signed({}))
    if method in UNSUPPORTED:
        assert (answer["status"], answer["error"]) == (400, unsupported_answer(method))
    else:
        assert answer.get("error", {}).get("code") not in SERVED, answer


def test_the_unsupported_list_is_short_and_only_names_documented_operations():
    documented = {" ".join(e) for e in BINANCE_REST} | set(BINANCE_WS_API)
    assert set(UNSUPPORTED) <= documented
    assert len(UNSUPPORTED) <= len(documented) // 5
