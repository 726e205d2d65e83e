"""What each panel shows, worked out below the screen: immutable views built from the
trading session at the frame rate, pushed into the widgets, which only draw them.

Every figure a panel shows is decided here: the 24 h statistics (the venue's ticker, or
the hourly candles until it comes), the account's value in the quote asset, which ladder
levels hold the trader's orders, what the tape calls a large print, how a size in the
quote asset becomes a base quantity. A view is equal to the last one when, and only when,
the panel would draw the same, so the frame clock redraws a panel only when its view
changed. Nothing here changes domain state.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from console.model import (
    Candle,
    DayStats,
    Instrument,
    Interval,
    Order,
    OrderType,
    Side,
    TimeInForce,
)
from console.net.stream import StreamState
from console.trading.risk import Verdict
from console.trading.session import Market, Ticket, TradingSession
from console.venues.feeds import BookState

if TYPE_CHECKING:
    from console.trading.account import SessionPnl

LARGE_MULTIPLE = 5
"""A print this many times the tape's median notional is a large one."""
AGE_STEP = 0.25
"""Heartbeat ages are shown to a tenth of a second and move in quarter seconds: the status
bar redraws four times a second at most while every stream is heard."""


def places(increment: Decimal) -> int:
    """The decimal places of a tick or lot (0.01 -> 2)."""
    exponent = increment.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# -- the banner and the status bar ----------------------------------------------------------


@dataclass(frozen=True)
class BannerView:
    environment: str
    read_only: bool
    venue: str
    symbol: str | None = None
    tick_places: int = 2
    last: Decimal | None = None
    day: DayStats | None = None
    replay: str | None = None
    """Where a replay is in its recording, and how it moves."""


def day_stats(market: Market) -> DayStats | None:
    """The venue's 24 h ticker, or the last 24 hourly candles until it arrives."""
    if market.ticker.day is not None:
        return market.ticker.day
    hours = market.candles.get(Interval.H1)
    day = list(hours.candles)[-24:] if hours is not None else []
    if not day:
        return None
    return DayStats(
        market.instrument.symbol,
        day[-1].close,
        day[0].open,
        max(c.high for c in day),
        min(c.low for c in day),
        sum((c.volume for c in day), Decimal(0)),
    )


def banner(session: TradingSession) -> BannerView:
    base = (session.environment, session.read_only, session.venue.name)
    replay = session.player.describe() if session.player is not None else None
    market = session.market
    if market is None:
        return BannerView(*base, replay=replay)
    day = day_stats(market)
    last = market.trades.trades[-1].price if market.trades.trades else None
    if last is None and day is not None:
        last = day.last
    tick_places = places(market.instrument.tick_size)
    return BannerView(*base, market.instrument.symbol, tick_places, last, day, replay)


@dataclass(frozen=True)
class StreamLine:
    name: str
    state: StreamState
    age: float | None
    rtt_ms: int | None


@dataclass(frozen=True)
class StatusView:
    environment: str
    venue: str
    symbol: str | None
    switch: str
    switch_blocks: bool
    problems: tuple[str, ...]
    book: BookState | None
    streams: tuple[StreamLine, ...]
    rate: tuple[str, int, int] | None
    clock_offset_ms: int | None
    pnl: SessionPnl | None = None
    venues: tuple[VenueHealth, ...] = ()
    """Every venue of a run on several, the one shown among them."""


@dataclass(frozen=True)
class VenueHealth:
    venue: str
    health: str
    """LIVE; STARTING; DOWN (not reached, or refused); TRIPPED (its switch blocks its
    orders); STALE (a stream or the book is not live)."""
    shown: bool


def health(session: TradingSession, shown: bool = False) -> VenueHealth:
    """A venue's health in a word, for the row of venues."""
    market = session.market
    if session.waiting:
        word = "DOWN"
    elif session.deadman.blocks_orders:
        word = "TRIPPED"
    elif market is None:
        word = "STARTING"
    elif market.book.state is not BookState.LIVE or any(
        stream.state is not StreamState.LIVE for stream in session.venue.streams
    ):
        word = "STALE"
    else:
        word = "LIVE"
    return VenueHealth(session.venue.name, word, shown)


def status(
    session: TradingSession,
    now: float,
    pnl: SessionPnl | None = None,
    sessions: Sequence[TradingSession] = (),
) -> StatusView:
    """`now` on the streams' own clock, for heartbeat ages; `pnl`, this session's;
    `sessions`, every venue's of a run on several."""
    market = session.market
    orphans = len(session.orders.open_orphans())
    problems = (
        session.waiting,
        session.orders.journal_failed,
        session.orders.problem,
        f"{orphans} ORPHAN{'S' * (orphans != 1)}: r to reconcile" if orphans else None,
        session.recorder.state().trouble() if session.recorder is not None else None,
    )
    streams = []
    for stream in session.venue.streams:
        age = stream.heartbeat_age(now)
        rtt = None if stream.rtt is None else round(stream.rtt * 1000)
        stepped = None if age is None else round(age / AGE_STEP) * AGE_STEP
        streams.append(StreamLine(stream.name, stream.state, stepped, rtt))
    usage = session.venue.rate_usage()
    unit = session.venue.capabilities.rate_unit
    return StatusView(
        session.environment,
        session.venue.name,
        market.instrument.symbol if market else None,
        session.deadman.describe(),
        session.deadman.blocks_orders,
        tuple(p for p in problems if p),
        market.book.state if market else None,
        tuple(streams),
        None if usage is None else (unit, *usage),
        session.venue.clock_offset_ms,
        pnl,
        tuple(health(other, other is session) for other in sessions) if len(sessions) > 1 else (),
    )


# -- balances -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    asset: str
    free: Decimal
    locked: Decimal
    total: Decimal


@dataclass(frozen=True)
class BalancesView:
    rows: tuple[BalanceRow, ...]
    quote: str | None
    value: Decimal | None
    """What the held assets are worth in `quote`, the ones priced here."""
    unpriced: tuple[str, ...]
    current: bool = True
    """False while the account stream (or a demo account's poll) is not heard: the
    figures are the last ones known."""


def balances(session: TradingSession) -> BalancesView:
    held = sorted((b for b in session.orders.balances.values() if b.total), key=lambda b: b.asset)
    rows = tuple(BalanceRow(b.asset, b.free, b.locked, b.total) for b in held)
    market, current = session.market, session.orders.user_stream_live
    if market is None:
        return BalancesView(rows, None, None, (), current)
    quote = market.instrument.quote
    value, unpriced = value_in_quote(rows, quote, session.price)
    return BalancesView(rows, quote, value, unpriced, current)


def value_in_quote(
    rows: tuple[BalanceRow, ...], quote: str, price: Callable[[str, str], Decimal | None]
) -> tuple[Decimal, tuple[str, ...]]:
    """What the held assets are worth in `quote` at `price`, and the assets it cannot price."""
    total, unpriced = Decimal(0), []
    for row in rows:
        each = price(row.asset, quote)
        if each is None:
            unpriced.append(row.asset)
        else:
            total += row.total * each
    return total, tuple(unpriced)


# -- the tape and the candles ----------------------------------------------------------------


@dataclass(frozen=True)
class TapeRow:
    time_ms: int
    price: Decimal
    qty: Decimal
    taker_side: Side
    large: bool


@dataclass(frozen=True)
class TapeView:
    rows: tuple[TapeRow, ...]
    """Newest first, as many as the panel has lines."""
    per_second: int
    price_places: int
    size_places: int


def tape(session: TradingSession, lines: int) -> TapeView | None:
    market = session.market
    if market is None:
        return None
    trades = market.trades.trades
    recent = list(trades)[-lines:][::-1] if lines > 0 else []
    large = statistics.median(t.price * t.qty for t in trades) * LARGE_MULTIPLE if trades else 0
    rows = tuple(
        TapeRow(t.time_ms, t.price, t.qty, t.taker_side, t.price * t.qty >= large) for t in recent
    )
    inst = market.instrument
    rate = round(market.trades.rate())
    return TapeView(rows, rate, places(inst.tick_size), places(inst.lot_size))


@dataclass(frozen=True)
class CandleRow:
    interval: Interval
    closes: tuple[Decimal, ...]
    """The closes shown, oldest first; empty before the first candle."""
    change: Decimal = Decimal(0)
    """Percent from the first shown candle's open to the last close."""
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)


@dataclass(frozen=True)
class CandlesView:
    rows: tuple[CandleRow, ...]
    served: int
    """How many lengths the venue serves (the panel shows a window of them)."""
    tick_places: int
    bars: tuple[Candle, ...] = ()
    """The first length's last candles, whole, for a chart (none asked: empty)."""


def candles(
    session: TradingSession, first: int, shown: int, width: int, chart: int = 0
) -> CandlesView | None:
    """`shown` lengths from the `first` the venue serves, the last `width` closes each, and
    the first length's last `chart` candles whole."""
    market = session.market
    if market is None:
        return None
    served = session.candle_intervals()
    rows = []
    for interval in served[first : first + shown]:
        series = market.candles.get(interval)
        bars = list(series.candles)[-width:] if series is not None else []
        if not bars:
            rows.append(CandleRow(interval, ()))
            continue
        opened, last = bars[0].open, bars[-1].close
        change = (last - opened) / opened * 100 if opened else Decimal(0)
        low, high = min(c.low for c in bars), max(c.high for c in bars)
        rows.append(CandleRow(interval, tuple(c.close for c in bars), change, low, high))
    whole: tuple[Candle, ...] = ()
    if chart and first < len(served):
        series = market.candles.get(served[first])
        whole = tuple(list(series.candles)[-chart:]) if series is not None else ()
    return CandlesView(tuple(rows), len(served), places(market.instrument.tick_size), whole)


# -- the ladder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LadderLevel:
    price: Decimal
    size: Decimal
    cumulative: Decimal
    own: bool
    """One of the trader's open orders rests in this (grouped) level."""


@dataclass(frozen=True)
class LadderView:
    asks: tuple[LadderLevel, ...]
    """Best first."""
    bids: tuple[LadderLevel, ...]
    price_places: int
    size_places: int
    tick_places: int
    spread: Decimal | None
    mid: Decimal | None
    step: Decimal
    """The price step levels are grouped by."""
    live: bool
    stale: str
    """Why the book is not live, in words for its banner; empty while live."""
    all_asks: bool = False
    """Fewer asks came than were asked for from a live book: every ask it holds (a book
    kept to a smaller snapshot than the view needs fetches a larger one)."""
    all_bids: bool = False
    tick: Decimal = Decimal(0)
    """The instrument's tick: a step in ticks is `step / tick`."""


def own_levels(
    resting: list[tuple[Side, Decimal]], market: Market, step: int
) -> set[tuple[Side, int]]:
    """The grouped levels (side, ticks) where the trader's open orders rest (`resting`, the
    order manager's index): a buy in the bucket below it, a sell in the one above, as the
    ladder groups them."""
    scale = market.book.book.prices
    levels = set()
    for side, price in resting:
        if price % scale.increment:
            continue
        ticks = scale.of(price)
        bucket = ticks - ticks % step if side is Side.BUY else -(-ticks // step) * step
        levels.add((side, bucket))
    return levels


def own_at(session: TradingSession, side: Side, price: Decimal, step: Decimal) -> list[Order]:
    """The trader's open orders in the ladder's level at `price` grouped by `step` (a buy
    from the level up to the next, a sell from the one before up to it), newest first."""
    market = session.market
    if market is None:
        return []
    symbol = market.instrument.symbol
    found = [
        order
        for order in session.orders.open_orders(symbol)
        if order.side is side
        and order.price is not None
        and (
            price <= order.price < price + step
            if side is Side.BUY
            else price - step < order.price <= price
        )
    ]
    return sorted(found, key=lambda order: -order.created_ms)


def ladder(session: TradingSession, asks: int, bids: int, step: int) -> LadderView | None:
    """The best `asks` and `bids` levels grouped by `step` ticks (more of one side than
    the other where the ladder is scrolled into it)."""
    market = session.market
    if market is None:
        return None
    live_book = market.book
    book = live_book.book
    inst = market.instrument
    own = own_levels(session.orders.resting.prices(inst.symbol), market, step)

    def levels(side: Side, depth: int) -> tuple[LadderLevel, ...]:
        out, total = [], 0
        for ticks, lots in book.grouped(side, step, depth):
            total += lots
            out.append(
                LadderLevel(
                    book.prices.value(ticks),
                    book.sizes.value(lots),
                    book.sizes.value(total),
                    (side, ticks) in own,
                )
            )
        return tuple(out)

    stale = ""
    if live_book.state is not BookState.LIVE:
        stale = f"{live_book.state.value} · " + (
            "venue silent" if live_book.silent else "resynchronising"
        )
        if live_book.malformed:
            stale += f" · {live_book.malformed} malformed"
    ask_levels, bid_levels = levels(Side.SELL, asks), levels(Side.BUY, bids)
    live = live_book.state is BookState.LIVE
    return LadderView(
        ask_levels,
        bid_levels,
        places(inst.tick_size * step),
        places(inst.lot_size),
        places(inst.tick_size),
        None if book.spread is None else book.spread * inst.tick_size,
        book.mid,
        inst.tick_size * step,
        live,
        stale,
        live and len(ask_levels) < asks,
        live and len(bid_levels) < bids,
        inst.tick_size,
    )


class Ladders:
    """A session's ladder views, each built again only when what it reads moved: the book
    (its version), where the trader's orders rest (theirs), the levels asked for a side or
    the step. A frame asks twenty times a second; a book changes at its venue's cadence
    (Binance's every 100 ms), and a still one not at all."""

    def __init__(self, session: TradingSession) -> None:
        self.session = session
        self._kept: tuple[Market | None, tuple[int, ...], LadderView | None] | None = None

    def __call__(self, asks: int, bids: int, step: int) -> LadderView | None:
        session = self.session
        market = session.market
        book = -1 if market is None else market.book.version
        reads = (book, session.orders.resting.version, asks, bids, step)
        kept = self._kept
        if kept is None or kept[0] is not market or kept[1] != reads:
            kept = self._kept = (market, reads, ladder(session, asks, bids, step))
        return kept[2]


# -- orders ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class OrdersView:
    """The orders to list, by client order id; equal to another when the orders' version,
    the second (for ages) and the listing are the same: the panel diffs rows itself."""

    version: int
    second: int
    history: bool
    orders: Mapping[str, Order]
    open_count: int
    orphans: frozenset[str]
    places: Mapping[str, tuple[int, int]]
    """Each symbol's (price, size) decimal places."""
    fees: Mapping[str, Mapping[str, Decimal]]
    """The fees each order paid, by asset (with the ended orders only: the open ones'
    columns have none, and a frame need not copy them)."""

    def _key(self) -> tuple[int, int, bool]:
        return (self.version, self.second, self.history)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrdersView) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


def orders(session: TradingSession, history: bool, now: float) -> OrdersView:
    book = session.orders
    open_orders = book.open_orders()
    listed = dict(book.orders) if history else {o.client_order_id: o for o in open_orders}
    return OrdersView(
        book.version,
        int(now) if open_orders else 0,
        history,
        listed,
        len(open_orders),
        frozenset(book.orphans),
        {s: (places(i.tick_size), places(i.lot_size)) for s, i in session.instruments.items()},
        dict(book.fees) if history else {},
    )


# -- the ticket ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The ticket's fields as the trader left them, before any rule."""

    side: Side
    order_type: OrderType
    time_in_force: TimeInForce
    price: Decimal | None
    size: Decimal | None
    size_in_quote: bool
    trigger: Decimal | None = None
    oco: bool = False
    """A stop at market with a post-only limit at `price` beside it, one cancelling the
    other."""


@dataclass(frozen=True)
class TicketView:
    instrument: Instrument
    order_types: frozenset[OrderType]
    oco: bool
    """The venue takes one-cancels-other pairs."""
    ticket: Ticket
    verdict: Verdict
    best_bid: Decimal | None
    best_ask: Decimal | None
    book: BookState
    paused: str | None
    quote_places: int


def as_ticket(session: TradingSession, draft: Draft) -> Ticket | None:
    """The order a draft means: a size in the quote asset becomes a base quantity on the
    lot, at the limit price, for a market order at the best opposite price (the quote
    amount is then sent as is where the venue sizes market orders in quote), for a stop or
    take-profit at market at its trigger."""
    market = session.market
    if market is None:
        return None
    lot = market.instrument.lot_size
    market_order = not draft.order_type.priced
    price = None if market_order else draft.price
    oco_price = draft.price if draft.oco else None
    size = draft.size
    qty, quote_qty = size, None
    if draft.size_in_quote:
        reference = price
        if draft.order_type is OrderType.MARKET:
            reference = session.best(draft.side.opposite)
        elif market_order:  # a stop or take-profit at market: at its trigger
            reference = draft.trigger
        qty = None if size is None or not reference else _floor(size / reference, lot)
        quote_qty = size if draft.order_type is OrderType.MARKET else None
    trigger = draft.trigger if draft.order_type.triggered else None
    return Ticket(
        draft.side,
        draft.order_type,
        draft.time_in_force,
        price,
        qty,
        quote_qty,
        trigger,
        oco_price,
    )


def ticket(session: TradingSession, draft: Draft) -> TicketView | None:
    market = session.market
    order = as_ticket(session, draft)
    if market is None or order is None:
        return None
    return TicketView(
        market.instrument,
        frozenset(session.venue.capabilities.order_types),
        session.venue.capabilities.oco,
        order,
        session.check(order),
        session.best(Side.BUY),
        session.best(Side.SELL),
        market.book.state,
        session.paused,
        places(market.instrument.tick_size) + 2,
    )


def in_other_unit(size: Decimal, price: Decimal, instrument: Instrument, to_quote: bool) -> Decimal:
    """A ticket's size switched between base and quote at `price`, worth no more than it was:
    0.001 BTC at 65,000.00 is 65.00 USDT, and 65.00 USDT is 0.001 BTC (down to the lot)."""
    if to_quote:
        return _floor(size * price, instrument.tick_size)
    return _floor(size / price, instrument.lot_size)


def _floor(value: Decimal, increment: Decimal) -> Decimal:
    return (value // increment * increment).quantize(increment)
