"""What every live panel shares: the view it was last given, and the figures' format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.message import Message

from console.trading.views import places
from console.ui.widgets.kept import KeptLines

__all__ = ["NARROW", "LivePanel", "money", "places"]

NARROW = 60
"""Below this many cells (a side panel at 80 columns) a table panel keeps its telling
columns only, so nothing is cut."""


class LivePanel(KeptLines):
    """A panel the frame clock pushes views into: it draws the view it holds and nothing
    else (no session, no book); it is redrawn when, and only when, its view changed."""

    view: Any = None

    class ViewWanted(Message):
        """A key changed what the panel shows (its grouping, say): draw it now, not at the
        next frame."""

        def __init__(self, panel: LivePanel) -> None:
            self.panel = panel
            super().__init__()

    def show(self, view: Any) -> None:
        """A new view from the frame clock: draw it."""
        self.view = view
        self.redraw()

    def redraw(self) -> None:
        """Panels that render redraw; panels of child widgets update those."""
        self.refresh()


def money(value: Decimal | None, places: int) -> str:
    """Thousands-separated, fixed places; an em dash when unknown."""
    return "—" if value is None else f"{value:,.{places}f}"
