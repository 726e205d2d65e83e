"""The symbols the console watches on one market connection: their books, tapes, candle
series and tickers, and the subscriptions that feed them.

Every venue keeps the same registry: add a feed and subscribe to it on the live
connection, subscribe to everything again on a fresh one, forget a symbol and unsubscribe
its topics, pass silence and loss on to the books. What differs is data and a few
callbacks, a `MarketDialect`: how topics are named, how a (un)subscribe request is written,
how many topics one request may carry and how fast requests may follow each other, and how
a frame is routed to the feeds.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from console.model import Interval
from console.net.stream import Stream
from console.venues.feeds import LiveBook, LiveCandles, LiveTicker, LiveTrades


class MarketDialect(Protocol):
    topics_per_request: int
    request_spacing: float
    """Seconds between requests, to stay under the venue's incoming message limit."""

    def book_topic(self, symbol: str) -> str: ...

    def trades_topic(self, symbol: str) -> str: ...

    def candles_topic(self, symbol: str, interval: Interval) -> str: ...

    def ticker_topics(self, symbol: str) -> list[str]:
        """The topics of the symbol's 24 h statistics and its top of book."""

    def subscribe(self, topics: list[str]) -> list[str]:
        """The frames that ask for `topics` (one request for several, or one each)."""

    def unsubscribe(self, topics: list[str]) -> list[str]: ...

    def on_frame(self, frame: str | bytes, feeds: MarketFeeds) -> str | None:
        """Route one frame to `feeds`; return a reply to send (a pong), raise
        `ServerShutdown` to reconnect, `ValueError` or a decode error for a bad frame."""


class MarketFeeds:
    """The stream handler of a venue's market connection."""

    def __init__(self, dialect: MarketDialect) -> None:
        self.dialect = dialect
        self.books: dict[str, LiveBook] = {}
        self.tapes: dict[str, LiveTrades] = {}
        self.candles: dict[tuple[str, Interval], LiveCandles] = {}
        self.tickers: dict[str, LiveTicker] = {}
        self.stream: Stream | None = None
        self._connected = False

    def topics(self) -> list[str]:
        dialect = self.dialect
        topics = [dialect.book_topic(symbol) for symbol in self.books]
        topics += [dialect.trades_topic(symbol) for symbol in self.tapes]
        topics += [dialect.candles_topic(symbol, interval) for symbol, interval in self.candles]
        topics += [topic for symbol in self.tickers for topic in dialect.ticker_topics(symbol)]
        return topics

    async def subscribe(self, topics: list[str], book: LiveBook | None = None) -> None:
        """Ask for more topics on the live connection (none yet: `on_open` will); a new
        book starts synchronising once its diffs are asked for."""
        if self.stream is None or not self._connected or not topics:
            return
        if book is not None:
            book.connected()
        per = self.dialect.topics_per_request
        frames = [
            frame
            for start in range(0, len(topics), per)
            for frame in self.dialect.subscribe(topics[start : start + per])
        ]
        for index, frame in enumerate(frames):
            if index:
                await asyncio.sleep(self.dialect.request_spacing)
            await self.stream.send(frame)

    async def unsubscribe(self, topics: list[str]) -> None:
        if self.stream is None or not self._connected or not topics:
            return
        for frame in self.dialect.unsubscribe(topics):
            await self.stream.send(frame)

    def forget(self, symbol: str) -> list[str]:
        """Drop the symbol's live state; returns the topics it was fed by."""
        dialect = self.dialect
        topics = []
        book = self.books.pop(symbol, None)
        if book is not None:
            book.close()
            topics.append(dialect.book_topic(symbol))
        if self.tapes.pop(symbol, None) is not None:
            topics.append(dialect.trades_topic(symbol))
        for key in [key for key in self.candles if key[0] == symbol]:
            del self.candles[key]
            topics.append(dialect.candles_topic(*key))
        if self.tickers.pop(symbol, None) is not None:
            topics += dialect.ticker_topics(symbol)
        return topics

    def close(self) -> None:
        for book in self.books.values():
            book.close()

    # -- the stream handler ------------------------------------------------------------------

    async def on_open(self, stream: Stream) -> None:
        self.stream = stream
        self._connected = True
        for book in self.books.values():
            book.connected()
        await self.subscribe(self.topics())

    def on_frame(self, frame: str | bytes) -> str | None:
        return self.dialect.on_frame(frame, self)

    def on_quiet(self, quiet: bool) -> None:
        for book in self.books.values():
            book.quiet(quiet)

    def on_close(self) -> None:
        self._connected = False
        for book in self.books.values():
            book.disconnected()
