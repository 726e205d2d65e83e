"""Where every dialect's order requests reach the one engine, with a venue's bad days.

A venue may act on an order and still fail to answer (the request times out after the
engine took it), or answer that it does not know and take the order seconds later; each
dialect words the failure its own way (Binance `-1007`), but the engine side is the same.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.model import Side, TimeInForce
from console.sim.engine import Engine, OrderType
from console.sim.exchange import SimExchange
from console.sim.state import EngineOrder, Execution, Reject

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaceArgs:
    """An order a dialect has read and checked, as the engine takes it."""

    account: str
    symbol: str
    side: Side
    type: OrderType
    qty: Decimal | None = None
    price: Decimal | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    client_order_id: str = ""
    quote_qty: Decimal | None = None
    """For an order sized in the quote asset (a market buy by value)."""
    stop_price: Decimal | None = None
    trigger_above: bool = False
    """A stop order triggers when the last price rises to `stop_price` (else falls)."""

    def _terms(self) -> dict[str, Any]:
        """What both `Engine.place` and `Engine.validate` take by name."""
        return {
            "qty": self.qty,
            "price": self.price,
            "client_order_id": self.client_order_id,
            "quote_qty": self.quote_qty,
            "stop_price": self.stop_price,
            "trigger_above": self.trigger_above,
        }

    def check(self, engine: Engine) -> None:
        """Every check the engine makes on the order, with no effect (an order test)."""
        engine.validate(self.account, self.symbol, self.side, self.type, **self._terms())

    def on(self, engine: Engine) -> tuple[EngineOrder, list[Execution]]:
        return engine.place(
            self.account,
            self.symbol,
            self.side,
            self.type,
            time_in_force=self.time_in_force,
            **self._terms(),
        )


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
        placed = args.on(self.exchange.engine)
        if chaos.happens("order_timeout"):
            raise timeout
        return placed

    def _accept_late(self, args: PlaceArgs) -> None:
        """The backend took its time: the order reaches the engine after the client gave up."""
        try:
            args.on(self.exchange.engine)
        except Reject as reject:
            log.info("late order %s refused by the engine: %s", args.client_order_id, reject.reason)
