"""The one book-sync procedure every venue uses, and the tape and candle series."""

import asyncio
from decimal import Decimal

import pytest

from console.errors import NetworkError
from console.model import BookDelta, BookSnapshot, Candle, Side, Trade
from console.net.backoff import Backoff
from console.venues import feeds
from console.venues.feeds import BookState, LiveBook, LiveCandles, LiveTrades
from tests.fakes import until


def delta(first, last, bid="100.00", qty="1", prev=None):
    return BookDelta("X", first, last, [(bid, qty)], [], prev)


def snapshot(update_id, bid="99.00"):
    return BookSnapshot("X", update_id, [(bid, "5")], [("101.00", "5")])


class Snapshots:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0
        self.levels = []

    async def __call__(self, levels):
        self.calls += 1
        self.levels.append(levels)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def live_book(snapshots):
    return LiveBook("X", Decimal("0.01"), Decimal("0.001"), snapshots, Backoff(0.001, 0.001))


async def settle(book, state=BookState.LIVE):
    await asyncio.wait_for(book.wait_for(state), 2)


async def test_buffered_deltas_after_the_snapshot_are_applied():
    book = live_book(Snapshots(snapshot(10)))
    book.on_delta(delta(9, 11, "100.00"))
    book.on_delta(delta(12, 12, "100.50"))
    await settle(book)
    assert book.book.last_update_id == 12
    assert book.book.top(Side.BUY, 3)[0] == (10050, 1000)


async def test_snapshot_older_than_the_first_delta_is_fetched_again():
    snapshots = Snapshots(snapshot(3), snapshot(10))
    book = live_book(snapshots)
    book.on_delta(delta(9, 11))
    await settle(book)
    assert snapshots.calls == 2


async def test_gap_makes_the_book_stale_and_resyncs_only_it():
    book = live_book(Snapshots(snapshot(10), snapshot(20)))
    book.on_delta(delta(11, 11))
    await settle(book)
    book.on_delta(delta(15, 15))
    assert book.state is BookState.STALE
    assert book.gaps == 1
    book.on_delta(delta(21, 21, "100.20"))
    await settle(book)
    assert book.book.last_update_id == 21


async def test_crossed_book_is_treated_as_corrupt():
    book = live_book(Snapshots(snapshot(10), snapshot(20)))
    book.on_delta(delta(11, 11))
    await settle(book)
    book.on_delta(delta(12, 12, "102.00"))
    assert book.state is BookState.STALE


async def test_a_crossed_book_found_by_a_read_of_its_levels_is_synchronised_again():
    snapshots = Snapshots(snapshot(10), snapshot(20))
    book = live_book(snapshots)
    book.on_delta(delta(11, 11))
    await settle(book)
    book.on_delta(delta(12, 12, "102.00"))
    book.book.top(Side.SELL, 1)  # a reader that never asks the state
    assert book.state is BookState.STALE
    book.on_delta(delta(21, 21, "100.20"))
    await settle(book)
    assert (snapshots.calls, book.book.best_bid) == (2, 10020)


async def test_a_malformed_level_found_when_the_book_is_read_is_counted_once():
    book = live_book(Snapshots(snapshot(10), snapshot(20)))
    book.on_delta(delta(11, 11))
    await settle(book)
    book.on_delta(delta(12, 12, "100.00", qty="0.0005"))  # finer than the lot 0.001
    assert book.state is BookState.STALE
    assert book.state is BookState.STALE
    assert book.malformed == 1


async def test_lost_connection_makes_the_book_stale_at_once():
    book = live_book(Snapshots(snapshot(10)))
    book.on_delta(delta(11, 11))
    await settle(book)
    book.disconnected()
    assert book.state is BookState.STALE
    assert book.book.last_update_id is None


async def test_failed_snapshot_is_retried():
    book = live_book(Snapshots(NetworkError(msg="down"), snapshot(10)))
    book.on_delta(delta(11, 11))
    await settle(book)
    assert book.book.last_update_id == 11


async def test_quiet_market_syncs_without_waiting_for_a_delta(monkeypatch):
    monkeypatch.setattr(feeds, "FIRST_DELTA_WAIT", 0.01)
    book = live_book(Snapshots(snapshot(10)))
    book.connected()
    await settle(book)
    assert book.book.last_update_id == 10


async def test_chained_deltas_align_on_the_previous_id():
    book = live_book(Snapshots(snapshot(100)))
    book.on_delta(delta(0, 104, prev=100))
    book.on_delta(delta(0, 109, prev=104))
    await settle(book)
    assert book.book.last_update_id == 109


async def test_a_snapshot_the_book_cannot_take_moves_its_version_for_the_levels_it_left():
    never = asyncio.get_running_loop().create_future()

    async def answers(levels):
        if not book.malformed:
            return BookSnapshot("X", 10, [("99.00", "5")], [("101.00", "5.0005")])
        return await never  # no second snapshot: the book stays as the first one left it

    book = live_book(answers)
    book.on_delta(delta(11, 11))
    before = book.version
    await until(lambda: book.malformed == 1)
    assert book.version > before
    assert book.book.top(Side.BUY, 1) == [(9900, 5000)]  # what a screen still shows, dimmed
    book.close()


def test_tape_keeps_the_newest_and_counts_its_rate():
    now = [0.0]
    tape = LiveTrades("X", keep=2, clock=lambda: now[0])
    for i in range(3):
        tape.add(Trade("X", i, Decimal(1), Decimal(1), Side.BUY, i))
    assert [t.trade_id for t in tape.trades] == [1, 2]
    assert tape.rate(window=5) == pytest.approx(3 / 5)
    now[0] = 10
    assert tape.rate(window=5) == 0


def test_live_candle_replaces_the_open_one_and_extends_the_series():
    series = LiveCandles("X", "1m")
    bar = Candle("X", "1m", 0, Decimal(1), Decimal(2), Decimal(1), Decimal(2), Decimal(5))
    series.load([bar])
    series.update(Candle("X", "1m", 0, Decimal(1), Decimal(3), Decimal(1), Decimal(3), Decimal(6)))
    series.update(
        Candle("X", "1m", 60_000, Decimal(3), Decimal(3), Decimal(3), Decimal(3), Decimal(0))
    )
    series.update(bar)  # an old candle arriving late changes nothing
    assert [(c.open_ms, c.close) for c in series.candles] == [(0, Decimal(3)), (60_000, Decimal(3))]


async def test_the_snapshot_is_the_smallest_that_covers_what_is_shown():
    snapshots = Snapshots(snapshot(10), snapshot(20))
    book = live_book(snapshots)
    book.on_delta(delta(11, 11))
    await settle(book)
    book.show(40)
    assert book.state is BookState.LIVE  # 100 levels already cover 40
    book.show(120)
    book.on_delta(delta(21, 21))
    await settle(book)
    assert snapshots.levels == [100, 500]


class Highest:
    """A random source that always draws the top of the range: backoff at its bound."""

    def uniform(self, low, high):
        return high


async def test_repeated_gaps_back_off_before_each_resync(caplog):
    answers = [snapshot(10 * n) for n in range(1, 6)]
    book = LiveBook(
        "X", Decimal("0.01"), Decimal("0.001"), Snapshots(*answers), Backoff(0.1, 1, Highest())
    )
    book.on_delta(delta(11, 11))
    await settle(book)
    for n in range(1, 4):
        book.on_delta(delta(10 * n + 5, 10 * n + 5))  # a gap
        book.on_delta(delta(10 * n + 11, 10 * n + 11))
        await settle(book)
    delays = [r.getMessage().rsplit(" ", 1)[1] for r in caplog.records if "resync" in r.msg]
    assert delays == ["0.1s", "0.2s", "0.4s"]


def test_backfilled_prints_go_before_the_live_ones_without_repeats():
    tape = LiveTrades("X", keep=4)
    for i in (5, 6):
        tape.add(Trade("X", i, Decimal(1), Decimal(1), Side.BUY, i))
    history = [Trade("X", i, Decimal(1), Decimal(1), Side.SELL, i) for i in range(1, 7)]
    tape.backfill(history)
    assert [t.trade_id for t in tape.trades] == [3, 4, 5, 6]
