"""WEEX's v3 spot API, its public market stream and its demo trading on the simulator,
spoken by a raw client (no project code): Binance-shaped paths and bare answers, v3's
error codes, the depth stream's snapshot then changes, and the `/capi/v3/sim/` endpoints."""

import json

import pytest
import websockets

from tests.sim.test_weex_raw_client import best_bid, weex  # noqa: F401  (the fixture)


def ws_url(server, path):
    return server.base_url.replace("http://", "ws://") + path


async def test_time_symbols_and_depth_are_bare_answers(weex):  # noqa: F811
    server, client = weex
    server.exchange.market.rate = 0  # the book holds still while its answer is compared
    assert (await client.public("/api/v3/time"))["serverTime"] > 1_600_000_000_000
    info = await client.public("/api/v3/exchangeInfo")
    btc = next(s for s in info["symbols"] if s["symbol"] == "BTCUSDT")
    assert (btc["baseAsset"], btc["tickSize"], btc["stepSize"]) == ("BTC", "0.01", "0.00001")
    assert (btc["quoteAssetPrecision"], btc["status"]) == ("8", "TRADING")
    depth = await client.public("/api/v3/market/depth", symbol="BTCUSDT", limit="15")
    l2 = server.exchange.engine.books["BTCUSDT"].l2
    assert depth["lastUpdateId"] == l2.last_update_id
    assert len(depth["bids"]) == 15 and depth["bids"][0][0] == str(l2.prices.value(l2.best_bid))


async def test_an_order_is_placed_found_and_cancelled_by_client_id(weex):  # noqa: F811
    server, client = weex
    body = {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "price": str(best_bid(server) - 100),
        "quantity": "0.001",
        "newClientOrderId": "raw-v3-1",
    }
    status, placed = await client.signed("POST", "/api/v3/order", body=body)
    assert (status, placed["status"], placed["clientOrderId"]) == (200, "NEW", "raw-v3-1")
    query = "symbol=BTCUSDT&origClientOrderId=raw-v3-1"
    status, found = await client.signed("GET", "/api/v3/order", query)
    assert (found["orderId"], found["origQty"]) == (placed["orderId"], "0.001")
    status, cancelled = await client.signed("DELETE", "/api/v3/order", query)
    assert (status, cancelled["status"]) == (200, "CANCELED")
    status, again = await client.signed("DELETE", "/api/v3/order", query)
    assert (status, again["code"]) == (400, -2200)


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ACCESS-PASSPHRASE": "wrong"}, -1049),
        ({"ACCESS-TIMESTAMP": "1"}, -1046),
        ({"ACCESS-TIMESTAMP": "soon"}, -1043),
    ],
)
async def test_signing_faults_have_v3_codes(weex, overrides, code):  # noqa: F811
    _, client = weex
    status, answer = await client.signed("GET", "/api/v3/account", **overrides)
    assert (status, answer["code"]) == (400, code)


async def test_the_depth_stream_opens_with_a_snapshot_then_sends_what_changed(weex):  # noqa: F811
    server, _ = weex
    headers = {"User-Agent": "raw-client"}
    async with websockets.connect(
        ws_url(server, "/v3/ws/public"), additional_headers=headers
    ) as ws:
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["BTCUSDT@depth200"], "id": 7}))
        assert json.loads(await ws.recv()) == {"result": True, "id": 7}
        snapshot = json.loads(await ws.recv())
        assert (snapshot["e"], snapshot["d"], snapshot["s"]) == (
            "depthSnapshot",
            "SNAPSHOT",
            "BTCUSDT",
        )
        last = snapshot["u"]
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("e") == "depth":
                break
        assert frame["d"] == "CHANGED" and frame["U"] <= last + 1 <= frame["u"]
        await ws.send(json.dumps({"method": "PONG", "id": 8}))


async def test_the_public_stream_refuses_a_connection_without_a_user_agent(weex):  # noqa: F811
    server, _ = weex
    url = ws_url(server, "/v3/ws/public")
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(url, user_agent_header=None):
            pass
    assert refused.value.response.status_code == 403


async def test_a_demo_order_trades_the_real_book_on_the_demo_account(weex):  # noqa: F811
    server, client = weex
    body = {"symbol": "BTCSUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.002"}
    status, placed = await client.signed("POST", "/capi/v3/sim/order", body=body)
    assert (status, placed["status"], placed["symbol"]) == (200, "FILLED", "BTCSUSDT")
    _, balance = await client.signed("GET", "/capi/v3/sim/balance")
    (cash,) = balance
    assert cash["asset"] == "SUSDT" and float(cash["availableBalance"]) < 100_000
    _, positions = await client.signed("GET", "/capi/v3/sim/position/allPosition")
    assert [(p["symbol"], p["side"]) for p in positions] == [("BTCSUSDT", "LONG")]
    _, history = await client.signed("GET", "/capi/v3/sim/order/history", "symbol=BTCSUSDT")
    assert [o["orderId"] for o in history] == [placed["orderId"]]
    real = server.exchange.engine.accounts["trader"].holding("BTC").free
    assert real == 1  # the real account is untouched


async def test_prices_book_tickers_and_coins_answer_for_the_symbols_asked(weex):  # noqa: F811
    server, client = weex
    prices = await client.public("/api/v3/market/ticker/price", symbols="BTCUSDT,ETHUSDT")
    assert [p["symbol"] for p in prices] == ["BTCUSDT", "ETHUSDT"]
    (top,) = await client.public("/api/v3/market/ticker/bookTicker", symbols="BTCUSDT")
    assert top["bidPrice"] == str(best_bid(server))
    coins = {c["coin"] for c in await client.public("/api/v3/coins")}
    assert {"BTC", "USDT"} <= coins


async def test_a_batch_cancel_names_each_order_cancelled_and_each_refused(weex):  # noqa: F811
    server, client = weex
    for n in (1, 2):
        body = {
            "symbol": "BTCUSDT",
            "side": "BUY",
            "type": "LIMIT",
            "price": str(best_bid(server) - 100),
            "quantity": "0.001",
            "newClientOrderId": f"raw-batch-{n}",
        }
        await client.signed("POST", "/api/v3/order", body=body)
    query = "origClientOrderIds=raw-batch-1,raw-batch-2,nobody"
    status, answer = await client.signed("DELETE", "/api/v3/order/batch", query)
    assert status == 200
    assert [o.get("status") or o["code"] for o in answer["orders"]] == [
        "CANCELED",
        "CANCELED",
        -2200,
    ]
