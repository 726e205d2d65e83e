"""Candle sparklines: three intervals at once, closes drawn with block glyphs."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive

from console.trading.views import CandlesView
from console.ui.widgets.base import LivePanel, money

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN = 3


class CandleSparklines(LivePanel, can_focus=True):
    """Closes of the last candles per interval: last price, change and (room permitting) range.

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
    def shows_range(self) -> bool:
        return self.content_size.width >= 64

    def action_shift(self, step: int) -> None:
        served = self.view.served if self.view is not None else SHOWN
        self.first = max(0, min(served - SHOWN, self.first + step))

    def render(self) -> Text:
        view: CandlesView | None = self.view
        if view is None:
            return Text("")
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


def sparkline(values: list[Decimal]) -> str:
    """One block glyph per value, scaled between the lowest and the highest."""
    low, high = min(values), max(values)
    span = high - low
    if not span:
        return BLOCKS[3] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[int((v - low) / span * top)] for v in values)
