"""Every refusal an order can meet before it exists, as the engine checks it: the symbol's
filters (tick, lot, size and price bands, notional), a post-only order that would take, a
stop that would trigger at once, a pair's legs on the wrong sides of the last price."""

from __future__ import annotations

from decimal import Decimal

from console.book import BookSide
from console.model import OrderType, Side
from console.sim.state import (
    Account,
    EngineOrder,
    Leg,
    Reject,
    RejectReason,
    SymbolBook,
    Trigger,
)


def check(
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
    price_ticks = check_price(book, leg.type, leg.price)
    qty_lots = check_qty(book, leg.type, leg.side, qty, quote_qty)
    trigger = check_trigger(book, leg)
    reference = price_ticks if price_ticks is not None or trigger is None else trigger.ticks
    check_notional(book, leg.side, reference, qty_lots, quote_qty)
    if leg.type is OrderType.POST_ONLY and trigger is None and crosses(book, leg.side, price_ticks):
        raise Reject(RejectReason.WOULD_TAKE)
    return price_ticks, qty_lots, trigger


def check_trigger(book: SymbolBook, leg: Leg) -> Trigger | None:
    if leg.stop_price is None:
        return None
    if leg.type is OrderType.POST_ONLY:
        raise Reject(RejectReason.BAD_REQUEST, "a post-only order takes no trigger")
    ticks = price_ticks(book, leg.stop_price)
    trigger = Trigger(ticks, book.l2.prices.value(ticks), leg.trigger_above)
    if book.last_price is not None and trigger.fired(book.l2.prices.of(book.last_price)):
        raise Reject(RejectReason.WOULD_TRIGGER)
    return trigger


def check_relationship(book: SymbolBook, pair: list[EngineOrder]) -> None:
    """A pair's upper leg must sit above the last price and its lower leg below it."""
    above, below = pair
    last = book.l2.prices.of(book.last_price) if book.last_price is not None else None
    if last is None:
        last = book.l2.best_bid if book.l2.best_bid is not None else 0
    if not placed_at(above) > last > placed_at(below):
        raise Reject(RejectReason.PRICE_RELATIONSHIP)


def check_price(book: SymbolBook, type: OrderType, price: Decimal | None) -> int | None:
    if type is OrderType.MARKET:
        if price is not None:
            raise Reject(RejectReason.BAD_REQUEST, "a market order takes no price")
        return None
    if price is None or price <= 0:
        raise Reject(RejectReason.PRICE_FILTER, "price is required")
    return price_ticks(book, price)


def price_ticks(book: SymbolBook, price: Decimal) -> int:
    inst = book.instrument
    if price < inst.min_price or (inst.max_price and price > inst.max_price):
        raise Reject(RejectReason.PRICE_FILTER)
    try:
        return book.l2.prices.of(price)
    except ValueError:
        raise Reject(RejectReason.PRICE_FILTER) from None


def check_qty(
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
        lots = lots_for_quote(book, opposite, quote_qty)
        if not lots:
            raise Reject(RejectReason.LOT_SIZE, "quote quantity buys less than one lot")
        return lots
    inst = book.instrument
    if qty is None or qty <= 0 or qty < inst.min_qty or (inst.max_qty and qty > inst.max_qty):
        raise Reject(RejectReason.LOT_SIZE)
    try:
        return book.units(qty)
    except ValueError:
        raise Reject(RejectReason.LOT_SIZE) from None


def check_notional(
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


def crosses(book: SymbolBook, side: Side, price_ticks: int | None) -> bool:
    if side is Side.BUY:
        best = book.l2.best_ask
        return best is not None and (price_ticks is None or best <= price_ticks)
    best = book.l2.best_bid
    return best is not None and (price_ticks is None or best >= price_ticks)


def lots_for_quote(book: SymbolBook, opposite: BookSide, quote_qty: Decimal) -> int:
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


def can_fill(book: SymbolBook, order: EngineOrder) -> bool:
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


def placed_at(order: EngineOrder) -> int:
    """Where a leg of a pair sits: its trigger, or its limit price."""
    if order.trigger is not None:
        return order.trigger.ticks
    assert order.price_ticks is not None
    return order.price_ticks
