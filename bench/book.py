"""Order book: apply a Binance-sized diff and read the top 20 on a 5,000-level book.

Compares `console.book.OrderBook` with two baselines built in this run, the designs
STYLE.md measured elsewhere: Decimal keys in a dict re-sorted on the first read after a
write (cryptofeed's SortedDict-like behaviour), and sorted Decimal lists kept with bisect
(ccxt's order_book_side). Prints microseconds per operation and our speed-up over each.
Diffs touch 60 prices around the touch, as a live feed does, so repeated price text is
served from `Scale`'s parse cache; sizes are mostly new text each time.

    python bench/book.py
"""

from __future__ import annotations

import random
import timeit
from bisect import bisect_left
from decimal import Decimal

from console.book import OrderBook
from console.model import BookDelta, BookSnapshot, Level, Side

LEVELS = 5000
DIFF_LEVELS = 20
ROUNDS = 2000


class ResortingDictBook:
    """Decimal price -> Decimal size; sorted again on the first read after a write."""

    def __init__(self) -> None:
        self.bids: dict[Decimal, Decimal] = {}
        self.asks: dict[Decimal, Decimal] = {}
        self._sorted_bids: list[Decimal] | None = None

    def apply(self, bids: list[Level], asks: list[Level]) -> None:
        for side, levels in ((self.bids, bids), (self.asks, asks)):
            for level in levels:
                price, size = Decimal(level.price), Decimal(level.qty)
                if size:
                    side[price] = size
                else:
                    side.pop(price, None)
        self._sorted_bids = None

    def top_bids(self, n: int) -> list[tuple[Decimal, Decimal]]:
        if self._sorted_bids is None:
            self._sorted_bids = sorted(self.bids, reverse=True)
        return [(p, self.bids[p]) for p in self._sorted_bids[:n]]


class SortedSide:
    """Sorted keys and sizes with Decimal values, kept in place with bisect."""

    def __init__(self, sign: int) -> None:
        self.sign = sign
        self.keys: list[Decimal] = []  # prices times sign, best first
        self.sizes: list[Decimal] = []

    def set(self, level: Level) -> None:
        key, size = Decimal(level.price) * self.sign, Decimal(level.qty)
        i = bisect_left(self.keys, key)
        present = i < len(self.keys) and self.keys[i] == key
        if size:
            if present:
                self.sizes[i] = size
            else:
                self.keys.insert(i, key)
                self.sizes.insert(i, size)
        elif present:
            del self.keys[i]
            del self.sizes[i]


class SortedListBook:
    def __init__(self) -> None:
        self.bids, self.asks = SortedSide(-1), SortedSide(1)

    def apply(self, bids: list[Level], asks: list[Level]) -> None:
        for level in bids:
            self.bids.set(level)
        for level in asks:
            self.asks.set(level)

    def top_bids(self, n: int) -> list[tuple[Decimal, Decimal]]:
        side = self.bids
        return [(-k, s) for k, s in zip(side.keys[:n], side.sizes[:n], strict=True)]


def main() -> None:
    rng = random.Random(1)
    mid = 6_500_000
    bids = [
        Level(f"{(mid - i) / 100:.2f}", f"{rng.randint(1, 99999) / 1e5:.5f}")
        for i in range(1, LEVELS + 1)
    ]
    asks = [
        Level(f"{(mid + i) / 100:.2f}", f"{rng.randint(1, 99999) / 1e5:.5f}")
        for i in range(1, LEVELS + 1)
    ]

    def diff(seq: int) -> BookDelta:
        def levels(sign: int) -> list[Level]:
            return [
                Level(
                    f"{(mid + sign * rng.randint(1, 60)) / 100:.2f}",
                    "0" if rng.random() < 0.3 else f"{rng.randint(1, 99999) / 1e5:.5f}",
                )
                for _ in range(DIFF_LEVELS // 2)
            ]

        return BookDelta("BTCUSDT", seq, seq, levels(-1), levels(1))

    diffs = [diff(i + 2) for i in range(ROUNDS)]

    ours = OrderBook("BTCUSDT", "0.01", "0.00001")
    ours.load_snapshot(BookSnapshot("BTCUSDT", 1, bids, asks))
    resorting, sorted_lists = ResortingDictBook(), SortedListBook()
    resorting.apply(bids, asks)
    sorted_lists.apply(bids, asks)

    results = {}

    def ours_round() -> None:
        ours.last_update_id = 1
        for d in diffs:
            ours.apply(d)
            ours.top(Side.BUY, 20)

    def resorting_round() -> None:
        for d in diffs:
            resorting.apply(d.bids, d.asks)
            resorting.top_bids(20)

    def sorted_lists_round() -> None:
        for d in diffs:
            sorted_lists.apply(d.bids, d.asks)
            sorted_lists.top_bids(20)

    for name, fn in (
        ("console.book", ours_round),
        ("resorting dict", resorting_round),
        ("sorted Decimal lists", sorted_lists_round),
    ):
        seconds = min(timeit.repeat(fn, number=1, repeat=5))
        results[name] = seconds / ROUNDS * 1e6
    print(
        f"apply a {DIFF_LEVELS}-level diff + read top 20, {LEVELS:,}-level book "
        f"(µs per diff, best of 5 × {ROUNDS:,}):"
    )
    base = results["console.book"]
    for name, micros in results.items():
        ratio = "" if name == "console.book" else f"   ours is {micros / base:.1f}× faster"
        print(f"  {name:<22}{micros:8.2f}{ratio}")


if __name__ == "__main__":
    main()
