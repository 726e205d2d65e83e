"""What every live panel shares: access to the session, and a state key for the clock."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from textual.widget import Widget

if TYPE_CHECKING:
    from console.trading.session import TradingSession


class LivePanel(Widget):
    """A panel the frame clock redraws when, and only when, its state key changes."""

    @property
    def session(self) -> TradingSession:
        return cast("TradingSession", self.app.session)  # type: ignore[attr-defined]

    def state_key(self) -> Hashable:
        raise NotImplementedError

    def redraw(self) -> None:
        """Called by the frame clock when the state key moved; panels that render redraw."""
        self.refresh()


def money(value: Decimal | None, places: int) -> str:
    """Thousands-separated, fixed places; an em dash when unknown."""
    return "—" if value is None else f"{value:,.{places}f}"


def places(increment: Decimal) -> int:
    exponent = increment.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
