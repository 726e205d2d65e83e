"""Candle sparklines: three intervals at once, closes drawn with block glyphs."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive

from console.model import Interval
from console.ui.widgets.base import LivePanel, money, places

BLOCKS = "▁▂▃▄▅▆▇█"
SHOWN = 3


class CandleSparklines(LivePanel, can_focus=True):
    """Closes of the last candles per interval: last price, change and (room permitting) range.

    | key | action |
    | --- | --- |
    | [ / ] | shorter / longer intervals |
    """

    BINDINGS = [
        Binding("left_square_bracket", "shift(-1)", "Shorter candles", id="candles.shorter"),
        Binding("right_square_bracket", "shift(1)", "Longer candles", id="candles.longer"),
    ]
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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Candles"

    @property
    def intervals(self) -> list[Interval]:
        """The lengths shown now: a window on those the venue serves."""
        return self.session.candle_intervals()[self.first : self.first + SHOWN]

    def state_key(self) -> Hashable:
        market = self.session.market
        if market is None:
            return None
        versions = tuple(market.candles[i].version for i in self.intervals if i in market.candles)
        return (versions, self.first, self.size)

    def action_shift(self, step: int) -> None:
        served = len(self.session.candle_intervals())
        self.first = max(0, min(served - SHOWN, self.first + step))

    def render(self) -> Text:
        market = self.session.market
        if market is None:
            return Text("")
        tick_places = places(market.instrument.tick_size)
        show_range = self.content_size.width >= 64
        width = max(8, self.content_size.width - (50 if show_range else 26))
        text = Text(no_wrap=True, overflow="crop")
        style = self.get_component_rich_style
        for interval in self.intervals:
            series = market.candles.get(interval)
            text.append(f"{interval:<4}", style("candles--label"))
            if series is None or not series.candles:
                text.append("no candles\n", style="dim")
                continue
            candles = list(series.candles)[-width:]
            closes = [c.close for c in candles]
            first_open, last = candles[0].open, closes[-1]
            change = (last - first_open) / first_open * 100 if first_open else Decimal(0)
            colour = style("candles--up" if change >= 0 else "candles--down")
            text.append(sparkline(closes), colour)
            text.append(f"  {money(last, tick_places)}  ")
            text.append(f"{change:+.2f}%", colour)
            if show_range:
                low, high = min(c.low for c in candles), max(c.high for c in candles)
                text.append(
                    f"  {money(low, tick_places)}–{money(high, tick_places)}",
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
