"""WEEX's streams: the user data stream's recorded pushes through the session, and the
session live against the simulator's `/ws?listenKey=` after a listen key is made over REST;
the public market stream's book snapshots and the FAQ's subscription budget."""

import json
from decimal import Decimal

from console.model import BookSnapshot, OrderStatus, Side
from console.net.stream import Stream
from console.venues.feeds import BookState, LiveBook
from console.venues.market import MarketFeeds
from console.venues.weex import streams
from console.venues.weex.streams import USER_RULES, UserSession, WeexMarket
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


async def test_the_session_hears_its_order_its_fill_and_the_balances(sim, rest):
    server = sim
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


# -- the public market stream ---------------------------------------------------------------

SNAPSHOT = json.dumps(
    {
        "e": "depthSnapshot",
        "E": 1_700_000_000_000,
        "s": "BTCUSDT",
        "U": 41,
        "u": 41,
        "l": 200,
        "d": "SNAPSHOT",
        "b": [["64999.99", "0.5"]],
        "a": [["65000.01", "0.25"]],
    }
)


class Resubscribing:
    """A market connection that answers a depth subscription with its snapshot."""

    def __init__(self, market):
        self.market, self.sent = market, []

    async def unsubscribe(self, topics):
        self.sent.append(("UNSUBSCRIBE", topics))

    async def subscribe(self, topics):
        self.sent.append(("SUBSCRIBE", topics))
        self.market.on_frame(SNAPSHOT, self)


async def test_a_snapshot_pushed_before_anyone_asked_is_what_the_book_takes_first():
    market = WeexMarket()
    feeds = Resubscribing(market)
    market.on_frame(SNAPSHOT, feeds)
    snapshot = await market.snapshot(feeds, "BTCUSDT")
    assert snapshot.last_update_id == 41 and feeds.sent == []


async def test_a_fresh_snapshot_subscribes_again_and_takes_the_first_push():
    market = WeexMarket()
    feeds = Resubscribing(market)
    snapshot = await market.snapshot(feeds, "BTCUSDT")
    assert (snapshot.last_update_id, snapshot.bids[0][0]) == (41, "64999.99")
    assert feeds.sent == [
        ("UNSUBSCRIBE", ["BTCUSDT@depth200"]),
        ("SUBSCRIBE", ["BTCUSDT@depth200"]),
    ]


async def test_a_fresh_snapshot_waits_for_the_faqs_subscription_budget(monkeypatch):
    now = [100.0]
    market = WeexMarket(clock=lambda: now[0])
    market.subscriptions.tokens = 1  # one short of the two a resubscription costs
    waits = []

    async def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(streams.asyncio, "sleep", sleep)
    await market.snapshot(Resubscribing(market), "BTCUSDT")
    assert waits == [3600 / 240]


async def test_changes_reach_the_book_whatever_the_order_and_spacing_of_their_fields():
    market = WeexMarket()
    feeds = MarketFeeds(market)

    async def no_snapshot(levels):
        raise AssertionError("the book is live already")

    book = LiveBook("BTCUSDT", Decimal("0.01"), Decimal("0.001"), no_snapshot)
    book.book.load_snapshot(
        BookSnapshot("BTCUSDT", 41, [("64999.99", "0.5")], [("65000.01", "0.25")])
    )
    book.state = BookState.LIVE
    feeds.books["BTCUSDT"] = book
    compact = {"e": "depth", "E": 1, "s": "BTCUSDT", "U": 42, "u": 42, "d": "CHANGED"}
    feeds.on_frame(
        json.dumps({**compact, "b": [["64999.99", "0"]], "a": []}, separators=(",", ":"))
    )
    reordered = {"s": "BTCUSDT", "U": 43, "u": 43, "b": [["64999.98", "1"]], "a": [], "e": "depth"}
    feeds.on_frame(json.dumps(reordered))
    assert book.book.last_update_id == 43
    assert book.book.top(Side.BUY, 5) == [(6_499_998, 1_000)]
