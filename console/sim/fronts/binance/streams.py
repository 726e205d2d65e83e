"""Binance spot market streams of the simulator (`/ws/<stream>`, `/stream?streams=`).

Depth diffs are batched as Binance does: every change in a 100 ms (or 1000 ms) window goes
out as one `depthUpdate` whose U..u span the engine updates it covers, each level with its
final absolute size. Each frame is encoded once and shared by every subscriber.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import msgspec
from aiohttp import web

from console.model import Side
from console.sim.candles import INTERVAL_MS
from console.sim.engine import BookChanged, Event, TradePrinted
from console.sim.exchange import SimExchange
from console.sim.fronts.binance.wire import kline_event, num, trade_event
from console.sim.fronts.sockets import SimSocket, SocketRules
from console.sim.fronts.topics import DepthBatch, DepthBatches, Subscriber, Topics

DEPTH_SPEEDS_MS = {"": 1000, "@1000ms": 1000, "@100ms": 100}
KLINE_PUSH_MS = 2000
MAX_STREAMS_PER_CONNECTION = 1024


class BinanceStreams:
    def __init__(self, exchange: SimExchange, rules: SocketRules) -> None:
        self.exchange = exchange
        self.rules = rules
        self.subscribers = Topics()
        self.depth = DepthBatches(list(exchange.engine.books), set(DEPTH_SPEEDS_MS.values()))
        self.sockets: set[SimSocket] = set()
        self._kline_opened: dict[str, int] = {}
        self._tasks: list[asyncio.Task[None]] = []
        exchange.engine.subscribe(self.on_event)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._push_depth()),
            asyncio.create_task(self._push_klines()),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def announce_shutdown(self) -> None:
        for socket in list(self.sockets):
            socket.announce_shutdown()

    # -- names -------------------------------------------------------------------------------

    def valid(self, stream: str) -> bool:
        symbol, _, kind = stream.partition("@")
        if symbol.upper() not in self.exchange.engine.books:
            return False
        if kind == "trade":
            return True
        if kind.startswith("kline_"):
            return kind.removeprefix("kline_") in INTERVAL_MS
        return kind.startswith("depth") and kind.removeprefix("depth") in DEPTH_SPEEDS_MS

    # -- connections -------------------------------------------------------------------------

    async def raw(self, request: web.Request) -> web.StreamResponse:
        streams = [s for s in request.match_info.get("streams", "").split("/") if s]
        return await self._serve(request, streams, combined=False)

    async def combined(self, request: web.Request) -> web.StreamResponse:
        streams = [s for s in request.query.get("streams", "").split("/") if s]
        return await self._serve(request, streams, combined=True)

    async def _serve(
        self, request: web.Request, streams: list[str], combined: bool
    ) -> web.StreamResponse:
        invalid = [s for s in streams if not self.valid(s)]
        if invalid or len(streams) > MAX_STREAMS_PER_CONNECTION:
            return web.json_response({"code": -1121, "msg": "Invalid symbol."}, status=400)
        socket = SimSocket(request, self.rules, self.exchange.chaos)
        subscriber = Subscriber(socket, combined)
        self.sockets.add(socket)
        for stream in streams:
            self.subscribers.add(subscriber, stream)

        async def on_text(text: str) -> None:
            self._control(subscriber, text)

        try:
            return await socket.serve(on_text, self._shutdown_notice)
        finally:
            self.sockets.discard(socket)
            self.subscribers.drop(subscriber)

    def _shutdown_notice(self) -> str:
        return msgspec.json.encode({"e": "serverShutdown", "E": self.exchange.clock()}).decode()

    def _control(self, subscriber: Subscriber, text: str) -> None:
        """SUBSCRIBE, UNSUBSCRIBE and LIST_SUBSCRIPTIONS, answered as Binance does."""
        try:
            request = msgspec.json.decode(text)
        except msgspec.DecodeError:
            self._reply(subscriber, {"error": {"code": 3, "msg": "Invalid JSON"}, "id": None})
            return
        if not isinstance(request, dict):
            self._reply(subscriber, {"error": {"code": 3, "msg": "Invalid JSON"}, "id": None})
            return
        request_id, method, params = (
            request.get("id"),
            request.get("method"),
            request.get("params", []),
        )
        if method == "LIST_SUBSCRIPTIONS":
            self._reply(subscriber, {"result": sorted(subscriber.topics), "id": request_id})
            return
        if (
            method not in ("SUBSCRIBE", "UNSUBSCRIBE")
            or not isinstance(params, list)
            or not all(isinstance(p, str) and self.valid(p) for p in params)
        ):
            self._reply(
                subscriber, {"error": {"code": 2, "msg": "Invalid request"}, "id": request_id}
            )
            return
        for stream in params:
            if method == "SUBSCRIBE":
                self.subscribers.add(subscriber, stream)
            else:
                self.subscribers.remove(subscriber, stream)
        self._reply(subscriber, {"result": None, "id": request_id})

    @staticmethod
    def _reply(subscriber: Subscriber, body: dict[str, Any]) -> None:
        subscriber.socket.send(msgspec.json.encode(body).decode())

    # -- publishing --------------------------------------------------------------------------

    def publish(self, stream: str, data: dict[str, Any]) -> None:
        listeners = self.subscribers.of(stream)
        if not listeners:
            return
        raw = msgspec.json.encode(data).decode()
        wrapped = None
        for subscriber in listeners:
            if subscriber.combined:
                if wrapped is None:
                    wrapped = f'{{"stream":"{stream}","data":{raw}}}'
                subscriber.socket.send(wrapped)
            else:
                subscriber.socket.send(raw)

    def on_event(self, event: Event) -> None:
        if isinstance(event, BookChanged):
            self.depth.on_change(event)
        elif isinstance(event, TradePrinted):
            stream = f"{event.symbol.lower()}@trade"
            if stream in self.subscribers:
                self.publish(stream, trade_event(event, self.exchange.clock()))

    async def _push_depth(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(0.1)
            tick += 1
            self._flush_depth(100)
            if tick % 10 == 0:
                self._flush_depth(1000)

    def _flush_depth(self, speed: int) -> None:
        for symbol, batch in self.depth.take(speed):
            streams = [
                f"{symbol.lower()}@depth{suffix}"
                for suffix, ms in DEPTH_SPEEDS_MS.items()
                if ms == speed
            ]
            if any(s in self.subscribers for s in streams) and not self.exchange.chaos.happens(
                "gap"
            ):
                event = self._depth_event(symbol, batch)
                for stream in streams:
                    self.publish(stream, event)

    def _depth_event(self, symbol: str, batch: DepthBatch) -> dict[str, Any]:
        l2 = self.exchange.engine.books[symbol].l2
        price, size = l2.prices.value, l2.sizes.value
        bids = [
            [num(price(t)), num(size(q))] for (s, t), q in batch.levels.items() if s is Side.BUY
        ]
        asks = [
            [num(price(t)), num(size(q))] for (s, t), q in batch.levels.items() if s is Side.SELL
        ]
        return {
            "e": "depthUpdate",
            "E": self.exchange.clock(),
            "s": symbol,
            "U": batch.first_id,
            "u": batch.last_id,
            "b": bids,
            "a": asks,
        }

    async def _push_klines(self) -> None:
        while True:
            await asyncio.sleep(KLINE_PUSH_MS / 1000)
            self.push_klines()

    def push_klines(self) -> None:
        """Send each subscribed kline stream its open bar, after the one that just closed."""
        now = self.exchange.clock()
        for stream in [s for s in self.subscribers if "@kline_" in s]:
            symbol_lower, _, kind = stream.partition("@")
            symbol, interval = symbol_lower.upper(), kind.removeprefix("kline_")
            length = INTERVAL_MS[interval]
            bar = self.exchange.candles.current(symbol, interval, now)
            if bar is None:
                continue
            bars = self.exchange.candles.bars(symbol, interval)
            opened = self._kline_opened.get(stream)
            if opened is not None and opened != bar.open_ms and len(bars) > 1:
                self.publish(stream, kline_event(symbol, interval, bars[-2], length, True, now))
            self._kline_opened[stream] = bar.open_ms
            self.publish(stream, kline_event(symbol, interval, bar, length, False, now))
