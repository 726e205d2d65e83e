"""Orders: side, price, filled/size, status, age; cancel one, or all after a confirm. The
panel lists the open orders, or with `h` this session's orders, ended ones too (the
default where the venue cannot cancel, so nothing rests: WEEX's demo trading)."""

from __future__ import annotations

import time
from collections.abc import Hashable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from console.model import Order, Side
from console.ui.widgets.base import LivePanel, money, places

COLUMNS = ("Side", "Price", "Filled / size", "Status", "Age", "Id")


class OpenOrders(LivePanel):
    """The account's open orders on every symbol, newest first, or this session's orders.

    | key | action |
    | --- | --- |
    | x / delete | cancel the selected order |
    | X | cancel every order on this symbol (asks first) |
    | h | open orders only, or ended ones too |
    """

    BINDINGS = [
        Binding("x,delete", "cancel_selected", "Cancel order", id="orders.cancel"),
        Binding("X", "cancel_all", "Cancel all", id="orders.cancel-all"),
        Binding("h", "toggle_history", "Ended orders too", id="orders.history"),
    ]
    COMPONENT_CLASSES = {"orders--buy", "orders--sell", "orders--orphan"}
    DEFAULT_CSS = """
    OpenOrders { border: round $panel; border-title-color: $secondary; }
    OpenOrders:focus-within { border: round $primary; }
    OpenOrders DataTable { height: 1fr; background: transparent; }
    OpenOrders > .orders--buy { color: $bid; text-style: bold; }
    OpenOrders > .orders--sell { color: $ask; text-style: bold; }
    OpenOrders > .orders--orphan { color: $warning; text-style: bold; }
    """

    class CancelRequested(Message):
        def __init__(self, client_order_id: str | None) -> None:
            self.client_order_id = client_order_id
            """None means every open order on the symbol."""
            super().__init__()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = "Open orders"
        self.history: bool | None = None
        """Ended orders shown too; None until the venue's capabilities decide."""

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=False)
        table.add_columns(*COLUMNS)
        yield table

    def state_key(self) -> Hashable:
        orders = self.session.orders
        ages = int(time.time()) if orders.open_orders() else 0
        return (orders.version, ages, self.history)

    def redraw(self) -> None:
        self._fill(self.query_one(DataTable))

    def _fill(self, table: DataTable[str | Text]) -> None:
        if self.history is None:
            self.history = not self.session.venue.capabilities.cancels
        book = self.session.orders
        shown = list(book.orders.values()) if self.history else book.open_orders()
        orders = sorted(shown, key=lambda o: -o.created_ms)
        opened = len(book.open_orders())
        self.border_title = f"Orders ({opened} open)" if self.history else f"Open orders ({opened})"
        selected = self.selected_id()
        table.clear()
        now = time.time()
        for order in orders:
            table.add_row(*self._row(order, now), key=order.client_order_id)
        if selected is not None:
            keys = [o.client_order_id for o in orders]
            if selected in keys:
                table.move_cursor(row=keys.index(selected))

    def _row(self, order: Order, now: float) -> tuple[str | Text, ...]:
        instrument = self.session.instruments.get(order.symbol)
        price_places = places(instrument.tick_size) if instrument else 8
        size_places = places(instrument.lot_size) if instrument else 8
        style = self.get_component_rich_style
        side = Text(
            order.side.value,
            style=style("orders--buy" if order.side is Side.BUY else "orders--sell"),
        )
        age = max(0, int(now - order.created_ms / 1000))
        return (
            side,
            "market" if order.price is None else money(order.price, price_places),
            f"{money(order.filled_qty, size_places)}/{money(order.qty, size_places)}",
            Text("ORPHAN", style=style("orders--orphan"))
            if order.client_order_id in self.session.orders.orphans
            else order.status.value,
            f"{age}s" if age < 120 else f"{age // 60}m",
            order.client_order_id,
        )

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    def action_cancel_selected(self) -> None:
        client_order_id = self.selected_id()
        order = self.session.orders.orders.get(client_order_id or "")
        if order is not None and order.status.is_open:
            self.post_message(self.CancelRequested(client_order_id))

    def action_toggle_history(self) -> None:
        self.history = not self.history

    def action_cancel_all(self) -> None:
        self.post_message(self.CancelRequested(None))
