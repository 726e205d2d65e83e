"""Orders: symbol, side, type, price, filled/size, average price, fees, status, age; cancel
one, or all after a confirm. The panel lists the open orders, or with `h` this session's
orders, ended ones too (the default where the venue cannot cancel, so nothing rests: WEEX's
demo trading)."""

from __future__ import annotations

import itertools
import time

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from console.model import Order, OrderStatus, OrderType, Side
from console.trading.account import fee_text
from console.trading.views import OrdersView
from console.ui.widgets.base import NARROW, LivePanel, money

OPEN_COLUMNS = (
    "Symbol",
    "Side",
    "Type",
    "Price",
    "Trigger",
    "Filled / size",
    "Status",
    "Age",
    "Id",
)
ENDED_COLUMNS = (*OPEN_COLUMNS[:6], "Avg", "Fee", *OPEN_COLUMNS[6:])
"""With ended orders shown: what they were filled at, on average, and what they paid."""
NARROW_LEAVES = ("Symbol", "Type", "Trigger", "Avg", "Fee", "Age", "Id")
"""What gives way on a narrow panel (a side panel at 80 columns), so the side, the price,
the sizes (written without their padding zeros) and the status stay whole."""
TYPES = {
    OrderType.LIMIT: "limit",
    OrderType.MARKET: "market",
    OrderType.POST_ONLY: "post",
    OrderType.STOP_LIMIT: "stop",
    OrderType.STOP_MARKET: "stop mkt",
    OrderType.TAKE_PROFIT_LIMIT: "tp",
    OrderType.TAKE_PROFIT_MARKET: "tp mkt",
}
SHORT_STATUS = {OrderStatus.PARTIALLY_FILLED: "PARTIAL"}
"""Statuses worded shorter, so the open orders' ids stay in view at 120 columns."""


def _spaced(cell: str | Text) -> str | Text:
    """A cell with the one space that parts it from the column before."""
    return Text(f" {cell.plain}", style=cell.style) if isinstance(cell, Text) else f" {cell}"


class Stamped(Text):
    """A row's first cell, carrying when its order was made and its place among orders
    made in the same millisecond: the table is kept newest first by them, whichever
    columns the room leaves."""

    created_ms = 0
    seen = 0


def _stamped(cell: str | Text, created_ms: int, seen: int) -> Stamped:
    stamped = Stamped(cell.plain, style=cell.style) if isinstance(cell, Text) else Stamped(cell)
    stamped.created_ms, stamped.seen = created_ms, seen
    return stamped


class OpenOrders(LivePanel):
    """The account's open orders on every symbol, newest first, or this session's orders.

    | key | action |
    | --- | --- |
    | x / delete | cancel the selected order |
    | X | cancel every order on this symbol (asks first) |
    | h | open orders only, or ended ones too |
    | m | move the selected order: a new price or size |
    """

    BINDINGS = [
        Binding("x,delete", "cancel_selected", "Cancel order", id="orders.cancel"),
        Binding("X", "cancel_all", "Cancel all", id="orders.cancel-all"),
        Binding("h", "toggle_history", "Ended orders too", id="orders.history"),
        Binding("m", "move_selected", "Move order", id="orders.move"),
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

    class MoveRequested(Message):
        def __init__(self, client_order_id: str) -> None:
            self.client_order_id = client_order_id
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Open orders"
        self.history = False
        """Ended orders shown too (the app starts it on where the venue cannot cancel)."""
        self._drawn: dict[str, tuple[Order, tuple[str | Text, ...]]] = {}
        self._seen: dict[str, int] = {}
        """When each order drawn was first drawn, in order."""
        self._seen_count = itertools.count()
        """Each row on the table: the order it was drawn from, and its cells."""
        self._columns: list[ColumnKey] = []
        self._labels: tuple[str, ...] = OPEN_COLUMNS
        """The table's columns now: which depends on the ended orders shown and the room."""

    def compose(self) -> ComposeResult:
        # One space between columns, written by each cell, rather than two of padding:
        # the open orders' columns and their ids fit the panel at 120 columns.
        table: DataTable[str | Text] = DataTable(
            cursor_type="row", zebra_stripes=False, cell_padding=0
        )
        self._columns = table.add_columns(*(f" {label}" for label in OPEN_COLUMNS))
        yield table

    def on_resize(self) -> None:
        """The room decides the columns: a table laid out for another width is laid again."""
        if self.view is not None:
            self.redraw()

    def redraw(self) -> None:
        self._fill(self.query_one(DataTable), self.view)

    def _fill(self, table: DataTable[str | Text], view: OrdersView) -> None:
        """Bring the table to the orders, row by row: a new order adds its row, an ended
        one (history off) removes it, a changed one rewrites only its changed cells, and
        the ages move only on the rows in view. A rebuild of every row, with Textual
        measuring every cell again, costs 150 ms at a thousand orders; this, a row's worth."""
        labels: tuple[str, ...] = ENDED_COLUMNS if view.history else OPEN_COLUMNS
        if self.size.width < NARROW:
            labels = tuple(label for label in labels if label not in NARROW_LEAVES)
        if all(order.trigger is None for order in view.orders.values()):
            labels = tuple(label for label in labels if label != "Trigger")  # no stop shown
        if labels != self._labels:
            self._labels = labels
            table.clear(columns=True)
            self._drawn.clear()
            self._seen.clear()
            self._columns = table.add_columns(*(f" {label}" for label in labels))
        shown = view.orders
        opened = view.open_count
        self.border_title = f"Orders ({opened} open)" if view.history else f"Open orders ({opened})"
        now = time.time()
        for gone in [cid for cid in self._drawn if cid not in shown]:
            table.remove_row(gone)
            del self._drawn[gone]
            del self._seen[gone]
        added = False
        in_view = self._rows_in_view(table)
        for cid, order in shown.items():
            drawn = self._drawn.get(cid)
            if drawn is None:
                cells = self._row(order, view, now)
                table.add_row(*cells, key=cid)
                self._drawn[cid] = (order, cells)
                added = True
            elif drawn[0] is not order or table.get_row_index(cid) in in_view:
                self._update(table, cid, order, drawn[1], view, now)
        if added:
            selected = self.selected_id()
            table.sort(self._columns[0], key=lambda cell: (-cell.created_ms, -cell.seen))
            if selected is not None:
                table.move_cursor(row=table.get_row_index(selected))

    def _update(
        self,
        table: DataTable[str | Text],
        cid: str,
        order: Order,
        cells: tuple[str | Text, ...],
        view: OrdersView,
        now: float,
    ) -> None:
        fresh = self._row(order, view, now)
        for column, old, new in zip(self._columns, cells, fresh, strict=True):
            if old != new:
                table.update_cell(cid, column, new)
        self._drawn[cid] = (order, fresh)

    @staticmethod
    def _rows_in_view(table: DataTable[str | Text]) -> range:
        first = int(table.scroll_y)
        return range(first, first + max(1, table.size.height))

    def _row(self, order: Order, view: OrdersView, now: float) -> tuple[str | Text, ...]:
        price_places, size_places = view.places.get(order.symbol, (8, 8))
        style = self.get_component_rich_style
        side = Text(
            order.side.value,
            style=style("orders--buy" if order.side is Side.BUY else "orders--sell"),
        )
        age = max(0, int(now - order.created_ms / 1000))
        status = SHORT_STATUS.get(order.status, order.status.value)
        average = order.filled_quote / order.filled_qty if order.filled_qty else None
        fees = view.fees.get(order.client_order_id)
        cells: dict[str, str | Text] = {
            "Symbol": order.symbol,
            "Side": side,
            "Type": TYPES[order.type],
            "Price": "market" if order.price is None else money(order.price, price_places),
            "Trigger": ""
            if order.trigger is None
            else ("≥" if order.type.triggers_above(order.side) else "≤")
            + money(order.trigger, price_places),
            "Filled / size": f"{order.filled_qty.normalize():f}/{order.qty.normalize():f}"
            if self.size.width < NARROW
            else f"{money(order.filled_qty, size_places)}/{money(order.qty, size_places)}",
            "Avg": "" if average is None else money(average, price_places),
            "Fee": fee_text(fees) if fees else "",
            "Status": Text("ORPHAN", style=style("orders--orphan"))
            if order.client_order_id in view.orphans
            else status,
            "Age": f"{age}s" if age < 120 else f"{age // 60}m",
            "Id": order.client_order_id,
        }
        first, *rest = (_spaced(cells[label]) for label in self._labels)
        cid = order.client_order_id
        seen = self._seen.setdefault(cid, next(self._seen_count))
        return (_stamped(first, order.created_ms, seen), *rest)

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    def action_cancel_selected(self) -> None:
        client_order_id = self.selected_id()
        order = self.view.orders.get(client_order_id or "") if self.view else None
        if order is not None and order.status.is_open:
            self.post_message(self.CancelRequested(client_order_id))

    def action_move_selected(self) -> None:
        client_order_id = self.selected_id()
        order = self.view.orders.get(client_order_id or "") if self.view else None
        if order is not None and order.status.is_open and client_order_id is not None:
            self.post_message(self.MoveRequested(client_order_id))

    def action_toggle_history(self) -> None:
        self.history = not self.history

    def action_cancel_all(self) -> None:
        self.post_message(self.CancelRequested(None))
