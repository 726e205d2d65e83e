"""Moving a resting order: its new price and size, typed or stepped a tick at a time.

What the trader types is read as typed: a price off the tick or a size off the lot is
refused by the session's checks with the rule it breaks, never rounded here."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from console.model import Order
from console.ui.screens.confirm import dialog_css
from console.ui.widgets.base import places


class MoveOrder(ModalScreen[tuple[Decimal, Decimal] | None]):
    """The new price and size of `order`; up/down step the price by one tick."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="move.back"),
        Binding("up", "step(1)", "Price up a tick", show=False, id="move.up"),
        Binding("down", "step(-1)", "Price down a tick", show=False, id="move.down"),
    ]
    DEFAULT_CSS = dialog_css("MoveOrder", "$accent")

    def __init__(self, order: Order, tick: Decimal, price: Decimal, how: str) -> None:
        """`price` is where it goes unless changed (the order's own, or a level picked on
        the ladder); `how` says what the venue is asked to do."""
        super().__init__()
        self.order, self.tick, self.how = order, tick, how
        self.start_price = price.quantize(tick) if price % tick == 0 else price

    def compose(self) -> ComposeResult:
        order = self.order
        left = order.qty - order.filled_qty
        with Vertical():
            yield Static(
                f"Move {order.side.value} {order.symbol} {left.normalize():f} @ {order.price}",
                id="question",
            )
            yield Static(self.how)
            yield Static("Price")
            yield Input(value=f"{self.start_price:f}", id="price")
            yield Static("Size")
            yield Input(value=f"{left.normalize():f}", id="size")
            yield Static("", id="problem")
            yield Static("enter: move     up/down: a tick     esc: back", id="keys")

    def _read(self, field: str) -> Decimal | None:
        text = self.query_one(f"#{field}", Input).value.strip().replace(",", "")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
        return value if value.is_finite() and value > 0 else None

    def action_step(self, ticks: int) -> None:
        price = self._read("price")
        if price is None:
            return
        stepped = price + ticks * self.tick
        if stepped > 0:
            shown = places(self.tick)
            self.query_one("#price", Input).value = f"{stepped:.{shown}f}"

    @on(Input.Submitted)
    def submitted(self) -> None:
        price, size = self._read("price"), self._read("size")
        if price is None or size is None:
            wrong = "price" if price is None else "size"
            self.query_one("#problem", Static).update(f"the {wrong} is not a positive number")
            return
        self.dismiss((price, size))
