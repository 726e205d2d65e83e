"""Candles of every interval, built from the engine's prints.

Binance-style klines need history the moment a client connects, so a new simulator
backfills a seeded random walk ending at each symbol's opening price; live prints then
extend it. Periods with no print get a flat candle at the last close, as venues do.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, replace
from decimal import Decimal

from console.model import Side
from console.sim.engine import Event, TradePrinted

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

    def merge(self, later: Bar) -> None:
        """Extend this bar by a later, shorter one that falls inside it."""
        self.high = max(self.high, later.high)
        self.low = min(self.low, later.low)
        self.close = later.close
        self.volume += later.volume
        self.quote_volume += later.quote_volume
        self.trades += later.trades
        self.taker_buy_volume += later.taker_buy_volume
        self.taker_buy_quote += later.taker_buy_quote


def flat_bar(open_ms: int, price: Decimal) -> Bar:
    zero = Decimal(0)
    return Bar(open_ms, price, price, price, price, zero, zero, 0, zero, zero)


class CandleStore:
    """Bars per symbol and interval, oldest first, the last one still open."""

    def __init__(self) -> None:
        self.series: dict[tuple[str, str], deque[Bar]] = {}

    def bars(self, symbol: str, interval: str) -> deque[Bar]:
        return self.series.setdefault((symbol, interval), deque(maxlen=KEEP))

    def backfill(
        self,
        symbol: str,
        end_ms: int,
        price: Decimal,
        tick: Decimal,
        rng: random.Random,
        minutes: int = 3 * 24 * 60,
    ) -> None:
        """Write a seeded walk of one-minute bars ending at `price`, then roll it up."""
        closes = [price]
        for _ in range(minutes - 1):
            step = Decimal(round(rng.gauss(0, 0.0008), 6))
            closes.append(max(tick, (closes[-1] * (1 - step)).quantize(tick)))
        closes.reverse()
        first_open = (end_ms // 60_000 - minutes) * 60_000
        previous = closes[0]
        for i, close in enumerate(closes):
            wiggle = abs(close - previous) / 2 + close * Decimal("0.0003")
            high = (max(previous, close) + wiggle * Decimal(rng.random())).quantize(tick)
            low = (min(previous, close) - wiggle * Decimal(rng.random())).quantize(tick)
            volume = Decimal(rng.randint(1_000, 200_000)) / 1000
            bar = Bar(
                first_open + i * 60_000,
                previous,
                high,
                max(tick, low),
                close,
                volume,
                (volume * close).quantize(tick),
                rng.randint(20, 900),
                (volume / 2).quantize(Decimal("0.001")),
                (volume * close / 2).quantize(tick),
            )
            for interval in INTERVAL_MS:
                self._roll_in(symbol, interval, bar)
            previous = close

    def _roll_in(self, symbol: str, interval: str, bar: Bar) -> None:
        bars = self.bars(symbol, interval)
        open_ms = bar.open_ms - bar.open_ms % INTERVAL_MS[interval]
        if bars and bars[-1].open_ms == open_ms:
            bars[-1].merge(bar)
        else:
            bars.append(replace(bar, open_ms=open_ms))

    def current(self, symbol: str, interval: str, now_ms: int) -> Bar | None:
        """The open bar at `now_ms`, rolling flat bars over quiet periods."""
        bars = self.bars(symbol, interval)
        if not bars:
            return None
        self._advance(bars, interval, now_ms)
        return bars[-1]

    def on_event(self, event: Event) -> None:
        if not isinstance(event, TradePrinted):
            return
        for interval in INTERVAL_MS:
            bars = self.bars(event.symbol, interval)
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
