"""Positions and profit from the trader's fills, at the average cost.

Each symbol's fills, in the order they happened, move a signed position in the base asset:
a fill in the position's direction averages its price into the entry, one against it
realises `(price - entry) x size` on what it closes (a sell beyond what the fills bought
closes nothing known and opens the other way, as selling coins held from before). Fees are
kept apart, by asset, so a fee paid in a third asset (BNB) is never mixed into a price.
A fill heard out of time order (a venue's history fetched after the stream's news) puts
the symbol's fills back in order and counts them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from console.model import Fill, Side

ZERO = Decimal(0)


@dataclass
class Position:
    """One symbol's position over the fills counted, in its base and quote assets."""

    qty: Decimal = ZERO
    """Base bought minus base sold: negative after selling more than the fills bought."""
    entry: Decimal | None = None
    """The average price of what `qty` holds; None when flat."""
    realised: Decimal = ZERO
    """Quote gained (or lost) on what was closed, before fees."""
    fees: dict[str, Decimal] = field(default_factory=dict)
    """Fees paid, by asset."""

    def add(self, fill: Fill) -> None:
        signed = fill.qty if fill.side is Side.BUY else -fill.qty
        if fill.fee:
            self.fees[fill.fee_asset] = self.fees.get(fill.fee_asset, ZERO) + fill.fee
        if not fill.qty:
            return
        held = self.qty
        if held == 0 or (held > 0) == (signed > 0):
            total = held + signed
            self.entry = (abs(held) * (self.entry or ZERO) + fill.qty * fill.price) / abs(total)
            self.qty = total
            return
        closed = min(fill.qty, abs(held))
        direction = 1 if held > 0 else -1
        assert self.entry is not None
        self.realised += closed * (fill.price - self.entry) * direction
        self.qty = held + signed
        if self.qty == 0:
            self.entry = None
        elif (self.qty > 0) != (held > 0):
            self.entry = fill.price  # went through flat: the rest opens at this price

    def unrealised(self, mark: Decimal) -> Decimal:
        """What closing the position at `mark` would realise, before fees."""
        return ZERO if self.entry is None else (mark - self.entry) * self.qty


class Ledger:
    """Every symbol's position over the fills it was given, each fill counted once."""

    def __init__(self) -> None:
        self.positions: dict[str, Position] = {}
        self._fills: dict[str, list[Fill]] = {}
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, fill: Fill) -> bool:
        """Count `fill` (False if it was counted already)."""
        key = (fill.symbol, fill.order_id, fill.trade_id)
        if key in self._seen:
            return False
        self._seen.add(key)
        fills = self._fills.setdefault(fill.symbol, [])
        late = bool(fills) and fill.time_ms < fills[-1].time_ms
        fills.append(fill)
        if late:
            fills.sort(key=lambda f: f.time_ms)
            position = self.positions[fill.symbol] = Position()
            for each in fills:
                position.add(each)
        else:
            self.positions.setdefault(fill.symbol, Position()).add(fill)
        return True
