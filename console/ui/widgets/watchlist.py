"""The watchlist: the symbols the trader pinned, with their last price and 24 h change.
j/k move, enter shows the selected symbol, `a` pins the symbol on screen, x unpins."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from console.trading.account import WatchlistView, WatchRow
from console.ui.widgets.base import NARROW, money
from console.ui.widgets.rows import PickListPanel

HEADER = f"  {'symbol':<12}{'last':>16}{'24h':>10}"
NARROW_HEADER = f"  {'symbol':<10}{'last':>13}{'24h':>9}"
EMPTY = "nothing pinned: a pins the symbol on screen"


class Line(NamedTuple):
    text: str
    change: str = ""
    up: int = 0
    """1 up, -1 down, 0 flat or unknown."""
    cursor: bool = False
    header: bool = False


class WatchlistPanel(PickListPanel[Line], can_focus=True):
    """| key | action |
    | --- | --- |
    | j / down, k / up | move |
    | enter | show the selected symbol |
    | a | pin the symbol on screen |
    | x / delete | unpin the selected symbol |
    """

    BINDINGS = [
        Binding("down,j", "move(1)", "Next symbol", show=False, id="watch.down"),
        Binding("up,k", "move(-1)", "Previous symbol", show=False, id="watch.up"),
        Binding("enter", "show_selected", "Show the symbol", id="watch.show"),
        Binding("a", "pin", "Pin the symbol on screen", id="watch.pin"),
        Binding("x,delete", "unpin", "Unpin the symbol", id="watch.unpin"),
    ]
    COMPONENT_CLASSES = {"watch--header", "watch--up", "watch--down", "watch--cursor"}
    DEFAULT_CSS = """
    WatchlistPanel { border: round $panel; border-title-color: $secondary; }
    WatchlistPanel:focus { border: round $primary; }
    WatchlistPanel > .watch--header { color: $secondary; }
    WatchlistPanel > .watch--up { color: $up; }
    WatchlistPanel > .watch--down { color: $down; }
    WatchlistPanel > .watch--cursor { text-style: reverse; }
    """

    class Chosen(Message):
        """The trader asked for a symbol on screen (`symbol`), or to pin or unpin one."""

        def __init__(self, symbol: str | None, pin: bool | None = None) -> None:
            self.symbol, self.pin = symbol, pin
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Watchlist"

    def _paint(self) -> None:
        view: WatchlistView | None = self.view
        if view is None:
            return
        narrow = self.content_size.width < NARROW
        lines = [Line(NARROW_HEADER if narrow else HEADER, header=True)]
        symbol_width, last_width, change_width = (10, 13, 9) if narrow else (12, 16, 10)
        for index, row in enumerate(view.rows):
            mark = "▸ " if row.on_screen else "  "
            last = money(row.last, row.price_places)
            text = f"{mark}{row.symbol:<{symbol_width}}{last:>{last_width}}"
            change = "—" if row.change is None else f"{row.change:+.2f}%"
            up = 0 if not row.change else (1 if row.change > 0 else -1)
            selected = self.has_focus and index == self.cursor
            lines.append(Line(text, f"{change:>{change_width}}", up, selected))
        if not view.rows:
            lines.append(Line(EMPTY))
        self.paint(lines, f"Watchlist ({len(view.rows)})")

    def text(self) -> str:
        return "\n".join(line.text + line.change for line in self.rows)

    def draw_row(self, row: Line, width: int, base: Style) -> Strip:
        style = self.get_component_rich_style
        if row.header:
            return Strip([Segment(row.text, base + style("watch--header"))]).crop(0, width)
        look = style("watch--cursor") if row.cursor else Style()
        colour = Style()
        if row.up:
            colour = style("watch--up" if row.up > 0 else "watch--down")
        segments = [Segment(row.text, base + look), Segment(row.change, base + look + colour)]
        return Strip(segments).crop(0, width)

    def items(self) -> tuple[WatchRow, ...]:
        view: WatchlistView | None = self.view
        return () if view is None else view.rows

    def selected(self) -> str | None:
        row: WatchRow | None = self.picked()
        return None if row is None else row.symbol

    def action_show_selected(self) -> None:
        symbol = self.selected()
        if symbol is not None:
            self.post_message(self.Chosen(symbol))

    def action_pin(self) -> None:
        self.post_message(self.Chosen(None, pin=True))

    def action_unpin(self) -> None:
        symbol = self.selected()
        if symbol is not None:
            self.post_message(self.Chosen(symbol, pin=False))
