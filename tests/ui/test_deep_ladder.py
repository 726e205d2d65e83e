"""The ladder through the whole book: the cursor walks past the rows in view and the window
follows, and it stays on its price while the book moves under it."""

from decimal import Decimal

import pytest

from console.model import OrderType, Side
from console.sim.market import MARKET_ACCOUNT
from console.ui.widgets.orderbook import OrderBookLadder
from tests.fakes import until
from tests.ui.conftest import make_app, ready


@pytest.fixture
def quiet(tmp_path):
    return make_app(tmp_path, rate=0.0)


async def focused_ladder(app, pilot):
    await ready(app, pilot)
    ladder = app.query_one(OrderBookLadder)
    await until(lambda: ladder.view is not None and len(ladder.view.bids) >= ladder.depth)
    ladder.focus()
    await pilot.press("G")  # the best bid
    return ladder


async def test_the_cursor_walks_past_the_rows_in_view_and_the_window_follows(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await focused_ladder(app, pilot)
        depth = ladder.depth
        await pilot.press(*["j"] * (depth + 4))
        await until(lambda: len(ladder.view.bids) == depth + 5)
        assert (ladder.cursor, ladder.scroll) == (depth + 5, 5)
        side, level = ladder.selected_level()
        assert side is Side.BUY and level.price == ladder.view.bids[depth + 4].price
        last_row = ladder.text().splitlines()[-1]
        assert f"{level.price:,}" in last_row  # the cursor's level is the bottom row


async def test_pages_reach_deep_into_the_book_and_g_comes_back_to_the_touch(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await focused_ladder(app, pilot)
        page = 2 * ladder.depth - 1
        for pages in range(1, 11):  # each once the book shown holds the levels it reaches
            await pilot.press("pagedown")
            await until(lambda pages=pages: len(ladder.view.bids) >= 1 + pages * page)
        deep = 1 + 10 * page
        assert ladder.cursor == deep
        assert ladder.scroll == deep - ladder.depth
        assert ladder.selected_level()[1] == ladder.view.bids[deep - 1]
        await pilot.press("g")
        await until(lambda: ladder.cursor == -1 and ladder.scroll == 0)


async def test_the_cursor_stays_on_its_price_while_the_levels_above_it_trade_away(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await focused_ladder(app, pilot)
        await pilot.press("j", "j", "j")  # the fourth bid
        price = ladder.selected_level()[1].price
        engine = launch.server.exchange.engine
        l2 = engine.books["BTCUSDT"].l2
        two_best = sum(lots for _, lots in l2.bids.top(2))
        engine.place(
            MARKET_ACCOUNT, "BTCUSDT", Side.SELL, OrderType.MARKET, l2.sizes.value(two_best)
        )
        await until(lambda: ladder.cursor == 2)  # two levels fewer above it
        assert ladder.selected_level()[1].price == price


async def test_d_charts_the_depth_out_from_the_mid_and_plus_reaches_further(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        ladder = await focused_ladder(app, pilot)
        await pilot.press("D")
        await until(lambda: ladder.border_title == "Depth  ±1% of the mid")
        mid = ladder.view.mid

        def reach():
            view = ladder.view
            shown = view.asks[: ladder.depth]  # fewer while the book is fetched deeper
            return shown[-1].price / mid - 1 if len(shown) == ladder.depth else 0

        await until(lambda: Decimal("0.009") < reach() <= Decimal("0.011"))
        asks = ladder.view.asks[: ladder.depth]
        assert [a.cumulative for a in asks] == sorted(a.cumulative for a in asks)
        assert "█" in ladder.text()
        await pilot.press("plus")
        await until(lambda: Decimal("0.019") < reach() <= Decimal("0.021"))
        await pilot.press("D")
        await until(lambda: ladder.border_title.startswith("Book  step"))
