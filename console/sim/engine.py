"""Matching engine of the embedded exchange.

Price-time priority on integer ticks and lots (the same sorted sides as `console.book`, plus
a FIFO queue of orders at each level); balances and fees are exact `Decimal`. Every state
change is published as an event, so each wire dialect in `sim/fronts/` can speak about the
same market in its own words. Refusals carry a `RejectReason` that each front maps to its
venue's own error code and message.

Split by concern: what it holds (`state.py`), checks (`checks.py`), funds (`funds.py`),
triggers (`triggers.py`), an order's life (`core.py`), matching (`matching.py`), order lists
(`lists.py`); this class is what a dialect calls.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from decimal import Decimal

from console.model import Instrument, OrderStatus, OrderType, Side, TimeInForce
from console.sim import checks
from console.sim.lists import OrderLists
from console.sim.matching import Matching
from console.sim.state import (
    Account,
    EngineOrder,
    Event,
    ExecType,
    Execution,
    Leg,
    OrderChanged,
    Reject,
    RejectReason,
    SymbolBook,
    TradePrinted,
)


class Engine(OrderLists, Matching):
    """The exchange: accounts, books and matching, publishing every change to listeners."""

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.remove(listener)

    def instrument(self, symbol: str) -> Instrument:
        return self._book(symbol).instrument

    def all_orders(self, account: str, symbol: str) -> list[EngineOrder]:
        """Every order of `account` on `symbol` the engine still remembers, oldest first."""
        return [o for o in self._orders.values() if o.account == account and o.symbol == symbol]

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

    def take(self, account: str, symbol: str, side: Side, price: Decimal, lots: int) -> EngineOrder:
        """Take `lots` (the engine's units) at `price` and better, immediate-or-cancel, as an
        order the filters do not judge: a mirrored market's print (`console.sim.mirror`)."""
        book = self._book(symbol)
        acct = self.open_account(account)
        ticks = book.l2.prices.of(price)
        order = self._unjudged(acct, symbol, side, TimeInForce.IOC, ticks, lots, price)
        self._lock(acct, book, order)
        self._register(acct, order)
        self._start(book, acct, order)
        self._follow_up(book)
        self._flush()
        return order

    def _unjudged(
        self,
        acct: Account,
        symbol: str,
        side: Side,
        tif: TimeInForce,
        ticks: int,
        lots: int,
        price: Decimal,
    ) -> EngineOrder:
        """A limit order working from now that no filter judged (a venue's depth laid
        down, a mirrored market's level or print)."""
        order_id = next(self._order_ids)
        now = self.clock()
        return EngineOrder(
            order_id,
            f"sim-{order_id}",
            acct.name,
            symbol,
            side,
            OrderType.LIMIT,
            tif,
            ticks,
            lots,
            None,
            now,
            price=price,
            updated_ms=now,
            working_ms=now,
        )

    def print_trade(
        self, symbol: str, price: Decimal, qty: Decimal, taker: Side, time_ms: int
    ) -> None:
        """A print from outside the book (a mirrored market's): on the tape and in the
        candles, and the last price stop orders wait for."""
        book = self._book(symbol)
        book.last_price = price
        self._emit(TradePrinted(symbol, next(self._trade_ids), price, qty, taker, time_ms))
        self._follow_up(book)
        self._flush()

    def lay_depth(
        self, account: str, symbol: str, quotes: list[tuple[Side, int, int]], units: bool = False
    ) -> None:
        """Rest limit orders (side, price ticks, lots) away from the touch in one step, as
        one book update: a market's depth laid down at its start, thousands of orders in a
        few milliseconds. Each is funded and queued as a placed one would be; the checks and
        the matching a crossing order needs are skipped, and one that would cross is left
        out. No order event is sent: no client has yet asked for one. Sizes are lots, or
        with `units` the engine's own units (`SymbolBook.lot_parts` to a lot)."""
        book = self._book(symbol)
        acct = self.open_account(account)
        l2, queues, orders = book.l2, book.queues, self._orders
        prices, sizes, inst = l2.prices, l2.sizes, book.instrument
        resting = []
        locked = {Side.BUY: Decimal(0), Side.SELL: Decimal(0)}
        best_bid, best_ask = l2.best_bid, l2.best_ask
        for side, ticks, size in quotes:
            lots = size if units else size * book.lot_parts
            buy = side is Side.BUY
            crosses = (
                best_ask is not None and ticks >= best_ask
                if buy
                else (best_bid is not None and ticks <= best_bid)
            )
            if ticks <= 0 or crosses:
                continue
            price = prices.value(ticks)
            amount = price * sizes.value(lots) if buy else sizes.value(lots)
            locked[side] += amount
            resting.append((side, ticks, lots, price, amount))
        for side, asset in ((Side.BUY, inst.quote), (Side.SELL, inst.base)):
            holding = acct.holding(asset)
            if holding.free < locked[side]:
                raise Reject(RejectReason.INSUFFICIENT_BALANCE)
            holding.free -= locked[side]
            holding.locked += locked[side]
            self._touch_balance(acct.name, asset)
        for side, ticks, lots, price, amount in resting:
            order = self._unjudged(acct, symbol, side, TimeInForce.GTC, ticks, lots, price)
            order.locked = amount
            orders[order.order_id] = acct.open_orders[order.order_id] = order
            queue = queues.get((side, ticks))
            if queue is None:
                queues[(side, ticks)] = deque([order])
                self._level_changed(book, side, ticks, lots)
            else:
                queue.append(order)
                self._level_changed(book, side, ticks, sum(o.remaining_lots for o in queue))
        self._flush()

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
        checks.check(book, acct, leg, client_order_id, quote_qty, qty)

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
            lots = book.units(new_qty)
        except ValueError:
            raise Reject(RejectReason.LOT_SIZE) from None
        if not order.filled_lots < lots < order.qty_lots or order.list_id >= 0:
            raise Reject(RejectReason.NOT_AMENDABLE)
        return self._lower(book, order, lots)

    def lower(self, account: str, symbol: str, order_id: int, lots: int) -> EngineOrder:
        """Lower an open order to `lots` (the engine's units) in place, as a level of a
        venue's own depth shrinks: no filter judges it (a mirrored level, whose sizes may
        be finer than the lot: `console.sim.mirror`)."""
        order = self.order(account, order_id, None)
        if (
            order.symbol != symbol
            or not order.is_open
            or not order.filled_lots < lots < order.qty_lots
        ):
            raise Reject(RejectReason.NOT_AMENDABLE)
        return self._lower(self.books[symbol], order, lots)

    def _lower(self, book: SymbolBook, order: EngineOrder, lots: int) -> EngineOrder:
        """The order's quantity lowered to `lots`; it keeps its priority in the queue."""
        acct = self.accounts[order.account]
        asset = book.instrument.base if order.side is Side.SELL else book.instrument.quote
        freed_lots = order.qty_lots - lots
        freed = book.l2.sizes.value(freed_lots)
        if order.side is Side.BUY:
            freed *= order.price or (order.trigger.price if order.trigger else Decimal(0))
        freed = min(freed, order.locked)
        holding = acct.holding(asset)
        holding.locked -= freed
        holding.free += freed
        order.locked -= freed
        self._touch_balance(order.account, asset)
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
