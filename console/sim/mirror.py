"""A market held from outside: one symbol's book kept at the levels it is told (a
recording's, replayed) by the market account's resting orders, and the trades it is told
printed on the tape. Orders placed against it match by the engine's rules: a crossing order
takes the mirrored levels; a level the mirror lays across a resting order trades with it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from console.model import Side
from console.sim.engine import Engine
from console.sim.state import EngineOrder

MIRROR_ACCOUNT = "mirror"
DEEP_POCKETS = Decimal(10) ** 12
"""What the mirror's account holds of each asset: enough for any level it is told."""


class Mirror:
    def __init__(self, engine: Engine, symbol: str) -> None:
        self.engine = engine
        self.book = engine.books[symbol]
        self.symbol = symbol
        self.skipped = 0
        """Prints and books the engine refused to mirror (each logged)."""
        inst = self.book.instrument
        engine.open_account(MIRROR_ACCOUNT, {inst.base: DEEP_POCKETS, inst.quote: DEEP_POCKETS})

    def hold(self, bids: Mapping[Decimal, Decimal], asks: Mapping[Decimal, Decimal]) -> None:
        """Hold the book at `bids` and `asks` (price -> size; a size finer than the engine's
        unit, as Huobi's floats, is cut to it): levels it no longer has are taken away and
        levels grown too large shrunk (from their newest orders) on both sides first, then
        levels it lacks laid (behind the orders already there)."""
        prices, unit = self.book.l2.prices, self.book.unit
        wanted = {
            side: {prices.of(price): int(size / unit) for price, size in levels.items()}
            for side, levels in ((Side.BUY, bids), (Side.SELL, asks))
        }
        held = {side: self._held(side) for side in Side}
        for side in Side:
            for ticks, orders in held[side].items():
                excess = sum(o.remaining_lots for o in orders) - wanted[side].get(ticks, 0)
                if excess > 0:
                    self._shrink(orders, excess)
        held = {side: self._held(side) for side in Side}
        for side in Side:
            for ticks, units in wanted[side].items():
                missing = units - sum(o.remaining_lots for o in held[side].get(ticks, []))
                if missing > 0:
                    self._grow(side, ticks, missing)

    def trade(self, price: Decimal, qty: Decimal, taker: Side, time_ms: int) -> None:
        """A print of the mirrored market, taken from the book at its price as its taker
        took it: first the size that rested there before any order placed here (it was
        ahead in the queue), then such an order, which fills in part or whole; what the
        book here did not hold is printed as it came. On the tape, in the candles, and the
        last price stop orders wait for."""
        units = int(qty / self.book.unit)  # Huobi's floats past the unit are printed only
        taken = Decimal(0)
        if units:
            order = self.engine.take(MIRROR_ACCOUNT, self.symbol, taker, price, units)
            taken = self.book.l2.sizes.value(order.filled_lots)
        if taken < qty:
            self.engine.print_trade(self.symbol, price, qty - taken, taker, time_ms)

    def _held(self, side: Side) -> dict[int, list[EngineOrder]]:
        held: dict[int, list[EngineOrder]] = {}
        for order in self.engine.open_orders(MIRROR_ACCOUNT, self.symbol):
            if order.side is side and order.price_ticks is not None:
                held.setdefault(order.price_ticks, []).append(order)
        return held

    def _shrink(self, orders: list[EngineOrder], excess: int) -> None:
        """Take `excess` units off a level, newest orders first; the rest keep their place."""
        for order in reversed(orders):
            if not excess:
                return
            if order.remaining_lots <= excess:
                excess -= order.remaining_lots
                self.engine.cancel(MIRROR_ACCOUNT, self.symbol, order_id=order.order_id)
            else:
                self.engine.lower(
                    MIRROR_ACCOUNT, self.symbol, order.order_id, order.qty_lots - excess
                )
                return

    def _grow(self, side: Side, ticks: int, units: int) -> None:
        """Lay `units` at a level, whatever their size (a mirrored level is no order the
        filters judge): where it crosses a resting order, what trades with it first."""
        l2 = self.book.l2
        best = l2.best_ask if side is Side.BUY else l2.best_bid
        if best is not None and (ticks >= best if side is Side.BUY else ticks <= best):
            taken = self.engine.take(
                MIRROR_ACCOUNT, self.symbol, side, l2.prices.value(ticks), units
            )
            units -= taken.filled_lots
        if units:
            self.engine.lay_depth(MIRROR_ACCOUNT, self.symbol, [(side, ticks, units)], units=True)
