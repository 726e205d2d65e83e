"""The watchlist: pinned symbols with their prices, a symbol shown from it, pins kept."""

from console.kept import Kept
from console.ui.widgets.ticket import OrderTicket
from console.ui.widgets.watchlist import WatchlistPanel
from tests.fakes import until
from tests.ui.conftest import make_app, ready
from tests.ui.test_trading_screen import type_text


async def test_a_symbol_is_shown_from_the_watchlist_and_the_ticket_starts_afresh(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("b")
        await type_text(pilot, "65000")
        await pilot.press("escape", "escape", "w")
        panel = app.query_one(WatchlistPanel)
        eth = app.session.board.get("ETHUSDT")
        await until(lambda: panel.display and "ETHUSDT" in panel.text() and app.session.board)
        assert panel.text().splitlines()[1].startswith("▸ BTCUSDT")
        await pilot.press("j", "enter")
        await until(lambda: app.session.market.instrument.symbol == "ETHUSDT")
        await until(lambda: app.query_one(OrderTicket).price_field.value == "")
        await until(lambda: panel.text().splitlines()[2].startswith("▸ ETHUSDT"))
        assert eth is None or "%" in panel.text().splitlines()[2]


async def test_symbols_pinned_and_unpinned_are_kept_for_the_next_run(tmp_path):
    app, _ = make_app(tmp_path)
    app.memory = Kept(tmp_path / "screen.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("w", "x")  # unpin BTCUSDT, the first
        await until(lambda: app.watched == ("ETHUSDT", "SOLUSDT"))
        await pilot.press("a")  # pin the symbol on screen again, at the end
        await until(lambda: app.watched == ("ETHUSDT", "SOLUSDT", "BTCUSDT"))
    kept = Kept(tmp_path / "screen.json").get("watchlist")
    assert kept == ["ETHUSDT", "SOLUSDT", "BTCUSDT"]


async def test_the_palette_names_each_symbol_with_its_last_price_and_change(tmp_path):
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await until(lambda: "ETHUSDT" in app.session.board)
        eth = app.session.board["ETHUSDT"]
        line = app.symbol_line("ETHUSDT")
        assert line == f"last {eth.last:,.2f} · 24h {eth.change_percent:+.2f}%"
        assert app.symbol_line("NOPEUSDT") == "show this market"
