"""A session recorded on the simulator replays into the same adapter and books: the same
book, level by level, at every instant sampled while it ran, and the same order states."""

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from console.cli import with_market
from console.config import Config, Locations, RiskLimits
from console.launch import build, replay, sim_credential
from console.mirrored import mirrored
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.net.recorder import read
from console.postmortem import MarketAt, market_at
from console.trading.session import Ticket
from console.venues.base import OrderRequest
from console.venues.feeds import BookState
from console.venues.registry import VENUES
from tests.fakes import until

pytestmark = pytest.mark.recording

SAMPLES = 20
"""Instants compared in a short session; `--replay-minutes N` records N minutes instead and
compares at FULL_SAMPLES instants (`pytest tests/e2e/test_replay.py --replay-minutes 10`)."""
FULL_SAMPLES = 100
SPACING = 0.05
LEVELS = 20


@dataclass(frozen=True)
class Sample:
    mono_ns: int
    wall_ms: int
    update_id: int
    bids: list[tuple[int, int]]
    asks: list[tuple[int, int]]
    market: MarketAt


def sample(session):
    market = session.market
    book = market.book.book
    prices = book.prices
    return Sample(
        time.monotonic_ns(),
        time.time_ns() // 1_000_000,
        book.last_update_id,
        book.top(Side.BUY, LEVELS),
        book.top(Side.SELL, LEVELS),
        MarketAt(
            prices.value(book.best_bid),
            prices.value(book.best_ask),
            market.trades.trades[-1].price,
        ),
    )


@pytest.fixture
def length(request):
    """How many instants a recorded session samples, and the seconds between them."""
    minutes = request.config.getoption("--replay-minutes")
    if minutes:
        return FULL_SAMPLES, minutes * 60 / FULL_SAMPLES
    return SAMPLES, SPACING


async def record(tmp_path, venue, length=(SAMPLES, SPACING)):
    """A session on the simulator at 500 events a second: the book sampled `length` times,
    two orders placed, one cancelled, the other cancelled by quitting. Returns the
    recording, the samples and the orders' states at the end."""
    config = Config(venue=venue, risk=RiskLimits(confirm_above=10_000_000))
    locations = Locations(tmp_path / "config", tmp_path / "data")
    launch = build(config, None, True, locations, seed=4, rate=500)
    await launch.start()
    session = launch.session
    await until(lambda: session.orders.user_stream_live)
    await until(lambda: session.market.book.state is BookState.LIVE)
    samples = []
    samples_wanted, spacing = length
    for n in range(samples_wanted):
        if n == samples_wanted // 4:
            bid = session.best(Side.BUY)
            for offset in (100, 200):
                price = bid - Decimal(offset)
                ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, price, Decimal("0.001"))
                await session.submit(ticket)
        if n == samples_wanted // 2:
            (first, _) = sorted(session.orders.open_orders(), key=lambda o: o.price)
            await session.cancel(first.client_order_id)
        samples.append(sample(session))
        await asyncio.sleep(spacing)
    await launch.stop()  # which cancels the order left, as quitting does
    states = {o.client_order_id: (o.status, o.price, o.qty) for o in session.orders.orders.values()}
    (path,) = (tmp_path / "data" / "recordings").glob("*.rec.zst")
    return path, samples, states


@pytest.mark.parametrize("venue", ["binance", "huobi", "weex"])
async def test_a_replay_shows_the_recorded_book_at_every_instant_and_the_orders_states(
    tmp_path, venue, length
):
    path, samples, states = await record(tmp_path, venue, length)
    launch = replay(path, Config())
    player, session = launch.player, launch.session
    player.clock.paused = True  # the test moves it, sample by sample
    player.clock.jump(samples[0].mono_ns)  # the recorded start, up to the first sample
    await launch.start()
    assert (session.environment, session.read_only, session.venue.name) == ("REPLAY", True, venue)
    for taken in samples:
        player.clock.jump(taken.mono_ns)
        await until(
            lambda taken=taken: (
                session.market is not None
                and session.market.book.book.last_update_id == taken.update_id
            )
        )
        book = session.market.book.book
        assert (book.top(Side.BUY, LEVELS), book.top(Side.SELL, LEVELS)) == (
            taken.bids,
            taken.asks,
        )
    player.clock.jump(player.clock.end_ns)
    await until(
        lambda: (
            {o.client_order_id: (o.status, o.price, o.qty) for o in session.orders.orders.values()}
            == states
        )
    )
    await launch.stop()


async def test_the_market_at_each_moment_of_a_post_mortem_is_the_one_the_screen_had(tmp_path):
    path, samples, _ = await record(tmp_path, "weex")
    heard_at = {r.wall_ms for r in read(path)}
    taken = [s for s in samples if s.wall_ms not in heard_at]  # no frame in the same ms
    assert len(taken) > SAMPLES // 2
    found = await market_at([path], [s.wall_ms for s in taken])
    assert [found[s.wall_ms] for s in taken] == [s.market for s in taken]


async def test_journal_export_with_market_adds_each_events_bid_ask_and_last(tmp_path):
    path, samples, _ = await record(tmp_path, "huobi")
    heard_at = {r.wall_ms for r in read(path)}
    taken = [s for s in samples if s.wall_ms not in heard_at][:5]
    early = datetime.fromtimestamp(1, UTC).isoformat(timespec="milliseconds")  # not recorded
    rows = [{"at": early}] + [
        {"at": datetime.fromtimestamp(s.wall_ms / 1000, UTC).isoformat(timespec="milliseconds")}
        for s in taken
    ]
    await asyncio.to_thread(with_market, rows, [path])  # as the command runs it, off a loop
    assert [(r["bid"], r["ask"], r["last"]) for r in rows] == [("", "", "")] + [
        (str(s.market.bid), str(s.market.ask), str(s.market.last)) for s in taken
    ]


async def test_the_simulator_serves_a_recorded_market_and_matches_orders_against_it(tmp_path):
    path, _, _ = await record(tmp_path, "binance")
    market = await mirrored(path)
    base_url = await market.start()
    try:
        source = market.source.session.market.book.book
        market.source.player.clock.paused = True
        held = market.held
        await until(lambda: market.held > held + 1)  # the book held since the pause
        async with httpx.AsyncClient(base_url=base_url) as client:
            depth = (await client.get("/api/v3/depth?symbol=BTCUSDT&limit=20")).json()
        served = [[(Decimal(p), Decimal(q)) for p, q in depth[side]] for side in ("bids", "asks")]
        prices, sizes = source.prices, source.sizes
        assert served == [
            [(prices.value(t), sizes.value(lots)) for t, lots in source.top(side, 20)]
            for side in (Side.BUY, Side.SELL)
        ]
        venue, access = VENUES["binance"].on_simulator(base_url, "")
        market.server.exchange.add_credential(sim_credential(access))
        await venue.start()
        best_ask = prices.value(source.best_ask)
        bought = await venue.place(
            OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, "take-1", Decimal("0.001"))
        )
        assert (bought.status, bought.filled_quote) == (OrderStatus.FILLED, best_ask / 1000)
        await venue.close()
    finally:
        await market.stop()
