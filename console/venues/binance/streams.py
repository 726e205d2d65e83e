"""Binance spot streams: market data on one combined stream, user data and orders on the
WebSocket API. Heartbeat rules from VENUES.md §3.1: the server pings every 20 s and drops a
client silent for a minute; a connection lives 24 h; `serverShutdown` means reconnect now;
at most 5 incoming messages a second per connection, 1024 streams per connection.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from typing import Any

import msgspec

from console.errors import NotSent
from console.model import Interval
from console.net.stream import ServerShutdown, Stream, StreamRules
from console.net.wsrpc import RpcChannel
from console.venues.base import AccountSink
from console.venues.binance import convert, schemas
from console.venues.binance.rest import map_error
from console.venues.binance.signing import Signer, ws_payload
from console.venues.market import MarketFeeds

log = logging.getLogger(__name__)

MARKET_RULES = StreamRules(
    heartbeat_window=30.0, quiet_after=3.0, ping_interval=1.0, max_age=23 * 3600.0
)
"""Depth pushes every 100 ms on a moving market, our ping every second on a quiet one (well
inside 5 incoming messages a second): three silent seconds mean the book may be old."""
WS_API_RULES = StreamRules(
    heartbeat_window=45.0, quiet_after=5.0, ping_interval=2.0, max_age=23 * 3600.0
)
STREAMS_PER_SUBSCRIBE = 200
SUBSCRIBE_SPACING = 0.25  # stays under 5 incoming messages a second
WS_API_TIMEOUT = 10.0
DEPTH_MARK = '@depth@100ms"'
"""What the first characters of a diff-depth frame hold (`{"stream":"btcusdt@depth@100ms",`),
in the text frames the stream reads (`DEPTH_MARK_BYTES` in a recording's bytes)."""
DEPTH_MARK_BYTES = DEPTH_MARK.encode()
ORDER_METHODS = frozenset(
    {
        "order.place",
        "order.cancel",
        "order.cancelReplace",
        "openOrders.cancelAll",
        "orderList.place.oco",
    }
)


class BinanceMarket:
    """Binance's market streams on one combined connection: topic names, SUBSCRIBE
    requests, and frames like `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate",
    "E":1700000000000,"s":"BTCUSDT","U":157,"u":160,"b":[["65012.34","0.5"]],"a":[]}}`.
    """

    topics_per_request = STREAMS_PER_SUBSCRIBE
    request_spacing = SUBSCRIBE_SPACING

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._frame = msgspec.json.Decoder(schemas.StreamFrame)
        self._depth = msgspec.json.Decoder(schemas.DepthUpdate)
        self._depth_frame = msgspec.json.Decoder(schemas.DepthFrame)
        self._trade = msgspec.json.Decoder(schemas.AggTrade)
        self._day = msgspec.json.Decoder(schemas.DayTicker)
        self._top = msgspec.json.Decoder(schemas.BookTicker)
        self._kline = msgspec.json.Decoder(schemas.KlineEvent)

    def book_topic(self, symbol: str) -> str:
        return f"{symbol.lower()}@depth@100ms"

    def trades_topic(self, symbol: str) -> str:
        return f"{symbol.lower()}@aggTrade"

    def ticker_topics(self, symbol: str) -> list[str]:
        return [f"{symbol.lower()}@ticker", f"{symbol.lower()}@bookTicker"]

    def candles_topic(self, symbol: str, interval: Interval) -> str:
        return f"{symbol.lower()}@kline_{interval.value}"

    def subscribe(self, topics: list[str]) -> list[str]:
        return [self._request("SUBSCRIBE", topics)]

    def unsubscribe(self, topics: list[str]) -> list[str]:
        return [self._request("UNSUBSCRIBE", topics)]

    def _request(self, method: str, topics: list[str]) -> str:
        request = {"method": method, "params": topics, "id": next(self._ids)}
        return msgspec.json.encode(request).decode()

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        if DEPTH_MARK in frame[:64] if isinstance(frame, str) else DEPTH_MARK_BYTES in frame[:64]:
            update = self._depth_frame.decode(frame).data  # most frames: one decode pass
            book = feeds.books.get(update.symbol)
            if book is not None:
                book.on_delta(update)
            return None
        envelope = self._frame.decode(frame)
        data = envelope.data
        if not data:
            if envelope.error is not None:
                log.warning("market stream refused a request: %s", envelope.error.msg)
            elif b'"serverShutdown"' in (frame if isinstance(frame, bytes) else frame.encode()):
                raise ServerShutdown
            return None
        name = envelope.stream
        kind = name[name.index("@") + 1 :]
        if kind.startswith("depth"):
            update = self._depth.decode(data)
            book = feeds.books.get(update.symbol)
            if book is not None:
                book.on_delta(update)
        elif kind == "aggTrade":
            event = self._trade.decode(data)
            tape = feeds.tapes.get(event.s)
            if tape is not None:
                tape.add(convert.agg_trade(event.s, event))
        elif kind == "ticker":
            day = self._day.decode(data)
            if (ticker := feeds.tickers.get(day.s)) is not None:
                ticker.on_day(convert.day_stats(day))
        elif kind == "bookTicker":
            top = self._top.decode(data)
            if (ticker := feeds.tickers.get(top.s)) is not None:
                ticker.on_top(convert.top(top))
        elif kind.startswith("kline_"):
            kline = self._kline.decode(data)
            series = feeds.candles.get((kline.s, Interval(kline.k.i)))
            if series is not None:
                series.update(convert.candle(kline))
        else:
            raise ValueError(f"unexpected stream {name!r}")
        return None


class WsApiSession:
    """Orders and user data over the WebSocket API (`wss://ws-api.binance.com/ws-api/v3`).

    With an Ed25519 key the session logs on (`session.logon`) and subscribes to user data
    with `userDataStream.subscribe`; later requests need no signature. With an HMAC key it
    subscribes with `userDataStream.subscribe.signature` and signs each request. An event
    arrives as `{"subscriptionId":0,"event":{"e":"executionReport",...}}`.
    """

    def __init__(
        self, api_key: str, signer: Signer, now_ms: Callable[[], int], recv_window_ms: int
    ) -> None:
        self.api_key = api_key
        self.signer = signer
        self.now_ms = now_ms
        self.recv_window_ms = recv_window_ms
        self.sink: AccountSink | None = None
        self.stream: Stream | None = None
        self.logged_on = False
        self.subscribed = False
        self.rpc: RpcChannel[msgspec.Raw] = RpcChannel(WS_API_TIMEOUT)
        self._frame = msgspec.json.Decoder(schemas.WsApiFrame)
        self._event = msgspec.json.Decoder(schemas.UserEvent)
        self._ready = asyncio.Event()

    async def ready(self) -> None:
        await self._ready.wait()

    # -- requests ----------------------------------------------------------------------------

    async def call(
        self, method: str, params: dict[str, Any] | None = None, signed: bool = True
    ) -> msgspec.Raw:
        """One request and its answer; an order left unanswered raises `UnknownStatus`."""
        stream = self.stream
        if stream is None:
            raise NotSent(msg="WebSocket API is not connected")
        params = dict(params or {})
        if signed:
            params["timestamp"] = self.now_ms()
            params["recvWindow"] = self.recv_window_ms
            if not self.logged_on:
                params["apiKey"] = self.api_key
                params["signature"] = self.signer.sign(ws_payload(params).encode())

        async def send(request_id: int) -> None:
            request = {"id": request_id, "method": method, "params": params}
            await stream.send(msgspec.json.encode(request).decode())

        return await self.rpc.call(send, method, is_order=method in ORDER_METHODS)

    # -- stream handler ----------------------------------------------------------------------

    async def on_open(self, stream: Stream) -> None:
        self.stream = stream
        self.logged_on = self.subscribed = False
        if self.signer.can_log_on:
            params = {"apiKey": self.api_key, "timestamp": self.now_ms()}
            params["signature"] = self.signer.sign(ws_payload(params).encode())
            await self.call("session.logon", params, signed=False)
            self.logged_on = True
        if self.sink is not None:
            if self.logged_on:
                await self.call("userDataStream.subscribe", signed=False)
            else:
                params = {"apiKey": self.api_key, "timestamp": self.now_ms()}
                params["signature"] = self.signer.sign(ws_payload(params).encode())
                await self.call("userDataStream.subscribe.signature", params, signed=False)
            self.subscribed = True
            self.sink.on_user_stream(live=True)
        self._ready.set()

    def on_frame(self, frame: str | bytes) -> str | None:
        message = self._frame.decode(frame)
        if message.id is not None and message.status is not None:
            self._answer(message)
        elif message.event:
            self._user_event(self._event.decode(message.event))
        return None

    def _answer(self, message: schemas.WsApiFrame) -> None:
        if message.status == 200 and message.result:
            self.rpc.answer(message.id, message.result)
            return
        error = message.error
        code, msg = (error.code, error.msg) if error else (None, f"status {message.status}")
        self.rpc.refuse(message.id, map_error(message.status or 500, code, msg))

    def _user_event(self, event: schemas.UserEvent) -> None:
        if isinstance(event, schemas.ServerShutdownEvent):
            raise ServerShutdown
        if isinstance(event, schemas.EventStreamTerminated):
            if self.stream is not None:
                self.stream.reconnect("user data stream terminated by the venue")
            return
        sink = self.sink
        if sink is None:
            return
        if isinstance(event, schemas.ExecutionReport):
            sink.on_order(convert.report_order(event), convert.report_fill(event))
        elif isinstance(event, schemas.OutboundAccountPosition):
            sink.on_balances(convert.balances(event))

    def on_quiet(self, quiet: bool) -> None:
        """Orders go over REST while this line is quiet (the adapter reads the state)."""

    def on_close(self) -> None:
        self._ready.clear()
        self.logged_on = self.subscribed = False
        self.rpc.connection_lost()
        if self.sink is not None:
            self.sink.on_user_stream(live=False)
