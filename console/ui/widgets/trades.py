"""The trade tape: newest print first, coloured by the aggressor, large prints stand out."""

from __future__ import annotations

import statistics
import time
from collections.abc import Hashable

from rich.text import Text

from console.model import Side
from console.ui.widgets.base import LivePanel, money, places

LARGE_MULTIPLE = 5
"""A print this many times the tape's median notional is highlighted."""


class TradeTape(LivePanel):
    COMPONENT_CLASSES = {"tape--buy", "tape--sell", "tape--large"}
    DEFAULT_CSS = """
    TradeTape { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    TradeTape > .tape--buy { color: $bid; }
    TradeTape > .tape--sell { color: $ask; }
    TradeTape > .tape--large { text-style: bold reverse; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Trades"

    def state_key(self) -> Hashable:
        market = self.session.market
        if market is None:
            return None
        return (market.trades.version, self.size, round(market.trades.rate(), 1))

    def render(self) -> Text:
        market = self.session.market
        if market is None:
            return Text("")
        tape = market.trades
        self.border_title = f"Trades  {tape.rate():.0f}/s"
        rows = self.content_size.height
        recent = list(tape.trades)[-rows:][::-1]
        if not recent:
            return Text("no prints yet", style="dim")
        inst = market.instrument
        notionals = [t.price * t.qty for t in tape.trades]
        large = statistics.median(notionals) * LARGE_MULTIPLE
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        for trade in recent:
            colour = style("tape--buy" if trade.taker_side is Side.BUY else "tape--sell")
            clock = time.strftime("%H:%M:%S", time.localtime(trade.time_ms / 1000))
            line = Text(f"{clock} ")
            line.append(f"{money(trade.price, places(inst.tick_size)):>11}", colour)
            line.append(f" {money(trade.qty, places(inst.lot_size)):>10}")
            if trade.price * trade.qty >= large:
                line.stylize(style("tape--large"))
            text.append_text(line)
            text.append("\n")
        return text
