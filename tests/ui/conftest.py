"""The real trading screen on the embedded simulator, driven by keys through Pilot."""

import pytest

from console.config import Config, Locations, RiskLimits
from console.launch import build
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.venues.feeds import BookState
from tests.fakes import until


def make_app(tmp_path, config=None, keys=None, keymap="default", rate=200.0, core=None):
    config = config or Config(risk=RiskLimits(confirm_above=10_000_000))
    launch = build(
        config, None, True, Locations(tmp_path / "config", tmp_path / "data"), seed=3, rate=rate
    )
    keys = load_keymap(keymap, keys or {})
    app = TradingApp(launch.session, launch.start, launch.stop, keys, core=core)
    return app, launch


async def ready(app, pilot, timeout=30.0):
    """Wait until the screen shows a live book and the account stream is up."""
    session = app.session
    await until(
        lambda: (
            app.started
            and session.market is not None
            and session.market.book.state is BookState.LIVE
            and session.orders.user_stream_live
            and bool(session.orders.balances)
        ),
        timeout,
    )
    await pilot.pause()


@pytest.fixture
def app_and_launch(tmp_path):
    return make_app(tmp_path)
