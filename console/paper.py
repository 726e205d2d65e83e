"""Paper trading on a venue's live market: the venue's public streams, with no key, hold an
embedded exchange's books at the live levels and print the live trades there
(`console.sim.mirror`), and the trader's orders go to that exchange, in the venue's own
dialect, on loopback. An order crossing the live book fills at once; a resting one fills
when the live market comes through its price. Nothing private is sent to the venue."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from decimal import Decimal

from console.mirrored import follow
from console.sim.exchange import Credential, SimExchange
from console.sim.market import MARKET_ACCOUNT, Listing
from console.sim.mirror import Mirror
from console.sim.server import SimServer, lot_parts
from console.venues.base import Venue
from console.venues.feeds import BookState

LIVE_WAIT = 30.0
"""Seconds the live books are given to come up before the paper exchange opens."""


@dataclass
class PaperMarket:
    """`live` (a venue adapter with no key) mirrored for `symbols` into an exchange served
    in `dialect` on `sock` (a loopback socket bound already), taking orders signed by
    `credential`."""

    live: Venue
    dialect: str
    symbols: list[str]
    sock: socket.socket
    credential: Credential
    balances: dict[str, Decimal] = field(default_factory=dict)
    """The paper account's; empty: the simulator's demo deposits."""
    server: SimServer | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        await self.live.start()
        listed = await self.live.instruments()
        symbols = [s for s in dict.fromkeys(self.symbols) if s in listed]
        books = {symbol: self.live.book(symbol) for symbol in symbols}
        trades = {symbol: self.live.trades(symbol) for symbol in symbols}
        async with asyncio.timeout(LIVE_WAIT):
            while not all(
                book.state is BookState.LIVE and book.book.mid for book in books.values()
            ):
                await asyncio.sleep(0.05)
        listings = []
        for symbol in symbols:
            mid = books[symbol].book.mid
            assert mid is not None
            listings.append(Listing(listed[symbol], mid))
        exchange = SimExchange(
            listings,
            rate=0,
            lot_parts=lot_parts(self.dialect),
            candle_history=False,
            deposits={asset.upper(): amount for asset, amount in self.balances.items()} or None,
        )
        exchange.engine.cancel_all(MARKET_ACCOUNT)  # the synthetic flow's opening quotes
        exchange.add_credential(self.credential)
        self.server = SimServer(exchange, self.dialect, sock=self.sock, flow=False)
        await self.server.start()
        for symbol in symbols:
            mirror = Mirror(exchange.engine, symbol)
            task = follow(mirror, books[symbol], trades[symbol])
            self._tasks.append(asyncio.create_task(task, name=f"paper {symbol}"))

    @property
    def exchange(self) -> SimExchange:
        assert self.server is not None
        return self.server.exchange

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.server is not None:
            await self.server.stop()
        await self.live.close()
