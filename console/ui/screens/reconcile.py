"""Reconciliation: this console's orders against the venue's, after a bad minute.

Opening it (or `r` in it) reconciles now: every symbol with an order open here or traded
here is listed at the venue, orders the venue holds that this console did not place show as
ORPHAN, orders sent whose outcome is not known as UNKNOWN, and orders open here that the
venue does not list as NOT LISTED while they are looked up. An orphan can be adopted (from
then on it is this console's, journaled and known after a restart) or cancelled.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.errors import VenueError
from console.trading.core import Core
from console.trading.orders import Agreement, Compared
from console.trading.session import TradingSession
from console.ui.widgets.base import money, places

COLUMNS = ("", "Symbol", "Side", "Price", "Filled / size", "Here", "Venue", "Id")
STYLES = {
    Agreement.AGREE: "",
    Agreement.ORPHAN: "bold black on yellow",
    Agreement.UNKNOWN: "bold white on red",
    Agreement.NOT_LISTED: "bold yellow",
}


class Reconcile(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="reconcile.close"),
        Binding("r", "compare", "Reconcile again", id="reconcile.again"),
        Binding("a", "adopt", "Adopt the orphan", id="reconcile.adopt"),
        Binding("x", "cancel", "Cancel the order", id="reconcile.cancel"),
        Binding("X", "cancel_orphans", "Cancel every orphan", id="reconcile.cancel-orphans"),
    ]
    DEFAULT_CSS = """
    Reconcile { align: center middle; }
    Reconcile > Vertical { width: 96%; height: 90%; border: round $primary;
        background: $surface; padding: 0 1; }
    Reconcile #summary { height: auto; }
    Reconcile DataTable { height: 1fr; }
    Reconcile #keys { color: $secondary; height: 1; }
    Reconcile .reconcile--error { color: $error; text-style: bold; }
    """
    COMPONENT_CLASSES = {"reconcile--error"}

    def __init__(self, session: TradingSession, core: Core) -> None:
        super().__init__()
        self.session = session
        self.core = core
        self.rows: list[Compared] = []

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Reconciliation"
            yield Static("reconciling with the venue…", id="summary")
            table: DataTable[str | Text] = DataTable(cursor_type="row")
            table.add_columns(*COLUMNS)
            yield table
            yield Static("a adopt · x cancel · X cancel orphans · r again · esc close", id="keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_compare()

    @work(exclusive=True, group="reconcile")
    async def action_compare(self) -> None:
        summary = self.query_one("#summary", Static)
        summary.update("reconciling with the venue…")
        try:
            self.rows = await self.core.run(self.session.orders.compare())
        except VenueError as error:
            summary.update(
                Text(
                    f"cannot reconcile now: {error}",
                    self.get_component_rich_style("reconcile--error"),
                )
            )
            return
        self._show()

    def _show(self) -> None:
        orders = self.session.orders
        counts = {a: sum(r.agreement is a for r in self.rows) for a in Agreement}
        when = (
            time.strftime("%H:%M:%S", time.localtime(orders.reconciled_at))
            if orders.reconciled_at
            else "never"
        )
        self.query_one("#summary", Static).update(
            f"{self.session.venue.name}: {len(self.rows)} open · {counts[Agreement.AGREE]} agree"
            f" · {counts[Agreement.ORPHAN]} orphans · {counts[Agreement.UNKNOWN]} unknown"
            f" · {counts[Agreement.NOT_LISTED]} not listed · reconciled {when}"
            f" on {', '.join(orders.watched_symbols()) or 'no symbol'}"
        )
        table = self.query_one(DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.order.client_order_id)

    def _cells(self, row: Compared) -> tuple[str | Text, ...]:
        order = row.order
        instrument = self.session.instruments.get(order.symbol)
        price_places = places(instrument.tick_size) if instrument else 8
        size_places = places(instrument.lot_size) if instrument else 8
        return (
            Text(f" {row.agreement.value} ", style=STYLES[row.agreement]),
            order.symbol,
            order.side.value,
            "market" if order.price is None else money(order.price, price_places),
            f"{money(order.filled_qty, size_places)}/{money(order.qty, size_places)}",
            order.status.value,
            "—" if row.venue_status is None else row.venue_status.value,
            order.client_order_id,
        )

    def _selected(self) -> Compared | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_adopt(self) -> None:
        row = self._selected()
        if row is None or row.agreement is not Agreement.ORPHAN:
            self.notify("only an orphan can be adopted", severity="warning")
            return
        self.core.call_now(self.session.orders.adopt, row.order.client_order_id)
        self.notify(f"{row.order.client_order_id} adopted: this console's from now on")
        self.action_compare()

    def action_cancel(self) -> None:
        row = self._selected()
        if row is not None:
            self._cancel([row.order.client_order_id])

    def action_cancel_orphans(self) -> None:
        orphans = [r.order.client_order_id for r in self.rows if r.agreement is Agreement.ORPHAN]
        if orphans:
            self._cancel(orphans)

    @work(group="reconcile-cancel")
    async def _cancel(self, client_order_ids: list[str]) -> None:
        for cid in client_order_ids:
            try:
                order = await self.core.run(self.session.cancel(cid), urgent=True)
                self.notify(f"{cid}: {order.status.value}")
            except VenueError as error:
                self.notify(f"{cid}: not cancelled: {error.msg or error}", severity="error")
        self.action_compare()
