"""Pre-trade checks: an order that breaks a rule is refused before it leaves the machine.

The instrument's own filters (tick, lot, size band, minimum notional) are checked exactly
as the venue would, so a refusal is explained on the ticket rather than by an error code;
the trader's own limits (maximum notional, a price band around the mid against fat
fingers) come from the config.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation

from console.config import RiskLimits
from console.model import Instrument, OrderType, Side


@dataclass(frozen=True)
class Verdict:
    problems: list[str] = field(default_factory=list)
    notional: Decimal | None = None
    fee: Decimal | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def check_order(
    instrument: Instrument,
    side: Side,
    order_type: OrderType,
    price: Decimal | None,
    qty: Decimal | None,
    limits: RiskLimits,
    mid: Decimal | None,
    best_opposite: Decimal | None,
    fee_rate: Decimal,
    trigger: Decimal | None = None,
) -> Verdict:
    """Every rule the order breaks, with its notional and estimated fee when they are known.
    A stop or take-profit order's trigger must be on the tick and on the side of the market
    it waits for (one the market has already reached the venue refuses: it would trigger at
    once); a triggered market order's notional is reckoned at its trigger."""
    problems: list[str] = []
    priced = order_type.priced
    reference = price if priced else (best_opposite or mid)
    if order_type.triggered:
        problems += _trigger_problems(instrument, side, order_type, trigger, mid)
        if not priced and trigger is not None and trigger > 0:
            reference = trigger
    if priced:
        if price is None or price <= 0:
            problems.append("price is required")
        elif _unworkable(price):
            problems.append("the price is too large to be real")
        else:
            problems += _price_problems(instrument, price, limits, mid)
            if (
                order_type is OrderType.POST_ONLY
                and best_opposite is not None
                and (price >= best_opposite if side is Side.BUY else price <= best_opposite)
            ):
                problems.append("post-only would take liquidity: the venue refuses it")
    if qty is None or qty <= 0:
        problems.append("size is required")
    elif _unworkable(qty):
        problems.append("the size is too large to be real")
        return Verdict(problems)
    else:
        problems += _size_problems(instrument, qty)
    notional = fee = None
    if qty is not None and qty > 0 and reference is not None and reference > 0:
        try:
            notional = (reference * qty).quantize(instrument.tick_size * instrument.lot_size)
            fee = (notional * fee_rate).quantize(Decimal("0.00000001"))
        except InvalidOperation:
            problems.append("the notional is too large to be a real order")
            return Verdict(problems)
        if notional < instrument.min_notional:
            shown = quote_amount(notional, instrument, ROUND_FLOOR)
            least = quote_amount(instrument.min_notional, instrument)
            problems.append(f"notional {shown} under the minimum {least}")
        if notional > limits.max_notional:
            shown = quote_amount(notional, instrument, ROUND_CEILING)
            problems.append(f"notional {shown} over your limit {limits.max_notional:,}")
    return Verdict(problems, notional, fee)


def quote_amount(value: Decimal, instrument: Instrument, rounding: str = ROUND_HALF_EVEN) -> str:
    """An amount of the quote asset as the screen words it: to the tick's places, grouped
    by thousands (`100,729.22`). Compared with a limit, it is rounded away from the limit,
    so a notional just over it never reads as the limit itself."""
    exponent = instrument.tick_size.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=rounding):,f}"


def _unworkable(value: Decimal) -> bool:
    """More whole digits than any venue takes: arithmetic on it could not stay exact."""
    return not value.is_finite() or value.adjusted() >= WHOLE_DIGITS * 2


def _price_problems(
    inst: Instrument, price: Decimal, limits: RiskLimits, mid: Decimal | None
) -> list[str]:
    problems = []
    if price % inst.tick_size:
        problems.append(f"price must be a multiple of the tick {inst.tick_size}")
    if price < inst.min_price or (inst.max_price and price > inst.max_price):
        problems.append(f"price outside the venue's band {inst.min_price}–{inst.max_price}")
    if mid is not None and mid > 0:
        away = abs(price - mid) / mid * 100
        if away > limits.price_band_pct:
            problems.append(f"price is {away:.1f}% from the mid (limit {limits.price_band_pct}%)")
    return problems


def _trigger_problems(
    inst: Instrument,
    side: Side,
    order_type: OrderType,
    trigger: Decimal | None,
    mid: Decimal | None,
) -> list[str]:
    if trigger is None or trigger <= 0:
        return ["trigger price is required"]
    if _unworkable(trigger):
        return ["the trigger is too large to be real"]
    if trigger % inst.tick_size:
        return [f"trigger must be a multiple of the tick {inst.tick_size}"]
    if mid is None:
        return []
    above = order_type.triggers_above(side)
    if above and trigger <= mid:
        return [f"the trigger {trigger} must be above the mid {mid:f}: it would fire at once"]
    if not above and trigger >= mid:
        return [f"the trigger {trigger} must be below the mid {mid:f}: it would fire at once"]
    return []


def _size_problems(inst: Instrument, qty: Decimal) -> list[str]:
    problems = []
    if qty % inst.lot_size:
        problems.append(f"size must be a multiple of the lot {inst.lot_size}")
    if qty < inst.min_qty:
        problems.append(f"size is below the minimum {inst.min_qty}")
    if inst.max_qty and qty > inst.max_qty:
        problems.append(f"size is above the maximum {inst.max_qty}")
    return problems


WHOLE_DIGITS = 12
"""Digits before the point when the venue sets no maximum: beyond any real price or size."""


def typing_problem(text: str, increment: Decimal, maximum: Decimal, what: str) -> str | None:
    """Why `text` is not a price or size the ticket can send, or None: digits and one point
    only, no more decimals than the venue's increment has, no more whole digits than its
    maximum has. `1e-3`, `0,5`, `-5` or a held-down key are never read as some other
    number: the field keeps them as typed and the ticket sends nothing until they are fixed."""
    for char in text:
        if char == ",":
            return f"{what} {text!r}: the decimal point is '.', and no ',' between thousands"
        if char not in "0123456789.":
            return f"{what} {text!r}: {char!r} is not taken, digits and one '.' only"
    whole, point, decimals = text.partition(".")
    if "." in decimals:
        return f"a {what} has one decimal point"
    allowed = _places(increment)
    if point and len(decimals) > allowed:
        if allowed == 0:
            return f"a {what} is a whole number here (step {increment})"
        return f"a {what} has at most {allowed} decimals here (step {increment})"
    most = len(str(int(maximum))) if maximum >= 1 else WHOLE_DIGITS
    if len(whole.lstrip("0")) > most:
        return f"a {what} has at most {most} digits before the point here"
    return None


def _places(increment: Decimal) -> int:
    exponent = increment.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def step(value: Decimal, increment: Decimal, steps: int) -> Decimal:
    """`value` moved by whole increments, first snapped onto the grid toward the move."""
    snapped = (value // increment) * increment
    if snapped != value and steps > 0:
        steps -= 1
        snapped += increment
    return max(increment, snapped + increment * steps).quantize(increment)


def affordable(
    budget: Decimal,
    asks: Iterable[tuple[Decimal, Decimal]],
    lot: Decimal,
    fee_rate: Decimal,
) -> Decimal:
    """The most base, on the lot, that `budget` of the quote buys taking `asks` (price and
    size, best first) with the fee on top: what a market buy of that size costs."""
    qty, left = Decimal(0), budget
    for price, size in asks:
        unit = price * (1 + fee_rate)
        if unit * size <= left:
            qty, left = qty + size, left - unit * size
        else:
            qty += left / unit
            break
    return (qty // lot * lot).quantize(lot)
