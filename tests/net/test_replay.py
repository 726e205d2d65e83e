"""Replaying a recording: the clock a trader drives, frames in their order and never an
answer before its request, and REST answers matched to requests whatever their signing."""

import asyncio
from pathlib import Path

import httpx
import pytest

from console.cli import UsageError, replay_start
from console.net import replay
from console.net.recorder import Exchange, Frame, Opened
from console.net.replay import Player, ReplayClock, request_key
from tests.fakes import until

SECOND = 1_000_000_000


def run(*records):
    return [Opened(1_000, 0, "binance", "sim", "", "BTCUSDT"), *records]


def test_the_clock_pauses_steps_skips_and_changes_speed_within_its_range():
    clock = ReplayClock(0, 600 * SECOND)
    clock.toggle()
    assert clock.pace() == "paused"
    clock.step()
    clock.skip()
    assert clock.position_ns == 61 * SECOND
    clock.toggle()
    for _ in range(3):
        clock.faster()
    assert clock.pace() == "×10"
    for _ in range(20):
        clock.faster()
    assert clock.pace() == "fast"
    for _ in range(20):
        clock.slower()
    assert clock.pace() == "×0.25"
    clock.jump(0)  # never back: a book cannot unlearn
    assert clock.position_ns == 61 * SECOND
    clock.jump(10_000 * SECOND)
    assert (clock.position_ns, clock.pace()) == (600 * SECOND, "end")


async def test_a_seek_runs_the_clock_fast_to_its_moment_and_a_paused_one_stays_there():
    clock = ReplayClock(0, 600 * SECOND, paused=True, fast_until=30 * SECOND + 7)
    assert clock.pace() == "fast"
    clock.run()
    await until(lambda: clock.pace() == "paused")
    assert clock.position_ns == 30 * SECOND + 7
    await clock.stop()


def test_the_banner_reads_the_recorded_time_where_the_replay_is():
    player = Player(
        run(Frame(1_000, 0, "market", b"a"), Frame(61_000, 60 * SECOND, "market", b"b"))
    )
    player.clock.jump(30 * SECOND)
    assert player.describe() == "1970-01-01 00:00:31 ×1"


def test_a_request_is_matched_without_its_signing():
    signed = "/api/v3/openOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=1&signature=ab"
    assert request_key("GET", signed) == request_key(
        "GET", "/api/v3/openOrders?timestamp=2&symbol=BTCUSDT&signature=cd"
    )
    huobi = "/v1/order/openOrders?AccessKeyId=<redacted>&SignatureMethod=HmacSHA256&symbol=btcusdt"
    assert request_key("GET", huobi) == ("GET", "/v1/order/openOrders", "symbol=btcusdt")


async def test_a_request_gets_the_answer_recorded_nearest_the_replays_moment():
    def depth(at_s, update_id):
        answer = f'{{"lastUpdateId":{update_id}}}'.encode()
        return Exchange(0, at_s * SECOND, "GET", "/api/v3/depth?symbol=BTCUSDT", "", 200, answer, 0)

    player = Player(run(depth(1, 10), depth(30, 20), depth(60, 30)))
    async with httpx.AsyncClient(base_url="http://replay.invalid", transport=player.transport) as c:
        player.clock.jump(25 * SECOND)
        assert (await c.get("/api/v3/depth?symbol=BTCUSDT")).json() == {"lastUpdateId": 20}
        assert (await c.get("/api/v3/depth?symbol=ETHUSDT")).status_code == 503


async def test_frames_come_when_the_clock_reaches_them_and_an_answer_after_its_request():
    player = Player(
        run(
            Frame(0, 1 * SECOND, "user", b"hello"),
            Frame(0, 2 * SECOND, "user", b'{"id":1}', sent=True),
            Frame(0, 3 * SECOND, "user", b'{"id":1,"result":{}}'),
        )
    )
    socket = player.connect("user")()
    heard = []

    async def listen():
        async for frame in socket:
            heard.append(frame)

    listening = asyncio.create_task(listen())
    player.clock.jump(1 * SECOND)
    await until(lambda: heard == ["hello"])
    player.clock.jump(5 * SECOND)
    await asyncio.sleep(0.05)
    assert heard == ["hello"]  # the answer waits for the request
    await socket.send('{"id":1}')
    await until(lambda: heard == ["hello", '{"id":1,"result":{}}'])
    listening.cancel()


async def heard_after_an_order_never_sent(clock_at_s):
    """What a replay's user stream says after a recorded order request it never makes."""
    player = Player(
        run(
            Frame(0, 1 * SECOND, "user", b'{"method":"order.place"}', sent=True),
            Frame(0, 2 * SECOND, "user", b"placed"),
        )
    )
    socket = player.connect("user")()
    player.clock.jump(clock_at_s * SECOND)
    return await asyncio.wait_for(anext(socket), 5)


async def test_an_answer_to_a_request_the_replay_never_makes_comes_after_a_wait(monkeypatch):
    monkeypatch.setattr(replay, "ANSWER_WAIT", 0.05)  # and two seconds of the recording
    assert await heard_after_an_order_never_sent(5) == "placed"


def test_a_time_alone_is_on_the_recordings_day():
    path = Path("binance-sim-2026-12-02.rec.zst")
    assert replay_start(path, "14:03:07") == replay_start(path, "2026-12-02T14:03:07")
    assert replay_start(path, "2026-12-02T14:03:07") == 1_796_220_187_000
    with pytest.raises(UsageError, match="a time such as 14:03:07"):
        replay_start(path, "teatime")


async def test_once_a_connection_has_settled_a_missing_request_is_waited_for_briefly(monkeypatch):
    monkeypatch.setattr(replay, "SETTLED", 0.0)  # the connection's own requests are made
    monkeypatch.setattr(replay, "ANSWER_WAIT", 60.0)  # a young connection would wait on
    assert await heard_after_an_order_never_sent(2) == "placed"
