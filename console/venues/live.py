"""A venue's market data as the console keeps it: each symbol's book, tape, ticker and
candle series made on first use, started from the venue's REST history and kept by its
stream, and released together.

Every adapter keeps its market data this way; what differs is passed in as callbacks: how
a book snapshot, recent trades and candle history are fetched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from console.book import SPANNED, Integrity
from console.errors import VenueError
from console.model import BookSnapshot, Candle, Interval, Trade
from console.venues.feeds import LiveBook, LiveCandles, LiveTicker, LiveTrades
from console.venues.market import MarketFeeds

log = logging.getLogger(__name__)


class LiveMarket:
    def __init__(self, feeds: MarketFeeds, book_feeds: MarketFeeds | None = None) -> None:
        self.feeds = feeds
        self.book_feeds = book_feeds or feeds
        """Where books come from, when a venue keeps them on a connection of their own."""
        self._background: set[asyncio.Task[None]] = set()

    def book(
        self,
        symbol: str,
        tick_size: Decimal,
        lot_size: Decimal,
        snapshot: Callable[[int], Awaitable[BookSnapshot]],
        snapshot_levels: tuple[int, ...],
        size_step: Decimal | None = None,
        integrity: Integrity = SPANNED,
    ) -> LiveBook:
        """The symbol's book; with `size_step`, sizes are kept on that step (finer than the
        lot), rounding half-even past it, as the venue's float digits need."""
        feeds = self.book_feeds
        book = feeds.books.get(symbol)
        if book is None:
            book = feeds.books[symbol] = LiveBook(
                symbol,
                tick_size,
                size_step or lot_size,
                snapshot,
                snapshot_levels=snapshot_levels,
                size_rounding=None if size_step is None else ROUND_HALF_EVEN,
                integrity=integrity,
            )
            self.background(feeds.subscribe([feeds.dialect.book_topic(symbol)], book))
        return book

    def trades(self, symbol: str, history: Callable[[], Awaitable[list[Trade]]]) -> LiveTrades:
        """The tape, backfilled from REST so it shows something before the next print."""
        tape = self.feeds.tapes.get(symbol)
        if tape is None:
            tape = self.feeds.tapes[symbol] = LiveTrades(symbol)
            self.background(self.feeds.subscribe([self.feeds.dialect.trades_topic(symbol)]))
            self.background(self._backfill(tape, history))
        return tape

    @staticmethod
    async def _backfill(tape: LiveTrades, history: Callable[[], Awaitable[list[Trade]]]) -> None:
        try:
            tape.backfill(await history())
        except VenueError as error:
            log.warning("%s recent trades unavailable: %s", tape.symbol, error)

    def ticker(self, symbol: str) -> LiveTicker:
        ticker = self.feeds.tickers.get(symbol)
        if ticker is None:
            ticker = self.feeds.tickers[symbol] = LiveTicker(symbol)
            self.background(self.feeds.subscribe(self.feeds.dialect.ticker_topics(symbol)))
        return ticker

    async def candles(
        self, symbol: str, interval: Interval, history: Callable[[], Awaitable[list[Candle]]]
    ) -> LiveCandles:
        """History from REST, kept current from the stream."""
        key = (symbol, interval)
        series = self.feeds.candles.get(key)
        if series is None:
            series = self.feeds.candles[key] = LiveCandles(symbol, interval)
            self.background(
                self.feeds.subscribe([self.feeds.dialect.candles_topic(symbol, interval)])
            )
            series.load(await history())
        return series

    def release(self, symbol: str) -> None:
        for feeds in {id(f): f for f in (self.feeds, self.book_feeds)}.values():
            self.background(feeds.unsubscribe(feeds.forget(symbol)))

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` on the loop, kept referenced until it ends."""
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
