"""Following a market from outside (a replay served, a paper market): the mirror goes on
through what its engine refuses."""

import asyncio
import contextlib
from decimal import Decimal as D

from console.mirrored import follow
from console.model import BookSnapshot, Side, Trade
from console.sim.state import Reject, RejectReason
from console.venues.feeds import BookState, LiveBook, LiveTrades
from tests.fakes import until
from tests.sim.test_mirror import market


async def no_snapshot(levels):
    raise AssertionError("the book is loaded by the test")


async def test_a_print_the_engine_refuses_is_skipped_counted_and_the_book_still_followed():
    engine, mirror = market()

    def refused(*_args):
        raise Reject(RejectReason.LOT_SIZE)

    mirror.trade = refused
    live = LiveBook("BTCUSDT", D("0.01"), D("0.001"), no_snapshot)
    live.book.load_snapshot(
        BookSnapshot("BTCUSDT", 1, [("100.00", "0.002")], [("101.00", "0.001")])
    )
    live.state = BookState.LIVE
    trades = LiveTrades("BTCUSDT")
    trades.add(Trade("BTCUSDT", 7, D("100.00"), D("0.001"), Side.SELL, 1_000))
    held = []
    following = asyncio.create_task(follow(mirror, live, trades, lambda: held.append(1)))
    await until(lambda: len(held) >= 2)
    following.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await following
    assert mirror.skipped == 1  # once: the print is not tried again
    book = engine.books["BTCUSDT"].l2
    assert (book.best_bid, book.best_ask) == (10000, 10100)
