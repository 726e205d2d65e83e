"""Seeded synthetic order flow, so the simulated book and tape move like a live market.

A market-making account quotes around a drifting mid, cancels stale quotes and now and then
takes liquidity; every so often a burst multiplies the rate for a moment. The same seed
gives the same sequence of engine calls, which is what snapshot tests rely on.
"""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from console.model import Instrument, OrderType, Side
from console.sim.engine import Engine
from console.sim.state import EngineOrder, Reject

MARKET_ACCOUNT = "market"
MARKET_DEPOSIT = Decimal(10) ** 12


@dataclass(frozen=True, slots=True)
class Listing:
    """An instrument of the simulator with the price its market opens at."""

    instrument: Instrument
    opening_price: Decimal


def _listing(symbol: str, base: str, tick: str, lot: str, min_qty: str, price: str) -> Listing:
    return Listing(
        Instrument(
            symbol,
            base,
            "USDT",
            Decimal(tick),
            Decimal(lot),
            Decimal(min_qty),
            Decimal(9000),
            Decimal(5),
            Decimal(tick),
            Decimal(1_000_000),
            Decimal(9_000_000),
        ),
        Decimal(price),
    )


LISTINGS = [
    _listing("BTCUSDT", "BTC", "0.01", "0.00001", "0.00001", "65000.00"),
    _listing("ETHUSDT", "ETH", "0.01", "0.0001", "0.0001", "3400.00"),
    _listing("SOLUSDT", "SOL", "0.01", "0.001", "0.001", "150.00"),
]


TAKE_SHARE = 0.06
"""The share of book events that take liquidity and print trades."""
MIN_QUOTES, MAX_QUOTES = 40, 300
"""The market maker's resting quotes per symbol: enough for a deep book, never more."""


class SymbolFlow:
    """The order flow of one symbol: its mid, its quotes and its random choices."""

    def __init__(
        self, engine: Engine, listing: Listing, rng: random.Random, take_share: float = TAKE_SHARE
    ) -> None:
        self.engine = engine
        self.take_share = take_share
        self.instrument = listing.instrument
        self.rng = rng
        self.tick = listing.instrument.tick_size
        self.mid_ticks = int(listing.opening_price / self.tick)
        self.quotes: list[EngineOrder] = []
        # A level's size in lots so a typical quote is worth a few thousand quote units.
        self.typical_lots = max(
            1, int(Decimal(2000) / listing.opening_price / listing.instrument.lot_size)
        )
        self.spread_ticks = max(1, self.mid_ticks // 100_000)

    def seed_book(self, levels: int = 60) -> None:
        for depth in range(levels):
            for side in Side:
                self._quote(side, depth + self.rng.randint(0, 2))

    def step(self) -> None:
        """One book event: mostly quotes and cancels, sometimes a take. Takes keep their
        share however many quotes rest, and the maker's resting quotes stay under a cap,
        so the market trades and stays bounded for as long as it runs."""
        self.mid_ticks = max(10, self.mid_ticks + round(self.rng.gauss(0, 0.35)))
        roll = self.rng.random()
        if roll < self.take_share:
            self._take()
            return
        if len(self.quotes) >= MAX_QUOTES:
            self.quotes = [q for q in self.quotes if q.is_open]
        if len(self.quotes) < MIN_QUOTES or (roll < 0.55 and len(self.quotes) < MAX_QUOTES):
            side = Side.BUY if self.rng.random() < 0.5 else Side.SELL
            self._quote(side, int(self.rng.expovariate(0.15)))
        else:
            self._cancel_one()

    def _quote(self, side: Side, distance: int) -> None:
        offset = self.spread_ticks + distance
        ticks = self.mid_ticks - offset if side is Side.BUY else self.mid_ticks + offset
        lots = max(1, int(self.typical_lots * self.rng.lognormvariate(0, 0.9)))
        lots = max(lots, self._min_lots(ticks))
        try:
            order, _ = self.engine.place(
                MARKET_ACCOUNT,
                self.instrument.symbol,
                side,
                OrderType.LIMIT,
                lots * self.instrument.lot_size,
                ticks * self.tick,
            )
        except Reject:
            return
        if order.is_open:
            self.quotes.append(order)

    def _min_lots(self, ticks: int) -> int:
        notional_per_lot = ticks * self.tick * self.instrument.lot_size
        return math.ceil(self.instrument.min_notional / notional_per_lot)

    def _cancel_one(self) -> None:
        """Cancel a quote: half the time a random one, otherwise the one farthest out."""
        self.quotes = (
            [q for q in self.quotes if q.is_open] if len(self.quotes) % 64 == 0 else self.quotes
        )
        if not self.quotes:
            return
        if self.rng.random() < 0.5:
            index = self.rng.randrange(len(self.quotes))
        else:
            index = max(
                range(min(len(self.quotes), 32)),
                key=lambda i: abs((self.quotes[i].price_ticks or 0) - self.mid_ticks),
            )
        order = self.quotes[index]
        self.quotes[index] = self.quotes[-1]
        self.quotes.pop()
        if order.is_open:
            self.engine.cancel(MARKET_ACCOUNT, order.symbol, order_id=order.order_id)

    def _take(self) -> None:
        book = self.engine.books[self.instrument.symbol].l2
        best_ask, best_bid = book.best_ask, book.best_bid
        # Lean the taker toward the side the mid has moved to, so prints follow the drift.
        buy_bias = (
            0.5
            if best_ask is None or best_bid is None
            else (0.75 if self.mid_ticks > (best_ask + best_bid) / 2 else 0.25)
        )
        side = Side.BUY if self.rng.random() < buy_bias else Side.SELL
        lots = max(1, int(self.typical_lots * self.rng.lognormvariate(-0.5, 1.0)))
        reference = best_ask if side is Side.BUY else best_bid
        if reference is None:
            return
        lots = max(lots, self._min_lots(reference))
        try:
            self.engine.place(
                MARKET_ACCOUNT,
                self.instrument.symbol,
                side,
                OrderType.MARKET,
                lots * self.instrument.lot_size,
            )
        except Reject:
            return


CHUNK = 5
"""Events produced between two turns of the simulator's loop: at 5,000 events a second,
chunks of 20 kept an order waiting up to 5-8 ms (the loop's lag, p99), chunks of 5 2-4 ms."""


class SyntheticMarket:
    """Drives every listed symbol at `rate` book events a second in total."""

    def __init__(
        self,
        engine: Engine,
        listings: list[Listing],
        seed: int = 1,
        rate: float = 50.0,
        take_share: float = TAKE_SHARE,
    ) -> None:
        self.engine = engine
        self.rng = random.Random(seed)
        self.rate = rate
        engine.open_account(
            MARKET_ACCOUNT,
            {
                asset: MARKET_DEPOSIT
                for listing in listings
                for asset in (listing.instrument.base, listing.instrument.quote)
            },
        )
        self.flows = [SymbolFlow(engine, listing, self.rng, take_share) for listing in listings]
        for flow in self.flows:
            flow.seed_book()
        self._burst_left = 0.0
        self._carry = 0.0

    def advance(self, seconds: float) -> int:
        """Produce the events `seconds` of flow hold; returns how many it produced."""
        count = self._due(seconds)
        self._step(count)
        return count

    def _due(self, seconds: float) -> int:
        """How many events `seconds` of flow hold, with a burst about every 20 s."""
        rate = self.rate
        if self._burst_left > 0:
            rate *= 6
            self._burst_left -= seconds
        elif self.rng.random() < seconds / 20:
            self._burst_left = self.rng.uniform(0.3, 1.5)
        due = rate * seconds + self._carry
        count = int(due)
        self._carry = due - count
        return count

    def _step(self, count: int) -> None:
        flows = self.flows
        for _ in range(count):
            flows[self.rng.randrange(len(flows))].step()

    async def run(self, tick_seconds: float = 0.02) -> None:
        """Advance on a wall-clock timer until cancelled, a chunk of events at a time: an
        order or a request that comes in meanwhile is served between chunks, as a venue's
        matching engine never waits for its market data to be sent."""
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(tick_seconds)
            now = loop.time()
            count = self._due(now - last)
            last = now
            while count > 0:
                chunk = min(count, CHUNK)
                self._step(chunk)
                count -= chunk
                if count:
                    await asyncio.sleep(0)
