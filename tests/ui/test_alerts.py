"""Price alerts from the screen: set from the alerts panel or the ladder, listed, removed,
and told like a fill when they fire."""

from decimal import Decimal

import pytest

from console.model import Side, Trade
from console.ui.screens.alert import SetAlert
from console.ui.widgets.alerts import AlertsPanel
from console.ui.widgets.orderbook import OrderBookLadder
from tests.fakes import until
from tests.ui.conftest import make_app, ready


@pytest.fixture
def quiet(tmp_path):
    return make_app(tmp_path, rate=0.0)


async def type_text(pilot, text):
    for ch in text:
        await pilot.press(ch)


async def test_an_alert_set_in_the_panel_is_listed_and_removed(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        panel = app.query_one(AlertsPanel)
        await pilot.press("n", "a")
        await until(lambda: isinstance(app.screen, SetAlert))
        await type_text(pilot, "above 99000")
        await pilot.press("enter")
        await until(lambda: "above 99000" in panel.text())
        assert panel.border_title == "Alerts (1)"
        await pilot.press("x")
        await until(lambda: panel.border_title == "Alerts (0)")
        assert app.session.alerts.waiting == []


async def test_words_that_are_not_an_alert_are_refused_in_the_dialog(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("n", "a")
        await until(lambda: isinstance(app.screen, SetAlert))
        await type_text(pilot, "soon")
        await pilot.press("enter")
        problem = app.screen.query_one("#problem")
        await until(lambda: "'soon' is not a number" in str(problem.render()))
        assert app.session.alerts.waiting == []


async def test_a_on_a_level_of_the_ladder_starts_an_alert_at_its_price(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        ladder = app.query_one(OrderBookLadder)
        await until(lambda: ladder.view is not None and len(ladder.view.bids) > 3)
        level = ladder.view.bids[2]
        ladder.focus()
        ladder.cursor = 3
        await pilot.press("a")
        await until(lambda: isinstance(app.screen, SetAlert))
        await pilot.press("enter")  # the level is under the last price: below it
        await until(lambda: len(app.session.alerts.waiting) == 1)
        (alert,) = app.session.alerts.waiting
        assert (alert.above, alert.price) == (False, level.price)


async def test_an_alert_that_fires_is_told_like_a_fill_and_leaves_the_list(quiet):
    app, _ = quiet
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        session = app.session
        best = session.best(Side.BUY)
        session.add_alert("BTCUSDT", f"above {best + 50}")
        price = best + 60
        session.market.trades.add(Trade("BTCUSDT", 1, price, Decimal("0.1"), Side.BUY, 1))
        await until(lambda: app.alert_notices.told)
        assert list(app.alert_notices.told) == [f"ALERT BTCUSDT above {best + 50}: {price}"]
        await pilot.press("n")
        await until(lambda: app.query_one(AlertsPanel).border_title == "Alerts (0)")
