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
    | up / k, down / j | move along the ladder |
    | g / G | best ask / best bid |
    | enter | ticket at this level's price, on the side that trades against it |
    | + / - | group levels by a larger / smaller price step |
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="book.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="book.down"),
        Binding("g", "edge('ask')", "Best ask", show=False, id="book.top"),
        Binding("G", "edge('bid')", "Best bid", show=False, id="book.bottom"),
        Binding("enter", "pick", "Ticket at level", id="book.pick"),
        Binding("plus,equals_sign", "group(1)", "Group +", id="book.group-more"),
        Binding("minus", "group(-1)", "Group −", id="book.group-less"),
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

    @property
    def depth(self) -> int:
        """Levels a side the ladder has rows for."""
        return (max(3, self.content_size.height) - 2) // 2

    @property
    def step_ticks(self) -> int:
        return GROUPING_STEPS[self.grouping]

    def _want_depth(self) -> None:
        wanted = self.depth * self.step_ticks
        if wanted != self._wanted:
            self._wanted = wanted
            self.post_message(self.DepthWanted(wanted))

    def on_resize(self) -> None:
        self._want_depth()
        self._paint()

    def watch_grouping(self) -> None:
        self._want_depth()
        self.post_message(self.ViewWanted(self))

    # -- drawing -----------------------------------------------------------------------------

    def _paint(self) -> None:
        view = self.view
        self.paint(self._layout_rows(), "Book" if view is None else f"Book  step {view.step}")

    def text(self) -> str:
        """The ladder's rows as plain text, top to bottom, as the trader reads them."""
        return "\n".join(row.text + row.bar + (OWN_MARK if row.own else "") for row in self.rows)

    def draw_row(self, row: Row, width: int, base: Style) -> Strip:
        if not row.text:
            return Strip.blank(width, base)
        style = self.get_component_rich_style
        over = Style.chain(
            style("orderbook--cursor") if row.cursor else Style(), DIM if row.dim else Style()
        )
        colour = base + (style(row.style) if row.style else Style()) + over
        segments = [Segment(row.text + row.bar, colour)]
        if row.own:
            segments.append(Segment(OWN_MARK, base + style("orderbook--own") + over))
        return Strip(segments).crop(0, width)  # the rest of the line: the panel's own

    def _layout_rows(self) -> list[Row]:
        """What each row of the ladder says, from the view, the cursor and the focus."""
        view: LadderView | None = self.view
        if view is None:
            return [Row("", "connecting…")]
        depth = self.depth
        biggest = max(
            Decimal(0),
            view.asks[-1].cumulative if view.asks else Decimal(0),
            view.bids[-1].cumulative if view.bids else Decimal(0),
        )
        cursor = self.cursor if self.has_focus else 0
        rows = [Row("orderbook--header", f"{'price':>11} {'size':>9} {'cum':>9}")]
        rows += [BLANK_ROW] * (depth - len(view.asks))
        rows += [
            _level_row(Side.SELL, view.asks[index], biggest, view, index + 1 == -cursor)
            for index in range(len(view.asks) - 1, -1, -1)
        ]
        rows.append(
            Row(
                "orderbook--spread",
                f"  ── spread {money(view.spread, view.tick_places)}  "
                f"mid {money(view.mid, view.tick_places + 1)}",
            )
        )
        rows += [
            _level_row(Side.BUY, level, biggest, view, index + 1 == cursor)
            for index, level in enumerate(view.bids)
        ]
        if not view.live:
            rows = [row._replace(dim=True) for row in rows] + [BLANK_ROW._replace(dim=True)]
            middle = min(len(rows) - 1, max(3, self.content_size.height) // 2)
            rows[middle] = Row("orderbook--stale", f" {view.stale} · not live ".center(38))
        return rows

    # -- mouse -------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click selects the level under the pointer and puts its price in the ticket."""
        offset = event.get_content_offset(self)
        if offset is None or self.view is None:
            return
        depth = (self.content_size.height - 2) // 2
        if 1 <= offset.y <= depth:
            cursor = -(depth - offset.y + 1)
        elif offset.y >= depth + 2:
            cursor = offset.y - depth - 1
        else:
            return  # the header or the spread line
        self.cursor = cursor
        level = self.selected_level()
        if level is not None:
            self.post_message(self.Clicked(level[1].price))

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.action_move(-1)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.action_move(1)

    # -- keys --------------------------------------------------------------------------------

    def action_move(self, rows: int) -> None:
        depth = max(1, (self.content_size.height - 2) // 2)
        cursor = self.cursor + rows
        if cursor == 0:
            cursor += rows
        self.cursor = max(-depth, min(depth, cursor))

    def action_edge(self, side: str) -> None:
        self.cursor = -1 if side == "ask" else 1

    def action_group(self, direction: int) -> None:
        self.grouping = max(0, min(len(GROUPING_STEPS) - 1, self.grouping + direction))

    def action_pick(self) -> None:
        level = self.selected_level()
        if level is None:
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


def _bar(cum: Decimal, biggest: Decimal) -> str:
    if biggest <= 0:
        return ""
    eighths = round(cum / biggest * BAR_WIDTH * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (BAR[rest] if rest else "")).ljust(BAR_WIDTH)
