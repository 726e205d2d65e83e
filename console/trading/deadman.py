"""The dead-man's switch: resting orders do not outlive the console's view of the venue.

Venue-side where the venue has one (Huobi's cancel-all-after, refreshed well inside its
timeout); client-side otherwise, as on Binance spot. The client-side switch counts from the
last sign of life of the quietest stream (a frame or a pong; every stream is pinged so a
quiet market still answers): once that is `grace` seconds old it trips, blocks new orders
and cancels every order over REST, retrying with backoff until the venue answers. It
re-arms only when the streams are back, nothing it must cancel is left, and the orders are
reconciled (VENUES.md §5). Client-side means the console must be running to do this: a
killed process or a dead machine cancels nothing.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from console.errors import InvalidOrder, VenueError
from console.model import Order, OrderStatus
from console.net.backoff import Backoff
from console.net.stream import StreamState
from console.trading.orders import UNRESOLVED, OrderManager
from console.venues.base import Venue

log = logging.getLogger(__name__)

SILENCE_SHOWN_AFTER = 3.0
"""Seconds of silence before the status bar counts it: a healthy link goes a second or two
between frames (a quiet account stream, a ping's round trip), which is no news."""

CHECK_EVERY = 0.25
DISARM_WAIT = 3.0
CONFIRMED_OPEN = frozenset({OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED})


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
        backoff: Backoff | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.venue = venue
        self.orders = orders
        self.grace = grace
        self.clock = clock
        self.sleep = sleep
        """How the guard waits between checks: with `clock`, what a test moves."""
        self.backoff = backoff or Backoff(base=0.5, cap=5.0)
        self.read_only = orders.read_only
        """Watch only: the switch stays off, since it may not cancel anything."""
        self.state = SwitchState.ARMED if grace > 0 and not self.read_only else SwitchState.OFF
        self.tripped_at: float | None = None
        self.unreachable: str | None = None
        """Why the last cancel attempt failed, while the venue cannot be reached."""
        self._next_attempt = 0.0
        self._swept: set[str] = set()
        """Symbols whose cancel-all went through since the switch tripped."""
        self._open_at_trip: list[str] = []
        self.renews_at: float | None = None
        """When the venue-side switch is next renewed, while it is armed."""
        self._renewal: asyncio.Future[None] | None = None
        self.renewed_at: float | None = None
        """When the venue's switch was last armed or renewed."""
        self.venue_armed = False
        """Whether the venue's own switch may be armed: from the first renewal sent (its
        answer may be lost) until a disarm the venue confirmed."""
        self._running = False
        self._run_task: asyncio.Task[Any] | None = None

    @property
    def cancelled(self) -> int:
        """Orders open when the switch tripped that are cancelled now, by whichever answer
        (a cancel's reply, the user stream or a lookup) brought the news."""
        orders = self.orders.orders
        return sum(1 for cid in self._open_at_trip if orders[cid].status is OrderStatus.CANCELED)

    @property
    def blocks_orders(self) -> bool:
        return self.state is SwitchState.TRIPPED

    def describe(self) -> str:
        """The switch in a few words: which side guards, and the countdown that matters."""
        if self.read_only:
            return "DMS off: read-only"
        if self.state is SwitchState.OFF:
            return "DMS off"
        if self.state is SwitchState.TRIPPED:
            left = len(self.orders_left())
            if self.unreachable is not None and left:
                return f"DMS TRIPPED: venue unreachable, {left} orders not cancelled yet, retrying"
            return f"DMS TRIPPED: {self.cancelled} cancelled, orders blocked"
        silent = self.silence()
        if self.venue_side and self.renews_at is not None:
            renew = max(0.0, self.renews_at - self.clock())
            return f"DMS ARMED venue-side {self.grace:g}s, renews in {renew:.0f}s"
        if silent >= SILENCE_SHOWN_AFTER:
            trips = max(0, math.ceil(self.grace - silent))
            # short enough that the book's state after it stays in view at 80 columns
            return f"DMS ARMED: silent {silent:.0f}s, trips in {trips}s"
        return f"DMS ARMED client-side {self.grace:g}s, trips in {math.ceil(self.grace)}s"

    def arm(self, grace: float) -> None:
        """Arm with `grace` seconds (the caller then starts `run`); refused when read-only."""
        if self.read_only:
            raise InvalidOrder(msg="read-only: the dead-man's switch cannot cancel, so it is off")
        self.grace = grace
        self.state = SwitchState.ARMED
        self.renews_at = None
        log.warning("dead-man's switch armed by the trader: %gs", grace)

    def disarm(self) -> None:
        """Stop guarding: `run` ends at its next look and disarms the venue's own switch."""
        self.state = SwitchState.OFF
        log.warning("dead-man's switch disarmed by the trader")

    def silence(self) -> float:
        """Seconds since the quietest stream was last heard from."""
        now = self.clock()
        ages = [s.heartbeat_age(now) for s in self.venue.streams]
        return max((age for age in ages if age is not None), default=0.0)

    def venue_back(self) -> bool:
        return all(s.state is StreamState.LIVE for s in self.venue.streams)

    def orders_left(self) -> list[Order]:
        """Orders the venue holds open, and those whose outcome is unknown that no
        cancel-all has covered since the switch tripped."""
        return [
            order
            for order in self.orders.open_orders()
            if order.status in CONFIRMED_OPEN
            or (order.status in UNRESOLVED and order.symbol not in self._swept)
        ]

    def orders_to_cancel(self) -> list[str]:
        """The symbols of the orders left, each to be swept by one cancel-all."""
        return sorted({order.symbol for order in self.orders_left()})

    @property
    def venue_side(self) -> bool:
        return self.venue.capabilities.venue_dead_mans_switch

    async def run(self) -> None:
        """Guard while armed; one run at a time, so arming again while a disarm is finishing
        guards again once it is done, instead of starting a second loop."""
        if self._running:
            return
        self._running = True
        self._run_task = asyncio.current_task()
        try:
            while self.state is not SwitchState.OFF:
                await self._guard()
        finally:
            self._running = False

    async def _guard(self) -> None:
        """Watch the streams (and on a venue with its own switch, keep that one armed: it
        guards even when this process or its machine dies); disarm on the way out."""
        try:
            while self.state is not SwitchState.OFF:
                if self.venue_side and self.state is SwitchState.ARMED:
                    await self.renew()
                await self.sleep(CHECK_EVERY)
                await self.check()
        finally:
            if self.venue_armed:
                await self.disarm_venue_side()

    def _check_renewals(self) -> None:
        """Renewals that failed for the whole timeout mean the venue's own switch fired
        (even with the streams alive): its orders are being cancelled, so say so and act
        as tripped until the venue is back and reconciled."""
        if self.renewed_at is None:
            return
        unrenewed = self.clock() - self.renewed_at
        if unrenewed >= self.grace:
            self._trip(
                f"the venue-side switch was not renewed for {unrenewed:.1f}s, so "
                f"{self.venue.name} cancels every order"
            )

    async def renew(self) -> None:
        """Re-arm the venue's switch a third of the way into its timeout (VENUES.md §5).
        The request runs to its end even when the loop is stopped meanwhile, so a disarm
        can wait for it: a renewal landing after the disarm would arm the switch again."""
        now = self.clock()
        if self.renews_at is not None and now < self.renews_at:
            return
        self._renewal = asyncio.ensure_future(self.venue.cancel_all_after(self.grace))
        self.venue_armed = True
        try:
            await asyncio.shield(self._renewal)
        except VenueError as error:
            log.warning("venue-side dead-man's switch not renewed: %s", error)
            self._check_renewals()
            return
        self.renews_at = now + self.grace / 3
        self.renewed_at = now

    async def disarm_venue_side(self) -> None:
        """Stop renewing first (a renewal in flight is let finish), then disarm."""
        self.renews_at = self.renewed_at = None
        if self._renewal is not None and not self._renewal.done():
            await asyncio.wait({self._renewal}, timeout=DISARM_WAIT)
        try:
            await asyncio.wait_for(self.venue.cancel_all_after(0), DISARM_WAIT)
        except (VenueError, TimeoutError) as error:
            log.warning("venue-side dead-man's switch left armed: %s", error)
            return
        self.venue_armed = False

    async def stand_down(self) -> str | None:
        """On the way out, while the venue can still be reached: stop guarding and disarm
        the venue's own switch (a renewal in flight first, as the guard does), asking twice.
        Returns what the trader must be told when the venue did not take the disarm: its
        switch will cancel every order of the account."""
        self.state = SwitchState.OFF
        task = self._run_task
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait({task}, timeout=2 * DISARM_WAIT)
        if self.venue_armed:
            await self.disarm_venue_side()
        if not self.venue_armed:
            return None
        return (
            f"{self.venue.name}'s own dead-man's switch could not be disarmed: it cancels "
            f"every order of the account within {self.grace:g}s"
        )

    async def check(self) -> None:
        """One look: trip after the grace period, cancel until done, re-arm after recovery."""
        if self.state is SwitchState.ARMED:
            silent = self.silence()
            if silent >= self.grace:
                self._trip(
                    f"nothing heard from {self.venue.name} for {silent:.1f}s; "
                    "cancelling every order"
                )
            else:
                return
        if self.state is not SwitchState.TRIPPED:
            return
        if self.orders_to_cancel():
            if self.clock() >= self._next_attempt:
                await self.cancel_everything()
            return
        if self.venue_back():
            await self.orders.reconcile_all()
            if not self.orders_to_cancel():
                self.state = SwitchState.ARMED
                self.unreachable = None
                self._swept.clear()
                log.warning("dead-man's switch re-armed: the venue is back and orders reconciled")

    def _trip(self, why: str) -> None:
        self.state = SwitchState.TRIPPED
        self.tripped_at = self.clock()
        self.renewed_at = None
        self._open_at_trip = [o.client_order_id for o in self.orders.open_orders()]
        self._next_attempt = 0.0
        self.backoff.reset()
        log.warning("dead-man's switch fired: %s", why)

    async def cancel_everything(self) -> None:
        failed = None
        for symbol in self.orders_to_cancel():
            try:
                await self.orders.cancel_all(symbol)
                self._swept.add(symbol)
            except VenueError as error:
                failed = error
                log.warning("dead-man's switch could not cancel on %s yet: %s", symbol, error)
        if failed is None:
            self.unreachable = None
            self.backoff.reset()
            await self.orders.reconcile_all()
            return
        self.unreachable = str(failed)
        self._next_attempt = self.clock() + self.backoff.next_delay()
