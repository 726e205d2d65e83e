"""Price alerts: a symbol's price crossing a level, or moving a percentage from where it
was when the alert was set. Each fires once, with the same notice as a fill, and the
alerts still waiting are kept in the data directory, so they survive a restart.

The symbol on screen is watched print by print (a spike through the level between two
looks still fires); any other symbol on the board of every symbol's last price, as often
as the board is read."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from console.kept import Kept

KEPT_AS = "alerts"
FIRED_KEPT = 100
"""Fired alerts held for the screen's notices."""


@dataclass(frozen=True)
class Alert:
    symbol: str
    above: bool
    """Fires when the price reaches `price` from below (else from above)."""
    price: Decimal
    said: str
    """How the trader put it: `above 65000`, `+2% from 64000.00`."""
    set_ms: int

    def crossed(self, low: Decimal, high: Decimal) -> bool:
        """Whether prints from `low` to `high` reached the level."""
        return high >= self.price if self.above else low <= self.price

    def as_kept(self) -> dict[str, str | int | bool]:
        return {
            "symbol": self.symbol,
            "above": self.above,
            "price": str(self.price),
            "said": self.said,
            "set_ms": self.set_ms,
        }


@dataclass(frozen=True)
class Fired:
    alert: Alert
    at: Decimal
    """The price that reached it."""

    @property
    def text(self) -> str:
        return f"ALERT {self.alert.symbol} {self.alert.said}: {self.at:f}"


def parse(text: str, symbol: str, last: Decimal | None, now_ms: int) -> list[Alert]:
    """The alerts a trader's words ask for: `65000` (above or below, from the last price),
    `above 65000` / `> 65000`, `below 64000` / `< 64000`, `+2%`, `-1.5%`, or `3%` (both
    ways). Raises ValueError with what is wrong, in words for the screen."""
    words = text.strip().lower().replace(",", "").split()
    if not words:
        raise ValueError("say a price (65000, above 65000, below 64000) or a move (+2%, -1%)")
    head, rest = words[0], words[1:]
    direction: bool | None = None
    if head in ("above", ">", "below", "<"):
        direction = head in ("above", ">")
        if len(rest) != 1:
            raise ValueError(f"{head} what price?")
        head = rest[0]
    elif rest:
        raise ValueError(f"not understood: {text.strip()!r}")
    if head.endswith("%"):
        return _moves(head, direction, symbol, last, now_ms)
    price = _number(head)
    if direction is None:
        if last is None:
            raise ValueError("no last price yet: say above or below")
        if price == last:
            raise ValueError(f"{price:f} is the last price: say above or below")
        direction = price > last
    said = f"{'above' if direction else 'below'} {price:f}"
    return [Alert(symbol, direction, price, said, now_ms)]


def _moves(
    head: str, direction: bool | None, symbol: str, last: Decimal | None, now_ms: int
) -> list[Alert]:
    if last is None:
        raise ValueError("no last price yet to measure a move from")
    percent = _number(head[:-1].lstrip("+-"))
    if head.startswith("-"):
        direction = False
    elif head.startswith("+"):
        direction = True
    ways = (True, False) if direction is None else (direction,)
    alerts = []
    for up in ways:
        factor = 1 + percent / 100 if up else 1 - percent / 100
        price = (last * factor).quantize(last)  # to the last price's own places
        said = f"{'+' if up else '-'}{percent:f}% from {last:f}"
        alerts.append(Alert(symbol, up, price, said, now_ms))
    return alerts


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"{text} is not a positive number")
    return value


class Alerts:
    """The alerts waiting, and those fired (newest last) for the screen to tell."""

    def __init__(self, kept: Kept | None = None) -> None:
        self._kept = kept or Kept(None)
        self.waiting: list[Alert] = [
            alert for row in self._kept.get(KEPT_AS) or [] if (alert := _from_kept(row))
        ]
        self.fired: deque[Fired] = deque(maxlen=FIRED_KEPT)
        self.fired_count = 0
        """Alerts fired since the start: a screen that told `n` has news in the rest."""
        self.version = 0

    def add(self, alerts: Iterable[Alert]) -> None:
        self.waiting.extend(alerts)
        self._changed()

    def remove(self, alert: Alert) -> None:
        if alert in self.waiting:
            self.waiting.remove(alert)
            self._changed()

    def symbols(self) -> set[str]:
        return {alert.symbol for alert in self.waiting}

    def check(self, symbol: str, low: Decimal, high: Decimal) -> list[Fired]:
        """Fire the alerts on `symbol` that prints from `low` to `high` reached."""
        fired = [
            Fired(alert, high if alert.above else low)
            for alert in self.waiting
            if alert.symbol == symbol and alert.crossed(low, high)
        ]
        if fired:
            for each in fired:
                self.waiting.remove(each.alert)
                self.fired.append(each)
            self.fired_count += len(fired)
            self._changed()
        return fired

    def _changed(self) -> None:
        self.version += 1
        self._kept.keep(KEPT_AS, [alert.as_kept() for alert in self.waiting])


def _from_kept(row: object) -> Alert | None:
    """An alert as kept, or None for a row that is not one (a file edited by hand)."""
    if not isinstance(row, dict):
        return None
    try:
        return Alert(
            str(row["symbol"]),
            bool(row["above"]),
            _number(str(row["price"])),
            str(row["said"]),
            int(row.get("set_ms", time.time() * 1000)),
        )
    except (KeyError, ValueError, TypeError):
        return None
