"""Widgets that hand the screen the lines they drew last time while none of them changed.

Textual (8.2.8, the newest) draws a frame's changes by asking every widget that the
changed region crosses for its lines, over its whole height, and each one walks its
styles cache line by line to hand back what it already drew. A print on the tape and a
level on the ladder together cross every panel of the screen: at 120x40 that was 0.8 ms
of each pass (a dozen a second on a quiet market) spent on lines that had not changed.
A widget here keeps the lines it handed over, for the same crop and line filters, until
Textual marks any of it for drawing again (`_set_dirty`: every repaint, resize and style
change of a widget goes through it).
"""

from __future__ import annotations

from textual.containers import Container
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class KeptLines(Widget):
    """A widget whose lines, once drawn, are handed over as they are until it changes."""

    _kept: tuple[Region, tuple[LineFilter, ...], list[Strip]] | None = None
    _dirtied = 0
    """How many times Textual marked the widget for drawing: a mark made while it draws
    (a title set by its own `render`) leaves what it drew unkept."""

    def _set_dirty(self, *regions: Region) -> None:
        self._kept = None
        self._dirtied += 1
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        filters = tuple(self.get_line_filters())
        kept = self._kept
        if kept is not None and kept[0] == crop and kept[1] == filters:
            return kept[2]
        dirtied = self._dirtied
        lines = super().render_lines(crop)
        if self._dirtied == dirtied:
            self._kept = (crop, filters, lines)
        return lines


class KeptContainer(KeptLines, Container):
    """A container of panels: its own lines are its background, drawn once."""
