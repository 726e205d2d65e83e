"""The trading core on its own loop and thread (`ThreadCore`, as the product runs it): the
streams, the order path and the dead-man's switch go on while the screen's loop is held,
here by blocking it outright until the core says it is done."""

import asyncio
import threading
from decimal import Decimal

import pytest
from textual import events

from console.config import Config, RiskLimits
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.core import ThreadCore
from console.trading.deadman import SwitchState
from console.trading.session import Ticket
from console.ui.express import Expressed
from console.ui.screens.confirm import Confirm
from console.ui.screens.help import Help
from console.ui.widgets.ticket import OrderTicket
from tests.fakes import until
from tests.ui.conftest import make_app, ready
from tests.ui.test_trading_screen import ticket_at_best, type_text


def when_the_core_sees(core, condition):
    """A threading event set once `condition()` holds, looked at on the core's own loop."""
    seen = threading.Event()

    async def watch():
        while not condition():
            await asyncio.sleep(0.01)
        seen.set()

    core.spawn(watch())
    return seen


async def test_an_order_reaches_the_venue_while_the_screens_loop_is_held(tmp_path):
    core = ThreadCore()
    app, launch = make_app(tmp_path, core=core)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        session = app.session
        launch.server.exchange.market.rate = 0  # the bid read below stays the bid
        book = session.market.book.book
        bid = core.call_now(lambda: book.prices.value(book.best_bid))
        ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, bid - 50, Decimal("0.01"))
        sent = asyncio.run_coroutine_threadsafe(session.submit(ticket), core.loop)
        order = sent.result(60)  # the screen's loop is held here: nothing of it runs
        engine = launch.server.exchange.engine
        placed = engine.order(TRADER_ACCOUNT, client_order_id=order.client_order_id)
        assert (placed.is_open, order.status) == (True, OrderStatus.NEW)
        await pilot.press("q")
    core.stop()


async def test_the_switch_trips_while_the_screens_loop_is_held(tmp_path):
    core = ThreadCore()
    config = Config(risk=RiskLimits(confirm_above=10_000_000), deadman_seconds=2)
    app, launch = make_app(tmp_path, config, core=core)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        switch = app.session.deadman
        await until(lambda: switch.state is SwitchState.ARMED)
        tripped = when_the_core_sees(core, lambda: switch.state is SwitchState.TRIPPED)
        core.call_now(launch.server.exchange.chaos.go_dark)  # the venue falls silent
        assert tripped.wait(60)  # the screen's loop is held here until the core trips
        core.call_now(launch.server.exchange.chaos.come_back)
        await pilot.press("q")
    core.stop()


def keyboard_hears_enter(app):
    """Enter as the keyboard's thread hears it, on a thread of its own; the screen's loop is
    held until it returns."""
    heard = []
    keyboard = threading.Thread(
        target=lambda: heard.append(app.express.hear(events.Key("enter", "\r")))
    )
    keyboard.start()
    keyboard.join(60)
    return heard[0]


async def a_ready_ticket(app, pilot, launch):
    """A buy ticket ten pages under the best bid, 0.01."""
    await ready(app, pilot)
    launch.server.exchange.market.rate = 0  # the ticket's price stays where it was put
    await ticket_at_best(pilot, "b", "B", *["pagedown"] * 10)
    await type_text(pilot, "0.01")
    return app.query_one(OrderTicket).price_field.decimal


async def enter_once_armed(app):
    """Enter as the keyboard's thread hears it, the moment the screen has armed it (looked
    at and heard in one step: no frame of the screen's can come between)."""
    heard = []

    def armed_then_heard():
        if app.express.armed:
            heard.append(keyboard_hears_enter(app))
        return bool(heard)

    await until(armed_then_heard)
    return heard[0]


async def test_enter_on_a_ready_ticket_reaches_the_venue_while_the_screens_loop_is_held(
    tmp_path,
):
    core = ThreadCore()
    app, launch = make_app(tmp_path, core=core)
    async with app.run_test(size=(120, 40)) as pilot:
        price = await a_ready_ticket(app, pilot, launch)
        heard = await enter_once_armed(app)
        assert isinstance(heard, Expressed)
        order = heard.sent.result(60)  # the screen's loop is held here: nothing of it runs
        engine = launch.server.exchange.engine
        placed = engine.order(TRADER_ACCOUNT, client_order_id=order.client_order_id)
        assert (placed.is_open, placed.price, order.qty) == (True, price, Decimal("0.01"))
        app.post_message(heard)
        await until(lambda: app.session.orders.open_orders())
        assert list(app.session.orders.orders) == [order.client_order_id]
        await pilot.press("q")
    core.stop()


async def test_enter_on_a_ticket_that_needs_a_yes_sends_nothing_and_the_screen_asks(tmp_path):
    core = ThreadCore()
    app, launch = make_app(tmp_path, Config(risk=RiskLimits(confirm_above=Decimal(100))), core=core)
    async with app.run_test(size=(120, 40)) as pilot:
        await a_ready_ticket(app, pilot, launch)
        heard = await enter_once_armed(app)
        assert heard.sent.result(60) is None
        app.post_message(heard)
        await until(lambda: isinstance(app.screen, Confirm))
        assert app.session.orders.orders == {}
        await pilot.press("n", "q")
    core.stop()


async def enter_after_a_few_frames(app):
    """What the keyboard's thread makes of enter once a few frames have gone by."""
    frame = app.clock.frames
    await until(lambda: app.clock.frames > frame + 2)
    return keyboard_hears_enter(app)


@pytest.mark.parametrize(
    "spend",
    [
        pytest.param(lambda app: app.push_screen(Help([])), id="a dialog opening"),
        pytest.param(lambda app: app.screen.set_focus(app.ladder), id="the focus leaving"),
    ],
)
async def test_the_armed_enter_is_spent_by(tmp_path, spend):
    core = ThreadCore()
    app, launch = make_app(tmp_path, core=core)
    async with app.run_test(size=(120, 40)) as pilot:
        await a_ready_ticket(app, pilot, launch)
        await until(lambda: app.express.armed)
        spend(app)
        assert not app.express.armed
        assert isinstance(await enter_after_a_few_frames(app), events.Key)
        await pilot.press("escape", "escape", "q")
    core.stop()
