"""The market at each moment of a post-mortem: the best bid and ask and the last trade the
console had, read by replaying the recordings that cover the moments through the same
adapter and book (`journal export --with-market`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from console.config import Config
from console.launch import replay_run
from console.net.recorder import Opened, Record
from console.net.replay import Player, runs

CATCH_UP = 60.0
"""Seconds a replay is given to take in the frames up to a moment: each order request the
recording made and the replay does not costs it a wait (`console.net.replay.ANSWER_WAIT`)."""


@dataclass(frozen=True)
class MarketAt:
    bid: Decimal | None
    ask: Decimal | None
    last: Decimal | None


async def market_at(paths: list[Path], moments_ms: list[int]) -> dict[int, MarketAt]:
    """What the screen showed at each moment a recording in `paths` covers, by moment;
    moments no recording covers are left out."""
    found: dict[int, MarketAt] = {}
    for path in paths:
        for run in runs(path):
            opened = run[0]
            assert isinstance(opened, Opened)
            inside = sorted(m for m in set(moments_ms) if opened.wall_ms <= m <= run[-1].wall_ms)
            if inside:
                found.update(await _sample(run, inside))
    return found


async def _sample(run: list[Record], moments_ms: list[int]) -> dict[int, MarketAt]:
    launch = replay_run(run, Config())
    player, session = launch.player, launch.session
    assert player is not None
    player.clock.paused = True  # moved moment by moment
    player.clock.jump(player.mono_at(moments_ms[0]))
    sampled: dict[int, MarketAt] = {}
    try:
        await launch.start()
        for moment in moments_ms:
            player.clock.jump(player.mono_at(moment))
            await _caught_up(player)
            market = session.market
            if market is None:
                continue
            book = market.book.book
            bid, ask = book.best_bid, book.best_ask
            trades = market.trades.trades
            sampled[moment] = MarketAt(
                None if bid is None else book.prices.value(bid),
                None if ask is None else book.prices.value(ask),
                trades[-1].price if trades else None,
            )
    finally:
        await launch.stop()
    return sampled


async def _caught_up(player: Player) -> None:
    """Until every stream has taken its frames up to the clock (or `CATCH_UP` passes)."""
    position = player.clock.position_ns

    def behind() -> bool:
        return any(
            h.next < len(h.frames) and h.frames[h.next][0].mono_ns <= position
            for h in player.heard.values()
        )

    async with asyncio.timeout(CATCH_UP):
        while behind():
            await asyncio.sleep(0.001)
    await asyncio.sleep(0)  # the last frame handed over is handled
