"""Stop and take-profit orders waiting off the book for the last price."""

from __future__ import annotations

from console.sim.state import EngineOrder, SymbolBook


def fired(book: SymbolBook) -> list[EngineOrder]:
    if book.last_price is None or not book.triggers:
        return []
    last = book.l2.prices.of(book.last_price)
    fired = [o for o in book.triggers if o.trigger is not None and o.trigger.fired(last)]
    book.triggers = [o for o in book.triggers if o not in fired]
    return fired
