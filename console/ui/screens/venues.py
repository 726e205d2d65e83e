"""The views of a run on several venues: one pair compared across them, their books merged
into one ladder, and each venue's health in detail.

Each view reads the trading core a few times a second (`console.trading.compare`, built
there); the pair's books opened for it are let go when it closes.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.model import Side
from console.trading.compare import CompareView, MergedLevel, MergedView, Pair, compare, merged
from console.trading.core import Core
from console.trading.session import TradingSession
from console.trading.views import StatusView, health, status
from console.ui.widgets.base import money, places

EVERY = 0.25
"""Seconds between two reads of the core."""
MERGED_DEPTH = 15
"""Levels a side of the merged ladder."""
VIEW_CSS = """
SCREEN { align: center middle; }
SCREEN > Vertical { width: 98%; height: 90%; border: thick $primary; background: $surface;
    padding: 0 1; }
SCREEN #title { height: auto; text-style: bold; }
SCREEN DataTable { height: 1fr; }
SCREEN #keys { height: 1; color: $secondary; }
"""


def view_css(screen: str) -> str:
    return VIEW_CSS.replace("SCREEN", screen)


def figure(value: Decimal | None, digits: int) -> str:
    return "—" if value is None else money(value, digits)


class PairScreen(ModalScreen[Any]):
    """A view of one pair across the venues, fed from the core while it is open."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="venues.close")]

    def __init__(self, core: Core, sessions: list[TradingSession], base: str, quote: str) -> None:
        super().__init__()
        self.core, self.sessions, self.base, self.quote = core, sessions, base, quote
        self.pair: Pair | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="title")
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static(self.keys(), id="keys")

    def keys(self) -> str:
        return "esc: close"

    def on_mount(self) -> None:
        self.open_pair()

    @work(group="pair")
    async def open_pair(self) -> None:
        self.pair = await self.core.run(Pair.open(self.sessions, self.base, self.quote))
        await self.refresh_view()
        self.set_interval(EVERY, self.refresh_view)

    async def refresh_view(self) -> None:
        """Read the pair from the core and draw it."""

    def on_unmount(self) -> None:
        if self.pair is not None:
            self.core.call_now(self.pair.close)


class CompareScreen(PairScreen):
    """Best bid and ask, spread, the day's volume and change, each book's age and the
    account's balances of both assets on each venue; the best bid and ask marked, and the
    cost of buying or selling a size on each after its taker fee, the best marked."""

    BINDINGS = [
        *PairScreen.BINDINGS,
        Binding("plus,equals_sign", "size(2)", "Size ×2", id="compare.more"),
        Binding("minus", "size(0.5)", "Size ÷2", id="compare.less"),
    ]
    DEFAULT_CSS = view_css("CompareScreen")

    def __init__(
        self, core: Core, sessions: list[TradingSession], base: str, quote: str, size: Decimal
    ) -> None:
        super().__init__(core, sessions, base, quote)
        self.amount = size
        self.shown: CompareView | None = None

    def keys(self) -> str:
        return "▲ best bid  ▼ best ask  ★ best for the size · +/-: size · esc: close"

    def on_mount(self) -> None:
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.add_columns(
            "Venue",
            "Bid",
            "Ask",
            "Spread",
            "24h vol",
            "24h",
            "Book",
            f"{self.base} free",
            f"{self.quote} free",
            "Buy costs",
            "Sell gets",
        )
        super().on_mount()

    def action_size(self, factor: str) -> None:
        self.amount = (self.amount * Decimal(factor)).normalize()
        self.call_later(self.refresh_view)

    async def refresh_view(self) -> None:
        if self.pair is None:
            return
        view = await self.core.call(compare, self.pair, self.amount)
        if view == self.shown:
            return
        self.shown = view
        self._draw(view)

    def _draw(self, view: CompareView) -> None:
        self.query_one("#title", Static).update(
            f"{view.base}/{view.quote} across venues · size {view.size:f} {view.base}"
            + (f" · not listed on {', '.join(view.unlisted)}" if view.unlisted else "")
        )
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.clear()
        for row in view.rows:
            digits = places(row.tick)
            mark = "★"
            table.add_row(
                f"{row.venue} {row.environment}",
                _marked(figure(row.bid, digits), "▲", view.best_bid == row.venue),
                _marked(figure(row.ask, digits), "▼", view.best_ask == row.venue),
                figure(row.spread, digits),
                figure(row.volume, 2),
                "—" if row.change_percent is None else f"{row.change_percent:+.2f}%",
                row.book.value if row.book.value != "LIVE" else f"{row.book_age:.1f}s",
                figure(row.base_free, 8),
                figure(row.quote_free, 2),
                _marked(figure(row.buy_cost, digits + 2), mark, view.cheapest_buy == row.venue),
                _marked(figure(row.sell_gets, digits + 2), mark, view.dearest_sell == row.venue),
            )


def _marked(text: str, mark: str, best: bool) -> Text:
    return Text(f"{mark} {text}", style="bold") if best else Text(f"  {text}")


class MergedLadder(PairScreen):
    """The venues' books of the pair in one ladder, each level tagged with its venue;
    enter on a level opens the ticket on that venue at that price (buying at an ask,
    selling at a bid)."""

    DEFAULT_CSS = view_css("MergedLadder")

    def __init__(self, core: Core, sessions: list[TradingSession], base: str, quote: str) -> None:
        super().__init__(core, sessions, base, quote)
        self.shown: MergedView | None = None
        self.rows: list[MergedLevel | None] = []

    def keys(self) -> str:
        return "up/down: level · enter: ticket on its venue at its price · esc: close"

    def on_mount(self) -> None:
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.add_columns("Venue", "Price", "Size")
        super().on_mount()

    async def refresh_view(self) -> None:
        if self.pair is None:
            return
        view = await self.core.call(merged, self.pair, MERGED_DEPTH)
        if view == self.shown:
            return
        self.shown = view
        self._draw(view)

    def _draw(self, view: MergedView) -> None:
        title = f"{view.base}/{view.quote}: every venue's book"
        if view.stale:
            title += f" · left out, book not live: {', '.join(view.stale)}"
        self.query_one("#title", Static).update(title)
        table: DataTable[str | Text] = self.query_one(DataTable)
        row_at = table.cursor_row if self.rows else len(view.asks)  # first: at the spread
        table.clear()
        self.rows = []
        digits = max(
            (places(v.instrument.tick_size) for v in self.pair.venues) if self.pair else [2],
            default=2,
        )
        lots = (
            {v.venue: places(v.instrument.lot_size) for v in self.pair.venues} if self.pair else {}
        )
        for level in view.asks:
            self._add(table, level, digits, lots.get(level.venue, 8), "red")
        table.add_row("", Text("── spread ──", style="dim"), "")
        self.rows.append(None)
        for level in view.bids:
            self._add(table, level, digits, lots.get(level.venue, 8), "green")
        table.move_cursor(row=min(row_at, table.row_count - 1))

    def _add(
        self, table: DataTable[str | Text], level: MergedLevel, digits: int, lot: int, colour: str
    ) -> None:
        price = Text(money(level.price, digits), style=colour)
        table.add_row(level.venue, price, money(level.size, lot))
        self.rows.append(level)

    @on(DataTable.RowSelected)
    def pick(self, event: DataTable.RowSelected) -> None:
        """Enter on a level (the table's own enter)."""
        if not 0 <= event.cursor_row < len(self.rows):
            return
        level = self.rows[event.cursor_row]
        if level is None or self.pair is None:
            return
        symbol = next(v.instrument.symbol for v in self.pair.venues if v.venue == level.venue)
        self.dismiss((level.venue, symbol, level.side.opposite, level.price))


class VenueDetails(ModalScreen[None]):
    """Each venue of the run in detail, as it is now: where orders go, its health, its
    streams and book, its rate budget, its clock, its dead-man's switch and what is wrong."""

    BINDINGS = [Binding("escape,q,enter", "dismiss(None)", "Close", id="details.close")]
    DEFAULT_CSS = view_css("VenueDetails")

    def __init__(
        self, core: Core, sessions: list[TradingSession], clock: Callable[[], float]
    ) -> None:
        """`clock`: the streams' own, for heartbeat ages."""
        super().__init__()
        self.core, self.sessions, self.clock = core, sessions, clock

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Venues", id="title")
            yield DataTable(cursor_type="row")
            yield Static("esc: close", id="keys")

    async def on_mount(self) -> None:
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.add_columns("Venue", "Where", "Health", "Streams", "Book", "Rate", "Clock", "Switch")
        await self.refresh_view()
        self.set_interval(EVERY, self.refresh_view)

    async def refresh_view(self) -> None:
        now = self.clock()
        views = await self.core.call(
            lambda: [(status(s, now), health(s).health) for s in self.sessions]
        )
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.clear()
        for view, word in views:
            table.add_row(*_detail(view, word))
        problems = [f"{view.venue}: {p}" for view, _ in views for p in view.problems]
        self.query_one("#title", Static).update(" · ".join(["Venues", *problems]))


def _detail(view: StatusView, word: str) -> list[str]:
    streams = " ".join(f"{s.name} {s.state.value}" for s in view.streams)
    rate = "" if view.rate is None else f"{view.rate[0]} {view.rate[1]}/{view.rate[2]}"
    clock = "" if view.clock_offset_ms is None else f"{view.clock_offset_ms:+d}ms"
    return [
        view.venue,
        f"{view.environment} {view.symbol or ''}",
        word,
        streams,
        "" if view.book is None else view.book.value,
        rate,
        clock,
        view.switch,
    ]


Picked = tuple[str, str, Side, Decimal]
"""A level picked on the merged ladder: its venue, the pair's symbol there, the ticket's
side and its price."""
