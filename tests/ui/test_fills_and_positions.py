"""Fills as a trader sees them: the news of each, the fills panel, positions and PnL, and
ended orders with their average price and fees."""

from decimal import Decimal

import msgspec

from console.config import Config, Notify, RiskLimits
from console.model import OrderStatus
from console.ui.widgets.fills import FillsPanel
from console.ui.widgets.orders import OpenOrders
from console.ui.widgets.positions import PositionsPanel
from console.ui.widgets.status import StatusBar
from console.ui.widgets.ticket import OrderTicket
from tests.fakes import a_buy, until
from tests.ui.conftest import make_app, ready
from tests.ui.test_trading_screen import send_when_ready, ticket_at_best, type_text


async def buy_at_the_ask(app, pilot, size="0.002"):
    """A buy that crosses the spread: filled at once, as a taker."""
    await ticket_at_best(pilot, "b", "A")
    await type_text(pilot, size)
    await send_when_ready(app, pilot)
    orders = app.session.orders
    await until(lambda: sum(f.qty for f in orders.fills) == Decimal(size))


async def test_a_fill_is_told_on_screen_by_the_bell_and_on_the_desktop(tmp_path):
    app, _ = make_app(tmp_path)
    rung, written = [], []
    app.notices._bell, app.notices._write = (lambda: rung.append(True)), written.append
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await buy_at_the_ask(app, pilot)
        # the order's last fill is told as FILLED (one that fills in parts is told in parts)
        await until(lambda: any(n.message.startswith("FILLED BUY") for n in app._notifications))
        assert rung
        assert written[0].startswith("\x1b]9;FILL") and " BTCUSDT @ " in written[0]
        assert written[0].endswith("\x07")


async def test_the_ticket_says_what_a_filled_order_was_filled_at(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("b")
        await type_text(pilot, "64000")
        await pilot.press("tab")
        await type_text(pilot, "0.002")
        line = app.query_one("#problem")
        await until(lambda: "ready" in str(line.render()))
        ticket = app.query_one(OrderTicket)
        filled = msgspec.structs.replace(
            a_buy("c-1", OrderStatus.FILLED),
            qty=Decimal("0.002"),
            filled_qty=Decimal("0.002"),
            filled_quote=Decimal("130.00124"),
        )
        ticket.sent(filled)  # as the venue answered the enter that sent the ticket
        assert "✓ sent: FILLED 0.00200 @ 65,000.62 avg" in str(line.render())


async def test_each_way_of_telling_a_fill_can_be_switched_off(tmp_path):
    quiet = Config(
        risk=RiskLimits(confirm_above=10_000_000),
        notify=Notify(toast=False, bell=False, desktop="off"),
    )
    app, _ = make_app(tmp_path, config=quiet)
    rung, written = [], []
    app.notices._bell, app.notices._write = (lambda: rung.append(True)), written.append
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await buy_at_the_ask(app, pilot)
        await until(lambda: app.notices.told)
        assert (rung, written) == ([], [])
        assert not [n for n in app._notifications if "FILLED" in n.message]


async def test_the_fills_panel_shows_each_fill_with_its_role_and_fee(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await buy_at_the_ask(app, pilot)
        await pilot.press("escape", "escape", "f")
        panel = app.query_one(FillsPanel)
        fill = app.session.orders.fills[-1]  # the newest: the order may have filled in parts
        await until(lambda: panel.display and panel.text().endswith(fill.order_id))
        line = panel.text().splitlines()[1]
        role = "maker" if fill.is_maker else "taker"  # the ask may move before the order lands
        assert f"BTCUSDT   BUY  {fill.price:>11,.2f}" in line
        assert f"{role} {fill.fee.normalize():f} BTC" in line
        assert not app.query_one(OpenOrders).display  # the fills took the orders' place


async def test_positions_show_the_entry_and_the_status_bar_this_sessions_pnl(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await buy_at_the_ask(app, pilot)
        await pilot.press("escape", "escape", "P")
        panel = app.query_one(PositionsPanel)
        await until(lambda: panel.display and "BTCUSDT" in panel.text())
        fills = app.session.orders.fills
        entry = sum(f.qty * f.price for f in fills) / sum(f.qty for f in fills)
        row = panel.text().splitlines()[1]
        assert row.split()[2:4] == ["+0.00200", f"{entry:,.2f}"]
        status = app.query_one(StatusBar)
        await until(lambda: "PnL " in str(status.render()))


async def test_an_ended_order_shows_its_average_price_and_fee(app_and_launch):
    app, _ = app_and_launch
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await buy_at_the_ask(app, pilot)
        await pilot.press("escape", "escape", "o", "h")
        table = app.query_one(OpenOrders).query_one("DataTable")
        await until(lambda: table.row_count == 1)
        (order,) = app.session.orders.orders.values()
        fee = sum(f.fee for f in app.session.orders.fills)
        cells = [str(cell).strip() for cell in table.get_row_at(0)]
        symbol, side, kind, _, filled, average, paid, status, *_ = cells
        assert (symbol, side, kind, status) == ("BTCUSDT", "BUY", "limit", "FILLED")
        assert (filled, average) == (
            "0.00200/0.00200",
            f"{order.filled_quote / order.filled_qty:,.2f}",
        )
        assert paid == f"{fee.normalize():f} BTC"


async def test_a_small_terminal_takes_the_fills_and_positions_in_turn(app_and_launch):
    app, _ = app_and_launch
    names = ("trades", "candles", "orders", "balances", "fills", "positions")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = []
        for _ in names:
            seen += [name for name in names if app.query_one(f"#{name}").display]
            await pilot.press("p")
        assert seen == list(names)
