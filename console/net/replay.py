"""Replay a recording (`console.net.recorder`) into the same adapters and books as live.

A `Player` stands in for the venue on both sides of an adapter: each stream's connection
yields the frames that stream heard, each at its recorded moment on the player's clock, and
the REST client's transport answers each request with the answer recorded for the same
request nearest that moment. The clock runs at a chosen speed, pauses, steps and jumps
ahead; frames a jump passes are all delivered, in order, so a book stays exact.

What is replayed is one run of a recording: the frames between its `Opened` record and
the next.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from console.net.recorder import Exchange, Frame, Opened, Record, read

TICK = 0.02
"""Seconds between two moves of the clock."""
FAST = 0.0
"""A speed of 0 runs the recording as fast as the console takes it."""
ANSWER_WAIT_NS = 2_000_000_000
"""How long of the recording a frame heard after the console sent something waits for the
replay to send as much: an answer never comes before its request. A request the replay
does not make (an order placed while recording: a replay sends none; a subscription only
the screen asked for) is given up on after this, and after `ANSWER_WAIT` seconds."""
ANSWER_WAIT = 0.5
"""The least a frame waits for its request in real time, however fast the replay runs:
time for the console to send it."""
ANSWER_WAIT_MOST = 2.0
"""The most it waits in real time, the replay paused or not."""
SETTLED = 2.0
"""Seconds after which a connection's own requests (log-on, subscriptions) are made: a
request still missing then was the trader's (an order), which a replay never makes, so
frames wait for it `SETTLED_WAIT` at most."""
SETTLED_WAIT = 0.1
SPEEDS = (0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 0.0)
"""The speeds `faster` and `slower` step through, fast (0) last."""
STEP_NS = 1_000_000_000
"""What a step moves: a second of the recording."""
SKIP_NS = 60_000_000_000
"""What a skip moves: a minute of the recording."""
FAST_STEP_NS = 200_000_000
"""How far the clock moves per tick when running fast: short enough that the streams and
the REST answers keep their recorded order."""
SIGNING = frozenset(
    {
        "timestamp",
        "signature",
        "recvwindow",
        "accesskeyid",
        "signaturemethod",
        "signatureversion",
    }
)
"""Query parameters a request's signing adds: left out when a replayed request is matched
to a recorded one (they differ every time)."""


class ReplayError(Exception):
    """The file is not a recording, or holds no run."""


def runs(path: Path) -> list[list[Record]]:
    """The runs of a recording, each its `Opened` record and what followed."""
    found: list[list[Record]] = []
    for record in read(path):
        if isinstance(record, Opened):
            found.append([record])
        elif found:
            found[-1].append(record)
    if not found:
        raise ReplayError(f"{path} holds no recording")
    return found


def request_key(method: str, url: str) -> tuple[str, str, str]:
    """A request as it is matched: its method, path and query without the signing."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() not in SIGNING]
    return method, parts.path, urlencode(sorted(query))


@dataclass
class ReplayClock:
    """Where the replay is in the recording (its monotonic nanoseconds) and how it moves."""

    start_ns: int
    end_ns: int
    speed: float = 1.0
    paused: bool = False
    fast_until: int = 0
    """Run fast until here (`--from`, a seek back), paused or not, then at `speed`."""
    position_ns: int = 0
    moved: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.position_ns = self.start_ns

    def run(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._tick(), name="replay clock")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def jump(self, to_ns: int) -> None:
        """Move to `to_ns` (never back: a book cannot unlearn, so a seek back replays the
        run afresh up to there, `console.launch.replay_run`); what lies between is
        delivered at once."""
        self.position_ns = min(self.end_ns, max(self.position_ns, to_ns))
        self.moved.set()

    @property
    def done(self) -> bool:
        return self.position_ns >= self.end_ns

    def toggle(self) -> None:
        self.paused = not self.paused

    def step(self) -> None:
        """A second on, paused or not."""
        self.jump(self.position_ns + STEP_NS)

    def skip(self) -> None:
        """A minute on, every frame in it delivered."""
        self.jump(self.position_ns + SKIP_NS)

    def faster(self) -> None:
        self.speed = SPEEDS[min(len(SPEEDS) - 1, self._speed_index() + 1)]

    def slower(self) -> None:
        self.speed = SPEEDS[max(0, self._speed_index() - 1)]

    def _speed_index(self) -> int:
        if self.speed in SPEEDS:
            return SPEEDS.index(self.speed)
        return bisect.bisect_left(SPEEDS[:-1], self.speed)

    def pace(self) -> str:
        """How the clock moves, in a word for the banner."""
        if self.done:
            return "end"
        if self.fast:
            return "fast"
        if self.paused:
            return "paused"
        return f"×{self.speed:g}"

    @property
    def fast(self) -> bool:
        return self.position_ns < self.fast_until or (not self.paused and self.speed == FAST)

    async def _tick(self) -> None:
        """At a speed, the clock follows the wall; running fast, it moves a short step
        each time the loop has had its turn."""
        last = time.monotonic()
        while True:
            await asyncio.sleep(0 if self.fast else TICK)
            now = time.monotonic()
            if self.fast:
                ahead = self.position_ns + FAST_STEP_NS
                seeking = self.position_ns < self.fast_until
                self.jump(min(ahead, self.fast_until) if seeking else ahead)
            elif not self.paused:
                self.jump(self.position_ns + int((now - last) * self.speed * 1e9))
            last = now


@dataclass
class Heard:
    """A stream's recorded frames, each with how many frames the console had sent on the
    stream before it; and how many the replay has sent so far."""

    frames: list[tuple[Frame, int]] = field(default_factory=list)
    next: int = 0
    """The next frame to deliver, on whichever connection the stream has open: each frame
    is heard once, in order."""
    sent: int = 0
    sending: asyncio.Event = field(default_factory=asyncio.Event)


class ReplaySocket:
    """One stream's connection: its recorded frames, each when the clock reaches it and
    the console has sent what it had sent before it."""

    def __init__(self, heard: Heard, clock: ReplayClock) -> None:
        self.heard = heard
        self.clock = clock
        self.transport: Any = None
        """No socket under it: a stream that drops it simply reconnects."""
        self.opened = asyncio.get_running_loop().time()

    async def __aenter__(self) -> ReplaySocket:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    def __aiter__(self) -> ReplaySocket:
        return self

    async def __anext__(self) -> str | bytes:
        heard = self.heard
        if heard.next >= len(heard.frames):
            await asyncio.Event().wait()  # the recording ends: the line stays open, quiet
        frame, after = heard.frames[heard.next]
        while self.clock.position_ns < frame.mono_ns:
            self.clock.moved.clear()
            await self.clock.moved.wait()
        if heard.sent < after:
            await self._request_made(after, frame.mono_ns + ANSWER_WAIT_NS)
        heard.next += 1
        return frame.payload

    async def _request_made(self, after: int, give_up_ns: int) -> None:
        """Until the console has sent `after` frames, or the recording and the wall have
        both moved past waiting for them."""
        heard, clock = self.heard, self.clock
        started = asyncio.get_running_loop().time()
        if started - self.opened > SETTLED:
            floor = most = started + SETTLED_WAIT
        else:
            floor, most = started + ANSWER_WAIT, started + ANSWER_WAIT_MOST
        while heard.sent < after:
            now = asyncio.get_running_loop().time()
            passed = clock.position_ns >= give_up_ns or clock.done
            if now >= most or (now >= floor and passed):
                break
            heard.sending.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.05, floor - now)):
                    await heard.sending.wait()
        heard.sent = max(heard.sent, after)

    async def send(self, _text: str) -> None:
        """What the console sends goes nowhere (the answers are in the recording); it is
        counted, to let the answers to it come."""
        self.heard.sent += 1
        self.heard.sending.set()

    async def ping(self) -> asyncio.Future[float]:
        pong: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        pong.set_result(0.0)
        return pong

    async def close(self) -> None:
        return None


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers each request with the recorded answer to the same request sent nearest the
    clock's position; one never recorded gets a 503, as a venue that is down would."""

    def __init__(self, exchanges: list[Exchange], clock: ReplayClock) -> None:
        self.clock = clock
        self._by_key: dict[tuple[str, str, str], list[Exchange]] = {}
        for exchange in exchanges:
            self._by_key.setdefault(request_key(exchange.method, exchange.url), []).append(exchange)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url.raw_path.decode()
        recorded = self._by_key.get(request_key(request.method, url))
        if not recorded:
            return httpx.Response(503, content=b"not in the recording")
        position = self.clock.position_ns
        nearest = min(recorded, key=lambda e: abs(e.mono_ns - e.took_ns - position))
        if nearest.status == 0:
            raise httpx.ReadTimeout("no answer in the recording", request=request)
        return httpx.Response(nearest.status, content=nearest.answer)


class Player:
    """One run of a recording, served to an adapter: `connect` for its streams (by name)
    and `transport` for its REST client."""

    def __init__(self, run: list[Record], speed: float = 1.0, from_ms: int | None = None) -> None:
        opened = run[0]
        assert isinstance(opened, Opened)
        self.opened = opened
        self.heard: dict[str, Heard] = {}
        sent: dict[str, int] = {}
        exchanges: list[Exchange] = []
        for record in run[1:]:
            if isinstance(record, Frame):
                if record.sent:
                    sent[record.stream] = sent.get(record.stream, 0) + 1
                else:
                    stream = self.heard.setdefault(record.stream, Heard())
                    stream.frames.append((record, sent.get(record.stream, 0)))
            elif isinstance(record, Exchange):
                exchanges.append(record)
        self._walls = [(r.mono_ns, r.wall_ms) for r in run]
        self.clock = ReplayClock(opened.mono_ns, run[-1].mono_ns, speed)
        if from_ms is not None:
            self.clock.fast_until = self.mono_at(from_ms)
        self.transport = ReplayTransport(exchanges, self.clock)

    def connect(self, stream: str) -> Callable[..., ReplaySocket]:
        heard = self.heard.setdefault(stream, Heard())

        def connect(*_: object, **__: object) -> ReplaySocket:
            return ReplaySocket(heard, self.clock)

        return connect

    def caught_up(self, stream: str) -> bool:
        """`stream` has been handed every frame it heard up to the clock's position."""
        heard = self.heard.get(stream)
        if heard is None or heard.next >= len(heard.frames):
            return True
        return heard.frames[heard.next][0].mono_ns > self.clock.position_ns

    def mono_at(self, wall_ms: int) -> int:
        """The recording's monotonic time at a wall-clock time: its last record by then
        (what had been heard at that moment)."""
        walls = [recorded_ms for _, recorded_ms in self._walls]
        index = bisect.bisect_right(walls, wall_ms) - 1
        return self._walls[max(0, index)][0]

    def describe(self) -> str:
        """Where the replay is, for the banner: `2026-12-12 14:03:07 ×2`."""
        moment = datetime.datetime.fromtimestamp(self.wall_ms() / 1000, datetime.UTC)
        return f"{moment:%Y-%m-%d %H:%M:%S} {self.clock.pace()}"

    def wall_ms(self) -> int:
        """The wall-clock time the recording had at the clock's position."""
        index = bisect.bisect_right(self._walls, (self.clock.position_ns, 1 << 62)) - 1
        mono_ns, wall_ms = self._walls[max(0, index)]
        return wall_ms + (self.clock.position_ns - mono_ns) // 1_000_000
