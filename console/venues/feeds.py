"""Live market state kept from venue streams: the book, the tape and candles.

The UI reads these at its frame rate; `version` moves on every change so a widget redraws
only when its state did. The book is kept by one procedure for every venue: buffer the
deltas, fetch a snapshot, drop what it covers, require the next delta to continue it, then
require each delta to continue the last. A gap, a crossed book or a lost connection makes
the book STALE at once (never shown as live) and resynchronises only that book. A line
gone quiet makes it STALE too, keeping its levels: the first frame heard again makes it
LIVE, and the next delta's sequence check proves nothing was missed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from decimal import Decimal

from console.book import SPANNED, ApplyResult, FeedBook, Integrity
from console.errors import VenueError
from console.model import BookDelta, BookSnapshot, Candle, DayStats, Top, Trade
from console.net.backoff import Backoff

log = logging.getLogger(__name__)

MAX_BUFFERED = 10_000
SNAPSHOT_LEVELS = (100, 500, 1000, 5000)
"""Snapshot sizes to choose from, smallest first; each venue passes the sizes it serves."""
SHOWN_LEVELS = 100
"""Levels a side the screen needs until it says otherwise."""
CALM_AFTER = 60.0
"""A book LIVE this long has its resync backoff forgotten."""
FIRST_DELTA_WAIT = 0.5
"""How long a fresh connection waits for a first delta before fetching the snapshot anyway
(a quiet market may send none for a long time)."""


class BookState(enum.StrEnum):
    SYNCING = "SYNCING"
    LIVE = "LIVE"
    STALE = "STALE"


class LiveBook:
    """One symbol's book, kept from a venue's diff stream and sized snapshots.

    A snapshot is the smallest the venue serves that covers what the screen shows (`show`),
    since a large one costs request weight on every resync; a wider view asks for a larger
    one. Resyncs back off, so a book that keeps gapping cannot spend the weight orders and
    reconciliation need.
    """

    def __init__(
        self,
        symbol: str,
        tick_size: Decimal,
        lot_size: Decimal,
        fetch_snapshot: Callable[[int], Awaitable[BookSnapshot]],
        backoff: Backoff | None = None,
        snapshot_levels: tuple[int, ...] = SNAPSHOT_LEVELS,
        clock: Callable[[], float] = time.monotonic,
        size_rounding: str | None = None,
        integrity: Integrity = SPANNED,
    ) -> None:
        self.book = FeedBook(symbol, tick_size, lot_size, size_rounding, integrity)
        self.book.on_broken = self._broken
        self.book.on_unusual = self._unusual
        self.on_delta: Callable[[BookDelta], None] = self._hold
        """What the stream's handler gives each change to: the book's own `take` while
        LIVE (one call a message), else `_hold`, which keeps it for the synchronisation."""
        self.fetch_snapshot = fetch_snapshot
        self.backoff = backoff or Backoff(base=0.2, cap=5.0)
        self.snapshot_levels = snapshot_levels
        self.clock = clock
        self.levels = self._size_for(SHOWN_LEVELS)
        """Levels a side the next snapshot asks for."""
        self._resync_backoff = Backoff(self.backoff.base, self.backoff.cap * 6, self.backoff.rng)
        self._live_since: float | None = None
        self._state = BookState.SYNCING
        self._changes = 0
        """The book's changes other than those its `take` kept: states, snapshots, the
        changes checked one by one."""
        self.gaps = 0
        self.resyncs = 0
        self.corrupt = 0
        """Changes after which the book failed the venue's checksum."""
        self.malformed = 0
        """Snapshots and changes the book could not take (a size off its grid, a price
        that is not a number): each one counted, logged and followed by a resync."""
        self._state_changed = asyncio.Event()
        self._buffer: deque[BookDelta] = deque()
        self._first_delta = asyncio.Event()
        self._sync: asyncio.Task[None] | None = None
        self._quiet = False

    @property
    def symbol(self) -> str:
        return self.book.symbol

    @property
    def state(self) -> BookState:
        """As of every change heard: the changes waiting in the book are taken in first, so
        a book they broke (crossed, or a size off its lot) is never said to be LIVE."""
        book = self.book
        if book.bids.pending or book.asks.pending:
            book.settle()
        return self._state

    @state.setter
    def state(self, state: BookState) -> None:
        self._state = state
        self.on_delta = self.book.take if state is BookState.LIVE else self._hold

    @property
    def version(self) -> int:
        """Moves on every change of the book or its state."""
        return self._changes + self.book.taken

    def _set(self, state: BookState) -> None:
        self._quiet = False
        if state is BookState.LIVE and self._state is not BookState.LIVE:
            self._live_since = self.clock()
        if state is not self._state:
            self.state = state
            self._changes += 1
            self._state_changed.set()

    async def wait_for(self, state: BookState) -> None:
        while self._state is not state:
            self._state_changed.clear()
            await self._state_changed.wait()

    # -- what the stream handler calls -------------------------------------------------------

    def connected(self) -> None:
        """A fresh subscription: buffer deltas from now on and synchronise."""
        self._stop_sync()
        self._buffer.clear()
        self.book.invalidate()
        if self._state is BookState.LIVE:
            self._set(BookState.STALE)
        self._sync = asyncio.create_task(self._synchronise(first_delta_wait=FIRST_DELTA_WAIT))

    def disconnected(self) -> None:
        self._stop_sync()
        self.book.invalidate()
        self._buffer.clear()
        self._set(BookState.STALE)

    def show(self, levels: int) -> None:
        """The screen shows `levels` a side: a book built from a smaller snapshot resyncs."""
        wanted = self._size_for(levels)
        if wanted > self.levels:
            self.levels = wanted
            if self._state is BookState.LIVE:
                self._resync(f"the view needs {wanted} levels")

    def _size_for(self, levels: int) -> int:
        return next(
            (size for size in self.snapshot_levels if size >= levels), self.snapshot_levels[-1]
        )

    @property
    def silent(self) -> bool:
        """STALE because the line went quiet, levels kept (not for a gap or a reconnect)."""
        return self._quiet

    def quiet(self, quiet: bool) -> None:
        """The stream went silent (the book may be out of date), or was heard again."""
        if quiet and self._state is BookState.LIVE:
            self._set(BookState.STALE)
            self._quiet = True
        elif not quiet and self._quiet:
            self._set(BookState.LIVE)

    def _unusual(self, delta: BookDelta) -> None:
        """A change a LIVE book did not keep at once: checked, and acted on."""
        result = self.book.apply(delta)
        if result is ApplyResult.APPLIED:
            self._changes += 1
        elif result is ApplyResult.GAP:
            self.gaps += 1
            self._resync(f"gap before update {delta.first_update_id}")
            self._buffer.append(delta)
        elif result is ApplyResult.CORRUPT:
            self._changes += 1
            self.corrupt += 1
            self._resync(f"checksum mismatch at update {delta.last_update_id}")

    def _hold(self, delta: BookDelta) -> None:
        """A change while the book is not LIVE: kept for the snapshot it will be aligned
        with, and the synchronisation started if none is under way."""
        self._buffer.append(delta)
        self._first_delta.set()
        if len(self._buffer) > MAX_BUFFERED:
            self._buffer.popleft()
        if self._sync is None:
            self._sync = asyncio.create_task(self._synchronise())

    def _broken(self, reason: str, malformed: bool) -> None:
        """The book broke as its changes were taken in, on a read (`FeedBook.settle`): a
        malformed change is counted, and the book synchronised again unless that is under
        way (where the snapshot's alignment says so itself)."""
        if malformed:
            self.malformed += 1
        if self._sync is None:
            self._resync(reason)

    def close(self) -> None:
        self._stop_sync()

    # -- synchronising -----------------------------------------------------------------------

    def _resync(self, reason: str) -> None:
        if self._live_since is not None and self.clock() - self._live_since > CALM_AFTER:
            self._resync_backoff.reset()
        delay = self._resync_backoff.next_delay()
        log.warning("%s book: %s; resynchronising in %.1fs", self.symbol, reason, delay)
        self.book.invalidate()
        self._buffer.clear()
        self._set(BookState.STALE)
        self._stop_sync()
        self._sync = asyncio.create_task(self._synchronise(delay=delay))

    def _stop_sync(self) -> None:
        if self._sync is not None and self._sync is not asyncio.current_task():
            self._sync.cancel()
        self._sync = None

    async def _synchronise(self, first_delta_wait: float = 0.0, delay: float = 0.0) -> None:
        """Fetch snapshots until one aligns with the buffered deltas, then go LIVE."""
        self.resyncs += 1
        backoff = Backoff(self.backoff.base, self.backoff.cap, self.backoff.rng)
        try:
            if delay:
                await asyncio.sleep(delay)
            if first_delta_wait and not self._buffer:
                self._first_delta.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._first_delta.wait(), first_delta_wait)
            while True:
                snapshot = await self._fetch(backoff)
                if snapshot is None:
                    continue
                if self._align(snapshot):
                    self._set(BookState.LIVE)
                    self._changes += 1
                    return
                await asyncio.sleep(backoff.next_delay())
        finally:
            if self._sync is asyncio.current_task():
                self._sync = None

    async def _fetch(self, backoff: Backoff) -> BookSnapshot | None:
        try:
            snapshot = await self.fetch_snapshot(self.levels)
        except VenueError as error:
            log.warning("%s book: snapshot failed: %s", self.symbol, error)
            await asyncio.sleep(backoff.next_delay())
            return None
        if self._buffer and self.book.integrity.too_old(snapshot, self._buffer[0]):
            return None  # older than the first buffered delta: fetch again
        return snapshot

    def _align(self, snapshot: BookSnapshot) -> bool:
        """Load the snapshot and apply what was buffered after it; a snapshot or a change
        the book cannot take is a failed attempt (counted and logged), never a dead task.
        The book's levels change either way, and so does its version."""
        self._changes += 1
        try:
            self.book.load_snapshot(snapshot)
        except ValueError as error:
            self.malformed += 1
            log.warning("%s book: a snapshot it cannot take: %s", self.symbol, error)
            self.book.invalidate()
            self._buffer.clear()
            return False
        while self._buffer:
            result = self.book.apply(self._buffer.popleft())
            if result is ApplyResult.CORRUPT:
                self.corrupt += 1
            if result in (ApplyResult.GAP, ApplyResult.CORRUPT):
                self.book.invalidate()
                return False
        broken = self.book.settle()
        if broken is not None:
            log.warning("%s book: %s", self.symbol, broken)
        return broken is None


class LiveTrades:
    """The most recent prints, newest last, with a trades-per-second rate."""

    def __init__(
        self, symbol: str, keep: int = 500, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.symbol = symbol
        self.trades: deque[Trade] = deque(maxlen=keep)
        self.version = 0
        self.clock = clock
        self._arrivals: deque[float] = deque()

    def backfill(self, history: list[Trade]) -> None:
        """Prints from before the stream began (oldest first), so a new tape is not empty;
        any the stream already delivered are not repeated."""
        first_live = self.trades[0].trade_id if self.trades else None
        older = [t for t in history if first_live is None or t.trade_id < first_live]
        room = (self.trades.maxlen or len(older)) - len(self.trades)
        if room > 0 and older:
            self.trades.extendleft(reversed(older[-room:]))
            self.version += 1

    def limit(self, keep: int) -> None:
        """Keep at most `keep` prints (the newest)."""
        self.trades = deque(self.trades, maxlen=keep)

    def add(self, trade: Trade) -> None:
        self.trades.append(trade)
        self._arrivals.append(self.clock())
        self.version += 1

    def rate(self, window: float = 5.0) -> float:
        cutoff = self.clock() - window
        arrivals = self._arrivals
        while arrivals and arrivals[0] < cutoff:
            arrivals.popleft()
        return len(arrivals) / window


class LiveTicker:
    """A symbol's 24 h statistics and top of book from the venue's own ticker streams:
    exact where hourly candles would round the window, and current while the book resyncs."""

    def __init__(self, symbol: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.symbol = symbol
        self.clock = clock
        self.day: DayStats | None = None
        self.top: Top | None = None
        self.top_at: float | None = None
        self.version = 0

    def on_day(self, stats: DayStats) -> None:
        self.day = stats
        self.version += 1

    def on_top(self, top: Top) -> None:
        self.top = top
        self.top_at = self.clock()
        self.version += 1

    def recent_top(self, within: float) -> Top | None:
        """The top of book if it moved in the last `within` seconds (else it may be old)."""
        if self.top_at is None or self.clock() - self.top_at > within:
            return None
        return self.top


class LiveCandles:
    """One interval's candles, oldest first: history from REST, then the live stream."""

    def __init__(self, symbol: str, interval: str, keep: int = 500) -> None:
        self.symbol = symbol
        self.interval = interval
        self.candles: deque[Candle] = deque(maxlen=keep)
        self.version = 0

    def limit(self, keep: int) -> None:
        """Keep at most `keep` candles (the newest)."""
        self.candles = deque(self.candles, maxlen=keep)

    def load(self, history: list[Candle]) -> None:
        self.candles.clear()
        self.candles.extend(history)
        self.version += 1

    def update(self, candle: Candle) -> None:
        """A live candle replaces the one with the same open time or extends the series."""
        candles = self.candles
        if candles and candles[-1].open_ms == candle.open_ms:
            candles[-1] = candle
        elif not candles or candle.open_ms > candles[-1].open_ms:
            candles.append(candle)
        else:
            return
        self.version += 1
