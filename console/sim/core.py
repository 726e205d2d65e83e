"""The engine's state and an order's life on it: accounts and books, an order made,
registered, started, worked, rested or ended, its funds locked and released, and every
change published as events, one book update per symbol and one balance update per account
touched. Matching (`matching.py`) and order lists (`lists.py`) build on it."""

from __future__ import annotations

import itertools
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from decimal import Decimal

from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce
from console.sim import checks, funds, triggers
from console.sim.state import (
    FINISHED_KEPT,
    Account,
    BalancesChanged,
    BookChanged,
    EngineOrder,
    Event,
    ExecType,
    Execution,
    Leg,
    OrderChanged,
    OrderList,
    Reject,
    RejectReason,
    SymbolBook,
)


class EngineCore(ABC):
    """The exchange's state, and what every concern of the engine does to an order."""

    def __init__(
        self,
        instruments: list[Instrument],
        clock: Callable[[], int] = lambda: int(time.time() * 1000),
        maker_fee: Decimal = Decimal("0.001"),
        taker_fee: Decimal = Decimal("0.001"),
        lot_parts: int = 1,
    ) -> None:
        """`lot_parts` > 1 for a venue that trades below its lot (see `SymbolBook`)."""
        self.clock = clock
        self.lot_parts = lot_parts
        self.books = {i.symbol: SymbolBook(i, lot_parts) for i in instruments}
        self.accounts: dict[str, Account] = {}
        self.fees_collected: dict[str, Decimal] = {}
        self.default_maker_fee = maker_fee
        self.default_taker_fee = taker_fee
        self.finished_kept = FINISHED_KEPT
        """Finished orders (and lists) remembered per account."""
        self._listeners: list[Callable[[Event], None]] = []
        self._order_ids = itertools.count(1)
        self._trade_ids = itertools.count(1)
        self._orders: dict[int, EngineOrder] = {}
        self.lists: dict[int, OrderList] = {}
        self._list_ids = itertools.count(1)
        self._ready_lists: list[OrderList] = []
        self._pending_book: dict[str, dict[tuple[Side, int], int]] = {}
        self._pending_balances: dict[str, set[str]] = {}

    def _book(self, symbol: str) -> SymbolBook:
        book = self.books.get(symbol)
        if book is None:
            raise Reject(RejectReason.UNKNOWN_SYMBOL, f"unknown symbol {symbol}")
        return book

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
        price_ticks, qty_lots, trigger = checks.check(
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
        if order.time_in_force is not TimeInForce.FOK or checks.can_fill(book, order):
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
            fired = triggers.fired(book)
            if not ready and not fired:
                return
            for order_list in ready:
                self._place_legs(book, order_list)
            for order in fired:
                if order.is_open:
                    self._activate(book, order)

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
        if len(acct.finished) > self.finished_kept:
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

    def _lock_pair(self, acct: Account, book: SymbolBook, orders: list[EngineOrder]) -> None:
        """Lock for one order, or once for a one-cancels-other pair: what its larger leg needs."""
        if orders:
            self._lock(acct, book, max(orders, key=lambda o: funds.need(book, o)[0]))

    def _lock(self, acct: Account, book: SymbolBook, order: EngineOrder) -> None:
        amount, asset = funds.need(book, order)
        holding = acct.holding(asset)
        if holding.free < amount:
            raise Reject(RejectReason.INSUFFICIENT_BALANCE)
        holding.free -= amount
        holding.locked += amount
        order.locked = amount
        self._touch_balance(acct.name, asset)

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

    # -- queries -------------------------------------------------------------------------

    def open_account(self, name: str, deposits: dict[str, Decimal] | None = None) -> Account:
        account = self.accounts.get(name)
        if account is None:
            account = Account(name, self.default_maker_fee, self.default_taker_fee)
            account.number = 10_001 + len(self.accounts)
            self.accounts[name] = account
        for asset, amount in (deposits or {}).items():
            account.holding(asset).free += amount
        return account

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

    def open_orders(self, account: str, symbol: str | None = None) -> list[EngineOrder]:
        acct = self.accounts.get(account)
        if acct is None:
            return []
        return [o for o in acct.open_orders.values() if symbol is None or o.symbol == symbol]

    # -- what matching and order lists supply ----------------------------------------------

    @abstractmethod
    def _match(
        self, book: SymbolBook, taker_acct: Account, taker: EngineOrder, now: int
    ) -> list[Execution]:
        """Trade `taker` against the opposite side as far as its price allows."""

    @abstractmethod
    def _rest(self, book: SymbolBook, acct: Account, order: EngineOrder) -> None:
        """Queue what is left of a limit order at its price."""

    @abstractmethod
    def _place_legs(self, book: SymbolBook, order_list: OrderList) -> None:
        """A list's working order filled: its pending legs go to work."""

    @abstractmethod
    def _retire_siblings(self, order: EngineOrder) -> None:
        """One leg of a pair traded or triggered: the other expires."""

    @abstractmethod
    def _list_moved(self, order: EngineOrder) -> None:
        """An order of a list filled or ended: what becomes of the list."""
