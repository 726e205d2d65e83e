"""Candles of every interval, built from the engine's prints.

Binance-style klines need history the moment a client connects, so a new simulator
backfills a seeded random walk ending at each symbol's opening price; live prints then
extend it. Periods with no print get a flat candle at the last close, as venues do.

A symbol's walk and its minute bars are made when first asked for, or a slice at a time
beside the market once a client asks for any (`CandleStore.warming`): a ticker of every
symbol asked for later then finds each day made, rather than holding the orders that
arrive meanwhile behind some tens of milliseconds of walking.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from console.model import Side
from console.sim.state import Event, TradePrinted

INTERVAL_MS = {
    "1m": 60_000,
    "3m": 180_000,
    "5m": 300_000,
    "15m": 900_000,
    "30m": 1_800_000,
    "1h": 3_600_000,
    "2h": 7_200_000,
    "4h": 14_400_000,
    "6h": 21_600_000,
    "8h": 28_800_000,
    "12h": 43_200_000,
    "1d": 86_400_000,
}
KEEP = 1500
MINUTE_MS = INTERVAL_MS["1m"]
SLICE = 250
"""Minutes of a backfill walked between two looks at the loop while warming: about a
millisecond."""


@dataclass(slots=True)
class Bar:
    open_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal
    trades: int
    taker_buy_volume: Decimal
    taker_buy_quote: Decimal
    first_trade_id: int = -1
    last_trade_id: int = -1

    def add(self, price: Decimal, qty: Decimal, taker_side: Side, trade_id: int) -> None:
        if price > self.high:
            self.high = price
        if price < self.low:
            self.low = price
        self.close = price
        self.volume += qty
        self.quote_volume += price * qty
        self.trades += 1
        if taker_side is Side.BUY:
            self.taker_buy_volume += qty
            self.taker_buy_quote += price * qty
        if self.first_trade_id < 0:
            self.first_trade_id = trade_id
        self.last_trade_id = trade_id


MinuteBar = tuple[int, int, int, int, int, int, int]
"""open_ms, open, high, low, close (ticks), volume (thousandths), trades."""


def _rolled(minutes: list[MinuteBar], length: int, tick: Decimal) -> Bar:
    """One bar from consecutive one-minute bars."""
    volume = sum(m[5] for m in minutes)
    quote = sum(m[5] * m[4] for m in minutes)
    milli = Decimal("0.001")
    return Bar(
        open_ms=minutes[0][0] - minutes[0][0] % length,
        open=tick * minutes[0][1],
        high=tick * max(m[2] for m in minutes),
        low=tick * min(m[3] for m in minutes),
        close=tick * minutes[-1][4],
        volume=milli * volume,
        quote_volume=tick * milli * quote,
        trades=sum(m[6] for m in minutes),
        taker_buy_volume=milli * (volume // 2),
        taker_buy_quote=tick * milli * (quote // 2),
    )


def _minutes(minute_bars: list[MinuteBar], tick: Decimal) -> list[Bar]:
    """`minute_bars` as one-minute bars: what `_rolled` makes of each alone."""
    milli = Decimal("0.001")
    quote_unit = tick * milli
    return [
        Bar(
            open_ms,
            tick * opened,
            tick * high,
            tick * low,
            tick * close,
            milli * volume,
            quote_unit * (volume * close),
            trades,
            milli * (volume // 2),
            quote_unit * (volume * close // 2),
        )
        for open_ms, opened, high, low, close, volume, trades in minute_bars
    ]


def _roll(minute_bars: list[MinuteBar], length: int, tick: Decimal) -> list[Bar]:
    """The bars of `length` ms that the last of `minute_bars` make, as many as are kept."""
    if length == MINUTE_MS:
        return _minutes(minute_bars[-KEEP:], tick)
    rolled = []
    bucket: list[MinuteBar] = []
    for bar in minute_bars[-KEEP * (length // 60_000) :]:
        if bucket and bar[0] // length != bucket[0][0] // length:
            rolled.append(_rolled(bucket, length, tick))
            bucket = []
        bucket.append(bar)
    if bucket:
        rolled.append(_rolled(bucket, length, tick))
    return rolled


def flat_bar(open_ms: int, price: Decimal) -> Bar:
    zero = Decimal(0)
    return Bar(open_ms, price, price, price, price, zero, zero, 0, zero, zero)


@dataclass(slots=True, frozen=True)
class WindowStats:
    """A symbol's trading over a window of whole bars up to now: what tickers report."""

    open_ms: int
    close_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    last: Decimal
    volume: Decimal
    quote_volume: Decimal
    first_id: int
    last_id: int
    trades: int
    previous_close: Decimal


PENDING_MOST = 100_000
"""Prints kept per symbol for intervals not rolled yet; past it, every interval is rolled."""
MINUTE_WINDOWS_UP_TO_MS = 86_400_000
"""Windows up to a day are counted in minutes (so they open on a minute, as Binance's do);
longer ones in hours, as far back as the kept hours go."""


class CandleStore:
    """Bars per symbol and interval, oldest first, the last one still open."""

    def __init__(self) -> None:
        self.series: dict[tuple[str, str], deque[Bar]] = {}
        self._unrolled: dict[str, tuple[list[MinuteBar], Decimal]] = {}
        """Each symbol's backfilled minutes, rolled into an interval's bars only when that
        interval is first asked for: most runs never ask for most intervals."""
        self._unwalked: dict[str, Iterator[None]] = {}
        """Each symbol's backfill, walked when the symbol's bars are first asked for (or
        while warming): a venue's worth of symbols opens in a moment, and most are never
        charted."""
        self.asked = asyncio.Event()
        """Set when a client first asks for any bars: what starts the warming."""
        self._pending: dict[str, list[TradePrinted]] = {}
        """Each symbol's prints since the start, for the intervals not rolled yet: a print
        rolls nothing (25 symbols' first prints would roll every interval of each)."""

    def bars(self, symbol: str, interval: str) -> deque[Bar]:
        key = (symbol, interval)
        bars = self.series.get(key)
        if bars is None:
            self.asked.set()
            for _ in self._unwalked.get(symbol, ()):  # the rest of its walk
                pass
            rolled = []
            if symbol in self._unrolled:
                minutes, tick = self._unrolled[symbol]
                rolled = _roll(minutes, INTERVAL_MS[interval], tick)
            bars = self._begin(symbol, interval, rolled)
        return bars

    def _begin(self, symbol: str, interval: str, rolled: list[Bar]) -> deque[Bar]:
        """An interval's bars from its backfill and the prints since the start."""
        bars = self.series[(symbol, interval)] = deque(rolled, maxlen=KEEP)
        for event in self._pending.get(symbol, ()):
            self._add(bars, interval, event)
        if all((symbol, each) in self.series for each in INTERVAL_MS):
            self._pending.pop(symbol, None)  # every interval has its prints now
        return bars

    def warming(self) -> Iterator[None]:
        """Walk every symbol's backfill and roll its minute bars (which a day's ticker
        reads), yielding between slices of about a millisecond for the caller to let the
        loop run; a symbol asked for meanwhile is finished on the spot, as always."""
        for symbol in [*self._unrolled, *self._unwalked]:
            yield from self._unwalked.get(symbol, ())
            if (symbol, "1m") in self.series or symbol not in self._unrolled:
                continue
            minutes, tick = self._unrolled[symbol]
            kept, rolled = minutes[-KEEP:], []
            for start in range(0, len(kept), SLICE):
                yield
                rolled += _minutes(kept[start : start + SLICE], tick)
            if (symbol, "1m") not in self.series:  # not asked for meanwhile
                self._begin(symbol, "1m", rolled)

    def backfill(
        self,
        symbol: str,
        end_ms: int,
        price: Decimal,
        tick: Decimal,
        rng: random.Random,
        minutes: int = 2 * 24 * 60,
    ) -> None:
        """A seeded walk of one-minute bars ending at `price`, walked when the symbol's
        bars are first asked for (`rng` is the symbol's own, so when does not matter)."""
        for interval in INTERVAL_MS:
            self.series.pop((symbol, interval), None)
        self._unwalked[symbol] = self._walk(symbol, end_ms, price, tick, rng, minutes)

    def _walk(
        self,
        symbol: str,
        end_ms: int,
        price: Decimal,
        tick: Decimal,
        rng: random.Random,
        minutes: int,
    ) -> Iterator[None]:
        """The walk runs in whole ticks and thousandths of a unit of volume, so every bar is
        exact; each finished bar becomes Decimal once. It yields every `SLICE` minutes, and
        when walked to its end hands its minutes over to be rolled."""
        closes = [int(price / tick)]
        gauss, uniform = rng.gauss, rng.random  # random(): a C call, where randint is Python
        for step in range(1, minutes):
            closes.append(max(1, round(closes[-1] * (1 - gauss(0, 0.0008)))))
            if step % SLICE == 0:
                yield
        closes.reverse()
        first_open = (end_ms // 60_000 - minutes) * 60_000
        minute_bars = []
        previous = closes[0]
        for i, close in enumerate(closes):
            wiggle = abs(close - previous) // 2 + close // 3000
            high = max(previous, close) + int(wiggle * uniform())
            low = max(1, min(previous, close) - int(wiggle * uniform()))
            volume = 1_000 + int(uniform() * 199_001)
            trades = 20 + int(uniform() * 881)
            minute_bars.append(
                (first_open + i * 60_000, previous, high, low, close, volume, trades)
            )
            previous = close
            if i % SLICE == SLICE - 1:
                yield
        self._unrolled[symbol] = (minute_bars, tick)
        del self._unwalked[symbol]

    def current(self, symbol: str, interval: str, now_ms: int) -> Bar | None:
        """The open bar at `now_ms`, rolling flat bars over quiet periods."""
        bars = self.bars(symbol, interval)
        if not bars:
            return None
        self._advance(bars, interval, now_ms)
        return bars[-1]

    def window(self, symbol: str, start_ms: int, now_ms: int) -> WindowStats | None:
        """Statistics from the bar holding `start_ms` to the open bar at `now_ms`."""
        interval = "1m" if now_ms - start_ms <= MINUTE_WINDOWS_UP_TO_MS else "1h"
        if self.current(symbol, interval, now_ms) is None:
            return None
        length = INTERVAL_MS[interval]
        start = start_ms - start_ms % length
        bars = self.bars(symbol, interval)
        inside = [b for b in bars if b.open_ms >= start]
        before = [b for b in bars if b.open_ms < start]
        traded = [b for b in inside if b.trades and b.first_trade_id >= 0]
        first = inside[0]
        return WindowStats(
            open_ms=first.open_ms,
            close_ms=now_ms,
            open=first.open,
            high=max(b.high for b in inside),
            low=min(b.low for b in inside),
            last=inside[-1].close,
            volume=sum((b.volume for b in inside), Decimal(0)),
            quote_volume=sum((b.quote_volume for b in inside), Decimal(0)),
            first_id=traded[0].first_trade_id if traded else -1,
            last_id=traded[-1].last_trade_id if traded else -1,
            trades=sum(b.trades for b in inside),
            previous_close=before[-1].close if before else first.open,
        )

    def on_event(self, event: Event) -> None:
        """A print goes into the intervals rolled so far, and is kept for the others."""
        if not isinstance(event, TradePrinted):
            return
        symbol, rolled = event.symbol, 0
        for interval in INTERVAL_MS:
            bars = self.series.get((symbol, interval))
            if bars is not None:
                self._add(bars, interval, event)
                rolled += 1
        if rolled < len(INTERVAL_MS):
            pending = self._pending.setdefault(symbol, [])
            pending.append(event)
            if len(pending) > PENDING_MOST:  # rolled at last, rather than kept without end
                for interval in INTERVAL_MS:
                    self.bars(symbol, interval)

    def _add(self, bars: deque[Bar], interval: str, event: TradePrinted) -> None:
        if not bars:
            open_ms = event.time_ms - event.time_ms % INTERVAL_MS[interval]
            bars.append(flat_bar(open_ms, event.price))
        else:
            self._advance(bars, interval, event.time_ms)
        bars[-1].add(event.price, event.qty, event.taker_side, event.trade_id)

    @staticmethod
    def _advance(bars: deque[Bar], interval: str, now_ms: int) -> None:
        length = INTERVAL_MS[interval]
        open_ms = now_ms - now_ms % length
        while bars[-1].open_ms < open_ms:
            bars.append(flat_bar(bars[-1].open_ms + length, bars[-1].close))
