"""The trading screen replaying a recording: the banner says REPLAY, the recorded time and
the pace, and the replay keys pause it and change its speed."""

import asyncio

import pytest

from console.config import Config, Locations
from console.launch import build, replay
from console.model import Side
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap
from console.ui.widgets.status import Banner
from console.venues.feeds import BookState
from tests.fakes import until

pytestmark = pytest.mark.recording


async def a_recording(tmp_path, seconds=1.0):
    launch = build(Config(), None, True, Locations(tmp_path, tmp_path), seed=2, rate=200)
    await launch.start()
    session = launch.session
    await until(lambda: session.market.book.state is BookState.LIVE)
    await asyncio.sleep(seconds)  # the market to replay
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


def settled_at(session, moment_ns):
    """The replay's clock has reached `moment_ns` and its book has heard all it had then."""
    player, market = session.player, session.market
    return (
        player.clock.position_ns == moment_ns
        and player.caught_up("market")
        and market is not None
        and market.book.state is BookState.LIVE
    )


def book_of(session):
    book = session.market.book.book
    return book.last_update_id, book.top(Side.BUY, 20), book.top(Side.SELL, 20)


async def test_a_second_back_shows_the_book_as_the_replay_had_it_a_second_earlier(tmp_path):
    path = await a_recording(tmp_path, seconds=2.5)
    launch = replay(path, Config())
    app = TradingApp(
        launch.session, launch.start, launch.stop, load_keymap("default"), rewind=launch.rewind
    )
    async with app.run_test(size=(120, 40)) as pilot:
        player = launch.player
        await pilot.press("space")
        player.clock.jump(player.clock.end_ns)
        back_to = player.wall_ms() - 1000
        await pilot.press("comma")
        await until(lambda: app.session is not launch.session)
        moment = app.session.player.mono_at(back_to)
        apart = replay(path, Config(), from_ms=back_to)  # the same moment, replayed apart
        apart.player.clock.paused = True
        await apart.start()
        await until(lambda: settled_at(app.session, moment) and settled_at(apart.session, moment))
        assert book_of(app.session) == book_of(apart.session)
        assert " paused " in app.query_one(Banner).render().plain
        await apart.stop()
