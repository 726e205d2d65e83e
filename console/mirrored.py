"""A recorded market served by the simulator (`trading-console sim --replay FILE`): the
recording replays, read-only, through the adapter that recorded it, and the simulator's
book for its symbol is held at the replayed book's levels and prints its trades, in the
recording's own dialect; orders placed against it match by the engine's rules."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from console.config import Config
from console.launch import Launch, replay
from console.model import Side
from console.sim.exchange import SimExchange
from console.sim.market import MARKET_ACCOUNT, Listing
from console.sim.mirror import Mirror
from console.sim.server import SimServer, lot_parts
from console.sim.state import Reject
from console.venues.feeds import BookState, LiveBook, LiveTrades

log = logging.getLogger(__name__)

EVERY = 0.02
"""Seconds between two looks at the replayed market."""
DEPTH = 1000
"""Levels a side held: far past what any client reads."""


@dataclass
class MirroredMarket:
    source: Launch
    """The replay the market comes from."""
    server: SimServer
    mirror: Mirror
    held: int = 0
    """Times the book was brought to the replayed one: a test waits on it."""
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def start(self) -> str:
        base_url = await self.server.start()
        self._task = asyncio.create_task(self._follow(), name="mirrored market")
        return base_url

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.server.stop()
        await self.source.stop()

    async def _follow(self) -> None:
        session = self.source.session
        while session.market is None:
            await asyncio.sleep(EVERY)
        await follow(self.mirror, session.market.book, session.market.trades, self._held)

    def _held(self) -> None:
        self.held += 1


async def follow(
    mirror: Mirror, live: LiveBook, trades: LiveTrades, held: Callable[[], None] | None = None
) -> None:
    """Hold `mirror`'s book at `live`'s levels and print `trades`' new prints, for ever. A
    print or a book the mirror's engine refuses is logged and skipped, and the following
    goes on: a mirror that stopped would leave the orders against it unfilled, unsaid."""
    last_trade = -1
    while True:
        await asyncio.sleep(EVERY)
        for trade in trades.trades:
            if trade.trade_id > last_trade:
                last_trade = trade.trade_id
                with _skipped("print", mirror):
                    mirror.trade(trade.price, trade.qty, trade.taker_side, trade.time_ms)
        if live.state is not BookState.LIVE:
            continue
        book = live.book
        prices, sizes = book.prices, book.sizes
        bids, asks = (
            {prices.value(t): sizes.value(lots) for t, lots in book.top(side, DEPTH)}
            for side in (Side.BUY, Side.SELL)
        )
        with _skipped("book", mirror):
            mirror.hold(bids, asks)
        if held is not None:
            held()


@contextlib.contextmanager
def _skipped(what: str, mirror: Mirror) -> Iterator[None]:
    try:
        yield
    except (Reject, ValueError, ArithmeticError) as error:
        mirror.skipped += 1
        log.error("%s %s not mirrored (%d so far): %r", mirror.symbol, what, mirror.skipped, error)


async def mirrored(
    path: Path,
    speed: float = 1.0,
    host: str = "127.0.0.1",
    port: int = 0,
    dialect: str | None = None,
    tls: ssl.SSLContext | None = None,
) -> MirroredMarket:
    """The recording at `path` replaying (at `speed`), and a simulator on `host`:`port`
    holding its market in `dialect` (the recording's own by default), not serving yet."""
    source = replay(path, Config(), speed)
    player = source.player
    assert player is not None
    await source.start()
    session = source.session
    while session.market is None or session.market.book.state is not BookState.LIVE:
        await asyncio.sleep(EVERY)
    market = session.market
    dialect = dialect or player.opened.venue
    opening = market.book.book.mid or market.trades.trades[-1].price
    listing = Listing(market.instrument, opening)
    exchange = SimExchange(
        [listing],
        rate=0,
        clock=player.wall_ms,  # the recording's time: its trades, candles and orders agree
        lot_parts=lot_parts(dialect),
        candle_history=False,
    )
    exchange.engine.cancel_all(MARKET_ACCOUNT)  # the synthetic flow's opening quotes
    mirror = Mirror(exchange.engine, market.instrument.symbol)
    server = SimServer(exchange, dialect, host, port, flow=False, tls=tls)
    return MirroredMarket(source, server, mirror)
