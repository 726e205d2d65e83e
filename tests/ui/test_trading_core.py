"""The trading core on its own loop and thread (`ThreadCore`, as the product runs it): the
streams, the order path and the dead-man's switch go on while the screen's loop is held,
here by blocking it outright until the core says it is done."""

import asyncio
import threading
from decimal import Decimal

from console.config import Config, RiskLimits
from console.model import OrderStatus, OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.core import ThreadCore
from console.trading.deadman import SwitchState
from console.trading.session import Ticket
from tests.fakes import until
from tests.ui.conftest import make_app, ready


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
