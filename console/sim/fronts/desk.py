"""Where every dialect's order requests reach the one engine, with a venue's bad days.

A venue may act on an order and still fail to answer (the request times out after the
engine took it), or answer that it does not know and take the order seconds later; each
dialect words the failure its own way (Binance `-1007`), but the engine side is the same.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from console.model import Side, TimeInForce
from console.sim.engine import EngineOrder, Execution, OrderType, Reject
from console.sim.exchange import SimExchange

log = logging.getLogger(__name__)

PlaceArgs = tuple[
    str,
    str,
    Side,
    OrderType,
    Decimal | None,
    Decimal | None,
    TimeInForce,
    str,
    Decimal | None,
    Decimal | None,
    bool,
]
"""(account, symbol, side, type, quantity, price, time in force, client id, quote amount,
stop price, trigger above): `Engine.place`'s arguments."""


class OrderDesk:
    def __init__(self, exchange: SimExchange) -> None:
        self.exchange = exchange

    def place(self, args: PlaceArgs, timeout: Exception) -> tuple[EngineOrder, list[Execution]]:
        """Place on the engine (a `Reject` is the engine's refusal), unless chaos says the
        answer is lost: then `timeout` is raised, the order placed first or `accept_delay`
        seconds later."""
        chaos = self.exchange.chaos
        if chaos.happens("late_accept"):
            asyncio.get_running_loop().call_later(chaos.accept_delay, self._accept_late, args)
            raise timeout
        placed = self.exchange.engine.place(*args)
        if chaos.happens("order_timeout"):
            raise timeout
        return placed

    def _accept_late(self, args: PlaceArgs) -> None:
        """The backend took its time: the order reaches the engine after the client gave up."""
        try:
            self.exchange.engine.place(*args)
        except Reject as reject:
            log.info("late order %s refused by the engine: %s", args[7], reject.reason)
