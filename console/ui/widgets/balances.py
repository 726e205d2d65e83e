"""Balances: free, locked and total per asset, and the account's value in the quote asset.

Columns are as wide as what they hold: an amount is never cut or run into its neighbour.
Where the panel is too narrow for all three, the locked column goes first (it is total
less free), then free.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from console.trading.views import BalancesView
from console.ui.widgets.base import LivePanel, money


def amount(value: Decimal) -> str:
    """Exact, thousands-separated, without trailing zeros."""
    return f"{value.normalize():,f}"


def table(rows: list[tuple[str, str, str, str]], width: int) -> list[str]:
    """`rows` of (asset, free, locked, total) laid out in `width` cells: each column at
    least as wide as its widest cell, the figures spread over the room left, dropping
    locked and then free when the panel is too narrow for them."""
    header = ("asset", "free", "locked", "total")
    for shown in ((0, 1, 2, 3), (0, 1, 3), (0, 3)):
        widths = [max(len(row[i]) for row in (header, *rows)) for i in shown]
        if sum(widths) + len(shown) - 1 <= width or len(shown) == 2:
            break
    spare = max(0, width - sum(widths) - len(shown) + 1)
    for column in range(1, len(widths)):  # the figures spread over the room there is
        widths[column] += spare // (len(widths) - 1) + (column <= spare % (len(widths) - 1))
    lines = []
    for row in (header, *rows):
        cells = [row[i] for i in shown]
        first = f"{cells[0]:<{widths[0]}}"
        lines.append(
            " ".join([first, *(f"{c:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True))])
        )
    return lines


class Balances(LivePanel):
    COMPONENT_CLASSES = {"balances--header", "balances--total"}
    DEFAULT_CSS = """
    Balances { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    Balances > .balances--header { color: $secondary; text-style: bold; }
    Balances > .balances--total { text-style: bold; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Balances"

    def redraw(self) -> None:
        view: BalancesView | None = self.view
        stale = view is not None and bool(view.rows) and not view.current
        self.border_title = "Balances · STALE: not heard" if stale else "Balances"
        super().redraw()

    def render(self) -> Text:
        view: BalancesView | None = self.view
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        rows = [] if view is None else view.rows
        cells = [(b.asset, amount(b.free), amount(b.locked), amount(b.total)) for b in rows]
        header, *lines = table(cells, self.content_size.width)
        text.append(header + "\n", style("balances--header"))
        if view is None or not view.rows:
            text.append("waiting for the account stream…", style="dim")
            return text
        for line in lines:
            text.append(line + "\n")
        if view.quote is not None:
            note = f" (+{', '.join(view.unpriced)} unpriced)" if view.unpriced else ""
            text.append(f"≈ {money(view.value, 2)} {view.quote}{note}", style("balances--total"))
        if not view.current:
            text.stylize("dim")
        return text
