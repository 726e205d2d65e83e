"""One pair across the venues of a run: each venue's side of it, where buying or selling a
size is best, and the books merged into one ladder."""

from decimal import Decimal

import pytest

from console.config import Config, Locations, for_venue
from console.launch import build_all
from console.model import Side
from console.trading.compare import Pair, compare, merged, walk
from console.venues.feeds import BookState
from tests.fakes import until

VENUES = ("binance", "huobi", "weex")


def test_a_size_walks_the_levels_best_first_and_a_thin_book_has_no_price():
    asks = [(Decimal(100), Decimal(1)), (Decimal(101), Decimal(2))]
    assert walk(asks, Decimal("2.5")) == Decimal(100) + Decimal("1.5") * 101
    assert walk(asks, Decimal(4)) is None


@pytest.fixture
async def sessions(tmp_path):
    config = Config(venues=list(VENUES))
    plans = [(for_venue(config, name), None, True) for name in VENUES]
    launches = build_all(plans, Locations(tmp_path, tmp_path), seed=2, rate=0)
    for launch in launches:
        await launch.start()
    found = [launch.session for launch in launches]
    await until(
        lambda: all(s.market is not None and s.market.book.state is BookState.LIVE for s in found)
    )
    yield found
    for launch in launches:
        await launch.stop()


async def test_simulated_venues_open_a_few_basis_points_apart(sessions):
    mids = {s.venue.name: s.mid() for s in sessions}
    assert mids["huobi"] > mids["binance"] > mids["weex"]
    assert abs(mids["huobi"] / mids["binance"] - 1) < Decimal("0.001")


async def test_the_compare_view_marks_the_best_prices_and_the_cheapest_size(sessions):
    pair = await Pair.open(sessions, "BTC", "USDT")
    view = compare(pair, Decimal("0.01"))
    rows = {row.venue: row for row in view.rows}
    assert set(rows) == set(VENUES)
    assert view.best_bid == max(rows.values(), key=lambda r: r.bid).venue == "huobi"
    assert view.best_ask == min(rows.values(), key=lambda r: r.ask).venue == "weex"
    assert view.cheapest_buy == "weex" and view.dearest_sell == "huobi"
    binance = next(s for s in sessions if s.venue.name == "binance")
    book = binance.market.book.book
    asks = [(book.prices.value(t), book.sizes.value(q)) for t, q in book.top(Side.SELL, 50)]
    taker = binance.market.fees.taker
    assert rows["binance"].buy_cost == walk(asks, Decimal("0.01")) * (1 + taker)
    assert rows["binance"].quote_free == binance.orders.balances["USDT"].free
    pair.close()


async def test_the_merged_ladder_tags_each_level_with_its_venue_best_in_the_middle(sessions):
    pair = await Pair.open(sessions, "BTC", "USDT")
    view = merged(pair, 10)
    assert [level.price for level in view.asks] == sorted(
        (level.price for level in view.asks), reverse=True
    )
    assert [level.price for level in view.bids] == sorted(
        (level.price for level in view.bids), reverse=True
    )
    by_venue = {s.venue.name: s.market.book.book for s in sessions}
    for level in (*view.asks, *view.bids):
        book = by_venue[level.venue]
        lots = dict(book.top(level.side, 10))[book.prices.of(level.price)]
        assert book.sizes.value(lots) == level.size
    assert view.bids[0].venue == "huobi" and view.asks[-1].venue == "weex"
    pair.close()


async def test_a_pair_not_on_screen_is_opened_for_the_view_and_let_go_after(sessions):
    pair = await Pair.open(sessions, "ETH", "USDT")
    assert all(v.opened for v in pair.venues)
    await until(lambda: all(v.book.state is BookState.LIVE for v in pair.venues))
    pair.close()
    assert all("ETHUSDT" not in s.venue.live.book_feeds.books for s in sessions)
    assert all("BTCUSDT" in s.venue.live.book_feeds.books for s in sessions)
