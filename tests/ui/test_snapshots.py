"""What the trading screen looks like, from a seeded simulator on a pinned clock.

The screen's state is taken straight from the seeded engine (its book, its prints, its
candles, the demo account) with every stream shown LIVE, so the pictures are exact and
repeatable; the live path from the wire is covered by the Pilot and end-to-end tests.
"""

import time
from decimal import Decimal

import pytest

from console.config import Config, Locations
from console.launch import build
from console.model import Balance, Candle, Trade
from console.net.stream import StreamState
from console.sim.exchange import TRADER_ACCOUNT, SimExchange
from console.trading.session import CANDLE_INTERVALS, Market
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.ui.widgets.status import StatusBar
from console.venues.base import Fees
from console.venues.feeds import BookState, LiveBook, LiveCandles, LiveTicker, LiveTrades
from tests.fakes import until

PINNED_MS = 1_800_000_000_000
NOW = 5000.0


def seeded_app(tmp_path):
    exchange = SimExchange(seed=5, rate=300, clock=lambda: PINNED_MS)
    exchange.market.advance(4.0)
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path))
    session = launch.session
    engine_book = exchange.engine.books["BTCUSDT"]
    instrument = engine_book.instrument
    session.instruments = {s: b.instrument for s, b in exchange.engine.books.items()}

    async def no_snapshot(levels):
        raise AssertionError("the seeded book needs no snapshot")

    book = LiveBook("BTCUSDT", instrument.tick_size, instrument.lot_size, no_snapshot)
    book.book.load_snapshot(engine_book.l2.snapshot())
    book.state = BookState.LIVE
    tape = LiveTrades("BTCUSDT", clock=lambda: NOW)
    for t in exchange.tapes["BTCUSDT"]:
        tape.add(Trade(t.symbol, t.trade_id, t.price, t.qty, t.taker_side, t.time_ms))
    market = Market(
        instrument, book, tape, LiveTicker("BTCUSDT"), Fees(Decimal("0.001"), Decimal("0.001"))
    )
    for interval in CANDLE_INTERVALS:
        series = LiveCandles("BTCUSDT", interval)
        series.load(
            [
                Candle("BTCUSDT", interval, b.open_ms, b.open, b.high, b.low, b.close, b.volume)
                for b in exchange.candles.bars("BTCUSDT", interval)
            ]
        )
        market.candles[interval] = series
    session.market = market
    holdings = exchange.engine.accounts[TRADER_ACCOUNT].holdings
    session.orders.on_balances([Balance(a, h.free, h.locked) for a, h in holdings.items()])
    session.orders.user_stream_live = True
    session.deadman.clock = lambda: NOW
    venue = session.venue
    for status, rtt in ((venue.market_stream.status, 0.004), (venue.ws_api_stream.status, 0.006)):
        status.state, status.last_heard, status.rtt = StreamState.LIVE, NOW - 0.2, rtt

    async def nothing():
        return None

    return TradingApp(session, nothing, nothing, load_keymap("default"))


@pytest.fixture(autouse=True)
def utc_and_pinned_status_clock(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(StatusBar, "clock", staticmethod(lambda: NOW))
    yield
    monkeypatch.undo()
    time.tzset()


async def drawn(pilot):
    """Every panel shown holds the view of its state and its room as laid out now: on a busy
    machine the first frames come late, and one may have read a room since changed."""
    await until(pilot.app.clock.settled)
    await pilot.pause()


def test_full_screen_at_160x48(snap_compare, tmp_path):
    """All six panels with the SIM banner: ladder with depth bars and spread line, tape in
    bid/ask colours, three sparklines, the ticket, empty open orders, balances with a quote
    total, and every stream LIVE in the status bar."""
    assert snap_compare(seeded_app(tmp_path), terminal_size=(160, 48), run_before=drawn)


def test_small_terminal_at_80x24(snap_compare, tmp_path):
    """Book, ticket and the trades panel beside them, the p: tab line naming the other
    panels, nothing overlapping, banner and status bar still there."""
    assert snap_compare(seeded_app(tmp_path), terminal_size=(80, 24), run_before=drawn)


def test_ticket_filled_in_at_80x24(snap_compare, tmp_path):
    """A buy ticket at the best bid with a size, notional and fee shown and ready to send."""

    async def fill(pilot):
        await drawn(pilot)
        await pilot.press("b", "escape", "B", "tab", "tab", "0", "full_stop", "0", "1")
        await drawn(pilot)

    assert snap_compare(seeded_app(tmp_path), terminal_size=(80, 24), run_before=fill)
