"""The trader's fills, newest first: time, symbol, side, price, size, fee, maker or taker,
and the order's id. Drawn line by line (`console.ui.widgets.rows`); j/k scroll back through
the fills held, g comes back to the newest.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.strip import Strip

from console.model import Side
from console.trading.account import FillsView, fee_text
from console.ui.widgets.base import NARROW, money
from console.ui.widgets.rows import RowsPanel

NO_FILLS = "no fills yet"
NARROW_HEADER = f"{'time':8} {'side':4} {'price':>11} {'size':>10}"
HEADER = (
    f"{'time':8}  {'symbol':<9} {'side':4} {'price':>12} {'size':>11}  {'role':5} {'fee':<18} order"
)


class FillLine(NamedTuple):
    """One line as it reads; `side` empty: the line is `text` alone (the header, a note)."""

    text: str
    side: str = ""
    rest: str = ""
    buy: bool = False


class FillsPanel(RowsPanel[FillLine]):
    """| key | action |
    | --- | --- |
    | j / down, k / up | older, newer fills |
    | g | back to the newest |
    """

    BINDINGS = [
        Binding("down,j", "scroll_fills(1)", "Older fills", show=False, id="fills.older"),
        Binding("up,k", "scroll_fills(-1)", "Newer fills", show=False, id="fills.newer"),
        Binding("g", "newest", "Newest fill", show=False, id="fills.newest"),
    ]
    COMPONENT_CLASSES = {"fills--buy", "fills--sell", "fills--header"}
    DEFAULT_CSS = """
    FillsPanel { border: round $panel; border-title-color: $secondary; }
    FillsPanel:focus { border: round $primary; }
    FillsPanel > .fills--buy { color: $bid; text-style: bold; }
    FillsPanel > .fills--sell { color: $ask; text-style: bold; }
    FillsPanel > .fills--header { color: $secondary; }
    """
    can_focus = True

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Fills"
        self.first = 0
        """How many of the newest fills are scrolled past."""

    @property
    def lines(self) -> int:
        """How many fills the panel has room for, under its header."""
        return max(0, self.content_size.height - 1)

    def show(self, view: FillsView) -> None:
        self.view = view
        self.first = view.first
        narrow = self.content_size.width < NARROW
        header = FillLine(NARROW_HEADER if narrow else HEADER)
        if not view.rows:
            self.paint([header, FillLine(NO_FILLS)], "Fills")
            return
        rows = [header]
        for row in view.rows:
            fill = row.fill
            clock = time.strftime("%H:%M:%S", time.localtime(fill.time_ms / 1000))
            price = money(fill.price, row.price_places)
            size = money(fill.qty, row.size_places)
            fee = fee_text({fill.fee_asset: fill.fee}) if fill.fee else "0"
            role = "maker" if fill.is_maker else "taker"
            if narrow:  # the time, the side, the price and the size
                line = FillLine(f"{clock} ", f"{fill.side.value:4}", f" {price:>11} {size:>10}")
            else:
                line = FillLine(
                    f"{clock} {fill.symbol:<9} ",
                    f"{fill.side.value:4}",
                    f" {price:>11} {size:>10} {role:5} {fee:<15} {fill.order_id}",
                )
            rows.append(line._replace(buy=fill.side is Side.BUY))
        scrolled = f"  ({view.first} newer above)" if view.first else ""
        self.paint(rows, f"Fills ({view.held}){scrolled}")

    def text(self) -> str:
        return "\n".join(line.text + line.side + line.rest for line in self.rows)

    def draw_row(self, row: FillLine, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if not row.side:
            header = row.text in (HEADER, NARROW_HEADER)
            look = style("fills--header") if header else Style(dim=True)
            return Strip([Segment(row.text, base + look)]).crop(0, width)
        colour = style("fills--buy" if row.buy else "fills--sell")
        segments = [
            Segment(row.text, base),
            Segment(row.side, base + colour),
            Segment(row.rest, base),
        ]
        return Strip(segments).crop(0, width)

    def action_scroll_fills(self, step: int) -> None:
        held = self.view.held if self.view is not None else 0
        self.first = max(0, min(self.first + step, held - 1))
        self.post_message(self.ViewWanted(self))

    def action_newest(self) -> None:
        self.first = 0
        self.post_message(self.ViewWanted(self))
