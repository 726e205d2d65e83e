"""`trading-console doctor`: checks a venue end to end and prints one line per check.

Reachability, clock offset, instruments and limits, key validity and permissions, and the
first message of each stream. With `--sim` (the default without credentials) it starts the
embedded exchange on loopback and checks against that, with a fresh Ed25519 key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TextIO

from console.config import Config, Credentials
from console.errors import VenueError
from console.launch import connect, environment_label, simulator
from console.model import Balance, Fill, Order
from console.venues.base import Venue
from console.venues.feeds import BookState
from console.venues.registry import api_of, venue_entry

MAX_CLOCK_OFFSET_MS = 1000
STREAM_WAIT = 10.0


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


class FirstAccountNews:
    """An account sink that only notes that the user stream went live."""

    def __init__(self) -> None:
        self.live = asyncio.Event()

    def on_order(self, order: Order, fill: Fill | None) -> None:
        pass

    def on_balances(self, balances: object) -> None:
        pass

    def on_user_stream(self, live: bool) -> None:
        if live:
            self.live.set()


log = logging.getLogger(__name__)


class Doctor:
    def __init__(self, venue: Venue, out: TextIO, symbol: str = "BTCUSDT") -> None:
        self.venue = venue
        self.out = out
        self.symbol = symbol
        self.checks: list[Check] = []

    def report(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append(Check(name, passed, detail))
        print(f"{'PASS' if passed else 'FAIL'}  {name:<15} {detail}", file=self.out, flush=True)

    async def check(self, name: str, probe: Callable[[], Awaitable[str]]) -> bool:
        try:
            detail = await asyncio.wait_for(probe(), STREAM_WAIT)
        except (VenueError, TimeoutError, OSError) as error:
            self.report(name, passed=False, detail=_why(error))
            return False
        except Exception as error:  # a fault of ours: reported, never a traceback on screen
            log.exception("doctor: %s check failed", name)
            self.report(
                name, passed=False, detail=f"internal error: {error!r} (details in the log)"
            )
            return False
        self.report(name, passed=True, detail=detail)
        return True

    async def run(self) -> bool:
        venue = self.venue
        if not await self.check("reachability", self._reachable):
            return False
        await self.check("clock offset", self._clock)
        if not await self.check("instruments", self._instruments):
            return False
        if venue.authenticated:
            await self.check("API key", self._key)
        else:
            self.report("API key", passed=True, detail="none configured: market data only")
        await self.check("market stream", self._market)
        if venue.authenticated:
            await self.check("user stream", self._user)
        return all(check.passed for check in self.checks)

    async def _reachable(self) -> str:
        started = time.perf_counter()
        await self.venue.server_time()
        return f"the venue answered in {_ms(started)}"

    async def _clock(self) -> str:
        sent = time.time()
        server_ms = await self.venue.server_time()
        offset = server_ms - int((sent + time.time()) / 2 * 1000)
        if abs(offset) > MAX_CLOCK_OFFSET_MS:
            raise VenueError(
                msg=f"{offset:+d} ms from server time; signed requests would be "
                f"refused (allowed ±{MAX_CLOCK_OFFSET_MS} ms): sync the clock"
            )
        return f"{offset:+d} ms against server time (allowed ±{MAX_CLOCK_OFFSET_MS} ms)"

    async def _instruments(self) -> str:
        await self.venue.start()
        instruments = await self.venue.instruments()
        if self.symbol not in instruments:
            self.symbol = next(iter(instruments))
        usage = self.venue.rate_usage()
        limits = f"; request weight {usage[0]}/{usage[1]} per window" if usage else ""
        return f"{len(instruments)} symbols{limits}"

    async def _key(self) -> str:
        balances: list[Balance] = await self.venue.balances()
        held = sum(1 for b in balances if b.total)
        return f"valid; account readable; {held} assets held"

    async def _market(self) -> str:
        started = time.perf_counter()
        book = self.venue.book(self.symbol)
        await book.wait_for(BookState.LIVE)
        return f"{self.symbol} book live at update {book.book.last_update_id} after {_ms(started)}"

    async def _user(self) -> str:
        started = time.perf_counter()
        news = FirstAccountNews()
        await self.venue.watch_account(news)
        await news.live.wait()
        return f"orders and balances live after {_ms(started)}"


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.0f} ms"


def _why(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {STREAM_WAIT:.0f} s"
    return str(error) or type(error).__name__


async def run_doctor(
    out: TextIO, config: Config, credentials: Credentials | None, sim: bool
) -> int:
    """Check the configured environment, or the embedded simulator with `sim`; 0 when all
    pass."""
    server = None
    entry = venue_entry(config.venue)
    api = api_of(entry, config.api, config.paper is True and entry.paper is not None)
    spoken = f" · API {api}" if api else ""
    if sim:
        server, venue = simulator(config.venue, api=api)
        await server.start()
        where = f"embedded exchange on {server.base_url} ({config.venue} dialect)"
        print(f"SIM  {where}{spoken}", file=out)
    else:
        venue = connect(config, credentials)
        label = environment_label(config, sim)
        print(f"{label}  {config.venue} {config.env} at {venue.rest_url}{spoken}", file=out)
    try:
        passed = await Doctor(venue, out).run()
    finally:
        await venue.close()
        if server is not None:
            await server.stop()
    return 0 if passed else 1
