"""L2 order book on integer ticks and lots.

Each side is a dict from price in ticks to size in lots, plus a sorted list of its prices
(bids stored negated, so index 0 is always the best level on both sides). A level change
is a dict write plus, only when a level appears or disappears, one bisect and a list
insert or delete: reading the top of the book never sorts anything.

Venue prices arrive as decimal text and are turned into ticks by `Scale.parse`, which
works on the digits, so neither float rounding nor Decimal arithmetic touches the hot path.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from console.model import BookDelta, BookSnapshot, Level, Side

PARSE_CACHE_LIMIT = 65_536


class Scale:
    """Exact conversion between decimal text and integer multiples of an increment.

    A book sees the same price text again and again, so parsed values are kept in a
    bounded cache: a repeat costs one dict lookup instead of the digit work.
    """

    __slots__ = ("_cache", "decimals", "increment", "rounding", "step_units")

    def __init__(self, increment: Decimal | str, rounding: str | None = None) -> None:
        """`rounding` (a `decimal` rounding mode) is the venue's rule for values finer than
        the increment: None refuses them (Binance sends sizes in whole lots); Huobi sends
        sizes like 14.909733438479636, which round half-even to the increment shown."""
        increment = Decimal(increment)
        if increment <= 0:
            raise ValueError(f"increment must be positive, got {increment}")
        exponent = increment.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        self.decimals = max(0, -exponent)
        self.increment = increment
        self.rounding = rounding
        self.step_units = int(increment.scaleb(self.decimals))
        self._cache: dict[str, int] = {}

    def parse(self, text: str) -> int:
        """Return `text` as a whole number of increments; refuse anything off the grid."""
        steps = self._cache.get(text)
        if steps is None:
            steps = self._parse(text)
            if len(self._cache) >= PARSE_CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = steps
        return steps

    def _parse(self, text: str) -> int:
        if "e" in text or "E" in text:
            return self._exact(text)  # a JSON number in exponent form, such as 1e-08
        whole, _, frac = text.partition(".")
        if len(frac) == self.decimals and self.step_units == 1:  # the usual case, as sent
            try:
                return int(whole + frac)
            except ValueError:
                raise ValueError(f"{text!r} is not a decimal number") from None
        if len(frac) > self.decimals:
            extra = frac[self.decimals :]
            if extra.strip("0"):
                if self.rounding is None:
                    raise ValueError(f"{text!r} has more precision than {self.increment}")
                return self._rounded(text)
            frac = frac[: self.decimals]
        try:
            units = int(whole + frac.ljust(self.decimals, "0"))
        except ValueError:
            raise ValueError(f"{text!r} is not a decimal number") from None
        steps, remainder = divmod(units, self.step_units)
        if remainder:
            raise ValueError(f"{text!r} is not a multiple of {self.increment}")
        return steps

    def parse_all(self, texts: Iterable[str]) -> list[int]:
        """Many values at once (a snapshot's), read straight from their digits when they
        have exactly the increment's decimals, without filling the cache."""
        decimals = self.decimals if self.step_units == 1 else -1
        values = []
        for text in texts:
            whole, _, frac = text.partition(".")
            if len(frac) == decimals:
                try:
                    values.append(int(whole + frac))
                    continue
                except ValueError:
                    pass  # parse() words the refusal
            values.append(self.parse(text))
        return values

    def _rounded(self, text: str) -> int:
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a decimal number") from None
        return int((value / self.increment).quantize(Decimal(1), rounding=self.rounding))

    def _exact(self, text: str) -> int:
        """A value in any decimal form, off the grid only by the venue's rounding rule."""
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a decimal number") from None
        if not value.is_finite():
            raise ValueError(f"{text!r} is not a decimal number")
        steps, remainder = divmod(value, self.increment)
        if remainder:
            if self.rounding is None:
                raise ValueError(f"{text!r} has more precision than {self.increment}")
            return self._rounded(text)
        return int(steps)

    def of(self, value: Decimal) -> int:
        """Whole increments in `value`, refusing a value off the grid."""
        steps, remainder = divmod(value, self.increment)
        if remainder:
            raise ValueError(f"{value} is not a multiple of {self.increment}")
        return int(steps)

    def value(self, steps: int) -> Decimal:
        return (self.increment * steps).quantize(self.increment)


class ApplyResult(enum.Enum):
    APPLIED = "applied"
    IGNORED = "ignored"
    """Already covered by what the book holds (an old or duplicate delta)."""
    GAP = "gap"
    """Updates are missing between the book and this delta; it was not applied."""
    CORRUPT = "corrupt"
    """Applied, and the book then failed the venue's checksum: it is not the venue's."""


@dataclass(frozen=True)
class Integrity:
    """How a venue proves its book's changes arrive whole: the continuity rule its update
    ids follow and, where it sends one, the checksum of the book after a change."""

    chained: bool = False
    """Each change names the update before it (Huobi's prevSeqNum), rather than spanning
    update ids from the one after the book's (Binance's U..u)."""
    checksum: Callable[[OrderBook], int] | None = None
    """The venue's checksum of a book (OKX's CRC32 of its top levels), compared with the
    one a change carries (`BookDelta.checksum`)."""

    def follows(self, last: int, delta: BookDelta) -> ApplyResult:
        """APPLIED when `delta` continues a book at update `last`, or why not."""
        if delta.last_update_id <= last:
            return ApplyResult.IGNORED
        if self.chained:
            continues = delta.prev_update_id == last
        else:
            continues = delta.first_update_id <= last + 1
        return ApplyResult.APPLIED if continues else ApplyResult.GAP

    def too_old(self, snapshot: BookSnapshot, first: BookDelta) -> bool:
        """A snapshot older than the first buffered change can never be continued by it (a
        chained venue's changes say for themselves, one by one)."""
        return not self.chained and snapshot.last_update_id < first.first_update_id - 1

    def intact(self, book: OrderBook, delta: BookDelta) -> bool:
        return (
            self.checksum is None
            or delta.checksum is None
            or self.checksum(book) == (delta.checksum)
        )


SPANNED = Integrity()
"""Binance's rule (and WEEX's, whose books are snapshots): U..u spans the book's next id."""


class BookSide:
    """One side of the book: size by price, and the prices kept in best-first order."""

    __slots__ = ("_keys", "_sign", "sizes")

    def __init__(self, side: Side) -> None:
        self.sizes: dict[int, int] = {}
        self._keys: list[int] = []
        self._sign = -1 if side is Side.BUY else 1

    def set(self, ticks: int, lots: int) -> None:
        """Set a level's absolute size; 0 removes it (removing an absent level is normal)."""
        sizes = self.sizes
        if lots:
            if ticks not in sizes:
                key = ticks * self._sign
                keys = self._keys
                keys.insert(bisect_left(keys, key), key)
            sizes[ticks] = lots
        elif ticks in sizes:
            del sizes[ticks]
            key = ticks * self._sign
            keys = self._keys
            del keys[bisect_left(keys, key)]

    def clear(self) -> None:
        self.sizes.clear()
        self._keys.clear()

    def replace(self, sizes: dict[int, int]) -> None:
        """Hold exactly `sizes` (no zero sizes), sorting the prices once."""
        self.sizes = sizes
        self._keys = sorted(ticks * self._sign for ticks in sizes)

    def best(self) -> int | None:
        return self._keys[0] * self._sign if self._keys else None

    def prices(self, n: int | None = None) -> list[int]:
        """Up to `n` prices (all when None), best first."""
        keys = self._keys if n is None else self._keys[:n]
        sign = self._sign
        return [key * sign for key in keys]

    def top(self, n: int) -> list[tuple[int, int]]:
        sizes = self.sizes
        return [(ticks, sizes[ticks]) for ticks in self.prices(n)]

    def __len__(self) -> int:
        return len(self._keys)


class OrderBook:
    """A venue's book for one symbol, kept exact and checked for continuity."""

    def __init__(
        self,
        symbol: str,
        tick_size: Decimal | str,
        lot_size: Decimal | str,
        size_rounding: str | None = None,
        integrity: Integrity = SPANNED,
    ) -> None:
        self.symbol = symbol
        self.integrity = integrity
        self.prices = Scale(tick_size)
        self.sizes = Scale(lot_size, size_rounding)
        self.bids = BookSide(Side.BUY)
        self.asks = BookSide(Side.SELL)
        self.last_update_id: int | None = None

    def side(self, side: Side) -> BookSide:
        return self.bids if side is Side.BUY else self.asks

    # -- feeding -------------------------------------------------------------------------

    def load_snapshot(self, snapshot: BookSnapshot) -> None:
        """Replace the whole book; the snapshot's id becomes the point deltas continue from.
        Each side is parsed into a dict and sorted once, not inserted level by level."""
        for side, levels in ((self.bids, snapshot.bids), (self.asks, snapshot.asks)):
            ticks = self.prices.parse_all([level.price for level in levels])
            lots = self.sizes.parse_all([level.qty for level in levels])
            sizes = dict(zip(ticks, lots, strict=True))  # a repeated price: the last wins
            side.replace({t: q for t, q in sizes.items() if q})
        self.last_update_id = snapshot.last_update_id

    def apply(self, delta: BookDelta) -> ApplyResult:
        """Apply a delta only if it continues the book exactly; report a gap otherwise."""
        last = self.last_update_id
        if last is None:
            return ApplyResult.GAP
        verdict = self.integrity.follows(last, delta)
        if verdict is not ApplyResult.APPLIED:
            return verdict
        self._set_levels(self.bids, delta.bids)
        self._set_levels(self.asks, delta.asks)
        self.last_update_id = delta.last_update_id
        if not self.integrity.intact(self, delta):
            self.last_update_id = None
            return ApplyResult.CORRUPT
        return ApplyResult.APPLIED

    def invalidate(self) -> None:
        """Forget continuity so no delta applies until the next snapshot."""
        self.last_update_id = None

    def _set_levels(self, side: BookSide, levels: Iterable[Level]) -> None:
        """The hot path of every update, written out in one loop (`BookSide.set` and
        `Scale.parse` inlined): a price seen before is one dict lookup in `Scale`'s cache;
        a size, new text almost every time, is read straight from its digits when it has
        exactly the lot's decimals (as Binance sends it), and by `Scale.parse` otherwise."""
        prices, sizes = self.prices, self.sizes
        known_prices = prices._cache
        lot_decimals = sizes.decimals if sizes.step_units == 1 else -1
        book, keys, sign = side.sizes, side._keys, side._sign
        for level in levels:
            ticks = known_prices.get(level.price)
            if ticks is None:
                ticks = prices.parse(level.price)
            qty = level.qty
            whole, _, frac = qty.partition(".")
            if len(frac) == lot_decimals:
                try:
                    lots = int(whole + frac)
                except ValueError:  # another form (an exponent), or not a number at all
                    lots = sizes.parse(qty)
            else:
                lots = sizes.parse(qty)
            if lots:
                if ticks not in book:
                    key = ticks * sign
                    keys.insert(bisect_left(keys, key), key)
                book[ticks] = lots
            elif ticks in book:
                del book[ticks]
                del keys[bisect_left(keys, ticks * sign)]

    # -- reading -------------------------------------------------------------------------

    @property
    def best_bid(self) -> int | None:
        return self.bids.best()

    @property
    def best_ask(self) -> int | None:
        return self.asks.best()

    @property
    def spread(self) -> int | None:
        """Best ask minus best bid, in ticks."""
        bid, ask = self.best_bid, self.best_ask
        return None if bid is None or ask is None else ask - bid

    @property
    def mid(self) -> Decimal | None:
        bid, ask = self.best_bid, self.best_ask
        if bid is None or ask is None:
            return None
        return (self.prices.value(bid) + self.prices.value(ask)) / 2

    @property
    def is_crossed(self) -> bool:
        bid, ask = self.best_bid, self.best_ask
        return bid is not None and ask is not None and bid >= ask

    def top(self, side: Side, n: int) -> list[tuple[int, int]]:
        """The best `n` levels as (ticks, lots)."""
        return self.side(side).top(n)

    def depth(self, side: Side, n: int) -> list[tuple[int, int, int]]:
        """The best `n` levels with the cumulative size from the top: (ticks, lots, cum)."""
        cumulative = 0
        rows = []
        for ticks, lots in self.side(side).top(n):
            cumulative += lots
            rows.append((ticks, lots, cumulative))
        return rows

    def grouped(self, side: Side, step: int, n: int) -> list[tuple[int, int]]:
        """The best `n` buckets of `step` ticks: bids round down, asks round up.

        Rounding away from the spread keeps a grouped bid at or below every price in it and a
        grouped ask at or above, so grouping never makes the market look tighter than it is.
        """
        if step < 1:
            raise ValueError("grouping step must be at least one tick")
        book_side = self.side(side)
        sizes, sign = book_side.sizes, book_side._sign
        buckets: list[tuple[int, int]] = []
        bucket_price: int | None = None
        bucket_size = 0
        for key in book_side._keys:  # best first, read lazily: n buckets rarely need all
            ticks = key * sign
            price = ticks - ticks % step if side is Side.BUY else -(-ticks // step) * step
            if price != bucket_price:
                if bucket_price is not None:
                    buckets.append((bucket_price, bucket_size))
                    if len(buckets) == n:
                        return buckets
                bucket_price, bucket_size = price, 0
            bucket_size += sizes[ticks]
        if bucket_price is not None and len(buckets) < n:
            buckets.append((bucket_price, bucket_size))
        return buckets

    def snapshot(self, limit: int | None = None) -> BookSnapshot:
        """The book as decimal text, as a venue would send it."""
        return BookSnapshot(
            symbol=self.symbol,
            last_update_id=self.last_update_id or 0,
            bids=self._levels(self.bids, limit),
            asks=self._levels(self.asks, limit),
        )

    def _levels(self, side: BookSide, limit: int | None) -> list[Level]:
        price, size = self.prices.value, self.sizes.value
        return [
            Level(str(price(ticks)), str(size(side.sizes[ticks]))) for ticks in side.prices(limit)
        ]
