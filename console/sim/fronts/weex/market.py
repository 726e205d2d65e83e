"""WEEX's public market stream on the simulator: `/v3/ws/public`, which serves the v1 and
v3 REST APIs alike (the v1 document has no market stream of its own).

Shaped as WEEX's v3 spot stream is: a client sends `{"method": "SUBSCRIBE", "params":
["BTCUSDT@depth200"], "id": 1}` and hears `{"result": true, "id": 1}`; topics are
`<SYMBOL>@depth15|200`, `@trade`, `@kline_<interval>_LAST_PRICE`, `@ticker` and
`@bookTicker`; each push carries `e` (event), `E` (time) and `s` (symbol). A depth
subscription opens with the top levels (`"d": "SNAPSHOT"`), then every 100 ms the levels
changed since (`"d": "CHANGED"`, `U`..`u` the span of book updates they cover). The server
pings with `{"event": "ping", "time": "<ms>"}`; the client answers `{"method": "PONG", "id":
n}` and one that stops answering is dropped. A connection without a User-Agent header is
refused with 403, as WEEX's firewall does.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec
from aiohttp import web

from console.sim.candles import INTERVAL_MS, Bar
from console.sim.exchange import SimExchange
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.rest import json_response
from console.sim.fronts.sockets import SimSocket, SocketRules, SocketStyle
from console.sim.fronts.topics import DepthBatches, Subscriber, Topics
from console.sim.fronts.weex.requests import WeexError
from console.sim.fronts.weex.wire import plain
from console.sim.state import BookChanged, Event, SymbolBook

TOPIC = re.compile(
    r"^([A-Z0-9]+)@(depth15|depth200|trade|ticker|bookTicker|kline_(\w+)_LAST_PRICE)$"
)
KLINES = {"1m", "5m", "15m", "30m", "1h", "4h", "12h", "1d"}
PUSH_MS = 100
KLINE_PUSH_EVERY = 20
"""The open bar every 2 s."""
TICKER_PUSH_EVERY = 10
TRADE_SNAPSHOT = 50
"""Recent prints sent with a trade subscription (`tradeSnapshot`)."""
DAY_MS = 86_400_000


@dataclass(frozen=True)
class StreamRequest:
    """A client's request on a v3 stream: `PONG` (no params), `SUBSCRIBE` or `UNSUBSCRIBE`."""

    ident: Any
    method: str
    params: list[Any]


def stream_request(text: str) -> StreamRequest | dict[str, Any]:
    """The request a client frame makes on a v3 stream, or the refusal to send it back."""
    try:
        frame = read_json(text)
    except Malformed:
        frame = None
    if not isinstance(frame, dict):
        return {"result": False, "id": None, "msg": "invalid request"}
    ident, method, params = frame.get("id"), frame.get("method"), frame.get("params")
    if method == "PONG":
        return StreamRequest(ident, method, [])
    if method not in ("SUBSCRIBE", "UNSUBSCRIBE") or not isinstance(params, list):
        return {"result": False, "id": ident, "msg": f"bad method {method!r}"}
    return StreamRequest(ident, method, params)


def json_ping(stamp: int) -> str:
    """The time as a string, as WEEX sends it (ccxt's weex client quotes
    `{"event": "ping", "time": "1776078750000"}`)."""
    return f'{{"event":"ping","time":"{stamp}"}}'


JSON_PINGS = SocketStyle(json_ping=json_ping)
"""The pong is a request with an answer of its own, so the dialect reads it."""


class WeexMarketSockets:
    def __init__(self, exchange: SimExchange, rules: SocketRules) -> None:
        self.exchange = exchange
        self.rules = rules
        self.topics = Topics()
        self.sockets: set[SimSocket] = set()
        self.batches = DepthBatches(list(exchange.engine.books), {PUSH_MS})
        self._encode = msgspec.json.Encoder().encode
        self._tops: dict[str, tuple[Any, ...]] = {}
        self._trades_sent = {s: t[-1].trade_id if t else 0 for s, t in exchange.tapes.items()}
        self._task: asyncio.Task[None] | None = None
        exchange.engine.subscribe(self.on_event)

    def start(self) -> None:
        self._task = asyncio.create_task(self._push())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for socket in list(self.sockets):
            socket.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not request.headers.get("User-Agent"):
            return json_response(WeexError("403", "Forbidden").body(), 403)
        socket = SimSocket(request, self.rules, self.exchange.chaos, JSON_PINGS)
        subscriber = Subscriber(socket)
        self.sockets.add(socket)

        async def on_text(text: str) -> None:
            self._request(subscriber, text)

        try:
            return await socket.serve(on_text, lambda: "")
        finally:
            self.sockets.discard(socket)
            self.topics.drop(subscriber)

    def _send(self, subscriber: Subscriber, body: Any) -> None:
        subscriber.socket.send(self._encode(body).decode())

    def _request(self, subscriber: Subscriber, text: str) -> None:
        asked = stream_request(text)
        if isinstance(asked, dict):
            self._send(subscriber, asked)
            return
        ident, method, params = asked.ident, asked.method, asked.params
        if method == "PONG":
            subscriber.socket.pong_heard()
            self._send(subscriber, {"result": True, "id": ident})
            return
        books = [self._book(topic) for topic in params]
        if any(book is None for book in books):
            bad = [t for t, b in zip(params, books, strict=True) if b is None]
            self._send(subscriber, {"result": False, "id": ident, "msg": f"invalid topic {bad}"})
            return
        for topic in params:
            if method == "UNSUBSCRIBE":
                self.topics.remove(subscriber, topic)
            else:
                self.topics.add(subscriber, topic)
        self._send(subscriber, {"result": True, "id": ident})
        if method == "SUBSCRIBE":
            for topic, book in zip(params, books, strict=True):
                assert book is not None
                self._opening(subscriber, topic, book)

    def _book(self, topic: Any) -> SymbolBook | None:
        match = TOPIC.match(topic) if isinstance(topic, str) else None
        if match is None or (match.group(3) is not None and match.group(3) not in KLINES):
            return None
        return self.exchange.engine.books.get(match.group(1))

    def _opening(self, subscriber: Subscriber, topic: str, book: SymbolBook) -> None:
        """What a new subscription hears first: the book's top levels, or recent prints."""
        kind = topic.split("@", 1)[1]
        if kind.startswith("depth"):
            self._send(subscriber, self._snapshot(book, int(kind.removeprefix("depth"))))
        elif kind == "trade":
            tape = list(self.exchange.tapes[book.instrument.symbol])[-TRADE_SNAPSHOT:]
            self._send(subscriber, self._event("tradeSnapshot", book, [_print(t) for t in tape]))

    def _event(self, name: str, book: SymbolBook, data: Any) -> dict[str, Any]:
        return {"e": name, "E": self.exchange.clock(), "s": book.instrument.symbol, "d": data}

    def _snapshot(self, book: SymbolBook, levels: int) -> dict[str, Any]:
        l2 = book.l2
        price, size = l2.prices.value, l2.sizes.value
        return {
            "e": "depthSnapshot",
            "E": self.exchange.clock(),
            "s": book.instrument.symbol,
            "U": l2.last_update_id,
            "u": l2.last_update_id,
            "l": levels,
            "d": "SNAPSHOT",
            "b": [[plain(price(t)), plain(size(q))] for t, q in l2.bids.top(levels)],
            "a": [[plain(price(t)), plain(size(q))] for t, q in l2.asks.top(levels)],
        }

    # -- pushes ------------------------------------------------------------------------------

    def publish(self, topic: str, body: dict[str, Any]) -> None:
        listeners = self.topics.of(topic)
        if listeners:
            frame = self._encode(body).decode()
            for subscriber in listeners:
                subscriber.socket.send(frame)

    def on_event(self, event: Event) -> None:
        """Book changes wait for the next depth push; prints and a moved top go at once."""
        if not isinstance(event, BookChanged):
            return
        self.batches.on_change(event)
        symbol = event.symbol
        book = self.exchange.engine.books[symbol]
        tape = self.exchange.tapes[symbol]
        sent = self._trades_sent[symbol]
        if tape and tape[-1].trade_id != sent:
            self._trades_sent[symbol] = tape[-1].trade_id
            fresh = [_print(t) for t in tape if t.trade_id > sent]
            self.publish(f"{symbol}@trade", self._event("trade", book, fresh))
        l2 = book.l2
        top = (*l2.bids.top(1), *l2.asks.top(1))
        if self._tops.get(symbol) != top and l2.best_bid is not None and l2.best_ask is not None:
            self._tops[symbol] = top
            price, size = l2.prices.value, l2.sizes.value
            (bid, bid_lots), (ask, ask_lots) = l2.bids.top(1)[0], l2.asks.top(1)[0]
            self.publish(
                f"{symbol}@bookTicker",
                {
                    "e": "bookTicker",
                    "E": self.exchange.clock(),
                    "s": symbol,
                    "u": l2.last_update_id,
                    "b": plain(price(bid)),
                    "B": plain(size(bid_lots)),
                    "a": plain(price(ask)),
                    "A": plain(size(ask_lots)),
                },
            )

    def _push_depth(self) -> None:
        for symbol, batch in self.batches.take(PUSH_MS):
            if self.exchange.chaos.happens("gap"):
                continue
            l2 = self.exchange.engine.books[symbol].l2
            price, size = l2.prices.value, l2.sizes.value
            bids = sorted(((t, q) for (s, t), q in batch.levels.items() if s.value == "BUY"))
            asks = sorted(((t, q) for (s, t), q in batch.levels.items() if s.value == "SELL"))
            body = {
                "e": "depth",
                "E": self.exchange.clock(),
                "s": symbol,
                "U": batch.first_id,
                "u": batch.last_id,
                "d": "CHANGED",
                "b": [[plain(price(t)), plain(size(q))] for t, q in reversed(bids)],
                "a": [[plain(price(t)), plain(size(q))] for t, q in asks],
            }
            for levels in (15, 200):
                topic = f"{symbol}@depth{levels}"
                if topic in self.topics:
                    self.publish(topic, {**body, "l": levels})

    async def _push(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(PUSH_MS / 1000)
            tick += 1
            self._push_depth()
            for topic in list(self.topics):
                symbol, kind = topic.split("@", 1)
                book = self.exchange.engine.books[symbol]
                if kind.startswith("kline_") and tick % KLINE_PUSH_EVERY == 0:
                    interval = kind.split("_")[1]
                    bar = self.exchange.candles.current(symbol, interval, self.exchange.clock())
                    if bar is not None:
                        row = _bar(symbol, interval, bar)
                        self.publish(topic, self._event("kline", book, [row]))
                elif kind == "ticker" and tick % TICKER_PUSH_EVERY == 0:
                    self.publish(topic, self._event("ticker", book, [self._day(book)]))

    def _day(self, book: SymbolBook) -> dict[str, Any]:
        now = self.exchange.clock()
        stats = self.exchange.candles.window(book.instrument.symbol, now - DAY_MS, now)
        last = book.last_price or (stats.last if stats else Decimal(0))
        first = stats.open if stats else last
        volume = stats.volume if stats else Decimal(0)
        quote = stats.quote_volume if stats else Decimal(0)
        change = last - first
        return {
            "p": plain(change),
            "P": plain((change / first * 100).quantize(Decimal("0.01"))) if first else "0",
            "w": plain(quote / volume) if volume else plain(last),
            "c": plain(last),
            "o": plain(first),
            "h": plain(stats.high if stats else last),
            "l": plain(stats.low if stats else last),
            "v": plain(volume),
            "q": plain(quote),
            "O": stats.open_ms if stats else now - DAY_MS,
            "C": now,
            "n": stats.trades if stats else 0,
        }


def _print(trade: Any) -> dict[str, Any]:
    return {
        "T": trade.time_ms,
        "t": str(trade.trade_id),
        "p": plain(trade.price),
        "q": plain(trade.qty),
        "v": plain(trade.price * trade.qty),
        "m": trade.taker_side.value == "SELL",
    }


def _bar(symbol: str, interval: str, bar: Bar) -> dict[str, Any]:
    return {
        "t": bar.open_ms,
        "T": bar.open_ms + INTERVAL_MS[interval] - 1,
        "s": symbol,
        "i": interval,
        "o": plain(bar.open),
        "c": plain(bar.close),
        "h": plain(bar.high),
        "l": plain(bar.low),
        "v": plain(bar.volume),
        "n": bar.trades,
        "q": plain(bar.quote_volume),
        "V": plain(bar.taker_buy_volume),
        "Q": plain(bar.taker_buy_quote),
    }
