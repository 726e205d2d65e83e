"""What the panic key did, venue by venue and order by order, and to what it reached."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.model import Instrument
from console.trading.session import Outcome, PanicResult
from console.ui.widgets.base import money, places

COLUMNS = ("Symbol", "Side", "Price", "Size", "Id", "Result")


@dataclass(frozen=True)
class VenueOutcomes:
    """What the panic key did on one venue: each order's outcome, or why the venue refused."""

    venue: str
    outcomes: list[Outcome]
    instruments: Mapping[str, Instrument]
    refused: str | None = None


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

    def __init__(self, scope: str, venues: list[VenueOutcomes]) -> None:
        super().__init__()
        self.scope, self.venues = scope, venues

    def compose(self) -> ComposeResult:
        outcomes = [outcome for venue in self.venues for outcome in venue.outcomes]
        cancelled = sum(o.result is PanicResult.CANCELLED for o in outcomes)
        several = len(self.venues) > 1
        refused = [f"{v.venue}: REFUSED ({v.refused})" for v in self.venues if v.refused]
        with Vertical():
            yield Static(
                " · ".join(
                    [
                        f"PANIC: {cancelled} of {len(outcomes)} cancelled",
                        *refused,
                        f"scope: {self.scope}",
                    ]
                ),
                id="scope",
            )
            table: DataTable[str | Text] = DataTable(cursor_type="row")
            table.add_columns(*(["Venue"] if several else []), *COLUMNS)
            for venue in self.venues:
                for outcome in venue.outcomes:
                    row = self._row(outcome, venue.instruments)
                    table.add_row(*([venue.venue] if several else []), *row)
            yield table
            yield Static("esc / enter: close")

    def _row(self, outcome: Outcome, instruments: Mapping[str, Instrument]) -> list[str | Text]:
        order = outcome.order
        instrument = instruments.get(order.symbol)
        price_places = places(instrument.tick_size) if instrument else 8
        size_places = places(instrument.lot_size) if instrument else 8
        done = outcome.result is PanicResult.CANCELLED
        style = self.get_component_rich_style(
            "outcomes--cancelled" if done else "outcomes--not-cancelled"
        )
        return [
            order.symbol,
            order.side.value,
            "market" if order.price is None else money(order.price, price_places),
            money(order.qty, size_places),
            order.client_order_id,
            Text(outcome.text, style=style),
        ]
