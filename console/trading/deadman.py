"""The dead-man's switch: resting orders do not outlive the console's view of the venue.

Venue-side where the venue has one (Huobi's cancel-all-after, refreshed well inside its
timeout); client-side otherwise, as on Binance spot: when the user stream or the market
stream has been down for longer than the grace period while orders rest, cancel them all
over REST (retrying), block new orders, and re-arm only after the streams are back and the
orders are reconciled (VENUES.md §5).
"""

from __future__ import annotations

import asyncio
import enum
import logging
import time
from collections.abc import Callable

from console.errors import VenueError
from console.net.stream import StreamState
from console.trading.orders import OrderManager
from console.venues.base import Venue

log = logging.getLogger(__name__)

CHECK_EVERY = 0.5


class SwitchState(enum.StrEnum):
    OFF = "off"
    ARMED = "armed"
    TRIPPED = "TRIPPED"


class DeadMansSwitch:
    def __init__(
        self,
        venue: Venue,
        orders: OrderManager,
        grace: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.venue = venue
        self.orders = orders
        self.grace = grace
        self.clock = clock
        self.state = SwitchState.ARMED if grace > 0 else SwitchState.OFF
        self.cancelled = 0
        self._lost_since: float | None = None

    @property
    def blocks_orders(self) -> bool:
        return self.state is SwitchState.TRIPPED

    def describe(self) -> str:
        if self.state is SwitchState.OFF:
            return "DMS off"
        if self.state is SwitchState.TRIPPED:
            return f"DMS TRIPPED: {self.cancelled} cancelled, orders blocked"
        return f"DMS armed {self.grace:g}s"

    def venue_lost(self) -> bool:
        return any(s.state is not StreamState.LIVE for s in self.venue.streams)

    async def run(self) -> None:
        while self.state is not SwitchState.OFF:
            await asyncio.sleep(CHECK_EVERY)
            await self.check()

    async def check(self) -> None:
        """One look at the streams: trip after the grace period, re-arm after recovery."""
        now = self.clock()
        if not self.venue_lost():
            self._lost_since = None
            if self.state is SwitchState.TRIPPED:
                await self.orders.reconcile_all()
                self.state = SwitchState.ARMED
                log.warning("dead-man's switch re-armed: the venue is back and orders reconciled")
            return
        if self._lost_since is None:
            self._lost_since = now
        if self.state is SwitchState.ARMED and now - self._lost_since >= self.grace:
            self.state = SwitchState.TRIPPED
            await self.cancel_everything()
        elif self.state is SwitchState.TRIPPED and self.orders.open_orders():
            await self.cancel_everything()  # the last attempt did not get through

    async def cancel_everything(self) -> None:
        symbols = sorted({o.symbol for o in self.orders.open_orders()})
        log.warning("dead-man's switch tripped: cancelling every order on %s", symbols)
        for symbol in symbols:
            try:
                self.cancelled += len(await self.orders.cancel_all(symbol))
            except VenueError as error:
                log.warning("dead-man's switch could not cancel on %s yet: %s", symbol, error)
