"""A WEEX v1 client written from the seed alone (no project code): it signs with the
ACCESS-* headers over timestamp + method + path + query + body, reads the market, trades,
and manages listen keys, against the simulator's WEEX dialect over loopback."""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import time
from decimal import Decimal

import httpx
import pytest
import websockets

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.fakes import until

KEY, SECRET, PASSPHRASE = "weex-raw-key", "weex-raw-secret", "rawPassphrase1"


class RawClient:
    def __init__(self, base):
        self.http = httpx.AsyncClient(base_url=base)

    async def public(self, path, **query):
        return (await self.http.get(path, params=query)).json()

    async def signed(self, method, path, query="", body=None, **overrides):
        text = json.dumps(body, separators=(",", ":")) if body is not None else ""
        stamp = str(int(time.time() * 1000))
        prehash = f"{stamp}{method}{path}{'?' + query if query else ''}{text}"
        digest = hmac.new(SECRET.encode(), prehash.encode(), hashlib.sha256).digest()
        headers = {
            "ACCESS-KEY": KEY,
            "ACCESS-SIGN": base64.b64encode(digest).decode(),
            "ACCESS-TIMESTAMP": stamp,
            "ACCESS-PASSPHRASE": PASSPHRASE,
            "Content-Type": "application/json",
            **overrides,
        }
        headers = {k: v for k, v in headers.items() if v is not None}
        url = path + ("?" + query if query else "")
        answer = await self.http.request(method, url, content=text, headers=headers)
        return answer.status_code, answer.json()


@pytest.fixture
async def weex():
    exchange = SimExchange(seed=6, rate=400)
    exchange.add_credential(
        Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode(), passphrase=PASSPHRASE)
    )
    server = SimServer(exchange, "weex")
    await server.start()
    client = RawClient(server.base_url)
    yield server, client
    await client.http.aclose()
    await server.stop()


def best_bid(server):
    l2 = server.exchange.engine.books["BTCUSDT"].l2
    return l2.prices.value(l2.best_bid)


async def test_public_time_comes_in_the_success_envelope(weex):
    _, client = weex
    answer = await client.public("/api/spot/v1/public/time")
    assert (answer["code"], answer["msg"]) == ("00000", "success")
    assert abs(answer["data"] - time.time() * 1000) < 60_000
    assert isinstance(answer["requestTime"], int)


async def test_products_carry_scales_and_trade_amounts(weex):
    server, client = weex
    (row,) = (await client.public("/api/spot/v1/public/product", symbol="BTCUSDT_SPBL"))["data"]
    inst = server.exchange.engine.books["BTCUSDT"].instrument
    assert row["symbol"] == "BTCUSDT_SPBL" and row["symbolName"] == "BTCUSDT"
    assert (row["baseCoin"], row["quoteCoin"], row["status"]) == ("BTC", "USDT", "online")
    assert Decimal(row["minTradeAmount"]) == inst.min_qty
    assert Decimal(1).scaleb(-int(row["priceScale"])) == inst.tick_size
    products = (await client.public("/api/spot/v1/public/products"))["data"]
    assert {p["symbol"] for p in products} >= {"BTCUSDT_SPBL", "ETHUSDT_SPBL"}


async def test_an_unknown_symbol_is_refused_with_its_code(weex):
    _, client = weex
    answer = await client.public("/api/spot/v1/market/ticker", symbol="NOPE_SPBL")
    assert (answer["code"], answer["data"]) == ("40102", None)


async def test_depth_ticker_trades_and_candles_read_the_engines_market(weex):
    server, client = weex
    flow, server.exchange.market.rate = server.exchange.market.rate, 0  # a still book
    depth = (
        await client.public(
            "/api/spot/v1/market/depth", symbol="BTCUSDT_SPBL", type="step0", limit="5"
        )
    )["data"]
    assert len(depth["bids"]) == 5 and Decimal(depth["bids"][0][0]) == best_bid(server)
    assert Decimal(depth["asks"][0][0]) > Decimal(depth["bids"][0][0])
    merged = (
        await client.public(
            "/api/spot/v1/market/depth", symbol="BTCUSDT_SPBL", type="step2", limit="5"
        )
    )["data"]
    assert all(Decimal(p) % 1 == 0 for p, _ in merged["bids"])  # tick 0.01 x 100
    server.exchange.market.rate = flow  # the market moves again, and prints
    ticker = (await client.public("/api/spot/v1/market/ticker", symbol="BTCUSDT_SPBL"))["data"]
    assert ticker["symbol"] == "BTCUSDT" and Decimal(ticker["high24h"]) >= Decimal(ticker["low24h"])
    await until(lambda: len(server.exchange.tapes["BTCUSDT"]) >= 3)
    fills = (await client.public("/api/spot/v1/market/fills", symbol="BTCUSDT_SPBL", limit="3"))[
        "data"
    ]
    assert len(fills) == 3 and fills[0]["side"] in ("buy", "sell")
    assert int(fills[0]["fillTime"]) >= int(fills[-1]["fillTime"])  # newest first
    bars = (
        await client.public(
            "/api/spot/v1/market/candles", symbol="BTCUSDT_SPBL", period="1min", limit="10"
        )
    )["data"]
    assert len(bars) == 10 and int(bars[1]["ts"]) - int(bars[0]["ts"]) == 60_000
    bad = await client.public("/api/spot/v1/market/candles", symbol="BTCUSDT_SPBL", period="2min")
    assert bad["code"] == "40017"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ACCESS-KEY": None}, "40001"),
        ({"ACCESS-SIGN": None}, "40002"),
        ({"ACCESS-TIMESTAMP": None}, "40003"),
        ({"ACCESS-PASSPHRASE": None}, "40011"),
        ({"ACCESS-TIMESTAMP": "yesterday"}, "40005"),
        ({"ACCESS-TIMESTAMP": "1500000000000"}, "40008"),
        ({"ACCESS-KEY": "someone-else"}, "40006"),
        ({"ACCESS-PASSPHRASE": "wrongPhrase"}, "40012"),
        ({"ACCESS-SIGN": "c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ=="}, "40009"),
    ],
)
async def test_each_signing_fault_has_the_seeds_code(weex, overrides, code):
    _, client = weex
    status, answer = await client.signed("GET", "/api/spot/v1/account/assets", **overrides)
    assert (status, answer["code"]) == (400, code)


async def test_a_post_that_is_not_json_is_refused(weex):
    _, client = weex
    status, answer = await client.signed(
        "POST",
        "/api/spot/v1/trade/open-orders",
        body={"symbol": "BTCUSDT_SPBL"},
        **{"Content-Type": "text/plain"},
    )
    assert (status, answer["code"]) == (400, "40007")


async def test_an_order_is_placed_found_listed_and_cancelled(weex):
    server, client = weex
    price = str(best_bid(server) - 50)
    order = {
        "symbol": "BTCUSDT_SPBL",
        "side": "buy",
        "orderType": "limit",
        "force": "normal",
        "price": price,
        "quantity": "0.01",
        "clientOrderId": "raw-1",
    }
    _, placed = await client.signed("POST", "/api/spot/v1/trade/orders", body=order)
    assert placed["code"] == "00000" and placed["data"]["clientOrderId"] == "raw-1"
    order_id = placed["data"]["orderId"]
    _, info = await client.signed(
        "POST",
        "/api/spot/v1/trade/orderInfo",
        body={"symbol": "BTCUSDT_SPBL", "clientOrderId": "raw-1"},
    )
    (row,) = info["data"]
    assert (row["orderId"], row["status"], row["side"], row["price"]) == (
        order_id,
        "new",
        "buy",
        price,
    )
    _, listed = await client.signed(
        "POST", "/api/spot/v1/trade/open-orders", body={"symbol": "BTCUSDT_SPBL"}
    )
    assert [r["orderId"] for r in listed["data"]] == [order_id]
    _, cancelled = await client.signed(
        "POST",
        "/api/spot/v1/trade/cancel-order",
        body={"symbol": "BTCUSDT_SPBL", "orderId": order_id},
    )
    assert cancelled["data"] == order_id
    _, history = await client.signed(
        "POST", "/api/spot/v1/trade/history", body={"symbol": "BTCUSDT_SPBL"}
    )
    assert [(r["orderId"], r["status"]) for r in history["data"]] == [(order_id, "cancelled")]


async def test_a_batch_places_at_most_fifty_and_cancels_by_ids(weex):
    server, client = weex
    price = str(best_bid(server) - 80)
    one = {
        "side": "buy",
        "orderType": "limit",
        "force": "normal",
        "price": price,
        "quantity": "0.001",
    }
    _, too_many = await client.signed(
        "POST",
        "/api/spot/v1/trade/batch-orders",
        body={"symbol": "BTCUSDT_SPBL", "orderList": [one] * 51},
    )
    assert too_many["code"] == "40912"
    _, placed = await client.signed(
        "POST",
        "/api/spot/v1/trade/batch-orders",
        body={"symbol": "BTCUSDT_SPBL", "orderList": [one] * 3},
    )
    ids = [r["orderId"] for r in placed["data"]["resultList"]]
    assert len(ids) == 3
    _, cancelled = await client.signed(
        "POST",
        "/api/spot/v1/trade/cancel-batch-orders",
        body={"symbol": "BTCUSDT_SPBL", "orderIds": ids},
    )
    assert cancelled["data"] == ids
    assert server.exchange.engine.open_orders(TRADER_ACCOUNT) == []


async def test_a_crossing_order_fills_and_shows_in_fills_assets_and_bills(weex):
    server, client = weex
    server.exchange.market.rate = 0  # the ask read below is still the ask when the order lands
    l2 = server.exchange.engine.books["BTCUSDT"].l2
    ask = str(l2.prices.value(l2.best_ask))
    _, before = await client.signed("GET", "/api/spot/v1/account/assets")
    btc_before = next(Decimal(a["available"]) for a in before["data"] if a["coinName"] == "btc")
    order = {
        "symbol": "BTCUSDT_SPBL",
        "side": "buy",
        "orderType": "limit",
        "force": "ioc",
        "price": ask,
        "quantity": "0.001",
    }
    _, placed = await client.signed("POST", "/api/spot/v1/trade/orders", body=order)
    _, fills = await client.signed(
        "POST",
        "/api/spot/v1/trade/fills",
        body={"symbol": "BTCUSDT_SPBL", "orderId": placed["data"]["orderId"]},
    )
    assert sum(Decimal(f["fillQuantity"]) for f in fills["data"]) == Decimal("0.001")
    fees = sum(Decimal(f["fees"]) for f in fills["data"])
    _, after = await client.signed("GET", "/api/spot/v1/account/assets")
    btc_after = next(Decimal(a["available"]) for a in after["data"] if a["coinName"] == "btc")
    assert btc_after - btc_before == Decimal("0.001") - fees
    _, bills = await client.signed("POST", "/api/spot/v1/account/bills", body={"limit": 10})
    assert {b["coinName"] for b in bills["data"]} == {"btc", "usdt"}


async def test_a_client_order_id_over_forty_characters_is_refused(weex):
    server, client = weex
    order = {
        "symbol": "BTCUSDT_SPBL",
        "side": "buy",
        "orderType": "limit",
        "force": "normal",
        "price": str(best_bid(server) - 50),
        "quantity": "0.01",
        "clientOrderId": "x" * 41,
    }
    _, answer = await client.signed("POST", "/api/spot/v1/trade/orders", body=order)
    assert answer["code"] == "40305"


async def test_listen_keys_are_created_listed_kept_alive_and_closed(weex):
    _, client = weex
    status, created = await client.signed("POST", "/api/v3/userDataStream")
    key = created["listenKey"]
    assert status == 200 and len(key) == 64
    _, listed = await client.signed("GET", "/api/v3/userDataStream")
    assert listed == {"listenKey": [key]}
    _, kept = await client.signed("PUT", "/api/v3/userDataStream", query=f"listenKey={key}")
    assert kept == {"listenKey": key}
    _, closed = await client.signed("DELETE", "/api/v3/userDataStream", query=f"listenKey={key}")
    assert closed == {"listenKey": key}
    _, listed = await client.signed("GET", "/api/v3/userDataStream")
    assert listed == {"listenKey": []}


async def listen_key(client):
    return (await client.signed("POST", "/api/v3/userDataStream"))[1]["listenKey"]


def user_url(server, key):
    return server.base_url.replace("http://", "ws://") + f"/ws?listenKey={key}"


async def next_frame(ws, channel):
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if frame.get("c") == channel:
            return frame


async def test_the_user_stream_refuses_a_connection_without_a_user_agent(weex):
    server, client = weex
    key = await listen_key(client)
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(user_url(server, key), user_agent_header=None):
            pass
    assert refused.value.response.status_code == 403


async def test_the_user_stream_refuses_an_unknown_listen_key_and_a_sixth_connection(weex):
    server, client = weex
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(user_url(server, "not-a-key")):
            pass
    assert refused.value.response.status_code == 400
    key = await listen_key(client)
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(5):
            await stack.enter_async_context(websockets.connect(user_url(server, key)))
        with pytest.raises(websockets.InvalidStatus):
            async with websockets.connect(user_url(server, key)):
                pass


async def test_the_user_stream_pushes_the_order_its_deal_and_the_balances(weex):
    server, client = weex
    key = await listen_key(client)
    async with websockets.connect(user_url(server, key), user_agent_header="raw-client") as ws:
        await ws.send(json.dumps({"method": "PING"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["msg"] == "PONG"
        channels = [
            "spot@private.account.v3.api",
            "spot@private.deals.v3.api",
            "spot@private.orders.v3.api",
        ]
        await ws.send(json.dumps({"method": "SUBSCRIPTION", "params": channels}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["code"] == 0
        l2 = server.exchange.engine.books["BTCUSDT"].l2
        order = {
            "symbol": "BTCUSDT_SPBL",
            "side": "buy",
            "orderType": "limit",
            "force": "ioc",
            "price": str(l2.prices.value(l2.best_ask)),
            "quantity": "0.001",
            "clientOrderId": "ws-1",
        }
        _, placed = await client.signed("POST", "/api/spot/v1/trade/orders", body=order)
        orders = await next_frame(ws, "spot@private.orders.v3.api")
        assert (orders["s"], orders["d"]["c"], orders["d"]["S"]) == ("BTCUSDT", "ws-1", 1)
        assert orders["d"]["i"] == placed["data"]["orderId"]
        deal = await next_frame(ws, "spot@private.deals.v3.api")
        assert (deal["d"]["c"], deal["d"]["v"]) == ("ws-1", "0.001")
        account = await next_frame(ws, "spot@private.account.v3.api")
        assert account["d"]["a"] in ("BTC", "USDT") and "fd" in account["d"]
