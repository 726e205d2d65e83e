"""WebSocket supervisor shared by every venue.

Connects, lets the venue's handler subscribe (and log on, and resync its books), hands it
every frame, sends what it answers (JSON pongs), and keeps the connection honest:

- its own pings measure round-trip time and prove the line alive on a quiet market;
- a stream silent (no data, no pong) for `quiet_after` seconds is shown STALE at once, and
  its handler told so (its books dim); the first frame heard brings it back to LIVE;
- silence past the venue's heartbeat window drops the connection and reconnects;
- reconnects back off with full jitter up to a cap, and reset after a good connection;
- a planned reconnect happens before the venue's maximum connection age, and at once when
  the venue announces a shutdown (the handler raises `ServerShutdown`);
- frames arrive unwrapped by the venue's framing (gzip on Huobi's market stream); a frame
  that cannot be read is counted and skipped, and the stream keeps going; an error in our
  own handling is logged with its traceback and counted apart, never taken for bad input.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import InvalidOperation
from typing import Any, Protocol

import msgspec
import websockets
from websockets.asyncio.client import ClientConnection

from console.errors import NetworkError, NotSent, VenueError
from console.net.backoff import Backoff
from console.net.recorder import Recorder

log = logging.getLogger(__name__)


class StreamState(enum.StrEnum):
    CONNECTING = "CONNECTING"
    LIVE = "LIVE"
    STALE = "STALE"
    DOWN = "DOWN"
    BROKEN = "BROKEN"
    """A fault in the console's own handling (a bug, logged with its traceback): the stream
    stays down instead of reconnecting into the same fault forever."""


class ServerShutdown(Exception):
    """The venue said it is going away: reconnect now, without backing off."""


@dataclass(frozen=True)
class StreamRules:
    heartbeat_window: float = 30.0
    """Silence (no data, no pong) longer than this drops the connection and reconnects."""
    quiet_after: float = 3.0
    """Silence longer than this shows the stream STALE: what it fed may be out of date."""
    ping_interval: float = 1.0
    """Our pings, which prove a quiet line alive; keep it well under `quiet_after`."""
    max_age: float = 23 * 3600.0
    """Reconnect on purpose before this age (venues cut connections at 24 h)."""
    open_timeout: float = 10.0
    max_frame: int = 16 << 20


@dataclass
class StreamStatus:
    """What the status bar shows for one stream."""

    name: str
    state: StreamState = StreamState.CONNECTING
    last_heard: float | None = None
    rtt: float | None = None
    reconnects: int = 0
    malformed: int = 0
    """Frames the venue sent that could not be read, skipped."""
    faults: int = 0
    """Frames our own code failed on (a bug, logged with its traceback), skipped."""
    connected_at: float | None = None
    changes: list[tuple[float, StreamState]] = field(default_factory=list)

    def heartbeat_age(self, now: float) -> float | None:
        return None if self.last_heard is None else now - self.last_heard


class StreamHandler(Protocol):
    async def on_open(self, stream: Stream) -> None:
        """Subscribe (and log on) on a fresh connection; frames are read meanwhile."""

    def on_frame(self, frame: str | bytes) -> str | None:
        """Handle one frame; return a reply to send, raise `ServerShutdown` to reconnect."""

    def on_quiet(self, quiet: bool) -> None:
        """The line went silent past `quiet_after` (True), or was heard again (False)."""

    def on_close(self) -> None:
        """The connection is gone: whatever it fed is no longer live."""


Connect = Callable[..., Any]
Framing = Callable[[str | bytes], str | bytes]
"""How a venue wraps its frames; the handler gets them unwrapped."""


YIELD_EVERY = 16
"""Frames a stream reads before it gives the core's loop a turn: frames already received
are read without one, so under a burst an order handed to the core would otherwise wait
for the whole burst to be read."""


def as_sent(frame: str | bytes) -> str | bytes:
    """Frames as they arrive: JSON text (Binance, WEEX, Huobi's account stream)."""
    return frame


GZIP_WINDOW = 16 + zlib.MAX_WBITS
"""zlib's window setting for a gzip header and trailer."""


def gzipped(frame: str | bytes) -> str | bytes:
    """Binary frames compressed with gzip (Huobi's market stream); a frame that is not
    gzip is unreadable, not a crash."""
    if isinstance(frame, str):
        raise ValueError("expected a gzip-compressed binary frame, got text")
    try:
        return zlib.decompress(frame, GZIP_WINDOW)  # all in C, unlike gzip.decompress
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"not a gzip frame: {error}") from None


class Stream:
    def __init__(
        self,
        name: str,
        url: str | Callable[[], Awaitable[str]],
        handler: StreamHandler,
        rules: StreamRules,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        connect: Connect = websockets.connect,
        headers: dict[str, str] | None = None,
        framing: Framing = as_sent,
    ) -> None:
        self.url = url
        self.handler = handler
        self.rules = rules
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.sleep = sleep
        """How the stream waits (between reconnects, between heartbeat checks): with
        `clock`, what a test moves instead of the wall."""
        self.connect = connect
        self.headers = headers or {}
        self.framing = framing
        self.recorder: Recorder | None = None
        """Where every frame heard and sent goes too (`console.net.recorder`)."""
        self.private = False
        """An account stream: its frames are redacted in the recording."""
        self.status = StreamStatus(name)
        self.state_changed = asyncio.Event()
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._planned = False
        self._broken = False

    # -- control -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"stream {self.status.name}")

    async def stop(self) -> None:
        self._stopping = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 1.0)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def send(self, text: str) -> None:
        ws = self._ws
        if ws is None:
            raise NotSent(msg=f"{self.status.name} stream is not connected")
        if self.recorder is not None:
            self.recorder.frame(self.status.name, text, sent=True)
        try:
            await ws.send(text)
        except websockets.ConnectionClosed as error:
            raise NetworkError(msg=f"{self.status.name} stream closed: {error}") from None

    def reconnect(self, reason: str) -> None:
        """Drop the connection now; the supervisor reconnects (used on protocol trouble)."""
        log.warning("%s: reconnecting: %s", self.status.name, reason)
        self._abort()

    async def wait_for(self, state: StreamState) -> None:
        """Wait until the stream reaches `state` (tests and the doctor use this)."""
        while self.status.state is not state:
            self.state_changed.clear()
            await self.state_changed.wait()

    # -- the loop ----------------------------------------------------------------------------

    def _set(self, state: StreamState) -> None:
        if self.status.state is not state:
            self.status.state = state
            self.status.changes.append((self.clock(), state))
            del self.status.changes[:-50]
            self.state_changed.set()

    async def _run(self) -> None:
        while not self._stopping:
            self._set(StreamState.CONNECTING)
            self._planned = False
            immediate = False
            try:
                await self._session()
            except ServerShutdown:
                log.info("%s: server shutdown announced", self.status.name)
                immediate = True
            except (OSError, TimeoutError, websockets.WebSocketException, NetworkError) as error:
                log.info("%s: connection lost: %s", self.status.name, error)
            finally:
                self._ws = None
                self.handler.on_close()
            if self._broken:
                self._set(StreamState.BROKEN)
                break
            if self._stopping:
                break
            self.status.reconnects += 1
            if self._planned or immediate:
                continue
            self._set(StreamState.DOWN)
            await self.sleep(self.backoff.next_delay())

    async def _address(self) -> str:
        """The URL to connect to: fixed, or made anew for each connection (a listenKey
        stream asks the venue's REST API for one); a venue refusing it is a lost line."""
        if isinstance(self.url, str):
            return self.url
        try:
            return await self.url()
        except VenueError as error:
            raise NetworkError(
                msg=f"{self.status.name}: no address to connect to: {error}"
            ) from None

    async def _session(self) -> None:
        async with self.connect(
            await self._address(),
            ping_interval=None,
            open_timeout=self.rules.open_timeout,
            max_size=self.rules.max_frame,
            close_timeout=1.0,
            additional_headers=self.headers or None,
        ) as ws:
            self._ws = ws
            now = self.clock()
            self.status.connected_at = self.status.last_heard = now
            opener = asyncio.create_task(self._open())
            keepalive = asyncio.create_task(self._keepalive(ws))
            try:
                read = 0
                async for frame in ws:
                    read += 1
                    if read % YIELD_EVERY == 0:
                        await asyncio.sleep(0)
                    self._heard()
                    try:
                        data = self.framing(frame)
                        if self.recorder is not None:
                            self.recorder.frame(self.status.name, data, private=self.private)
                        reply = self.handler.on_frame(data)
                    except ServerShutdown:
                        raise
                    except (msgspec.DecodeError, ValueError, InvalidOperation) as error:
                        self.status.malformed += 1
                        log.warning(
                            "%s: skipped a frame it could not read (%s): %.200r",
                            self.status.name,
                            error,
                            frame,
                        )
                        continue
                    except Exception:
                        # Not the venue's fault: ours. Shown in full in the log, counted
                        # apart from bad frames, and the stream goes on.
                        self.status.faults += 1
                        log.exception("%s: error handling a frame: %.200r", self.status.name, frame)
                        continue
                    if reply is not None:
                        if self.recorder is not None:
                            self.recorder.frame(self.status.name, reply, sent=True)
                        await ws.send(reply)
            finally:
                for task in (opener, keepalive):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def _open(self) -> None:
        """Let the handler subscribe while frames are already being read (it may await
        answers), then count the stream LIVE; a failed opening drops the connection."""
        try:
            await self.handler.on_open(self)
        except (OSError, TimeoutError, websockets.WebSocketException, VenueError) as error:
            log.warning("%s: opening failed: %s", self.status.name, error)
            self._abort()
            return
        except Exception:
            log.exception("%s: a fault in opening it; the stream stays down", self.status.name)
            self._broken = True
            self._abort()
            return
        self._set(StreamState.LIVE)
        self.backoff.reset()

    def _heard(self) -> None:
        self.status.last_heard = self.clock()
        if self.status.state is StreamState.STALE:
            self._set(StreamState.LIVE)
            self.handler.on_quiet(quiet=False)

    def _ponged(self, pong: asyncio.Future[float]) -> None:
        if not pong.cancelled() and pong.exception() is None:
            self.status.rtt = pong.result()  # websockets times the pong itself
            self._heard()

    async def _keepalive(self, ws: ClientConnection) -> None:
        """Ping, time the pong, and act when the line goes quiet or gets old."""
        rules = self.rules
        check = min(rules.ping_interval, rules.quiet_after, rules.heartbeat_window) / 4
        next_ping = self.clock()
        while True:
            await self.sleep(check)
            now = self.clock()
            silent = now - (self.status.last_heard or now)
            if silent > rules.heartbeat_window:
                log.warning("%s: nothing heard for %.1fs; reconnecting", self.status.name, silent)
                self._abort()
                return
            if silent > rules.quiet_after and self.status.state is StreamState.LIVE:
                log.info("%s: silent for %.1fs", self.status.name, silent)
                self._set(StreamState.STALE)
                self.handler.on_quiet(quiet=True)
            if self.status.connected_at is not None and (
                now - self.status.connected_at > rules.max_age
            ):
                log.info(
                    "%s: planned reconnect before the venue's connection age limit",
                    self.status.name,
                )
                self._planned = True
                self._abort()
                return
            if now >= next_ping:
                # A ping lost on a silent line is never answered; the next one still goes,
                # and its pong acknowledges every ping before it.
                next_ping = now + rules.ping_interval
                try:
                    pong = await ws.ping()
                except websockets.ConnectionClosed:
                    return
                if isinstance(pong, asyncio.Future):
                    pong.add_done_callback(self._ponged)

    def _abort(self) -> None:
        ws = self._ws
        if ws is not None and ws.transport is not None:
            ws.transport.abort()
