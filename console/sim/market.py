"""Seeded synthetic order flow, so the simulated book and tape move like a live market.

A market-making account quotes around a drifting mid, cancels stale quotes and now and then
takes liquidity; every so often a burst multiplies the rate for a moment. The same seed
gives the same sequence of engine calls, which is what snapshot tests rely on.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import random
from dataclasses import dataclass, replace
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
    activity: float = 1.0
    """Its share of the market's events, against the other listings'."""


QUOTE_SCALE = {"USDT": Decimal(1), "BTC": Decimal("0.000015")}
"""What one unit of each quote asset is worth in USDT, roughly: minimum order values, the
largest order and a market maker's typical quote follow it."""


def _listing(
    symbol: str, base: str, quote: str, tick: str, lot: str, price: str, activity: float
) -> Listing:
    """A spot pair as a venue lists it: its tick, lot and price scale; `activity` is its
    share of the flow (the majors trade most)."""
    scale, opening = QUOTE_SCALE[quote], Decimal(price)
    lot_size = Decimal(lot)
    most = max(Decimal(9000), (Decimal(9_000_000) / opening) // lot_size * lot_size)
    return Listing(
        Instrument(
            symbol,
            base,
            quote,
            Decimal(tick),
            lot_size,
            lot_size,
            most,
            5 * scale,
            Decimal(tick),
            Decimal(1_000_000),
            9_000_000 * scale,
        ),
        opening,
        activity,
    )


LISTINGS = [
    _listing("BTCUSDT", "BTC", "USDT", "0.01", "0.00001", "65000.00", 30),
    _listing("ETHUSDT", "ETH", "USDT", "0.01", "0.0001", "3400.00", 15),
    _listing("SOLUSDT", "SOL", "USDT", "0.01", "0.001", "150.00", 8),
    _listing("BNBUSDT", "BNB", "USDT", "0.01", "0.001", "580.00", 4),
    _listing("XRPUSDT", "XRP", "USDT", "0.0001", "0.1", "0.5200", 4),
    _listing("DOGEUSDT", "DOGE", "USDT", "0.00001", "1", "0.12000", 4),
    _listing("ADAUSDT", "ADA", "USDT", "0.0001", "0.1", "0.4500", 2),
    _listing("TRXUSDT", "TRX", "USDT", "0.00001", "0.1", "0.12000", 2),
    _listing("AVAXUSDT", "AVAX", "USDT", "0.01", "0.01", "35.00", 2),
    _listing("LINKUSDT", "LINK", "USDT", "0.01", "0.01", "14.00", 2),
    _listing("DOTUSDT", "DOT", "USDT", "0.001", "0.01", "6.500", 2),
    _listing("LTCUSDT", "LTC", "USDT", "0.01", "0.001", "80.00", 2),
    _listing("BCHUSDT", "BCH", "USDT", "0.1", "0.001", "450.0", 1),
    _listing("SHIBUSDT", "SHIB", "USDT", "0.00000001", "1", "0.00001800", 2),
    _listing("UNIUSDT", "UNI", "USDT", "0.001", "0.01", "9.000", 1),
    _listing("ATOMUSDT", "ATOM", "USDT", "0.001", "0.01", "8.000", 1),
    _listing("XLMUSDT", "XLM", "USDT", "0.00001", "1", "0.11000", 1),
    _listing("NEARUSDT", "NEAR", "USDT", "0.001", "0.1", "5.000", 1),
    _listing("APTUSDT", "APT", "USDT", "0.01", "0.01", "8.50", 1),
    _listing("ARBUSDT", "ARB", "USDT", "0.0001", "0.1", "1.1000", 1),
    _listing("OPUSDT", "OP", "USDT", "0.001", "0.01", "2.200", 1),
    _listing("SUIUSDT", "SUI", "USDT", "0.0001", "0.1", "1.0000", 1),
    _listing("ETHBTC", "ETH", "BTC", "0.00001", "0.0001", "0.05231", 3),
    _listing("BNBBTC", "BNB", "BTC", "0.000001", "0.001", "0.008923", 1),
    _listing("SOLBTC", "SOL", "BTC", "0.0000001", "0.001", "0.0023080", 1),
]
"""A venue's worth of pairs, each with its own tick, lot and price scale: a few majors
that trade most, a long tail, and three priced in BTC (`sim --symbols all`)."""
MAJORS = LISTINGS[:3]
"""What the simulator lists unless asked for more: BTCUSDT, ETHUSDT and SOLUSDT."""


SHIFTS_BP = (0, 4, -3, 7, -6)
"""How far apart several simulated venues' markets open, in basis points, in the order
listed: the same pairs, a little dearer or cheaper on each."""


def shifted(listings: list[Listing], basis_points: int) -> list[Listing]:
    """The same pairs opening `basis_points` away, on their ticks: another venue's market
    of them, which a flow of the same seed moves in step with the first."""
    factor = 1 + Decimal(basis_points) / 10_000
    return [
        replace(
            listing,
            opening_price=(listing.opening_price * factor / listing.instrument.tick_size).quantize(
                Decimal(1)
            )
            * listing.instrument.tick_size,
        )
        for listing in listings
    ]


def chosen(symbols: str) -> list[Listing]:
    """The listings named in `symbols` (`BTCUSDT,ETHBTC`, in the order given), or `all`."""
    if symbols.strip().lower() == "all":
        return list(LISTINGS)
    by_symbol = {listing.instrument.symbol: listing for listing in LISTINGS}
    names = [name.strip().upper() for name in symbols.split(",") if name.strip()]
    unknown = [name for name in names if name not in by_symbol]
    if unknown or not names:
        named = ", ".join(unknown) if unknown else repr(symbols)
        raise ValueError(f"no simulated symbol {named}; the simulator lists {', '.join(by_symbol)}")
    return [by_symbol[name] for name in names]


TAKE_SHARE = 0.06
"""The share of book events that take liquidity and print trades."""
DEEP_LEVELS = 1000
"""Resting orders a side beyond the touch, out to `DEEP_SPAN` of the price."""
DEEP_SPAN = Decimal("0.05")
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
        # A level's size in lots so a typical quote is worth a few thousand USDT.
        worth = 2000 * QUOTE_SCALE[listing.instrument.quote]
        self.typical_lots = max(1, int(worth / listing.opening_price / listing.instrument.lot_size))
        self.spread_ticks = max(1, self.mid_ticks // 100_000)

    def seed_book(self, levels: int = 60, deep: int = 0) -> None:
        """Quotes at the touch that the flow moves, and `deep` resting orders a side out to
        `DEEP_SPAN` of the price that it leaves alone, thinning with distance, as a real
        venue's book reaches thousands of levels over several percent."""
        for depth in range(levels):
            for side in Side:
                self._quote(side, depth + self.rng.randint(0, 2))
        near = self.spread_ticks + levels + 3
        far = int(self.mid_ticks * DEEP_SPAN)
        if far <= near:
            return
        rng = random.Random(f"deep:{self.instrument.symbol}")  # the flow's own stays as it was
        least = self._min_lots(max(1, self.mid_ticks - self.spread_ticks - far))  # the lowest bid
        typical, quotes = self.typical_lots, []
        for _ in range(deep):
            for side in Side:
                offset = self.spread_ticks + near + int((far - near) * rng.random() ** 2)
                ticks = self.mid_ticks - offset if side is Side.BUY else self.mid_ticks + offset
                lots = int(typical * (0.2 + 3 * rng.random() ** 3))  # many small, a few large
                quotes.append((side, ticks, max(1, least, lots)))
        self.engine.lay_depth(MARKET_ACCOUNT, self.instrument.symbol, quotes)

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
        depth: int = 0,
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
        self._shares = list(itertools.accumulate(listing.activity for listing in listings))
        for flow in self.flows:
            flow.seed_book(deep=depth)
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
        """`count` events, each on a symbol drawn by its share of the activity."""
        flows, shares, random_ = self.flows, self._shares, self.rng.random
        total = shares[-1]
        for _ in range(count):
            flows[bisect.bisect(shares, random_() * total)].step()

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
