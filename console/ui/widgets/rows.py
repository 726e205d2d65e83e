"""Panels drawn line by line from rows that say what each line reads.

A panel of this kind turns its view into a list of rows (small hashable values: the words of
a line and how it is coloured) and hands it to `paint`, which marks for drawing only the
lines whose row changed. Each row is drawn once into a strip and kept by what it says, so a
line that scrolls (the tape) or comes back (a size that returns) costs a lookup, and a
still line costs nothing: neither Python on the screen's thread nor bytes to the terminal.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from rich.style import Style
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

from console.ui.widgets.base import LivePanel

RowT = TypeVar("RowT", bound=Hashable)
STRIP_CACHE = 512
"""Rows kept drawn, by what they say and the width."""


class RowsPanel(LivePanel, Generic[RowT]):
    """A live panel whose lines are `rows`, drawn by `draw_row`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[RowT] = []
        """The rows on screen, top to bottom."""
        self._strips: dict[tuple[Hashable, int], Strip] = {}
        self._width = 0
        self._base = Style()

    def draw_row(self, row: RowT, width: int, base: Style) -> Strip:
        """The line `row` reads, at most `width` cells wide, over the panel's `base` style."""
        raise NotImplementedError

    def paint(self, rows: list[RowT], title: str) -> None:
        """Show `rows` under `title`: only the lines whose row changed are drawn again."""
        shown, self.rows = self.rows, rows
        if self.border_title != title:  # any title set, even the same, redraws every line
            self.border_title = title
        if len(rows) != len(shown):
            self.refresh()
            return
        width = self.size.width
        for y, (old, new) in enumerate(zip(shown, rows, strict=True)):
            if old != new:
                self.refresh(Region(0, y, width, 1))

    def render_lines(self, crop: Region) -> list[Strip]:
        """Read the width and the style once a frame, not once a line: each is a walk up
        the screen's widgets."""
        self._width, self._base = self.size.width, self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width
        if y >= len(self.rows):
            return Strip.blank(width, self._base)
        key = (self.rows[y], width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) >= STRIP_CACHE:
                self._strips.clear()
            strip = self._strips[key] = self.draw_row(self.rows[y], width, self._base)
        return strip

    def on_resize(self) -> None:
        """The room decides the columns of some panels: a view laid out for another width
        is laid out again."""
        if self.view is not None:
            self.show(self.view)

    def notify_style_update(self) -> None:
        """A theme or a focus border changed how every row looks: draw them all anew."""
        super().notify_style_update()
        self._strips.clear()
        self.refresh()


class CursorRowsPanel(RowsPanel[RowT]):
    """A rows panel with a cursor, drawn only while the panel has the focus: a new view,
    the cursor moving or the focus coming or going lays its rows out again (`_paint`)."""

    cursor: reactive[int] = reactive(0)

    def _paint(self) -> None:
        """Lay the rows out from the view, the cursor and the focus, and `paint` them."""
        raise NotImplementedError

    def show(self, view: Any) -> None:
        self.view = view
        self._paint()

    def watch_cursor(self) -> None:
        self._paint()

    def on_focus(self) -> None:
        self._paint()

    def on_blur(self) -> None:
        self._paint()


class PickListPanel(CursorRowsPanel[RowT]):
    """A cursor panel over a list of items (`items`): j/k move within it and `picked` is
    the item under the cursor."""

    def items(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def picked(self) -> Any:
        items = self.items()
        return items[min(self.cursor, len(items) - 1)] if items else None

    def action_move(self, step: int) -> None:
        self.cursor = max(0, min(self.cursor + step, len(self.items()) - 1))
