"""Panels drawn line by line from rows that say what each line reads.

A panel of this kind turns its view into a list of rows (small hashable values: the words of
a line and how it is coloured) and hands it to `paint`, which marks for drawing only the
lines whose row changed. Each row is drawn once into a strip and kept by what it says, so a
line that scrolls (the tape) or comes back (a size that returns) costs a lookup, and a
still line costs nothing: neither Python on the screen's thread nor bytes to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.content import Content
from textual.css.styles import StylesBase
from textual.geometry import Region, Size, Spacing
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as TextualStyle

from console.ui.widgets.base import LivePanel

RowT = TypeVar("RowT", bound=Hashable)
STRIP_CACHE = 512
"""Rows kept drawn, by what they say and the width."""


class FramedRows(StylesCache):
    """A rows panel's styles cache (Textual's, 8.2.8), with each row's line framed the
    short way: the border and padding either side of a row are the same on every row, so
    they are cut once from a line Textual framed, and a row's line is its strip between
    them. Textual frames every line anew (colours blended, the border looked up): 40 µs a
    line, and a change at the ladder's touch changes the dozen rows its totals run through.
    A panel drawn with a tint, an opacity, a hatch or an outline is framed by Textual."""

    def __init__(self) -> None:
        super().__init__()
        self._frame: tuple[Hashable, Strip, Strip] | None = None
        """What the frame was cut for, and the strips before and after a row."""

    def clear(self) -> None:
        super().clear()
        self._frame = None  # the styles changed: the border may have

    def render_line(
        self,
        styles: StylesBase,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: tuple[Content, Color, Color, TextualStyle] | None,
        border_subtitle: tuple[Content, Color, Color, TextualStyle] | None,
        opacity: float,
        ansi_theme: TerminalTheme,
        native_ansi: bool,
    ) -> Strip:
        def framed(content: Callable[[int], Strip]) -> Strip:
            return super(FramedRows, self).render_line(
                styles, y, size, content_size, padding, base_background, background,
                content, border_title, border_subtitle, opacity, ansi_theme, native_ansi,
            )  # fmt: skip

        row = y - styles.gutter.top
        if not 0 <= row < content_size.height:
            return framed(render_content_line)
        key = (size, content_size, padding, base_background, background, opacity)
        frame = self._frame
        if frame is None or frame[0] != key:
            if not _plain(styles, opacity):
                return framed(render_content_line)
            empty = framed(lambda _: Strip([]))
            start, end = styles.gutter.left, size.width - styles.gutter.right
            frame = self._frame = (key, empty.crop(0, start), empty.crop(end, size.width))
        line = render_content_line(row)
        room = content_size.width - line.cell_length
        if room < 0:
            line = line.crop(0, content_size.width)
        segments = [*frame[1], *line]
        if room > 0:
            inner = self.get_inner_outer(base_background, background)[0].rich_style
            segments.append(Segment(" " * room, inner))
        segments += frame[2]
        return Strip(segments, size.width)


def _plain(styles: StylesBase, opacity: float) -> bool:
    """Nothing but a border and padding around the rows: no tint, opacity, hatch or outline."""
    return (
        opacity == 1
        and not styles.tint.a
        and styles.text_opacity == 1
        and not (styles.has_rule("hatch") and styles.hatch != "none")
        and not any(edge for edge, _ in styles.outline)
    )


class RowsPanel(LivePanel, Generic[RowT]):
    """A live panel whose lines are `rows`, drawn by `draw_row`."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._styles_cache = FramedRows()
        self.rows: list[RowT] = []
        """The rows on screen, top to bottom."""
        self._strips: dict[tuple[Hashable, int], Strip] = {}
        self._colours: dict[tuple[Style, tuple[str | Style | None, ...]], Style] = {}
        self._width = 0
        self._base = Style()
        self._base_read = False
        """The panel's own style (`_base`) is read when first drawn and again once its
        styles change."""

    def draw_row(self, row: RowT, width: int, base: Style) -> Strip:
        """The line `row` reads, at most `width` cells wide, over the panel's `base` style."""
        raise NotImplementedError

    def colour(self, base: Style, *layers: str | Style | None) -> Style:
        """`base` with each layer over it in turn: a component class's style, a style, or
        nothing. Kept until the styles change: a row asks for it on every line it draws."""
        key = (base, layers)
        colour = self._colours.get(key)
        if colour is None:
            colour = base
            for layer in layers:
                if isinstance(layer, str):
                    colour += self.get_component_rich_style(layer)
                elif layer is not None:
                    colour += layer
            self._colours[key] = colour
        return colour

    def paint(self, rows: list[RowT], title: str) -> None:
        """Show `rows` under `title`: only the lines whose row changed are drawn again."""
        shown, self.rows = self.rows, rows
        if self.border_title != title:  # any title set, even the same, redraws every line
            self.border_title = title
        if len(rows) != len(shown):
            self.refresh()
            return
        width = self.size.width
        changed = [
            Region(0, y, width, 1)
            for y, (old, new) in enumerate(zip(shown, rows, strict=True))
            if old != new
        ]
        if changed:  # one refresh for them all: each empties the panel's style caches
            self.refresh(*changed)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Read the width once a frame and the panel's style once its styles change, not
        once a line: each is a walk up the screen's widgets, and the style's walk is
        done again after every refresh."""
        self._width = self.size.width
        if not self._base_read:
            self._base, self._base_read = self.rich_style, True
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
        self._colours.clear()
        self._base_read = False
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
