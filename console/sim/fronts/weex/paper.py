"""WEEX's demo trading on the simulator: the four `/capi/v3/sim/` endpoints WEEX serves
(VENUES.md §0.3, from ccxt's weex.py): the demo balance, the demo positions, placing a
demo order, and the demo order history. There is no cancel and no open-orders query, as
on WEEX.

Demo symbols carry an `S` before the quote (`BTCSUSDT` trades the `BTCUSDT` book), the
demo quote asset is `SUSDT`. Each key's demo account is its own engine account, funded
once with the demo allowance, so demo orders meet the same book as real ones and never
touch the real account. Signed like v3; answers and refusals are v3's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiohttp import web

from console.model import Side
from console.sim.exchange import Credential, SimExchange
from console.sim.fronts.rest import RestFront
from console.sim.fronts.weex.requests import WeexParams
from console.sim.fronts.weex.rest import Action, WeexRestFront, route_table
from console.sim.fronts.weex.v3 import (
    GENERIC,
    V3Error,
    WeexV3Front,
    WeexV3Words,
    in_v3_words,
)
from console.sim.fronts.weex.wire import plain
from console.sim.state import EngineOrder

DEMO_QUOTE = "SUSDT"
DEMO_ALLOWANCE = {"USDT": Decimal(100_000)}
"""What a demo account starts with, in the engine's asset names."""


def demo_account(credential: Credential) -> str:
    return f"{credential.account}:demo"


class WeexPaperFront(RestFront):
    def __init__(self, exchange: SimExchange, v1: WeexRestFront, v3: WeexV3Front) -> None:
        self.limits: dict[str, int] = {}
        super().__init__(exchange, WeexV3Words(self.limits), 0)
        self.v1, self.v3 = v1, v3
        self.funded: set[str] = set()

    def routes(self) -> list[web.RouteDef]:
        private: list[tuple[str, str, Action, int]] = [
            ("GET", "/capi/v3/sim/balance", self.balance, 10),
            ("GET", "/capi/v3/sim/position/allPosition", self.positions, 10),
            ("POST", "/capi/v3/sim/order", self.place, 10),
            ("GET", "/capi/v3/sim/order/history", self.history, 10),
        ]
        return route_table(self, self.limits, [], private, in_v3_words)

    def _account(self, credential: Credential) -> str:
        name = demo_account(credential)
        if name not in self.funded:
            self.exchange.engine.open_account(name, DEMO_ALLOWANCE)
            self.funded.add(name)
        return name

    def _book(self, params: WeexParams) -> Any:
        demo = params.required("symbol").upper()
        base, quote = demo[:-5], demo[-5:]
        if quote != DEMO_QUOTE:
            raise V3Error(GENERIC, f"{demo} is not a demo symbol (<BASE>{DEMO_QUOTE})")
        return self.v1.book(WeexParams({"symbol": base + "USDT"}, ""))

    def balance(self, credential: Credential, params: WeexParams) -> Any:
        usdt = self.exchange.engine.open_account(self._account(credential)).holding("USDT")
        return [
            {
                "asset": DEMO_QUOTE,
                "balance": plain(usdt.free + usdt.locked),
                "availableBalance": plain(usdt.free),
                "frozen": plain(usdt.locked),
            }
        ]

    def positions(self, credential: Credential, params: WeexParams) -> Any:
        """What the demo account holds of each base asset, long, at its average price."""
        account = self.exchange.engine.open_account(self._account(credential))
        rows = []
        for book in self.exchange.engine.books.values():
            inst = book.instrument
            held = account.holding(inst.base)
            size = held.free + held.locked
            if not size:
                continue
            bought = [f for f in account.fills if f.symbol == inst.symbol and f.side is Side.BUY]
            cost = sum((f.execution.price * f.execution.qty for f in bought), Decimal(0))
            qty = sum((f.execution.qty for f in bought), Decimal(0))
            rows.append(
                {
                    "symbol": inst.base + DEMO_QUOTE,
                    "side": "LONG",
                    "size": plain(size),
                    "averageOpenPrice": plain(cost / qty) if qty else "0",
                }
            )
        return rows

    def place(self, credential: Credential, params: WeexParams) -> Any:
        """A demo order, read and placed as v3 places one, on the key's demo account."""
        order = self.v3.placed(self._account(credential), self._book(params), params)
        return self._row(order)

    def history(self, credential: Credential, params: WeexParams) -> Any:
        book = self._book(params)
        limit = params.integer("limit", 100, 1, 500)
        engine = self.exchange.engine
        orders = engine.all_orders(self._account(credential), book.instrument.symbol)
        return [self._row(o) for o in reversed(orders[-limit:])]

    def _row(self, order: EngineOrder) -> dict[str, Any]:
        inst = self.exchange.engine.books[order.symbol].instrument
        return self.v3.row(order) | {"symbol": inst.base + DEMO_QUOTE}
