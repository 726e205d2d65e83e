"""One asset pair across the venues of a run: what each venue's book, ticker and account
say of it (the compare view), and the venues' books merged into one ladder.

Each venue spells the pair its own way; the pair is its base and quote assets, found in
each venue's instruments. A venue showing the pair already lends its market; on the others
the pair's book and ticker are opened for as long as the view is, then let go.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from console.model import Instrument, Side
from console.trading.session import TradingSession
from console.venues.base import Fees
from console.venues.feeds import BookState, LiveBook, LiveTicker


@dataclass
class Venued:
    """The pair on one venue: its symbol there, its book, ticker and the account's fees."""

    session: TradingSession
    instrument: Instrument
    book: LiveBook
    ticker: LiveTicker
    fees: Fees
    opened: bool
    """Opened for the pair's view (not the venue's market on screen): let go with it."""

    @property
    def venue(self) -> str:
        return self.session.venue.name


@dataclass
class Pair:
    """One asset pair, watched on every venue of a run that lists it."""

    base: str
    quote: str
    venues: list[Venued] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    """The venues of the run that list no such pair."""
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, tuple[int, float]] = field(default_factory=dict)
    """Each venue's book version when last looked at, and since when it has not moved."""

    @classmethod
    async def open(cls, sessions: Sequence[TradingSession], base: str, quote: str) -> Pair:
        """The pair on each of `sessions`, its book and ticker opened where not shown."""
        pair = cls(base, quote)
        for session in sessions:
            instrument = next(
                (i for i in session.instruments.values() if (i.base, i.quote) == (base, quote)),
                None,
            )
            if instrument is None:
                pair.unlisted.append(session.venue.name)
                continue
            market = session.market
            if market is not None and market.instrument.symbol == instrument.symbol:
                venued = Venued(
                    session, instrument, market.book, market.ticker, market.fees, opened=False
                )
            else:
                symbol, venue = instrument.symbol, session.venue
                fees = await session.fee_rates(symbol)
                venued = Venued(
                    session, instrument, venue.book(symbol), venue.ticker(symbol), fees, opened=True
                )
            pair.venues.append(venued)
        return pair

    def close(self) -> None:
        """Let go of what was opened for the view, unless the venue shows it by now."""
        for venued in self.venues:
            market = venued.session.market
            shown = market is not None and market.instrument.symbol == venued.instrument.symbol
            if venued.opened and not shown:
                venued.session.venue.release(venued.instrument.symbol)

    def age(self, venued: Venued) -> float:
        """Seconds since the venue's book last moved, as often as it is looked at."""
        now = self.clock()
        version, since = self._seen.get(venued.venue, (-1, now))
        if venued.book.version != version:
            since = now
        self._seen[venued.venue] = (venued.book.version, since)
        return now - since


def levels(venued: Venued, side: Side, n: int) -> list[tuple[Decimal, Decimal]]:
    """The best `n` levels of a side, as prices on the venue's tick and sizes."""
    kept, tick = venued.book.book, venued.instrument.tick_size
    return [
        (kept.prices.value(t).quantize(tick), kept.sizes.value(q)) for t, q in kept.top(side, n)
    ]


def walk(levels: Iterable[tuple[Decimal, Decimal]], size: Decimal) -> Decimal | None:
    """What taking `size` from `levels` (best first) comes to in the quote, before fees;
    None when the book shown is too thin for it."""
    left, total = size, Decimal(0)
    for price, available in levels:
        taken = min(left, available)
        total += taken * price
        left -= taken
        if not left:
            return total
    return None


WALKED = 500
"""Levels a side walked for a size's cost: deeper than any size the view is asked for."""


@dataclass(frozen=True)
class CompareRow:
    venue: str
    environment: str
    symbol: str
    book: BookState
    bid: Decimal | None
    ask: Decimal | None
    volume: Decimal | None
    change_percent: Decimal | None
    book_age: float
    base_free: Decimal | None
    quote_free: Decimal | None
    buy_cost: Decimal | None
    """The quote a market buy of the size costs on this venue, the taker fee on top."""
    sell_gets: Decimal | None
    """The quote a market sell of the size brings, the taker fee taken off."""
    tick: Decimal

    @property
    def spread(self) -> Decimal | None:
        return None if self.bid is None or self.ask is None else self.ask - self.bid


@dataclass(frozen=True)
class CompareView:
    base: str
    quote: str
    size: Decimal
    rows: tuple[CompareRow, ...]
    unlisted: tuple[str, ...]
    best_bid: str | None
    """The venue with the highest bid: where selling at the touch brings most."""
    best_ask: str | None
    cheapest_buy: str | None
    dearest_sell: str | None


def compare(pair: Pair, size: Decimal) -> CompareView:
    """Each venue's side of the pair, and where buying or selling `size` is best."""
    rows = tuple(_row(pair, venued, size) for venued in pair.venues)
    live = [row for row in rows if row.book is BookState.LIVE]

    def best(value: Callable[[CompareRow], Decimal | None], highest: bool) -> str | None:
        priced = [(v, row.venue) for row in live if (v := value(row)) is not None]
        if not priced:
            return None
        return (max if highest else min)(priced, key=lambda p: p[0])[1]

    return CompareView(
        pair.base,
        pair.quote,
        size,
        rows,
        tuple(pair.unlisted),
        best(lambda r: r.bid, highest=True),
        best(lambda r: r.ask, highest=False),
        best(lambda r: r.buy_cost, highest=False),
        best(lambda r: r.sell_gets, highest=True),
    )


def _row(pair: Pair, venued: Venued, size: Decimal) -> CompareRow:
    book, session, taker = venued.book, venued.session, venued.fees.taker
    bid = book.book.best_bid
    ask = book.book.best_ask
    prices = book.book.prices
    day = venued.ticker.day
    balances = session.orders.balances
    bought = walk(levels(venued, Side.SELL, WALKED), size)
    sold = walk(levels(venued, Side.BUY, WALKED), size)
    base, quote = venued.instrument.base, venued.instrument.quote
    return CompareRow(
        venued.venue,
        session.environment,
        venued.instrument.symbol,
        book.state,
        None if bid is None else prices.value(bid),
        None if ask is None else prices.value(ask),
        None if day is None else day.volume,
        None if day is None else day.change_percent,
        pair.age(venued),
        balances[base].free if base in balances else None,
        balances[quote].free if quote in balances else None,
        None if bought is None else bought * (1 + taker),
        None if sold is None else sold * (1 - taker),
        venued.instrument.tick_size,
    )


@dataclass(frozen=True)
class MergedLevel:
    price: Decimal
    size: Decimal
    venue: str
    side: Side


@dataclass(frozen=True)
class MergedView:
    base: str
    quote: str
    asks: tuple[MergedLevel, ...]
    """Best last, as a ladder reads from the top: the highest ask first."""
    bids: tuple[MergedLevel, ...]
    """Best first."""
    stale: tuple[str, ...]
    """Venues whose book is not live: left out of the ladder."""


def merged(pair: Pair, depth: int) -> MergedView:
    """The venues' books of the pair in one ladder, `depth` levels a side, each level
    tagged with its venue (the same price on two venues is two levels)."""
    asks: list[MergedLevel] = []
    bids: list[MergedLevel] = []
    stale = []
    for venued in pair.venues:
        if venued.book.state is not BookState.LIVE:
            stale.append(venued.venue)
            continue
        for side, into in ((Side.SELL, asks), (Side.BUY, bids)):
            into += [
                MergedLevel(price, size, venued.venue, side)
                for price, size in levels(venued, side, depth)
            ]
    asks.sort(key=lambda level: (level.price, level.venue))
    bids.sort(key=lambda level: (-level.price, level.venue))
    return MergedView(
        pair.base, pair.quote, tuple(reversed(asks[:depth])), tuple(bids[:depth]), tuple(stale)
    )
