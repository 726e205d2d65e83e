"""The stream supervisor against real loopback servers."""

import asyncio
import gzip
import json
import random

import pytest
import websockets

from console.errors import NetworkError
from console.net.backoff import Backoff
from console.net.stream import ServerShutdown, Stream, StreamRules, StreamState, gzipped
from console.sim.exchange import SimExchange
from console.sim.server import SimServer
from tests.fakes import until

FAST = StreamRules(heartbeat_window=0.6, quiet_after=0.3, ping_interval=0.1, max_age=3600)
QUICK_BACKOFF = Backoff(base=0.01, cap=0.05)


class Recorder:
    """A venue handler that records what happens and answers JSON pings."""

    def __init__(self, subscribe=None):
        self.frames, self.opens, self.closes, self.quiet = [], 0, 0, []
        self.subscribe = subscribe
        self.got_frame = asyncio.Event()

    async def on_open(self, stream):
        self.opens += 1
        if self.subscribe:
            await stream.send(self.subscribe)

    def on_frame(self, frame):
        message = json.loads(frame)
        if "shutdown" in message:
            raise ServerShutdown
        if "ping" in message:
            return json.dumps({"pong": message["ping"]})
        self.frames.append(message)
        self.got_frame.set()
        return None

    def on_quiet(self, quiet):
        self.quiet.append(quiet)

    def on_close(self):
        self.closes += 1


@pytest.fixture
async def server():
    """A server that plays a script per connection: lists of frames, then an action."""
    scripts, received = [], []

    async def handle(ws):
        script = scripts.pop(0) if scripts else {"frames": [], "then": "wait"}
        for frame in script["frames"]:
            await ws.send(frame)
        if script["then"] == "close":
            return
        if script["then"] == "close after a message":
            received.append(await ws.recv())
            return
        async for message in ws:
            received.append(message)

    async with websockets.serve(handle, "127.0.0.1", 0) as srv:
        port = srv.sockets[0].getsockname()[1]
        yield f"ws://127.0.0.1:{port}", scripts, received


async def test_frames_reach_the_handler_and_the_stream_goes_live(server):
    url, scripts, _ = server
    scripts.append({"frames": ['{"n": 1}', '{"n": 2}'], "then": "wait"})
    handler = Recorder()
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: len(handler.frames) == 2)
    await stream.wait_for(StreamState.LIVE)
    await stream.stop()
    assert handler.frames == [{"n": 1}, {"n": 2}]


async def test_json_ping_is_answered_with_the_same_number(server):
    url, scripts, received = server
    scripts.append({"frames": ['{"ping": 1492420473027}'], "then": "wait"})
    stream = Stream("t", url, Recorder(), FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: received)
    await stream.stop()
    assert json.loads(received[0]) == {"pong": 1492420473027}


async def test_malformed_frame_is_counted_and_skipped(server):
    url, scripts, _ = server
    scripts.append({"frames": ["not json", '{"n": 3}'], "then": "wait"})
    handler = Recorder()
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: handler.frames)
    await stream.stop()
    assert (stream.status.malformed, handler.frames) == (1, [{"n": 3}])


async def test_gzip_frames_reach_the_handler_unwrapped_and_a_bad_one_is_skipped(server):
    url, scripts, received = server
    ping = gzip.compress(b'{"ping": 1492420473027}')
    scripts.append({"frames": [b"\x1f\x8b not gzip", ping], "then": "wait"})
    stream = Stream("t", url, Recorder(), FAST, QUICK_BACKOFF, framing=gzipped)
    stream.start()
    await until(lambda: received)
    await stream.stop()
    assert json.loads(received[0]) == {"pong": 1492420473027}
    assert stream.status.malformed == 1


async def test_an_error_in_our_own_handling_is_logged_in_full_not_counted_as_bad_input(
    server, caplog
):
    url, scripts, _ = server
    scripts.append({"frames": ['{"boom": 1}', '{"n": 2}'], "then": "wait"})
    handler = Recorder()
    on_frame = handler.on_frame

    def buggy(frame):
        if "boom" in frame:
            raise TypeError("a bug")
        return on_frame(frame)

    handler.on_frame = buggy
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: handler.frames)
    await stream.stop()
    assert (stream.status.faults, stream.status.malformed) == (1, 0)
    (record,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.exc_info[0] is TypeError


async def test_a_bug_in_opening_is_logged_in_full_and_the_stream_stays_down(server, caplog):
    url, _, _ = server
    handler = Recorder()

    async def buggy(stream):
        handler.opens += 1
        raise AttributeError("a bug")

    handler.on_open = buggy
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await stream.wait_for(StreamState.BROKEN)
    assert (handler.opens, stream.status.reconnects) == (1, 0)
    (record,) = [r for r in caplog.records if r.name == "console.net.stream"]
    assert record.levelname == "ERROR" and record.exc_info[0] is AttributeError
    await stream.stop()


def refusing_the_first_opening():
    """A handler whose first subscription the venue refuses."""
    handler = Recorder()

    async def refused(stream):
        handler.opens += 1
        if handler.opens == 1:
            raise NetworkError(msg="subscription refused")

    handler.on_open = refused
    return handler


async def test_a_venue_refusing_the_opening_is_retried(server):
    url, _, _ = server
    handler = refusing_the_first_opening()
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await stream.wait_for(StreamState.LIVE)
    assert handler.opens == 2
    await stream.stop()


class LongWaits:
    """A sleep that skips every wait of a second or more (a reconnect's backoff) and
    records it: the test sees the delay the stream chose without living through it."""

    def __init__(self):
        self.skipped = []

    async def __call__(self, seconds):
        if seconds >= 1:
            self.skipped.append(seconds)
            seconds = 0
        await asyncio.sleep(seconds)


async def test_a_reconnect_waits_the_backoffs_delay_on_the_streams_own_sleep(server):
    url, _, _ = server
    handler = refusing_the_first_opening()
    waits = LongWaits()
    stream = Stream("t", url, handler, FAST, Backoff(30, 30, random.Random(7)), sleep=waits)
    stream.start()
    await stream.wait_for(StreamState.LIVE)
    await stream.stop()
    assert waits.skipped == [Backoff(30, 30, random.Random(7)).next_delay()]


async def test_lost_connection_reconnects_and_subscribes_again(server):
    url, scripts, received = server
    scripts.append({"frames": ['{"n": 1}'], "then": "close after a message"})
    scripts.append({"frames": ['{"n": 2}'], "then": "wait"})
    handler = Recorder(subscribe='{"method": "SUBSCRIBE"}')
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: len(handler.frames) == 2 and len(received) == 2)
    await stream.stop()
    assert (handler.opens, stream.status.reconnects) == (2, 1)
    assert received == ['{"method": "SUBSCRIBE"}'] * 2
    states = [state for _, state in stream.status.changes]
    assert states == [StreamState.LIVE, StreamState.DOWN, StreamState.CONNECTING, StreamState.LIVE]


async def test_server_shutdown_reconnects_without_going_down(server):
    url, scripts, _ = server
    scripts.append({"frames": ['{"shutdown": true}'], "then": "wait"})
    scripts.append({"frames": ['{"n": 9}'], "then": "wait"})
    handler = Recorder()
    stream = Stream("t", url, handler, FAST, Backoff(base=30, cap=30))
    stream.start()
    await until(lambda: handler.frames)
    await stream.stop()
    assert StreamState.DOWN not in [state for _, state in stream.status.changes]
    assert handler.frames == [{"n": 9}]


async def test_connection_is_renewed_before_its_maximum_age(server):
    url, _, _ = server
    rules = StreamRules(heartbeat_window=5, ping_interval=0.05, max_age=0.3)
    handler = Recorder()
    stream = Stream("t", url, handler, rules, Backoff(base=30, cap=30))
    stream.start()
    await until(lambda: handler.opens >= 2)
    await stream.stop()
    assert StreamState.DOWN not in [state for _, state in stream.status.changes]


async def test_pings_measure_round_trip_time(server):
    url, _, _ = server
    stream = Stream("t", url, Recorder(), FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: stream.status.rtt is not None)
    await stream.stop()
    assert 0 <= stream.status.rtt < 0.5


async def test_a_quiet_line_shows_stale_at_once_and_live_when_heard_again():
    exchange = SimExchange(rate=0)
    sim = SimServer(exchange, flow=False)
    await sim.start()
    handler = Recorder()
    rules = StreamRules(heartbeat_window=30, quiet_after=0.3, ping_interval=0.1, max_age=3600)
    stream = Stream("t", sim.urls["streams"] + "/btcusdt@trade", handler, rules, QUICK_BACKOFF)
    try:
        stream.start()
        await stream.wait_for(StreamState.LIVE)
        exchange.chaos.go_dark()
        await asyncio.wait_for(stream.wait_for(StreamState.STALE), 2)
        exchange.chaos.come_back()
        await asyncio.wait_for(stream.wait_for(StreamState.LIVE), 2)
    finally:
        await stream.stop()
    await sim.stop()
    assert handler.quiet == [True, False]
    assert stream.status.reconnects == 0


async def test_silence_past_the_heartbeat_window_reconnects():
    exchange = SimExchange(rate=0)
    sim = SimServer(exchange, flow=False)
    await sim.start()
    handler = Recorder()
    stream = Stream("t", sim.urls["streams"] + "/btcusdt@trade", handler, FAST, QUICK_BACKOFF)
    try:
        stream.start()
        await stream.wait_for(StreamState.LIVE)
        exchange.chaos.stall_connections()
        await asyncio.wait_for(stream.wait_for(StreamState.STALE), FAST.heartbeat_window * 3)
        await asyncio.wait_for(stream.wait_for(StreamState.LIVE), 5)
    finally:
        await stream.stop()
        await sim.stop()
    assert stream.status.reconnects == 1
    assert handler.opens == 2


async def test_send_without_a_connection_is_a_network_error():
    from console.errors import NetworkError

    stream = Stream("t", "ws://127.0.0.1:9", Recorder(), FAST, QUICK_BACKOFF)
    with pytest.raises(NetworkError):
        await stream.send("hello")


async def test_a_burst_of_frames_already_received_gives_the_loop_a_turn_every_few_frames(server):
    import time

    from console.net.stream import YIELD_EVERY

    url, scripts, _ = server
    scripts.append({"frames": [json.dumps({"n": n}) for n in range(400)], "then": "wait"})
    turns = 0

    async def count_turns():
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    class Seen(Recorder):
        def __init__(self):
            super().__init__()
            self.turn_of_each = []

        def on_frame(self, frame):
            if not self.turn_of_each:
                time.sleep(0.3)  # the rest of the burst arrives meanwhile, unread
            self.turn_of_each.append(turns)
            return super().on_frame(frame)

    handler = Seen()
    counting = asyncio.ensure_future(count_turns())
    stream = Stream("t", url, handler, FAST, QUICK_BACKOFF)
    stream.start()
    await until(lambda: len(handler.frames) == 400)
    await stream.stop()
    counting.cancel()
    runs = [handler.turn_of_each.count(turn) for turn in set(handler.turn_of_each)]
    assert max(runs) <= YIELD_EVERY
