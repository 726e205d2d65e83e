"""Huobi spot streams: market data on `/ws`, the market-by-price book on `/feed` (both
gzip, with `{"ping": n}` answered `{"pong": n}`), orders and balances on `/ws/v2`
(`{"action": "ping"}` answered `pong`). VENUES.md §3.2: the market server pings every 5 s
and hangs up after two unanswered; the account server pings every 20 s.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable

import msgspec

from console.errors import AuthError, NetworkError
from console.model import BookDelta, BookSnapshot, Interval, Order, OrderStatus
from console.net.stream import Stream, StreamRules
from console.venues.base import AccountSink
from console.venues.huobi import convert, schemas
from console.venues.huobi.signing import ws_auth
from console.venues.market import MarketFeeds

log = logging.getLogger(__name__)

MARKET_RULES = StreamRules(
    heartbeat_window=15.0, quiet_after=3.0, ping_interval=1.0, max_age=23 * 3600.0
)
"""The server pings every 5 s; our protocol ping every second finds a silent line in 3."""
ACCOUNT_RULES = StreamRules(
    heartbeat_window=45.0, quiet_after=5.0, ping_interval=2.0, max_age=23 * 3600.0
)
BOOK_LEVELS = 150
"""The MBP depth every symbol has (5 and 20 are offered for a few only)."""
SNAPSHOT_TIMEOUT = 10.0
REQUEST_SPACING = 0.02
SUBSCRIBE_TIMEOUT = 10.0
KLINE_PERIODS = {
    Interval.M1: "1min",
    Interval.M5: "5min",
    Interval.M15: "15min",
    Interval.M30: "30min",
    Interval.H1: "60min",
    Interval.H4: "4hour",
    Interval.D1: "1day",
    Interval.W1: "1week",
    Interval.MO1: "1mon",
}
INTERVALS = {period: interval for interval, period in KLINE_PERIODS.items()}
STOP_ENDS = {"deletion": OrderStatus.CANCELED, "trigger": OrderStatus.REJECTED}
"""The `orders#` events of a stop order that ends before it works, and how it ended."""


def pong(frame: schemas.MarketFrame) -> str:
    return f'{{"pong":{frame.ping}}}'


class HuobiTopics:
    """Topic names and sub/unsub requests, one topic a request, as Huobi takes them."""

    topics_per_request = 1
    request_spacing = REQUEST_SPACING

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def book_topic(self, symbol: str) -> str:
        return f"market.{convert.symbol(symbol)}.mbp.{BOOK_LEVELS}"

    def trades_topic(self, symbol: str) -> str:
        return f"market.{convert.symbol(symbol)}.trade.detail"

    def candles_topic(self, symbol: str, interval: Interval) -> str:
        return f"market.{convert.symbol(symbol)}.kline.{KLINE_PERIODS[interval]}"

    def ticker_topics(self, symbol: str) -> list[str]:
        name = convert.symbol(symbol)
        return [f"market.{name}.detail", f"market.{name}.bbo"]

    def subscribe(self, topics: list[str]) -> list[str]:
        return [self._request("sub", topic) for topic in topics]

    def unsubscribe(self, topics: list[str]) -> list[str]:
        return [self._request("unsub", topic) for topic in topics]

    def _request(self, action: str, topic: str) -> str:
        return msgspec.json.encode({action: topic, "id": str(next(self._ids))}).decode()

    @staticmethod
    def refused(frame: schemas.MarketFrame) -> bool:
        if frame.status == "error":
            log.warning("Huobi refused a request: %s %s", frame.err_code, frame.err_msg)
            return True
        return False


class HuobiMarket(HuobiTopics):
    """`/ws`: trades, candles, 24 h details and the best bid and offer."""

    def __init__(self) -> None:
        super().__init__()
        self._frame = msgspec.json.Decoder(schemas.MarketFrame)
        self._trades = msgspec.json.Decoder(schemas.TradeGroup)
        self._bar = msgspec.json.Decoder(schemas.Bar)
        self._detail = msgspec.json.Decoder(schemas.Detail)
        self._bbo = msgspec.json.Decoder(schemas.Bbo)

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        message = self._frame.decode(frame)
        if message.ping is not None:
            return pong(message)
        if self.refused(message) or message.ch is None or not schemas.present(message.tick):
            return None
        _, wire, kind = message.ch.split(".", 2)
        name = convert.ours(wire)
        if kind == "trade.detail":
            tape = feeds.tapes.get(name)
            if tape is not None:
                for row in reversed(self._trades.decode(message.tick).data):
                    tape.add(convert.trade(name, row))
        elif kind.startswith("kline."):
            series = feeds.candles.get((name, INTERVALS[kind.removeprefix("kline.")]))
            if series is not None:
                series.update(
                    convert.candle(name, Interval(series.interval), self._bar.decode(message.tick))
                )
        elif kind == "detail":
            if (ticker := feeds.tickers.get(name)) is not None:
                ticker.on_day(convert.day_stats(name, self._detail.decode(message.tick)))
        elif kind == "bbo":
            if (ticker := feeds.tickers.get(name)) is not None:
                ticker.on_top(convert.top(name, self._bbo.decode(message.tick)))
        else:
            raise ValueError(f"unexpected channel {message.ch!r}")
        return None


class HuobiFeed(HuobiTopics):
    """`/feed`: market-by-price increments, and the refresh a `req` on the same connection
    answers, which is what the increments continue (VENUES.md §2.2)."""

    def __init__(self) -> None:
        super().__init__()
        self._feed = msgspec.json.Decoder(schemas.FeedFrame)
        self._mbp = msgspec.json.Decoder(schemas.Mbp)
        self._waiting: dict[str, asyncio.Future[schemas.Mbp]] = {}
        self._symbols: dict[str, str] = {}
        """Our symbol for each channel heard: one per book followed."""

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        message = self._feed.decode(frame)
        if message.ping is not None:
            return pong(message)
        if message.rep is not None and schemas.present(message.data):
            waiter = self._waiting.pop(str(message.id), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(self._mbp.decode(message.data))
            return None
        tick, channel = message.tick, message.ch
        if self.refused(message) or channel is None or tick is None:
            return None
        name = self._symbols.get(channel)
        if name is None:
            name = self._symbols[channel] = convert.ours(channel.split(".")[1])
        book = feeds.books.get(name)
        if book is not None:
            book.on_delta(
                BookDelta(
                    name,
                    tick.seqNum,
                    tick.seqNum,
                    convert.levels(tick.bids),
                    convert.levels(tick.asks),
                    prev_update_id=tick.prevSeqNum,
                )
            )
        return None

    async def refresh(self, stream: Stream, symbol: str) -> BookSnapshot:
        """Ask this connection for the book as of its last increment."""
        request_id = str(next(self._ids))
        waiter: asyncio.Future[schemas.Mbp] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = waiter
        try:
            await stream.send(
                msgspec.json.encode({"req": self.book_topic(symbol), "id": request_id}).decode()
            )
            mbp = await asyncio.wait_for(waiter, SNAPSHOT_TIMEOUT)
        except TimeoutError:
            raise NetworkError(
                msg=f"no refresh of the {symbol} book in {SNAPSHOT_TIMEOUT:.0f}s"
            ) from None
        finally:
            self._waiting.pop(request_id, None)
        return convert.snapshot(symbol, mbp)


class AccountSession:
    """Orders and balances over `/ws/v2`: authenticate, then subscribe to
    `accounts.update#2` (balance and available together), `orders#*` and
    `trade.clearing#*#0` (fills with their fees)."""

    CHANNELS = ("accounts.update#2", "orders#*", "trade.clearing#*#0")

    def __init__(self, access_key: str, secret: str, host: str, now_ms: Callable[[], int]) -> None:
        self.access_key, self.secret, self.host = access_key, secret, host
        self.now_ms = now_ms
        self.sink: AccountSink | None = None
        self.stream: Stream | None = None
        self.orders: dict[str, Order] = {}
        """What this session has heard of each open order (fills accumulate on it)."""
        self._frame = msgspec.json.Decoder(schemas.AccountFrame)
        self._ping = msgspec.json.Decoder(schemas.Ping)
        self._order = msgspec.json.Decoder(schemas.OrderEvent)
        self._clearing = msgspec.json.Decoder(schemas.ClearingEvent)
        self._balance = msgspec.json.Decoder(schemas.AccountUpdate)
        self._answers: dict[tuple[str, str], asyncio.Future[schemas.AccountFrame]] = {}

    async def on_open(self, stream: Stream) -> None:
        self.stream = stream
        auth = ws_auth(self.access_key, self.secret, self.host, self.now_ms())
        await self._ask("req", "auth", {"action": "req", "ch": "auth", "params": auth})
        for channel in self.CHANNELS:
            await self._ask("sub", channel, {"action": "sub", "ch": channel})
        if self.sink is not None:
            self.sink.on_user_stream(live=True)

    async def _ask(self, action: str, channel: str, request: dict[str, object]) -> None:
        assert self.stream is not None
        waiter: asyncio.Future[schemas.AccountFrame] = asyncio.get_running_loop().create_future()
        self._answers[(action, channel)] = waiter
        try:
            await self.stream.send(msgspec.json.encode(request).decode())
            answer = await asyncio.wait_for(waiter, SUBSCRIBE_TIMEOUT)
        except TimeoutError:
            raise NetworkError(msg=f"no answer to {action} {channel}") from None
        finally:
            self._answers.pop((action, channel), None)
        if answer.code != 200:
            kind = AuthError if channel == "auth" else NetworkError
            raise kind(answer.code, answer.message or f"{action} {channel} refused")

    def on_frame(self, frame: str | bytes) -> str | None:
        message = self._frame.decode(frame)
        if message.action == "ping" and schemas.present(message.data):
            stamp = self._ping.decode(message.data).ts
            return f'{{"action":"pong","data":{{"ts":{stamp}}}}}'
        if message.action in ("req", "sub") and message.ch is not None:
            waiter = self._answers.get((message.action, message.ch))
            if waiter is not None and not waiter.done():
                waiter.set_result(message)
            return None
        if message.action == "push" and message.ch is not None and schemas.present(message.data):
            self._push(message.ch, message.data)
        return None

    def _push(self, channel: str, data: msgspec.Raw) -> None:
        sink = self.sink
        if sink is None:
            return
        if channel.startswith("accounts.update"):
            balance = convert.account_balance(self._balance.decode(data))
            if balance is not None:
                sink.on_balances([balance])
        elif channel.startswith("orders#"):
            event = self._order.decode(data)
            known = self.orders.get(event.clientOrderId)
            if event.eventType in STOP_ENDS:
                self._stop_ended(event, known, sink)
                return
            order = convert.event_order(event, known)
            self._remember(order)
            sink.on_order(order, None)
        elif channel.startswith("trade.clearing#"):
            clearing = self._clearing.decode(data)
            if clearing.eventType == "trade":
                known = self.orders.get(clearing.clientOrderId) or convert.clearing_order(clearing)
                sink.on_order(known, convert.clearing_fill(clearing))

    def _stop_ended(
        self, event: schemas.OrderEvent, known: Order | None, sink: AccountSink
    ) -> None:
        """A stop order ended before it worked: cancelled, or refused as it triggered.
        The push names it by client order id alone, so it is told from what was known of
        it (the adapter tells this session of every open stop order it reports)."""
        if known is None:
            log.warning("%s of a stop order not known here: %s", event.eventType, event)
            return
        if event.errMessage:
            log.warning(
                "stop order %s failed as it triggered: %s", known.client_order_id, event.errMessage
            )
        ended = msgspec.structs.replace(
            known,
            status=STOP_ENDS[event.eventType],
            updated_ms=event.lastActTime or known.updated_ms,
        )
        self._remember(ended)
        sink.on_order(ended, None)

    def _remember(self, order: Order) -> None:
        if order.status in (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED):
            self.orders[order.client_order_id] = order
        else:
            self.orders.pop(order.client_order_id, None)

    def on_quiet(self, quiet: bool) -> None:
        """Orders go over REST either way; the status bar shows the line's state."""

    def on_close(self) -> None:
        for waiter in self._answers.values():
            if not waiter.done():
                waiter.set_exception(NetworkError(msg="the account connection closed"))
        self.orders.clear()
        if self.sink is not None:
            self.sink.on_user_stream(live=False)
