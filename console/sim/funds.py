"""What an order locks of its account's funds: base to sell, quote to buy at its price, or
what the book asks for a market buy."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from console.book import BookSide
from console.model import Side
from console.sim.state import EngineOrder, SymbolBook

NEAR = 64


def need(book: SymbolBook, order: EngineOrder) -> tuple[Decimal, str]:
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
    return market_buy_cost(book, lots), inst.quote


def _best_first(side: BookSide) -> Iterator[tuple[int, int]]:
    """A side's levels best first, the near ones read alone: a market order seldom walks
    past them, and a deep book has thousands."""
    yield from side.top(NEAR)
    yield from side.top(len(side))[NEAR:]


def market_buy_cost(book: SymbolBook, qty_lots: int) -> Decimal:
    prices, sizes = book.l2.prices, book.l2.sizes
    cost = Decimal(0)
    needed = qty_lots
    for ticks, lots in _best_first(book.l2.asks):
        take = min(needed, lots)
        cost += prices.value(ticks) * sizes.value(take)
        needed -= take
        if not needed:
            break
    return cost
