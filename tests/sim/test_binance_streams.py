"""The simulator's Binance market streams, over real loopback WebSockets."""

import asyncio
import itertools
import json
from decimal import Decimal

import aiohttp
import httpx
import pytest
import websockets

from console.book import ApplyResult, OrderBook
from console.model import BookDelta, BookSnapshot, Side
from console.sim.fronts.sockets import SocketRules
from tests.fakes import until
from tests.sim.conftest import next_json, ws_url


def as_delta(event):
    return BookDelta(
        event["s"],
        event["U"],
        event["u"],
        [tuple(b) for b in event["b"]],
        [tuple(a) for a in event["a"]],
    )


@pytest.mark.slow
async def test_depth_diffs_rebuild_the_engine_book_by_binances_procedure(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@depth@100ms")) as ws:
        buffered = [await next_json(ws)]
        async with httpx.AsyncClient(base_url=sim.base_url) as rest:
            snap = (
                await rest.get("/api/v3/depth", params={"symbol": "BTCUSDT", "limit": 5000})
            ).json()
        assert snap["lastUpdateId"] >= buffered[0]["U"]
        book = OrderBook("BTCUSDT", "0.01", "0.00001")
        book.load_snapshot(
            BookSnapshot(
                "BTCUSDT",
                snap["lastUpdateId"],
                [tuple(b) for b in snap["bids"]],
                [tuple(a) for a in snap["asks"]],
            )
        )
        applied = 0
        while applied < 15:
            event = buffered.pop(0) if buffered else await next_json(ws)
            result = book.apply(as_delta(event))
            assert result is not ApplyResult.GAP
            applied += result is ApplyResult.APPLIED
        flow.cancel()
        engine_book = sim.exchange.engine.books["BTCUSDT"].l2
        while book.last_update_id < engine_book.last_update_id:
            assert book.apply(as_delta(await next_json(ws))) is ApplyResult.APPLIED
    assert book.top(Side.BUY, 10_000) == engine_book.top(Side.BUY, 10_000)
    assert book.top(Side.SELL, 10_000) == engine_book.top(Side.SELL, 10_000)


async def test_depth_stream_update_ids_are_continuous(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@depth@100ms")) as ws:
        events = [await next_json(ws) for _ in range(6)]
    for before, after in itertools.pairwise(events):
        assert after["U"] == before["u"] + 1
    assert set(events[0]) == {"e", "E", "s", "U", "u", "b", "a"}


async def test_lost_depth_push_shows_as_a_gap(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@depth@100ms")) as ws:
        first = await next_json(ws)
        sim.exchange.chaos.trigger("gap")
        second = await next_json(ws)
    assert second["U"] > first["u"] + 1


async def test_combined_stream_wraps_each_event_with_its_name(sim, flow):
    url = ws_url(sim, "/stream?streams=btcusdt@depth@100ms/ethusdt@depth@100ms")
    async with websockets.connect(url) as ws:
        names = {(await next_json(ws))["stream"] for _ in range(8)}
    assert names == {"btcusdt@depth@100ms", "ethusdt@depth@100ms"}


async def test_trade_stream_carries_prints(sim, flow):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade")) as ws:
        trade = await next_json(ws, timeout=10)
    assert trade["e"] == "trade"
    assert Decimal(trade["p"]) > 0
    assert isinstance(trade["m"], bool)


async def test_kline_stream_carries_the_open_bar(sim):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@kline_1m")) as ws:
        await until(lambda: "btcusdt@kline_1m" in sim.front.streams.subscribers)
        sim.front.streams.push_klines()
        event = await next_json(ws)
    kline = event["k"]
    assert (event["e"], kline["i"], kline["x"]) == ("kline", "1m", False)
    assert kline["T"] - kline["t"] == 59_999


async def test_subscribe_list_and_unsubscribe(sim):
    async with websockets.connect(ws_url(sim, "/ws")) as ws:
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["btcusdt@trade"], "id": 1}))
        assert await next_json(ws) == {"result": None, "id": 1}
        await ws.send(json.dumps({"method": "LIST_SUBSCRIPTIONS", "id": 2}))
        assert await next_json(ws) == {"result": ["btcusdt@trade"], "id": 2}
        await ws.send(json.dumps({"method": "UNSUBSCRIBE", "params": ["btcusdt@trade"], "id": 3}))
        assert await next_json(ws) == {"result": None, "id": 3}
        await ws.send(json.dumps({"method": "SUBSCRIBE", "params": ["nope@trade"], "id": 4}))
        assert (await next_json(ws))["error"]["code"] == 2


async def test_server_shutdown_is_announced_before_the_disconnect(sim):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade")) as ws:
        await until(lambda: sim.front.streams.sockets)
        sim.front.announce_shutdown()
        notice = await next_json(ws)
        assert notice["e"] == "serverShutdown"


async def test_dropped_connection_closes_without_a_close_frame(sim):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade")) as ws:
        await until(lambda: sim.front.streams.sockets)
        sim.exchange.chaos.drop_connections()
        with pytest.raises(websockets.ConnectionClosedError):
            await asyncio.wait_for(ws.recv(), 5)


async def test_stalled_connection_stops_answering_pings(sim):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade"), ping_interval=None) as ws:
        await asyncio.wait_for(await ws.ping(), 2)
        sim.exchange.chaos.stall_connections()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(await ws.ping(), 0.5)


@pytest.mark.parametrize("rules", [SocketRules(ping_interval=0.05, pong_timeout=0.3)])
async def test_client_that_never_pongs_is_disconnected(sim, rules):
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url(sim, "/ws/btcusdt@trade"), autoping=False) as ws,
    ):
        kinds = []
        while True:
            msg = await asyncio.wait_for(ws.receive(), 3)
            kinds.append(msg.type)
            if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    assert aiohttp.WSMsgType.PING in kinds


@pytest.mark.parametrize("rules", [SocketRules(ping_interval=0.05, pong_timeout=60)])
async def test_client_that_pongs_stays_connected(sim, rules):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade")) as ws:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 0.4)  # nothing to read, and still open
        assert ws.state is websockets.protocol.State.OPEN


@pytest.mark.parametrize("rules", [SocketRules(ping_interval=0.05, max_age=0.3)])
async def test_connection_older_than_its_maximum_age_is_closed(sim, rules):
    async with websockets.connect(ws_url(sim, "/ws/btcusdt@trade")) as ws:
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 3)
