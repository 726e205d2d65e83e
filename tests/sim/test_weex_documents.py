"""The simulator's WEEX v1 answers have the shape of the seed's examples: each key the
example has, in its JSON type and number form (figures as decimal strings, times as the
example writes them), asked for by a client written from the document alone."""

import pytest

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from tests.fakes import until
from tests.sim.documents import differences, examples
from tests.sim.test_weex_raw_client import KEY, PASSPHRASE, SECRET, RawClient

EXAMPLES = examples("weex")
ENDPOINTS = sorted(name for name in EXAMPLES if not name.startswith("_"))
SYMBOL = "BTCUSDT_SPBL"


@pytest.fixture
async def answers():
    """Every example's endpoint asked once, on an account with a resting order and a fill."""
    exchange = SimExchange(seed=6, rate=400)
    exchange.add_credential(
        Credential(KEY, TRADER_ACCOUNT, secret=SECRET.encode(), passphrase=PASSPHRASE)
    )
    server = SimServer(exchange, "weex")
    await server.start()
    client = RawClient(server.base_url)
    try:
        yield await ask_every_endpoint(server, client)
    finally:
        await client.http.aclose()
        await server.stop()


async def ask_every_endpoint(server, client):
    await until(lambda: server.exchange.tapes["BTCUSDT"])
    server.exchange.market.rate = 0  # the market holds still: the resting order rests
    l2 = server.exchange.engine.books["BTCUSDT"].l2
    bid = l2.prices.value(l2.best_bid)
    got = {
        "GET /api/spot/v1/public/time": await client.public("/api/spot/v1/public/time"),
        "GET /api/spot/v1/public/products": await client.public("/api/spot/v1/public/products"),
        "GET /api/spot/v1/public/product": await client.public(
            "/api/spot/v1/public/product", symbol=SYMBOL
        ),
        "GET /api/spot/v1/market/fills": await client.public(
            "/api/spot/v1/market/fills", symbol=SYMBOL, limit=2
        ),
        "GET /api/spot/v1/market/candles": await client.public(
            "/api/spot/v1/market/candles", symbol=SYMBOL, period="1min", limit=2
        ),
        "GET /api/spot/v1/market/depth": await client.public(
            "/api/spot/v1/market/depth", symbol=SYMBOL, limit=5
        ),
    }

    async def signed(method, path, body=None):
        _, answer = await client.signed(method, path, body=body)
        got[f"{method} {path}"] = answer
        return answer

    await signed("GET", "/api/spot/v1/account/assets")
    resting = {
        "symbol": SYMBOL,
        "side": "buy",
        "orderType": "limit",
        "force": "normal",
        "price": str(bid - 50),
        "quantity": "0.01",
        "clientOrderId": "doc1",
    }
    placed = await signed("POST", "/api/spot/v1/trade/orders", resting)
    await signed(
        "POST", "/api/spot/v1/trade/orderInfo", {"symbol": SYMBOL, "clientOrderId": "doc1"}
    )
    await signed("POST", "/api/spot/v1/trade/open-orders", {"symbol": SYMBOL})
    taking = {
        "symbol": SYMBOL,
        "side": "sell",
        "orderType": "market",
        "force": "normal",
        "quantity": "0.001",
        "clientOrderId": "doc2",
    }
    await client.signed("POST", "/api/spot/v1/trade/orders", body=taking)
    await signed("POST", "/api/spot/v1/trade/fills", {"symbol": SYMBOL})
    order_id = placed["data"]["orderId"]
    await signed("POST", "/api/spot/v1/trade/cancel-order", {"symbol": SYMBOL, "orderId": order_id})
    await signed("POST", "/api/spot/v1/trade/history", {"symbol": SYMBOL, "pageSize": 10})
    return got


def test_every_answer_has_the_shape_of_the_documents_example(answers):
    assert sorted(answers) == ENDPOINTS
    found = {name: differences(EXAMPLES[name]["answer"], answers[name]) for name in ENDPOINTS}
    assert {name: diffs for name, diffs in found.items() if diffs} == {}
