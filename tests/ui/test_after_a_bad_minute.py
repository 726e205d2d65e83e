"""The keys a trader reaches for after a bad minute: panic, reconciliation, the switch, and
confirmations graded as the config says."""

from decimal import Decimal

from textual.command import CommandList

from console.config import Config, Confirmations, Grade, RiskLimits
from console.model import OrderType, Side, TimeInForce
from console.sim.exchange import TRADER_ACCOUNT
from console.trading.deadman import SwitchState
from console.trading.session import Ticket
from console.ui.screens.arm import ArmSwitch
from console.ui.screens.confirm import Confirm, TypedConfirm
from console.ui.screens.outcomes import PanicOutcomes
from console.ui.screens.reconcile import Reconcile
from tests.fakes import until
from tests.ui.conftest import make_app, ready
from tests.ui.test_trading_screen import type_text

QUIET = RiskLimits(confirm_above=Decimal(10_000_000))


def status(app):
    return str(app.query_one("#status").render())


async def two_resting_orders(app):
    """Two buys under the bid, placed here (the keys that place them are tested apart)."""
    session = app.session
    bid = session.best(Side.BUY)
    for offset in (100, 200):
        ticket = Ticket(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, bid - offset, Decimal("0.01"))
        await session.submit(ticket)


def an_order_placed_by_another_program(launch, client_id="by-hand-1"):
    engine = launch.server.exchange.engine
    book = engine.books["BTCUSDT"].l2
    price = book.prices.value(book.best_bid - 300)
    order, _ = engine.place(
        TRADER_ACCOUNT,
        "BTCUSDT",
        Side.BUY,
        OrderType.LIMIT,
        Decimal("0.01"),
        price,
        client_order_id=client_id,
    )
    return order


def resting_at_the_engine(launch):
    return launch.server.exchange.engine.open_orders(TRADER_ACCOUNT)


async def test_the_panic_key_cancels_every_order_and_shows_each_result(tmp_path):
    app, launch = make_app(tmp_path, Config(risk=QUIET))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await two_resting_orders(app)
        an_order_placed_by_another_program(launch)
        await until(lambda: app.session.orders.orphans == {"by-hand-1"})
        await pilot.press("exclamation_mark")
        await until(lambda: isinstance(app.screen, Confirm))
        question = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "every open order of the account on binance (BTCUSDT)" in question
        assert "3 known here" in question
        await pilot.press("y")
        await until(lambda: isinstance(app.screen, PanicOutcomes))
        assert resting_at_the_engine(launch) == []
        table = app.screen.query_one("DataTable")
        assert table.row_count == 3
        results = [str(table.get_row_at(i)[-1]).strip() for i in range(3)]
        assert results == ["cancelled"] * 3
        assert "PANIC: 3 of 3 cancelled" in str(app.screen.query_one("#scope").render())


async def test_the_palette_reaches_the_panic_by_name(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "panic")
        await until(lambda: app.screen.query_one(CommandList).option_count == 1)
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, Confirm))
        assert "PANIC: cancel every open order?" in str(app.screen.query_one("#question").render())


async def test_the_reconciliation_view_flags_an_orphan_and_adopts_it(tmp_path):
    app, launch = make_app(tmp_path, Config(risk=QUIET))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await two_resting_orders(app)
        an_order_placed_by_another_program(launch)
        await until(lambda: "1 ORPHAN: r to reconcile" in status(app))
        await pilot.press("r")
        await until(lambda: isinstance(app.screen, Reconcile) and len(app.screen.rows) == 3)
        summary = str(app.screen.query_one("#summary").render())
        assert "3 open · 2 agree · 1 orphans · 0 unknown" in summary
        orphan_row = [r.agreement.value for r in app.screen.rows].index("ORPHAN")
        app.screen.query_one("DataTable").move_cursor(row=orphan_row)
        await pilot.press("a")
        await until(lambda: "3 agree · 0 orphans" in str(app.screen.query_one("#summary").render()))
        assert app.session.journal.events("by-hand-1") == ["adopted"]


async def test_the_reconciliation_view_cancels_every_orphan_and_leaves_ours(tmp_path):
    app, launch = make_app(tmp_path, Config(risk=QUIET))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await two_resting_orders(app)
        an_order_placed_by_another_program(launch, "by-hand-1")
        an_order_placed_by_another_program(launch, "by-hand-2")
        await pilot.press("r")
        await until(lambda: isinstance(app.screen, Reconcile) and len(app.screen.rows) == 4)
        await pilot.press("X")
        await until(lambda: len(resting_at_the_engine(launch)) == 2)
        assert all(o.client_order_id.startswith("tc-") for o in resting_at_the_engine(launch))


async def test_disarming_the_switch_takes_the_typed_word_and_arming_asks_the_timeout(tmp_path):
    app, _ = make_app(tmp_path, Config(risk=QUIET))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        switch = app.session.deadman
        assert (switch.state, switch.grace) == (SwitchState.ARMED, 15)
        assert "DMS ARMED client-side" in status(app)
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, TypedConfirm))
        await type_text(pilot, "DISARM")
        await pilot.press("enter")
        await until(lambda: "DMS off" in status(app))
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, ArmSwitch))
        await pilot.press("backspace", "backspace")
        await type_text(pilot, "30")
        await pilot.press("enter")
        await until(lambda: (switch.state, switch.grace) == (SwitchState.ARMED, 30))
        await until(lambda: "DMS ARMED client-side" in status(app))


async def test_a_confirmation_graded_none_cancels_all_at_once(tmp_path):
    config = Config(risk=QUIET, confirm=Confirmations(cancel_all=Grade.NONE))
    app, launch = make_app(tmp_path, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await two_resting_orders(app)
        await pilot.press("o", "X")
        await until(lambda: resting_at_the_engine(launch) == [])


async def test_in_read_only_mode_the_panic_key_sends_nothing(tmp_path):
    app, launch = make_app(tmp_path, Config(risk=QUIET, read_only=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        an_order_placed_by_another_program(launch)
        await pilot.press("exclamation_mark")
        await until(lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await until(
            lambda: any("panic refused: read-only" in n.message for n in app._notifications)
        )
        assert len(resting_at_the_engine(launch)) == 1
        assert not isinstance(app.screen, PanicOutcomes)
