"""From live state to the screen, at the frame rate and only where something changed.

Streams update state objects (book, tape, candles, orders) as fast as the venue sends; a
single timer at the frame rate asks each live widget for a key that changes with its
state, and redraws only those whose key moved. A firehose of updates costs the screen the
same as a trickle: one comparison per widget per frame.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Protocol

from textual.app import App, ScreenStackError
from textual.css.query import NoMatches
from textual.timer import Timer


class Live(Protocol):
    def state_key(self) -> Hashable:
        """Anything that changes when, and only when, the widget would draw differently."""

    def redraw(self) -> None:
        """Bring the widget up to date with its state."""


class FrameClock:
    def __init__(self, app: App[object], rate: float) -> None:
        self.app = app
        self.interval = 1.0 / rate
        self.frames = 0
        self.redraws = 0
        self._keys: dict[int, Hashable] = {}
        self._timer: Timer | None = None

    def start(self) -> None:
        self._timer = self.app.set_interval(self.interval, self.tick, name="frame clock")

    def tick(self) -> None:
        self.frames += 1
        try:
            panels = list(self.app.screen.query("LivePanel"))
            for widget in panels:
                key = widget.state_key()  # type: ignore[attr-defined]
                if self._keys.get(id(widget)) != key:
                    self._keys[id(widget)] = key
                    widget.redraw()  # type: ignore[attr-defined]
                    self.redraws += 1
        except (NoMatches, ScreenStackError):
            return  # the screen is being built or torn down: nothing to draw on this frame
