"""The README's screenshots, taken from the console on the embedded simulator.

    python docs/screens/take.py

Starts the console headless at 120x40 and 80x24, buys at the best ask so a fill is told,
sets a price alert, and saves the screen (Textual's `save_screenshot`, SVG) with each of
the panels under the book (fills, positions, the watchlist, the alerts) and with the
depth chart in place of the ladder.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from console.config import Config, Locations, RiskLimits
from console.launch import build
from console.ui.app import TradingApp
from console.ui.keymaps import load_keymap

HERE = Path(__file__).parent


async def until(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the screen never got there")


async def take(size: tuple[int, int], shots: dict[str, tuple[str, ...]]) -> None:
    folder = Path(tempfile.mkdtemp())
    config = Config(risk=RiskLimits(confirm_above=Decimal(10_000_000)))
    places = Locations(folder / "c", folder / "d")
    launch = build(config, None, sim=True, locations=places, seed=3, rate=200)
    app = TradingApp(launch.session, launch.start, launch.stop, load_keymap("default"))
    session = app.session
    async with app.run_test(size=size) as pilot:
        await until(lambda: app.started and session.orders.user_stream_live)
        await pilot.press("b", "escape", "A", "tab", "tab", *"0.002", "enter")
        await until(lambda: bool(session.orders.fills) and bool(session.board), 60)
        await pilot.press("escape", "escape", "n", "a", *"+5%", "enter", "escape")
        for name, keys in shots.items():
            await pilot.press(*keys)
            await pilot.pause(0.6)
            app.save_screenshot(f"{name}.svg", str(HERE))


async def main() -> None:
    await take(
        (120, 40),
        {
            "fills-120x40": ("f",),
            "positions-120x40": ("P",),
            "watchlist-120x40": ("w",),
            "alerts-120x40": ("n",),
            "depth-120x40": ("escape", "D"),
        },
    )
    await take((80, 24), {"fills-80x24": ("p", "p", "p", "p"), "positions-80x24": ("p",)})


if __name__ == "__main__":
    asyncio.run(main())
