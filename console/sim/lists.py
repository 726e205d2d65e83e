"""Order lists: OCO pairs, and OTO/OTOCO lists whose legs wait for a working order to fill;
one leg of a pair trading or triggering expires the other, funds passing over."""

from __future__ import annotations

from decimal import Decimal

from console.model import OrderStatus, OrderType
from console.sim import checks
from console.sim.core import EngineCore
from console.sim.state import (
    EngineOrder,
    ExecType,
    Leg,
    ListChanged,
    ListKind,
    OrderList,
    Reject,
    RejectReason,
    SymbolBook,
)


class OrderLists(EngineCore):
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
            checks.check_relationship(book, orders)
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
            if order.type is OrderType.POST_ONLY and checks.crosses(
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
            if len(finished) > self.finished_kept:
                self.lists.pop(finished.popleft(), None)
