"""Positions: for each symbol traded, what the account holds of its base asset, the
position the fills make and its average entry, unrealised and realised PnL in the quote
asset, the fees, and the net of it all (`console.trading.account`)."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from console.trading.account import PositionRow, PositionsView
from console.ui.widgets.base import NARROW, money
from console.ui.widgets.rows import RowsPanel

HEADER = (
    f"{'symbol':<9}{'holding':>11}{'position':>11}{'entry':>11}"
    f"{'unrealised':>11}{'realised':>10}{'net':>10}  fees"
)
NO_POSITIONS = "no fills yet: a position starts with the first"
NARROW_HEADER = f"{'symbol':<9}{'position':>13}{'net':>12}"


def signed(value: Decimal | None, places: int) -> str:
    return "—" if value is None else f"{value:+,.{places}f}"


class Line(NamedTuple):
    """A line as it reads: `text`, then the net figure coloured by its sign, then `tail`."""

    text: str
    net: str = ""
    gain: int = 0
    """1 for a gain, -1 for a loss, 0 for neither."""
    tail: str = ""
    header: bool = False


class PositionsPanel(RowsPanel[Line]):
    COMPONENT_CLASSES = {"positions--header", "positions--gain", "positions--loss"}
    DEFAULT_CSS = """
    PositionsPanel { border: round $panel; border-title-color: $secondary; }
    PositionsPanel > .positions--header { color: $secondary; }
    PositionsPanel > .positions--gain { color: $bid; }
    PositionsPanel > .positions--loss { color: $ask; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Positions"

    def show(self, view: PositionsView) -> None:
        self.view = view
        narrow = self.content_size.width < NARROW
        lines = [Line(NARROW_HEADER if narrow else HEADER, header=True)]
        lines += [self._line(row, narrow) for row in view.rows] or [
            Line("no fills yet" if narrow else NO_POSITIONS)
        ]
        self.paint(lines, "Positions")

    @staticmethod
    def _line(row: PositionRow, narrow: bool) -> Line:
        """A symbol's line; on a narrow panel its position and net alone."""
        quote = row.price_places
        gain = 0 if not row.net else (1 if row.net > 0 else -1)
        if narrow:
            position = signed(row.qty, row.size_places)
            return Line(f"{row.symbol:<9}{position:>13}", f"{signed(row.net, quote):>12}", gain)
        text = (
            f"{row.symbol:<9}{money(row.holding, row.size_places):>11}"
            f"{signed(row.qty, row.size_places):>11}{money(row.entry, row.price_places):>11}"
            f"{signed(row.unrealised, quote):>11}{signed(row.realised, quote):>10}"
        )
        return Line(text, f"{signed(row.net, quote):>10}", gain, f"  {row.fees or '0'}")

    def text(self) -> str:
        return "\n".join(line.text + line.net + line.tail for line in self.rows)

    def draw_row(self, row: Line, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if row.header:
            return Strip([Segment(row.text, base + style("positions--header"))]).crop(0, width)
        look = Style()
        if row.gain:
            look = style("positions--gain" if row.gain > 0 else "positions--loss")
        segments = [Segment(row.text, base), Segment(row.net, base + look), Segment(row.tail, base)]
        return Strip(segments).crop(0, width)
