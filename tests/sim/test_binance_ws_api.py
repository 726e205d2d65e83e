"""The simulator's Binance WebSocket API: logon, user data, orders, over real loopback."""

import asyncio
import json
import time

import httpx
import pytest
import websockets

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.sim.conftest import (
    ED_KEY,
    HMAC_KEY,
    TICK,
    Client,
    best,
    ed_signed,
    hmac_signed,
    resting_buy,
    signed_query,
)
from tests.sim.documents import differences
from tests.sim.test_binance_documents import documented
from tests.vectors import VECTOR_KEY, VECTOR_SECRET


async def test_hmac_subscription_delivers_execution_reports(sim, client):
    answer = await client.call("userDataStream.subscribe.signature", hmac_signed({}))
    assert answer["status"] == 200
    subscription = answer["result"]["subscriptionId"]
    async with httpx.AsyncClient(base_url=sim.base_url, headers={"X-MBX-APIKEY": HMAC_KEY}) as rest:
        await rest.post("/api/v3/order?" + signed_query(resting_buy(sim, "ud-1")))
    report = await client.event("executionReport")
    assert report["subscriptionId"] == subscription
    assert (report["event"]["c"], report["event"]["x"], report["event"]["X"]) == (
        "ud-1",
        "NEW",
        "NEW",
    )
    position = await client.event("outboundAccountPosition")
    assert {b["a"] for b in position["event"]["B"]} == {"USDT"}


EXECUTION_REPORT_FIELDS = set("eEscSofqpPFgCxXrilzLnNTtIwmMOZYQWV")
"""Every field Binance's executionReport always carries (the rest appear only for trailing,
iceberg, prevented-match, SOR or pegged orders, none of which the simulator takes)."""


async def test_execution_reports_carry_every_documented_field(sim, client):
    await client.call("userDataStream.subscribe.signature", hmac_signed({}))
    await client.call("order.place", hmac_signed(resting_buy(sim, "fields-1")))
    report = (await client.event("executionReport"))["event"]
    assert set(report) == EXECUTION_REPORT_FIELDS
    assert isinstance(report["I"], int)


STP_ONLY = "$.event.v: missing"
"""The prevented match id, "only visible if the order expired due to STP"."""


async def test_user_data_events_have_the_documented_shape(sim, client):
    await client.call("userDataStream.subscribe.signature", hmac_signed({}))
    await client.call("order.place", hmac_signed(resting_buy(sim, "shape-1")))
    report = await client.event("executionReport")
    position = await client.event("outboundAccountPosition")
    for name, event in [
        ("binance-doc-execution-report.json", report),
        ("binance-doc-account-position.json", position),
    ]:
        found = differences(documented(name), event)
        assert [d for d in found if d != STP_ONLY] == [], name


async def test_ed25519_logon_then_unsigned_orders_and_user_data(sim, client, ed25519_key):
    logon = await client.call("session.logon", ed_signed(ed25519_key, {}))
    assert logon["status"] == 200, logon
    assert logon["result"]["apiKey"] == ED_KEY
    assert (await client.call("userDataStream.subscribe"))["status"] == 200
    params = {**resting_buy(sim, "ws-1"), "timestamp": int(time.time() * 1000)}
    placed = await client.call("order.place", params)
    assert placed["status"] == 200, placed
    assert placed["result"]["clientOrderId"] == "ws-1"
    report = await client.event("executionReport")
    assert report["event"]["c"] == "ws-1"
    assert placed["rateLimits"][0]["rateLimitType"] == "REQUEST_WEIGHT"


async def test_resting_order_fills_against_the_flow_and_reports_the_trade(sim, client, ed25519_key):
    await client.call("session.logon", ed_signed(ed25519_key, {}))
    await client.call("userDataStream.subscribe")
    bid, _ = best(sim)
    params = {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": "0.001",
        "price": str(bid + TICK),
        "newClientOrderId": "top-1",
        "timestamp": int(time.time() * 1000),
    }
    assert (await client.call("order.place", params))["result"]["status"] == "NEW"
    order = sim.exchange.engine.order(TRADER_ACCOUNT, client_order_id="top-1")
    for _ in range(2000):
        if not order.is_open:
            break
        sim.exchange.market.advance(0.05)
    assert order.status.value == "FILLED"
    while True:
        report = (await client.event("executionReport"))["event"]
        if report["x"] == "TRADE":
            break
    assert (report["c"], report["X"], report["l"]) == ("top-1", "FILLED", "0.00100000")
    assert report["m"] is True


async def test_subscribe_without_logon_is_refused(client):
    answer = await client.call("userDataStream.subscribe")
    assert (answer["status"], answer["error"]["code"]) == (401, -1002)


async def test_logon_with_an_hmac_key_is_refused(client):
    answer = await client.call("session.logon", hmac_signed({}))
    assert answer["status"] == 400
    assert "Ed25519" in answer["error"]["msg"]


async def test_bad_signature_is_refused_on_the_ws_api(client):
    params = {**hmac_signed({"symbol": "BTCUSDT"}), "signature": "0" * 64}
    answer = await client.call("openOrders.status", params)
    assert answer["error"] == {"code": -1022, "msg": "Signature for this request is not valid."}


async def test_cancel_reports_the_original_client_id(sim, client):
    await client.call("userDataStream.subscribe.signature", hmac_signed({}))
    await client.call("order.place", hmac_signed(resting_buy(sim, "keep-1")))
    answer = await client.call(
        "order.cancel", hmac_signed({"symbol": "BTCUSDT", "origClientOrderId": "keep-1"})
    )
    assert answer["result"]["status"] == "CANCELED"
    while True:
        report = (await client.event("executionReport"))["event"]
        if report["x"] == "CANCELED":
            break
    assert report["C"] == "keep-1"
    assert report["c"] == answer["result"]["clientOrderId"]


async def test_cancel_all_and_order_status(sim, client):
    await client.call("order.place", hmac_signed(resting_buy(sim, "a-1")))
    await client.call("order.place", hmac_signed(resting_buy(sim, "a-2")))
    status = await client.call(
        "order.status", hmac_signed({"symbol": "BTCUSDT", "origClientOrderId": "a-2"})
    )
    assert status["result"]["status"] == "NEW"
    cancelled = await client.call("openOrders.cancelAll", hmac_signed({"symbol": "BTCUSDT"}))
    assert [o["origClientOrderId"] for o in cancelled["result"]] == ["a-1", "a-2"]


async def test_order_timeout_answers_unknown_over_the_ws_api(sim, client):
    sim.exchange.chaos.trigger("order_timeout")
    answer = await client.call("order.place", hmac_signed(resting_buy(sim, "lost-ws")))
    assert answer["error"]["code"] == -1007
    assert sim.exchange.engine.order(TRADER_ACCOUNT, client_order_id="lost-ws").is_open


async def test_shutdown_notice_is_wrapped_as_an_event(sim, client):
    await client.call("ping")
    sim.front.announce_shutdown()
    message = json.loads(await asyncio.wait_for(client.ws.recv(), 3))
    assert message["event"]["e"] == "serverShutdown"


async def test_malformed_request_is_answered_not_dropped(client):
    await client.ws.send("this is not json")
    answer = json.loads(await asyncio.wait_for(client.ws.recv(), 3))
    assert answer["status"] == 400
    assert (await client.call("ping"))["status"] == 200


# -- Binance's published WebSocket API vectors, verified by the simulator ------------------


@pytest.fixture
async def vector_client(clock):
    clock.pinned = 1645423376532 + 50
    exchange = SimExchange(clock=clock)
    exchange.add_credential(Credential(VECTOR_KEY, TRADER_ACCOUNT, secret=VECTOR_SECRET.encode()))
    server = SimServer(exchange, flow=False)
    await server.start()
    async with websockets.connect(server.base_url.replace("http", "ws") + "/ws-api/v3") as ws:
        yield Client(ws)
    await server.stop()


async def test_published_ws_vector_b3_is_accepted(vector_client):
    params = {
        "symbol": "BTCUSDT",
        "side": "SELL",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": "0.01000000",
        "price": "52000.00",
        "recvWindow": 100,
        "timestamp": 1645423376532,
        "apiKey": VECTOR_KEY,
        "signature": "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24",
    }
    answer = await vector_client.call("order.place", params)
    assert answer["status"] == 200, answer
    assert answer["result"]["symbol"] == "BTCUSDT"


async def test_published_ws_vector_b4_signs_raw_utf8(vector_client):
    params = {
        "symbol": "１２３４５６",
        "side": "BUY",
        "type": "LIMIT",
        "timeInForce": "GTC",
        "quantity": "1.00000000",
        "price": "0.10000000",
        "recvWindow": 5000,
        "timestamp": 1645423376532,
        "apiKey": VECTOR_KEY,
        "signature": "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd",
    }
    answer = await vector_client.call("order.place", params)
    # The signature passes; the symbol is then unknown to the simulator.
    assert answer["error"] == {"code": -1121, "msg": "Invalid symbol."}
