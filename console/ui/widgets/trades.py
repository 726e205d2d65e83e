"""The trade tape: newest print first, coloured by the aggressor, large prints stand out.

Drawn line by line (`console.ui.widgets.rows`): a scroll moves prints already drawn, so
only the new ones are drawn.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from console.model import Side
from console.trading.views import TapeView
from console.ui.widgets.base import money
from console.ui.widgets.rows import RowsPanel

DIM = Style(dim=True)
NO_PRINTS = "no prints yet"


class Print(NamedTuple):
    """One line of the tape as it reads (an empty price: the line says `clock` alone)."""

    clock: str
    price: str = ""
    qty: str = ""
    buy: bool = False
    large: bool = False


class TradeTape(RowsPanel[Print]):
    COMPONENT_CLASSES = {"tape--buy", "tape--sell", "tape--large"}
    DEFAULT_CSS = """
    TradeTape { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    TradeTape > .tape--buy { color: $bid; }
    TradeTape > .tape--sell { color: $ask; }
    TradeTape > .tape--large { text-style: bold reverse; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Trades"

    @property
    def lines(self) -> int:
        """How many prints the panel has room for."""
        return self.content_size.height

    def show(self, view: TapeView | None) -> None:
        self.view = view
        if view is None:
            self.paint([], "Trades")
        elif not view.rows:
            self.paint([Print(NO_PRINTS)], f"Trades  {view.per_second}/s")
        else:
            self.paint(
                [
                    Print(
                        time.strftime("%H:%M:%S", time.localtime(trade.time_ms / 1000)),
                        f"{money(trade.price, view.price_places):>11}",
                        f" {money(trade.qty, view.size_places):>10}",
                        trade.taker_side is Side.BUY,
                        trade.large,
                    )
                    for trade in view.rows
                ],
                f"Trades  {view.per_second}/s",
            )

    def text(self) -> str:
        """The tape as plain text, newest print first."""
        return "\n".join(
            f"{line.clock} {line.price}{line.qty}" if line.price else line.clock
            for line in self.rows
        )

    def draw_row(self, row: Print, width: int, base: Style) -> Strip:
        if not row.price:
            segments = [Segment(row.clock, self.colour(base, DIM))]
        else:
            large = "tape--large" if row.large else None
            side = "tape--buy" if row.buy else "tape--sell"
            segments = [
                Segment(f"{row.clock} ", self.colour(base, large)),
                Segment(row.price, self.colour(base, side, large)),
                Segment(row.qty, self.colour(base, large)),
            ]
        return Strip(segments).crop(0, width)  # the rest of the line: the panel's own
