"""Binance spot market streams of the simulator (`/ws/<stream>`, `/stream?streams=`).

Every stream Binance serves for spot: trades and aggregate trades and the book ticker as
they happen; depth diffs and partial-depth snapshots every 100 ms or 1000 ms; tickers (24 h,
mini, rolling windows, all-market arrays) and the average price every second; klines every
two seconds. Depth diffs are batched as Binance does: every change in a window goes out as
one `depthUpdate` whose U..u span the engine updates it covers, each level with its final
absolute size. Each frame is encoded once and shared by every subscriber.

A connection may name its streams in the URL, or open `/ws/<anything>` and SUBSCRIBE
later; names that are not streams are ignored there, as on Binance.
"""

from __future__ import annotations

import asyncio
import contextlib
from decimal import Decimal
from typing import Any

import msgspec
from aiohttp import web

from console.model import Side
from console.sim.candles import INTERVAL_MS
from console.sim.exchange import SimExchange
from console.sim.fronts.binance.market_data import (
    AVG_PRICE_MINUTES,
    MarketData,
    book_ticker_row,
    change_of,
)
from console.sim.fronts.binance.wire import agg_trade_event, kline_event, num, trade_event
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.sockets import SimSocket, SocketRules
from console.sim.fronts.topics import DepthBatch, DepthBatches, Subscriber, Topics
from console.sim.state import BookChanged, Event, SymbolBook, TradePrinted

DEPTH_SPEEDS_MS = {"": 1000, "@1000ms": 1000, "@100ms": 100}
PARTIAL_DEPTHS = (5, 10, 20)
TICKER_WINDOWS_MS = {"1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000}
SECOND_STREAMS = {"miniTicker", "ticker", "avgPrice", *(f"ticker_{w}" for w in TICKER_WINDOWS_MS)}
"""Pushed once a second."""
ALL_MARKET = {
    "!miniTicker@arr": "miniTicker",
    "!miniTicker@arr@1000ms": "miniTicker",
    "!ticker@arr": "ticker",
    **{f"!ticker_{w}@arr": f"ticker_{w}" for w in TICKER_WINDOWS_MS},
}
"""The all-market streams, pushed once a second. `!miniTicker@arr@1000ms` is the name
python-binance asks for; Binance serves it, as its users report (python-binance #267)."""
KLINE_PUSH_MS = 2000
MAX_STREAMS_PER_CONNECTION = 1024
DAY_MS = 86_400_000


class BinanceStreams:
    def __init__(self, exchange: SimExchange, rules: SocketRules, market: MarketData) -> None:
        self.exchange = exchange
        self.rules = rules
        self.market = market
        self.subscribers = Topics()
        self.depth = DepthBatches(list(exchange.engine.books), set(DEPTH_SPEEDS_MS.values()))
        self.sockets: set[SimSocket] = set()
        self._kline_opened: dict[str, int] = {}
        self._aggs_sent = {s: a[-1].agg_id if a else 0 for s, a in exchange.aggs.items()}
        self._tops_sent = {s: self._top(s) for s in exchange.engine.books}
        self._trades_seen: dict[str, int] = {}
        """Each symbol's last trade id at the previous all-market push."""
        self._tasks: list[asyncio.Task[None]] = []
        exchange.engine.subscribe(self.on_event)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._push_timed()),
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
        if stream in ALL_MARKET:
            return True
        symbol, _, kind = stream.partition("@")
        if not symbol.islower() or symbol.upper() not in self.exchange.engine.books:
            return False
        if kind in ("trade", "aggTrade", "bookTicker") or kind in SECOND_STREAMS:
            return True
        if kind.startswith("kline_"):
            return kind.removeprefix("kline_") in INTERVAL_MS
        depth, _, speed = kind.partition("@")
        levels = depth.removeprefix("depth")
        return (
            depth.startswith("depth")
            and (levels == "" or levels in {str(n) for n in PARTIAL_DEPTHS})
            and (f"@{speed}" if speed else "") in DEPTH_SPEEDS_MS
        )

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
        if len(streams) > MAX_STREAMS_PER_CONNECTION:
            return web.json_response(
                {"code": -1000, "msg": f"More than {MAX_STREAMS_PER_CONNECTION} streams."},
                status=400,
            )
        if combined and not all(self.valid(s) for s in streams):
            return web.json_response({"code": -1121, "msg": "Invalid symbol."}, status=400)
        streams = [s for s in streams if self.valid(s)]
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
            request = read_json(text)
        except Malformed:
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
        if method in ("SET_PROPERTY", "GET_PROPERTY"):
            self._reply(subscriber, self._property(subscriber, method, params) | {"id": request_id})
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
    def _property(subscriber: Subscriber, method: str, params: Any) -> dict[str, Any]:
        """`combined` is the one property: whether frames carry their stream's name."""
        if not isinstance(params, list) or not params or not isinstance(params[0], str):
            return {"error": {"code": 2, "msg": "Invalid request: property name must be a string"}}
        if params[0] != "combined":
            return {"error": {"code": 0, "msg": "Unknown property"}}
        if method == "GET_PROPERTY":
            return {"result": subscriber.combined}
        if len(params) != 2 or not isinstance(params[1], bool):
            return {"error": {"code": 1, "msg": "Invalid value type: expected Boolean"}}
        subscriber.combined = params[1]
        return {"result": None}

    @staticmethod
    def _reply(subscriber: Subscriber, body: dict[str, Any]) -> None:
        subscriber.socket.send(msgspec.json.encode(body).decode())

    # -- publishing --------------------------------------------------------------------------

    def publish(self, stream: str, data: dict[str, Any] | list[dict[str, Any]]) -> None:
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
            self._push_aggs(event.symbol)
            self._push_top(event.symbol, event.update_id)
        elif isinstance(event, TradePrinted):
            stream = f"{event.symbol.lower()}@trade"
            if stream in self.subscribers:
                self.publish(stream, trade_event(event, self.exchange.clock()))

    def _push_aggs(self, symbol: str) -> None:
        """Aggregate trades are whole once the step that printed them is over."""
        aggs = self.exchange.aggs[symbol]
        sent = self._aggs_sent[symbol]
        if not aggs or aggs[-1].agg_id == sent:
            return
        self._aggs_sent[symbol] = aggs[-1].agg_id
        stream = f"{symbol.lower()}@aggTrade"
        if stream in self.subscribers:
            now = self.exchange.clock()
            fresh = min(aggs[-1].agg_id - sent, len(aggs))  # their ids follow one another
            for back in range(fresh, 0, -1):  # read from the end: the tape is a thousand long
                self.publish(stream, agg_trade_event(symbol, aggs[-back], now))

    def _push_top(self, symbol: str, update_id: int) -> None:
        """The book ticker goes out when the best price or size on either side changed."""
        top = self._top(symbol)
        if self._tops_sent.get(symbol) == top:
            return
        self._tops_sent[symbol] = top
        stream = f"{symbol.lower()}@bookTicker"
        if stream not in self.subscribers:
            return
        row = book_ticker_row(self.exchange.engine.books[symbol])
        self.publish(
            stream,
            {
                "u": update_id,
                "s": symbol,
                "b": row["bidPrice"],
                "B": row["bidQty"],
                "a": row["askPrice"],
                "A": row["askQty"],
            },
        )

    def _top(self, symbol: str) -> tuple[tuple[int, int], ...]:
        l2 = self.exchange.engine.books[symbol].l2
        return (*l2.bids.top(1), *l2.asks.top(1))

    async def _push_timed(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(0.1)
            tick += 1
            self._flush_depth(100)
            self._push_partial_depth("@100ms")
            if tick % 10 == 0:
                self._flush_depth(1000)
                self._push_partial_depth("")
                self._push_partial_depth("@1000ms")
                self.push_every_second()

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

    def _push_partial_depth(self, suffix: str) -> None:
        for symbol, book in self.exchange.engine.books.items():
            for levels in PARTIAL_DEPTHS:
                stream = f"{symbol.lower()}@depth{levels}{suffix}"
                if stream in self.subscribers:
                    l2 = book.l2
                    price, size = l2.prices.value, l2.sizes.value
                    self.publish(
                        stream,
                        {
                            "lastUpdateId": l2.last_update_id,
                            "bids": [[num(price(t)), num(size(q))] for t, q in l2.bids.top(levels)],
                            "asks": [[num(price(t)), num(size(q))] for t, q in l2.asks.top(levels)],
                        },
                    )

    def push_every_second(self) -> None:
        """Tickers and average prices of the streams someone listens to."""
        now = self.exchange.clock()
        for symbol, book in self.exchange.engine.books.items():
            for kind in SECOND_STREAMS:
                stream = f"{symbol.lower()}@{kind}"
                if stream in self.subscribers:
                    event = self._second_event(book, kind, now)
                    if event is not None:
                        self.publish(stream, event)
        for stream, kind in ALL_MARKET.items():
            if stream in self.subscribers:
                changed = [
                    b for b in self.exchange.engine.books.values() if self._traded(b, stream)
                ]
                events = [self._second_event(b, kind, now) for b in changed]
                if events:
                    self.publish(stream, [e for e in events if e is not None])

    def _traded(self, book: SymbolBook, stream: str) -> bool:
        """Whether `book` printed since this all-market stream's last push."""
        tape = self.exchange.tapes[book.instrument.symbol]
        last = tape[-1].trade_id if tape else 0
        key = f"{stream}:{book.instrument.symbol}"
        seen, self._trades_seen[key] = self._trades_seen.get(key), last
        return seen is None or last != seen

    def _second_event(self, book: SymbolBook, kind: str, now: int) -> dict[str, Any] | None:
        symbol = book.instrument.symbol
        if kind == "avgPrice":
            price, closed = self.market.average_price(book)
            return {
                "e": "avgPrice",
                "E": now,
                "s": symbol,
                "i": f"{AVG_PRICE_MINUTES}m",
                "w": num(price),
                "T": closed,
            }
        window = TICKER_WINDOWS_MS.get(kind.removeprefix("ticker_"), DAY_MS)
        stats = self.exchange.candles.window(symbol, now - window, now)
        if stats is None:
            return None
        body = {
            "o": num(stats.open),
            "h": num(stats.high),
            "l": num(stats.low),
            "c": num(stats.last),
            "v": num(stats.volume),
            "q": num(stats.quote_volume),
        }
        if kind == "miniTicker":
            return {"e": "24hrMiniTicker", "E": now, "s": symbol, **body}
        change = change_of(stats)
        full = {
            "p": num(change.amount),
            "P": change.percent,
            "w": num(change.average),
            **body,
            "O": stats.open_ms,
            "C": stats.close_ms,
            "F": stats.first_id,
            "L": stats.last_id,
            "n": stats.trades,
        }
        if kind != "ticker":
            return {"e": f"{kind.removeprefix('ticker_')}Ticker", "E": now, "s": symbol, **full}
        tape = self.exchange.tapes[symbol]
        top = book_ticker_row(book)
        return {
            "e": "24hrTicker",
            "E": now,
            "s": symbol,
            **full,
            "x": num(stats.previous_close),
            "Q": num(tape[-1].qty if tape else Decimal(0)),
            "b": top["bidPrice"],
            "B": top["bidQty"],
            "a": top["askPrice"],
            "A": top["askQty"],
        }

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
                self.publish(
                    stream, kline_event(symbol, interval, bars[-2], length, closed=True, now=now)
                )
            self._kline_opened[stream] = bar.open_ms
            self.publish(stream, kline_event(symbol, interval, bar, length, closed=False, now=now))
