"""The simulator's Binance market streams beyond depth and trades, over raw WebSockets:
aggregate trades, book ticker, tickers, average price, partial depth and the all-market
arrays; late subscription on `/ws/<anything>` and the `combined` property."""

import asyncio
import json
from decimal import Decimal

import pytest
import websockets

from console.model import OrderType, Side
from tests.fakes import until
from tests.sim.conftest import TICK, best, next_json, ws_url


async def subscribed(sim, ws, *streams):
    """SUBSCRIBE on an open socket and wait for the answer."""
    await ws.send(json.dumps({"method": "SUBSCRIBE", "params": list(streams), "id": 1}))
    assert await next_json(ws) == {"result": None, "id": 1}


async def event_of(ws, kind, timeout=5.0):
    """The next frame whose `e` is `kind` (or, for an array, whose members' is)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        frame = await next_json(ws, max(deadline - loop.time(), 0.01))
        first = frame[0] if isinstance(frame, list) and frame else frame
        if (
            isinstance(first, dict)
            and first.get("e", "bookTicker" if "u" in first else None) == kind
        ):
            return frame


async def test_a_socket_opened_on_any_path_takes_subscriptions_later(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/0")) as ws:
        await subscribed(sim, ws, "btcusdt@aggTrade")
        event = await event_of(ws, "aggTrade", timeout=10)
    assert event["s"] == "BTCUSDT"
    assert event["l"] >= event["f"]


async def test_aggregate_trades_match_the_rest_answer(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@aggTrade")) as ws:
        event = await event_of(ws, "aggTrade", timeout=10)
    (stored,) = [a for a in sim.exchange.aggs["BTCUSDT"] if a.agg_id == event["a"]]
    assert (Decimal(event["q"]), event["f"], event["l"]) == (
        stored.qty,
        stored.first_id,
        stored.last_id,
    )


async def test_every_aggregate_trade_goes_out_once_in_the_order_of_its_ids(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@aggTrade")) as ws:
        ids = [(await event_of(ws, "aggTrade", timeout=10))["a"] for _ in range(6)]
    assert ids == list(range(ids[0], ids[0] + 6))


async def test_book_ticker_follows_the_top_of_the_book(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@bookTicker")) as ws:
        event = await event_of(ws, "bookTicker")
        assert event["s"] == "BTCUSDT"
        assert Decimal(event["b"]) < Decimal(event["a"])
        assert event["u"] <= sim.exchange.engine.books["BTCUSDT"].l2.last_update_id


@pytest.mark.slow
async def test_tickers_push_every_second(sim, flow):
    streams = ["btcusdt@ticker", "btcusdt@miniTicker", "btcusdt@ticker_1h", "btcusdt@avgPrice"]
    async with websockets.connect(ws_url(sim, "/ws/" + "/".join(streams))) as ws:
        ticker = await event_of(ws, "24hrTicker")
        mini = await event_of(ws, "24hrMiniTicker")
        hourly = await event_of(ws, "1hTicker")
        average = await event_of(ws, "avgPrice")
    assert Decimal(ticker["l"]) <= Decimal(ticker["c"]) <= Decimal(ticker["h"])
    assert set(mini) == {"e", "E", "s", "c", "o", "h", "l", "v", "q"}
    assert hourly["C"] - hourly["O"] <= 3_660_000
    assert (average["i"], Decimal(average["w"]) > 0) == ("5m", True)


async def test_partial_depth_is_a_snapshot_of_the_top_levels(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@depth5@100ms")) as ws:
        snapshot = await next_json(ws)
    assert (len(snapshot["bids"]), len(snapshot["asks"])) == (5, 5)
    assert Decimal(snapshot["bids"][0][0]) < Decimal(snapshot["asks"][0][0])
    assert snapshot["lastUpdateId"] > 0


@pytest.mark.slow
async def test_all_market_mini_tickers_come_as_one_array(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/!miniTicker@arr")) as ws:
        frame = await event_of(ws, "24hrMiniTicker")
    assert isinstance(frame, list)
    assert {row["s"] for row in frame} <= set(sim.exchange.engine.books)


async def test_combined_property_wraps_frames_once_set(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws")) as ws:
        await ws.send(json.dumps({"method": "GET_PROPERTY", "params": ["combined"], "id": 7}))
        assert await next_json(ws) == {"result": False, "id": 7}
        await ws.send(json.dumps({"method": "SET_PROPERTY", "params": ["combined", True], "id": 8}))
        assert await next_json(ws) == {"result": None, "id": 8}
        await subscribed(sim, ws, "btcusdt@depth5@100ms")
        frame = await next_json(ws)
    assert frame["stream"] == "btcusdt@depth5@100ms"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (["combined", "yes"], {"code": 1, "msg": "Invalid value type: expected Boolean"}),
        (["colour", True], {"code": 0, "msg": "Unknown property"}),
        ([5], {"code": 2, "msg": "Invalid request: property name must be a string"}),
    ],
)
async def test_bad_properties_are_refused_as_binance_does(sim, params, error):
    async with websockets.connect(ws_url(sim, "/ws")) as ws:
        await ws.send(json.dumps({"method": "SET_PROPERTY", "params": params, "id": 9}))
        assert await next_json(ws) == {"error": error, "id": 9}


async def test_upper_case_stream_names_are_not_streams(sim):
    async with websockets.connect(ws_url(sim, "/ws")) as ws:
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["BTCUSDT@trade"], "id": 1}))
        assert (await next_json(ws))["error"]["code"] == 2


async def test_book_ticker_stays_quiet_while_the_top_stands_still(sim):
    bid, _ = best(sim)
    sim.exchange.engine.open_account("bidder", {"USDT": Decimal(1_000_000)})

    def bid_at(price):
        sim.exchange.engine.place(
            "bidder", "BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal("0.01"), price
        )

    async with websockets.connect(ws_url(sim, "/ws/btcusdt@bookTicker")) as ws:
        await until(lambda: "btcusdt@bookTicker" in sim.front.streams.subscribers)
        bid_at(bid - 50 * TICK)  # deep in the book: the top is unchanged
        bid_at(bid + TICK)
        event = await event_of(ws, "bookTicker")
    assert Decimal(event["b"]) == bid + TICK
