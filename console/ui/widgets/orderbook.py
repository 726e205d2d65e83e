"""The order book ladder: asks over bids, depth bars, spread and mid, the trader's orders.

Drawn row by row from the view the frame clock pushes (`console.trading.views.ladder`):
only the rows whose words changed are drawn and sent to the terminal. Nothing here reads
the book or awaits the network.
When the book is not LIVE the ladder is dimmed under a STALE banner: a stale book is never
shown as live.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from console.model import Side
from console.trading.views import LadderLevel, LadderView
from console.ui.widgets.base import money
from console.ui.widgets.rows import CursorRowsPanel

GROUPING_STEPS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000)
DEPTH_SPANS = (Decimal("0.25"), Decimal("0.5"), Decimal(1), Decimal(2), Decimal(5))
"""How far from the mid the depth chart reaches, in percent of the price (`+`/`-`)."""
BAR = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 5
OWN_MARK = " ◆"
DIM = Style(dim=True)


class Row(NamedTuple):
    """One row of the ladder as it reads: the component class that colours it ("" for the
    widget's own colour), its words (none on a blank row), its depth bar, the trader's
    mark, the cursor, dimmed (stale)."""

    style: str
    text: str = ""
    bar: str = ""
    own: bool = False
    cursor: bool = False
    dim: bool = False


BLANK_ROW = Row("")
"""A row with no level: the asks' side of a thin book."""


class OrderBookLadder(CursorRowsPanel[Row], can_focus=True):
    """The live book of the symbol on screen.

    | key | action |
    | --- | --- |
    | up / k, down / j | move along the ladder, scrolling through the whole book |
    | pageup / pagedown | a page along |
    | g / G | best ask / best bid |
    | enter | ticket at this level's price, on the side that trades against it |
    | + / - | group levels by a larger / smaller price step |
    | m | pick up your order at this level; m or enter on another level moves it there |
    | esc | put a picked-up order back where it was |
    | a | a price alert at this level |
    | D | the depth chart: cumulative bids and asks out from the mid (`+`/`-`: how far) |

    With the mouse, dragging a level that holds your order to another moves it there.
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="book.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="book.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="book.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="book.page-down"),
        Binding("g", "edge('ask')", "Best ask", show=False, id="book.top"),
        Binding("G", "edge('bid')", "Best bid", show=False, id="book.bottom"),
        Binding("enter", "pick", "Ticket at level", id="book.pick"),
        Binding("plus,equals_sign", "group(1)", "Group +", id="book.group-more"),
        Binding("minus", "group(-1)", "Group −", id="book.group-less"),
        Binding("m", "move_order", "Move my order", id="book.move"),
        Binding("escape", "leave", "Leave the order picked up", show=False, id="book.leave"),
        Binding("a", "alert", "Price alert at this level", id="book.alert"),
        Binding("D", "depth_chart", "Depth chart", id="book.depth"),
    ]
    COMPONENT_CLASSES = {
        "orderbook--bid",
        "orderbook--ask",
        "orderbook--stale",
        "orderbook--cursor",
        "orderbook--own",
        "orderbook--spread",
        "orderbook--header",
    }
    DEFAULT_CSS = """
    OrderBookLadder { border: round $panel; border-title-color: $secondary;
        text-wrap: nowrap; text-overflow: clip; }
    OrderBookLadder:focus { border: round $primary; }
    OrderBookLadder > .orderbook--bid { color: $bid; }
    OrderBookLadder > .orderbook--ask { color: $ask; }
    OrderBookLadder > .orderbook--stale { background: $stale; color: $background;
        text-style: bold; }
    OrderBookLadder > .orderbook--cursor { text-style: reverse; }
    OrderBookLadder > .orderbook--own { color: $accent; text-style: bold; }
    OrderBookLadder > .orderbook--spread { color: $secondary; }
    OrderBookLadder > .orderbook--header { color: $secondary; text-style: bold; }
    """

    grouping: reactive[int] = reactive(0)
    """Index into GROUPING_STEPS."""
    span: reactive[int] = reactive(2)
    """Index into DEPTH_SPANS, for the depth chart."""
    charted: reactive[bool] = reactive(False)
    """The depth chart shows instead of the levels."""
    """Row offset from the spread: negative into the asks, positive into the bids."""

    class Picked(Message):
        """The trader chose a level: open the ticket there."""

        def __init__(self, side: Side, price: Decimal) -> None:
            self.side, self.price = side, price
            super().__init__()

    class Clicked(Message):
        """The trader clicked a level: its price goes into the ticket."""

        def __init__(self, price: Decimal) -> None:
            self.price = price
            super().__init__()

    class MoveFrom(Message):
        """The trader picked up their order at this level (the app finds which), to put it
        down later, or at once at `to` (a drag)."""

        def __init__(
            self, side: Side, price: Decimal, step: Decimal, to: Decimal | None = None
        ) -> None:
            self.side, self.price, self.step, self.to = side, price, step, to
            super().__init__()

    class MoveTo(Message):
        """The trader put the order picked up down at this price."""

        def __init__(self, client_order_id: str, price: Decimal) -> None:
            self.client_order_id, self.price = client_order_id, price
            super().__init__()

    class AlertAt(Message):
        """The trader asked for a price alert at this level's price."""

        def __init__(self, price: Decimal) -> None:
            self.price = price
            super().__init__()

    class DepthWanted(Message):
        """The ladder now shows this many price ticks a side (rows times the grouping): a
        book built from a smaller snapshot needs a larger one."""

        def __init__(self, ticks: int) -> None:
            self.ticks = ticks
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Book"
        self._wanted = 0
        self.scroll = 0
        """Rows the window is moved into the bids (negative: into the asks) from the spread."""
        self.held_price: tuple[Side, Decimal] | None = None
        """The price the cursor stays on while the book moves."""
        self.carried: tuple[str, str] | None = None
        """The order picked up to move (client order id, how the title names it)."""
        self._dragged_from: int | None = None
        """The cursor row a mouse drag started on."""
        self._dragged = False

    @property
    def depth(self) -> int:
        """Levels a side the ladder has rows for, unscrolled."""
        return (max(3, self.content_size.height) - 2) // 2

    @property
    def wanted_levels(self) -> tuple[int, int]:
        """Asks and bids the window reaches, scrolled as it is."""
        return max(0, self.depth - self.scroll), max(0, self.depth + self.scroll)

    @property
    def step_ticks(self) -> int:
        """The price step of a row in ticks: the grouping's, or in the depth chart the
        span out from the mid over the rows a side."""
        view: LadderView | None = self.view
        if not self.charted:
            return GROUPING_STEPS[self.grouping]
        if view is None or view.mid is None or not view.tick:
            return GROUPING_STEPS[-1]
        reach = view.mid * DEPTH_SPANS[self.span] / 100 / view.tick
        return max(1, int(reach) // max(1, self.depth))

    def _want_depth(self) -> None:
        wanted = (self.depth + abs(self.scroll)) * self.step_ticks
        if wanted != self._wanted:
            self._wanted = wanted
            self.post_message(self.DepthWanted(wanted))

    def on_resize(self) -> None:
        self._want_depth()
        self._paint()

    def watch_grouping(self) -> None:
        self._want_depth()
        self.post_message(self.ViewWanted(self))

    def watch_span(self) -> None:
        self.watch_grouping()

    def watch_charted(self) -> None:
        self.scroll = 0
        self.watch_grouping()

    def action_depth_chart(self) -> None:
        self.charted = not self.charted

    # -- drawing -----------------------------------------------------------------------------

    def show(self, view: LadderView | None) -> None:
        """A new view: the cursor stays on its price (the nearest left on its side where
        that level went), and in the window."""
        self.view = view
        if view is not None and self.held_price is not None:
            side, price = self.held_price
            levels = view.asks if side is Side.SELL else view.bids
            index = next(  # the first level at or past the price: stops looking there
                (
                    at
                    for at, level in enumerate(levels)
                    if (level.price >= price if side is Side.SELL else level.price <= price)
                ),
                None,
            )
            if index is not None:
                self.held_price = (side, levels[index].price)
                self.set_reactive(
                    OrderBookLadder.cursor, -(index + 1) if side is Side.SELL else index + 1
                )
                self._keep_in_window()
        self._paint()

    def _keep_in_window(self) -> None:
        depth = self.depth
        if self.cursor > depth + self.scroll:
            self.scroll = self.cursor - depth
        elif self.cursor < self.scroll - depth:
            self.scroll = self.cursor + depth
        self._want_depth()

    def _paint(self) -> None:
        view = self.view
        title = "Book" if view is None else f"Book  step {view.step}"
        if self.charted:
            title = f"Depth  ±{DEPTH_SPANS[self.span]}% of the mid"
        if self.carried is not None:
            title = f"MOVING {self.carried[1]}: m/enter puts it here, esc leaves it"
        self.paint(self._layout_rows(), title)

    def text(self) -> str:
        """The ladder's rows as plain text, top to bottom, as the trader reads them."""
        return "\n".join(row.text + row.bar + (OWN_MARK if row.own else "") for row in self.rows)

    def draw_row(self, row: Row, width: int, base: Style) -> Strip:
        if not row.text:
            return Strip.blank(width, base)
        over = ("orderbook--cursor" if row.cursor else None, DIM if row.dim else None)
        segments = [Segment(row.text + row.bar, self.colour(base, row.style or None, *over))]
        if row.own:
            segments.append(Segment(OWN_MARK, self.colour(base, "orderbook--own", *over)))
        return Strip(segments).crop(0, width)  # the rest of the line: the panel's own

    def _layout_rows(self) -> list[Row]:
        """What each row of the ladder says, from the view, the cursor and the focus."""
        view: LadderView | None = self.view
        if view is None:
            return [Row("", "connecting…")]
        if self.charted:
            return self._depth_rows(view)
        depth, scroll = self.depth, self.scroll
        window = range(scroll - depth, scroll + depth + 1)  # 0: the spread line
        shown = [view.asks[-r - 1] for r in window if 0 < -r <= len(view.asks)]
        shown += [view.bids[r - 1] for r in window if 0 < r <= len(view.bids)]
        biggest = max((level.cumulative for level in shown), default=Decimal(0))
        cursor = self.cursor if self.has_focus else 0
        rows = [Row("orderbook--header", f"{'price':>11} {'size':>9} {'cum':>9}")]
        for r in window:
            if r < 0:
                level = view.asks[-r - 1] if -r <= len(view.asks) else None
                side = Side.SELL
            elif r > 0:
                level = view.bids[r - 1] if r <= len(view.bids) else None
                side = Side.BUY
            else:
                rows.append(
                    Row(
                        "orderbook--spread",
                        f"  ── spread {money(view.spread, view.tick_places)}  "
                        f"mid {money(view.mid, view.tick_places + 1)}",
                    )
                )
                continue
            rows.append(
                BLANK_ROW if level is None else _level_row(side, level, biggest, view, r == cursor)
            )
        if not view.live:
            rows = [row._replace(dim=True) for row in rows] + [BLANK_ROW._replace(dim=True)]
            middle = min(len(rows) - 1, max(3, self.content_size.height) // 2)
            rows[middle] = Row("orderbook--stale", f" {view.stale} · not live ".center(38))
        return rows

    def _depth_rows(self, view: LadderView) -> list[Row]:
        """The depth chart: a row a step of price out from the mid, its bar the size of
        every level from the touch to it (asks above the mid, bids below)."""
        depth = self.depth
        biggest = max(
            (level.cumulative for level in (*view.asks[:depth], *view.bids[:depth])),
            default=Decimal(0),
        )
        width = max(4, self.content_size.width - 24)
        rows = [Row("orderbook--header", f"{'price':>11} {'cumulative':>11}")]
        asks = [BLANK_ROW] * (depth - len(view.asks[:depth]))
        for level in reversed(view.asks[:depth]):
            asks.append(_depth_row(Side.SELL, level, biggest, width, view))
        rows += asks
        rows.append(Row("orderbook--spread", f"  ── mid {money(view.mid, view.tick_places + 1)}"))
        rows += [_depth_row(Side.BUY, level, biggest, width, view) for level in view.bids[:depth]]
        if not view.live:
            rows = [row._replace(dim=True) for row in rows]
        return rows

    # -- mouse -------------------------------------------------------------------------------

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The cursor position of the level under the pointer; None off the levels."""
        offset = event.get_content_offset(self)
        if offset is None or self.view is None or offset.y < 1:
            return None  # the header
        row = offset.y - 1 - self.depth + self.scroll
        return row or None  # 0: the spread line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragged_from = self._row_at(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """A drag from a level holding the trader's order to another level moves it."""
        start, self._dragged_from = self._dragged_from, None
        end = self._row_at(event)
        self._dragged = start is not None and end is not None and start != end
        if start is None or end is None or start == end or self.view is None:
            return
        self.cursor = start
        picked = self.selected_level()
        self.cursor = end
        dropped = self.selected_level()
        if picked is not None and dropped is not None and picked[1].own:
            side, level = picked
            self.post_message(self.MoveFrom(side, level.price, self.view.step, dropped[1].price))

    def on_click(self, event: events.Click) -> None:
        """A click selects the level under the pointer and puts its price in the ticket;
        with an order picked up, it puts the order down there."""
        cursor = self._row_at(event)
        dragged, self._dragged = self._dragged, False
        if cursor is None or dragged:
            return  # a drag's own click: the drop said what it meant
        self._go(cursor)
        level = self.selected_level()
        if level is None:
            return
        if self.carried is not None:
            self.action_move_order()
        else:
            self.post_message(self.Clicked(level[1].price))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_move(-1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_move(1)

    # -- keys --------------------------------------------------------------------------------

    def action_move(self, rows: int) -> None:
        """Along the levels the book has, the window following past its edge."""
        view: LadderView | None = self.view
        if view is None:
            return
        cursor = self.cursor + rows
        if self.cursor < 0 <= cursor:
            cursor += 1  # over the spread line
        elif cursor <= 0 < self.cursor:
            cursor -= 1
        # A side shorter than the window asked for is the whole of it: the cursor stops at
        # its last level; otherwise the next view brings the levels the cursor went to.
        if view.all_asks:
            cursor = max(cursor, -max(1, len(view.asks)))
        if view.all_bids:
            cursor = min(cursor, max(1, len(view.bids)))
        self._go(cursor)

    def action_page(self, pages: int) -> None:
        self.action_move(pages * max(1, 2 * self.depth - 1))

    def action_edge(self, side: str) -> None:
        self.scroll = 0
        self._go(-1 if side == "ask" else 1)

    def _go(self, cursor: int) -> None:
        """The cursor to `cursor`, anchored to that level's price, in the window."""
        self.cursor = cursor
        level = self.selected_level()
        self.held_price = None if level is None else (level[0], level[1].price)
        self._keep_in_window()
        self._paint()

    def action_group(self, direction: int) -> None:
        """Coarser or finer levels; in the depth chart, further or nearer from the mid."""
        if self.charted:
            self.span = max(0, min(len(DEPTH_SPANS) - 1, self.span + direction))
            return
        self.grouping = max(0, min(len(GROUPING_STEPS) - 1, self.grouping + direction))

    def action_move_order(self) -> None:
        """Pick up the trader's order at this level, or put the one picked up down here."""
        level = self.selected_level()
        if level is None or self.view is None:
            return
        side, chosen = level
        if self.carried is not None:
            self.post_message(self.MoveTo(self.carried[0], chosen.price))
            self.carry(None)
        elif chosen.own:
            self.post_message(self.MoveFrom(side, chosen.price, self.view.step))

    def carry(self, order: tuple[str, str] | None) -> None:
        """Hold an order picked up to move (its id, its name on the title), or none."""
        self.carried = order
        self._paint()

    def action_leave(self) -> None:
        """Esc: an order picked up stays where it was (the book has the focus already)."""
        if self.carried is not None:
            self.carry(None)

    def action_alert(self) -> None:
        level = self.selected_level()
        if level is not None:
            self.post_message(self.AlertAt(level[1].price))

    def action_pick(self) -> None:
        level = self.selected_level()
        if level is None:
            return
        if self.carried is not None:
            self.action_move_order()
            return
        side, chosen = level
        # A level is traded against: an ask is lifted by a buy, a bid is hit by a sell.
        self.post_message(self.Picked(side.opposite, chosen.price))

    def selected_level(self) -> tuple[Side, LadderLevel] | None:
        view: LadderView | None = self.view
        if view is None:
            return None
        if self.cursor < 0 and -self.cursor <= len(view.asks):
            return Side.SELL, view.asks[-self.cursor - 1]
        if 0 < self.cursor <= len(view.bids):
            return Side.BUY, view.bids[self.cursor - 1]
        return None


def _level_row(
    side: Side, level: LadderLevel, biggest: Decimal, view: LadderView, selected: bool
) -> Row:
    return Row(
        "orderbook--bid" if side is Side.BUY else "orderbook--ask",
        f"{money(level.price, view.price_places):>11} "
        f"{money(level.size, view.size_places):>9} "
        f"{money(level.cumulative, view.size_places):>9} ",
        _bar(level.cumulative, biggest),
        level.own,
        selected,
    )


def _depth_row(
    side: Side, level: LadderLevel, biggest: Decimal, width: int, view: LadderView
) -> Row:
    return Row(
        "orderbook--bid" if side is Side.BUY else "orderbook--ask",
        f"{money(level.price, view.price_places):>11} "
        f"{money(level.cumulative, view.size_places):>11} ",
        _bar(level.cumulative, biggest, width),
    )


def _bar(cum: Decimal, biggest: Decimal, width: int = BAR_WIDTH) -> str:
    if biggest <= 0:
        return ""
    eighths = round(cum / biggest * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (BAR[rest] if rest else "")).ljust(width)
