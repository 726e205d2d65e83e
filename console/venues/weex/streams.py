"""WEEX's streams: the user data stream (`/ws?listenKey=`) and the public market stream
(`/v3/ws/public`), the same for the v1 and v3 APIs.

User data: subscribe to the account, deals and orders channels once connected
(`{"method": "SUBSCRIPTION", "id": n}`, answered by id), and turn each push into the
account sink's news. A deal is passed on with its order as last pushed; a deal whose order
has not been pushed yet waits for it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Callable

import msgspec

from console.errors import NetworkError
from console.model import BookDelta, BookSnapshot, Fill, Interval, Level, Order
from console.net.limiter import TokenBucket
from console.net.stream import Stream, StreamRules
from console.net.wsrpc import RpcChannel
from console.venues.base import AccountSink
from console.venues.market import MarketFeeds
from console.venues.weex import convert, schemas

log = logging.getLogger(__name__)

ACCOUNT = "spot@private.account.v3.api"
DEALS = "spot@private.deals.v3.api"
ORDERS = "spot@private.orders.v3.api"
CHANNELS = (ACCOUNT, DEALS, ORDERS)
USER_RULES = StreamRules(
    heartbeat_window=60.0, quiet_after=5.0, ping_interval=2.0, max_age=23 * 3600.0
)
"""A connection is valid for 24 hours (the seed): reconnect before WEEX hangs up."""
SUBSCRIBE_TIMEOUT = 10.0
MARKET_RULES = StreamRules(
    heartbeat_window=30.0, quiet_after=3.0, ping_interval=1.0, max_age=23 * 3600.0
)
"""The server pings every 20 s; our protocol ping every second finds a silent line in 3."""
BOOK_LEVELS = 200
"""The deepest depth subscription WEEX offers (15 or 200 levels)."""
SNAPSHOT_TIMEOUT = 10.0
DEPTH_MARK = '"e":"depth"'
"""How a book's changes begin on the wire (in a text frame; `DEPTH_MARK_BYTES` in a
recording's bytes); any other frame is read field by field."""
DEPTH_MARK_BYTES = DEPTH_MARK.encode()
SUBSCRIPTIONS_AN_HOUR = 240
"""The FAQ's limit of channel subscriptions a connection; a book's fresh snapshot costs two
(unsubscribe, subscribe), so resyncs wait for the budget rather than break it."""
KLINE_INTERVALS = {
    Interval.M1: "1m",
    Interval.M5: "5m",
    Interval.M15: "15m",
    Interval.M30: "30m",
    Interval.H1: "1h",
    Interval.H4: "4h",
    Interval.H12: "12h",
    Interval.D1: "1d",
}
"""Candle lengths the stream serves (`<SYMBOL>@kline_1m_LAST_PRICE`)."""
INTERVALS = {spelled: interval for interval, spelled in KLINE_INTERVALS.items()}
ORDERS_REMEMBERED = 1_000
"""Recent orders kept for the deals that name them (a deal may follow its order's end)."""


class UserSession:
    def __init__(self) -> None:
        self.sink: AccountSink | None = None
        self.stream: Stream | None = None
        self.rpc: RpcChannel[schemas.Push] = RpcChannel(SUBSCRIBE_TIMEOUT)
        self.orders: OrderedDict[str, Order] = OrderedDict()
        """Order id -> the order as last pushed, newest last."""
        self.waiting: dict[str, list[Fill]] = {}
        """Deals whose order has not been pushed yet, by order id."""
        self._push = msgspec.json.Decoder(schemas.Push)
        self._order = msgspec.json.Decoder(schemas.OrderUpdate)
        self._deal = msgspec.json.Decoder(schemas.Deal)
        self._account = msgspec.json.Decoder(schemas.AccountChange)

    async def on_open(self, stream: Stream) -> None:
        self.stream = stream

        async def send(request_id: int) -> None:
            request = {"id": request_id, "method": "SUBSCRIPTION", "params": list(CHANNELS)}
            await stream.send(msgspec.json.encode(request).decode())

        answer = await self.rpc.call(send, "SUBSCRIPTION", is_order=False)
        if answer.code != 0:
            raise NetworkError(answer.code, answer.msg or "subscription refused")
        if self.sink is not None:
            self.sink.on_user_stream(live=True)

    def on_frame(self, frame: str | bytes) -> str | None:
        push = self._push.decode(frame)
        if push.c is None:
            self.rpc.answer(push.id, push)
            return None
        sink = self.sink
        if sink is None:
            return None
        if push.c == ORDERS and push.s is not None:
            order = convert.stream_order(push.s, self._order.decode(push.d), push.t)
            self._remember(order)
            sink.on_order(order, None)
            for fill in self.waiting.pop(order.order_id or "", []):
                sink.on_order(order, fill)
        elif push.c == DEALS and push.s is not None:
            fill = convert.deal_fill(push.s, self._deal.decode(push.d))
            known = self.orders.get(fill.order_id)
            if known is None:
                self.waiting.setdefault(fill.order_id, []).append(fill)
            else:
                sink.on_order(known, fill)
        elif push.c == ACCOUNT:
            sink.on_balances([convert.account_balance(self._account.decode(push.d))])
        return None

    def _remember(self, order: Order) -> None:
        if order.order_id is None:
            return
        self.orders[order.order_id] = order
        self.orders.move_to_end(order.order_id)
        while len(self.orders) > ORDERS_REMEMBERED:
            self.orders.popitem(last=False)

    def on_quiet(self, quiet: bool) -> None:
        """Orders go over REST either way; the status bar shows the line's state."""

    def on_close(self) -> None:
        self.rpc.connection_lost()
        if self.waiting:
            log.warning("%d deals heard without their order; reconciling", len(self.waiting))
        self.waiting.clear()
        if self.sink is not None:
            self.sink.on_user_stream(live=False)


class WeexMarket:
    """`/v3/ws/public`, the market stream of both APIs: books from a depth subscription
    (its first push the top levels, then every change with `U`..`u`), prints, candles, the
    24 h ticker and the book ticker. A book is resynchronised by subscribing again, which
    WEEX answers with a fresh snapshot."""

    topics_per_request = 10
    request_spacing = 0.05

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._ids = itertools.count(1)
        self._event = msgspec.json.Decoder(schemas.MarketEvent)
        self._levels = msgspec.json.Decoder(list[Level])
        self._changes_frame = msgspec.json.Decoder(schemas.DepthEvent)
        self._prints = msgspec.json.Decoder(list[schemas.PrintRow])
        self._klines = msgspec.json.Decoder(list[schemas.KlineRow])
        self._days = msgspec.json.Decoder(list[schemas.DayRow])
        self.subscriptions = TokenBucket(SUBSCRIPTIONS_AN_HOUR, 3600.0, updated=clock())
        self._snapshots: dict[str, BookSnapshot] = {}
        """The last snapshot pushed for each symbol, until its book takes it."""
        self._waiting: dict[str, asyncio.Future[BookSnapshot]] = {}

    def book_topic(self, symbol: str) -> str:
        return f"{symbol}@depth{BOOK_LEVELS}"

    def trades_topic(self, symbol: str) -> str:
        return f"{symbol}@trade"

    def candles_topic(self, symbol: str, interval: Interval) -> str:
        return f"{symbol}@kline_{KLINE_INTERVALS[interval]}_LAST_PRICE"

    def ticker_topics(self, symbol: str) -> list[str]:
        return [f"{symbol}@ticker", f"{symbol}@bookTicker"]

    def subscribe(self, topics: list[str]) -> list[str]:
        return [self._request("SUBSCRIBE", topics)]

    def unsubscribe(self, topics: list[str]) -> list[str]:
        return [self._request("UNSUBSCRIBE", topics)]

    def _request(self, method: str, topics: list[str]) -> str:
        body = {"method": method, "params": topics, "id": next(self._ids)}
        return msgspec.json.encode(body).decode()

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        if (  # most frames: the book's changes, read in one pass
            DEPTH_MARK in frame[:32] if isinstance(frame, str) else DEPTH_MARK_BYTES in frame[:32]
        ):
            self._changes(self._changes_frame.decode(frame), feeds)
            return None
        event = self._event.decode(frame)
        if event.event == "ping":
            return msgspec.json.encode({"method": "PONG", "id": next(self._ids)}).decode()
        if event.e is None:
            if event.result is False:
                log.warning("WEEX refused a market request: %s", event.msg)
            return None
        name = event.s
        if event.e in ("depth", "depthSnapshot"):
            self._depth(event, feeds)
        elif event.e in ("trade", "tradeSnapshot"):
            tape = feeds.tapes.get(name)
            if tape is not None:
                for row in self._prints.decode(event.d):
                    tape.add(convert.market_print(name, row))
        elif event.e == "kline":
            for bar in self._klines.decode(event.d):
                series = feeds.candles.get((name, INTERVALS[bar.i]))
                if series is not None:
                    series.update(convert.kline(name, series.interval, bar))
        elif event.e == "ticker":
            ticker = feeds.tickers.get(name)
            if ticker is not None:
                for day in self._days.decode(event.d):
                    ticker.on_day(convert.day_stats(name, day))
        elif event.e == "bookTicker":
            ticker = feeds.tickers.get(name)
            if ticker is not None:
                ticker.on_top(convert.top(name, event))
        else:
            raise ValueError(f"unexpected event {event.e!r}")
        return None

    def _depth(self, event: schemas.MarketEvent, feeds: MarketFeeds) -> None:
        name = event.s
        bids = self._levels.decode(event.b)
        asks = self._levels.decode(event.a)
        if event.e == "depthSnapshot":
            snapshot = BookSnapshot(name, event.u, bids, asks)
            waiter = self._waiting.pop(name, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(snapshot)
            else:
                self._snapshots[name] = snapshot
            return
        self._changes(schemas.DepthEvent(name, event.U, event.u, bids, asks), feeds)

    @staticmethod
    def _changes(event: schemas.DepthEvent, feeds: MarketFeeds) -> None:
        book = feeds.books.get(event.s)
        if book is not None:
            book.on_delta(BookDelta(event.s, event.U, event.u, event.b, event.a))

    async def snapshot(self, feeds: MarketFeeds, symbol: str) -> BookSnapshot:
        """The snapshot the depth subscription opened with, or a fresh one asked for by
        subscribing again."""
        kept = self._snapshots.pop(symbol, None)
        if kept is not None:
            return kept
        budget = self.subscriptions
        wait = budget.wait_for(2, self.clock())
        if wait:
            log.warning("WEEX subscription budget spent: the %s snapshot in %.0fs", symbol, wait)
            await asyncio.sleep(wait)
        budget.wait_for(2, self.clock())
        budget.tokens -= 2
        waiter: asyncio.Future[BookSnapshot] = asyncio.get_running_loop().create_future()
        self._waiting[symbol] = waiter
        topic = [self.book_topic(symbol)]
        try:
            await feeds.unsubscribe(topic)
            await feeds.subscribe(topic)
            return await asyncio.wait_for(waiter, SNAPSHOT_TIMEOUT)
        except TimeoutError:
            raise NetworkError(
                msg=f"no {symbol} book snapshot in {SNAPSHOT_TIMEOUT:.0f}s"
            ) from None
        finally:
            self._waiting.pop(symbol, None)
