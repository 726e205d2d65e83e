"""Balances: free, locked and total per asset, and the account's value in the quote asset."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text

from console.trading.views import BalancesView
from console.ui.widgets.base import LivePanel, money


def amount(value: Decimal) -> str:
    """Exact, thousands-separated, without trailing zeros."""
    return f"{value.normalize():,f}"


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

    def render(self) -> Text:
        view: BalancesView | None = self.view
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        header = f"{'asset':<6}{'free':>12}{'locked':>11}{'total':>13}\n"
        text.append(header, style("balances--header"))
        if view is None or not view.rows:
            text.append("waiting for the account stream…", style="dim")
            return text
        self.border_title = "Balances" if view.current else "Balances · STALE: not heard"
        for b in view.rows:
            text.append(
                f"{b.asset:<6}{amount(b.free):>12}{amount(b.locked):>11}{amount(b.total):>13}\n"
            )
        if view.quote is not None:
            note = f" (+{', '.join(view.unpriced)} unpriced)" if view.unpriced else ""
            text.append(f"≈ {money(view.value, 2)} {view.quote}{note}", style("balances--total"))
        if not view.current:
            text.stylize("dim")
        return text
