"""Candles: a chart of one interval (open, high, low and close, volume under them, a price
and a time axis) where the panel has the room, three intervals' sparklines of closes in the
small layout."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive

from console.trading.views import CandlesView
from console.ui import chart
from console.ui.widgets.base import LivePanel, money

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN = 3
CHART_ROWS, CHART_COLUMNS = 10, 30
"""The least room a chart is drawn in; less shows the sparklines."""


class CandleSparklines(LivePanel, can_focus=True):
    """A chart of one interval's candles, or closes of the last candles per interval with
    the last price, change and (room permitting) range.

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

    def render(self) -> Text:
        view: CandlesView | None = self.view
        if view is None:
            return Text("")
        if self.charted and view.rows:
            return self._chart(view)
        text = Text(no_wrap=True, overflow="crop")
        style = self.get_component_rich_style
        for row in view.rows:
            text.append(f"{row.interval:<4}", style("candles--label"))
            if not row.closes:
                text.append("no candles\n", style="dim")
                continue
            colour = style("candles--up" if row.change >= 0 else "candles--down")
            text.append(sparkline(list(row.closes)), colour)
            text.append(f"  {money(row.closes[-1], view.tick_places)}  ")
            text.append(f"{row.change:+.2f}%", colour)
            if self.shows_range:
                text.append(
                    f"  {money(row.low, view.tick_places)}–{money(row.high, view.tick_places)}",
                    style("candles--label"),
                )
            text.append("\n")
        return text

    def show(self, view: CandlesView | None) -> None:
        """The chart names its interval, last close and change in the title."""
        title = "Candles"
        if view is not None and view.rows and self.charted:
            row = view.rows[0]
            title = f"Candles {row.interval}"
            if row.closes:
                title += f"  {money(row.closes[-1], view.tick_places)}  {row.change:+.2f}%"
        if self.border_title != title:
            self.border_title = title
        super().show(view)

    def _chart(self, view: CandlesView) -> Text:
        size = self.content_size
        lines = chart.draw(view.bars, size.width, size.height, view.tick_places)
        if not lines:
            return Text("no candles yet", style="dim")
        style = self.get_component_rich_style
        colours = {
            chart.UP: style("candles--up"),
            chart.DOWN: style("candles--down"),
            chart.AXIS: style("candles--label"),
        }
        text = Text(no_wrap=True, overflow="crop")
        for line in lines:
            for run in line:
                text.append(run.text, colours.get(run.kind))
            text.append("\n")
        text.rstrip()
        return text


def sparkline(values: list[Decimal]) -> str:
    """One block glyph per value, scaled between the lowest and the highest."""
    low, high = min(values), max(values)
    span = high - low
    if not span:
        return BLOCKS[3] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[int((v - low) / span * top)] for v in values)
