"""The simulator's Binance answers have the shape of Binance's own documented examples
(tests/data/recorded/binance-doc-*.json, from github.com/binance/binance-spot-api-docs):
each key the example has, in its JSON type and number form, asked for by a raw client."""

import json
from pathlib import Path

import httpx
import pytest
import websockets

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.fakes import until
from tests.sim.conftest import HMAC_KEY, HMAC_SECRET, signed_query
from tests.sim.documents import differences

RECORDED = Path(__file__).resolve().parents[1] / "data" / "recorded"


def documented(name):
    return json.loads((RECORDED / name).read_text())["answer"]


@pytest.fixture
async def answers():
    """Each documented endpoint asked once, after a market buy with its fills."""
    exchange = SimExchange(seed=6, rate=400)
    exchange.add_credential(Credential(HMAC_KEY, TRADER_ACCOUNT, secret=HMAC_SECRET.encode()))
    server = SimServer(exchange, "binance")
    await server.start()
    headers = {"X-MBX-APIKEY": HMAC_KEY}
    try:
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as rest:
            yield await ask_every_endpoint(server, rest)
    finally:
        await server.stop()


async def ask_every_endpoint(server, rest):
    await until(lambda: server.exchange.tapes["BTCUSDT"])
    symbol = {"symbol": "BTCUSDT"}

    async def signed(method, path, params):
        return (await rest.request(method, f"{path}?{signed_query(params)}")).json()

    got = {
        "binance-doc-depth.json": (await rest.get("/api/v3/depth", params=symbol)).json(),
        "binance-doc-agg-trades.json": (await rest.get("/api/v3/aggTrades", params=symbol)).json(),
        "binance-doc-klines.json": (
            await rest.get("/api/v3/klines", params={**symbol, "interval": "1m"})
        ).json(),
        "binance-doc-exchange-info.json": (
            await rest.get("/api/v3/exchangeInfo", params=symbol)
        ).json(),
    }
    buy = {**symbol, "side": "BUY", "type": "MARKET", "quantity": "0.002"}
    placed = await signed("POST", "/api/v3/order", {**buy, "newOrderRespType": "FULL"})
    got["binance-doc-new-order-full.json"] = placed
    query = {**symbol, "orderId": placed["orderId"]}
    got["binance-doc-query-order.json"] = await signed("GET", "/api/v3/order", query)
    got["binance-doc-my-trades.json"] = await signed("GET", "/api/v3/myTrades", symbol)
    got["binance-doc-account.json"] = await signed("GET", "/api/v3/account", {})
    streams = server.urls["streams"]
    async with websockets.connect(f"{streams}/btcusdt@depth@100ms") as ws:
        got["binance-doc-depth-update.json"] = json.loads(await ws.recv())
    async with websockets.connect(f"{streams}/btcusdt@bookTicker") as ws:
        got["binance-doc-book-ticker.json"] = json.loads(await ws.recv())
    async with websockets.connect(f"{streams}/btcusdt@kline_1m") as ws:
        got["binance-doc-kline-event.json"] = json.loads(await ws.recv())
    async with websockets.connect(f"{streams}/btcusdt@ticker") as ws:
        got["binance-doc-ticker-event.json"] = json.loads(await ws.recv())
    return got


OPTIONAL = {"$.sors: missing"}
"""`sors` is "present only when SOR is available" (rest-api.md); the simulator has no SOR."""


async def test_every_answer_has_the_documented_shape(answers):
    found = {
        name: [d for d in differences(documented(name), answer) if d not in OPTIONAL]
        for name, answer in answers.items()
    }
    assert {name: wrong for name, wrong in found.items() if wrong} == {}
    assert len(found) == len(list(RECORDED.glob("binance-doc-*.json"))) - 2
    # The user data stream's two are compared in test_binance_ws_api.py.
