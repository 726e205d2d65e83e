"""Stop-loss, take-profit and OCO orders from the ticket: a trigger field where the venue
has them, checked before anything leaves, and shown with their trigger in the orders panel,
which keeps every order's telling columns whole at any width."""

from dataclasses import replace
from decimal import Decimal

import pytest

from console.config import Config, RiskLimits
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.session import Ticket
from console.ui.widgets.orders import OpenOrders
from console.ui.widgets.ticket import OrderTicket
from tests.fakes import until
from tests.ui.conftest import make_app, ready


@pytest.fixture
def quiet(tmp_path):
    return make_app(tmp_path, rate=0.0)


async def type_into(pilot, field, text):
    field.focus()
    field.value = ""
    for ch in text:
        await pilot.press(ch)


async def stop_ticket(app, pilot, kind="STOP-LIMIT"):
    """The sell ticket, its type cycled to `kind`."""
    ticket = app.query_one(OrderTicket)
    await pilot.press("s", "escape")
    while ticket.order_kind[0] != kind:
        await pilot.press("t")
    return ticket


@pytest.mark.parametrize("venue", ["binance", "huobi"])
async def test_a_stop_limit_sell_rests_at_the_engine_with_its_trigger(tmp_path, venue):
    config = Config(venue=venue, risk=RiskLimits(confirm_above=10_000_000))
    app, launch = make_app(tmp_path, config, rate=0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = await stop_ticket(app, pilot)
        assert ticket.query_one("#trigger-row").display  # shown for a triggered kind alone
        bid = app.session.best(Side.BUY)
        await type_into(pilot, ticket.price_field, str(bid - 60))
        await type_into(pilot, ticket.trigger_field, str(bid - 50))
        await type_into(pilot, ticket.size_field, "0.01")
        await pilot.press("enter")
        engine = launch.server.exchange.engine
        await until(lambda: engine.open_orders(TRADER_ACCOUNT))
        (order,) = engine.open_orders(TRADER_ACCOUNT)
        assert order.trigger.price == bid - 50 and order.price == bid - 60
        (held,) = app.session.orders.open_orders()
        assert (held.type, held.trigger, held.status) == (
            OrderType.STOP_LIMIT,
            bid - 50,
            OrderStatus.NEW,
        )
        table = app.query_one(OpenOrders).query_one("DataTable")
        await until(lambda: table.row_count == 1)
        row = [str(cell).strip() for cell in table.get_row_at(0)]
        assert "stop" in row and f"≤{bid - 50:,}" in row


async def test_a_trigger_the_market_has_passed_is_refused_on_the_ticket(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = await stop_ticket(app, pilot, "STOP-MARKET")
        assert ticket.price_field.disabled
        ask = app.session.best(Side.SELL)
        await type_into(pilot, ticket.trigger_field, str(ask + 50))
        await type_into(pilot, ticket.size_field, "0.01")
        await until(lambda: "must be below the mid" in str(ticket.query_one("#problem").render()))
        await pilot.press("enter")
        await pilot.pause()
        assert launch.server.exchange.engine.open_orders(TRADER_ACCOUNT) == []


async def test_a_venue_without_stops_offers_none_on_the_ticket(tmp_path):
    app, launch = make_app(tmp_path, rate=0.0)
    venue = launch.session.venue
    plain = frozenset({OrderType.LIMIT, OrderType.POST_ONLY, OrderType.MARKET})
    venue.capabilities = replace(venue.capabilities, order_types=plain)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await pilot.press("b", "escape")
        await until(lambda: ticket.view is not None)
        kinds = {kind for _, kind, _ in ticket.offered_kinds()}
        assert kinds == plain
        assert not ticket.query_one("#trigger-row").display


async def test_an_oco_sell_rests_a_limit_above_and_a_stop_below_one_cancelling_the_other(quiet):
    app, launch = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ticket = await stop_ticket(app, pilot, "OCO")
        assert not ticket.price_field.disabled
        ask, bid = app.session.best(Side.SELL), app.session.best(Side.BUY)
        await type_into(pilot, ticket.price_field, str(ask + 100))
        await type_into(pilot, ticket.trigger_field, str(bid - 100))
        await type_into(pilot, ticket.size_field, "0.01")
        await pilot.press("enter")
        engine = launch.server.exchange.engine
        await until(lambda: len(app.session.orders.open_orders()) == 2)
        held = sorted(app.session.orders.open_orders(), key=lambda o: o.type)
        assert [(o.type, o.price, o.trigger) for o in held] == [
            (OrderType.POST_ONLY, ask + 100, None),
            (OrderType.STOP_MARKET, None, bid - 100),
        ]
        assert len(engine.open_orders(TRADER_ACCOUNT)) == 2
        await app.session.cancel(held[0].client_order_id)
        await until(lambda: not app.session.orders.open_orders())  # the stop went with it
        assert engine.open_orders(TRADER_ACCOUNT) == []


async def test_at_80_columns_the_orders_keep_side_price_sizes_and_status_whole(tmp_path):
    app, _ = make_app(tmp_path, rate=0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        bid = app.session.best(Side.BUY)
        for offset, size in ((100, "0.01"), (200, "0.02")):
            ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, bid - offset, Decimal(size))
            await app.session.submit(ticket)
        await pilot.press("o")
        table = app.query_one(OpenOrders).query_one("DataTable")
        await until(lambda: table.row_count == 2)
        labels = [str(column.label).strip() for column in table.columns.values()]
        assert labels == ["Side", "Price", "Filled / size", "Status"]
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= (
            table.size.width
        )
        rows = [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(2)]
        assert [row[2] for row in rows] == ["0/0.02", "0/0.01"]  # the newest first
