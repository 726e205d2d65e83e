"""The trading screen replaying a recording: the banner says REPLAY, the recorded time and
the pace, and the replay keys pause it and change its speed."""

import asyncio

import pytest

from console.config import Config, Locations
from console.launch import build, replay
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.ui.widgets.status import Banner
from console.venues.feeds import BookState
from tests.fakes import until

pytestmark = pytest.mark.recording


async def a_recording(tmp_path):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=2, rate=200)
    await launch.start()
    session = launch.session
    await until(lambda: session.market.book.state is BookState.LIVE)
    await asyncio.sleep(1.0)  # a second of market to replay
    await launch.stop()
    (path,) = (tmp_path / "recordings").glob("*.rec.zst")
    return path


async def test_the_replay_keys_pause_it_and_change_its_speed_as_the_banner_says(tmp_path):
    launch = replay(await a_recording(tmp_path), Config())
    app = TradingApp(launch.session, launch.start, launch.stop, load_keymap("default"))
    async with app.run_test(size=(120, 40)) as pilot:
        banner = app.query_one(Banner)
        await until(lambda: " REPLAY " in banner.render().plain and "×1" in banner.render().plain)
        assert " READ-ONLY " in banner.render().plain
        await pilot.press("space")
        await until(lambda: " paused " in banner.render().plain)
        await pilot.press("greater_than_sign", "greater_than_sign", "space")
        await until(lambda: "×5" in banner.render().plain or " end " in banner.render().plain)
