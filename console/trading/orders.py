"""The order manager: client order ids, the order state machine and reconciliation.

Every order gets a client order id before it is sent, and its intent is journaled first.
A definite refusal ends it as REJECTED; a timeout, 5XX or lost connection leaves it UNKNOWN
(the venue may have acted) and it is reconciled by that id, never sent again. Updates from
the user stream and from queries merge without ever moving an order backwards.

An order the venue holds that this console never placed (another program's, or one placed
by hand) is an orphan: shown, never journaled, until the trader adopts or cancels it. Fills
the user stream missed while it was down are fetched after it comes back, each counted once.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import os
import time
from collections import Counter, defaultdict, deque
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec

from console.errors import (
    AuthError,
    Banned,
    InvalidOrder,
    NetworkError,
    OrderNotFound,
    RateLimited,
    UnknownStatus,
    VenueError,
)
from console.model import Balance, Fill, Order, OrderStatus, Side
from console.net.backoff import Backoff
from console.trading.journal import Journal, JournalError
from console.trading.ledger import Ledger
from console.venues.base import OrderRequest, Venue

log = logging.getLogger(__name__)

TERMINAL = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED, OrderStatus.EXPIRED}
)
UNRESOLVED = frozenset({OrderStatus.PENDING, OrderStatus.UNKNOWN})
FROM_THE_VENUE = frozenset({"update", "reconciled"})
"""Journal kinds of news that can name an order this console never placed."""
MOVABLE = frozenset({OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED})
MOVE_WAIT = 3.0
"""Seconds a move waits for the venue to say a cancelled order is off the book before it
looks the order up; the new order is placed only once it is."""


@dataclass(frozen=True)
class ReconcilePolicy:
    lookup_window: float = 300.0
    """How long after an order was placed a venue that does not know its client order id
    proves nothing: a venue may not show a new order for seconds to minutes (VENUES.md
    §6.2), so until then the order stays as it was, shown and counted as open, and is looked
    up again. After it, a miss settles it: NEVER_SEEN if the venue never acknowledged it,
    VANISHED if it did. A later venue event for its id still settles it (after a restart,
    as an orphan)."""
    first_delay: float = 0.25
    max_delay: float = 10.0
    open_orders_attempts: int = 4
    """Tries at a symbol's open orders before its reconciliation is put off to later."""
    retry_later: float = 5.0
    """Seconds before a reconciliation that could not reach the venue runs again."""


class Agreement(enum.StrEnum):
    AGREE = "ok"
    ORPHAN = "ORPHAN"
    """Open on the venue, not placed here."""
    UNKNOWN = "UNKNOWN"
    """Sent, outcome not known yet: looked up by client order id."""
    NOT_LISTED = "NOT LISTED"
    """Open here, absent from the venue's list: being looked up."""


@dataclass(frozen=True)
class Compared:
    order: Order
    venue_status: OrderStatus | None
    agreement: Agreement


@dataclass(frozen=True)
class Moved:
    """What a move did, as one action with both outcomes: the old order as it now stands,
    the new one where one was sent, and why not (or what went wrong) otherwise."""

    old: Order
    new: Order | None
    problem: str = ""

    @property
    def text(self) -> str:
        old, new = self.old, self.new
        if new is not None and not self.problem:
            return f"moved to {new.price}: {new.client_order_id} {new.status.value}"
        if new is not None and new.status is OrderStatus.UNKNOWN:
            return self.problem
        if old.status is OrderStatus.CANCELED:
            return f"cancelled, not replaced: {self.problem}"
        if old.status.is_open:
            return f"not moved: {self.problem}"
        return f"{old.status.value} before the move: {self.problem}"


def new_session_tag() -> str:
    """A short tag unique to this run, so client order ids never repeat across restarts."""
    return format(int(time.time()) % 36**5, "07x") + os.urandom(2).hex()


def merge(current: Order, update: Order) -> Order:
    """The later of two views of one order: terminal wins, filled size never shrinks, and
    the order was created at the earliest time either view gives (a cancel's answer stamps
    the cancel's time; our clock and the venue's differ): its fills are fetched from then."""
    if current.status in TERMINAL and update.status not in TERMINAL:
        return current
    if update.filled_qty < current.filled_qty:
        return current
    if update.status in (OrderStatus.PENDING, OrderStatus.UNKNOWN) and (
        current.status not in (OrderStatus.PENDING, OrderStatus.UNKNOWN)
    ):
        return current
    kept: dict[str, Any] = {}
    if update.trigger is None and current.trigger is not None:  # a report that omits it
        kept["trigger"] = current.trigger
    if current.created_ms and not 0 < update.created_ms <= current.created_ms:
        kept["created_ms"] = current.created_ms
    return msgspec.structs.replace(update, **kept) if kept else update


class Resting:
    """Where the trader's open orders rest, by symbol: how many at each side and price.
    Kept as orders change, so the ladder marks its levels from a few prices, not by walking
    every order on every frame."""

    def __init__(self) -> None:
        self._by_symbol: defaultdict[str, Counter[tuple[Side, Decimal]]] = defaultdict(Counter)
        self.version = 0
        """Moves on every change: a ladder built at one version marks the levels of any other."""

    def change(self, before: Order | None, after: Order | None) -> None:
        """An order went from `before` to `after` (None: it was not held, or is let go)."""
        self.version += 1
        for order, step in ((before, -1), (after, 1)):
            if order is not None and order.status.is_open and order.price is not None:
                levels = self._by_symbol[order.symbol]
                key = (order.side, order.price)
                levels[key] += step
                if levels[key] <= 0:
                    del levels[key]

    def prices(self, symbol: str) -> list[tuple[Side, Decimal]]:
        """The (side, price) pairs at which at least one of the trader's orders rests."""
        return list(self._by_symbol.get(symbol, ()))


class OrderManager:
    """Owns the console's orders and balances; the venue's user stream feeds it."""

    def __init__(
        self,
        venue: Venue,
        journal: Journal | None = None,
        policy: ReconcilePolicy | None = None,
        session_tag: str | None = None,
        keep_fills: int = 10_000,
        keep_finished: int = 10_000,
        read_only: bool = False,
    ) -> None:
        self.venue = venue
        self.read_only = read_only
        """Watch only: nothing that changes the account leaves, whoever asks (the trader, the
        switch, the quit policy)."""
        self.journal = journal
        self.policy = policy or ReconcilePolicy()
        self.orders: dict[str, Order] = {}
        self.resting = Resting()
        """Where the open orders rest, kept with `orders`."""
        self.balances: dict[str, Balance] = {}
        self.fills: deque[Fill] = deque(maxlen=keep_fills)
        self._fill_keys: set[tuple[str, str]] = set()
        """(order id, trade id) of every fill held, so a fill heard twice counts once."""
        self._held: dict[str, Decimal] = {}
        """The size of the fills held, by order id: what an order's filled size is checked
        against to see fills missing."""
        self.fills_heard = 0
        """Fills held since the start, the oldest let go included: a screen that saw `n`
        of them has news in the last `fills_heard - n`."""
        self.fees: dict[str, dict[str, Decimal]] = {}
        """Fees paid by each order held (client order id), by asset."""
        self.ledger = Ledger()
        """Positions over the fills held and the venue's recent history of the symbols
        followed."""
        self.session_ledger = Ledger()
        """Positions over this session's fills alone: what this session made or lost."""
        self.orphans: set[str] = set()
        """Client ids of open orders the venue holds that this console did not place."""
        self.traded: set[str] = set()
        """Symbols reconciled after every reconnect even with no order open here: where a
        trader works, another program's orders are worth knowing of."""
        self.reconciled_at: float | None = None
        """Wall-clock time of the last complete comparison with the venue."""
        self._finished: deque[str] = deque()
        """Client ids of the orders that ended, oldest first, so the oldest can be let go."""
        self.keep_finished = keep_finished
        self.version = 0
        self.user_stream_live = False
        self._tag = session_tag or new_session_tag()
        self._counter = itertools.count(1)
        self.problem: str | None = None
        """A permanent failure (a refused key, say) that stopped reconciliation."""
        self.journal_failed: str | None = None
        """Why the journal could not be written: no order is sent without its intent."""
        self._tasks: set[asyncio.Task[object]] = set()
        self._ending: dict[str, asyncio.Event] = {}
        """Orders being moved, told when they end."""
        self._resolving: set[str] = set()
        self._reconcile_scheduled = False
        self._catch_up_due: float | None = None
        """When the waiting catch-up of missed fills runs (`time.monotonic`), if one waits."""
        self._fills_refused = False
        """The venue refused the key its fills (a permission): not asked for them unbidden."""

    # -- ids and state ---------------------------------------------------------------------

    def new_client_order_id(self) -> str:
        """`tc-<session>-<n>`, or as near as the venue's id policy allows."""
        return self.venue.capabilities.ids.make(self._tag, next(self._counter))

    def placed_here(self, order: Order) -> bool:
        """Whether this console's journal placed (or adopted) the order: another console's
        order looks like ours by its id, but it came to us from the venue, as an orphan."""
        cid = order.client_order_id
        return cid in self.orders and cid not in self.orphans

    def _refuse_without_journal(self) -> None:
        if self.journal_failed is not None:
            raise InvalidOrder(msg=f"not sent: {self.journal_failed}")

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise InvalidOrder(msg="read-only: no order or cancel leaves this console")

    def _store(self, order: Order, kind: str) -> Order:
        cid = order.client_order_id
        current = self.orders.get(cid)
        if current is None and kind in FROM_THE_VENUE:
            if order.status in TERMINAL:
                return order  # another program's finished order: not ours to show
            self.orphans.add(cid)
            log.warning(
                "%s on %s: open on the venue but not placed here (orphan)", cid, order.symbol
            )
        stored = order if current is None else merge(current, order)
        if stored == current:
            return stored  # nothing new: no journal row, no redraw
        self.orders[cid] = stored
        self.resting.change(current, stored)
        if not stored.status.is_open and (current is None or current.status.is_open):
            self._let_go_of_the_oldest(cid)
            if cid in self._ending:
                self._ending[cid].set()
        if cid not in self.orphans:
            self._journal(kind, stored)
        self.version += 1
        if kind == "reconciled":
            self._catch_up_if_behind(stored)
        return stored

    def _journal(self, kind: str, order: Order) -> None:
        """Write one event; a journal that fails (a full disk) stops new orders, never the
        cancels, the switch or the quit policy, which go on from what is held here."""
        if self.journal is None:
            return
        try:
            self.journal.record(kind, order)
        except JournalError as error:
            if self.journal_failed is None:
                log.error("%s; no new order is sent until the console restarts", error)
            self.journal_failed = str(error)

    def adopt(self, client_order_id: str) -> Order:
        """Take an orphan in: journaled from now on, so a restart knows it as this console's."""
        self.orphans.discard(client_order_id)
        order = self.orders[client_order_id]
        self._journal("adopted", order)
        self.version += 1
        return order

    def _let_go_of_the_oldest(self, client_order_id: str) -> None:
        """An order ended: past `keep_finished` ended orders, the oldest leaves the view."""
        self._finished.append(client_order_id)
        while len(self._finished) > self.keep_finished:
            old = self._finished.popleft()
            if old in self.orders and not self.orders[old].status.is_open:
                del self.orders[old]
                self.orphans.discard(old)
                self.fees.pop(old, None)

    def open_orders(self, symbol: str | None = None) -> list[Order]:
        return [
            o
            for o in self.orders.values()
            if o.status.is_open and (symbol is None or o.symbol == symbol)
        ]

    def open_orphans(self) -> list[Order]:
        return [o for o in self.open_orders() if o.client_order_id in self.orphans]

    # -- order entry -------------------------------------------------------------------------

    async def submit(self, request: OrderRequest) -> Order:
        """Journal the intent, send once, and record the answer or the uncertainty."""
        pending = self._intend(request)
        try:
            answer = await self.venue.place(request)
        except UnknownStatus as error:
            return self._unknown(pending, error)
        except VenueError:
            self._store(self._replace_status(pending, OrderStatus.REJECTED), "rejected")
            raise
        return self._store(answer, "answer")

    async def submit_oco(self, limit: OrderRequest, stop: OrderRequest) -> tuple[Order, Order]:
        """A limit order and a stop as one pair, one cancelling the other: both intents
        journaled, sent once, both answers (or the uncertainty) recorded."""
        pending = [self._intend(limit), self._intend(stop)]
        try:
            placed = await self.venue.place_oco(limit, stop, f"{limit.client_order_id}-oco")
        except UnknownStatus as error:
            unknown = [self._unknown(order, error) for order in pending]
            return unknown[0], unknown[1]
        except VenueError:
            for order in pending:
                self._store(self._replace_status(order, OrderStatus.REJECTED), "rejected")
            raise
        return self._store(placed[0], "answer"), self._store(placed[1], "answer")

    def _intend(self, request: OrderRequest) -> Order:
        """The order about to be sent, journaled as PENDING first; refused (nothing sent)
        in read-only mode or when its intent cannot be kept."""
        self.refuse_if_read_only()
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
            trigger=request.trigger,
        )
        if request.client_order_id in self.orders:
            raise ValueError(f"client order id {request.client_order_id} was already used")
        self._refuse_without_journal()
        self._store(pending, "intent")
        if self.journal_failed is not None:  # never sent: its intent was not kept
            self.resting.change(self.orders.pop(request.client_order_id), None)
            self._refuse_without_journal()
        return pending

    def _unknown(self, pending: Order, error: VenueError) -> Order:
        """The venue may have taken the order: UNKNOWN, looked up by its id, never resent."""
        cid = pending.client_order_id
        log.warning("%s: outcome unknown (%s); reconciling", cid, error)
        self._store(self._replace_status(pending, OrderStatus.UNKNOWN), "unknown")
        self.resolve(pending.symbol, cid)
        return self.orders[cid]

    # -- moving a resting order ------------------------------------------------------------

    async def move(self, client_order_id: str, price: Decimal, qty: Decimal) -> Moved:
        """Rest `qty` at `price` in place of a resting order: in one request where the venue
        cancels and places together (only while nothing of the order has traded), else a
        cancel and then, once the venue confirms it ended untouched since the trader saw
        it, a place. Nothing is placed when the cancel fails or the order traded first."""
        self.refuse_if_read_only()
        old = self.orders.get(client_order_id)
        if old is None or old.status not in MOVABLE or old.price is None:
            raise InvalidOrder(msg=f"{client_order_id} is not resting at a price: nothing moved")
        if client_order_id in self.orphans:
            raise InvalidOrder(msg=f"{client_order_id} is another program's order: not moved")
        request = OrderRequest(
            old.symbol,
            old.side,
            old.type,
            self.new_client_order_id(),
            qty=qty,
            price=price,
            time_in_force=old.time_in_force,
        )
        if self.venue.capabilities.replaces and old.status is OrderStatus.NEW:
            return await self._replace(old, request)
        return await self._cancel_then_place(old, request)

    async def _replace(self, old: Order, request: OrderRequest) -> Moved:
        pending = self._intend(request)
        cid = old.client_order_id
        try:
            ended, placed = await self.venue.replace(old, request)
        except UnknownStatus as error:
            new = self._unknown(pending, error)
            self.resolve(old.symbol, cid)
            return Moved(self.orders[cid], new, "no answer: both orders are being looked up")
        except VenueError as error:
            self._store(self._replace_status(pending, OrderStatus.REJECTED), "rejected")
            await self._look_up_once(old)  # the cancel may have gone through (-2021)
            return Moved(self.orders[cid], None, error.msg or str(error))
        self._store(ended, "cancel")
        return Moved(self.orders[cid], self._store(placed, "answer"))

    async def _cancel_then_place(self, old: Order, request: OrderRequest) -> Moved:
        self._refuse_without_journal()  # a move that could not place must not cancel
        cid = old.client_order_id
        await self.cancel(cid)
        ended = await self._until_ended(cid)
        if ended.status.is_open:
            return Moved(ended, None, "the venue has not confirmed the cancel: nothing placed")
        if ended.status is not OrderStatus.CANCELED:
            return Moved(ended, None, "it ended before the cancel: nothing placed")
        if ended.filled_qty != old.filled_qty:
            traded = ended.filled_qty - old.filled_qty
            return Moved(ended, None, f"{traded} more traded before the cancel: nothing placed")
        try:
            return Moved(ended, await self.submit(request))
        except VenueError as error:
            return Moved(ended, self.orders.get(request.client_order_id), error.msg or str(error))

    async def _until_ended(self, client_order_id: str) -> Order:
        """The order once the venue says it ended (a cancel's answer can come before the
        order is off the book: Huobi's `canceling`), within `MOVE_WAIT`, then looked up."""
        order = self.orders[client_order_id]
        if not order.status.is_open:
            return order
        ended = self._ending.setdefault(client_order_id, asyncio.Event())
        try:
            await asyncio.wait_for(ended.wait(), MOVE_WAIT)
        except TimeoutError:
            await self._look_up_once(order)
        finally:
            self._ending.pop(client_order_id, None)
        return self.orders[client_order_id]

    async def cancel(self, client_order_id: str) -> Order:
        self.refuse_if_read_only()
        order = self.orders[client_order_id]
        try:
            answer = await self.venue.cancel(order.symbol, client_order_id)
        except OrderNotFound:
            await self._look_up_once(order)
            return self.orders[client_order_id]
        return self._store(answer, "cancel")

    async def cancel_all(self, symbol: str) -> list[Order]:
        self.refuse_if_read_only()
        try:
            answers = await self.venue.cancel_all(symbol)
        except OrderNotFound:
            answers = []
        for answer in answers:
            self._store(answer, "cancel")
        return answers

    # -- reconciliation ----------------------------------------------------------------------

    async def reconcile(self, symbol: str, client_order_id: str) -> Order:
        """Look an order up by client order id until the venue knows it or the lookup window
        ends; a miss, a network error or a rate limit only delays the next look."""
        backoff = Backoff(self.policy.first_delay, self.policy.max_delay)
        asked_about = self.orders[client_order_id]
        while True:
            current = self.orders[client_order_id]
            if current is not asked_about or not current.status.is_open:
                return current  # the user stream settled it meanwhile
            try:
                return self._store(await self.venue.order(symbol, client_order_id), "reconciled")
            except OrderNotFound:
                pass
            except (AuthError, InvalidOrder) as error:
                self._stop(f"cannot look up {client_order_id}", error)
                return current
            except VenueError as error:
                log.warning("%s: lookup failed, will retry: %s", client_order_id, error)
            delay = backoff.next_delay()
            if self._window_left(current) < delay:
                return self._settle_unknown_to_the_venue(current)
            await asyncio.sleep(delay)

    def _window_left(self, order: Order) -> float:
        """Seconds before a miss on `order` settles it (its lookup window, from its placing)."""
        return order.created_ms / 1000 + self.policy.lookup_window - time.time()

    def _settle_unknown_to_the_venue(self, order: Order) -> Order:
        """The venue does not know an order past its lookup window: it ends, journaled."""
        if order.status in UNRESOLVED:
            status, kind, taken = OrderStatus.NEVER_SEEN, "never-seen", "never placed"
        else:
            status, kind, taken = OrderStatus.VANISHED, "vanished", "gone from the venue"
        log.warning(
            "%s: the venue does not know it %.0fs after it was placed; taken as %s (%s) "
            "unless the venue speaks of it later",
            order.client_order_id,
            self.policy.lookup_window,
            taken,
            status,
        )
        return self._store(self._replace_status(order, status), kind)

    def resolve(self, symbol: str, client_order_id: str) -> None:
        """Start looking an unresolved order up in the background, once per order."""
        if client_order_id not in self._resolving:
            self._resolving.add(client_order_id)
            self._spawn(self._resolve(symbol, client_order_id))

    async def _resolve(self, symbol: str, client_order_id: str) -> None:
        try:
            await self.reconcile(symbol, client_order_id)
        finally:
            self._resolving.discard(client_order_id)

    def watched_symbols(self) -> list[str]:
        """Where the venue's open orders are compared with ours: every symbol with an order
        open here, and every symbol the trader works on."""
        return sorted({o.symbol for o in self.orders.values() if o.status.is_open} | self.traded)

    async def reconcile_all(self) -> None:
        """After a reconnect or a restart: compare every open or unknown order with the venue.
        A symbol whose open orders cannot be fetched now is tried again later, not skipped."""
        complete = True
        for symbol in self.watched_symbols():
            venue_open = await self._venue_open_orders(symbol)
            if venue_open is None:
                complete = False
                self._retry_reconcile_later()
                continue
            await self._settle_against(symbol, venue_open)
        for order in self.filled_short():
            await self._look_up_once(order)
        if complete:
            self._reconciled()

    def filled_short(self) -> list[Order]:
        """Orders that ended FILLED at less than their size: news of them was partly lost
        (a fill heard without its order's own update), so the venue is asked again."""
        return [
            o
            for o in self.orders.values()
            if o.status is OrderStatus.FILLED and o.qty > 0 and o.filled_qty < o.qty
        ]

    async def compare(self) -> list[Compared]:
        """Reconcile now and say, for every order open on either side, how the two agree;
        raises `VenueError` when the venue cannot list a symbol's open orders."""
        listed: dict[str, Order] = {}
        for symbol in self.watched_symbols():
            venue_open = await self._venue_open_orders(symbol)
            if venue_open is None:
                raise NetworkError(msg=f"the venue did not list the open orders of {symbol}")
            await self._settle_against(symbol, venue_open)
            listed.update(venue_open)
        self._reconciled()
        rows = []
        for order in sorted(self.open_orders(), key=lambda o: (o.symbol, o.created_ms)):
            cid = order.client_order_id
            if cid in self.orphans:
                agreement = Agreement.ORPHAN
            elif order.status in UNRESOLVED:
                agreement = Agreement.UNKNOWN
            elif cid not in listed:
                agreement = Agreement.NOT_LISTED
            else:
                agreement = Agreement.AGREE
            venue = listed.get(cid)
            rows.append(Compared(order, None if venue is None else venue.status, agreement))
        return rows

    async def _settle_against(self, symbol: str, venue_open: dict[str, Order]) -> None:
        """Take the venue's open orders of `symbol` in (new ones as orphans) and look up
        each order we hold open that the venue does not list."""
        for order in venue_open.values():
            self._store(order, "reconciled")
        for order in list(self.orders.values()):
            if (
                order.symbol == symbol
                and order.status.is_open
                and order.client_order_id not in venue_open
            ):
                await self._look_up_once(order)

    def _reconciled(self) -> None:
        self.reconciled_at = time.time()
        self.version += 1

    async def _venue_open_orders(self, symbol: str) -> dict[str, Order] | None:
        backoff = Backoff(self.policy.first_delay, self.policy.max_delay)
        for attempt in range(self.policy.open_orders_attempts):
            try:
                return {o.client_order_id: o for o in await self.venue.open_orders(symbol)}
            except (AuthError, InvalidOrder) as error:
                self._stop(f"cannot reconcile {symbol}", error)
                return None
            except VenueError as error:
                log.warning("open orders of %s unavailable: %s", symbol, error)
                if attempt + 1 < self.policy.open_orders_attempts:
                    await asyncio.sleep(backoff.next_delay())
        return None

    async def _look_up_once(self, order: Order) -> None:
        """An order we hold open that the venue no longer lists: ask what became of it."""
        try:
            self._store(await self.venue.order(order.symbol, order.client_order_id), "reconciled")
        except OrderNotFound:
            current = self.orders[order.client_order_id]
            if not current.status.is_open:
                return
            if self._window_left(current) > 0:
                self.resolve(order.symbol, order.client_order_id)
            else:
                self._settle_unknown_to_the_venue(current)
        except VenueError as error:
            log.warning("%s: lookup failed: %s", order.client_order_id, error)
            self._retry_reconcile_later()

    def _stop(self, what: str, error: VenueError) -> None:
        """A refusal retrying cannot cure (a key, a permission): stop and say so."""
        self.problem = f"{what}: {error}"
        log.error("reconciliation stopped: %s", self.problem)

    def _retry_reconcile_later(self) -> None:
        if not self._reconcile_scheduled and self.problem is None:
            self._reconcile_scheduled = True
            self._spawn(self._reconcile_later())

    async def _reconcile_later(self) -> None:
        await asyncio.sleep(self.policy.retry_later)
        self._reconcile_scheduled = False
        await self.reconcile_all()

    def recover(self) -> list[Order]:
        """Load the journal's unfinished orders; the caller then runs `reconcile_all`."""
        if self.journal is None:
            return []
        unfinished = [o for o in self.journal.latest().values() if o.status.is_open]
        for order in unfinished:
            self.resting.change(self.orders.get(order.client_order_id), order)
            self.orders[order.client_order_id] = order
        self.version += 1
        return unfinished

    async def settled(self) -> None:
        """Wait for background reconciliations (tests use this)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop(self) -> None:
        """Stop looking orders up, at once: quitting never waits on the network."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def unresolved(self) -> list[Order]:
        return [o for o in self.orders.values() if o.status in UNRESOLVED]

    def _spawn(self, coroutine: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[object] = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    def _replace_status(order: Order, status: OrderStatus) -> Order:
        return msgspec.structs.replace(order, status=status, updated_ms=int(time.time() * 1000))

    # -- the user stream (AccountSink) -------------------------------------------------------

    def on_order(self, order: Order, fill: Fill | None) -> None:
        before = self.orders.get(order.client_order_id)
        stored = self._store(order, "update")
        if fill is not None:
            self._add_fill(fill)
        if stored is not before:
            self._catch_up_if_behind(stored)

    def _add_fill(self, fill: Fill) -> bool:
        """Hold a fill once, however many times it is heard; the oldest go past the limit."""
        key = (fill.order_id, fill.trade_id)
        if key in self._fill_keys:
            return False
        if self.fills.maxlen is not None and len(self.fills) == self.fills.maxlen:
            oldest = self.fills[0]
            self._fill_keys.discard((oldest.order_id, oldest.trade_id))
            left = self._held.pop(oldest.order_id) - oldest.qty
            if left:
                self._held[oldest.order_id] = left
        self.fills.append(fill)
        self._fill_keys.add(key)
        self._held[fill.order_id] = self._held.get(fill.order_id, Decimal(0)) + fill.qty
        self.fills_heard += 1
        if fill.fee and fill.client_order_id in self.orders:
            fees = self.fees.get(fill.client_order_id, {})  # replaced, not changed: a view
            # built on the core's loop may hold the last one
            paid = fees.get(fill.fee_asset, Decimal(0)) + fill.fee
            self.fees[fill.client_order_id] = {**fees, fill.fee_asset: paid}
        self.ledger.add(fill)
        self.session_ledger.add(fill)
        self.version += 1
        return True

    def recall(self, symbol: str, since_ms: int) -> None:
        """Fetch the venue's fills on `symbol` since `since_ms` in the background."""
        self._spawn(self.load_history(symbol, since_ms))

    async def load_history(self, symbol: str, since_ms: int) -> int:
        """Count the venue's fills on `symbol` since `since_ms` into the positions (not into
        this session's): the entry price of what was bought before the console started.
        Returns how many were new; a venue that cannot list them leaves the positions to
        the fills heard from here on."""
        try:
            fills = await self.venue.fills(symbol, since_ms)
        except VenueError as error:
            log.warning("the fills history of %s is unavailable: %s", symbol, error)
            return 0
        added = sum(self.ledger.add(fill) for fill in fills)
        if added:
            self.version += 1
        return added

    def fills_behind(self) -> list[Order]:
        """Orders whose filled size is ahead of the fills held for them: the user stream was
        down when they filled, or lost news of a fill, and their fills are still to be
        fetched."""
        return [o for o in self.orders.values() if self._behind(o)]

    def _behind(self, order: Order) -> bool:
        order_id = order.order_id
        return order_id is not None and order.filled_qty > self._held.get(order_id, Decimal(0))

    def _catch_up_if_behind(self, order: Order) -> None:
        """The venue said an order filled further than its fills held (a lookup, or the
        stream after it lost a frame): its fills are fetched after `retry_later`, unless
        they arrive meanwhile, rather than wait for the next reconnect."""
        if self._behind(order):
            self._catch_up_in(self.policy.retry_later)

    async def catch_up_fills(self) -> int:
        """Fetch the fills of every order in `fills_behind`; returns how many were new. A
        venue that cannot list them now (a rate limit, say) is asked again later: a fill the
        stream missed must not stay missing until the next reconnect."""
        behind = self.fills_behind()
        by_id = {o.order_id: o.client_order_id for o in behind}
        added = 0
        for symbol in sorted({o.symbol for o in behind}):
            since = min(o.created_ms for o in behind if o.symbol == symbol)
            try:
                fills = await self.venue.fills(symbol, since)
            except VenueError as error:
                log.warning("fills of %s unavailable: %s", symbol, error)
                if isinstance(error, AuthError | InvalidOrder):
                    self._fills_refused = True
                else:
                    self._catch_up_later(error)
                continue
            for fill in fills:
                cid = fill.client_order_id or by_id.get(fill.order_id, "")
                added += self._add_fill(msgspec.structs.replace(fill, client_order_id=cid))
        if added:
            log.info("%d fills the account stream missed were fetched", added)
        return added

    def _catch_up_later(self, error: VenueError) -> None:
        """Ask for the missed fills again once the venue allows (its wait for a rate limit or
        a ban, else the policy's `retry_later`)."""
        delay = self.policy.retry_later
        if isinstance(error, RateLimited):
            delay = max(delay, error.retry_after)
        elif isinstance(error, Banned):
            delay = max(delay, error.until - time.time())
        self._catch_up_in(delay)

    def _catch_up_in(self, delay: float) -> None:
        """Fetch the missed fills in `delay` seconds, or later where the catch-up already
        waiting waits longer (for a rate limit): one waits at most, never sooner than the
        venue asked."""
        if self._fills_refused:
            return
        due = time.monotonic() + delay
        if self._catch_up_due is not None:
            self._catch_up_due = max(self._catch_up_due, due)
            return
        self._catch_up_due = due
        self._spawn(self._catch_up_when_due())

    async def _catch_up_when_due(self) -> None:
        while (due := self._catch_up_due) is not None and due > time.monotonic():
            await asyncio.sleep(due - time.monotonic())
        self._catch_up_due = None
        if not self._fills_refused:
            await self.catch_up_fills()

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
        await self.catch_up_fills()
