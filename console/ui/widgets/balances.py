"""Balances: free, locked and total per asset, and the account's value in the quote asset."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal

from rich.text import Text

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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Balances"

    def state_key(self) -> Hashable:
        market = self.session.market
        mid = market.book.book.mid if market else None
        return (self.session.orders.version, mid, self.size)

    def value_in_quote(self) -> tuple[Decimal, list[str]]:
        """What the held assets are worth at the mid, and the assets with no price here."""
        market = self.session.market
        total, unpriced = Decimal(0), []
        for balance in self.session.orders.balances.values():
            if not balance.total:
                continue
            if market is not None and balance.asset == market.instrument.quote:
                total += balance.total
            elif (
                market is not None
                and balance.asset == market.instrument.base
                and (market.book.book.mid is not None)
            ):
                total += balance.total * market.book.book.mid
            else:
                unpriced.append(balance.asset)
        return total, unpriced

    def render(self) -> Text:
        balances = [b for b in self.session.orders.balances.values() if b.total]
        style = self.get_component_rich_style
        text = Text(no_wrap=True, overflow="crop")
        header = f"{'asset':<6}{'free':>12}{'locked':>11}{'total':>13}\n"
        text.append(header, style("balances--header"))
        for b in sorted(balances, key=lambda b: b.asset):
            text.append(
                f"{b.asset:<6}{amount(b.free):>12}{amount(b.locked):>11}{amount(b.total):>13}\n"
            )
        market = self.session.market
        if market is not None and balances:
            value, unpriced = self.value_in_quote()
            note = f" (+{', '.join(unpriced)} unpriced)" if unpriced else ""
            text.append(
                f"≈ {money(value, 2)} {market.instrument.quote}{note}", style("balances--total")
            )
        elif not balances:
            text.append("waiting for the account stream…", style="dim")
        return text
