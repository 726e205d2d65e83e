"""WEEX's user data stream: recorded pushes through the session, and the session live
against the simulator's `/ws?listenKey=` after a listen key is made over REST."""

import json
from decimal import Decimal

import pytest

from console.model import OrderStatus, Side
from console.net.clock import TimeSync
from console.net.limiter import Limiter
from console.net.rest import RestClient
from console.net.stream import Stream
from console.sim.exchange import TRADER_ACCOUNT, Credential, SimExchange
from console.sim.server import SimServer
from console.venues.weex.rest import WeexCredentials, WeexDialect, WeexRest, buckets
from console.venues.weex.streams import USER_RULES, UserSession
from tests.fakes import until


class Sink:
    def __init__(self):
        self.orders, self.fills, self.balances, self.live = [], [], [], []

    def on_order(self, order, fill):
        self.orders.append(order)
        if fill is not None:
            self.fills.append(fill)

    def on_balances(self, balances):
        self.balances.extend(balances)

    def on_user_stream(self, live):
        self.live.append(live)


def order_push(status, filled="0"):
    return json.dumps(
        {
            "c": "spot@private.orders.v3.api",
            "d": {
                "O": 1,
                "S": 2,
                "c": "tc-1",
                "i": "77",
                "o": 3,
                "p": 10,
                "s": status,
                "v": 1,
                "cv": filled,
                "ca": 0,
            },
            "s": "BTCUSDT",
            "t": 5,
        }
    )


DEAL = json.dumps(
    {
        "c": "spot@private.deals.v3.api",
        "d": {
            "p": "10",
            "v": "1",
            "a": "10",
            "S": 2,
            "T": 4,
            "t": "t-1",
            "c": "tc-1",
            "i": "77",
            "m": 0,
            "st": 0,
            "n": "0.01",
            "N": "USDT",
        },
        "s": "BTCUSDT",
        "t": 4,
    }
)


def test_a_deal_heard_before_its_order_waits_for_it():
    session, sink = UserSession(), Sink()
    session.sink = sink
    session.on_frame(DEAL)
    assert sink.fills == []
    session.on_frame(order_push(2, "1"))
    assert [(o.status, o.side) for o in sink.orders] == [(OrderStatus.FILLED, Side.SELL)] * 2
    assert [(f.trade_id, f.client_order_id) for f in sink.fills] == [("t-1", "tc-1")]


def test_a_deal_after_its_order_goes_with_that_order():
    session, sink = UserSession(), Sink()
    session.sink = sink
    session.on_frame(order_push(3, "0.5"))
    session.on_frame(DEAL)
    assert sink.fills[0].qty == 1 and sink.orders[-1].filled_qty == Decimal("0.5")


CREDENTIALS = WeexCredentials("weex-key", "weex-secret", "weexPhrase1")


@pytest.fixture
async def sim():
    exchange = SimExchange(seed=8, rate=0)
    exchange.add_credential(
        Credential("weex-key", TRADER_ACCOUNT, secret=b"weex-secret", passphrase="weexPhrase1")
    )
    server = SimServer(exchange, "weex", flow=False)
    await server.start()
    client = RestClient(server.base_url, WeexDialect(CREDENTIALS, TimeSync()), Limiter(buckets()))
    yield server, WeexRest(client)
    await client.close()
    await server.stop()


async def test_the_session_hears_its_order_its_fill_and_the_balances(sim):
    server, rest = sim
    key = await rest.create_listen_key()
    session, sink = UserSession(), Sink()
    session.sink = sink
    url = server.base_url.replace("http://", "ws://") + f"/ws?listenKey={key}"
    stream = Stream("user", url, session, USER_RULES, headers={"User-Agent": "trading-console"})
    stream.start()
    try:
        await until(lambda: sink.live == [True])
        l2 = server.exchange.engine.books["BTCUSDT"].l2
        await rest.place(
            {
                "symbol": "BTCUSDT_SPBL",
                "side": "buy",
                "orderType": "limit",
                "force": "ioc",
                "price": str(l2.prices.value(l2.best_ask)),
                "quantity": "0.001",
                "clientOrderId": "tc-live-1",
            }
        )
        await until(lambda: sink.fills and sink.balances)
        assert sink.orders[-1].client_order_id == "tc-live-1"
        assert sink.orders[-1].status is OrderStatus.FILLED
        assert sum(f.qty for f in sink.fills) == Decimal("0.001")
        assert {b.asset for b in sink.balances} >= {"BTC", "USDT"}
    finally:
        await stream.stop()
