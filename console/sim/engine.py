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


class Reject(Exception):
    def __init__(self, reason: RejectReason, detail: str = "") -> None:
        self.reason = reason
        super().__init__(detail or reason.value)


class ExecType(enum.StrEnum):
    NEW = "NEW"
    TRADE = "TRADE"
    CANCELED = "CANCELED"
    EXPIRED = "EXPIRED"


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

    @property
    def remaining_lots(self) -> int:
        return self.qty_lots - self.filled_lots

    @property
    def is_open(self) -> bool:
        return self.status in (OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED)


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


Event = BookChanged | TradePrinted | OrderChanged | BalancesChanged


class SymbolBook:
    """One symbol's resting orders: the L2 view plus a FIFO queue per level."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.l2 = OrderBook(instrument.symbol, instrument.tick_size, instrument.lot_size)
        self.l2.last_update_id = 0
        self.queues: dict[tuple[Side, int], deque[EngineOrder]] = {}
        self.last_price: Decimal | None = None


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
        book = self.books.get(symbol)
        if book is None:
            raise Reject(RejectReason.UNKNOWN_SYMBOL, f"unknown symbol {symbol}")
        return book.instrument

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
    ) -> tuple[EngineOrder, list[Execution]]:
        """Validate, lock funds, match and rest an order; raise `Reject` before any effect."""
        book = self.books.get(symbol)
        if book is None:
            raise Reject(RejectReason.UNKNOWN_SYMBOL, f"unknown symbol {symbol}")
        acct = self.accounts.get(account) or self.open_account(account)
        order_id = next(self._order_ids)
        client_order_id = client_order_id or f"sim-{order_id}"
        if any(o.client_order_id == client_order_id for o in acct.open_orders.values()):
            raise Reject(RejectReason.DUPLICATE_ORDER)

        price_ticks = self._check_price(book, type, price)
        qty_lots = self._check_qty(book, type, side, qty, quote_qty)
        self._check_notional(book, type, side, price_ticks, qty_lots, quote_qty)
        if type is OrderType.POST_ONLY and self._crosses(book, side, price_ticks):
            raise Reject(RejectReason.WOULD_TAKE)

        now = self.clock()
        order = EngineOrder(
            order_id=order_id,
            client_order_id=client_order_id,
            account=account,
            symbol=symbol,
            side=side,
            type=type,
            time_in_force=TimeInForce.GTC if type is OrderType.POST_ONLY else time_in_force,
            price_ticks=price_ticks,
            price=None if price_ticks is None else book.l2.prices.value(price_ticks),
            qty_lots=qty_lots,
            quote_qty=quote_qty,
            created_ms=now,
            updated_ms=now,
        )
        self._lock(acct, book, order)
        self._orders[order_id] = order
        self._emit(OrderChanged(order, ExecType.NEW, now))

        fills: list[Execution] = []
        if order.time_in_force is not TimeInForce.FOK or self._can_fill(book, order):
            fills = self._match(book, acct, order, now)
        if not order.remaining_lots:
            self._release(acct, book, order)  # a market buy may have locked more than it paid
        elif order.type is not OrderType.MARKET and order.time_in_force is TimeInForce.GTC:
            self._rest(book, acct, order)
        else:
            order.status = OrderStatus.EXPIRED
            order.updated_ms = now
            self._release(acct, book, order)
            self._emit(OrderChanged(order, ExecType.EXPIRED, now))
        self._flush()
        return order, fills

    def cancel(
        self,
        account: str,
        symbol: str,
        order_id: int | None = None,
        client_order_id: str | None = None,
    ) -> EngineOrder:
        order = self.order(account, order_id, client_order_id)
        if order.symbol != symbol or not order.is_open:
            raise Reject(RejectReason.UNKNOWN_ORDER)
        self._cancel(order)
        self._flush()
        return order

    def cancel_all(self, account: str, symbol: str | None = None) -> list[EngineOrder]:
        orders = self.open_orders(account, symbol)
        for order in orders:
            self._cancel(order)
        self._flush()
        return orders

    def cancel_all_after(self, account: str, timeout_ms: int) -> int | None:
        """Arm (or with 0, disarm) the venue-side dead-man's switch; returns the trigger time."""
        acct = self.accounts.get(account) or self.open_account(account)
        acct.cancel_deadline_ms = self.clock() + timeout_ms if timeout_ms > 0 else None
        return acct.cancel_deadline_ms

    def fire_deadlines(self) -> list[str]:
        """Cancel every order of accounts whose switch ran out; returns those accounts."""
        now = self.clock()
        fired = []
        for acct in self.accounts.values():
            if acct.cancel_deadline_ms is not None and acct.cancel_deadline_ms <= now:
                acct.cancel_deadline_ms = None
                self.cancel_all(acct.name)
                fired.append(acct.name)
        return fired

    # -- checks ----------------------------------------------------------------------------

    def _check_price(self, book: SymbolBook, type: OrderType, price: Decimal | None) -> int | None:
        if type is OrderType.MARKET:
            if price is not None:
                raise Reject(RejectReason.BAD_REQUEST, "a market order takes no price")
            return None
        if price is None or price <= 0:
            raise Reject(RejectReason.PRICE_FILTER, "price is required")
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
        type: OrderType,
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

    def _lock(self, acct: Account, book: SymbolBook, order: EngineOrder) -> None:
        inst = book.instrument
        if order.side is Side.SELL:
            amount, asset = book.l2.sizes.value(order.qty_lots), inst.base
        elif order.quote_qty is not None:
            amount, asset = order.quote_qty, inst.quote
        elif order.price is not None:
            amount, asset = order.price * book.l2.sizes.value(order.qty_lots), inst.quote
        else:
            amount, asset = self._market_buy_cost(book, order.qty_lots), inst.quote
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
        maker_acct = self.accounts[maker.account]
        maker_fill = self._settle(inst, maker_acct, maker, lots, price, qty, trade_id, True, now)
        taker_fill = self._settle(inst, taker_acct, taker, lots, price, qty, trade_id, False, now)
        book.last_price = price
        self._emit(TradePrinted(inst.symbol, trade_id, price, qty, taker.side, now))
        self._emit(OrderChanged(maker, ExecType.TRADE, now, maker_fill))
        self._emit(OrderChanged(taker, ExecType.TRADE, now, taker_fill))
        return taker_fill

    def _settle(
        self,
        inst: Instrument,
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
            acct.open_orders.pop(order.order_id, None)
        return Execution(trade_id, price, qty, fee, got_asset, is_maker)

    def _rest(self, book: SymbolBook, acct: Account, order: EngineOrder) -> None:
        assert order.price_ticks is not None
        key = (order.side, order.price_ticks)
        queue = book.queues.get(key)
        if queue is None:
            queue = book.queues[key] = deque()
        queue.append(order)
        acct.open_orders[order.order_id] = order
        self._level_changed(
            book, order.side, order.price_ticks, sum(o.remaining_lots for o in queue)
        )

    def _cancel(self, order: EngineOrder) -> None:
        book = self.books[order.symbol]
        acct = self.accounts[order.account]
        assert order.price_ticks is not None
        key = (order.side, order.price_ticks)
        queue = book.queues[key]
        queue.remove(order)
        self._level_changed(
            book, order.side, order.price_ticks, sum(o.remaining_lots for o in queue)
        )
        if not queue:
            del book.queues[key]
        acct.open_orders.pop(order.order_id, None)
        order.status = OrderStatus.CANCELED
        order.updated_ms = self.clock()
        self._release(acct, book, order)
        self._emit(OrderChanged(order, ExecType.CANCELED, order.updated_ms))

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
