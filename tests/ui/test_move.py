"""Moving a resting order from the screen: from the orders panel, by keys on the ladder, and
by dragging it on the ladder, each checked at the simulator's engine."""

from decimal import Decimal

import pytest

from console.model import OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.session import Ticket
from console.ui.screens.move import MoveOrder
from console.ui.widgets.orderbook import OrderBookLadder
from tests.fakes import until
from tests.ui.conftest import make_app, ready


@pytest.fixture
def quiet(tmp_path):
    """A market that stands still, so a level stays on its row."""
    return make_app(tmp_path, rate=0.0)


async def rest_a_buy(app, price):
    ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, price, Decimal("0.01"))
    return await app.session.submit(ticket)


def resting(launch):
    return [
        (o.client_order_id, o.price)
        for o in launch.server.exchange.engine.open_orders(TRADER_ACCOUNT)
    ]


async def bid_levels(app, pilot):
    ladder = app.query_one(OrderBookLadder)
    await until(lambda: ladder.view is not None and len(ladder.view.bids) >= 6)
    return ladder, ladder.view.bids


async def test_an_order_moves_from_the_orders_panel_a_tick_at_a_time(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        _, bids = await bid_levels(app, pilot)
        order = await rest_a_buy(app, bids[3].price)
        await pilot.press("o", "m")
        await until(lambda: isinstance(app.screen, MoveOrder))
        await pilot.press("down", "down", "enter")
        tick = app.session.market.instrument.tick_size
        await until(lambda: [price for _, price in resting(launch)] == [order.price - 2 * tick])
        assert order.client_order_id not in {cid for cid, _ in resting(launch)}


async def resting_on_the_ladder(app, pilot):
    """A buy resting at the third bid, the ladder's cursor on it."""
    await ready(app, pilot)
    ladder, bids = await bid_levels(app, pilot)
    order = await rest_a_buy(app, bids[2].price)
    await until(lambda: ladder.view.bids[2].own)
    ladder.focus()
    ladder.cursor = 3
    return ladder, bids, order


async def test_an_order_picked_up_on_the_ladder_is_put_down_two_levels_lower(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        ladder, bids, order = await resting_on_the_ladder(app, pilot)
        await pilot.press("m")
        await until(lambda: ladder.carried is not None)
        assert ladder.carried[0] == order.client_order_id
        await pilot.press("down", "down", "enter")
        await until(lambda: [price for _, price in resting(launch)] == [bids[4].price])
        assert ladder.carried is None


async def test_esc_leaves_an_order_picked_up_where_it_was(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        _, bids, order = await resting_on_the_ladder(app, pilot)
        await pilot.press("m", "down", "escape", "enter")
        await until(lambda: app.query_one("OrderTicket").has_focus_within)
        assert resting(launch) == [(order.client_order_id, bids[2].price)]


async def test_an_order_dragged_on_the_ladder_moves_where_it_is_dropped(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ladder, bids = await bid_levels(app, pilot)
        await rest_a_buy(app, bids[1].price)
        await until(lambda: ladder.view.bids[1].own)
        first_bid_row = ladder.depth + 3  # border, header, the asks, the spread line
        await pilot.mouse_down(OrderBookLadder, offset=(5, first_bid_row + 1))
        await pilot.mouse_up(OrderBookLadder, offset=(5, first_bid_row + 5))
        await until(lambda: [price for _, price in resting(launch)] == [bids[5].price])


async def test_a_level_with_no_order_of_the_traders_picks_nothing_up(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ladder, _ = await bid_levels(app, pilot)
        ladder.focus()
        ladder.cursor = 2
        await pilot.press("m")
        await pilot.pause()
        assert ladder.carried is None
