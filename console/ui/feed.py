"""From live state to the screen, at the frame rate and only where something changed.

Streams update state objects (book, tape, candles, orders) as fast as the venue sends; a
single timer at the frame rate builds each shown panel's view (`console.trading.views`)
and pushes it into the panel only when it differs from the last one. A firehose of
updates costs the screen the same as a trickle: one view and one comparison per shown
panel per frame; a hidden panel costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ScreenStackError
from textual.css.query import NoMatches
from textual.timer import Timer

from console.ui.widgets.base import LivePanel


class FrameClock:
    def __init__(self, app: App[Any], rate: float) -> None:
        self.app = app
        self.interval = 1.0 / rate
        self.frames = 0
        self.redraws = 0
        self._feeds: list[tuple[LivePanel, Callable[[], Any]]] = []
        self._shown: dict[int, Any] = {}
        self._timer: Timer | None = None

    def feed(self, panel: LivePanel, view: Callable[[], Any]) -> None:
        """Push `view()` into `panel` on every frame it differs from the last one."""
        self._feeds.append((panel, view))

    def push(self, panel: LivePanel) -> None:
        """Bring `panel` up to date now, not at the next frame: a key that acts on what a
        panel shows (the ticket opened at the best price) must not wait for a frame, which
        on a busy machine may come late."""
        for fed, build in self._feeds:
            if fed is panel:
                self._show(panel, build())

    def _show(self, panel: LivePanel, view: Any) -> None:
        key = id(panel)
        if key not in self._shown or self._shown[key] != view:
            self._shown[key] = view
            panel.show(view)
            self.redraws += 1

    def start(self) -> None:
        self._timer = self.app.set_interval(self.interval, self.tick, name="frame clock")

    def tick(self) -> None:
        self.frames += 1
        try:
            screen = self.app.screen
            for panel, build in self._feeds:
                if not panel.is_attached or not panel.display or panel.screen is not screen:
                    continue  # hidden, or under a dialog: nothing to draw
                self._show(panel, build())
        except (NoMatches, ScreenStackError):
            return  # the screen is being built or torn down: nothing to draw on this frame
