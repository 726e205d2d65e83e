"""Server side of a simulated venue WebSocket: heartbeats, lifetime, chaos and a send queue,
in the framing and heartbeat style of the dialect that uses it.

Venues ping their clients and drop those that stop answering, cap a connection's age, and
announce shutdowns; a client is only proven against such a server. Sends never block the
engine: frames go to a bounded queue drained by a writer task, and a client too slow to keep
up is disconnected, as venues do, rather than letting memory grow.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import WSMsgType, web

from console.sim.chaos import Chaos

SEND_QUEUE_LIMIT = 10_000


@dataclass(frozen=True)
class SocketStyle:
    """How a dialect speaks on a socket: plain text frames with protocol pings (Binance),
    or gzip-compressed binary frames with JSON pings the client must answer (Huobi's
    market stream: `{"ping": 1492420473027}`, answered `{"pong": 1492420473027}`)."""

    gzip: bool = False
    json_ping: Callable[[int], str] | None = None
    """The ping frame for a timestamp in ms; None: protocol ping frames."""
    is_pong: Callable[[str], bool] | None = None
    """Whether a client frame answers a JSON ping (it is then not a request)."""


PLAIN = SocketStyle()


def sockets_base(base: str) -> str:
    """The WebSocket address beside a REST base: `ws://` for `http://`, `wss://` for
    `https://`."""
    return "ws" + base.removeprefix("http")


@dataclass(frozen=True)
class SocketRules:
    ping_interval: float = 20.0
    pong_timeout: float = 60.0
    max_age: float = 24 * 3600.0
    shutdown_grace: float = 5.0
    """Seconds between a shutdown notice and the disconnect."""


class SimSocket:
    def __init__(
        self, request: web.Request, rules: SocketRules, chaos: Chaos, style: SocketStyle = PLAIN
    ) -> None:
        self.request = request
        self.rules = rules
        self.chaos = chaos
        self.style = style
        self.ws = web.WebSocketResponse(autoping=False, max_msg_size=1 << 20)
        self._queue: asyncio.Queue[str | None] = asyncio.Queue(SEND_QUEUE_LIMIT)
        self._stall_generation = chaos.generation("stall")
        self._drop_generation = chaos.generation("drop")
        self._silenced = False
        self.closed = False

    @property
    def stalled(self) -> bool:
        return (
            self._silenced
            or self.chaos.dark
            or self.chaos.generation("stall") != self._stall_generation
        )

    def send(self, text: str) -> None:
        """Queue a frame; a silent (stalled) socket swallows it, a full queue disconnects."""
        if self.closed or self.stalled:
            return
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            self.close()

    def close(self) -> None:
        """Close after the frames already queued; a backlog past the limit is dropped."""
        if self.closed:
            return
        self.closed = True
        while self._queue.full():
            self._queue.get_nowait()
        self._queue.put_nowait(None)

    def abort(self) -> None:
        """Cut the TCP connection with no close frame, as a network failure would."""
        self.closed = True
        transport = self.request.transport
        if transport is not None:
            transport.abort()

    async def serve(
        self, on_text: Callable[[str], Awaitable[None]], shutdown_notice: Callable[[], str]
    ) -> web.WebSocketResponse:
        """Run the socket until either side closes; `on_text` handles each client frame."""
        await self.ws.prepare(self.request)
        loop = asyncio.get_running_loop()
        self._last_pong = loop.time()
        self._opened = loop.time()
        self._shutdown_notice = shutdown_notice
        tasks = [asyncio.create_task(self._write()), asyncio.create_task(self._heartbeat())]
        try:
            async for msg in self.ws:
                if self.stalled:
                    continue
                if msg.type is WSMsgType.TEXT:
                    if self.style.is_pong is not None and self.style.is_pong(msg.data):
                        self.pong_heard()
                    else:
                        await on_text(msg.data)
                elif msg.type is WSMsgType.PING:
                    await self.ws.pong(msg.data)
                elif msg.type is WSMsgType.PONG:
                    self._last_pong = loop.time()
        except ConnectionError:
            pass  # the client dropped while it was being answered: as closed as a close frame
        finally:
            self.closed = True
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                    await task
        return self.ws

    def pong_heard(self) -> None:
        """The client answered a ping; for dialects whose pong is a request with an
        answer of its own (WEEX's `{"method": "PONG"}`), the dialect calls this itself."""
        self._last_pong = asyncio.get_running_loop().time()

    def announce_shutdown(self) -> None:
        """Send the venue's shutdown notice, then disconnect after the grace period."""
        self.send(self._shutdown_notice())
        asyncio.get_running_loop().call_later(self.rules.shutdown_grace, self.close)

    async def _write(self) -> None:
        try:
            while True:
                text = await self._queue.get()
                if text is None:
                    break
                if self.stalled:
                    continue
                if self.style.gzip:
                    await self.ws.send_bytes(gzip.compress(text.encode()))
                else:
                    await self.ws.send_str(text)
        except ConnectionError:
            pass
        finally:
            await self.ws.close()

    async def _heartbeat(self) -> None:
        """Ping on schedule; drop a client that stopped answering or outlived its age."""
        loop = asyncio.get_running_loop()
        rules = self.rules
        check = min(1.0, rules.ping_interval)
        next_ping = loop.time() + rules.ping_interval
        while not self.closed:
            await asyncio.sleep(check)
            now = loop.time()
            if self.chaos.generation("drop") != self._drop_generation or self.chaos.happens(
                "drop", check
            ):
                self.abort()
                return
            if self.chaos.happens("stall", check):
                self._silenced = True
            if self.stalled:
                continue
            if now - self._last_pong > rules.pong_timeout or now - self._opened > rules.max_age:
                self.close()
                return
            if now >= next_ping:
                next_ping = now + rules.ping_interval
                stamp = int(now * 1000)
                if self.style.json_ping is not None:
                    self.send(self.style.json_ping(stamp))
                    continue
                with contextlib.suppress(ConnectionError):
                    await self.ws.ping(str(stamp).encode())
