"""L2 order book on integer ticks and lots.

Each side is a dict from price in ticks to size in lots. Two ways to keep it in order:

- `BookSide` (the simulator's matching engine, which walks the book on every order) keeps
  a sorted list of its prices beside the dict (bids negated, so index 0 is the best on
  both sides): a level that appears or disappears is one bisect and one list insert.
- `FeedSide` (a venue's book as the console follows it, thousands of changes a second and
  read a few dozen times a second) keeps in order only a window of its best prices, where
  most changes land: a level that comes or goes there moves a short list, one further out
  is a dict write and a comparison; a read deeper than the window sorts what it reads.

Venue prices arrive as decimal text and are turned into ticks by `Scale.parse`, which
works on the digits, so neither float rounding nor Decimal arithmetic touches the hot path.
"""

from __future__ import annotations

import enum
import heapq
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from math import inf
from typing import Any, Generic, TypeVar

from console.model import BookDelta, BookSnapshot, Level, Side

PARSE_CACHE_LIMIT = 65_536
FEED_WINDOW = 256
"""How many of the best prices `FeedSide` keeps in order: a ladder's worth many times over."""
PARTIAL_SORT_SHARE = 8
"""`FeedSide` picks the best n prices without sorting the side when n is under 1/8 of it."""


class Scale:
    """Exact conversion between decimal text and integer multiples of an increment.

    A book sees the same price text again and again, so parsed values are kept in a
    bounded cache: a repeat costs one dict lookup instead of the digit work.
    """

    __slots__ = ("_alike", "_cache", "decimals", "increment", "rounding", "step_units")

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
        self._alike: dict[int, re.Pattern[str]] = {}

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

    def parse_all(self, texts: list[str]) -> list[int]:
        """Many values at once (a snapshot's). A venue writes a snapshot's values alike, with
        the increment's decimals and the same count of zeros past them (Binance pads sizes to
        eight places): when one pattern, in one pass over the joined text, finds every value
        so written, they are read in a few passes over that text, with no cache and no
        Python per value; else each is read alone."""
        if self.step_units == 1 and texts:
            first = texts[0]
            dot = first.find(".")
            places = len(first) - dot - 1 if dot >= 0 else 0
            joined = ",".join(texts) if places >= self.decimals else ""
            if (
                joined
                and joined.count(",") == len(texts) - 1  # no value holds a comma of its own
                and self._written_alike(places).fullmatch(joined)
            ):
                if places > self.decimals:  # the zeros past the increment, before each comma
                    past = "0" * (places - self.decimals)
                    joined = (joined + ",").replace(past + ",", ",")[:-1]
                return list(map(int, joined.replace(".", "").split(",")))
        return self._parse_each(texts)

    def _written_alike(self, places: int) -> re.Pattern[str]:
        """Comma-joined values of `places` decimals, only zeros past the increment's."""
        pattern = self._alike.get(places)
        if pattern is None:
            one = "[0-9]+"
            if places:
                one += rf"\.[0-9]{{{self.decimals}}}0{{{places - self.decimals}}}"
            pattern = self._alike[places] = re.compile(f"(?:{one},)*{one}")
        return pattern

    def _parse_each(self, texts: list[str]) -> list[int]:
        """Values read one by one from their digits when they have at most the increment's
        decimals (or only zeros past them: Binance pads sizes; fewer: Huobi's sizes on a
        step of 1e-18), without filling the cache; `parse` reads any other form and words a
        refusal."""
        decimals = self.decimals if self.step_units == 1 else -1
        values = []
        for text in texts:
            whole, _, frac = text.partition(".")
            if len(frac) > decimals >= 0 and not frac[decimals:].strip("0"):
                frac = frac[:decimals]
            if len(frac) <= decimals:
                try:
                    values.append(int(whole + frac) * 10 ** (decimals - len(frac)))
                    continue
                except ValueError:
                    pass
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
    checksum: Callable[[Book], int] | None = None
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

    def intact(self, book: Book, delta: BookDelta) -> bool:
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


class FeedSide:
    """One side of a venue's book as the console follows it: size by price, and beside it
    the best `FEED_WINDOW` or so prices in order (bids negated, so the best is first on
    both sides). Most changes land near the touch, inside the window: a level that comes
    or goes there is a bisect and an insert into a short list; one further out is a dict
    write and a comparison. A read past the window sorts what it needs.

    A `FeedBook`'s changes wait here as the venue's text, the last size for each price
    (`pending`), until the side is read: a firehose of changes costs one dict update a
    message, and a price changed many times between two reads is parsed and placed once.
    A read writes, then: the book is read and written on one thread, the trading core's
    (the screen gets views the core built)."""

    __slots__ = ("_bound", "_settle", "_sign", "_sizes", "_twin", "_window", "pending")

    def __init__(self, side: Side) -> None:
        self._sizes: dict[int, int] = {}
        self._sign = -1 if side is Side.BUY else 1
        self._window: list[int] = []
        """Every key (a price, negated for bids) up to `_bound`, in order."""
        self._bound: float = inf
        """The last key the window answers for: every price up to it is in the window."""
        self.pending: dict[str, str] = {}
        """Changes not taken in yet: size text by price text, as the venue sent them."""
        self._settle: Callable[[], object] = _nothing
        """What takes `pending` in, on both sides (its book's `settle`)."""
        self._twin = self
        """The book's other side: a read of either side takes in the changes of both."""

    @property
    def sizes(self) -> dict[int, int]:
        """Lots by price in ticks, every change taken in."""
        if self.pending or self._twin.pending:
            self._settle()
        return self._sizes

    def set(self, ticks: int, lots: int) -> None:
        """Set a level's absolute size; 0 removes it (removing an absent level is normal).
        `FeedBook._take` does the same, written out for a whole message."""
        sizes, window = self.sizes, self._window
        key = ticks * self._sign
        if lots:
            if ticks not in sizes and key <= self._bound:
                window.insert(bisect_left(window, key), key)
                if len(window) > 2 * FEED_WINDOW:
                    del window[FEED_WINDOW:]
                    self._bound = window[-1]
            sizes[ticks] = lots
        elif ticks in sizes:
            del sizes[ticks]
            if key <= self._bound:
                del window[bisect_left(window, key)]

    def _refill(self, n: int) -> list[int]:
        """The window again from the dict, at least `n` long (all of it when that is most)."""
        sign, sizes = self._sign, self._sizes
        want = max(n, FEED_WINDOW)
        if want * PARTIAL_SORT_SHARE < len(sizes):
            window = heapq.nsmallest(want, (ticks * sign for ticks in sizes))
            self._bound = window[-1]
        else:
            window = sorted(ticks * sign for ticks in sizes)
            self._bound = inf
        self._window = window
        return window

    def clear(self) -> None:
        self.replace({})

    def replace(self, sizes: dict[int, int]) -> None:
        """Hold exactly `sizes` (no zero sizes), dropping the changes not taken in; the
        window is made when first read."""
        self._sizes = sizes
        self.pending.clear()
        self._window = []
        self._bound = -inf if sizes else inf

    def best(self) -> int | None:
        if self.pending or self._twin.pending:
            self._settle()
        window = self._window
        if not window:
            if not self._sizes:
                return None
            window = self._refill(1)
        return window[0] * self._sign

    def prices(self, n: int | None = None) -> list[int]:
        """Up to `n` prices (all when None), best first."""
        sizes = self.sizes
        window = self._window
        wanted = len(sizes) if n is None else min(n, len(sizes))
        if len(window) < wanted:
            window = self._refill(wanted)
        sign = self._sign
        return [key * sign for key in window[:wanted]]

    def top(self, n: int) -> list[tuple[int, int]]:
        prices = self.prices(n)
        sizes = self._sizes
        return [(ticks, sizes[ticks]) for ticks in prices]

    def __len__(self) -> int:
        return len(self.sizes)


def _nothing() -> None:
    """A side of no book has nothing waiting to take in."""


SideT = TypeVar("SideT", BookSide, FeedSide)


class Book(Generic[SideT]):
    """A book for one symbol, kept exact and checked for continuity, on either kind of side:
    `OrderBook` (the simulator's) or `FeedBook` (a venue's as the console follows it)."""

    side_kind: type[SideT]

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
        self.bids: SideT = self.side_kind(Side.BUY)
        self.asks: SideT = self.side_kind(Side.SELL)
        self.last_update_id: int | None = None

    def side(self, side: Side) -> SideT:
        return self.bids if side is Side.BUY else self.asks

    # -- feeding -------------------------------------------------------------------------

    def load_snapshot(self, snapshot: BookSnapshot) -> None:
        """Replace the whole book; the snapshot's id becomes the point deltas continue from.
        Each side is parsed into a dict and sorted once, not inserted level by level."""
        for side, levels in ((self.bids, snapshot.bids), (self.asks, snapshot.asks)):
            ticks = self.prices.parse_all([price for price, _ in levels])
            lots = self.sizes.parse_all([qty for _, qty in levels])
            if lots and min(lots) < 0:
                raise ValueError(f"a size below zero in the {self.symbol} snapshot")
            sizes = dict(zip(ticks, lots, strict=True))  # a repeated price: the last wins
            side.replace({t: q for t, q in sizes.items() if q} if 0 in lots else sizes)
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
        if delta.checksum is not None and not self.integrity.intact(self, delta):
            self.last_update_id = None
            return ApplyResult.CORRUPT
        return ApplyResult.APPLIED

    def invalidate(self) -> None:
        """Forget continuity so no delta applies until the next snapshot."""
        self.last_update_id = None

    def _set_levels(self, side: SideT, levels: Iterable[Level]) -> None:
        prices, sizes = self.prices, self.sizes
        for price, qty in levels:
            side.set(prices.parse(price), sizes.parse(qty))

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
        sizes = book_side.sizes
        buckets: list[tuple[int, int]] = []
        bucket_price: int | None = None
        bucket_size = 0
        for ticks in book_side.prices(n * step):  # n buckets hold at most n * step prices
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

    def _levels(self, side: SideT, limit: int | None) -> list[Level]:
        price, size = self.prices.value, self.sizes.value
        return [(str(price(ticks)), str(size(side.sizes[ticks]))) for ticks in side.prices(limit)]


class OrderBook(Book[BookSide]):
    """The simulator's book, whose matching walks it in order on every order."""

    side_kind = BookSide


class FeedBook(Book[FeedSide]):
    """A venue's book as the console follows it: `FeedSide`s, each holding a message's
    changes as text until it is read (`settle`), then the change loop written out in one
    piece, since it runs for every level changed: a price seen before is one lookup in
    `Scale`'s cache; a size, new text almost every time, is read from its digits when it
    has the lot's decimals or only zeros past them (as Binance pads its sizes), by
    `Scale.parse` otherwise; a level that comes or goes moves the side's window only when
    it lands inside it.

    Whatever breaks the book as its changes are taken in (a size off the lot, a price that
    is not a number, the sides crossing) is told to `on_broken`, with whether a change was
    malformed: its owner resynchronises."""

    side_kind = FeedSide

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot = self.sizes
        whole_lots = lot.step_units == 1
        self._divisors = (
            {digits: 10 ** (digits - lot.decimals) for digits in range(lot.decimals, 19)}
            if whole_lots
            else {}
        )
        """What a size's digits, read as a whole number, are divided by to give lots, by
        how many digits it has past the point (Binance pads sizes past the lot with zeros)."""
        self._multipliers = (
            {digits: 10 ** (lot.decimals - digits) for digits in range(lot.decimals)}
            if whole_lots
            else {}
        )
        """And what they are multiplied by, when they stop short of the lot's decimals."""
        self._chained = self.integrity.chained
        self._unchecked = self.integrity.checksum is None
        self.bids._settle = self.asks._settle = self.settle
        self.bids._twin, self.asks._twin = self.asks, self.bids
        self._bid_changes, self._ask_changes = self.bids.pending, self.asks.pending
        """The sides' `pending`, the same dicts for the book's life (emptied, never replaced)."""
        self.on_broken: Callable[[str, bool], None] = _ignored
        """Told why the book broke as its changes were taken in, and whether a change was
        malformed."""
        self.on_unusual: Callable[[BookDelta], object] = self.apply
        """Given each change `take` does not keep at once (a book of its own applies it)."""
        self.taken = 0
        """Changes kept by `take`'s usual path: with its owner's count, the book's version."""

    def take(self, delta: BookDelta) -> None:
        """A live book's every change: the usual one (the next ids, on a book with no
        checksum) is kept for the next read at once, in one call from the stream's handler;
        any other is told to `on_unusual`, whose owner checks it with `apply` and acts on
        the verdict (a gap, a change already held)."""
        last = self.last_update_id
        if (
            self._unchecked
            and last is not None
            and (
                delta.prev_update_id == last < delta.last_update_id
                if self._chained
                else delta.first_update_id <= last + 1 <= delta.last_update_id
            )
        ):
            bids, asks = delta.bids, delta.asks
            if bids:
                self._bid_changes.update(bids)
            if asks:
                self._ask_changes.update(asks)
            self.last_update_id = delta.last_update_id
            self.taken += 1
            return
        self.on_unusual(delta)

    def settle(self) -> str | None:
        """Take in every change waiting on both sides (a read does this first); returns why
        the book broke, if it did, as told to `on_broken`. A malformed change leaves the
        book taken in part, so it also invalidates it; a crossed book is left as it is."""
        bids, asks = self.bids, self.asks
        try:
            if bids.pending:
                self._take(bids)
            if asks.pending:
                self._take(asks)
        except ValueError as error:
            self.invalidate()
            bids.pending.clear()
            asks.pending.clear()
            broken, malformed = f"a change it cannot take ({error})", True
        else:
            if not self.is_crossed:
                return None
            broken, malformed = "crossed book", False
        self.on_broken(broken, malformed)
        return broken

    @property
    def is_crossed(self) -> bool:
        """Read off the two windows' heads: asked after every change taken in."""
        bids, asks = self.bids, self.asks
        if bids.pending or asks.pending:
            self.settle()
        if bids._window and asks._window:
            return -bids._window[0] >= asks._window[0]
        return super().is_crossed

    def _set_levels(self, side: FeedSide, levels: Iterable[Level]) -> None:
        side.pending.update(levels)

    def _take(self, side: FeedSide) -> None:
        """Take in the changes waiting on `side`, and empty them."""
        changes = side.pending
        prices, sizes = self.prices, self.sizes
        known_prices, divisors, multipliers = prices._cache, self._divisors, self._multipliers
        book, sign = side._sizes, side._sign
        window, bound = side._window, side._bound
        for price, qty in changes.items():
            ticks = known_prices.get(price)
            if ticks is None:
                ticks = prices.parse(price)
            whole, _, frac = qty.partition(".")
            try:
                divisor = divisors.get(len(frac))
                if divisor is not None:
                    lots, finer = divmod(int(whole + frac), divisor)
                    if finer:  # finer than the lot: refused, or rounded by the venue's rule
                        lots = sizes.parse(qty)
                else:  # fewer digits than the lot has (Huobi's step is 1e-18), or far more
                    lots = int(whole + frac) * multipliers[len(frac)]
            except (ValueError, KeyError):  # an exponent, too many digits, or not a number
                lots = sizes.parse(qty)
            if lots:
                if lots < 0:
                    raise ValueError(f"{qty!r} is not a size")
                if ticks not in book:
                    key = ticks * sign
                    if key <= bound:
                        window.insert(bisect_left(window, key), key)
                        if len(window) > 2 * FEED_WINDOW:
                            del window[FEED_WINDOW:]
                            bound = side._bound = window[-1]
                book[ticks] = lots
            elif ticks in book:
                del book[ticks]
                key = ticks * sign
                if key <= bound:
                    del window[bisect_left(window, key)]
        changes.clear()


def _ignored(reason: str, malformed: bool) -> None:
    """A book nobody resynchronises (a test's, a bench's): what broke it is not told."""
