"""Candles: a chart of one interval (open, high, low and close, volume under them, a price
and a time axis) where the panel has the room, three intervals' sparklines of closes in the
small layout."""

from __future__ import annotations

from decimal import Decimal

from rich.segment import Segment
from rich.style import Style
from textual.reactive import reactive
from textual.strip import Strip

from console.trading.views import CandleRow, CandlesView
from console.ui import chart
from console.ui.chart import Line, Run
from console.ui.widgets.base import money
from console.ui.widgets.rows import RowsPanel

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN = 3
CHART_ROWS, CHART_COLUMNS = 10, 30
"""The least room a chart is drawn in; less shows the sparklines."""
DIM = "dim"
"""A line that says there is nothing to draw yet."""
RUN_LAYERS: dict[str, str | Style] = {
    chart.UP: "candles--up",
    chart.DOWN: "candles--down",
    chart.AXIS: "candles--label",
    DIM: Style(dim=True),
}
"""What each kind of run is drawn in, over the panel's own style."""


class CandleSparklines(RowsPanel[Line], can_focus=True):
    """A chart of one interval's candles, or closes of the last candles per interval with
    the last price, change and (room permitting) range; drawn line by line, so a new close
    redraws the lines it changed.

    | key | action |
    | --- | --- |
    | [ / ] | shorter / longer intervals |
    """

    COMPONENT_CLASSES = {"candles--up", "candles--down", "candles--label"}
    DEFAULT_CSS = """
    CandleSparklines { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    CandleSparklines:focus { border: round $primary; }
    CandleSparklines > .candles--up { color: $up; }
    CandleSparklines > .candles--down { color: $down; }
    CandleSparklines > .candles--label { color: $secondary; text-style: bold; }
    """

    first: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Candles"

    @property
    def width(self) -> int:
        """Candles a sparkline has room for."""
        return max(8, self.content_size.width - (50 if self.shows_range else 26))

    @property
    def charted(self) -> int:
        """Candles the chart has room for; 0 where the sparklines show instead."""
        size = self.content_size
        if size.height < CHART_ROWS or size.width < CHART_COLUMNS:
            return 0
        return size.width

    @property
    def shows_range(self) -> bool:
        return self.content_size.width >= 64

    def action_shift(self, step: int) -> None:
        """The chart's interval, or the window of the sparklines' intervals, a step along."""
        served = self.view.served if self.view is not None else SHOWN
        last = served - 1 if self.charted else served - SHOWN
        self.first = max(0, min(last, self.first + step))

    def show(self, view: CandlesView | None) -> None:
        """The chart (or the sparklines) as lines, each drawn again only if it changed; the
        chart names its interval, last close and change in the title."""
        self.view = view
        title = "Candles"
        if view is None:
            self.paint([], title)
            return
        if self.charted and view.rows:
            row = view.rows[0]
            title = f"Candles {row.interval}"
            if row.closes:
                title += f"  {money(row.closes[-1], view.tick_places)}  {row.change:+.2f}%"
            size = self.content_size
            lines = chart.draw(view.bars, size.width, size.height, view.tick_places)
            self.paint(lines or [(Run("no candles yet", DIM),)], title)
            return
        self.paint([self._sparkline(row, view.tick_places) for row in view.rows], title)

    def _sparkline(self, row: CandleRow, places: int) -> Line:
        label = Run(f"{row.interval:<4}", chart.AXIS)
        if not row.closes:
            return (label, Run("no candles", DIM))
        colour = chart.UP if row.change >= 0 else chart.DOWN
        runs = [
            label,
            Run(sparkline(list(row.closes)), colour),
            Run(f"  {money(row.closes[-1], places)}  ", chart.PLAIN),
            Run(f"{row.change:+.2f}%", colour),
        ]
        if self.shows_range:
            runs.append(Run(f"  {money(row.low, places)}–{money(row.high, places)}", chart.AXIS))
        return tuple(runs)

    def text(self) -> str:
        """What the panel reads, line by line, as plain text."""
        return "\n".join("".join(run.text for run in line) for line in self.rows)

    def draw_row(self, row: Line, width: int, base: Style) -> Strip:
        segments = [Segment(run.text, self.colour(base, RUN_LAYERS.get(run.kind))) for run in row]
        return Strip(segments).crop(0, width)


def sparkline(values: list[Decimal]) -> str:
    """One block glyph per value, scaled between the lowest and the highest."""
    low, high = min(values), max(values)
    span = high - low
    if not span:
        return BLOCKS[3] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[int((v - low) / span * top)] for v in values)
