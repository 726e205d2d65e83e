"""The trade tape: newest print first, coloured by the aggressor, large prints stand out."""

from __future__ import annotations

import time

from rich.text import Text

from console.model import Side
from console.trading.views import TapeView
from console.ui.widgets.base import LivePanel, money


class TradeTape(LivePanel):
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

    def render(self) -> Text:
        view: TapeView | None = self.view
        if view is None:
            return Text("")
        self.border_title = f"Trades  {view.per_second}/s"
        if not view.rows:
            return Text("no prints yet", style="dim")
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        for trade in view.rows:
            colour = style("tape--buy" if trade.taker_side is Side.BUY else "tape--sell")
            clock = time.strftime("%H:%M:%S", time.localtime(trade.time_ms / 1000))
            line = Text(f"{clock} ")
            line.append(f"{money(trade.price, view.price_places):>11}", colour)
            line.append(f" {money(trade.qty, view.size_places):>10}")
            if trade.large:
                line.stylize(style("tape--large"))
            text.append_text(line)
            text.append("\n")
        return text
