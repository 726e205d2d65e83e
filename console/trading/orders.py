"""The order manager: client order ids, the order state machine and reconciliation.

Every order gets a client order id before it is sent, and its intent is journaled first.
A definite refusal ends it as REJECTED; a timeout, 5XX or lost connection leaves it UNKNOWN
(the venue may have acted) and it is reconciled by that id, never sent again. Updates from
the user stream and from queries merge without ever moving an order backwards.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec

from console.errors import OrderNotFound, UnknownStatus, VenueError
from console.model import Balance, Fill, Order, OrderStatus
from console.trading.journal import Journal
from console.venues.base import OrderRequest, Venue

log = logging.getLogger(__name__)

TERMINAL = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED, OrderStatus.EXPIRED}
)
NOT_FOUND_LIMIT = 3
"""Misses before an unknown order counts as never accepted: a venue may not show a new
order at once (VENUES.md §6.2)."""


@dataclass(frozen=True)
class ReconcilePolicy:
    not_found_limit: int = NOT_FOUND_LIMIT
    retry_delay: float = 1.0


def new_session_tag() -> str:
    """A short tag unique to this run, so client order ids never repeat across restarts."""
    return format(int(time.time()) % 36**5, "x") + os.urandom(2).hex()


def merge(current: Order, update: Order) -> Order:
    """The later of two views of one order: terminal wins, filled size never shrinks."""
    if current.status in TERMINAL and update.status not in TERMINAL:
        return current
    if update.filled_qty < current.filled_qty:
        return current
    if update.status in (OrderStatus.PENDING, OrderStatus.UNKNOWN) and (
        current.status not in (OrderStatus.PENDING, OrderStatus.UNKNOWN)
    ):
        return current
    return update


class OrderManager:
    """Owns the console's orders and balances; the venue's user stream feeds it."""

    def __init__(
        self,
        venue: Venue,
        journal: Journal | None = None,
        policy: ReconcilePolicy | None = None,
        session_tag: str | None = None,
    ) -> None:
        self.venue = venue
        self.journal = journal
        self.policy = policy or ReconcilePolicy()
        self.orders: dict[str, Order] = {}
        self.balances: dict[str, Balance] = {}
        self.fills: list[Fill] = []
        self.version = 0
        self.user_stream_live = False
        self._tag = session_tag or new_session_tag()
        self._counter = itertools.count(1)
        self._tasks: set[asyncio.Task[object]] = set()
        self._listeners: list[Callable[[], None]] = []

    # -- ids and state ---------------------------------------------------------------------

    def new_client_order_id(self) -> str:
        """`tc-<session>-<n>`: at most 36 of [A-Za-z0-9_-], valid on every venue."""
        return f"tc-{self._tag}-{next(self._counter)}"

    def _store(self, order: Order, kind: str) -> Order:
        current = self.orders.get(order.client_order_id)
        stored = order if current is None else merge(current, order)
        self.orders[order.client_order_id] = stored
        if self.journal is not None and stored is order:
            self.journal.record(kind, order)
        self.version += 1
        return stored

    def open_orders(self, symbol: str | None = None) -> list[Order]:
        return [
            o
            for o in self.orders.values()
            if o.status.is_open and (symbol is None or o.symbol == symbol)
        ]

    # -- order entry -------------------------------------------------------------------------

    async def submit(self, request: OrderRequest) -> Order:
        """Journal the intent, send once, and record the answer or the uncertainty."""
        now = int(time.time() * 1000)
        pending = Order(
            symbol=request.symbol,
            client_order_id=request.client_order_id,
            side=request.side,
            type=request.type,
            qty=request.qty if request.qty is not None else Decimal(0),
            price=request.price,
            time_in_force=request.time_in_force,
            status=OrderStatus.PENDING,
            created_ms=now,
            updated_ms=now,
        )
        if request.client_order_id in self.orders:
            raise ValueError(f"client order id {request.client_order_id} was already used")
        self._store(pending, "intent")
        try:
            answer = await self.venue.place(request)
        except UnknownStatus as error:
            log.warning("%s: outcome unknown (%s); reconciling", request.client_order_id, error)
            unknown = self._replace_status(pending, OrderStatus.UNKNOWN)
            self._store(unknown, "unknown")
            self._spawn(self.reconcile(request.symbol, request.client_order_id))
            return self.orders[request.client_order_id]
        except VenueError:
            self._store(self._replace_status(pending, OrderStatus.REJECTED), "rejected")
            raise
        return self._store(answer, "answer")

    async def cancel(self, client_order_id: str) -> Order:
        order = self.orders[client_order_id]
        try:
            answer = await self.venue.cancel(order.symbol, client_order_id)
        except OrderNotFound:
            return await self.reconcile(order.symbol, client_order_id)
        return self._store(answer, "cancel")

    async def cancel_all(self, symbol: str) -> list[Order]:
        try:
            answers = await self.venue.cancel_all(symbol)
        except OrderNotFound:
            answers = []
        for answer in answers:
            self._store(answer, "cancel")
        return answers

    # -- reconciliation ----------------------------------------------------------------------

    async def reconcile(self, symbol: str, client_order_id: str) -> Order:
        """Ask the venue what became of an order; misses count before it is declared gone."""
        misses = 0
        while True:
            try:
                found = await self.venue.order(symbol, client_order_id)
            except OrderNotFound:
                misses += 1
                if misses >= self.policy.not_found_limit:
                    current = self.orders[client_order_id]
                    if current.status in (OrderStatus.PENDING, OrderStatus.UNKNOWN):
                        return self._store(
                            self._replace_status(current, OrderStatus.REJECTED), "not-found"
                        )
                    return current
            except VenueError as error:
                log.warning("%s: reconcile query failed: %s", client_order_id, error)
            else:
                return self._store(found, "reconciled")
            await asyncio.sleep(self.policy.retry_delay)

    async def reconcile_all(self) -> None:
        """After a reconnect or a restart: compare every open or unknown order with the venue."""
        symbols = {o.symbol for o in self.orders.values() if o.status not in TERMINAL}
        for symbol in sorted(symbols):
            try:
                venue_open = {o.client_order_id: o for o in await self.venue.open_orders(symbol)}
            except VenueError as error:
                log.warning("open orders of %s unavailable: %s", symbol, error)
                continue
            for order in venue_open.values():
                self._store(order, "reconciled")
            for order in list(self.orders.values()):
                if (
                    order.symbol == symbol
                    and order.status not in TERMINAL
                    and (order.client_order_id not in venue_open)
                ):
                    await self.reconcile(symbol, order.client_order_id)

    def recover(self) -> list[Order]:
        """Load the journal's unfinished orders; the caller then runs `reconcile_all`."""
        if self.journal is None:
            return []
        unfinished = [o for o in self.journal.latest().values() if o.status not in TERMINAL]
        for order in unfinished:
            self.orders[order.client_order_id] = order
        self.version += 1
        return unfinished

    async def settled(self) -> None:
        """Wait for background reconciliations (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coroutine: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[object] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    def _replace_status(order: Order, status: OrderStatus) -> Order:
        return msgspec.structs.replace(order, status=status, updated_ms=int(time.time() * 1000))

    # -- the user stream (AccountSink) -------------------------------------------------------

    def on_order(self, order: Order, fill: Fill | None) -> None:
        self._store(order, "update")
        if fill is not None:
            self.fills.append(fill)

    def on_balances(self, balances: Sequence[Balance]) -> None:
        for balance in balances:
            self.balances[balance.asset] = balance
        self.version += 1

    def on_user_stream(self, live: bool) -> None:
        was_live, self.user_stream_live = self.user_stream_live, live
        self.version += 1
        if live and not was_live:
            self._spawn(self._refresh())

    async def _refresh(self) -> None:
        """On (re)connect: balances, then every order we may have missed news of."""
        try:
            self.on_balances(await self.venue.balances())
        except VenueError as error:
            log.warning("balances unavailable: %s", error)
        await self.reconcile_all()
