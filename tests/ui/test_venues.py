"""Three simulated venues in one console: switching keeps each venue's ticket, an order
goes to the venue shown, the status bar shows every venue, and the panic key reaches every
venue when asked to."""

from decimal import Decimal

import pytest
from textual.command import CommandList

from console.config import Config, Locations, RiskLimits, for_venue
from console.launch import build_all
from console.model import OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.deadman import SwitchState
from console.trading.session import Ticket
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.ui.screens.arm import ArmSwitch
from console.ui.screens.confirm import Confirm, TypedConfirm
from console.ui.screens.outcomes import PanicOutcomes
from console.ui.screens.scope import PickScope
from console.ui.widgets.orders import OpenOrders
from console.ui.widgets.status import Banner
from console.ui.widgets.ticket import OrderTicket
from console.venues.feeds import BookState
from tests.fakes import until
from tests.ui.test_after_a_bad_minute import an_order_placed_by_another_program, status
from tests.ui.test_trading_screen import send_when_ready, ticket_at_best, type_text

VENUES = ("binance", "huobi", "weex")


@pytest.fixture
async def several(tmp_path):
    """The screen on three simulated venues, and each venue's launch by name."""
    config = Config(venues=list(VENUES), risk=RiskLimits(confirm_above=Decimal(10_000_000)))
    plans = [(for_venue(config, name), None, True) for name in VENUES]
    locations = Locations(tmp_path / "config", tmp_path / "data")
    launches = build_all(plans, locations, seed=3, rate=50)
    first, *more = launches
    app = TradingApp(first.session, first.start, first.stop, load_keymap("default"), more=more)
    yield app, {launch.session.venue.name: launch for launch in launches}
    if not app.quitting:  # quitting stopped them
        for launch in launches:
            await launch.stop()


async def all_ready(app, pilot):
    def live(desk):
        market = desk.session.market
        return (
            desk.started
            and market is not None
            and market.book.state is BookState.LIVE
            and desk.session.orders.user_stream_live
        )

    await until(lambda: all(live(desk) for desk in app.desks))
    await pilot.pause()


def banner(app):
    return app.query_one(Banner).render().plain


async def panic(app, pilot, scope):
    """The panic key on the venue shown (`a`) or every venue (`e`), confirmed; its outcomes."""
    await pilot.press("exclamation_mark")
    await until(lambda: isinstance(app.screen, PickScope))
    await pilot.press(scope)
    await until(lambda: isinstance(app.screen, Confirm))
    await pilot.press("y")
    await until(lambda: isinstance(app.screen, PanicOutcomes))


def in_orders(app):
    """The keyboard is in the orders panel."""
    return app.focused is not None and app.query_one(OpenOrders) in app.focused.ancestors


def resting(launch):
    return launch.server.exchange.engine.open_orders(TRADER_ACCOUNT)


async def test_switching_venues_keeps_each_venues_ticket_and_focus_and_says_where_orders_go(
    several,
):
    app, _ = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        ticket = app.query_one(OrderTicket)
        await pilot.press("b", *"123", "escape", "escape", "o")
        assert ticket.price_field.value == "123"
        assert in_orders(app)
        await pilot.press("v")
        await until(lambda: " huobi · " in banner(app))
        assert ticket.price_field.value == ""
        assert "binance [huobi] weex" in status(app)
        await until(lambda: app.focused is app.ladder)  # huobi's, never shown before
        await pilot.press("v", "v")
        await until(lambda: " binance · " in banner(app))
        assert ticket.price_field.value == "123"
        await until(lambda: in_orders(app))


async def test_an_order_sent_after_switching_goes_to_the_venue_shown(several):
    app, launches = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        await pilot.press("v", "v")
        await until(lambda: app.session.venue.name == "weex")
        await ticket_at_best(pilot, "b", "B", "pagedown")
        await type_text(pilot, "0.01")
        await send_when_ready(app, pilot)
        await until(lambda: len(resting(launches["weex"])) == 1)
        assert resting(launches["binance"]) == resting(launches["huobi"]) == []


async def test_panic_over_every_venue_cancels_every_open_order_on_all_three(several):
    app, launches = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        for launch in launches.values():
            an_order_placed_by_another_program(launch)
        assert all(len(resting(launch)) == 1 for launch in launches.values())
        await panic(app, pilot, "e")
        assert all(resting(launch) == [] for launch in launches.values())
        table = app.screen.query_one("DataTable")
        assert sorted(str(table.get_row_at(i)[0]) for i in range(table.row_count)) == sorted(VENUES)


async def test_panic_on_the_venue_shown_leaves_the_others_alone(several):
    app, launches = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        for launch in launches.values():
            an_order_placed_by_another_program(launch)
        await panic(app, pilot, "a")
        assert resting(launches["binance"]) == []
        assert len(resting(launches["huobi"])) == len(resting(launches["weex"])) == 1


async def test_the_palette_shows_a_venue_by_name(several):
    app, _ = several
    async with app.run_test(size=(80, 24)) as pilot:
        await all_ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "venue: huobi")
        await until(lambda: app.screen.query_one(CommandList).option_count == 1)
        await pilot.press("enter")
        await until(lambda: " huobi · " in banner(app))


async def test_the_switch_is_disarmed_and_armed_again_on_every_venue_when_asked(several):
    app, _ = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        switches = [desk.session.deadman for desk in app.desks]
        assert {switch.state for switch in switches} == {SwitchState.ARMED}
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, PickScope))
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, TypedConfirm))
        await type_text(pilot, "DISARM")
        await pilot.press("enter")
        await until(lambda: {switch.state for switch in switches} == {SwitchState.OFF})
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, PickScope))
        await pilot.press("a")
        await until(lambda: isinstance(app.screen, ArmSwitch))
        await pilot.press("enter")
        await until(lambda: switches[0].state is SwitchState.ARMED)
        assert [switch.state for switch in switches[1:]] == [SwitchState.OFF] * 2


async def test_quitting_applies_the_quit_policy_on_every_venue(several):
    app, launches = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        for desk in app.desks:
            session = desk.session
            price = session.best(Side.BUY) - 100
            ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, price, Decimal("0.001"))
            await session.submit(ticket)
        assert all(len(resting(launch)) == 1 for launch in launches.values())
        await pilot.press("q")
        await until(lambda: all(resting(launch) == [] for launch in launches.values()))


async def test_a_venue_that_cannot_be_reached_holds_up_none_of_the_others(several):
    app, launches = several
    huobi = app.desks[1]

    async def refused():
        raise OSError("connection refused")

    huobi.start = refused
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: app.desks[0].started and app.desks[2].started)
        await until(lambda: "huobi DOWN" in status(app))
        for launch in (launches["binance"], launches["weex"]):
            an_order_placed_by_another_program(launch)
        await panic(app, pilot, "e")
        assert resting(launches["binance"]) == resting(launches["weex"]) == []
        assert "huobi: REFUSED (waiting for the venue" in str(
            app.screen.query_one("#scope").render()
        )


async def test_no_venue_is_shown_in_place_of_another_while_a_question_is_open(several):
    app, _ = several
    async with app.run_test(size=(120, 40)) as pilot:
        await all_ready(app, pilot)
        await pilot.press("exclamation_mark")
        await until(lambda: isinstance(app.screen, PickScope))
        await pilot.press("a")
        await until(lambda: isinstance(app.screen, Confirm))
        await pilot.press("v")  # the dialog has the keys
        app.action_next_venue()  # and any other way in is refused
        await until(lambda: any("close the dialog" in n.message for n in app._notifications))
        assert app.session.venue.name == "binance"
