"""Matching engine of the embedded exchange.

Price-time priority on integer ticks and lots (the same sorted sides as `console.book`, plus
a FIFO queue of orders at each level); balances and fees are exact `Decimal`. Every state
change is published as an event, so each wire dialect in `sim/fronts/` can speak about the
same market in its own words. Refusals carry a `RejectReason` that each front maps to its
venue's own error code and message.
"""

from __future__ import annotations

import enum
import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from console.book import BookSide, OrderBook
from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce

FEE_PRECISION = Decimal("0.00000001")
FILLS_KEPT = 10_000
"""Trade history per account: the newest fills, enough for a client's myTrades paging."""
FINISHED_KEPT = 10_000
"""Finished orders (and order lists) remembered per account for queries; older ones are
forgotten, as a venue archives them, so days of synthetic flow hold memory flat."""


class RejectReason(enum.Enum):
    UNKNOWN_SYMBOL = "unknown symbol"
    PRICE_FILTER = "price off the tick grid or outside the price band"
    LOT_SIZE = "quantity off the lot grid or outside the size band"
    NOTIONAL = "notional below the minimum"
    INSUFFICIENT_BALANCE = "insufficient balance"
    WOULD_TAKE = "post-only order would take liquidity"
    DUPLICATE_ORDER = "client order id already in use by an open order"
    UNKNOWN_ORDER = "no such order"
    BAD_REQUEST = "malformed order"
    WOULD_TRIGGER = "stop order would trigger immediately"
    PRICE_RELATIONSHIP = "the legs' prices are on the wrong sides of the last price"
    NOT_AMENDABLE = "the new quantity must be below the current one and above the filled part"


class Reject(Exception):
    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        self.reason = reason
        super().__init__(detail or reason.value)


class ExecType(enum.StrEnum):
    NEW = "NEW"
    TRADE = "TRADE"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"
    REPLACED = "REPLACED"
    """The order's quantity was amended in place (it keeps its queue position)."""


@dataclass(slots=True, eq=False)
class EngineOrder:
    order_id: int
    client_order_id: str
    account: str
    symbol: str
    side: Side
    type: OrderType
    time_in_force: TimeInForce
    price_ticks: int | None
    qty_lots: int
    quote_qty: Decimal | None
    created_ms: int
    price: Decimal | None = None
    filled_lots: int = 0
    filled_quote: Decimal = Decimal(0)
    status: OrderStatus = OrderStatus.NEW
    updated_ms: int = 0
    locked: Decimal = Decimal(0)
    """What this order still holds locked: quote for a buy, base for a sell."""
    trigger: Trigger | None = None
    """A stop or take-profit order waits off the book until the last price reaches this."""
    list_id: int = -1
    pending: bool = False
    """A leg of an order list waiting for its working order to fill before it is placed."""
    working_ms: int | None = None
    """When the order started to work: at once, on its trigger, or when its list let it."""

    @property
    def remaining_lots(self) -> int:
        return self.qty_lots - self.filled_lots

    @property
    def is_open(self) -> bool:
        return self.status in (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED)

    @property
    def waiting(self) -> bool:
        """Open but not working: a stop not yet triggered, or a pending list leg."""
        return self.is_open and (self.pending or self.working_ms is None)


@dataclass(slots=True, frozen=True)
class Trigger:
    ticks: int
    price: Decimal
    above: bool
    """Fires when the last price rises to the trigger (else when it falls to it)."""

    def fired(self, last_ticks: int) -> bool:
        return last_ticks >= self.ticks if self.above else last_ticks <= self.ticks


class ListKind(enum.StrEnum):
    OCO = "OCO"
    """Two legs at once; when either trades or triggers, the other expires."""
    OTO = "OTO"
    """A working order whose fill places the pending leg (or an OCO pair: OTOCO)."""


@dataclass(slots=True, eq=False)
class OrderList:
    list_id: int
    client_id: str
    kind: ListKind
    symbol: str
    account: str
    working: EngineOrder | None
    """The order the pending legs wait on (OTO); None for an OCO."""
    legs: list[EngineOrder]
    """The contingent legs: one for OTO, two one-cancels-other legs for OCO and OTOCO."""
    created_ms: int
    updated_ms: int
    done: bool = False

    @property
    def orders(self) -> list[EngineOrder]:
        return [self.working, *self.legs] if self.working is not None else list(self.legs)

    @property
    def is_open(self) -> bool:
        return any(o.is_open for o in self.orders)


@dataclass(slots=True, frozen=True)
class Leg:
    """One order of a list as requested: what `Engine.place` takes, for an order not yet made."""

    side: Side
    type: OrderType
    qty: Decimal
    price: Decimal | None = None
    stop_price: Decimal | None = None
    trigger_above: bool = False
    time_in_force: TimeInForce = TimeInForce.GTC
    client_order_id: str | None = None


@dataclass(slots=True)
class Holding:
    free: Decimal = Decimal(0)
    locked: Decimal = Decimal(0)


@dataclass(slots=True)
class Account:
    name: str
    maker_fee: Decimal
    taker_fee: Decimal
    holdings: dict[str, Holding] = field(default_factory=dict)
    open_orders: dict[int, EngineOrder] = field(default_factory=dict)
    cancel_deadline_ms: int | None = None
    cancel_at_most: int | None = None
    fills: deque[Fill] = field(default_factory=lambda: deque(maxlen=FILLS_KEPT))
    finished: deque[int] = field(default_factory=deque)
    """Ids of this account's finished orders, oldest first."""
    finished_lists: deque[int] = field(default_factory=deque)

    def holding(self, asset: str) -> Holding:
        holding = self.holdings.get(asset)
        if holding is None:
            holding = self.holdings[asset] = Holding()
        return holding


@dataclass(slots=True, frozen=True)
class Execution:
    trade_id: int
    price: Decimal
    qty: Decimal
    fee: Decimal
    fee_asset: str
    is_maker: bool


@dataclass(slots=True, frozen=True)
class BookChanged:
    symbol: str
    update_id: int
    changes: list[tuple[Side, int, int]]
    """(side, ticks, lots) with absolute sizes; 0 lots means the level is gone."""


@dataclass(slots=True, frozen=True)
class TradePrinted:
    symbol: str
    trade_id: int
    price: Decimal
    qty: Decimal
    taker_side: Side
    time_ms: int
    taker_order_id: int = 0
    """Fills of one taker order at one price make one aggregate trade."""


@dataclass(slots=True, frozen=True)
class OrderChanged:
    order: EngineOrder
    exec_type: ExecType
    time_ms: int
    fill: Execution | None = None
    reject_reason: str = "NONE"


@dataclass(slots=True, frozen=True)
class BalancesChanged:
    account: str
    balances: dict[str, tuple[Decimal, Decimal]]
    """asset -> (free, locked) after the change."""
    time_ms: int


@dataclass(slots=True, frozen=True)
class ListChanged:
    order_list: OrderList
    time_ms: int


@dataclass(slots=True, frozen=True)
class Fill:
    """One side of a trade as its account sees it, for the account's trade history."""

    symbol: str
    order_id: int
    list_id: int
    side: Side
    execution: Execution
    time_ms: int


Event = BookChanged | TradePrinted | OrderChanged | BalancesChanged | ListChanged


class SymbolBook:
    """One symbol's resting orders: the L2 view plus a FIFO queue per level."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.l2 = OrderBook(instrument.symbol, instrument.tick_size, instrument.lot_size)
        self.l2.last_update_id = 0
        self.queues: dict[tuple[Side, int], deque[EngineOrder]] = {}
        self.last_price: Decimal | None = None
        self.triggers: list[EngineOrder] = []
        """Stop and take-profit orders waiting for the last price."""


class Engine:
    """The exchange: accounts, books and matching, publishing every change to listeners."""

    def __init__(
        self,
        instruments: list[Instrument],
        clock: Callable[[], int] = lambda: int(time.time() * 1000),
        maker_fee: Decimal = Decimal("0.001"),
        taker_fee: Decimal = Decimal("0.001"),
    ) -> None:
        self.clock = clock
        self.books = {i.symbol: SymbolBook(i) for i in instruments}
        self.accounts: dict[str, Account] = {}
        self.fees_collected: dict[str, Decimal] = {}
        self.default_maker_fee = maker_fee
        self.default_taker_fee = taker_fee
        self._listeners: list[Callable[[Event], None]] = []
        self._order_ids = itertools.count(1)
        self._trade_ids = itertools.count(1)
        self._orders: dict[int, EngineOrder] = {}
        self.lists: dict[int, OrderList] = {}
        self._list_ids = itertools.count(1)
        self._ready_lists: list[OrderList] = []
        self._pending_book: dict[str, dict[tuple[Side, int], int]] = {}
        self._pending_balances: dict[str, set[str]] = {}

    # -- set-up ----------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.remove(listener)

    def open_account(self, name: str, deposits: dict[str, Decimal] | None = None) -> Account:
        account = self.accounts.get(name)
        if account is None:
            account = Account(name, self.default_maker_fee, self.default_taker_fee)
            self.accounts[name] = account
        for asset, amount in (deposits or {}).items():
            account.holding(asset).free += amount
        return account

    def instrument(self, symbol: str) -> Instrument:
        return self._book(symbol).instrument

    def _book(self, symbol: str) -> SymbolBook:
        book = self.books.get(symbol)
        if book is None:
            raise Reject(RejectReason.UNKNOWN_SYMBOL, f"unknown symbol {symbol}")
        return book

    # -- queries ---------------------------------------------------------------------------

    def order(
        self, account: str, order_id: int | None = None, client_order_id: str | None = None
    ) -> EngineOrder:
        """Find an order of `account`, open or finished, by either id."""
        if order_id is not None:
            found = self._orders.get(order_id)
            if found is not None and found.account == account:
                return found
        elif client_order_id is not None:
            for candidate in reversed(self._orders.values()):
                if candidate.account == account and candidate.client_order_id == client_order_id:
                    return candidate
        raise Reject(RejectReason.UNKNOWN_ORDER)

    def order_list(
        self, account: str, list_id: int | None = None, client_id: str | None = None
    ) -> OrderList:
        """Find an order list of `account`, open or finished, by either id."""
        for order_list in reversed(self.lists.values()):
            if order_list.account == account and (
                order_list.list_id == list_id
                if list_id is not None
                else order_list.client_id == client_id
            ):
                return order_list
        raise Reject(RejectReason.UNKNOWN_ORDER)

    def all_orders(self, account: str, symbol: str) -> list[EngineOrder]:
        """Every order of `account` on `symbol` the engine still remembers, oldest first."""
        return [o for o in self._orders.values() if o.account == account and o.symbol == symbol]

    def open_orders(self, account: str, symbol: str | None = None) -> list[EngineOrder]:
        acct = self.accounts.get(account)
        if acct is None:
            return []
        return [o for o in acct.open_orders.values() if symbol is None or o.symbol == symbol]

    # -- order entry -----------------------------------------------------------------------

    def place(
        self,
        account: str,
        symbol: str,
        side: Side,
        type: OrderType,
        qty: Decimal | None = None,
        price: Decimal | None = None,
        time_in_force: TimeInForce = TimeInForce.GTC,
        client_order_id: str | None = None,
        quote_qty: Decimal | None = None,
        stop_price: Decimal | None = None,
        trigger_above: bool = False,
    ) -> tuple[EngineOrder, list[Execution]]:
        """Validate, lock funds, match and rest an order; raise `Reject` before any effect.

        With `stop_price` the order waits off the book until the last price reaches it
        (rising to it with `trigger_above`, else falling), then works as `type`.
        """
        book = self._book(symbol)
        acct = self.open_account(account)
        leg = Leg(side, type, qty or Decimal(0), price, stop_price, trigger_above, time_in_force)
        order = self._new_order(book, acct, leg, client_order_id, quote_qty, qty)
        self._lock(acct, book, order)
        self._register(acct, order)
        fills = self._start(book, acct, order)
        self._follow_up(book)
        self._flush()
        return order, fills

    def validate(
        self,
        account: str,
        symbol: str,
        side: Side,
        type: OrderType,
        qty: Decimal | None = None,
        price: Decimal | None = None,
        client_order_id: str | None = None,
        quote_qty: Decimal | None = None,
        stop_price: Decimal | None = None,
        trigger_above: bool = False,
    ) -> None:
        """Every check `place` makes on the order itself, with no effect (an order test)."""
        book = self._book(symbol)
        acct = self.accounts.get(account) or Account(account, Decimal(0), Decimal(0))
        leg = Leg(side, type, qty or Decimal(0), price, stop_price, trigger_above)
        self._check(book, acct, leg, client_order_id, quote_qty, qty)

    def place_list(
        self,
        account: str,
        symbol: str,
        kind: ListKind,
        legs: list[Leg],
        working: Leg | None = None,
        list_client_id: str | None = None,
    ) -> OrderList:
        """An OCO (two legs, no working order) or an OTO (a working order and one pending
        leg, or two one-cancels-other pending legs: OTOCO). Every order is checked and the
        funds locked before any effect; a pair locks once, what its larger leg needs."""
        book = self._book(symbol)
        acct = self.open_account(account)
        if (kind is ListKind.OCO) != (working is None) or not 1 <= len(legs) <= 2:
            raise Reject(RejectReason.BAD_REQUEST, "an OCO has two legs, an OTO a working order")
        if kind is ListKind.OCO and len(legs) != 2:
            raise Reject(RejectReason.BAD_REQUEST, "an OCO has two legs")
        list_id = next(self._list_ids)
        list_client_id = list_client_id or f"sim-list-{list_id}"
        if any(lst.client_id == list_client_id and lst.is_open for lst in self.lists.values()):
            raise Reject(RejectReason.DUPLICATE_ORDER)
        ids = [leg.client_order_id for leg in ([working] if working else []) + legs]
        if len({i for i in ids if i}) < len([i for i in ids if i]):
            raise Reject(RejectReason.DUPLICATE_ORDER)
        first = self._new_order(book, acct, working, working.client_order_id) if working else None
        orders = [self._new_order(book, acct, leg, leg.client_order_id) for leg in legs]
        if len(orders) == 2:
            self._check_relationship(book, orders)
        if first is not None:
            self._lock(acct, book, first)
        else:
            self._lock_pair(acct, book, orders)
        now = self.clock()
        order_list = OrderList(
            list_id, list_client_id, kind, symbol, account, first, orders, now, now
        )
        self.lists[list_id] = order_list
        for order in order_list.orders:
            order.list_id = list_id
            order.pending = order is not first and first is not None
            if order.pending:
                order.working_ms = None
            self._register(acct, order)
        self._emit(ListChanged(order_list, now))
        for order in order_list.orders:
            if not order.pending and order.is_open:
                self._start(book, acct, order)
        self._follow_up(book)
        self._flush()
        return order_list

    def cancel(
        self,
        account: str,
        symbol: str,
        order_id: int | None = None,
        client_order_id: str | None = None,
    ) -> EngineOrder:
        """Cancel an open order; cancelling one order of a list cancels the whole list."""
        order = self.order(account, order_id, client_order_id)
        if order.symbol != symbol or not order.is_open:
            raise Reject(RejectReason.UNKNOWN_ORDER)
        order_list = self.lists.get(order.list_id)
        for each in order_list.orders if order_list else [order]:
            if each.is_open:
                self._end(each, OrderStatus.CANCELED, ExecType.CANCELED)
        self._flush()
        return order

    def cancel_list(
        self, account: str, symbol: str, list_id: int | None = None, client_id: str | None = None
    ) -> OrderList:
        order_list = self.order_list(account, list_id, client_id)
        if order_list.symbol != symbol or not order_list.is_open:
            raise Reject(RejectReason.UNKNOWN_ORDER)
        for order in order_list.orders:
            if order.is_open:
                self._end(order, OrderStatus.CANCELED, ExecType.CANCELED)
        self._flush()
        return order_list

    def cancel_all(self, account: str, symbol: str | None = None) -> list[EngineOrder]:
        orders = self.open_orders(account, symbol)
        for order in orders:
            if order.is_open:  # a list's other orders end with the first of them
                self.cancel(account, order.symbol, order_id=order.order_id)
        self._flush()
        return orders

    def cancel_replace(
        self,
        account: str,
        symbol: str,
        cancel_id: int | None,
        cancel_client_id: str | None,
        replacement: Callable[[], tuple[EngineOrder, list[Execution]]],
        allow_failure: bool,
    ) -> tuple[EngineOrder | Reject, tuple[EngineOrder, list[Execution]] | Reject | None]:
        """Cancel an order and place another in one step, nothing trading in between.

        The replacement is not tried when the cancel fails, unless `allow_failure`; each
        side's outcome is returned, a `Reject` where it failed.
        """
        canceled: EngineOrder | Reject
        try:
            canceled = self.cancel(account, symbol, cancel_id, cancel_client_id)
        except Reject as reject:
            canceled = reject
            if not allow_failure:
                return canceled, None
        try:
            placed: tuple[EngineOrder, list[Execution]] | Reject = replacement()
        except Reject as reject:
            placed = reject
        return canceled, placed

    def amend(
        self,
        account: str,
        symbol: str,
        order_id: int | None,
        client_order_id: str | None,
        new_qty: Decimal,
    ) -> EngineOrder:
        """Lower an open order's quantity in place: it keeps its priority in the queue."""
        order = self.order(account, order_id, client_order_id)
        if order.symbol != symbol or not order.is_open:
            raise Reject(RejectReason.UNKNOWN_ORDER)
        book = self.books[symbol]
        try:
            lots = book.l2.sizes.of(new_qty)
        except ValueError:
            raise Reject(RejectReason.LOT_SIZE) from None
        if not order.filled_lots < lots < order.qty_lots or order.list_id >= 0:
            raise Reject(RejectReason.NOT_AMENDABLE)
        acct = self.accounts[account]
        freed_lots = order.qty_lots - lots
        freed = book.l2.sizes.value(freed_lots)
        if order.side is Side.BUY:
            freed *= order.price or (order.trigger.price if order.trigger else Decimal(0))
        freed = min(freed, order.locked)
        asset = book.instrument.base if order.side is Side.SELL else book.instrument.quote
        holding = acct.holding(asset)
        holding.locked -= freed
        holding.free += freed
        order.locked -= freed
        self._touch_balance(account, asset)
        order.qty_lots = lots
        order.updated_ms = self.clock()
        queue = book.queues.get((order.side, order.price_ticks or 0))
        if queue is not None and order in queue:
            self._level_changed(
                book, order.side, order.price_ticks or 0, sum(o.remaining_lots for o in queue)
            )
        self._emit(OrderChanged(order, ExecType.REPLACED, order.updated_ms))
        self._flush()
        return order

    def cancel_all_after(
        self, account: str, timeout_ms: int, most: int | None = None
    ) -> int | None:
        """Arm (or with 0, disarm) the venue-side dead-man's switch, which cancels at most
        `most` orders (oldest first) when it fires; returns the trigger time."""
        acct = self.accounts.get(account) or self.open_account(account)
        acct.cancel_deadline_ms = self.clock() + timeout_ms if timeout_ms > 0 else None
        acct.cancel_at_most = most
        return acct.cancel_deadline_ms

    def fire_deadlines(self) -> list[str]:
        """Cancel every order of accounts whose switch ran out; returns those accounts."""
        now = self.clock()
        fired = []
        for acct in self.accounts.values():
            if acct.cancel_deadline_ms is not None and acct.cancel_deadline_ms <= now:
                acct.cancel_deadline_ms = None
                orders = sorted(self.open_orders(acct.name), key=lambda o: o.order_id)
                for order in orders[: acct.cancel_at_most]:
                    if order.is_open:
                        self.cancel(acct.name, order.symbol, order_id=order.order_id)
                fired.append(acct.name)
        return fired

    # -- an order's life -------------------------------------------------------------------

    def _new_order(
        self,
        book: SymbolBook,
        acct: Account,
        leg: Leg,
        client_order_id: str | None,
        quote_qty: Decimal | None = None,
        qty: Decimal | None = None,
    ) -> EngineOrder:
        """A checked order, not yet known to the engine (no funds locked, nothing sent)."""
        qty = leg.qty if qty is None and quote_qty is None else qty
        price_ticks, qty_lots, trigger = self._check(
            book, acct, leg, client_order_id, quote_qty, qty
        )
        order_id = next(self._order_ids)
        now = self.clock()
        return EngineOrder(
            order_id=order_id,
            client_order_id=client_order_id or f"sim-{order_id}",
            account=acct.name,
            symbol=book.instrument.symbol,
            side=leg.side,
            type=leg.type,
            time_in_force=TimeInForce.GTC if leg.type is OrderType.POST_ONLY else leg.time_in_force,
            price_ticks=price_ticks,
            price=None if price_ticks is None else book.l2.prices.value(price_ticks),
            qty_lots=qty_lots,
            quote_qty=quote_qty,
            created_ms=now,
            updated_ms=now,
            trigger=trigger,
            working_ms=None if trigger else now,
        )

    def _register(self, acct: Account, order: EngineOrder) -> None:
        self._orders[order.order_id] = order
        acct.open_orders[order.order_id] = order
        self._emit(OrderChanged(order, ExecType.NEW, order.created_ms))

    def _start(self, book: SymbolBook, acct: Account, order: EngineOrder) -> list[Execution]:
        """A placed order begins: a stop waits for its trigger, anything else works now."""
        if order.trigger is not None and order.working_ms is None:
            book.triggers.append(order)
            return []
        return self._work(book, acct, order)

    def _work(self, book: SymbolBook, acct: Account, order: EngineOrder) -> list[Execution]:
        """Match a working order, then rest what is left or let it expire."""
        now = self.clock()
        fills: list[Execution] = []
        if order.time_in_force is not TimeInForce.FOK or self._can_fill(book, order):
            fills = self._match(book, acct, order, now)
        if not order.is_open:  # filled; any funds left over went back with the last fill
            return fills
        if order.type is not OrderType.MARKET and order.time_in_force is TimeInForce.GTC:
            self._rest(book, acct, order)
        else:
            self._end(order, OrderStatus.EXPIRED, ExecType.EXPIRED)
        return fills

    def _follow_up(self, book: SymbolBook) -> None:
        """What trades set off: stops the last price reached, and list legs whose working
        order filled; until nothing more happens."""
        while True:
            ready, self._ready_lists = self._ready_lists, []
            fired = self._fired(book)
            if not ready and not fired:
                return
            for order_list in ready:
                self._place_legs(book, order_list)
            for order in fired:
                if order.is_open:
                    self._activate(book, order)

    def _fired(self, book: SymbolBook) -> list[EngineOrder]:
        if book.last_price is None or not book.triggers:
            return []
        last = book.l2.prices.of(book.last_price)
        fired = [o for o in book.triggers if o.trigger is not None and o.trigger.fired(last)]
        book.triggers = [o for o in book.triggers if o not in fired]
        return fired

    def _activate(self, book: SymbolBook, order: EngineOrder) -> None:
        """A stop triggered: its other leg expires, and it locks what it needs and works."""
        acct = self.accounts[order.account]
        self._retire_siblings(order)
        order.working_ms = order.updated_ms = self.clock()
        self._release(acct, book, order)
        try:
            self._lock(acct, book, order)
        except Reject:
            self._end(order, OrderStatus.EXPIRED, ExecType.EXPIRED)
            return
        self._work(book, acct, order)

    def _place_legs(self, book: SymbolBook, order_list: OrderList) -> None:
        """The working order filled: its pending legs are placed, as one order or a pair."""
        acct = self.accounts[order_list.account]
        legs = [o for o in order_list.legs if o.is_open and o.pending]
        for order in legs:
            order.pending = False
        try:
            self._lock_pair(acct, book, legs)
        except Reject:
            for order in legs:
                self._end(order, OrderStatus.EXPIRED, ExecType.EXPIRED)
            return
        now = self.clock()
        for order in legs:
            order.updated_ms = now
            if order.trigger is None:
                order.working_ms = now
            if order.type is OrderType.POST_ONLY and self._crosses(
                book, order.side, order.price_ticks
            ):
                self._end(order, OrderStatus.EXPIRED, ExecType.EXPIRED)
            elif order.is_open:
                self._start(book, acct, order)

    def _retire_siblings(self, order: EngineOrder) -> None:
        """One leg of a pair traded or triggered: the other expires, its funds pass over."""
        order_list = self.lists.get(order.list_id)
        if order_list is None or order not in order_list.legs or len(order_list.legs) < 2:
            return
        for other in order_list.legs:
            if other is not order and other.is_open:
                order.locked += other.locked
                other.locked = Decimal(0)
                self._end(other, OrderStatus.EXPIRED, ExecType.EXPIRED)

    def _end(self, order: EngineOrder, status: OrderStatus, exec_type: ExecType) -> None:
        """An open order is cancelled or expires: off the book, its funds back, its list told."""
        book = self.books[order.symbol]
        acct = self.accounts[order.account]
        self._withdraw(book, order)
        self._finish(acct, order)
        order.status = status
        order.updated_ms = self.clock()
        self._release(acct, book, order)
        self._emit(OrderChanged(order, exec_type, order.updated_ms))
        self._list_moved(order)

    def _finish(self, acct: Account, order: EngineOrder) -> None:
        """The order is no longer open; the account's oldest finished order is forgotten
        once it has more than it keeps."""
        acct.open_orders.pop(order.order_id, None)
        acct.finished.append(order.order_id)
        if len(acct.finished) > FINISHED_KEPT:
            self._orders.pop(acct.finished.popleft(), None)

    def _withdraw(self, book: SymbolBook, order: EngineOrder) -> None:
        if order in book.triggers:
            book.triggers.remove(order)
            return
        key = (order.side, order.price_ticks or 0)
        queue = book.queues.get(key)
        if queue is None or order not in queue:
            return
        queue.remove(order)
        self._level_changed(book, *key, sum(o.remaining_lots for o in queue))
        if not queue:
            del book.queues[key]

    def _list_moved(self, order: EngineOrder) -> None:
        """An order of a list filled or ended: a filled working order releases its legs, an
        unfilled one takes them with it; a list with nothing open is done."""
        order_list = self.lists.get(order.list_id)
        if order_list is None:
            return
        if order is order_list.working:
            if order.status is OrderStatus.FILLED:
                self._ready_lists.append(order_list)
            else:
                for leg in order_list.legs:
                    if leg.is_open:
                        self._end(leg, order.status, ExecType(order.status.value))
        if not order_list.is_open and not order_list.done:
            order_list.done = True
            order_list.updated_ms = order.updated_ms
            self._emit(ListChanged(order_list, order.updated_ms))
            finished = self.accounts[order_list.account].finished_lists
            finished.append(order_list.list_id)
            if len(finished) > FINISHED_KEPT:
                self.lists.pop(finished.popleft(), None)

    # -- checks ----------------------------------------------------------------------------

    def _check(
        self,
        book: SymbolBook,
        acct: Account,
        leg: Leg,
        client_order_id: str | None,
        quote_qty: Decimal | None,
        qty: Decimal | None,
    ) -> tuple[int | None, int, Trigger | None]:
        """Every refusal an order can meet before it exists: (price ticks, lots, trigger)."""
        if client_order_id and any(
            o.client_order_id == client_order_id for o in acct.open_orders.values()
        ):
            raise Reject(RejectReason.DUPLICATE_ORDER)
        price_ticks = self._check_price(book, leg.type, leg.price)
        qty_lots = self._check_qty(book, leg.type, leg.side, qty, quote_qty)
        trigger = self._check_trigger(book, leg)
        reference = price_ticks if price_ticks is not None or trigger is None else trigger.ticks
        self._check_notional(book, leg.side, reference, qty_lots, quote_qty)
        if (
            leg.type is OrderType.POST_ONLY
            and trigger is None
            and self._crosses(book, leg.side, price_ticks)
        ):
            raise Reject(RejectReason.WOULD_TAKE)
        return price_ticks, qty_lots, trigger

    def _check_trigger(self, book: SymbolBook, leg: Leg) -> Trigger | None:
        if leg.stop_price is None:
            return None
        if leg.type is OrderType.POST_ONLY:
            raise Reject(RejectReason.BAD_REQUEST, "a post-only order takes no trigger")
        ticks = self._price_ticks(book, leg.stop_price)
        trigger = Trigger(ticks, book.l2.prices.value(ticks), leg.trigger_above)
        if book.last_price is not None and trigger.fired(book.l2.prices.of(book.last_price)):
            raise Reject(RejectReason.WOULD_TRIGGER)
        return trigger

    def _check_relationship(self, book: SymbolBook, pair: list[EngineOrder]) -> None:
        """A pair's upper leg must sit above the last price and its lower leg below it."""
        above, below = pair
        last = book.l2.prices.of(book.last_price) if book.last_price is not None else None
        if last is None:
            last = book.l2.best_bid if book.l2.best_bid is not None else 0
        if not _reference(above) > last > _reference(below):
            raise Reject(RejectReason.PRICE_RELATIONSHIP)

    def _check_price(self, book: SymbolBook, type: OrderType, price: Decimal | None) -> int | None:
        if type is OrderType.MARKET:
            if price is not None:
                raise Reject(RejectReason.BAD_REQUEST, "a market order takes no price")
            return None
        if price is None or price <= 0:
            raise Reject(RejectReason.PRICE_FILTER, "price is required")
        return self._price_ticks(book, price)

    @staticmethod
    def _price_ticks(book: SymbolBook, price: Decimal) -> int:
        inst = book.instrument
        if price < inst.min_price or (inst.max_price and price > inst.max_price):
            raise Reject(RejectReason.PRICE_FILTER)
        try:
            return book.l2.prices.of(price)
        except ValueError:
            raise Reject(RejectReason.PRICE_FILTER) from None

    def _check_qty(
        self,
        book: SymbolBook,
        type: OrderType,
        side: Side,
        qty: Decimal | None,
        quote_qty: Decimal | None,
    ) -> int:
        if quote_qty is not None:
            if type is not OrderType.MARKET or qty is not None or quote_qty <= 0:
                raise Reject(RejectReason.BAD_REQUEST, "quote quantity is for market orders only")
            opposite = book.l2.asks if side is Side.BUY else book.l2.bids
            lots = self._lots_for_quote(book, opposite, quote_qty)
            if not lots:
                raise Reject(RejectReason.LOT_SIZE, "quote quantity buys less than one lot")
            return lots
        inst = book.instrument
        if qty is None or qty <= 0 or qty < inst.min_qty or (inst.max_qty and qty > inst.max_qty):
            raise Reject(RejectReason.LOT_SIZE)
        try:
            return book.l2.sizes.of(qty)
        except ValueError:
            raise Reject(RejectReason.LOT_SIZE) from None

    def _check_notional(
        self,
        book: SymbolBook,
        side: Side,
        price_ticks: int | None,
        qty_lots: int,
        quote_qty: Decimal | None,
    ) -> None:
        inst = book.instrument
        if quote_qty is not None:
            notional = quote_qty
        else:
            if price_ticks is None:
                price_ticks = book.l2.best_ask if side is Side.BUY else book.l2.best_bid
                if price_ticks is None:
                    return
            notional = book.l2.prices.value(price_ticks) * book.l2.sizes.value(qty_lots)
        if notional < inst.min_notional or (inst.max_notional and notional > inst.max_notional):
            raise Reject(RejectReason.NOTIONAL)

    @staticmethod
    def _crosses(book: SymbolBook, side: Side, price_ticks: int | None) -> bool:
        if side is Side.BUY:
            best = book.l2.best_ask
            return best is not None and (price_ticks is None or best <= price_ticks)
        best = book.l2.best_bid
        return best is not None and (price_ticks is None or best >= price_ticks)

    @staticmethod
    def _lots_for_quote(book: SymbolBook, opposite: BookSide, quote_qty: Decimal) -> int:
        """How many lots `quote_qty` buys (or sells for) on the opposite side as it stands."""
        prices, sizes = book.l2.prices, book.l2.sizes
        lots = 0
        budget = quote_qty
        for ticks, level_lots in opposite.top(len(opposite)):
            lot_value = prices.value(ticks) * sizes.increment
            take = min(int(budget / lot_value), level_lots)
            lots += take
            budget -= take * lot_value
            if take < level_lots:
                break
        return lots

    def _can_fill(self, book: SymbolBook, order: EngineOrder) -> bool:
        """Whether the opposite side holds enough within the limit to fill `order` whole."""
        opposite = book.l2.asks if order.side is Side.BUY else book.l2.bids
        needed = order.remaining_lots
        for ticks, lots in opposite.top(len(opposite)):
            if order.price_ticks is not None and (
                ticks > order.price_ticks if order.side is Side.BUY else ticks < order.price_ticks
            ):
                break
            needed -= lots
            if needed <= 0:
                return True
        return False

    # -- funds -----------------------------------------------------------------------------

    def _need(self, book: SymbolBook, order: EngineOrder) -> tuple[Decimal, str]:
        """What the order must lock: base to sell, quote to buy at its price (a waiting
        market stop at its trigger price, a working market buy at what the book asks)."""
        inst, lots = book.instrument, order.remaining_lots
        if order.side is Side.SELL:
            return book.l2.sizes.value(lots), inst.base
        if order.quote_qty is not None:
            return order.quote_qty, inst.quote
        price = order.price
        if price is None and order.trigger is not None and order.working_ms is None:
            price = order.trigger.price
        if price is not None:
            return price * book.l2.sizes.value(lots), inst.quote
        return self._market_buy_cost(book, lots), inst.quote

    def _lock_pair(self, acct: Account, book: SymbolBook, orders: list[EngineOrder]) -> None:
        """Lock for one order, or once for a one-cancels-other pair: what its larger leg needs."""
        if orders:
            self._lock(acct, book, max(orders, key=lambda o: self._need(book, o)[0]))

    def _lock(self, acct: Account, book: SymbolBook, order: EngineOrder) -> None:
        amount, asset = self._need(book, order)
        holding = acct.holding(asset)
        if holding.free < amount:
            raise Reject(RejectReason.INSUFFICIENT_BALANCE)
        holding.free -= amount
        holding.locked += amount
        order.locked = amount
        self._touch_balance(acct.name, asset)

    def _market_buy_cost(self, book: SymbolBook, qty_lots: int) -> Decimal:
        prices, sizes = book.l2.prices, book.l2.sizes
        cost = Decimal(0)
        needed = qty_lots
        for ticks, lots in book.l2.asks.top(len(book.l2.asks)):
            take = min(needed, lots)
            cost += prices.value(ticks) * sizes.value(take)
            needed -= take
            if not needed:
                break
        return cost

    def _release(self, acct: Account, book: SymbolBook, order: EngineOrder) -> None:
        """Return whatever the order still has locked to free balance."""
        if not order.locked:
            return
        inst = book.instrument
        asset = inst.base if order.side is Side.SELL else inst.quote
        holding = acct.holding(asset)
        holding.locked -= order.locked
        holding.free += order.locked
        order.locked = Decimal(0)
        self._touch_balance(acct.name, asset)

    # -- matching --------------------------------------------------------------------------

    def _match(
        self, book: SymbolBook, taker_acct: Account, taker: EngineOrder, now: int
    ) -> list[Execution]:
        opposite: BookSide = book.l2.asks if taker.side is Side.BUY else book.l2.bids
        opposite_side = taker.side.opposite
        fills = []
        while taker.remaining_lots:
            best = opposite.best()
            if best is None:
                break
            if taker.price_ticks is not None and (
                best > taker.price_ticks if taker.side is Side.BUY else best < taker.price_ticks
            ):
                break
            queue = book.queues[(opposite_side, best)]
            while queue and taker.remaining_lots:
                maker = queue[0]
                lots = min(taker.remaining_lots, maker.remaining_lots)
                fills.append(self._execute(book, taker_acct, taker, maker, best, lots, now))
                if not maker.remaining_lots:
                    queue.popleft()
            level_lots = sum(o.remaining_lots for o in queue)
            self._level_changed(book, opposite_side, best, level_lots)
            if not queue:
                del book.queues[(opposite_side, best)]
        return fills

    def _execute(
        self,
        book: SymbolBook,
        taker_acct: Account,
        taker: EngineOrder,
        maker: EngineOrder,
        ticks: int,
        lots: int,
        now: int,
    ) -> Execution:
        inst = book.instrument
        price = book.l2.prices.value(ticks)
        qty = book.l2.sizes.value(lots)
        trade_id = next(self._trade_ids)
        self._retire_siblings(maker)
        maker_acct = self.accounts[maker.account]
        maker_fill = self._settle(
            book, maker_acct, maker, lots, price, qty, trade_id, is_maker=True, now=now
        )
        taker_fill = self._settle(
            book, taker_acct, taker, lots, price, qty, trade_id, is_maker=False, now=now
        )
        book.last_price = price
        self._emit(TradePrinted(inst.symbol, trade_id, price, qty, taker.side, now, taker.order_id))
        for order, fill in ((maker, maker_fill), (taker, taker_fill)):
            self._emit(OrderChanged(order, ExecType.TRADE, now, fill))
            if order.status is OrderStatus.FILLED:
                self._list_moved(order)
        return taker_fill

    def _settle(
        self,
        book: SymbolBook,
        acct: Account,
        order: EngineOrder,
        lots: int,
        price: Decimal,
        qty: Decimal,
        trade_id: int,
        is_maker: bool,
        now: int,
    ) -> Execution:
        """Move one fill's assets for one party and charge its fee in the asset it receives."""
        inst = book.instrument
        rate = acct.maker_fee if is_maker else acct.taker_fee
        quote = price * qty
        order.filled_lots += lots
        order.filled_quote += quote
        order.updated_ms = now
        order.status = (
            OrderStatus.FILLED
            if order.filled_lots == order.qty_lots
            else OrderStatus.PARTIALLY_FILLED
        )
        if order.side is Side.BUY:
            spent, received, got_asset = quote, qty, inst.base
            paid = acct.holding(inst.quote)
            # A limit buy locked its own price; the fill may be cheaper, freeing the rest.
            unlock = order.price * qty if order.price is not None else quote
            unlock = min(unlock, order.locked)
            paid.locked -= unlock
            paid.free += unlock - spent
            order.locked -= unlock
            self._touch_balance(acct.name, inst.quote)
        else:
            received, got_asset = quote, inst.quote
            paid = acct.holding(inst.base)
            paid.locked -= qty
            order.locked -= qty
            self._touch_balance(acct.name, inst.base)
        fee = (received * rate).quantize(FEE_PRECISION, rounding=ROUND_DOWN)
        acct.holding(got_asset).free += received - fee
        self.fees_collected[got_asset] = self.fees_collected.get(got_asset, Decimal(0)) + fee
        self._touch_balance(acct.name, got_asset)
        if order.status is OrderStatus.FILLED:
            self._finish(acct, order)
            self._release(acct, book, order)  # what a pair's other leg handed over
        execution = Execution(trade_id, price, qty, fee, got_asset, is_maker)
        acct.fills.append(
            Fill(inst.symbol, order.order_id, order.list_id, order.side, execution, now)
        )
        return execution

    def _rest(self, book: SymbolBook, acct: Account, order: EngineOrder) -> None:
        assert order.price_ticks is not None
        key = (order.side, order.price_ticks)
        queue = book.queues.get(key)
        if queue is None:
            queue = book.queues[key] = deque()
        queue.append(order)
        self._level_changed(
            book, order.side, order.price_ticks, sum(o.remaining_lots for o in queue)
        )

    # -- publishing ------------------------------------------------------------------------

    def _level_changed(self, book: SymbolBook, side: Side, ticks: int, lots: int) -> None:
        book.l2.side(side).set(ticks, lots)
        self._pending_book.setdefault(book.instrument.symbol, {})[(side, ticks)] = lots

    def _touch_balance(self, account: str, asset: str) -> None:
        self._pending_balances.setdefault(account, set()).add(asset)

    def _flush(self) -> None:
        """Publish one book update per symbol and one balance update per account touched."""
        now = self.clock()
        for symbol, levels in self._pending_book.items():
            book = self.books[symbol]
            assert book.l2.last_update_id is not None
            book.l2.last_update_id += 1
            changes = [(side, ticks, lots) for (side, ticks), lots in levels.items()]
            self._emit(BookChanged(symbol, book.l2.last_update_id, changes))
        self._pending_book.clear()
        for account, assets in self._pending_balances.items():
            holdings = self.accounts[account].holdings
            balances = {a: (holdings[a].free, holdings[a].locked) for a in sorted(assets)}
            self._emit(BalancesChanged(account, balances, now))
        self._pending_balances.clear()

    def _emit(self, event: Event) -> None:
        for listener in self._listeners:
            listener(event)


def _reference(order: EngineOrder) -> int:
    """Where a leg of a pair sits: its trigger, or its limit price."""
    if order.trigger is not None:
        return order.trigger.ticks
    assert order.price_ticks is not None
    return order.price_ticks
