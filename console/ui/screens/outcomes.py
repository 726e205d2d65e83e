"""What the panic key did, order by order, and to what it reached."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.model import Instrument
from console.trading.session import Outcome, PanicResult
from console.ui.widgets.base import money, places


class PanicOutcomes(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,enter", "dismiss", "Close", id="panic.close")]
    DEFAULT_CSS = """
    PanicOutcomes { align: center middle; }
    PanicOutcomes > Vertical { width: 96%; height: 80%; border: thick $error;
        background: $surface; padding: 0 1; }
    PanicOutcomes #scope { height: auto; text-style: bold; }
    PanicOutcomes DataTable { height: 1fr; }
    PanicOutcomes .outcomes--cancelled { color: $success; }
    PanicOutcomes .outcomes--not-cancelled { color: $error; text-style: bold; }
    """
    COMPONENT_CLASSES = {"outcomes--cancelled", "outcomes--not-cancelled"}

    def __init__(
        self, scope: str, outcomes: list[Outcome], instruments: Mapping[str, Instrument]
    ) -> None:
        super().__init__()
        self.scope, self.outcomes, self.instruments = scope, outcomes, instruments

    def compose(self) -> ComposeResult:
        cancelled = sum(o.result is PanicResult.CANCELLED for o in self.outcomes)
        with Vertical():
            yield Static(
                f"PANIC: {cancelled} of {len(self.outcomes)} cancelled · scope: {self.scope}",
                id="scope",
            )
            table: DataTable[str | Text] = DataTable(cursor_type="row")
            table.add_columns("Symbol", "Side", "Price", "Size", "Id", "Result")
            for outcome in self.outcomes:
                order = outcome.order
                instrument = self.instruments.get(order.symbol)
                price_places = places(instrument.tick_size) if instrument else 8
                size_places = places(instrument.lot_size) if instrument else 8
                done = outcome.result is PanicResult.CANCELLED
                style = self.get_component_rich_style(
                    "outcomes--cancelled" if done else "outcomes--not-cancelled"
                )
                table.add_row(
                    order.symbol,
                    order.side.value,
                    "market" if order.price is None else money(order.price, price_places),
                    money(order.qty, size_places),
                    order.client_order_id,
                    Text(outcome.text, style=style),
                )
            yield table
            yield Static("esc / enter: close")
