"""Huobi's market WebSockets on the simulator: `/ws` (candles, depth snapshots, best bid
and offer, trades, 24 h details, tickers) and `/feed` (market-by-price increments).

Every frame goes out gzip-compressed; the server pings with `{"ping": ts}` every 5 s and
drops a client that leaves two unanswered. Clients send `sub`, `unsub` and `req`, each
answered with its id. The MBP feed sends, every 100 ms, how the top N levels changed since
its last message: `seqNum` is the book's update id then, `prevSeqNum` the last message's
(so numbers are not contiguous), and a `req` answers with the book as of that last message,
which is exactly what the next increment continues.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from console.sim.exchange import SimExchange
from console.sim.fronts.client_json import Malformed, read_json
from console.sim.fronts.huobi.market_data import HuobiMarketData, trade_row
from console.sim.fronts.huobi.rest import DEPTH_STEPS, PERIODS
from console.sim.fronts.huobi.wire import NUMBERS, wire_symbol
from console.sim.fronts.sockets import SimSocket, SocketRules, SocketStyle
from console.sim.fronts.topics import Subscriber, Topics
from console.sim.state import BookChanged, Event, SymbolBook

MARKET_TOPIC = re.compile(
    r"^market\.([a-z0-9]+)\.(kline\.[0-9a-z]+|depth\.step[0-5]|bbo|trade\.detail|detail|ticker)$"
)
MBP_TOPIC = re.compile(r"^market\.([a-z0-9]+)\.mbp\.(5|20|150|400)$")
PUSH_MS = 100
CANDLE_PUSH_EVERY = 20
"""Candles every 2 s, as the open bar changes."""
SNAPSHOT_PUSH_EVERY = 10
"""Depth snapshots, details and tickers every second."""
TRADE_REQ_MAX = 300
KLINE_REQ_MAX = 300


def json_ping(stamp: int) -> str:
    return f'{{"ping":{stamp}}}'


def is_pong(text: str) -> bool:
    try:
        frame = read_json(text)
    except Malformed:
        return False
    return isinstance(frame, dict) and set(frame) == {"pong"}


GZIP_JSON_PINGS = SocketStyle(gzip=True, json_ping=json_ping, is_pong=is_pong)


@dataclass
class MbpChain:
    """One MBP topic's last message: the top levels then and its sequence number."""

    seq: int
    bids: dict[int, int]
    asks: dict[int, int]
    subscribers: dict[SimSocket, Subscriber] = field(default_factory=dict)


class HuobiMarketSockets:
    def __init__(self, exchange: SimExchange, market: HuobiMarketData, rules: SocketRules) -> None:
        self.exchange = exchange
        self.market = market
        self.rules = rules
        self.subscribers = Topics()
        self.sockets: set[SimSocket] = set()
        self.chains: dict[str, MbpChain] = {}
        self._tops: dict[str, tuple[Any, ...]] = {}
        self._trades_sent = {s: t[-1].trade_id if t else 0 for s, t in exchange.tapes.items()}
        self._tasks: list[asyncio.Task[None]] = []
        exchange.engine.subscribe(self.on_event)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._push())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- connections -------------------------------------------------------------------------

    async def market_socket(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, mbp=False)

    async def feed_socket(self, request: web.Request) -> web.StreamResponse:
        return await self._serve(request, mbp=True)

    async def _serve(self, request: web.Request, mbp: bool) -> web.StreamResponse:
        socket = SimSocket(request, self.rules, self.exchange.chaos, GZIP_JSON_PINGS)
        subscriber = Subscriber(socket)
        self.sockets.add(socket)

        async def on_text(text: str) -> None:
            self._request(subscriber, text, mbp)

        try:
            return await socket.serve(on_text, lambda: "")
        finally:
            self.sockets.discard(socket)
            self.subscribers.drop(subscriber)
            for chain in self.chains.values():
                chain.subscribers.pop(socket, None)

    def _request(self, subscriber: Subscriber, text: str, mbp: bool) -> None:
        try:
            request = read_json(text)
        except Malformed:
            request = None
        if not isinstance(request, dict):
            self._send(subscriber, self._error(None, "bad-request", "invalid request: not JSON"))
            return
        request_id = request.get("id")
        for action in ("sub", "unsub", "req"):
            topic = request.get(action)
            if topic is not None:
                break
        else:
            self._send(subscriber, self._error(request_id, "bad-request", "invalid request"))
            return
        pattern = MBP_TOPIC if mbp else MARKET_TOPIC
        match = pattern.match(topic) if isinstance(topic, str) else None
        book = self.exchange.engine.books.get(match.group(1).upper()) if match else None
        if book is None or (match and not mbp and not self._valid_kind(match.group(2))):
            self._send(subscriber, self._error(request_id, "bad-request", f"invalid topic {topic}"))
            return
        now = self.exchange.clock()
        if action == "sub":
            if mbp:
                self._chain(topic, book).subscribers[subscriber.socket] = subscriber
            else:
                self.subscribers.add(subscriber, topic)
            self._send(subscriber, {"id": request_id, "status": "ok", "subbed": topic, "ts": now})
        elif action == "unsub":
            if mbp and topic in self.chains:
                self.chains[topic].subscribers.pop(subscriber.socket, None)
            self.subscribers.remove(subscriber, topic)
            self._send(subscriber, {"id": request_id, "status": "ok", "unsubbed": topic, "ts": now})
        else:
            data = self._pull(topic, book, request) if not mbp else self._refresh(topic, book)
            self._send(
                subscriber,
                {"id": request_id, "status": "ok", "rep": topic, "ts": now, "data": data},
            )

    @staticmethod
    def _valid_kind(kind: str) -> bool:
        if kind.startswith("kline."):
            return kind.removeprefix("kline.") in PERIODS
        if kind.startswith("depth."):
            return kind.removeprefix("depth.") in DEPTH_STEPS
        return True

    def _error(self, request_id: Any, code: str, msg: str) -> dict[str, Any]:
        return {
            "id": request_id,
            "status": "error",
            "err-code": code,
            "err-msg": msg,
            "ts": self.exchange.clock(),
        }

    @staticmethod
    def _send(subscriber: Subscriber, body: Any) -> None:
        subscriber.socket.send(NUMBERS.encode(body).decode())

    # -- pulls -------------------------------------------------------------------------------

    def _pull(self, topic: str, book: SymbolBook, request: dict[str, Any]) -> Any:
        kind = topic.split(".", 2)[2]
        if kind.startswith("kline."):
            bars = self.market.bars(book, PERIODS[kind.removeprefix("kline.")], KLINE_REQ_MAX)
            start, end = request.get("from"), request.get("to")
            return [
                b
                for b in reversed(bars)
                if (not isinstance(start, int) or b["id"] >= start)
                and (not isinstance(end, int) or b["id"] <= end)
            ]
        if kind == "trade.detail":
            groups = self.market.trade_groups(book, TRADE_REQ_MAX)
            return [row for group in groups for row in group["data"]]
        return self._tick(kind, book)

    def _tick(self, kind: str, book: SymbolBook) -> Any:
        if kind.startswith("depth."):
            step = DEPTH_STEPS[kind.removeprefix("depth.")]
            return self.market.depth(book, step, 150 if step == 0 else 20)
        if kind == "detail":
            return self.market.detail(book)
        if kind == "ticker":
            ticker = self.market.ticker(book)
            ticker.pop("symbol")
            return ticker
        if kind == "bbo":
            return self._bbo(book)
        return self.market.bars(book, PERIODS[kind.removeprefix("kline.")], 1)[0]

    def _bbo(self, book: SymbolBook) -> dict[str, Any]:
        best = self.market.best(book)
        return {
            "symbol": wire_symbol(book.instrument.symbol),
            "quoteTime": self.exchange.clock(),
            **best,
            "seqId": book.l2.last_update_id,
        }

    # -- market by price ---------------------------------------------------------------------

    def _chain(self, topic: str, book: SymbolBook) -> MbpChain:
        chain = self.chains.get(topic)
        if chain is None:
            levels = int(topic.rsplit(".", 1)[1])
            bids, asks = self._top(book, levels)
            assert book.l2.last_update_id is not None
            chain = self.chains[topic] = MbpChain(book.l2.last_update_id, bids, asks)
        return chain

    @staticmethod
    def _top(book: SymbolBook, levels: int) -> tuple[dict[int, int], dict[int, int]]:
        return dict(book.l2.bids.top(levels)), dict(book.l2.asks.top(levels))

    def _refresh(self, topic: str, book: SymbolBook) -> dict[str, Any]:
        chain = self._chain(topic, book)
        l2 = book.l2
        price, size = l2.prices.value, amounts(book)
        return {
            "seqNum": chain.seq,
            "bids": [[price(t), size(q)] for t, q in sorted(chain.bids.items(), reverse=True)],
            "asks": [[price(t), size(q)] for t, q in sorted(chain.asks.items())],
        }

    def _push_mbp(self) -> None:
        now = self.exchange.clock()
        for topic, chain in self.chains.items():
            if not chain.subscribers:
                continue
            symbol = topic.split(".")[1].upper()
            book = self.exchange.engine.books[symbol]
            bids, asks = self._top(book, int(topic.rsplit(".", 1)[1]))
            changed_bids = _diff(chain.bids, bids)
            changed_asks = _diff(chain.asks, asks)
            if not changed_bids and not changed_asks:
                continue
            assert book.l2.last_update_id is not None
            price, size = book.l2.prices.value, amounts(book)
            tick = {
                "seqNum": book.l2.last_update_id,
                "prevSeqNum": chain.seq,
                "bids": [
                    [price(t), size(q)] for t, q in sorted(changed_bids.items(), reverse=True)
                ],
                "asks": [[price(t), size(q)] for t, q in sorted(changed_asks.items())],
            }
            chain.seq, chain.bids, chain.asks = book.l2.last_update_id, bids, asks
            if self.exchange.chaos.happens("gap"):
                continue
            frame = NUMBERS.encode({"ch": topic, "ts": now, "tick": tick}).decode()
            for socket in chain.subscribers:
                socket.send(frame)

    # -- pushes ------------------------------------------------------------------------------

    def publish(self, topic: str, tick: Any) -> None:
        listeners = self.subscribers.of(topic)
        if listeners:
            frame = NUMBERS.encode(
                {"ch": topic, "ts": self.exchange.clock(), "tick": tick}
            ).decode()
            for subscriber in listeners:
                subscriber.socket.send(frame)

    def on_event(self, event: Event) -> None:
        """Trades once the step that printed them is over, and the best bid and offer when
        either moved."""
        if not isinstance(event, BookChanged):
            return
        book = self.exchange.engine.books[event.symbol]
        symbol = wire_symbol(event.symbol)
        tape = self.exchange.tapes[event.symbol]
        sent = self._trades_sent[event.symbol]
        if tape and tape[-1].trade_id != sent:
            self._trades_sent[event.symbol] = tape[-1].trade_id
            topic = f"market.{symbol}.trade.detail"
            if topic in self.subscribers:
                fresh = [t for t in tape if t.trade_id > sent]
                self.publish(
                    topic,
                    {
                        "id": fresh[0].trade_id,
                        "ts": fresh[-1].time_ms,
                        "data": [trade_row(t) for t in fresh],
                    },
                )
        top = (*book.l2.bids.top(1), *book.l2.asks.top(1))
        if self._tops.get(event.symbol) != top:
            self._tops[event.symbol] = top
            topic = f"market.{symbol}.bbo"
            if topic in self.subscribers:
                self.publish(topic, self._bbo(book))

    async def _push(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(PUSH_MS / 1000)
            tick += 1
            self._push_mbp()
            for topic in list(self.subscribers):
                kind = topic.split(".", 2)[2]
                every = CANDLE_PUSH_EVERY if kind.startswith("kline.") else SNAPSHOT_PUSH_EVERY
                if kind in ("bbo", "trade.detail") or tick % every:
                    continue
                book = self.exchange.engine.books[topic.split(".")[1].upper()]
                self.publish(topic, self._tick(kind, book))


def amounts(book: SymbolBook) -> Callable[[int], float | int]:
    """A level's amount as Huobi writes it: a binary float, summed as its matching engine
    sums its orders, with the digits that brings (the seed's `[645.14, 26.75597395914065]`);
    one lot short of the level plus the lot stands for that sum here."""
    value, lot = book.l2.sizes.value, book.instrument.lot_size

    def amount(lots: int) -> float | int:
        if not lots:
            return 0
        size = value(lots)
        return float(size - lot) + float(lot) if size > lot else float(size)

    return amount


def _diff(before: dict[int, int], after: dict[int, int]) -> dict[int, int]:
    """Levels whose size changed, with 0 for those gone."""
    changed = {ticks: lots for ticks, lots in after.items() if before.get(ticks) != lots}
    changed.update({ticks: 0 for ticks in before if ticks not in after})
    return changed
