"""The simulator's Huobi answers have the shape of the document's examples: each key the
example has, in its JSON type and number form (market figures as JSON numbers, account
figures as decimal strings), asked for by a client written from the document alone."""

import pytest

from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer, lot_parts
from tests.fakes import until
from tests.sim.documents import differences, examples
from tests.sim.test_huobi_raw_client import ACCESS_KEY, SECRET, RawClient

EXAMPLES = examples("huobi")


@pytest.fixture
async def answers():
    """Every example's endpoint asked once, on an account with a resting order and a fill."""
    exchange = SimExchange(seed=5, rate=400, lot_parts=lot_parts("huobi"))
    exchange.add_credential(Credential(ACCESS_KEY, TRADER_ACCOUNT, secret=SECRET.encode()))
    server = SimServer(exchange, "huobi")
    await server.start()
    client = RawClient(server.base_url)
    try:
        yield await ask_every_endpoint(server, client)
    finally:
        await client.http.aclose()
        await server.stop()


async def ask_every_endpoint(server, client):
    http = client.http

    async def public(path, **params):
        return (await http.get(path, params=params)).json()

    await until(lambda: server.exchange.tapes["BTCUSDT"])
    server.exchange.market.rate = 0  # the market holds still: the resting order rests
    got = {
        "market/history/kline": await public(
            "/market/history/kline", symbol="btcusdt", period="1day", size=2
        ),
        "market/detail/merged": await public("/market/detail/merged", symbol="btcusdt"),
        "market/history/trade": await public("/market/history/trade", symbol="btcusdt", size=2),
    }
    got["v1/account/accounts"] = accounts = await client.signed("GET", "/v1/account/accounts")
    account = accounts["data"][0]["id"]
    got["v1/account/accounts/{account-id}/balance"] = await client.signed(
        "GET", f"/v1/account/accounts/{account}/balance"
    )
    bid = got["market/detail/merged"]["tick"]["bid"][0]
    resting = {
        "account-id": str(account),
        "symbol": "btcusdt",
        "type": "buy-limit",
        "amount": "0.001",
        "price": f"{bid - 100:.2f}",
        "client-order-id": "doc-1",
    }
    got["v1/order/orders/place"] = placed = await client.signed(
        "POST", "/v1/order/orders/place", body=resting
    )
    got["v1/order/openOrders"] = await client.signed(
        "GET", "/v1/order/openOrders", {"account-id": str(account), "symbol": "btcusdt"}
    )
    got["v1/order/orders/{order-id}"] = await client.signed(
        "GET", f"/v1/order/orders/{placed['data']}"
    )
    got["v1/order/orders/getClientOrder"] = await client.signed(
        "GET", "/v1/order/orders/getClientOrder", {"clientOrderId": "doc-1"}
    )
    taker = {"account-id": str(account), "symbol": "btcusdt", "type": "sell-market"}
    await client.signed("POST", "/v1/order/orders/place", body={**taker, "amount": "0.001"})
    got["v1/order/matchresults"] = await client.signed(
        "GET", "/v1/order/matchresults", {"symbol": "btcusdt"}
    )
    got["v2/algo-orders/cancel-all-after"] = await client.signed(
        "POST", "/v2/algo-orders/cancel-all-after", body={"timeout": "10"}
    )
    got["v2/reference/transact-fee-rate"] = await client.signed(
        "GET", "/v2/reference/transact-fee-rate", {"symbols": "btcusdt"}
    )
    return got


ENDPOINTS = sorted(name for name in EXAMPLES if not name.startswith("_"))


def test_every_answer_has_the_shape_of_the_documents_example(answers):
    assert sorted(answers) == ENDPOINTS
    found = {name: differences(EXAMPLES[name]["answer"], answers[name]) for name in ENDPOINTS}
    assert {name: diffs for name, diffs in found.items() if diffs} == {}


def test_a_shape_that_differs_is_named_by_its_path():
    example = {"data": [{"amount": "1.0", "ts": 1}]}
    answer = {"data": [{"amount": 1.0}]}
    assert differences(example, answer) == [
        "$.data[0].amount: number where the document has decimal string",
        "$.data[0].ts: missing",
    ]
